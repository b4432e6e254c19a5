"""The home file (YAML, JSON accepted): text in, :class:`Home` out, and back.

Sans-I/O: :func:`parse_home` takes the text and a file name for messages; reading and writing the file
is the caller's. Every error is a :class:`HomeFileError` with the file, the line and the key. Unknown keys
are errors, so a typo never passes silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml

from jipsa.core.capabilities import Value
from jipsa.core.devices import (
    Area,
    Device,
    DeviceClass,
    DeviceType,
    Home,
    HomeInfo,
    Routine,
    RoutineAction,
)
from jipsa.core.errors import CommandRejectedError, HomeFileError
from jipsa.core.validation import find_command, validate_command

MAX_HOME_FILE_BYTES = 16 * 1024 * 1024
"""A larger home file is refused before parsing."""

_HOME_KEYS = {"name", "language", "timezone", "style"}
_TOP_KEYS = {"home", "areas", "devices", "routines"}
_AREA_KEYS = {"id", "name", "aliases", "floor"}
_DEVICE_KEYS = {"id", "name", "aliases", "area", "type", "vendor", "device_class", "manufacturer",
                "model", "capabilities", "limits", "sensitive", "state"}
_LIMIT_KEYS = {"min", "max", "step", "values"}
_ROUTINE_KEYS = {"id", "name", "aliases", "actions"}
_ACTION_KEYS = {"device", "command", "args"}


class _Reader:
    """Walks PyYAML's node tree, keeping line numbers for messages."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, node: yaml.Node | None, message: str, key: str | None = None) -> HomeFileError:
        line = node.start_mark.line + 1 if node is not None else None
        return HomeFileError(message, file=self.file, line=line, key=key)

    def mapping(self, node: yaml.Node, path: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, "expected a mapping (key: value)", path)
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, "keys must be text", path)
            where = f"{path}.{key}" if path else key
            if key not in allowed:
                raise self.fail(key_node, f"unknown key {key!r}; expected one of "
                                          f"{', '.join(sorted(allowed))}", where)
            if key in out:
                raise self.fail(key_node, f"key {key!r} appears twice", where)
            out[key] = value_node
        return out

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "expected a list", path)
        return list(node.value)

    def scalar(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, "expected a single value", path)
        return _construct(node)

    def text(self, node: yaml.Node, path: str) -> str:
        # The raw scalar, not YAML 1.1's reading of it: a key `on` or a name `no` stays text.
        if not isinstance(node, yaml.ScalarNode) or _is_null(node) or not node.value.strip():
            raise self.fail(node, "expected non-empty text", path)
        return str(node.value).strip()

    def texts(self, node: yaml.Node, path: str) -> tuple[str, ...]:
        return tuple(self.text(item, f"{path}[{i}]") for i, item in enumerate(self.sequence(node, path)))

    def value(self, node: yaml.Node, path: str) -> Any:
        """Any plain data (for command args and state), as the safe loader builds it."""
        if isinstance(node, yaml.ScalarNode):
            return _construct(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return {self.text(k, path): self.value(v, f"{path}.{k.value}") for k, v in node.value}
        raise self.fail(node, "unsupported value", path)  # pragma: no cover


def _construct(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _wrap(reader: _Reader, node: yaml.Node, path: str, build: Callable[[], Any]) -> Any:
    """Run a domain constructor, turning its ``ValueError`` into a located :class:`HomeFileError`."""
    try:
        return build()
    except ValueError as exc:
        raise reader.fail(node, str(exc), path) from exc


def parse_home(text: str | bytes, file: str = "<home>") -> Home:
    """The :class:`Home` described by the text of a home file."""
    if isinstance(text, bytes):
        if len(text) > MAX_HOME_FILE_BYTES:
            raise HomeFileError(f"the file is larger than {MAX_HOME_FILE_BYTES} bytes", file=file)
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HomeFileError(f"not UTF-8 text (byte {exc.start})", file=file) from exc
    if len(text) > MAX_HOME_FILE_BYTES:
        raise HomeFileError(f"the file is larger than {MAX_HOME_FILE_BYTES} characters", file=file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise HomeFileError(f"not valid YAML: {exc.problem or exc}", file=file, line=line) from exc
    except yaml.YAMLError as exc:
        raise HomeFileError(f"not valid YAML: {exc}", file=file) from exc
    reader = _Reader(file)
    if root is None:
        raise HomeFileError("the file is empty", file=file)
    top = reader.mapping(root, "", _TOP_KEYS)
    info = _parse_info(reader, top.get("home"))
    areas = tuple(_parse_area(reader, node, f"areas[{i}]")
                  for i, node in enumerate(reader.sequence(top["areas"], "areas"))) \
        if "areas" in top else ()
    area_ids = {a.id for a in areas}
    _no_duplicates(reader, [(a.id, n) for a, n in zip(
        areas, reader.sequence(top["areas"], "areas") if "areas" in top else [], strict=True)], "areas")
    device_nodes = reader.sequence(top["devices"], "devices") if "devices" in top else []
    devices = tuple(_parse_device(reader, node, f"devices[{i}]", area_ids)
                    for i, node in enumerate(device_nodes))
    _no_duplicates(reader, [(d.id, n) for d, n in zip(devices, device_nodes, strict=True)], "devices")
    by_id = {d.id: d for d in devices}
    routine_nodes = reader.sequence(top["routines"], "routines") if "routines" in top else []
    routines = tuple(_parse_routine(reader, node, f"routines[{i}]", by_id)
                     for i, node in enumerate(routine_nodes))
    _no_duplicates(reader, [(r.id, n) for r, n in zip(routines, routine_nodes, strict=True)],
                   "routines")
    return _wrap(reader, root, "", lambda: Home(info, areas, devices, routines))


def _no_duplicates(reader: _Reader, items: list[tuple[str, yaml.Node]], path: str) -> None:
    seen: set[str] = set()
    for item_id, node in items:
        if item_id in seen:
            raise reader.fail(node, f"id {item_id!r} is used twice", f"{path}.id")
        seen.add(item_id)


def _parse_info(reader: _Reader, node: yaml.Node | None) -> HomeInfo:
    if node is None:
        return HomeInfo()
    fields = reader.mapping(node, "home", _HOME_KEYS)
    kwargs = {key: reader.text(value, f"home.{key}") for key, value in fields.items()}
    return _wrap(reader, node, "home", lambda: HomeInfo(**kwargs))  # type: ignore[arg-type]


def _parse_area(reader: _Reader, node: yaml.Node, path: str) -> Area:
    fields = reader.mapping(node, path, _AREA_KEYS)
    for key in ("id", "name"):
        if key not in fields:
            raise reader.fail(node, f"missing {key!r}", f"{path}.{key}")
    return _wrap(reader, node, path, lambda: Area(
        id=reader.text(fields["id"], f"{path}.id"),
        name=reader.text(fields["name"], f"{path}.name"),
        aliases=reader.texts(fields["aliases"], f"{path}.aliases") if "aliases" in fields else (),
        floor=reader.text(fields["floor"], f"{path}.floor") if "floor" in fields else None))


def _enum(reader: _Reader, node: yaml.Node, path: str, enum: type[DeviceType] | type[DeviceClass]) -> Any:
    raw = reader.text(node, path)
    try:
        return enum(raw)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise reader.fail(node, f"unknown value {raw!r}; expected one of {choices}", path) from None


def _parse_device(reader: _Reader, node: yaml.Node, path: str, area_ids: set[str]) -> Device:
    fields = reader.mapping(node, path, _DEVICE_KEYS)
    for key in ("id", "name", "type"):
        if key not in fields:
            raise reader.fail(node, f"missing {key!r}", f"{path}.{key}")
    device_id = reader.text(fields["id"], f"{path}.id")
    area = None
    if "area" in fields and not _is_null(fields["area"]):
        area = reader.text(fields["area"], f"{path}.area")
        if area not in area_ids:
            raise reader.fail(fields["area"], f"unknown area {area!r}", f"{path}.area")
    device_class = None
    if "device_class" in fields and not _is_null(fields["device_class"]):
        device_class = _enum(reader, fields["device_class"], f"{path}.device_class", DeviceClass)
    base = _wrap(reader, node, path, lambda: Device(
        id=device_id,
        name=reader.text(fields["name"], f"{path}.name"),
        type=_enum(reader, fields["type"], f"{path}.type", DeviceType),
        area=area,
        aliases=reader.texts(fields["aliases"], f"{path}.aliases") if "aliases" in fields else (),
        vendor=reader.text(fields["vendor"], f"{path}.vendor") if "vendor" in fields else "virtual",
        device_class=device_class,
        manufacturer=_optional_text(reader, fields, "manufacturer", path),
        model=_optional_text(reader, fields, "model", path),
        capabilities=reader.texts(fields["capabilities"], f"{path}.capabilities")
        if "capabilities" in fields else (),
        sensitive=reader.texts(fields["sensitive"], f"{path}.sensitive")
        if "sensitive" in fields else ()))
    limits = _parse_limits(reader, fields.get("limits"), f"{path}.limits", base)
    state = _parse_state(reader, fields.get("state"), f"{path}.state", base, limits)
    for i, command in enumerate(base.sensitive):
        if find_command(base, command) is None:
            raise reader.fail(fields["sensitive"], f"{base.id!r} has no command {command!r}",
                              f"{path}.sensitive[{i}]")
    return _wrap(reader, node, path, lambda: Device(
        id=base.id, name=base.name, type=base.type, area=base.area, aliases=base.aliases,
        vendor=base.vendor, device_class=base.device_class, manufacturer=base.manufacturer,
        model=base.model, capabilities=base.capabilities, limits=limits, sensitive=base.sensitive,
        initial_state=state))


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _optional_text(reader: _Reader, fields: Mapping[str, yaml.Node], key: str, path: str) -> str | None:
    if key not in fields or _is_null(fields[key]):
        return None
    return reader.text(fields[key], f"{path}.{key}")


def _parse_limits(reader: _Reader, node: yaml.Node | None, path: str, device: Device) -> dict[str, Any]:
    if node is None or _is_null(node):
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, "expected a mapping of attribute: {min, max, step, values}", path)
    out = {}
    names = {a.name for a in device.attributes()}
    for key_node, value_node in node.value:
        name = reader.text(key_node, path)
        where = f"{path}.{name}"
        if name not in names:
            raise reader.fail(key_node, f"{device.id!r} has no attribute {name!r}", where)
        spec = reader.mapping(value_node, where, _LIMIT_KEYS)
        attr = device.attribute(name)
        assert attr is not None  # names come from the device's own attributes
        nums = {}
        for key in ("min", "max", "step"):
            if key in spec:
                number = reader.scalar(spec[key], f"{where}.{key}")
                if isinstance(number, bool) or not isinstance(number, int | float):
                    raise reader.fail(spec[key], "expected a number", f"{where}.{key}")
                nums[key] = float(number)
        values = reader.texts(spec["values"], f"{where}.values") if "values" in spec else None
        out[name] = _wrap(reader, value_node, where, lambda a=attr, n=nums, v=values: a.narrowed(
            minimum=n.get("min"), maximum=n.get("max"), step=n.get("step"), values=v))
    return out


def _parse_state(reader: _Reader, node: yaml.Node | None, path: str, device: Device,
                 limits: Mapping[str, Any]) -> dict[str, Value]:
    if node is None or _is_null(node):
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, "expected a mapping of attribute: value", path)
    state: dict[str, Value] = {}
    for key_node, value_node in node.value:
        name = reader.text(key_node, path)
        where = f"{path}.{name}"
        attr = limits.get(name) or device.attribute(name)
        if attr is None:
            raise reader.fail(key_node, f"{device.id!r} has no attribute {name!r}", where)
        value = reader.value(value_node, where)
        problem = attr.check(value)
        if problem is not None:
            raise reader.fail(value_node, f"{value!r} is not valid for {name} "
                                          f"(allowed: {attr.describe_allowed()})", where)
        state[name] = attr.coerce(value)
    return state


def _parse_routine(reader: _Reader, node: yaml.Node, path: str, devices: Mapping[str, Device]) -> Routine:
    fields = reader.mapping(node, path, _ROUTINE_KEYS)
    for key in ("id", "name"):
        if key not in fields:
            raise reader.fail(node, f"missing {key!r}", f"{path}.{key}")
    actions = []
    action_nodes = reader.sequence(fields["actions"], f"{path}.actions") if "actions" in fields else []
    for i, action_node in enumerate(action_nodes):
        where = f"{path}.actions[{i}]"
        action = reader.mapping(action_node, where, _ACTION_KEYS)
        for key in ("device", "command"):
            if key not in action:
                raise reader.fail(action_node, f"missing {key!r}", f"{where}.{key}")
        device_id = reader.text(action["device"], f"{where}.device")
        device = devices.get(device_id)
        if device is None:
            raise reader.fail(action["device"], f"unknown device {device_id!r}", f"{where}.device")
        command = reader.text(action["command"], f"{where}.command")
        args = reader.value(action["args"], f"{where}.args") if "args" in action else {}
        if not isinstance(args, dict):
            raise reader.fail(action["args"], "expected a mapping of argument: value", f"{where}.args")
        try:
            validate_command(device, command, args)
        except CommandRejectedError as exc:
            raise reader.fail(action_node, exc.message_en, where) from exc
        actions.append(RoutineAction(device=device_id, command=command, args=args))
    return _wrap(reader, node, path, lambda: Routine(
        id=reader.text(fields["id"], f"{path}.id"),
        name=reader.text(fields["name"], f"{path}.name"),
        aliases=reader.texts(fields["aliases"], f"{path}.aliases") if "aliases" in fields else (),
        actions=tuple(actions)))


def home_to_dict(home: Home) -> dict[str, Any]:
    """The home file's data for a home, ready for :func:`dump_home` or JSON."""
    devices = []
    for dev in home.devices:
        item: dict[str, Any] = {"id": dev.id, "name": dev.name}
        if dev.aliases:
            item["aliases"] = list(dev.aliases)
        if dev.area:
            item["area"] = dev.area
        item["type"] = dev.type.value
        item["vendor"] = dev.vendor
        if dev.device_class:
            item["device_class"] = dev.device_class.value
        for key in ("manufacturer", "model"):
            if getattr(dev, key):
                item[key] = getattr(dev, key)
        item["capabilities"] = list(dev.capabilities)
        if dev.limits:
            item["limits"] = {name: _limit_dict(attr) for name, attr in dev.limits.items()}
        if dev.sensitive:
            item["sensitive"] = list(dev.sensitive)
        if dev.initial_state:
            item["state"] = dict(dev.initial_state)
        devices.append(item)
    return {
        "home": {"name": home.info.name, "language": home.info.language,
                 "timezone": home.info.timezone, "style": home.info.style},
        "areas": [{"id": a.id, "name": a.name, **({"aliases": list(a.aliases)} if a.aliases else {}),
                   **({"floor": a.floor} if a.floor else {})} for a in home.areas],
        "devices": devices,
        "routines": [{"id": r.id, "name": r.name, **({"aliases": list(r.aliases)} if r.aliases else {}),
                      "actions": [{"device": a.device, "command": a.command,
                                   **({"args": dict(a.args)} if a.args else {})} for a in r.actions]}
                     for r in home.routines],
    }


def _limit_dict(attr: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if attr.values:
        out["values"] = list(attr.values)
    for key, value in (("min", attr.minimum), ("max", attr.maximum), ("step", attr.step)):
        if value is not None and not attr.values:
            out[key] = int(value) if float(value).is_integer() else value
    return out


def dump_home(home: Home) -> str:
    """The YAML text of a home file for ``home``; :func:`parse_home` reads it back to an equal home."""
    return yaml.safe_dump(home_to_dict(home), allow_unicode=True, sort_keys=False, width=100)
