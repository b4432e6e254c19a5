"""The home file: the demo home loads and round-trips; every error names the file, the line and the key."""

from __future__ import annotations

import json
import time
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jipsa.core import (
    Device,
    DeviceClass,
    DeviceType,
    Home,
    HomeFileError,
    dump_home,
    parse_home,
    validate_command,
)
from jipsa.core.homefile import MAX_HOME_FILE_BYTES, home_to_dict

FILE = "home.yaml"


def demo_text() -> str:
    return resources.files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8")


def fails(text: str | bytes, *, line: int | None, key: str | None, says: str = "") -> HomeFileError:
    with pytest.raises(HomeFileError) as info:
        parse_home(text, file=FILE)
    err = info.value
    assert err.file == FILE
    assert err.line == line, str(err)
    assert err.key == key, str(err)
    assert says in err.message, str(err)
    rendered = str(err)
    assert rendered.startswith(FILE if line is None else f"{FILE}:{line}")
    if key:
        assert f"[{key}]" in rendered
    return err


# A small valid home; tests change one line of it. Line numbers are 1-based.
BASE = """\
home: {name: 우리집, language: ko}
areas:
  - id: living_room
    name: 거실
devices:
  - id: light.living_room
    name: 거실 조명
    area: living_room
    type: light
    state: {on: false, brightness: 80}
  - id: climate.living_room
    name: 거실 에어컨
    type: air_conditioner
    limits:
      target_temperature: {min: 18, max: 30}
    state:
      target_temperature: 24
routines:
  - id: movie
    name: 영화 모드
    actions:
      - {device: light.living_room, command: set_brightness, args: {brightness: 20}}
"""


def edit(line: int, new: str) -> str:
    lines = BASE.splitlines()
    lines[line - 1] = new
    return "\n".join(lines) + "\n"


def insert(after: int, new: str) -> str:
    lines = BASE.splitlines()
    lines[after:after] = new.splitlines()
    return "\n".join(lines) + "\n"


# -- the demo home ---------------------------------------------------------------------------------------

def test_demo_home_is_rich() -> None:
    home = parse_home(demo_text(), file="demo_home.yaml")
    assert len(home.devices) >= 20
    assert len({d.type for d in home.devices}) >= 12
    assert len({d.manufacturer for d in home.devices if d.manufacturer}) >= 3
    assert len(home.areas) >= 5
    assert home.language == "ko"
    for device in home.devices:
        assert device.area is None or home.area(device.area) is not None
        assert device.capabilities


def test_demo_home_round_trips_through_dump_home() -> None:
    home = parse_home(demo_text())
    text = dump_home(home)
    again = parse_home(text)
    assert again == home
    assert dump_home(again) == text


def test_demo_home_state_keys_stay_text() -> None:
    home = parse_home(demo_text())
    light = home.device("light.living_room")
    assert light is not None
    assert light.initial_state["on"] is False
    assert set(light.initial_state) == {"on", "brightness", "color_temp"}


def test_demo_ac_limits_narrow_the_catalogue() -> None:
    home = parse_home(demo_text())
    ac = home.device("climate.living_room")
    assert ac is not None
    attr = ac.attribute("target_temperature")
    assert attr is not None
    assert attr.describe_allowed() == "18–30 °C"


def test_demo_routines_validate() -> None:
    home = parse_home(demo_text())
    assert home.routines
    for routine in home.routines:
        for action in routine.actions:
            device = home.device(action.device)
            assert device is not None
            validate_command(device, action.command, action.args)


def test_json_is_accepted() -> None:
    home = parse_home(demo_text())
    as_json = json.dumps(home_to_dict(home), ensure_ascii=False, indent=2)
    assert parse_home(as_json, file="home.json") == home
    assert parse_home(as_json.encode("utf-8")) == home


def test_bytes_with_a_bom_are_read() -> None:
    assert parse_home("\ufeff".encode() + BASE.encode()) == parse_home(BASE)


