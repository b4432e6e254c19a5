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
from collections.abc import Mapping
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
    entity_from_dict,
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
        self._payloads: dict[str, bytes] = {}
        self._devices: dict[str, list[MqttDevice]] = {}

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
        if self._payloads.get(topic, b"") == payload:
            return Change()
        if parsed.component == _DEVICE_COMPONENT:
            new = parse_device_config(parsed.object_id, parsed.node_id, payload, topic=topic,
                                      max_bytes=self.max_bytes)
            old_topics = [t for t in self._entities if t.startswith(topic + "#")]
        else:
            entity = parse_config(parsed.component, parsed.object_id, parsed.node_id, payload, topic=topic,
                                  max_bytes=self.max_bytes)
            new = [entity] if entity is not None else []
            old_topics = [topic] if topic in self._entities else []
        entities = dict(self._entities)
        for old in old_topics:
            del entities[old]
        for entity in new:
            self._guard(entity, entities)
            entities[entity.topic] = entity
        touched = {self._group_key(self._entities[t]) for t in old_topics} | {self._group_key(e) for e in new}
        change, devices = self._rebuild(entities, touched, topic)
        self._entities = entities
        self._devices = devices
        if payload:
            self._payloads[topic] = payload
        else:
            self._payloads.pop(topic, None)
        return change

    def _guard(self, entity: Entity, entities: Mapping[str, Entity]) -> None:
        for other in entities.values():
            if other.topic == entity.topic:
                continue
            if entity.unique_id is not None and other.unique_id == entity.unique_id:
                raise DiscoveryError(entity.topic, f"unique_id {entity.unique_id!r} already belongs to "
                                                   f"{other.topic}; the config is refused")
            if (entity.node_id is not None and other.node_id is not None and entity.node_id != other.node_id
                    and self._group_key(other) == self._group_key(entity)
                    and self._group_key(entity).startswith("dev:")):
                device = self._group_key(entity)[4:]
                raise DiscoveryError(entity.topic, f"device {device!r} already belongs to node "
                                                   f"{other.node_id!r}; the config is refused")

    @staticmethod
    def _group_key(entity: Entity) -> str:
        if entity.device is not None and entity.device.identifiers:
            return "dev:" + entity.device.identifiers[0]
        if entity.unique_id:
            return "uid:" + entity.unique_id
        return "topic:" + entity.topic

    def _rebuild(self, entities: Mapping[str, Entity], touched: set[str],
                 topic: str) -> tuple[Change, dict[str, list[MqttDevice]]]:
        devices = dict(self._devices)
        before = {d.device.id: d for key in touched for d in self._devices.get(key, [])}
        for key in touched:
            members = [e for e in entities.values() if self._group_key(e) == key]
            try:
                built = build_devices(_group_id(key, members), members) if members else []
            except (ValueError, KeyError, TypeError) as exc:
                raise DiscoveryError(topic, f"cannot make a device of it: {exc}") from None
            if built:
                devices[key] = built
            else:
                devices.pop(key, None)
        taken = {d.device.id: key for key, group in devices.items() if key not in touched for d in group}
        for key in touched:
            for device in devices.get(key, []):
                if device.device.id in taken:
                    raise DiscoveryError(topic, f"device id {device.device.id!r} is already taken")
        after = {d.device.id: d for key in touched for d in devices.get(key, [])}
        change = Change(
            added=tuple(d for i, d in after.items() if i not in before),
            updated=tuple(d for i, d in after.items() if i in before and (
                before[i].signature != d.signature or before[i].device != d.device)),
            removed=tuple(i for i in before if i not in after))
        return change, devices


def _group_id(key: str, members: list[Entity]) -> str:
    kind, _sep, value = key.partition(":")
    if kind == "topic":
        entity = members[0]
        value = "_".join(p for p in (entity.component, entity.node_id, entity.object_id) if p)
    return "mqtt_" + slug(value)
