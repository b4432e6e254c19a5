"""A safe evaluator for the small Jinja subset Home Assistant's MQTT value templates use.

Discovery configs carry templates such as ``{{ value_json.temperature | float }}`` or
``{{ 'ON' if value_json.state == 'on' else 'OFF' }}``. They come from the network, so they are never handed
to ``eval`` or to Jinja: :func:`compile_template` tokenizes and parses them into a small expression tree,
refusing anything outside the subset with :class:`TemplateError`, and :meth:`Template.render` walks that
tree. Rendering never raises: a missing key, a wrong type or an arithmetic error gives ``None``.

The subset: ``value`` (the payload text), ``value_json`` (the payload parsed as JSON), attribute and item
access (``.x``, ``['x']``, ``[0]``), string, number, boolean and ``none`` literals, ``+ - * / // % ~``,
comparisons, ``and``/``or``/``not``, ``x if c else y``, ``x is [not] defined`` and the filters in
:data:`FILTERS`. Text outside ``{{ … }}`` is kept, so ``{"mode": "{{ value }}"}`` works as a command
template. Statements are ``{% if %}``/``{% elif %}``/``{% else %}``/``{% endif %}`` (the blocks of a
template-schema light's command templates), with Jinja's ``-`` trimming blank space; ``{# … #}`` comments are
dropped; any other statement is refused.

Most value templates are a path into the payload and at most one filter (``{{ value_json.temperature }}``,
``{{ value_json['state'] }}``, ``{{ value | float }}``). Such a template is still parsed and checked like
any other, and additionally gets an *accessor* (:attr:`Template.fast`): a walk along the path and one
filter call, with the same result as the tree, but without building the variables or calling a closure
per node — state messages are decoded far more often than configs are read.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from jipsa.core.capabilities import Value

MAX_TEMPLATE_CHARS = 1000
"""A longer template is refused (real value templates are a few dozen characters)."""

MAX_DEPTH = 24
"""Deepest nesting of parentheses and sub-expressions the parser accepts."""

NAMES: frozenset[str] = frozenset({
    "value", "value_json", "position", "tilt_position", "state", "brightness", "color_temp", "red", "green",
    "blue", "hue", "sat", "transition", "flash", "effect"})
"""The variables a template may read (``position`` and ``tilt_position`` are those of a cover's position and
tilt command templates; ``state``, ``brightness`` … those of a template-schema light's command templates)."""


class TemplateError(ValueError):
    """A template outside the supported subset, or malformed."""


class _Undefined:
    """Jinja's *undefined*: a missing key or variable, which only ``default`` and ``is defined`` forgive."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Undefined"


UNDEFINED: Final = _Undefined()


class _Fail(Exception):
    """Rendering cannot go on (raised inside, turned into ``None`` by :meth:`Template.render`)."""


# --- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|//|[-+*/%~<>()\[\].,|])
""", re.VERBOSE)

_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str


