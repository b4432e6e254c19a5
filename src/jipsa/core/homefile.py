"""The home file (YAML, JSON accepted): text in, :class:`Home` out, and back.

Sans-I/O: :func:`parse_home` takes the text and a file name for messages; reading and writing the file
is the caller's. Every error is a :class:`HomeFileError` with the file, the line and the key. Unknown keys
are errors, so a typo never passes silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import yaml

from jipsa.core.capabilities import Attribute, Value
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

# libyaml's composer is ten times faster and refuses nesting past 1,000 levels by itself.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_HOME_FILE_BYTES = 1024 * 1024
"""A larger home file is refused before parsing (a home of a thousand devices is well under it; the YAML
parser reads about a megabyte a second, so the cap keeps a bad file from stalling start-up)."""

_HOME_KEYS = {"name", "language", "timezone", "style"}
_TOP_KEYS = {"home", "areas", "devices", "routines"}
_AREA_KEYS = {"id", "name", "aliases", "floor"}
_DEVICE_KEYS = {"id", "name", "aliases", "area", "type", "vendor", "device_class", "manufacturer",
                "model", "capabilities", "limits", "sensitive", "state"}
_LIMIT_KEYS = {"min", "max", "step", "values"}
_ROUTINE_KEYS = {"id", "name", "aliases", "actions"}
_ACTION_KEYS = {"device", "command", "args"}
_VALUE_REASONS = {"out_of_range", "bad_step", "bad_value", "bad_type"}

_T = TypeVar("_T")


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

    def entries(self, node: yaml.Node, path: str, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """``(key, key node, value node)`` of a mapping whose keys are names, each name once."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"expected a mapping of {what}", path)
        out: list[tuple[str, yaml.Node, yaml.Node]] = []
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = self.text(key_node, path)
            if name in seen:
                raise self.fail(key_node, f"key {name!r} appears twice", f"{path}.{name}")
            seen.add(name)
            out.append((name, key_node, value_node))
        return out

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        if _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "expected a list", path)
        return list(node.value)

    def scalar(self, node: yaml.Node, path: str) -> Any:
        """A single plain value (number, text, true/false, null), as the safe loader reads it."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, "expected a single value", path)
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            # `!!int abc`, `!!binary` that is not base64, an unknown `!tag`, a 13th month …
            problem = getattr(exc, "problem", None) or str(exc)
            raise self.fail(node, f"cannot read the value: {problem}", path) from exc
        finally:
            loader.dispose()

    def text(self, node: yaml.Node, path: str) -> str:
        # The raw scalar, not YAML 1.1's reading of it: a key `on` or a name `no` stays text.
        if not isinstance(node, yaml.ScalarNode) or _is_null(node) or not node.value.strip():
            raise self.fail(node, "expected non-empty text", path)
        return str(node.value).strip()

    def texts(self, node: yaml.Node, path: str) -> tuple[str, ...]:
        return tuple(self.text(item, f"{path}[{i}]") for i, item in enumerate(self.sequence(node, path)))


def _wrap(reader: _Reader, node: yaml.Node, path: str, build: Callable[[], _T]) -> _T:
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
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise HomeFileError(f"not valid YAML: {exc.problem or exc}", file=file, line=line) from exc
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character, a lone surrogate): name its line.
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise HomeFileError(f"not valid YAML: character U+{code:04X} is not allowed", file=file,
                            line=line) from exc
    except yaml.YAMLError as exc:
        raise HomeFileError(f"not valid YAML: {exc}", file=file) from exc
    except RecursionError as exc:
        # PyYAML's composer recurses once per nesting level: `[[[[…` thousands deep exhausts the stack.
        raise HomeFileError("not valid YAML: nested too deeply", file=file) from exc
    reader = _Reader(file)
    if root is None or _is_null(root):
        raise HomeFileError("the file is empty", file=file)
    top = reader.mapping(root, "", _TOP_KEYS)
    info = _parse_info(reader, top.get("home"))
    area_nodes = reader.sequence(top["areas"], "areas") if "areas" in top else []
    areas = tuple(_parse_area(reader, node, f"areas[{i}]") for i, node in enumerate(area_nodes))
    _no_duplicates(reader, [a.id for a in areas], area_nodes, "areas")
    area_ids = {a.id for a in areas}
    device_nodes = reader.sequence(top["devices"], "devices") if "devices" in top else []
    devices = tuple(_parse_device(reader, node, f"devices[{i}]", area_ids)
                    for i, node in enumerate(device_nodes))
    _no_duplicates(reader, [d.id for d in devices], device_nodes, "devices")
    by_id = {d.id: d for d in devices}
    routine_nodes = reader.sequence(top["routines"], "routines") if "routines" in top else []
    routines = tuple(_parse_routine(reader, node, f"routines[{i}]", by_id)
                     for i, node in enumerate(routine_nodes))
    _no_duplicates(reader, [r.id for r in routines], routine_nodes, "routines")
    return _wrap(reader, root, "", lambda: Home(info, areas, devices, routines))


def _no_duplicates(reader: _Reader, ids: list[str], nodes: list[yaml.Node], path: str) -> None:
    first: dict[str, int] = {}
    for i, (item_id, node) in enumerate(zip(ids, nodes, strict=True)):
        if item_id in first:
            id_node = _child(node, "id")
            raise reader.fail(id_node or node, f"id {item_id!r} is used twice (first at {path}"
                                               f"[{first[item_id]}])", f"{path}[{i}].id")
        first[item_id] = i


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node, if there is one."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node  # type: ignore[no-any-return]
    return None


def _parse_info(reader: _Reader, node: yaml.Node | None) -> HomeInfo:
    if node is None or _is_null(node):
        return HomeInfo()
    fields = reader.mapping(node, "home", _HOME_KEYS)
    kwargs = {key: reader.text(value, f"home.{key}") for key, value in fields.items()}
    for key, value in kwargs.items():
        # Build each setting alone first, so an error points at its own line.
        try:
            HomeInfo(**{key: value})
        except ValueError as exc:
            raise reader.fail(fields[key], str(exc), f"home.{key}") from exc
    return _wrap(reader, node, "home", lambda: HomeInfo(**kwargs))


def _parse_area(reader: _Reader, node: yaml.Node, path: str) -> Area:
    fields = reader.mapping(node, path, _AREA_KEYS)
    for key in ("id", "name"):
        if key not in fields:
            raise reader.fail(node, f"missing {key!r}", f"{path}.{key}")
    area_id = reader.text(fields["id"], f"{path}.id")
    name = reader.text(fields["name"], f"{path}.name")
    _wrap(reader, fields["id"], f"{path}.id", lambda: Area(id=area_id, name=name))
    return _wrap(reader, node, path, lambda: Area(
        id=area_id, name=name,
        aliases=reader.texts(fields["aliases"], f"{path}.aliases") if "aliases" in fields else (),
        floor=_optional_text(reader, fields, "floor", path)))


def _enum(reader: _Reader, node: yaml.Node, path: str, enum: type[_E]) -> _E:
    raw = reader.text(node, path)
    try:
        return enum(raw)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise reader.fail(node, f"unknown value {raw!r}; expected one of {choices}", path) from None


_E = TypeVar("_E", DeviceType, DeviceClass)


def _parse_device(reader: _Reader, node: yaml.Node, path: str, area_ids: set[str]) -> Device:
    fields = reader.mapping(node, path, _DEVICE_KEYS)
    for key in ("id", "name", "type"):
        if key not in fields:
            raise reader.fail(node, f"missing {key!r}", f"{path}.{key}")
    device_id = reader.text(fields["id"], f"{path}.id")
    name = reader.text(fields["name"], f"{path}.name")
    device_type = _enum(reader, fields["type"], f"{path}.type", DeviceType)
    # Each field is checked on its own first, so an error points at the offending key's line.
    _wrap(reader, fields["id"], f"{path}.id", lambda: Device(id=device_id, name=name, type=device_type))
    area = None
    if "area" in fields and not _is_null(fields["area"]):
        area = reader.text(fields["area"], f"{path}.area")
        if area not in area_ids:
            known = ", ".join(sorted(area_ids)) or "none"
            raise reader.fail(fields["area"], f"unknown area {area!r}; areas: {known}", f"{path}.area")
    device_class = None
    if "device_class" in fields and not _is_null(fields["device_class"]):
        device_class = _enum(reader, fields["device_class"], f"{path}.device_class", DeviceClass)
        dc = device_class
        _wrap(reader, fields["device_class"], f"{path}.device_class",
              lambda: Device(id=device_id, name=name, type=device_type, device_class=dc))
    capabilities: tuple[str, ...] = ()
    if "capabilities" in fields:
        capabilities = reader.texts(fields["capabilities"], f"{path}.capabilities")
        caps = capabilities
        _wrap(reader, fields["capabilities"], f"{path}.capabilities",
              lambda: Device(id=device_id, name=name, type=device_type, device_class=device_class,
                             capabilities=caps))
    base = _wrap(reader, node, path, lambda: Device(
        id=device_id,
        name=name,
        type=device_type,
        area=area,
        aliases=reader.texts(fields["aliases"], f"{path}.aliases") if "aliases" in fields else (),
        vendor=reader.text(fields["vendor"], f"{path}.vendor") if "vendor" in fields else "virtual",
        device_class=device_class,
        manufacturer=_optional_text(reader, fields, "manufacturer", path),
        model=_optional_text(reader, fields, "model", path),
        capabilities=capabilities,
        sensitive=reader.texts(fields["sensitive"], f"{path}.sensitive")
        if "sensitive" in fields else ()))
    limits = _parse_limits(reader, fields.get("limits"), f"{path}.limits", base)
    state = _parse_state(reader, fields.get("state"), f"{path}.state", base, limits)
    if "sensitive" in fields:
        for i, (command, item) in enumerate(zip(base.sensitive, reader.sequence(fields["sensitive"], ""),
                                                strict=True)):
            if find_command(base, command) is None:
                raise reader.fail(item, f"{base.id!r} has no command {command!r}", f"{path}.sensitive[{i}]")
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


def _parse_limits(reader: _Reader, node: yaml.Node | None, path: str,
                  device: Device) -> dict[str, Attribute]:
    if node is None or _is_null(node):
        return {}
    out: dict[str, Attribute] = {}
    for name, key_node, value_node in reader.entries(node, path, "attribute: {min, max, step, values}"):
        where = f"{path}.{name}"
        attr = device.attribute(name)
        if attr is None:
            known = ", ".join(a.name for a in device.attributes())
            raise reader.fail(key_node, f"{device.id!r} has no attribute {name!r}; it has: {known}", where)
        spec = reader.mapping(value_node, where, _LIMIT_KEYS)
        nums: dict[str, float] = {}
        for key in ("min", "max", "step"):
            if key in spec:
                number = reader.scalar(spec[key], f"{where}.{key}")
                if isinstance(number, bool) or not isinstance(number, int | float):
                    raise reader.fail(spec[key], f"expected a number, not {number!r}", f"{where}.{key}")
                nums[key] = float(number)
        values = reader.texts(spec["values"], f"{where}.values") if "values" in spec else None
        narrowed = attr
        for key in ("min", "max", "step", "values"):
            # Narrow one bound at a time, so the error points at the line of the bound at fault.
            if key in spec:
                narrowed = _narrow(reader, spec[key], f"{where}.{key}", narrowed, key,
                                   nums.get(key), values)
        out[name] = narrowed
    return out


def _narrow(reader: _Reader, node: yaml.Node, path: str, attr: Attribute, key: str,
            number: float | None, values: tuple[str, ...] | None) -> Attribute:
    try:
        if key == "values":
            return attr.narrowed(values=values)
        return attr.narrowed(minimum=number if key == "min" else None,
                             maximum=number if key == "max" else None,
                             step=number if key == "step" else None)
    except ValueError as exc:
        raise reader.fail(node, str(exc), path) from exc


def _parse_state(reader: _Reader, node: yaml.Node | None, path: str, device: Device,
                 limits: Mapping[str, Attribute]) -> dict[str, Value]:
    if node is None or _is_null(node):
        return {}
    state: dict[str, Value] = {}
    for name, key_node, value_node in reader.entries(node, path, "attribute: value"):
        where = f"{path}.{name}"
        attr = limits.get(name) or device.attribute(name)
        if attr is None:
            known = ", ".join(a.name for a in device.attributes())
            raise reader.fail(key_node, f"{device.id!r} has no attribute {name!r}; it has: {known}", where)
        value = reader.scalar(value_node, where)
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
    routine_id = reader.text(fields["id"], f"{path}.id")
    name = reader.text(fields["name"], f"{path}.name")
    _wrap(reader, fields["id"], f"{path}.id", lambda: Routine(id=routine_id, name=name))
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
        args: dict[str, Any] = {}
        arg_nodes: dict[str, yaml.Node] = {}
        if "args" in action and not _is_null(action["args"]):
            for arg, _key_node, value_node in reader.entries(action["args"], f"{where}.args",
                                                              "argument: value"):
                args[arg] = reader.scalar(value_node, f"{where}.args.{arg}")
                arg_nodes[arg] = value_node
        try:
            validated = validate_command(device, command, args)
        except CommandRejectedError as exc:
            bad_arg = _invalid_arg(device, command, args)
            if exc.reason == "unsupported_command":
                at, key = action["command"], f"{where}.command"
            elif exc.reason in _VALUE_REASONS and bad_arg is not None and bad_arg in arg_nodes:
                at, key = arg_nodes[bad_arg], f"{where}.args.{bad_arg}"
            elif "args" in action:
                at, key = action["args"], f"{where}.args"
            else:
                at, key = action_node, where
            raise reader.fail(at, exc.message_en, key) from exc
        actions.append(RoutineAction(device=device_id, command=command, args=validated.args))
    return _wrap(reader, node, path, lambda: Routine(
        id=routine_id,
        name=name,
        aliases=reader.texts(fields["aliases"], f"{path}.aliases") if "aliases" in fields else (),
        actions=tuple(actions)))


def _invalid_arg(device: Device, command: str, args: Mapping[str, Any]) -> str | None:
    """The first argument whose value the command's attribute refuses, to point an error at its line."""
    found = find_command(device, command)
    if found is None:
        return None
    for param, attr_name in found[1].params:
        attr = device.attribute(attr_name)
        if param in args and attr is not None and attr.check(args[param]) is not None:
            return param
    return None


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


def _limit_dict(attr: Attribute) -> dict[str, Any]:
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
