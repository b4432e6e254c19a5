"""Home Assistant MQTT discovery: retained config messages in, jipsa devices and their bindings out.

:func:`parse_topic` and :func:`parse_config` read one message (see ``config``); :class:`Discovery` keeps
every entity seen so far, groups them by their ``device`` block and says, for each message, which jipsa
devices were added, updated or removed (see ``appliance`` for how a group becomes devices). It is pure
and synchronous: the runtime feeds it messages from ``<prefix>/#`` and applies the :class:`Change`.

Takeover guard: a config whose ``unique_id`` is already used by another discovery topic, or whose device
identifiers belong to a device announced under another node id, is refused with :class:`DiscoveryError`
and the original is kept.

Device-based discovery (one ``<prefix>/device/<object_id>/config`` message with a ``components`` map) is
read too: each component becomes an entity, with the message's shared options as its defaults.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from jipsa.adapters.mqtt.appliance import build_devices, slug
from jipsa.adapters.mqtt.binding import MqttDevice
from jipsa.adapters.mqtt.config import (
    ABBREVIATIONS,
    COMPONENTS,
    DEFAULT_MAX_PAYLOAD,
    DEFAULT_PREFIX,
    DeviceInfo,
    DiscoveryError,
    DiscoveryTopic,
    Entity,
    digest,
    entity_from_dict,
    one_copy,
    parse_config,
    parse_topic,
)

__all__ = [
    "DEFAULT_MAX_PAYLOAD", "DEFAULT_PREFIX", "Change", "DeviceInfo", "Discovery", "DiscoveryError",
    "DiscoveryTopic", "Entity", "parse_config", "parse_device_config", "parse_topic",
]

_DEVICE_COMPONENT = "device"
_MAX_COMPONENTS = 256


@dataclass(frozen=True, slots=True)
class Change:
    """What one message changed: devices added, devices updated (rebind them) and ids removed."""

    added: tuple[MqttDevice, ...] = ()
    """New devices."""
    updated: tuple[MqttDevice, ...] = ()
    """Devices whose configuration changed; the binding replaces the old one."""
    removed: tuple[str, ...] = ()
    """Ids of devices that are gone."""

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def parse_device_config(object_id: str, node_id: str | None, payload: bytes, *, topic: str,
                        max_bytes: int = DEFAULT_MAX_PAYLOAD) -> list[Entity]:
    """The entities of a device-based discovery message (empty for an empty payload)."""
    if not payload:
        return []
    if len(payload) > max_bytes:
        raise DiscoveryError(topic, f"config of {len(payload)} bytes is over the {max_bytes}-byte limit")
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        raise DiscoveryError(topic, f"config is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DiscoveryError(topic, "config must be a JSON object")
    shared = {ABBREVIATIONS.get(k, k): v for k, v in data.items()}
    components = shared.pop("components", None)
    if not isinstance(components, dict) or len(components) > _MAX_COMPONENTS:
        raise DiscoveryError(topic, f"a device config needs 'components', a map of at most {_MAX_COMPONENTS}")
    entities = []
    for key, raw in components.items():
        if not isinstance(raw, dict):
            raise DiscoveryError(topic, f"component {key!r} must be a JSON object")
        own: dict[str, Any] = {ABBREVIATIONS.get(k, k): v for k, v in raw.items()}
        platform = own.pop("platform", None)
        if platform not in COMPONENTS:
            raise DiscoveryError(topic, f"component {key!r}: unsupported platform {platform!r}")
        if len(own) == 0:
            continue  # a platform alone asks for the component to be removed
        merged = {**{k: v for k, v in shared.items() if k != "origin"}, **own}
        entities.append(entity_from_dict(platform, str(key), node_id or object_id, merged,
                                         topic=f"{topic}#{key}",
                                         payload=json.dumps(merged, sort_keys=True).encode()))
    return entities


class Discovery:
    """The entities announced so far and the jipsa devices they make."""

    def __init__(self, *, prefix: str = DEFAULT_PREFIX, max_bytes: int = DEFAULT_MAX_PAYLOAD) -> None:
        self.prefix = prefix
        """The discovery prefix (``homeassistant``)."""
        self.max_bytes = max_bytes
        """Config payloads larger than this are refused."""
        self._entities: dict[str, Entity] = {}
        self._digests: dict[str, int] = {}
        """device-based config topic → the digest of the config last taken from it (an entity's own
        config's digest is in the entity)."""
        self._devices: dict[str, list[MqttDevice]] = {}
        # Indexes, so one config costs the size of its group, not of everything known.
        self._by_uid: dict[str, str] = {}
        """unique_id → the entity topic that owns it."""
        self._by_group: dict[str, tuple[str, ...]] = {}
        """group key → the entity topics in it, in the order they came."""
        self._children: dict[str, list[str]] = {}
        """device-based config topic → its entities' topics."""
        self._owner: dict[str, str] = {}
        """jipsa device id → the group key that made it."""

    @property
    def subscription(self) -> str:
        """The topic filter to subscribe to for discovery."""
        return f"{self.prefix}/#"

    @property
    def devices(self) -> Mapping[str, MqttDevice]:
        """Every device now known, by id."""
        return MappingProxyType({d.device.id: d for group in self._devices.values() for d in group})

    def entities(self) -> tuple[Entity, ...]:
        """Every entity now known."""
        return tuple(self._entities.values())

    def handle(self, topic: str, payload: bytes) -> Change:
        """Take one message from under the prefix; an empty :class:`Change` when it changes nothing.

        Messages that are not config messages (``homeassistant/status``) are ignored; a bad config raises
        :class:`DiscoveryError` and leaves everything as it was.
        """
        parsed = parse_topic(topic, self.prefix)
        if parsed is None:
            return Change()
        fresh = digest(payload) if payload else None
        known = self._entities.get(topic)
        if (known.digest if known is not None else self._digests.get(topic)) == fresh:
            return Change()  # the config we have, or nothing there to remove
        if parsed.component == _DEVICE_COMPONENT:
            new = parse_device_config(parsed.object_id, parsed.node_id, payload, topic=topic,
                                      max_bytes=self.max_bytes)
            old_topics = list(self._children.get(topic, ()))
        else:
            entity = parse_config(parsed.component, parsed.object_id, parsed.node_id, payload, topic=topic,
                                  max_bytes=self.max_bytes)
            new = [entity] if entity is not None else []
            old_topics = [topic] if topic in self._entities else []
        replaced = set(old_topics)
        self._guard(new, replaced)
        touched = {self._group_key(self._entities[t]) for t in old_topics} | {self._group_key(e) for e in new}
        members = {key: [self._entities[t] for t in self._by_group.get(key, ()) if t not in replaced]
                   for key in touched}
        for entity in new:
            members[self._group_key(entity)].append(entity)
        change, built = self._rebuild(members, topic)
        # Everything checked: now change the registry.
        for old in old_topics:
            self._forget(self._entities.pop(old))
        for entity in new:
            self._entities[entity.topic] = entity
            if entity.unique_id is not None:
                self._by_uid[entity.unique_id] = entity.topic
            key = self._group_key(entity)
            group = self._by_group.get(key, ())
            if entity.topic not in group:
                self._by_group[key] = (*group, entity.topic)
        if parsed.component == _DEVICE_COMPONENT:
            if new:
                self._children[topic] = [e.topic for e in new]
            else:
                self._children.pop(topic, None)
        for key, devices in built.items():
            for device in self._devices.get(key, []):
                self._owner.pop(device.device.id, None)
            if devices:
                self._devices[key] = devices
                for device in devices:
                    self._owner[device.device.id] = key
            else:
                self._devices.pop(key, None)
        if fresh is not None and parsed.component == _DEVICE_COMPONENT:
            self._digests[topic] = fresh
        else:
            self._digests.pop(topic, None)
        return change

    def _forget(self, entity: Entity) -> None:
        if entity.unique_id is not None and self._by_uid.get(entity.unique_id) == entity.topic:
            del self._by_uid[entity.unique_id]
        key = self._group_key(entity)
        group = tuple(t for t in self._by_group.get(key, ()) if t != entity.topic)
        if group:
            self._by_group[key] = group
        else:
            self._by_group.pop(key, None)

    def _guard(self, new: Sequence[Entity], replaced: set[str]) -> None:
        """Refuse entities that take over another config's unique id or another node's device."""
        claimed: dict[str, str] = {}
        for entity in new:
            uid = entity.unique_id
            if uid is not None:
                owner = claimed.get(uid) or self._by_uid.get(uid)
                if owner is not None and owner != entity.topic and owner not in replaced:
                    raise DiscoveryError(entity.topic, f"unique_id {uid!r} already belongs to {owner}; "
                                                       "the config is refused")
                claimed[uid] = entity.topic
            key = self._group_key(entity)
            if entity.node_id is None or key.startswith("\0"):
                continue
            for other_topic in self._by_group.get(key, ()):
                other = self._entities[other_topic]
                if (other_topic not in replaced and other_topic != entity.topic and other.node_id is not None
                        and other.node_id != entity.node_id):
                    raise DiscoveryError(entity.topic, f"device {key!r} already belongs to node "
                                                       f"{other.node_id!r}; the config is refused")

    @staticmethod
    def _group_key(entity: Entity) -> str:
        """The device's first identifier (no identifier holds a NUL); else NUL, ``uid:`` or ``topic:``
        and the entity's own."""
        if entity.device is not None and entity.device.identifiers:
            return entity.device.identifiers[0]
        if entity.unique_id:
            return one_copy("\0uid:" + entity.unique_id)
        return one_copy("\0topic:" + entity.topic)

    def _rebuild(self, members: Mapping[str, list[Entity]],
                 topic: str) -> tuple[Change, dict[str, list[MqttDevice]]]:
        """The devices of each touched group from its members, and what changed; nothing is stored."""
        built: dict[str, list[MqttDevice]] = {}
        for key, group in members.items():
            try:
                built[key] = build_devices(_group_id(key, group), group) if group else []
            except (ValueError, KeyError, TypeError) as exc:
                raise DiscoveryError(topic, f"cannot make a device of it: {exc}") from None
        for devices in built.values():
            for device in devices:
                owner = self._owner.get(device.device.id)
                if owner is not None and owner not in built:
                    raise DiscoveryError(topic, f"device id {device.device.id!r} is already taken")
        before = {d.device.id: d for key in built for d in self._devices.get(key, [])}
        after = {d.device.id: d for devices in built.values() for d in devices}
        change = Change(
            added=tuple(d for i, d in after.items() if i not in before),
            updated=tuple(d for i, d in after.items() if i in before and (
                before[i].signature != d.signature or before[i].device != d.device)),
            removed=tuple(i for i in before if i not in after))
        return change, built


def _group_id(key: str, members: list[Entity]) -> str:
    kind, _sep, value = key.partition(":")
    if not key.startswith("\0"):
        value = key
    elif kind == "\0topic":
        entity = members[0]
        value = "_".join(p for p in (entity.component, entity.node_id, entity.object_id) if p)
    return "mqtt_" + slug(value)
