"""Home Assistant MQTT discovery: retained config messages in, jipsa devices and their bindings out.

:func:`parse_topic` and :func:`parse_config` read one message (see ``config``); :class:`Discovery` keeps
every config seen so far, groups their entities by their ``device`` block and says, for each message,
which jipsa devices were added, updated or removed (see ``appliance`` for how a group becomes devices).
It is synchronous: the runtime feeds it messages from ``<prefix>/#`` and applies the :class:`Change`.

The configs are kept in a private SQLite database on disk (:class:`ConfigCache`), not as objects: a
config is needed again only when another entity of its appliance changes, and a hundred thousand
appliances' configs would otherwise be most of the process's memory. What stays in memory is the built
devices and a few hundred recently parsed entities (an appliance's entities come together).

Takeover guard: a config whose ``unique_id`` is already used by another discovery topic, or whose device
identifiers belong to a device announced under another node id, is refused with :class:`DiscoveryError`
and the original is kept.

Device-based discovery (one ``<prefix>/device/<object_id>/config`` message with a ``components`` map) is
read too: each component becomes an entity, with the message's shared options as its defaults.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

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
    "DEFAULT_MAX_PAYLOAD", "DEFAULT_PREFIX", "Change", "ConfigCache", "DeviceInfo", "Discovery",
    "DiscoveryError", "DiscoveryTopic", "Entity", "parse_config", "parse_device_config", "parse_topic",
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
    return [entity for entity, _options in _device_components(object_id, node_id, payload, topic=topic,
                                                              max_bytes=max_bytes)]


def _device_components(object_id: str, node_id: str | None, payload: bytes, *, topic: str,
                       max_bytes: int) -> list[tuple[Entity, bytes]]:
    """The entities of a device-based discovery message, each with the options it was made from (its
    component's own over the message's shared ones, as JSON)."""
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
        options = json.dumps(merged, sort_keys=True).encode()
        entities.append((entity_from_dict(platform, str(key), node_id or object_id, merged,
                                          topic=f"{topic}#{key}", payload=options), options))
    return entities


_Row = tuple[str, str, str, "str | None", bytes]
"""A kept entity config: ``(topic, component, object_id, node_id, payload)``."""


class ConfigCache:
    """The discovery configs taken so far, in a private SQLite database on disk, deleted when closed.

    One row per entity: its discovery topic (a device-based message's components as ``<topic>#<key>``),
    where it came from, its group, unique id and node, the digest of what it said and the payload to
    parse it from again; one row per device-based message (its digest only); and which group made each
    jipsa device. SQLite's page cache (2 MiB) is all it holds in memory.
    """

    def __init__(self) -> None:
        # An empty name: a temporary database of this connection's own, removed when it closes.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.executescript("""
            PRAGMA journal_mode = MEMORY;
            PRAGMA synchronous = OFF;
            CREATE TABLE config (
                topic TEXT PRIMARY KEY, digest INTEGER NOT NULL, component TEXT, object_id TEXT,
                node_id TEXT, grp TEXT, uid TEXT, payload BLOB);
            CREATE INDEX config_grp ON config (grp);
            CREATE INDEX config_uid ON config (uid);
            CREATE TABLE device (grp TEXT PRIMARY KEY, ids TEXT NOT NULL) WITHOUT ROWID;
        """)
        self._open = 0
        """Messages written in the open transaction."""

    def close(self) -> None:
        """Remove the database."""
        self._db.close()

    def known(self, topic: str) -> tuple[int, str | None] | None:
        """The digest of the config last taken from ``topic`` and its entity's group (``None`` for a
        device-based message); ``None`` when there is none."""
        row = self._db.execute("SELECT digest, grp FROM config WHERE topic = ?", (topic,)).fetchone()
        return None if row is None else (row[0], row[1])

    def children(self, topic: str) -> list[tuple[str, str | None]]:
        """``(topic, group)`` of each entity a device-based message made (``<topic>#<key>``)."""
        return self._db.execute("SELECT topic, grp FROM config WHERE topic > ? AND topic < ? ORDER BY topic",
                                (topic + "#", topic + "$")).fetchall()

    def members(self, key: str) -> list[_Row]:
        """``(topic, component, object_id, node_id, payload)`` of every entity in a group."""
        return self._db.execute("SELECT topic, component, object_id, node_id, payload FROM config "
                                "WHERE grp = ? ORDER BY topic", (key,)).fetchall()

    def uid_owner(self, uid: str) -> str | None:
        """The topic whose entity has this unique id."""
        row = self._db.execute("SELECT topic FROM config WHERE uid = ?", (uid,)).fetchone()
        return None if row is None else cast(str, row[0])

    def devices_of(self, keys: Iterable[str]) -> list[str]:
        """The ids of the jipsa devices these groups made."""
        out = []
        for key in keys:
            row = self._db.execute("SELECT ids FROM device WHERE grp = ?", (key,)).fetchone()
            if row is not None:
                out.extend(row[0].split(_ID_SEPARATOR))
        return out

    def all_entities(self) -> list[_Row]:
        """``(topic, component, object_id, node_id, payload)`` of every entity."""
        return self._db.execute("SELECT topic, component, object_id, node_id, payload FROM config "
                                "WHERE component IS NOT NULL ORDER BY topic").fetchall()

    def write(self, *, removed: Iterable[str], added: Iterable[tuple[Entity, str, bytes]],
              parent: tuple[str, int | None] | None, devices: Mapping[str, Sequence[str]]) -> None:
        """Change everything one message changed, at once: entity topics ``removed``; entities
        ``added`` as ``(entity, group, payload)``; a device-based message's digest (``None``:
        gone); the device ids of each rebuilt group."""
        db = self._db
        if not self._open:
            db.execute("BEGIN")
        # One transaction holds many messages (a commit writes every page it touched to the file);
        # a savepoint makes each message's changes all or nothing.
        db.execute("SAVEPOINT message")
        try:
            for topic in removed:
                db.execute("DELETE FROM config WHERE topic = ?", (topic,))
            for e, key, payload in added:
                db.execute("INSERT OR REPLACE INTO config VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (e.topic, e.digest, e.component, e.object_id, e.node_id, key, e.unique_id,
                            payload))
            if parent is not None:
                topic, fresh = parent
                if fresh is None:
                    db.execute("DELETE FROM config WHERE topic = ?", (topic,))
                else:
                    db.execute("INSERT OR REPLACE INTO config (topic, digest) VALUES (?, ?)", (topic, fresh))
            for key, ids in devices.items():
                if ids:
                    db.execute("INSERT OR REPLACE INTO device VALUES (?, ?)", (key, _ID_SEPARATOR.join(ids)))
                else:
                    db.execute("DELETE FROM device WHERE grp = ?", (key,))
            db.execute("RELEASE message")
        except BaseException:
            db.execute("ROLLBACK TO message")
            db.execute("RELEASE message")
            raise
        self._open += 1
        if self._open >= _MESSAGES_PER_COMMIT:
            db.execute("COMMIT")
            self._open = 0


