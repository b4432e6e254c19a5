"""Home Assistant MQTT discovery configs: topic and JSON payload in, a checked :class:`Entity` out.

A config arrives on ``<prefix>/<component>/[<node_id>/]<object_id>/config``. Its keys may be abbreviated
(``stat_t`` for ``state_topic``), ``~`` at either end of a topic stands for the base topic, and every
template is compiled here, so a config that is malformed or outside what jipsa supports fails at once
with a :class:`DiscoveryError` naming the topic, and never with any other exception.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import sys
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, cast

from jipsa.adapters.mqtt.binding import AvailabilityMode, AvailabilityTopic, slot, slot_index
from jipsa.adapters.mqtt.template import Template, TemplateError, compile_template

DEFAULT_PREFIX = "homeassistant"
"""Home Assistant's discovery prefix."""

DEFAULT_MAX_PAYLOAD = 64 * 1024
"""A larger config payload is refused unread."""

COMPONENTS: frozenset[str] = frozenset({
    "light", "switch", "climate", "fan", "cover", "lock", "sensor", "binary_sensor", "humidifier",
    "vacuum", "number", "select", "button", "water_heater", "valve",
})
"""The entity components jipsa maps to devices."""

ABBREVIATIONS: Mapping[str, str] = {
    "act_t": "action_topic", "act_tpl": "action_template", "avty": "availability",
    "avty_mode": "availability_mode", "avty_t": "availability_topic", "avty_tpl": "availability_template",
    "bri_cmd_t": "brightness_command_topic", "bri_cmd_tpl": "brightness_command_template",
    "bri_scl": "brightness_scale", "bri_stat_t": "brightness_state_topic",
    "bri_tpl": "brightness_template", "bri_val_tpl": "brightness_value_template",
    "clr_temp_cmd_t": "color_temp_command_topic", "clr_temp_cmd_tpl": "color_temp_command_template",
    "clr_temp_stat_t": "color_temp_state_topic", "clr_temp_tpl": "color_temp_template",
    "clr_temp_val_tpl": "color_temp_value_template", "clrm": "color_mode",
    "clrm_stat_t": "color_mode_state_topic", "clrm_val_tpl": "color_mode_value_template",
    "cmd_off_tpl": "command_off_template", "cmd_on_tpl": "command_on_template", "cmd_t": "command_topic",
    "cmd_tpl": "command_template", "cmps": "components",
    "curr_hum_t": "current_humidity_topic", "curr_hum_tpl": "current_humidity_template",
    "curr_temp_t": "current_temperature_topic", "curr_temp_tpl": "current_temperature_template",
    "dev": "device", "dev_cla": "device_class", "dsp_prc": "display_precision", "e": "encoding",
    "en": "enabled_by_default", "ent_cat": "entity_category", "ent_pic": "entity_picture",
    "exp_aft": "expire_after", "fan_mode_cmd_t": "fan_mode_command_topic",
    "fan_mode_cmd_tpl": "fan_mode_command_template", "fan_mode_stat_t": "fan_mode_state_topic",
    "fan_mode_stat_tpl": "fan_mode_state_template", "fanspd_lst": "fan_speed_list",
    "frc_upd": "force_update", "fx_cmd_t": "effect_command_topic", "fx_list": "effect_list",
    "fx_stat_t": "effect_state_topic", "fx_val_tpl": "effect_value_template",
    "hs_cmd_t": "hs_command_topic", "hs_cmd_tpl": "hs_command_template", "hs_stat_t": "hs_state_topic",
    "hs_val_tpl": "hs_value_template", "hum_cmd_t": "target_humidity_command_topic",
    "hum_cmd_tpl": "target_humidity_command_template", "hum_stat_t": "target_humidity_state_topic",
    "hum_state_tpl": "target_humidity_state_template", "ic": "icon", "init": "initial",
    "json_attr": "json_attributes", "json_attr_t": "json_attributes_topic",
    "json_attr_tpl": "json_attributes_template", "max": "max", "max_hum": "max_humidity",
    "max_kelvin": "max_kelvin", "max_mirs": "max_mireds", "max_temp": "max_temp", "min": "min",
    "min_hum": "min_humidity", "min_kelvin": "min_kelvin", "min_mirs": "min_mireds",
    "min_temp": "min_temp", "mode_cmd_t": "mode_command_topic", "mode_cmd_tpl": "mode_command_template",
    "mode_stat_t": "mode_state_topic", "mode_stat_tpl": "mode_state_template", "modes": "modes",
    "name": "name", "o": "origin", "obj_id": "object_id", "off_dly": "off_delay",
    "on_cmd_type": "on_command_type", "ops": "options", "opt": "optimistic", "p": "platform",
    "osc_cmd_t": "oscillation_command_topic", "osc_cmd_tpl": "oscillation_command_template",
    "osc_stat_t": "oscillation_state_topic", "osc_val_tpl": "oscillation_value_template",
    "pl_osc_on": "payload_oscillation_on", "pl_osc_off": "payload_oscillation_off",
    "pct_cmd_t": "percentage_command_topic", "pct_cmd_tpl": "percentage_command_template",
    "pct_stat_t": "percentage_state_topic", "pct_val_tpl": "percentage_value_template",
    "r_tpl": "red_template", "g_tpl": "green_template", "b_tpl": "blue_template",
    "pl": "payload", "pl_avail": "payload_available", "pl_cln_sp": "payload_clean_spot",
    "pl_cls": "payload_close", "pl_loc": "payload_locate", "pl_lock": "payload_lock",
    "pl_not_avail": "payload_not_available", "pl_off": "payload_off", "pl_on": "payload_on",
    "pl_open": "payload_open", "pl_paus": "payload_pause", "pl_prs": "payload_press",
    "pl_ret": "payload_return_to_base", "pl_rst": "payload_reset", "pl_stop": "payload_stop",
    "pl_strt": "payload_start", "pl_stpa": "payload_start_pause", "pl_unlk": "payload_unlock",
    "pos_clsd": "position_closed", "pos_open": "position_open", "pos_t": "position_topic",
    "pos_tpl": "position_template", "pow_cmd_t": "power_command_topic",
    "pow_cmd_tpl": "power_command_template", "pr_mode_cmd_t": "preset_mode_command_topic",
    "pr_mode_cmd_tpl": "preset_mode_command_template", "pr_mode_stat_t": "preset_mode_state_topic",
    "pr_mode_val_tpl": "preset_mode_value_template", "pr_modes": "preset_modes", "ret": "retain",
    "rgb_cmd_t": "rgb_command_topic", "rgb_cmd_tpl": "rgb_command_template", "rgb_stat_t": "rgb_state_topic",
    "rgb_val_tpl": "rgb_value_template", "send_cmd_t": "send_command_topic",
    "set_fan_spd_t": "set_fan_speed_topic", "set_pos_t": "set_position_topic",
    "set_pos_tpl": "set_position_template", "spd_rng_max": "speed_range_max",
    "spd_rng_min": "speed_range_min", "stat_cla": "state_class", "stat_clsd": "state_closed",
    "stat_closing": "state_closing", "stat_jam": "state_jammed", "stat_locked": "state_locked",
    "stat_locking": "state_locking", "stat_off": "state_off", "stat_on": "state_on",
    "stat_open": "state_open", "stat_opening": "state_opening", "stat_stopped": "state_stopped",
    "stat_t": "state_topic", "stat_tpl": "state_template", "stat_unlocked": "state_unlocked",
    "stat_unlocking": "state_unlocking", "stat_val_tpl": "state_value_template", "step": "step",
    "swing_mode_cmd_t": "swing_mode_command_topic", "swing_mode_cmd_tpl": "swing_mode_command_template",
    "swing_mode_stat_t": "swing_mode_state_topic", "swing_mode_stat_tpl": "swing_mode_state_template",
    "swing_modes": "swing_modes", "tilt_clsd_val": "tilt_closed_value", "tilt_cmd_t": "tilt_command_topic",
    "tilt_cmd_tpl": "tilt_command_template", "tilt_max": "tilt_max", "tilt_min": "tilt_min",
    "tilt_opnd_val": "tilt_opened_value", "tilt_opt": "tilt_optimistic", "tilt_status_t": "tilt_status_topic",
    "tilt_status_tpl": "tilt_status_template",
    "sug_dsp_prc": "suggested_display_precision", "sup_clrm": "supported_color_modes",
    "sup_feat": "supported_features", "t": "topic", "temp_cmd_t": "temperature_command_topic",
    "temp_cmd_tpl": "temperature_command_template", "temp_stat_t": "temperature_state_topic",
    "temp_stat_tpl": "temperature_state_template", "temp_step": "temp_step", "temp_unit": "temperature_unit",
    "uniq_id": "unique_id", "unit_of_meas": "unit_of_measurement", "val_tpl": "value_template",
}
"""Home Assistant's abbreviations of config keys (the ones relevant to the components above)."""

