"""One jipsa device and how to talk to it over MQTT: what to subscribe to, how to read, how to command.

A binding is assembled from :class:`Part`\\ s — one per Home Assistant entity (or Zigbee2MQTT expose) —
each saying which attributes it reads from which topic, how it publishes a new value of an attribute
(a *setter*) and how it sends commands that set no attribute (an *action*: ``start``, ``stop``). The
first part to offer an attribute owns it. :class:`MqttDevice` then serves the runtime: ``decode`` a
message into attribute values, ``encode`` a command into publishes, and say what a report must show
for a command to count as ``expected``. Pure: no I/O.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, cast

from jipsa.adapters.mqtt.template import UNDEFINED, Template, parse_json
from jipsa.core.capabilities import ATTRIBUTE_OWNER, CAPABILITIES, Attribute, Value
from jipsa.core.devices import Device
from jipsa.core.messages import Command
from jipsa.core.validation import command_effects, valid_state_values


def slot(index: int) -> str:
    """The token that stands for a device's or entity's ``index``-th topic in shared configs and bindings.

    Tokens start with NUL, which no topic jipsa accepts may contain, so a token is never a real topic.
    """
    while len(_SLOTS) <= index:
        token = sys.intern(f"\0{len(_SLOTS)}")
        _SLOT_INDEX[token] = len(_SLOTS)
        _SLOTS.append(token)
    return _SLOTS[index]


def slot_index(token: str) -> int | None:
    """The index a :func:`slot` token stands for; ``None`` for anything else."""
    return _SLOT_INDEX.get(token)


_SLOTS: list[str] = []
_SLOT_INDEX: dict[str, int] = {}


@dataclass(frozen=True, slots=True)
class Publish:
    """One MQTT message to send."""

    topic: str
    """Where to publish."""
    payload: bytes
    """What to publish."""
    retain: bool = False
    """Whether the broker keeps it for later subscribers."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """What one received message says about a device."""

    values: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    """Attribute values in catalogue units (only those valid for the device)."""
    available: bool | None = None
    """``True``/``False`` when the message was an availability message; ``None`` otherwise."""


class Payload:
    """A received payload: its text, and its JSON parsed at most once for all readers of a topic."""

    __slots__ = ("_json", "raw", "text")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.text = raw.decode("utf-8", errors="replace")
        self._json: object = _UNPARSED

    @property
    def json(self) -> object:
        """The payload as JSON, or :data:`~jipsa.adapters.mqtt.template.UNDEFINED`."""
        if self._json is _UNPARSED:
            self._json = parse_json(self.text)
        return self._json

    def render(self, template: Template | None) -> object:
        """The payload through a value template (or the text itself without one); ``None`` on failure."""
        if template is None:
            return self.text
        return template.render_with(self.text, self.json if template.uses_json else UNDEFINED)


_UNPARSED = object()

Read = Callable[[Payload], dict[str, Value]]
"""Turns a payload into attribute values (only those it finds)."""

Convert = Callable[[object], "Value | None"]
"""Turns a rendered value into one attribute's value (``None``: nothing usable)."""

Setter = Callable[[Value, Mapping[str, Value]], list[Publish]]
"""Publishes for a new value of one attribute, given the last known state."""

Action = Callable[[Command, Mapping[str, Value]], list[Publish]]
"""Publishes for a command that sets no attribute, given the last known state."""


@dataclass(frozen=True, slots=True)
class One:
    """How a reader of a single attribute gets it: a template (or the payload text), then a conversion."""

    attribute: str
    """The attribute."""
    template: Template | None
    """Applied to the payload first; ``None``: the payload text itself."""
    convert: Convert
    """The rendered value in, the attribute's value (or ``None``) out."""

    def read(self, payload: Payload) -> dict[str, Value]:
        """The attribute's value in a payload, if it has one."""
        rendered = payload.render(self.template)
        if rendered is None:
            return {}
        value = self.convert(rendered)
        return {} if value is None else {self.attribute: value}


@dataclass(frozen=True, slots=True)
class Reader:
    """Reads some attributes from one topic."""

    topic: str
    """The topic it reads."""
    attributes: frozenset[str]
    """The attributes it may report."""
    read: Read
    """The payload in, values out."""
    one: One | None = None
    """The same as ``read`` for a reader of one attribute, which :meth:`MqttDevice.decode` calls without
    building a dictionary per reader and message."""

    @classmethod
    def single(cls, topic: str, one: One) -> Reader:
        """A reader of one attribute."""
        return cls(topic, shared(frozenset((one.attribute,))), one.read, one)