def test_base_home() -> None:
    home = parse_home(BASE)
    assert [d.id for d in home.devices] == ["light.living_room", "climate.living_room"]
    ac = home.device("climate.living_room")
    assert ac is not None and ac.area is None
    assert ac.initial_state == {"target_temperature": 24.0}
    assert home.routines[0].actions[0].args == {"brightness": 20}
    assert parse_home(dump_home(home)) == home


def test_defaults() -> None:
    home = parse_home("devices:\n  - {id: plug.tv, name: TV 플러그, type: plug}\n")
    plug = home.device("plug.tv")
    assert plug is not None
    assert plug.vendor == "virtual"
    assert plug.capabilities == ("on_off", "power_measurement")
    assert home.name == "우리집" and home.info.timezone == "Asia/Seoul"
    assert parse_home("areas:\ndevices:\nroutines:\n") == Home(parse_home("areas: []").info)


def test_yaml_11_words_stay_text_where_text_is_expected() -> None:
    home = parse_home("areas: [{id: 'no', name: yes, aliases: [on, off]}]\n"
                      "devices: [{id: x, name: 'off', area: 'no', type: light, state: {on: yes}}]\n")
    assert home.areas[0].id == "no" and home.areas[0].name == "yes"
    assert home.areas[0].aliases == ("on", "off")
    device = home.device("x")
    assert device is not None and device.name == "off"
    assert device.initial_state == {"on": True}


def test_null_optional_fields() -> None:
    home = parse_home("devices: [{id: x, name: y, type: light, area: null, device_class: null, "
                      "manufacturer: ~, limits: null, state: null}]")
    assert home.devices[0] == Device(id="x", name="y", type=DeviceType.LIGHT)


def test_device_class_fits_type() -> None:
    home = parse_home("devices: [{id: door, name: 현관문, type: binary_sensor, device_class: door}]")
    assert home.devices[0].device_class is DeviceClass.DOOR


def test_sensitive_commands() -> None:
    home = parse_home("devices: [{id: fridge, name: 냉장고, type: refrigerator, sensitive: [turn_off]}]")
    assert home.devices[0].is_sensitive("on_off", "turn_off")
    fails("devices:\n  - id: fridge\n    name: 냉장고\n    type: refrigerator\n"
          "    sensitive:\n      - turn_off\n      - explode\n",
          line=7, key="devices[0].sensitive[1]", says="explode")


# -- malformed input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", b"", "---\n"])
def test_empty_file(text: str | bytes) -> None:
    fails(text, line=None, key=None, says="empty")


def test_malformed_yaml_names_the_line() -> None:
    err = fails(edit(7, "    name: [거실 조명"), line=8, key=None, says="not valid YAML")
    assert err.line is not None


def test_tab_indentation() -> None:
    fails(edit(7, "\tname: 거실 조명"), line=7, key=None, says="not valid YAML")


def test_not_utf8() -> None:
    fails("name: 거실".encode("euc-kr"), line=None, key=None, says="UTF-8")


@pytest.mark.parametrize("junk", [bytes(range(256)), b"\x00\x01\x02", b"\x89PNG\r\n\x1a\n\x00\x00",
                                  b"\xff\xfe\x00a"])
def test_binary_junk(junk: bytes) -> None:
    with pytest.raises(HomeFileError) as info:
        parse_home(junk, file=FILE)
    assert info.value.file == FILE


def test_control_characters_in_text_name_the_line() -> None:
    fails("home:\n  name: \x00\n", line=2, key=None, says="U+0000 is not allowed")


@pytest.mark.parametrize("as_bytes", [False, True])
def test_ten_megabytes_fail_fast(as_bytes: bool) -> None:
    big = "devices:\n" + "  - {id: x, name: y, type: light}\n" * 320_000
    assert len(big) > 10_000_000
    started = time.monotonic()
    fails(big.encode() if as_bytes else big, line=None, key=None, says="larger than")
    assert time.monotonic() - started < 1.0