DEVICE_ABBREVIATIONS: Mapping[str, str] = {
    "cns": "connections", "cu": "configuration_url", "hw": "hw_version", "ids": "identifiers",
    "mdl": "model", "mdl_id": "model_id", "mf": "manufacturer", "name": "name", "sa": "suggested_area",
    "sn": "serial_number", "sw": "sw_version", "via_device": "via_device",
}
"""Abbreviations inside the ``device`` block."""

AVAILABILITY_ABBREVIATIONS: Mapping[str, str] = {
    "t": "topic", "pl_avail": "payload_available", "pl_not_avail": "payload_not_available",
    "val_tpl": "value_template",
}
"""Abbreviations inside an ``availability`` entry."""

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "light": ("command_topic",), "fan": ("command_topic",), "lock": ("command_topic",),
    "sensor": ("state_topic",), "binary_sensor": ("state_topic",),
    "humidifier": ("command_topic", "target_humidity_command_topic"), "number": ("command_topic",),
    "select": ("command_topic", "options"), "button": ("command_topic",),
}
"""Keys a component cannot do without (as Home Assistant requires them)."""

_NUMBER_KEYS = frozenset({
    "min", "max", "step", "min_temp", "max_temp", "temp_step", "precision", "min_humidity",
    "max_humidity", "brightness_scale", "position_open", "position_closed", "speed_range_min",
    "speed_range_max", "min_mireds", "max_mireds", "min_kelvin", "max_kelvin", "qos", "tilt_min", "tilt_max",
    "tilt_closed_value", "tilt_opened_value",
})
_LIST_KEYS = frozenset({
    "modes", "options", "preset_modes", "fan_modes", "swing_modes", "fan_speed_list", "effect_list",
    "supported_color_modes", "supported_features",
})
_BOOL_KEYS = frozenset({"optimistic", "retain", "brightness", "color_temp_kelvin", "reports_position"})
_TEXT_KEYS = frozenset({
    "unique_id", "object_id", "device_class", "unit_of_measurement", "schema", "availability_mode",
    "entity_category", "temperature_unit", "on_command_type", "state_class", "platform", "encoding",
})
_NOT_PAYLOADS = frozenset({"state_class"})
_MAX_TOPIC_BYTES = 1024
_MAX_LIST = 256
_COMPONENT_RE = re.compile(r"^[a-z_]+$")
_ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")