@functools.lru_cache(maxsize=1024)
def shared(items: frozenset[str]) -> frozenset[str]:
    """One object for equal sets of attribute names (thousands of devices have the same few)."""
    return items


@dataclass(frozen=True, slots=True)
class AvailabilityTopic:
    """A topic that says whether the device is online."""

    topic: str
    """The topic."""
    payload_available: str = "online"
    """The payload meaning *available*."""
    payload_not_available: str = "offline"
    """The payload meaning *not available*."""
    template: Template | None = None
    """Applied to the payload before comparing."""


AvailabilityMode = Literal["all", "any", "latest"]


@dataclass(slots=True)
class Part:
    """What one entity contributes to a device (mutable while a builder fills it)."""

    source: str
    """Where it came from, for messages: the discovery topic or ``z2m:<name>/<property>``."""
    readers: list[Reader] = field(default_factory=list)
    """Attribute readers."""
    setters: dict[str, Setter] = field(default_factory=dict)
    """How to set each attribute it can set."""
    actions: dict[tuple[str, str], Action] = field(default_factory=dict)
    """Commands it sends by ``(capability, command)``."""
    limits: dict[str, Attribute] = field(default_factory=dict)
    """Attributes narrowed to what the device accepts."""
    lossy: set[str] = field(default_factory=set)
    """Attributes the device may report differently from how they were set (coarse scales)."""
    availability: tuple[AvailabilityTopic, ...] = ()
    """Its availability topics."""
    availability_mode: AvailabilityMode = "latest"
    """How several availability topics combine."""
    fallback: set[str] = field(default_factory=set)
    """Attributes it offers only if no other part does (a vacuum's battery beside a battery sensor)."""

    def attributes(self) -> set[str]:
        """Every attribute it reads or sets."""
        return {a for r in self.readers for a in r.attributes} | set(self.setters)


class Binding:
    """How every device built the same way is talked to, shared by all of them; built by :func:`assemble`.

    Its readers, setters, actions and availability topics name :func:`~jipsa.adapters.mqtt.config.slot`
    tokens (``\\0<n>``: the device's n-th topic) instead of topics; each :class:`MqttDevice` holds its own
    topics. A thousand lights of one model are a thousand small devices and one binding.
    """

    __slots__ = ("__weakref__", "actions", "avail", "by_slot", "capabilities", "field_index", "fields",
                 "limits", "lossy", "mode", "readable", "setters", "subscribed")

    def __init__(self, *, readers: Sequence[Reader], setters: Mapping[str, Setter],
                 actions: Mapping[tuple[str, str], Action], capabilities: tuple[str, ...],
                 limits: Mapping[str, Attribute], lossy: Iterable[str] = (),
                 availability: Sequence[AvailabilityTopic] = (),
                 availability_mode: AvailabilityMode = "latest") -> None:
        by_slot: dict[str, list[Reader]] = {}
        for reader in readers:
            by_slot.setdefault(reader.topic, []).append(reader)
        self.by_slot: Mapping[str, tuple[Reader, ...]] = {t: tuple(items) for t, items in by_slot.items()}
        """The readers of each slot."""
        self.setters: Mapping[str, Setter] = dict(setters)
        """How to set each attribute it can set."""
        self.actions: Mapping[tuple[str, str], Action] = dict(actions)
        """Commands that set no attribute, by ``(capability, command)``."""
        self.capabilities = capabilities
        """The device's capabilities."""
        self.limits: Mapping[str, Attribute] = MappingProxyType(dict(limits))
        """The device's attributes narrowed to what it accepts."""
        self.readable = shared(frozenset(a for r in readers for a in r.attributes))
        """The attributes some topic reports."""
        self.fields: tuple[str, ...] = tuple(sorted(self.readable))
        """The readable attributes in the order a device keeps their last values."""
        self.field_index: Mapping[str, int] = {a: i for i, a in enumerate(self.fields)}
        """Each readable attribute's place in :attr:`fields`."""
        self.lossy = shared(frozenset(lossy))
        """Attributes the device may report differently from how they were set."""
        self.avail: Mapping[str, AvailabilityTopic] = {a.topic: a for a in availability}
        """Availability topics by slot."""
        self.mode: AvailabilityMode = availability_mode
        """How several availability topics combine."""
        indexes = {slot_index(t) for t in (*self.by_slot, *self.avail)}
        self.subscribed: tuple[int, ...] = tuple(sorted(i for i in indexes if i is not None))
        """The slots to subscribe to (state and availability)."""