def test_largest_allowed_size_is_a_megabyte() -> None:
    assert MAX_HOME_FILE_BYTES == 1024 * 1024


@pytest.mark.parametrize("text", ["[" * 5000, "{a: " * 5000, "- " * 5000 + "x"])
def test_deep_nesting(text: str) -> None:
    with pytest.raises(HomeFileError):
        parse_home(text, file=FILE)


@pytest.mark.parametrize(("text", "says"), [
    ("- a\n- b\n", "expected a mapping"),
    ("just text\n", "expected a mapping"),
    ("42\n", "expected a mapping"),
    ("devices: {id: x}\n", "expected a list"),
    ("devices: [x]\n", "expected a mapping"),
])
def test_wrong_shapes(text: str, says: str) -> None:
    with pytest.raises(HomeFileError, match=says) as info:
        parse_home(text, file=FILE)
    assert info.value.line == 1


def test_two_documents() -> None:
    fails("home: {name: a}\n---\nhome: {name: b}\n", line=2, key=None, says="not valid YAML")


# -- unknown keys ----------------------------------------------------------------------------------------

def test_unknown_top_key() -> None:
    fails(insert(17, "rooms: []"), line=18, key="rooms", says="unknown key 'rooms'")


def test_unknown_home_key() -> None:
    fails(edit(1, "home: {name: 우리집, langauge: ko}"), line=1, key="home.langauge", says="langauge")


def test_unknown_area_key() -> None:
    err = fails(insert(4, "    floors: 1층"), line=5, key="areas[0].floors", says="unknown key")
    assert "floor" in err.message  # the known keys are listed


def test_unknown_device_key() -> None:
    fails(insert(8, "    are: living_room"), line=9, key="devices[0].are", says="unknown key 'are'")


def test_unknown_limits_key() -> None:
    fails(edit(15, "      target_temperature: {min: 18, maximum: 30}"), line=15,
          key="devices[1].limits.target_temperature.maximum", says="unknown key 'maximum'")


def test_unknown_routine_key() -> None:
    fails(insert(20, "    alias: 영화"), line=21, key="routines[0].alias", says="unknown key")


def test_unknown_routine_action_key() -> None:
    fails(edit(22, "      - {device: light.living_room, command: turn_on, arg: {}}"), line=22,
          key="routines[0].actions[0].arg", says="unknown key 'arg'")


def test_key_twice() -> None:
    fails(insert(7, "    name: 또 조명"), line=8, key="devices[0].name", says="twice")


def test_state_key_twice() -> None:
    fails(insert(17, "      target_temperature: 25"), line=18,
          key="devices[1].state.target_temperature", says="twice")


def test_limit_key_twice() -> None:
    fails(insert(15, "      target_temperature: {min: 20}"), line=16,
          key="devices[1].limits.target_temperature", says="twice")


def test_non_text_key() -> None:
    fails(insert(8, "    [a]: b"), line=9, key="devices[0]", says="keys must be text")


# -- missing or wrong fields -----------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "key"), [(6, "id"), (7, "name"), (9, "type")])
def test_missing_device_field(line: int, key: str) -> None:
    text = edit(line, "    aliases: []") if line != 6 else edit(6, "  - aliases: []")
    fails(text, line=6, key=f"devices[0].{key}", says=f"missing {key!r}")


def test_missing_area_name() -> None:
    fails(edit(4, "    floor: 1층"), line=3, key="areas[0].name", says="missing 'name'")


def test_missing_routine_id() -> None:
    fails(edit(19, "  - aliases: []"), line=19, key="routines[0].id", says="missing 'id'")


def test_missing_action_command() -> None:
    fails(edit(22, "      - {device: light.living_room}"), line=22,
          key="routines[0].actions[0].command", says="missing 'command'")