class DiscoveryError(ValueError):
    """A discovery message jipsa cannot use; ``topic`` is where it came from."""

    def __init__(self, topic: str, message: str) -> None:
        self.topic = topic
        self.message = message
        super().__init__(f"{topic}: {message}")


@dataclass(frozen=True, slots=True)
class DiscoveryTopic:
    """The parts of a discovery topic."""

    component: str
    """``light``, ``sensor`` …"""
    node_id: str | None
    """The optional middle level (often the device)."""
    object_id: str
    """The entity's id within the node."""


def parse_topic(topic: str, prefix: str = DEFAULT_PREFIX) -> DiscoveryTopic | None:
    """The parts of ``<prefix>/<component>/[<node_id>/]<object_id>/config``; ``None`` for other topics."""
    if not topic.startswith(prefix + "/") or not topic.endswith("/config"):
        return None
    levels = topic[len(prefix) + 1:-len("/config")].split("/")
    if len(levels) not in (2, 3) or not all(levels):
        return None
    if not _COMPONENT_RE.match(levels[0]) or not all(_ID_RE.match(level) for level in levels[1:]):
        return None
    node = one_copy(levels[1]) if len(levels) == 3 else None
    return DiscoveryTopic(one_copy(levels[0]), node, one_copy(levels[-1]))


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """The ``device`` block: which appliance an entity belongs to."""

    identifiers: tuple[str, ...] = ()
    """Ids of the appliance (a Zigbee IEEE address, a MAC …); connections count as ``type:value``."""
    name: str | None = None
    """Its name."""
    manufacturer: str | None = None
    """Its maker."""
    model: str | None = None
    """Its model name."""
    model_id: str | None = None
    """Its model number (jipsa's simulator puts its type hint here: ``jipsa.washer``)."""
    suggested_area: str | None = None
    """Where the maker or user thinks it is."""


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class Form:
    """What a config says apart from where: its options with every topic replaced by a :func:`slot` token.

    A thousand lights of one model announce the same form with other topics, so they share one object
    (see :func:`_form`); forms are compared by identity.
    """

    component: str
    """``light``, ``sensor`` …"""
    config: Mapping[str, Any]
    """Every key, unabbreviated, with ``~`` expanded and types checked for the keys jipsa reads; topics
    as slot tokens; not the ``device`` and ``availability`` blocks, nor the ids."""
    templates: Mapping[str, Template]
    """The compiled templates by key."""
    availability: tuple[AvailabilityTopic, ...] = ()
    """Its availability topics (as slot tokens)."""
    availability_mode: AvailabilityMode = "latest"
    """How several availability topics combine."""