_NOTHING = Decoded()


class MqttDevice:
    """One jipsa device, its topics and its (shared) :class:`Binding`.

    It remembers the last values it decoded (``toggle``, turning a climate device back on and confirming
    a command need them) and, where availability takes ``all`` or ``any`` of several topics, the last
    message of each. A hundred thousand of them are kept, so they are small: the topics as one text they
    all begin with and the rest of each (shared by every device whose topics differ only in that
    beginning), the last values as a tuple in the binding's order of attributes.
    """

    __slots__ = ("_avail_seen", "_base", "_ends", "_values", "binding", "device", "signature")

    def __init__(self, device: Device, binding: Binding, topics: tuple[str, ...],
                 signature: object = None) -> None:
        self.device = device
        """The jipsa device."""
        self.binding = binding
        """How it is talked to (shared with every device built the same way)."""
        self._base, self._ends = _split(topics)
        self.signature = signature
        """What it was built from (compared to tell an updated binding from an unchanged one)."""
        self._values: tuple[object, ...] | None = None
        self._avail_seen: dict[str, bool] | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics the binding's slots stand for, in slot order."""
        base = self._base
        return tuple(base + end for end in self._ends.texts)

    @property
    def subscriptions(self) -> frozenset[str]:
        """The state and availability topics to subscribe to."""
        base, ends = self._base, self._ends.texts
        return frozenset(base + ends[i] for i in self.binding.subscribed)

    @property
    def keys(self) -> tuple[str, ...]:
        """What the adapter files it under to find the readers of a topic: the beginning its topics
        share, or, when they share none, the topics it subscribes to."""
        if self._base:
            return (self._base,)
        ends = self._ends.texts
        return tuple(dict.fromkeys(ends[i] for i in self.binding.subscribed))

    def reads(self, topic: str) -> bool:
        """Whether ``topic`` is one of its state or availability topics."""
        base = self._base
        if not topic.startswith(base):
            return False
        index = self._ends.index.get(topic[len(base):])
        return index is not None and index in self.binding.subscribed

    def __repr__(self) -> str:
        return f"MqttDevice({self.device.id!r}, {self.device.type.value}, {sorted(self.subscriptions)})"

    @property
    def readable(self) -> frozenset[str]:
        """The attributes some topic reports."""
        return self.binding.readable

    @property
    def state(self) -> Mapping[str, Value]:
        """The values it last decoded."""
        return MappingProxyType(self._state())

    def _state(self) -> dict[str, Value]:
        values = self._values
        if values is None:
            return {}
        fields = self.binding.fields
        return {a: cast(Value, v) for a, v in zip(fields, values, strict=True) if v is not _UNSET}

    def _remember(self, values: Mapping[str, Value]) -> None:
        fields = self.binding.field_index
        kept = list(self._values) if self._values is not None else [_UNSET] * len(fields)
        for attr, value in values.items():
            index = fields.get(attr)
            if index is not None:
                kept[index] = value
        self._values = tuple(kept)

    def inherit(self, old: MqttDevice) -> None:
        """Take over what ``old`` (the device before a new config) knew that still fits."""
        self._remember(valid_state_values(self.device, old._state())[0])
        if old._avail_seen:
            self._avail_seen = {t: v for t, v in old._avail_seen.items() if t in self.binding.avail}

    def confirms(self, expected: Mapping[str, Value]) -> bool:
        """Whether the values last decoded show everything in ``expected``."""
        values = self._values
        if values is None:
            return not expected
        fields = self.binding.field_index
        for attr, value in expected.items():
            index = fields.get(attr)
            if index is None or values[index] != value:
                return False
        return True

    def commands(self) -> frozenset[tuple[str, str]]:
        """The ``(capability, command)`` pairs :meth:`encode` can send."""
        setters = self.binding.setters
        out: set[tuple[str, str]] = set(self.binding.actions)
        for cap in self.device.capability_objects():
            for spec in cap.commands:
                targets = {attr for _param, attr in spec.params} | {attr for attr, _v in spec.sets}
                toggles = spec.name == "toggle" and "on" in setters
                if toggles or (targets and targets <= set(setters)):
                    out.add((cap.id, spec.name))
        return frozenset(out)

    def decode(self, topic: str, payload: bytes | Payload) -> Decoded:
        """The attribute values and availability a message carries; empty for garbage or other topics.

        ``payload`` may be a :class:`Payload` shared by every device reading the topic, so its JSON is
        parsed once per message.
        """
        base = self._base
        index = self._ends.index.get(topic[len(base):]) if topic.startswith(base) else None
        if index is None:
            return _NOTHING
        key = slot(index)
        binding = self.binding
        values: dict[str, Value] = {}
        readers = binding.by_slot.get(key)
        message = payload if isinstance(payload, Payload) else Payload(payload)
        if readers:
            for reader in readers:
                one = reader.one
                try:
                    if one is None:
                        values.update(reader.read(message))
                        continue
                    rendered = message.render(one.template)
                    if rendered is not None and (value := one.convert(rendered)) is not None:
                        values[one.attribute] = value
                except (ValueError, TypeError, KeyError, IndexError, ArithmeticError, RecursionError):
                    continue  # a reader's bug must not cost the other readers their values
            if values:
                values, _problems = valid_state_values(self.device, values)
                self._remember(values)
        available = self._availability(key, message) if key in binding.avail else None
        return Decoded(MappingProxyType(values), available)

    def _availability(self, key: str, payload: Payload) -> bool | None:
        avail = self.binding.avail
        spec = avail[key]
        rendered = payload.render(spec.template)
        text = as_text(rendered)
        if text == spec.payload_available:
            seen = True
        elif text == spec.payload_not_available:
            seen = False
        else:
            return None
        mode = self.binding.mode
        if mode == "latest":
            return seen  # the last message decides: nothing to remember
        if self._avail_seen is None:
            self._avail_seen = {}
        self._avail_seen[key] = seen
        if mode == "all":
            return all(self._avail_seen.get(t, False) for t in avail)
        return any(self._avail_seen.get(t, False) for t in avail)

    def command(self, command: Command) -> tuple[list[Publish], dict[str, Value]]:
        """The messages that carry out a validated command (none when this device cannot send it), and
        what a state report must show for it to count as done (``{}``: any report will do)."""
        binding = self.binding
        state = self._state()
        try:
            effects: dict[str, Value] | None = command_effects(self.device, command, state)
        except (ValueError, KeyError):
            effects = None
        expected = {} if effects is None else {
            k: v for k, v in effects.items() if k in binding.readable and k not in binding.lossy}
        action = binding.actions.get((command.capability, command.command))
        if action is not None:
            return self._placed(action(command, state)), expected
        out: list[Publish] = []
        for attr, value in (effects or {}).items():
            setter = binding.setters.get(attr)
            if setter is not None:
                out.extend(setter(value, state))
        return self._placed(out), expected

    def encode(self, command: Command) -> list[Publish]:
        """The messages that carry out a validated command; empty when this device cannot send it."""
        return self.command(command)[0]

    def _placed(self, publishes: list[Publish]) -> list[Publish]:
        """The binding's publishes with the slot tokens replaced by this device's topics."""
        base, ends = self._base, self._ends.texts
        out = []
        for p in publishes:
            index = slot_index(p.topic)
            if index is None or index >= len(ends):
                continue  # pragma: no cover - a binding publishes to its slots only
            out.append(Publish(base + ends[index], p.payload, p.retain))
        return out

    def expected(self, command: Command) -> dict[str, Value]:
        """What a state report must show for the command to count as done (``{}``: any report will do)."""
        return self.command(command)[1]