def test_empty_name() -> None:
    fails(edit(7, "    name: ''"), line=7, key="devices[0].name", says="non-empty text")


def test_name_must_be_text() -> None:
    fails(edit(7, "    name: [a, b]"), line=7, key="devices[0].name", says="non-empty text")


def test_id_with_spaces() -> None:
    fails(edit(6, "  - id: light living room"), line=6, key="devices[0].id", says="no spaces")


def test_unknown_type() -> None:
    err = fails(edit(9, "    type: lamp"), line=9, key="devices[0].type", says="unknown value 'lamp'")
    assert "light" in err.message and "air_conditioner" in err.message


def test_unknown_device_class() -> None:
    fails(insert(9, "    device_class: sparkle"), line=10, key="devices[0].device_class",
          says="unknown value 'sparkle'")


def test_device_class_that_does_not_fit_the_type() -> None:
    fails(insert(9, "    device_class: motion"), line=10, key="devices[0].device_class",
          says="does not fit type 'light'")


def test_unknown_language() -> None:
    fails("home:\n  name: 집\n  language: fr\n", line=3, key="home.language", says="'fr'")


def test_unknown_style() -> None:
    fails("home:\n  style: rude\n", line=2, key="home.style", says="'rude'")


# -- ids and references ----------------------------------------------------------------------------------

def test_duplicate_device_ids() -> None:
    fails(edit(11, "  - id: light.living_room"), line=11, key="devices[1].id",
          says="'light.living_room' is used twice")


def test_duplicate_area_ids() -> None:
    fails(insert(4, "  - {id: living_room, name: 거실2}"), line=5, key="areas[1].id", says="used twice")


def test_duplicate_routine_ids() -> None:
    fails(BASE + "  - {id: movie, name: 또}\n", line=23, key="routines[1].id", says="used twice")


def test_unknown_area() -> None:
    err = fails(edit(8, "    area: garage"), line=8, key="devices[0].area", says="unknown area 'garage'")
    assert "living_room" in err.message


def test_unknown_capability() -> None:
    fails(insert(9, "    capabilities: [on_off, warp_drive]"), line=10, key="devices[0].capabilities",
          says="unknown capability 'warp_drive'")


def test_capability_listed_twice() -> None:
    fails(insert(9, "    capabilities: [on_off, on_off]"), line=10, key="devices[0].capabilities",
          says="twice")


# -- limits ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("limit", "bound", "says"), [
    ("{min: 2, max: 30}", "min", "below the catalogue's 5"),
    ("{min: 18, max: 90}", "max", "above the catalogue's 80"),
    ("{min: 18, max: .inf}", "max", "finite"),
    ("{min: .nan, max: 30}", "min", "finite"),
    ("{min: 18.3, max: 30}", "min", "off the catalogue's 0.5 steps"),
    ("{min: 18, max: 30, step: 0.25}", "step", "not a multiple"),
    ("{min: 18, max: 30, step: 0}", "step", "not a multiple"),
    ("{min: 18, max: 30, step: -1}", "step", "not a multiple"),
    ("{min: 25, max: 20}", "max", "minimum above maximum"),
    ("{min: eighteen}", "min", "expected a number"),
    ("{min: true}", "min", "expected a number"),
    ("{values: [cool]}", "values", "only a list of choices"),
])
def test_limits_cannot_widen_or_break_the_catalogue(limit: str, bound: str, says: str) -> None:
    fails(edit(15, f"      target_temperature: {limit}"), line=15,
          key=f"devices[1].limits.target_temperature.{bound}", says=says)


def test_limits_on_a_missing_attribute() -> None:
    fails(edit(15, "      brightness: {max: 50}"), line=15, key="devices[1].limits.brightness",
          says="no attribute 'brightness'")


def test_limits_must_be_a_mapping() -> None:
    fails(edit(15, "      target_temperature: 18"), line=15,
          key="devices[1].limits.target_temperature", says="expected a mapping")
    fails("devices:\n  - id: x\n    name: y\n    type: light\n    limits: [a]\n", line=5,
          key="devices[0].limits", says="expected a mapping")


