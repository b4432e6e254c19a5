"""The safe value-template evaluator: the common Home Assistant forms, refusals, and never raising."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.adapters.mqtt.template import (
    MAX_TEMPLATE_CHARS,
    TemplateError,
    compile_template,
    parse_json,
)

Z2M = (
    '{"state":"ON","brightness":128,"temperature":21.456,"occupancy":true,"color":{"x":0.3,"y":0.4},'
    '"modes":["heat","off"],"system_mode":"heat","battery":97}'
)


@pytest.mark.parametrize(
    ("template", "payload", "expected"),
    [
        ("{{ value }}", "ON", "ON"),
        ("{{value}}", "21.5", "21.5"),
        ("{{ value | float }}", "21.5", 21.5),
        ("{{ value | int }}", "12.7", 12),
        ("{{ value_json.state }}", Z2M, "ON"),
        ("{{ value_json.color.x }}", Z2M, 0.3),
        ("{{ value_json['brightness'] }}", Z2M, 128),
        ('{{ value_json["system_mode"] }}', Z2M, "heat"),
        ("{{ value_json.modes[0] }}", Z2M, "heat"),
        ("{{ value_json.modes[-1] }}", Z2M, "off"),
        ("{{ value_json.temperature | round(1) }}", Z2M, 21.5),
        ("{{ value_json.temperature | round }}", Z2M, 21),
        ("{{ value_json.brightness * 10 }}", Z2M, 1280),
        ("{{ value_json.brightness / 2 }}", Z2M, 64.0),
        ("{{ value_json.brightness + 2 - 1 }}", Z2M, 129),
        ("{{ (value_json.battery | float) / 10 }}", Z2M, 9.7),
        ("{{ value_json.state | lower }}", Z2M, "on"),
        ("{{ value_json.system_mode | upper }}", Z2M, "HEAT"),
        ("{{ value_json.missing | default('off') }}", Z2M, "off"),
        ("{{ value_json.missing | default(0) }}", Z2M, 0),
        ("{{ value_json.brightness | string }}", Z2M, "128"),
        ("{{ value_json.occupancy }}", Z2M, True),
        ("{{ value_json.state | is_defined }}", Z2M, "ON"),
        ("{{ 'ON' if value_json.state == 'ON' else 'OFF' }}", Z2M, "ON"),
        ("{{ 'on' if value_json.battery != 97 else 'off' }}", Z2M, "off"),
        ("{{ 'low' if value_json.battery < 20 else 'ok' }}", Z2M, "ok"),
        ("{{ value_json.state if value_json is defined else value }}", "online", "online"),
        ("{{ value_json.state if value_json is defined else value }}", '{"state":"offline"}', "offline"),
        ("{{ value_json.x is not defined }}", "{}", True),
        ("{{ not value_json.occupancy }}", Z2M, False),
        ("{{ value_json.occupancy and value_json.battery > 50 }}", Z2M, True),
        ("{{ -value_json.battery }}", Z2M, -97),
        ("{{ value_json.battery // 10 % 4 }}", Z2M, 1),
        ("{{ 'a' ~ value_json.battery }}", Z2M, "a97"),
        ('{"mode": "{{ value }}"}', "heat", '{"mode": "heat"}'),
        ("  {{ value_json.battery }}  ", Z2M, 97),
        ("plain", "anything", "plain"),
        ("{{ value_json.x | float(0) }}", '{"x": "n/a"}', 0),
        ("{{ value | bool }}", "on", True),
    ],
)
def test_renders_common_forms(template: str, payload: str, expected: object) -> None:
    got = compile_template(template).render(payload)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("template", "payload"),
    [
        ("{{ value_json.missing }}", "{}"),
        ("{{ value_json.x.y }}", '{"x": 3}'),
        ("{{ value_json.x }}", "not json"),
        ("{{ value_json.x / 0 }}", '{"x": 1}'),
        ("{{ value | int }}", "abc"),
        ("{{ value | float }}", "nan"),
        ("{{ value_json.x * 2 }}", '{"x": "two"}'),
        ("{{ value_json }}", '{"a": 1}'),
        ("{{ value_json.modes[9] }}", Z2M),
        ("{{ value_json.missing | is_defined }}", "{}"),
        ("{{ value_json.x ** 2 }}", '{"x": 2}'),
        ("{{ value_json.x < 'a' }}", '{"x": 2}'),
        ("{{ value_json.x * 10 ** 20 }}", '{"x": 1e308}'),
    ],
)
def test_render_failures_give_none(template: str, payload: str) -> None:
    try:
        compiled = compile_template(template)
    except TemplateError:
        return  # refusing at compile time is as good
    assert compiled.render(payload) is None


@pytest.mark.parametrize(
    "template",
    [
        "{{ foo }}",
        "{{ states('sensor.x') }}",
        "{{ value.__class__ }}",
        "{{ value_json.x() }}",
        "{{ value | attr('x') }}",
        "{% for x in value_json %}{{ x }}{% endfor %}",
        "{% set x = 1 %}{{ x }}",
        "{% if value %}on",
        "{% else %}off{% endif %}",
        "{% endif %}",
        "{% if value %}a{% else %}b{% elif value %}c{% endif %}",
        "{% if value %}a{% else value %}b{% endif %}",
        "{% if %}a{% endif %}",
        "{% if foo %}a{% endif %}",
        "{{ value }} %}",
        "{{ value ",
        "{{ }}",
        "{{ value_json[ }}",
        "{{ 1 == 2 == 3 }}",
        "{{ value | round(1, 2, 3, 4) }}",
        "{{ " + "(" * 40 + "value" + ")" * 40 + " }}",
        "{{ " + "-" * 500 + "1 }}",
        "{{ value }}" + " " * MAX_TEMPLATE_CHARS,
        "{{ 'unterminated }}",
        "{{ value ; }}",
    ],
)
def test_unsupported_templates_are_refused(template: str) -> None:
    with pytest.raises(TemplateError):
        compile_template(template)


def test_if_blocks_as_command_templates_use_them() -> None:
    """A template-schema light's command template, as Home Assistant's documentation shows one."""
    template = compile_template(
        '{"state": "on"{%- if brightness is defined -%}, "brightness": {{ brightness }}{%- endif -%}'
        "{%- if red is defined and green is defined and blue is defined -%}"
        ', "color": [{{ red }}, {{ green }}, {{ blue }}]{%- endif -%}}'
    )
    assert template.evaluate({"state": "on"}) == '{"state": "on"}'
    assert template.evaluate({"brightness": 128}) == '{"state": "on", "brightness": 128}'
    assert template.evaluate({"red": 255, "green": 0, "blue": 10}) == '{"state": "on", "color": [255, 0, 10]}'
    choice = compile_template(
        "{% if value_json.p > 50 %}high{% elif value_json.p > 10 %}mid{% else %}low{% endif %} {# note #}"
    )
    assert [choice.render(json.dumps({"p": p})) for p in (80, 20, 5)] == ["high", "mid", "low"]
    assert choice.render("not json") is None  # comparing an undefined value fails, as in Jinja
    flag = compile_template("{% if value_json.x %}yes{% else %}no{% endif %}")
    assert (flag.render('{"x": 1}'), flag.render("{}")) == ("yes", "no")  # an undefined condition is false
    nested = compile_template("{% if value == 'a' %}{% if value %}A{% endif %}{% else %}B{% endif %}")
    assert (nested.render("a"), nested.render("b")) == ("A", "B")
    # An expression inside a block that cannot be rendered fails the whole template, as any other.
    assert compile_template("{% if value %}{{ value_json.x }}{% endif %}").render("{}") is None


def test_template_error_is_a_value_error() -> None:
    assert issubclass(TemplateError, ValueError)


def test_command_templates_bind_the_value() -> None:
    assert compile_template('{"temp": {{ value | tojson }}}').render_command(22.5) == '{"temp": 22.5}'
    assert compile_template('{"mode": {{ value | tojson }}}').render_command("heat") == '{"mode": "heat"}'
    assert (
        compile_template('{"position": {{ position }}}').render_command(40, "position") == '{"position": 40}'
    )


@given(st.text(max_size=300))
def test_compile_raises_only_template_error(text: str) -> None:
    with contextlib.suppress(TemplateError):
        compile_template(text)


_PIECES = st.sampled_from(
    [
        "value",
        "value_json",
        ".x",
        "[0]",
        "['y']",
        " | int",
        " | float",
        " | round(1)",
        " | default(1)",
        " * 2",
        " / 0",
        " + 'a'",
        " if value else 3",
        " == 'on'",
        " is defined",
        "(",
        ")",
        " - ",
        " and ",
        " not ",
    ]
)


@given(st.lists(_PIECES, min_size=1, max_size=12), st.text(max_size=200) | st.just(Z2M))
def test_render_never_raises(pieces: list[str], payload: str) -> None:
    try:
        template = compile_template("{{ " + "".join(pieces) + " }}")
    except TemplateError:
        return
    result = template.render(payload)
    assert result is None or isinstance(result, bool | int | float | str)


@pytest.mark.parametrize(
    "template",
    ["{{ value }}", "{{ value | float }}", "{{ value_json.state }}", "{{value_json['brightness']}}",
     '{{ value_json["color"].x }}', "{{ value_json.modes[0] }}", "{{ value_json.temperature | round }}",
     " {{ value_json.battery | int }} "],
)
def test_paths_with_one_filter_get_an_accessor(template: str) -> None:
    assert compile_template(template).fast is not None


@pytest.mark.parametrize(
    "template",
    ["{{ value_json.x | default(0) }}", "{{ value_json.x | round(1) }}", "{{ value_json.modes[-1] }}",
     "{{ value_json.x * 2 }}", "{{ value.x }}", "{{ value_json.x | float | int }}", "a{{ value }}",
     "{{ value_json.x is defined }}"],
)
def test_other_templates_are_evaluated_as_trees(template: str) -> None:
    assert compile_template(template).fast is None


def test_the_same_text_is_compiled_once() -> None:
    assert compile_template("{{ value_json.on }}") is compile_template("{{ value_json.on }}")


_PATH = st.sampled_from([".x", ".y", ".modes", ".state", "['x']", "['y']", '["state"]', "[0]", "[1]", "[00]"])
_FILTER = st.sampled_from(["", " | float", " | int", " | string", " | lower", " | upper", " | trim",
                           " | title", " | bool", " | abs", " | round"])
_PAYLOADS = (st.text(max_size=40) | st.just(Z2M)
             | st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                            lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(st.sampled_from(["x", "y", "state", "modes", "0"]), inner,
                                              max_size=3),
                            max_leaves=8).map(json.dumps))


@given(st.sampled_from(["value", "value_json"]), st.lists(_PATH, max_size=4), _FILTER, _PAYLOADS)
def test_an_accessor_renders_as_the_tree_does(root: str, path: list[str], filter_: str, payload: str) -> None:
    try:
        template = compile_template("{{ " + root + "".join(path) + filter_ + " }}")
    except TemplateError:
        return
    tree = template.evaluate({"value": payload, "value_json": parse_json(payload)})
    fast = template.render(payload)
    assert repr(fast) == repr(tree)  # repr: NaN from a JSON payload must match NaN
    assert type(fast) is type(tree)