_UNSET = object()
"""A value not decoded yet."""


@dataclass(frozen=True, slots=True, eq=False)
class Ends:
    """What follows a device's common beginning in each of its topics, in slot order, and back."""

    texts: tuple[str, ...]
    """The rest of each topic."""
    index: Mapping[str, int]
    """Each rest's slot."""


def _split(topics: tuple[str, ...]) -> tuple[str, Ends]:
    """A device's topics as the beginning they share (up to a level) and the shared :class:`Ends`."""
    if not topics:
        return "", _ends(())
    # What the smallest and the largest share, every topic shares: the longest beginning of the smallest,
    # at a level, that the largest has and at which every topic ends or goes on with a level.
    first, last = min(topics), max(topics)
    size = len(first)
    while size > 0 and not (last.startswith(first[:size])
                            and all(len(t) == size or t[size] == "/" for t in topics)):
        size = first.rfind("/", 0, size)
    size = max(size, 0)
    base = first[:size]
    return base, _ends(tuple(sys.intern(t[size:]) for t in topics))


@functools.lru_cache(maxsize=4096)
def _ends(texts: tuple[str, ...]) -> Ends:
    """One object for equal ends (every light of a model has the same)."""
    index: dict[str, int] = {}
    for i, text in enumerate(texts):
        index.setdefault(text, i)
    return Ends(texts, index)