_MESSAGES_PER_COMMIT = 256
_ID_SEPARATOR = "\n"  # device ids are slugs


class Discovery:
    """The entities announced so far and the jipsa devices they make."""

    def __init__(self, *, prefix: str = DEFAULT_PREFIX, max_bytes: int = DEFAULT_MAX_PAYLOAD) -> None:
        self.prefix = prefix
        """The discovery prefix (``homeassistant``)."""
        self.max_bytes = max_bytes
        """Config payloads larger than this are refused."""
        self._configs = ConfigCache()
        self._devices: dict[str, MqttDevice] = {}
        self._recent: dict[str, Entity] = {}
        """Entities parsed lately, by topic (at most :data:`_RECENT_ENTITIES`): the next config of the
        same appliance finds its siblings here without parsing them again."""

    def close(self) -> None:
        """Let go of the kept configs (the devices stay as they are)."""
        self._configs.close()

    @property
    def subscription(self) -> str:
        """The topic filter to subscribe to for discovery."""
        return f"{self.prefix}/#"

    @property
    def devices(self) -> Mapping[str, MqttDevice]:
        """Every device now known, by id."""
        return MappingProxyType(self._devices)

    def entities(self) -> tuple[Entity, ...]:
        """Every entity now known (parsed again from the kept configs)."""
        return tuple(self._load(row) for row in self._configs.all_entities())

    def handle(self, topic: str, payload: bytes) -> Change:
        """Take one message from under the prefix; an empty :class:`Change` when it changes nothing.

        Messages that are not config messages (``homeassistant/status``) are ignored; a bad config raises
        :class:`DiscoveryError` and leaves everything as it was.
        """
        parsed = parse_topic(topic, self.prefix)
        if parsed is None:
            return Change()
        fresh = digest(payload) if payload else None
        try:
            known = self._configs.known(topic)
            if (known[0] if known is not None else None) == fresh:
                return Change()  # the config we have, or nothing there to remove
            device_based = parsed.component == _DEVICE_COMPONENT
            if device_based:
                pairs = _device_components(parsed.object_id, parsed.node_id, payload, topic=topic,
                                           max_bytes=self.max_bytes)
                old = self._configs.children(topic)
            else:
                entity = parse_config(parsed.component, parsed.object_id, parsed.node_id, payload,
                                      topic=topic, max_bytes=self.max_bytes)
                pairs = [(entity, payload)] if entity is not None else []
                old = [(topic, known[1])] if known is not None else []
            new = [entity for entity, _source in pairs]
            old_topics = [t for t, _key in old]
            replaced = set(old_topics)
            touched = {key for _t, key in old if key is not None} | {_group_key(e) for e in new}
            rows = {key: [row for row in self._configs.members(key) if row[0] not in replaced]
                    for key in touched}
            self._guard(new, replaced, rows)
            members = {key: [self._load(row) for row in group] for key, group in rows.items()}
            for entity in new:
                members[_group_key(entity)].append(entity)
            change, built = self._rebuild(members, topic)
            # Everything checked: now change what is kept.
            self._configs.write(
                removed=old_topics, added=[(e, _group_key(e), source) for e, source in pairs],
                parent=(topic, fresh) if device_based else None,
                devices={key: [d.device.id for d in devices] for key, devices in built.items()})
        except sqlite3.Error as exc:
            raise DiscoveryError(topic, f"cannot keep the config: {exc}") from None
        for gone in old_topics:
            self._recent.pop(gone, None)
        for entity in new:
            self._remember(entity)
        for device_id in change.removed:
            del self._devices[device_id]
        for devices in built.values():
            for device in devices:
                self._devices[device.device.id] = device
        return change

    def _load(self, row: _Row) -> Entity:
        """An entity from its kept config (parsed again unless it was lately)."""
        topic, component, object_id, node_id, payload = row
        entity = self._recent.get(topic)
        if entity is None:
            entity = entity_from_dict(component, object_id, node_id, json.loads(payload), topic=topic,
                                      payload=payload)
            self._remember(entity)
        return entity

    def _remember(self, entity: Entity) -> None:
        recent = self._recent
        recent.pop(entity.topic, None)
        if len(recent) >= _RECENT_ENTITIES:
            del recent[next(iter(recent))]
        recent[entity.topic] = entity

    def _guard(self, new: Sequence[Entity], replaced: set[str], rows: Mapping[str, list[_Row]]) -> None:
        """Refuse entities that take over another config's unique id or another node's device (``rows``:
        what each of their groups holds apart from the configs they replace)."""
        claimed: dict[str, str] = {}
        for entity in new:
            uid = entity.unique_id
            if uid is not None:
                owner = claimed.get(uid) or self._configs.uid_owner(uid)
                if owner is not None and owner != entity.topic and owner not in replaced:
                    raise DiscoveryError(entity.topic, f"unique_id {uid!r} already belongs to {owner}; "
                                                       "the config is refused")
                claimed[uid] = entity.topic
            key = _group_key(entity)
            if entity.node_id is None or key.startswith("\0"):
                continue
            for other, _component, _object_id, node_id, _payload in rows[key]:
                if node_id is not None and node_id != entity.node_id and other != entity.topic:
                    raise DiscoveryError(entity.topic, f"device {key!r} already belongs to node "
                                                       f"{node_id!r}; the config is refused")

    def _rebuild(self, members: Mapping[str, list[Entity]],
                 topic: str) -> tuple[Change, dict[str, list[MqttDevice]]]:
        """The devices of each touched group from its members, and what changed; nothing is stored."""
        built: dict[str, list[MqttDevice]] = {}
        for key, group in members.items():
            try:
                built[key] = build_devices(_group_id(key, group), group) if group else []
            except (ValueError, KeyError, TypeError) as exc:
                raise DiscoveryError(topic, f"cannot make a device of it: {exc}") from None
        before = {i: self._devices[i] for i in self._configs.devices_of(built)}
        for devices in built.values():
            for device in devices:
                if device.device.id in self._devices and device.device.id not in before:
                    raise DiscoveryError(topic, f"device id {device.device.id!r} is already taken")
        after = {d.device.id: d for devices in built.values() for d in devices}
        change = Change(
            added=tuple(d for i, d in after.items() if i not in before),
            updated=tuple(d for i, d in after.items() if i in before and (
                before[i].signature != d.signature or before[i].device != d.device)),
            removed=tuple(i for i in before if i not in after))
        return change, built


_RECENT_ENTITIES = 512


def _group_key(entity: Entity) -> str:
    """The device's first identifier (no identifier holds a NUL); else NUL, ``uid:`` or ``topic:`` and the
    entity's own."""
    if entity.device is not None and entity.device.identifiers:
        return entity.device.identifiers[0]
    if entity.unique_id:
        return one_copy("\0uid:" + entity.unique_id)
    return one_copy("\0topic:" + entity.topic)


def _group_id(key: str, members: list[Entity]) -> str:
    kind, _sep, value = key.partition(":")
    if not key.startswith("\0"):
        value = key
    elif kind == "\0topic":
        entity = members[0]
        value = "_".join(p for p in (entity.component, entity.node_id, entity.object_id) if p)
    return "mqtt_" + slug(value)