@dataclass(frozen=True, slots=True)
class Entity:
    """One checked discovery config: its shared :class:`Form` and what is its own (topics and ids)."""

    topic: str
    """The discovery topic it came on."""
    object_id: str
    """The entity's id within its node."""
    node_id: str | None
    """The node, if the topic has one."""
    form: Form
    """Its options, shared with every config that says the same apart from topics and ids."""
    topics: tuple[str, ...] = ()
    """The topics its form's slot tokens stand for, in slot order."""
    unique_id: str | None = None
    """Its unique id, if it has one."""
    device: DeviceInfo | None = None
    """The appliance it belongs to, if it says."""
    digest: int = field(default=0, compare=False, repr=False)
    """A 64-bit hash of the raw config (to tell an unchanged config from a changed one without keeping
    it)."""

    @property
    def component(self) -> str:
        """``light``, ``sensor`` …"""
        return self.form.component

    @property
    def config(self) -> Mapping[str, Any]:
        """Its options (topics in it are slot tokens: read topics with :meth:`text`)."""
        return self.form.config

    @property
    def availability(self) -> tuple[AvailabilityTopic, ...]:
        """Its availability topics."""
        return tuple(replace(a, topic=self._topic(a.topic)) for a in self.form.availability)

    @property
    def availability_mode(self) -> AvailabilityMode:
        """How several availability topics combine."""
        return self.form.availability_mode

    @property
    def name(self) -> str | None:
        """Its name (``None``: the device's name alone)."""
        value = self.form.config.get("name")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def device_class(self) -> str | None:
        """Its device class, if any."""
        return cast(str | None, self.form.config.get("device_class"))

    def text(self, key: str, default: str | None = None) -> str | None:
        """A text option (topics, payloads, device class …)."""
        value = self.form.config.get(key)
        if not isinstance(value, str):
            return default
        return self._topic(value) if key.endswith("_topic") else value

    def _topic(self, token: str) -> str:
        index = slot_index(token)
        return token if index is None else self.topics[index]

    def number(self, key: str, default: float | None = None) -> float | None:
        """A number option."""
        value = self.form.config.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default

    def strings(self, key: str) -> tuple[str, ...]:
        """A list option."""
        value = self.form.config.get(key)
        return tuple(value) if isinstance(value, list | tuple) else ()

    def flag(self, key: str, default: bool = False) -> bool:
        """A yes/no option."""
        value = self.form.config.get(key)
        return value if isinstance(value, bool) else default

    def template(self, key: str) -> Template | None:
        """A compiled template option."""
        return self.form.templates.get(key)

    @property
    def words(self) -> str:
        """Everything that names it (object id, unique id, name and device names), for keyword hints."""
        parts = [self.object_id, self.unique_id or "", self.name or ""]
        return " ".join(parts).lower()

    def placed(self, topics: tuple[str, ...]) -> Entity:
        """The same form with other topics and no ids: what a shared binding is built from, its topics
        being a device's slot tokens."""
        return Entity("", "", None, self.form, topics)