def test_limits_on_enums_and_numbers() -> None:
    home = parse_home(insert(15, "      hvac_mode: {values: [cool, dry]}\n"
                                 "      fan_speed: {values: [low, high]}"))
    ac = home.device("climate.living_room")
    assert ac is not None
    assert ac.attribute("hvac_mode") is not None
    assert ac.attribute("hvac_mode").values == ("cool", "dry")  # type: ignore[union-attr]
    assert parse_home(dump_home(home)) == home
    fails(insert(15, "      hvac_mode: {values: [cool, warp]}"), line=16,
          key="devices[1].limits.hvac_mode.values", says="unknown values ['warp']")
    fails(insert(15, "      hvac_mode: {values: []}"), line=16,
          key="devices[1].limits.hvac_mode.values", says="at least one")
    fails(insert(15, "      hvac_mode: {min: 1}"), line=16,
          key="devices[1].limits.hvac_mode.min", says="only a number")


def test_narrower_step_is_kept() -> None:
    home = parse_home(edit(15, "      target_temperature: {min: 18, max: 30, step: 1}"))
    ac = home.device("climate.living_room")
    assert ac is not None
    assert validate_command(ac, "set_temperature", {"temperature": 21}).args == {"temperature": 21.0}
    with pytest.raises(Exception, match="steps of 1"):
        validate_command(ac, "set_temperature", {"temperature": 21.5})
    assert parse_home(dump_home(home)) == home


# -- initial state ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "key", "says"), [
    ("{on: false, brightness: 140}", "brightness", "allowed: 1–100 %"),
    ("{on: false, brightness: '80'}", "brightness", "allowed: 1–100 %"),
    ("{on: false, brightness: .nan}", "brightness", "allowed: 1–100 %"),
    ("{on: maybe, brightness: 80}", "on", "allowed: true, false"),
    ("{on: false, color: blue}", "color", "no attribute 'color'"),
    ("{on: false, brightness: [80]}", "brightness", "expected a single value"),
    ("{on: false, brightness: !!int abc}", "brightness", "cannot read the value"),
    ("{on: !!binary zz}", "on", "cannot read the value"),
    ("{on: !!python/object:os.system x}", "on", "cannot read the value"),
    ("{on: !custom x}", "on", "cannot read the value"),
    ("{on: false, brightness: !!timestamp 2026-13-40}", "brightness", "cannot read the value"),
])
def test_invalid_initial_state(state: str, key: str, says: str) -> None:
    fails(edit(10, f"    state: {state}"), line=10, key=f"devices[0].state.{key}", says=says)


def test_state_outside_the_device_limits() -> None:
    fails(edit(17, "      target_temperature: 16"), line=17,
          key="devices[1].state.target_temperature", says="allowed: 18–30 °C")


def test_state_must_be_a_mapping() -> None:
    fails(edit(10, "    state: on"), line=10, key="devices[0].state", says="expected a mapping")


# -- routines --------------------------------------------------------------------------------------------

def test_routine_action_with_an_unknown_device() -> None:
    fails(edit(22, "      - {device: light.garage, command: turn_on}"), line=22,
          key="routines[0].actions[0].device", says="unknown device 'light.garage'")


def test_routine_action_with_an_unknown_command() -> None:
    err = fails(edit(22, "      - {device: light.living_room, command: set_temperature}"), line=22,
                key="routines[0].actions[0].command", says="does not support 'set_temperature'")
    assert "set_brightness" in err.message


def test_routine_action_out_of_range() -> None:
    fails(edit(22, "      - {device: light.living_room, command: set_brightness, args: {brightness: 140}}"),
          line=22, key="routines[0].actions[0].args.brightness", says="1–100 %")