# --- assembling a binding from parts ------------------------------------------------------------

_CAPABILITY_ORDER = {cap.id: i for i, cap in enumerate(CAPABILITIES)}


def assemble(parts: Sequence[Part], *, allowed: Iterable[str] | None = None) -> Binding | None:
    """A binding from parts in order of precedence; ``None`` when they give the device no capability.

    ``allowed`` limits the capabilities (a sensor's readings on a light are not the light's business).
    """
    allowed_caps = None if allowed is None else set(allowed)
    owner: dict[str, Part] = {}
    for fallback in (False, True):
        for part in parts:
            for attr in sorted(part.attributes()):
                cap = ATTRIBUTE_OWNER.get(attr)
                if (attr in part.fallback) != fallback or cap is None or (
                        allowed_caps is not None and cap not in allowed_caps):
                    continue
                owner.setdefault(attr, part)
    caps = {ATTRIBUTE_OWNER[a] for a in owner}
    actions: dict[tuple[str, str], Action] = {}
    for part in parts:
        for key, action in part.actions.items():
            if allowed_caps is None or key[0] in allowed_caps:
                actions.setdefault(key, action)
                caps.add(key[0])
    if not caps:
        return None
    readers = []
    for part in parts:
        for reader in part.readers:
            mine = frozenset(a for a in reader.attributes if owner.get(a) is part)
            if mine == reader.attributes:
                readers.append(reader)
            elif mine:
                readers.append(Reader(reader.topic, mine, _only(reader.read, mine)))
    availability = next((p for p in parts if p.availability), None)
    return Binding(
        readers=readers, actions=actions,
        setters={attr: part.setters[attr] for attr, part in owner.items() if attr in part.setters},
        capabilities=tuple(sorted(caps, key=_CAPABILITY_ORDER.__getitem__)),
        limits={attr: part.limits[attr] for attr, part in owner.items() if attr in part.limits},
        lossy={attr for attr, part in owner.items() if attr in part.lossy},
        availability=availability.availability if availability else (),
        availability_mode=availability.availability_mode if availability else "latest")


def _only(read: Read, attributes: frozenset[str]) -> Read:
    return lambda payload: {k: v for k, v in read(payload).items() if k in attributes}


# --- small conversions shared by the mappings ---------------------------------------------------

def as_text(value: object) -> str | None:
    """A rendered value as Home Assistant compares it with a configured payload (``True`` → ``"True"``)."""
    if value is None or value is UNDEFINED:
        return None
    return str(value)


def as_number(value: object) -> float | None:
    """A rendered value as a finite number, or ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def narrow(attr: Attribute, *, minimum: float | None = None, maximum: float | None = None,
           step: float | None = None, values: Iterable[str] | None = None) -> Attribute | None:
    """``attr`` narrowed as far as the catalogue allows; ``None`` when nothing of it is left.

    Bounds outside the catalogue are clamped, bounds off the catalogue's grid are moved onto it and a step
    finer than the catalogue's is ignored, so a device's own limits never make an invalid :class:`Device`.
    """
    if values is not None:
        wanted = set(values)
        kept = tuple(v for v in attr.values if v in wanted)
        return attr.narrowed(values=kept) if kept else None
    lo = attr.minimum if minimum is None or not math.isfinite(minimum) else minimum
    hi = attr.maximum if maximum is None or not math.isfinite(maximum) else maximum
    if lo is not None and attr.minimum is not None:
        lo = max(lo, attr.minimum)
    if hi is not None and attr.maximum is not None:
        hi = min(hi, attr.maximum)
    if attr.step and attr.minimum is not None:
        if lo is not None:
            lo = attr.minimum + math.ceil(round((lo - attr.minimum) / attr.step, 6)) * attr.step
        if hi is not None:
            hi = attr.minimum + math.floor(round((hi - attr.minimum) / attr.step, 6)) * attr.step
    if lo is not None and hi is not None and lo > hi:
        return None
    new_step = None
    if step is not None and attr.step and math.isfinite(step) and step > 0:
        ratio = step / attr.step
        if abs(ratio - round(ratio)) < 1e-6 and round(ratio) >= 1:
            new_step = round(step, 9)
    try:
        return attr.narrowed(minimum=None if lo is None else round(lo, 9),
                             maximum=None if hi is None else round(hi, 9), step=new_step)
    except ValueError:
        return attr