def parse_config(component: str, object_id: str, node_id: str | None, payload: bytes, *,
                 topic: str | None = None, max_bytes: int = DEFAULT_MAX_PAYLOAD) -> Entity | None:
    """The entity a discovery payload describes; ``None`` for an empty payload (remove the entity)."""
    where = topic or "/".join(p for p in (DEFAULT_PREFIX, component, node_id, object_id, "config") if p)
    if not payload:
        return None
    if len(payload) > max_bytes:
        raise DiscoveryError(where, f"config of {len(payload)} bytes is over the {max_bytes}-byte limit")
    if component not in COMPONENTS:
        raise DiscoveryError(where, f"unsupported component {component!r}; jipsa maps "
                                    f"{', '.join(sorted(COMPONENTS))}")
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        raise DiscoveryError(where, f"config is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DiscoveryError(where, f"config must be a JSON object, not {type(data).__name__}")
    return entity_from_dict(component, object_id, node_id, data, topic=where, payload=payload)


def entity_from_dict(component: str, object_id: str, node_id: str | None, data: Mapping[str, Any], *,
                     topic: str, payload: bytes = b"") -> Entity:
    """The entity of an already decoded config (used for Zigbee2MQTT's synthesized configs too);
    ``payload`` is the raw config, of which only the :attr:`~Entity.digest` is kept."""
    config = _expand(data)
    _expand_base(config, topic)
    # An appliance's entities repeat its topics and device block, one message after another: one string
    # object for each (see `one_copy`). What configs of many appliances share (keys, payloads, templates)
    # ends up in one shared `Form`.
    config = {key: _shared(value) for key, value in config.items()}
    templates: dict[str, Template] = {}
    for key, value in config.items():
        _check(topic, key, value, templates)
    required = REQUIRED.get(component, ())
    if component == "light" and config.get("schema") == "template":
        required = (*required, "command_on_template", "command_off_template")
    for key in required:
        if key not in config:
            raise DiscoveryError(topic, f"{component} config needs {key!r}")
    device = _device(topic, config.get("device"))
    availability, mode = _availability(topic, config)
    unique_id = config.get("unique_id")
    kept = {key: value for key, value in config.items() if key not in _PARSED}
    # Topics become slot tokens, in the order of the sorted keys, so configs that differ only in their
    # topics and ids have equal forms.
    topics: dict[str, str] = {}
    for key in sorted(kept):
        value = kept[key]
        if key.endswith("_topic") and isinstance(value, str):
            kept[key] = topics.setdefault(value, slot(len(topics)))
    placed = []
    for entry in availability:
        token = topics.setdefault(entry.topic, slot(len(topics)))
        placed.append(_availability_topic(token, entry.payload_available, entry.payload_not_available,
                                          entry.template))
    form = _form(component, kept, templates, tuple(placed), mode)
    return Entity(topic, object_id, node_id, form, tuple(topics), unique_id, device, digest(payload))


def _form(component: str, config: dict[str, Any], templates: dict[str, Template],
          availability: tuple[AvailabilityTopic, ...], mode: AvailabilityMode) -> Form:
    """One object for equal forms, as long as any entity holds it."""
    try:
        key = (component, _frozen(config), availability, mode)
        hash(key)
    except TypeError:  # pragma: no cover - JSON values freeze to hashable ones
        return Form(component, MappingProxyType(config), MappingProxyType(templates), availability, mode)
    form = _FORMS.get(key)
    if form is None:
        form = Form(component, MappingProxyType(config), MappingProxyType(templates), availability, mode)
        _FORMS[key] = form
    return form


_FORMS: weakref.WeakValueDictionary[object, Form] = weakref.WeakValueDictionary()


def _frozen(value: Any) -> Any:
    """A hashable copy of a JSON value (its type kept apart: ``1`` and ``True`` differ)."""
    if isinstance(value, dict):
        return ("{}", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("[]", tuple(_frozen(v) for v in value))
    return (type(value).__name__, value)


_PARSED = frozenset({"device", "availability", "origin", "unique_id", "object_id"})
"""Keys not kept in a :class:`Form`: read into :class:`Entity` fields already, or of no use."""


def digest(payload: bytes) -> int:
    """A 64-bit hash of a config payload, to tell whether it changed (signed, as SQLite's integers are)."""
    return int.from_bytes(hashlib.blake2b(payload, digest_size=8).digest(), "big", signed=True)


def _shared(value: Any) -> Any:
    """``value`` with its texts as :func:`one_copy` gives them."""
    if isinstance(value, str):
        return one_copy(value)
    if isinstance(value, list):
        return [_shared(item) for item in value]
    if isinstance(value, dict):
        return {sys.intern(k) if isinstance(k, str) else k: _shared(v) for k, v in value.items()}
    return value


def one_copy(text: str) -> str:
    """The same text as one recently seen, as that object, so texts repeated close together are stored once.

    Unlike :func:`sys.intern` this keeps no table that grows with every topic and id of every device: it
    remembers the last few thousand texts only, which covers the entities of one appliance, announced
    together.
    """
    kept = _RECENT.get(text)
    if kept is not None:
        return kept
    if len(_RECENT) >= _RECENT_SIZE:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[text] = text
    return text


_RECENT: dict[str, str] = {}
_RECENT_SIZE = 4096


def _expand(data: Mapping[str, Any]) -> dict[str, Any]:
    return {sys.intern(ABBREVIATIONS.get(key, key)): value for key, value in data.items()}


def _expand_base(config: dict[str, Any], topic: str) -> None:
    base = config.pop("~", None)
    if base is None:
        return
    if not isinstance(base, str) or not base:
        raise DiscoveryError(topic, "'~' (the base topic) must be non-empty text")

    def expand(value: str) -> str:
        if value.startswith("~"):
            value = base + value[1:]
        if value.endswith("~"):
            value = value[:-1] + base
        return value

    for key, value in config.items():
        if key.endswith("topic") and isinstance(value, str) and value:
            config[key] = expand(value)
    entries = config.get("availability")
    if isinstance(entries, list):
        config["availability"] = [
            {**entry, "topic": expand(entry["topic"])} if isinstance(entry, dict)
            and isinstance(entry.get("topic"), str) and entry["topic"] else entry
            for entry in ({AVAILABILITY_ABBREVIATIONS.get(k, k): v for k, v in e.items()}
                          if isinstance(e, dict) else e for e in entries)]


def _check(topic: str, key: str, value: Any, templates: dict[str, Template]) -> None:
    if key.endswith("_topic") and key != "json_attributes_topic":
        _topic(topic, key, value)
    elif key.endswith("_template"):
        if not isinstance(value, str):
            raise DiscoveryError(topic, f"{key} must be text")
        try:
            templates[key] = compile_template(value)
        except TemplateError as exc:
            raise DiscoveryError(topic, f"{key}: {exc}") from None
    elif key in _NUMBER_KEYS:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise DiscoveryError(topic, f"{key} must be a number, not {value!r}"[:200])
    elif key in _LIST_KEYS:
        if not isinstance(value, list) or len(value) > _MAX_LIST or not all(
                isinstance(v, str) for v in value):
            raise DiscoveryError(topic, f"{key} must be a list of at most {_MAX_LIST} texts")
    elif key in _BOOL_KEYS:
        if not isinstance(value, bool):
            raise DiscoveryError(topic, f"{key} must be true or false, not {value!r}"[:200])
    elif key in _TEXT_KEYS:
        if not isinstance(value, str):
            raise DiscoveryError(topic, f"{key} must be text, not {value!r}"[:200])
    elif key == "name" and value is not None and not isinstance(value, str):
        raise DiscoveryError(topic, "name must be text or null")
    elif ((key.startswith(("payload_", "state_")) and key not in _NOT_PAYLOADS) or key == "payload") and (
            isinstance(value, dict | list)):
        raise DiscoveryError(topic, f"{key} must be text, a number or a boolean")


def _topic(topic: str, key: str, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise DiscoveryError(topic, f"{key} must be a non-empty topic")
    if "+" in value or "#" in value or "\0" in value or len(value.encode()) > _MAX_TOPIC_BYTES:
        raise DiscoveryError(topic, f"{key} {value[:80]!r} is not a valid topic to use "
                                    "(no wildcards, at most {_MAX_TOPIC_BYTES} bytes)")


def payload_text(value: Any) -> str:
    """A configured payload as Home Assistant compares it (``true`` → ``"True"``)."""
    return str(value)


def _device(topic: str, block: Any) -> DeviceInfo | None:
    if block is None:
        return None
    if not isinstance(block, dict):
        raise DiscoveryError(topic, "device must be a JSON object")
    data = {DEVICE_ABBREVIATIONS.get(k, k): v for k, v in block.items()}
    ids = data.get("identifiers", [])
    if isinstance(ids, str | int):
        ids = [ids]
    if not isinstance(ids, list) or not all(
            isinstance(i, str | int) and not isinstance(i, bool) for i in ids):
        raise DiscoveryError(topic, "device identifiers must be text or a list of texts")
    identifiers = [one_copy(str(i)) for i in ids if str(i)]
    if any("\0" in i for i in identifiers):
        raise DiscoveryError(topic, "device identifiers must not hold a NUL character")
    connections = data.get("connections", [])
    if not isinstance(connections, list):
        raise DiscoveryError(topic, "device connections must be a list of [type, id] pairs")
    for pair in connections:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise DiscoveryError(topic, "device connections must be a list of [type, id] pairs")
        identifiers.append(one_copy(f"{pair[0]}:{pair[1].lower()}".replace("\0", "")))
    texts: dict[str, str | None] = {}
    for key in ("name", "manufacturer", "model", "model_id", "suggested_area"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise DiscoveryError(topic, f"device {key} must be text")
        text = value.strip() or None if isinstance(value, str) else None
        # Makers, models and rooms repeat across thousands of devices: one object each. (Interned texts
        # are freed once nothing holds them.)
        texts[key] = sys.intern(text) if text is not None and key != "name" else text
    return _device_info(tuple(identifiers), **texts)


@functools.lru_cache(maxsize=256)  # an appliance's entities come together
def _device_info(identifiers: tuple[str, ...], name: str | None, manufacturer: str | None, model: str | None,
                 model_id: str | None, suggested_area: str | None) -> DeviceInfo:
    """One object for the same device block (every entity of an appliance repeats it)."""
    return DeviceInfo(identifiers, name, manufacturer, model, model_id, suggested_area)


_MODES: tuple[AvailabilityMode, ...] = ("all", "any", "latest")


def _availability(topic: str, config: Mapping[str, Any]) -> tuple[tuple[AvailabilityTopic, ...],
                                                                   AvailabilityMode]:
    mode = config.get("availability_mode", "latest")
    if mode not in _MODES:
        raise DiscoveryError(topic, f"availability_mode must be all, any or latest, not {mode!r}"[:200])
    on = config.get("payload_available", "online")
    off = config.get("payload_not_available", "offline")
    single = config.get("availability_topic")
    entries = config.get("availability")
    if single is not None and entries is not None:
        raise DiscoveryError(topic, "use availability_topic or availability, not both")
    out: list[AvailabilityTopic] = []
    if single is not None:
        out.append(_availability_topic(single, payload_text(on), payload_text(off),
                                       config_template(topic, config.get("availability_template"))))
    if entries is not None:
        if not isinstance(entries, list) or len(entries) > 16:
            raise DiscoveryError(topic, "availability must be a list of at most 16 entries")
        for raw in entries:
            if not isinstance(raw, dict):
                raise DiscoveryError(topic, "each availability entry must be a JSON object")
            entry = {AVAILABILITY_ABBREVIATIONS.get(k, k): v for k, v in raw.items()}
            _topic(topic, "availability.topic", entry.get("topic"))
            for key in ("payload_available", "payload_not_available"):
                if isinstance(entry.get(key), dict | list):
                    raise DiscoveryError(topic, f"availability {key} must be text")
            out.append(_availability_topic(entry["topic"],
                                           payload_text(entry.get("payload_available", "online")),
                                           payload_text(entry.get("payload_not_available", "offline")),
                                           config_template(topic, entry.get("value_template"))))
    return tuple(out), cast(AvailabilityMode, mode)


@functools.lru_cache(maxsize=256)
def _availability_topic(topic: str, available: str, not_available: str,
                        template: Template | None) -> AvailabilityTopic:
    """One object for the same availability topic (every entity of an appliance usually repeats it)."""
    return AvailabilityTopic(topic, available, not_available, template)


def config_template(topic: str, text: Any) -> Template | None:
    """A compiled template from a config value, or ``None`` when there is none."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise DiscoveryError(topic, "a template must be text")
    try:
        return compile_template(text)
    except TemplateError as exc:
        raise DiscoveryError(topic, str(exc)) from None