def test_routine_action_with_a_multiline_args() -> None:
    text = insert(22, "      - device: climate.living_room\n"
                      "        command: set_temperature\n"
                      "        args:\n"
                      "          temperature: 5\n")
    fails(text, line=26, key="routines[0].actions[1].args.temperature", says="18–30 °C")


def test_routine_action_unknown_argument() -> None:
    fails(edit(22, "      - {device: light.living_room, command: turn_on, args: {level: 3}}"),
          line=22, key="routines[0].actions[0].args", says="no argument level")


def test_routine_action_missing_argument() -> None:
    fails(edit(22, "      - {device: light.living_room, command: set_brightness}"),
          line=22, key="routines[0].actions[0]", says="needs 'brightness'")


def test_routine_action_args_must_be_scalars() -> None:
    fails(edit(22, "      - {device: light.living_room, command: set_brightness, args: &a {brightness: *a}}"),
          line=22, key="routines[0].actions[0].args.brightness", says="expected a single value")


def test_routine_args_are_coerced() -> None:
    home = parse_home(edit(22, "      - {device: climate.living_room, command: set_temperature, "
                               "args: {temperature: 24}}"))
    assert home.routines[0].actions[0].args == {"temperature": 24.0}


# -- arbitrary input -------------------------------------------------------------------------------------

def _parses_or_refuses(data: str | bytes) -> None:
    try:
        home = parse_home(data, file=FILE)
    except HomeFileError as err:
        assert err.file == FILE
        assert err.line is None or err.line >= 1
    else:
        assert isinstance(home, Home)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_home_file_error(text: str) -> None:
    _parses_or_refuses(text)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_home_file_error(data: bytes) -> None:
    _parses_or_refuses(data)


_yaml_words = st.sampled_from([
    "home", "areas", "devices", "routines", "id", "name", "type", "light", "air_conditioner", "state",
    "on", "off", "yes", "limits", "min", "max", "step", "values", "brightness", "target_temperature",
    "actions", "device", "command", "args", "turn_on", "set_brightness", "area", "living_room", "null",
    "~", "-1", "1.5", ".nan", "!!binary", "&a", "*a", "거실", "'", '"', "[", "]", "{", "}", ",", ":",
    "- ", "\n", "\n  ", "\n    ", "#", "!!int", "capabilities", "sensitive", "device_class", "motion",
])


@settings(max_examples=500)
@given(st.lists(_yaml_words, max_size=60).map(" ".join))
def test_yaml_shaped_junk_raises_only_home_file_error(text: str) -> None:
    _parses_or_refuses(text)


_device_type = st.sampled_from([t.value for t in DeviceType])
_state_value = st.one_of(st.booleans(), st.integers(-50, 200), st.floats(allow_nan=True),
                         st.sampled_from(["cool", "low", "idle", "docked", "x", ""]), st.none())


@settings(max_examples=300)
@given(st.lists(st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c"]), "name": st.text(min_size=1, max_size=5), "type": _device_type},
    optional={"state": st.dictionaries(st.sampled_from(["on", "brightness", "target_temperature",
                                                        "hvac_mode", "position", "locked"]),
                                       _state_value, max_size=3),
              "area": st.sampled_from(["living_room", "nowhere"])}), max_size=4))
def test_generated_homes_parse_or_refuse_and_round_trip(devices: list[dict[str, object]]) -> None:
    text = json.dumps({"areas": [{"id": "living_room", "name": "거실"}], "devices": devices},
                      ensure_ascii=False)
    try:
        home = parse_home(text, file=FILE)
    except HomeFileError as err:
        assert err.line is not None
        assert err.key or err.message.startswith("not valid YAML")
        return
    assert parse_home(dump_home(home)) == home


def test_routine_unknown_argument_is_reported_before_a_bad_value() -> None:
    fails(edit(22, "      - {device: light.living_room, command: set_brightness, "
                   "args: {brightness: 140, level: 3}}"),
          line=22, key="routines[0].actions[0].args", says="no argument level")