def _tokenize(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise TemplateError(f"unexpected character {source[pos]!r} in {source!r}")
        pos = match.end()
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(_Tok(kind, match.group()))
    tokens.append(_Tok("end", ""))
    return tokens


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


# --- the expression tree ------------------------------------------------------------------------

Env = Mapping[str, object]
Node = Callable[[Env], object]
"""A compiled expression: the variables in, a value (or :data:`UNDEFINED`) out; raises ``_Fail``."""


def _literal(value: object) -> Node:
    return lambda env: value


def _variable(name: str) -> Node:
    return lambda env: env.get(name, UNDEFINED)


def _item(target: Node, key: Node) -> Node:
    def run(env: Env) -> object:
        obj, k = target(env), key(env)
        if isinstance(obj, dict) and isinstance(k, str):
            return obj.get(k, UNDEFINED)
        if isinstance(obj, list) and isinstance(k, int) and not isinstance(k, bool):
            return obj[k] if -len(obj) <= k < len(obj) else UNDEFINED
        return UNDEFINED
    return run


def _defined(value: object) -> object:
    if value is UNDEFINED:
        raise _Fail("undefined")
    return value


def _number(value: object) -> int | float:
    value = _defined(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Fail("not a number")
    return value


def _arith(op: str, left: Node, right: Node) -> Node:
    def run(env: Env) -> object:
        a, b = _defined(left(env)), _defined(right(env))
        if op == "~":
            return _text(a) + _text(b)
        if op == "+" and isinstance(a, str) and isinstance(b, str):
            return a + b
        x, y = _number(a), _number(b)
        try:
            result: int | float
            if op == "+":
                result = x + y
            elif op == "-":
                result = x - y
            elif op == "*":
                result = x * y
            elif op == "/":
                result = x / y
            elif op == "//":
                result = x // y
            else:
                result = x % y
        except (ArithmeticError, ValueError) as exc:
            raise _Fail(str(exc)) from None
        if isinstance(result, float) and not math.isfinite(result):
            raise _Fail("not finite")
        if isinstance(result, int) and abs(result) > 10 ** 30:
            raise _Fail("too large")
        return result
    return run


def _compare(op: str, left: Node, right: Node) -> Node:
    def run(env: Env) -> object:
        a, b = _defined(left(env)), _defined(right(env))
        if op == "==":
            return bool(a == b)
        if op == "!=":
            return bool(a != b)
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
        if not numbers and not (isinstance(a, str) and isinstance(b, str)):
            raise _Fail("cannot order")
        x: Any = a
        y: Any = b
        return bool({"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op])
    return run


def _truthy(value: object) -> bool:
    return False if value is UNDEFINED else bool(value)


def _text(value: object) -> str:
    """Jinja's string form: ``True``, ``24.5``, ``''`` for none."""
    if value is None:
        return "None"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(_defined(value))


# --- filters ------------------------------------------------------------------------------------

def _to_float(value: object, default: tuple[object, ...]) -> object:
    value = _defined(value)
    try:
        if isinstance(value, bool | int | float | str):
            result = float(value)
            if math.isfinite(result):
                return result
    except ValueError:
        pass
    if default:
        return default[0]
    raise _Fail("not a float")


def _to_int(value: object, default: tuple[object, ...]) -> object:
    value = _defined(value)
    try:
        if isinstance(value, bool | int):
            return int(value)
        if isinstance(value, float | str):
            try:
                return int(value)
            except ValueError:
                number = float(value)
                if math.isfinite(number):
                    return int(number)
    except (ValueError, OverflowError):
        pass
    if default:
        return default[0]
    raise _Fail("not an int")


def _round(value: object, args: tuple[object, ...]) -> object:
    precision = args[0] if args else 0
    if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 10:
        raise _Fail("bad precision")
    number = _to_float(value, args[2:3])
    if not isinstance(number, float):
        return number
    rounded = round(number, precision)
    return int(rounded) if precision == 0 else rounded


def _default(value: object, args: tuple[object, ...]) -> object:
    fallback = args[0] if args else ""
    if value is UNDEFINED or (len(args) > 1 and args[1] is True and not value):
        return fallback
    return value


def _string_filter(method: Callable[[str], str]) -> Callable[[object, tuple[object, ...]], object]:
    return lambda value, args: method(_text(value))


def _bool(value: object, args: tuple[object, ...]) -> object:
    value = _defined(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in ("true", "on", "yes", "enable", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "off", "no", "disable", "0", "none"):
        return False
    if args:
        return args[0]
    raise _Fail("not a boolean")


def _abs(value: object, args: tuple[object, ...]) -> object:
    return abs(_number(value))


FILTERS: Mapping[str, Callable[[object, tuple[object, ...]], object]] = {
    "int": lambda value, args: _to_int(value, args[:1]),
    "float": lambda value, args: _to_float(value, args[:1]),
    "round": _round,
    "default": _default,
    "d": _default,
    "lower": _string_filter(str.lower),
    "upper": _string_filter(str.upper),
    "title": _string_filter(str.title),
    "trim": _string_filter(str.strip),
    "string": _string_filter(lambda text: text),
    "is_defined": lambda value, args: _defined(value),
    "bool": _bool,
    "abs": _abs,
    "tojson": lambda value, args: json.dumps(_defined(value), ensure_ascii=False),
}
"""Supported filters: the value and the literal arguments in, the result out (raising ``_Fail``)."""

_FILTER_ARITY: Mapping[str, int] = {"int": 2, "float": 1, "round": 3, "default": 2, "d": 2, "bool": 1}


def _filter(name: str, target: Node, args: tuple[Node, ...]) -> Node:
    function = FILTERS[name]

    def run(env: Env) -> object:
        values = tuple(_defined(arg(env)) for arg in args)
        value = target(env)
        if name not in ("default", "d", "is_defined"):
            value = _defined(value)
        return function(value, values)
    return run


# --- the parser ---------------------------------------------------------------------------------

_CONSTANTS: Mapping[str, object] = {
    "true": True, "True": True, "false": False, "False": False, "none": None, "None": None,
}


class _Parser:
    """Recursive descent over the tokens of one ``{{ … }}`` expression, with Jinja's precedence."""

    def __init__(self, tokens: list[_Tok], source: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.source = source
        self.names: set[str] = set()

    def peek(self) -> _Tok:
        return self.tokens[self.pos]

    def take(self) -> _Tok:
        tok = self.tokens[self.pos]
        if tok.kind != "end":
            self.pos += 1
        return tok

    def accept(self, text: str) -> bool:
        tok = self.peek()
        if tok.kind in ("op", "name") and tok.text == text:
            self.pos += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise self.error(f"expected {text!r}")

    def error(self, message: str) -> TemplateError:
        tok = self.peek()
        found = repr(tok.text) if tok.kind != "end" else "the end"
        return TemplateError(f"{message}, found {found} in {self.source!r}")

    def parse(self) -> Node:
        node = self.expression()
        if self.peek().kind != "end":
            raise self.error("unexpected token")
        return node

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TemplateError(f"template nested too deeply: {self.source[:60]!r}")

    def expression(self) -> Node:
        self.enter()
        node = self.or_expr()
        if self.accept("if"):
            condition = self.or_expr()
            otherwise = self.expression() if self.accept("else") else _literal(UNDEFINED)
            then = node
            node = lambda env: then(env) if _truthy(condition(env)) else otherwise(env)  # noqa: E731
        self.depth -= 1
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.accept("or"):
            left, right = node, self.and_expr()
            node = (lambda a, b: lambda env: (x if _truthy(x := a(env)) else b(env)))(left, right)
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.accept("and"):
            left, right = node, self.not_expr()
            node = (lambda a, b: lambda env: (b(env) if _truthy(x := a(env)) else x))(left, right)
        return node

    def not_expr(self) -> Node:
        if self.accept("not"):
            self.enter()
            inner = self.not_expr()
            self.depth -= 1
            return lambda env: not _truthy(inner(env))
        return self.comparison()

    def comparison(self) -> Node:
        node = self.additive()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("==", "!=", "<", ">", "<=", ">="):
            self.take()
            node = _compare(tok.text, node, self.additive())
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text in ("==", "!=", "<", ">", "<=", ">="):
                raise self.error("chained comparisons are not supported")
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while (tok := self.peek()).kind == "op" and tok.text in ("+", "-", "~"):
            self.take()
            node = _arith(tok.text, node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while (tok := self.peek()).kind == "op" and tok.text in ("*", "/", "//", "%"):
            self.take()
            node = _arith(tok.text, node, self.unary())
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("-", "+"):
            self.take()
            self.enter()
            inner = self.unary()
            self.depth -= 1
            return _arith(tok.text, _literal(0), inner)
        return self.filtered()

    def filtered(self) -> Node:
        node = self.postfix(self.primary())
        while True:
            if self.accept("|"):
                name = self.take()
                if name.kind != "name" or name.text not in FILTERS:
                    raise TemplateError(f"unsupported filter {name.text!r} in {self.source!r}; "
                                        f"supported: {', '.join(sorted(FILTERS))}")
                args = self.call_args() if self.peek().text == "(" else ()
                if len(args) > _FILTER_ARITY.get(name.text, 0):
                    raise TemplateError(f"too many arguments to {name.text!r} in {self.source!r}")
                node = _filter(name.text, node, args)
            elif self.accept("is"):
                negate = self.accept("not")
                test = self.take()
                if test.text not in ("defined", "undefined", "none"):
                    raise TemplateError(f"unsupported test {test.text!r} in {self.source!r}")
                node = _test(test.text, node, negate)
            else:
                return node

    def call_args(self) -> tuple[Node, ...]:
        self.expect("(")
        args: list[Node] = []
        if not self.accept(")"):
            while True:
                args.append(self.expression())
                if self.accept(")"):
                    break
                self.expect(",")
        return tuple(args)

    def postfix(self, node: Node) -> Node:
        while True:
            if self.accept("."):
                name = self.take()
                if name.kind != "name" or name.text.startswith("__"):
                    raise self.error("expected a plain name after '.'")
                node = _item(node, _literal(name.text))
            elif self.accept("["):
                key = self.expression()
                self.expect("]")
                node = _item(node, key)
            elif self.peek().text == "(" and self.peek().kind == "op":
                raise self.error("function and method calls are not supported")
            else:
                return node

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            number: int | float = float(tok.text) if any(c in tok.text for c in ".eE") else int(tok.text)
            if isinstance(number, float) and not math.isfinite(number):
                raise TemplateError(f"number out of range in {self.source!r}")
            return _literal(number)
        if tok.kind == "str":
            return _literal(_unquote(tok.text))
        if tok.kind == "name":
            if tok.text in _CONSTANTS:
                return _literal(_CONSTANTS[tok.text])
            if tok.text not in NAMES:
                raise TemplateError(f"unknown name {tok.text!r} in {self.source!r}; a template may read "
                                    f"{', '.join(sorted(NAMES))}")
            self.names.add(tok.text)
            return _variable(tok.text)
        if tok.kind == "op" and tok.text == "(":
            node = self.expression()
            self.expect(")")
            return node
        if tok.kind != "end":
            self.pos -= 1
        raise self.error("expected a value")


def _test(name: str, target: Node, negate: bool) -> Node:
    def run(env: Env) -> object:
        value = target(env)
        result = value is not UNDEFINED if name == "defined" else (
            value is UNDEFINED if name == "undefined" else value is None)
        return result != negate
    return run


# --- templates ----------------------------------------------------------------------------------

_PARTS = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


Accessor = Callable[[str, object], "Value | None"]
"""A fast form of a value template: the payload text and its JSON in, the rendered value out."""


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template; build it with :func:`compile_template`."""

    source: str
    """The template text as given."""
    parts: tuple[str | Node, ...]
    """Literal text and compiled expressions, in order."""
    uses_json: bool
    """Whether it reads ``value_json`` (so the payload needs parsing)."""
    fast: Accessor | None = field(default=None, compare=False, repr=False)
    """The same template as a path walk, when it is a path and at most one filter (see the module)."""

    def render(self, payload: str) -> Value | None:
        """The template's value for a payload; ``None`` when it cannot be rendered."""
        return self.render_with(payload, parse_json(payload) if self.uses_json else UNDEFINED)

    def render_with(self, payload: str, value_json: object) -> Value | None:
        """Like :meth:`render` with the payload's JSON already parsed (:data:`UNDEFINED` if it is not)."""
        if self.fast is not None:
            return self.fast(payload, value_json)
        return self.evaluate({"value": payload, "value_json": value_json})

    def render_command(self, value: Value, name: str = "value") -> str | None:
        """The text of a command template for a command value bound to ``name``; ``None`` on failure."""
        return self.render_text({name: value})

    def render_text(self, variables: Mapping[str, Value]) -> str | None:
        """The text of a command template for these variables; ``None`` on failure."""
        result = self.evaluate(variables)
        return None if result is None else (result if isinstance(result, str) else _text(result))

    def evaluate(self, env: Env) -> Value | None:
        """Render with the given variables: one expression alone keeps its type, mixed text is a string."""
        try:
            if len(self.parts) == 1 and not isinstance(self.parts[0], str):
                return _result(self.parts[0](env))
            return _joined(self.parts, env)
        except (_Fail, RecursionError, TypeError, ValueError, ArithmeticError):
            return None


def _result(value: object) -> Value | None:
    if value is UNDEFINED or isinstance(value, dict | list):
        return None
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return None  # pragma: no cover - the evaluator makes no other types


def parse_json(payload: str) -> object:
    """The payload as JSON, or :data:`UNDEFINED` when it is not JSON."""
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return UNDEFINED


def compile_template(text: str) -> Template:
    """Compile a value or command template; :class:`TemplateError` for anything outside the subset.

    The same text gives the same (immutable) object: a thousand devices announcing
    ``{{ value_json.on }}`` share one compiled template.
    """
    if not isinstance(text, str):
        raise TemplateError(f"a template must be text, not {type(text).__name__}")
    return _compile(text)


@functools.lru_cache(maxsize=4096)  # bounded: configs come from the network
def _compile(text: str) -> Template:
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"template longer than {MAX_TEMPLATE_CHARS} characters")
    names: set[str] = set()
    top: list[str | Node] = []
    body = top  # the parts being read: the template's own, or a branch's of the innermost open block
    blocks: list[list[tuple[Node | None, list[str | Node]]]] = []  # open ifs, innermost last
    statements = trim_next = False
    pos = 0
    for match in _SEGMENTS.finditer(text):
        literal = text[pos:match.start()]
        if trim_next:
            literal = literal.lstrip()
        if match.group("el") or match.group("sl"):
            literal = literal.rstrip()
        if literal:
            body.append(literal)
        pos = match.end()
        trim_next = bool(match.group("er") or match.group("sr"))
        if match.group("expr") is not None:
            body.append(_expression(match.group("expr"), text, names))
            continue
        if match.group("stmt") is None:
            continue  # a comment
        statements = True
        word, _sep, rest = match.group("stmt").strip().partition(" ")
        rest = rest.strip()
        if word == "if" and rest:
            if len(blocks) >= MAX_DEPTH:
                raise TemplateError(f"template nested too deeply: {text[:60]!r}")
            body = []
            blocks.append([(_expression(rest, text, names), body)])
        elif word in ("elif", "else") and blocks and blocks[-1][-1][0] is not None and (
                bool(rest) == (word == "elif")):
            body = []
            blocks[-1].append((_expression(rest, text, names) if rest else None, body))
        elif word == "endif" and blocks and not rest:
            branches = blocks.pop()
            body = blocks[-1][-1][1] if blocks else top
            body.append(_choice(branches))
        else:
            raise TemplateError(f"only if, elif, else and endif statements are supported, in that order: "
                                f"{{% {match.group('stmt').strip()[:40]} %}} in {text!r}")
    if blocks:
        raise TemplateError(f"an if without endif in {text!r}")
    tail = text[pos:].lstrip() if trim_next else text[pos:]
    if any(mark in tail for mark in ("{{", "}}", "{%", "%}", "{#", "#}")):
        raise TemplateError(f"unbalanced braces in {text!r}")
    parts = top
    if tail:
        parts.append(tail)
    # A template that is one expression and blank space around it keeps the expression's type.
    exprs = [p for p in parts if not isinstance(p, str)]
    fast = None
    if len(exprs) == 1 and all(isinstance(p, str) and not p.strip() for p in parts if p is not exprs[0]):
        parts = [exprs[0]]
        only = _PARTS.search(text)
        fast = _accessor(_tokenize(only.group(1))) if only and not statements else None
    return Template(text, tuple(parts), "value_json" in names, fast)


_SEGMENTS = re.compile(r"""
    \{\{(?P<el>-?)(?P<expr>.*?)(?P<er>-?)\}\}
  | \{%(?P<sl>-?)(?P<stmt>.*?)(?P<sr>-?)%\}
  | \{\#.*?\#\}
""", re.VERBOSE | re.DOTALL)
"""An expression, a statement or a comment, with Jinja's ``-`` that trims the blank space beside it."""


def _expression(source: str, text: str, names: set[str]) -> Node:
    parser = _Parser(_tokenize(source), text)
    node = parser.parse()
    names |= parser.names
    return node


def _choice(branches: list[tuple[Node | None, list[str | Node]]]) -> Node:
    """An ``if``/``elif``/``else`` block: the text of the first branch whose condition holds."""
    compiled = tuple((condition, tuple(body)) for condition, body in branches)

    def run(env: Env) -> object:
        for condition, body in compiled:
            if condition is None or _truthy(condition(env)):
                return _joined(body, env)
        return ""
    return run


def _joined(parts: tuple[str | Node, ...], env: Env) -> str:
    """Text and the values of expressions, as one text; raises ``_Fail`` on an undefined value."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            value = _defined(part(env))
            if isinstance(value, dict | list):
                raise _Fail("a mapping or list in text")
            out.append(_text(value))
    return "".join(out)


# --- accessors ----------------------------------------------------------------------------------

_FAST_FILTERS = frozenset({
    "float", "int", "string", "lower", "upper", "trim", "title", "bool", "abs", "round"})
"""Filters an accessor applies: those that take no argument here and refuse an undefined value."""


def _accessor(tokens: list[_Tok]) -> Accessor | None:
    """An accessor for ``value`` or ``value_json`` followed by ``.name``, ``['key']`` or ``[index]`` steps and
    at most one argument-less filter of :data:`_FAST_FILTERS`; ``None`` for any other expression."""
    if tokens[0].kind != "name" or tokens[0].text not in ("value", "value_json"):
        return None
    root = tokens[0].text
    path: list[str | int] = []
    pos = 1
    while True:
        tok = tokens[pos]
        if tok.kind == "op" and tok.text == "." and tokens[pos + 1].kind == "name":
            path.append(tokens[pos + 1].text)
            pos += 2
        elif (tok.kind == "op" and tok.text == "[" and tokens[pos + 1].kind in ("str", "num")
              and tokens[pos + 2].text == "]"):
            key = tokens[pos + 1].text
            if tokens[pos + 1].kind == "str":
                path.append(_unquote(key))
            elif key.isdigit():
                path.append(int(key))
            else:
                return None
            pos += 3
        else:
            break
    function = None
    if tokens[pos].kind == "op" and tokens[pos].text == "|":
        name = tokens[pos + 1]
        if name.kind != "name" or name.text not in _FAST_FILTERS:
            return None
        function = FILTERS[name.text]
        pos += 2
    if tokens[pos].kind != "end" or (root == "value" and path):
        return None
    keys = tuple(path)
    from_json = root == "value_json"

    def access(payload: str, value_json: object) -> Value | None:
        obj = value_json if from_json else payload
        for key in keys:
            if isinstance(obj, dict) and isinstance(key, str):
                obj = obj.get(key, UNDEFINED)
            elif isinstance(obj, list) and isinstance(key, int) and key < len(obj):
                obj = obj[key]
            else:
                return None  # undefined: no value, with or without the filter
        if function is None:
            return _result(obj)
        if obj is UNDEFINED:
            return None
        try:
            return _result(function(obj, ()))
        except (_Fail, RecursionError, TypeError, ValueError, ArithmeticError):
            return None

    return access
