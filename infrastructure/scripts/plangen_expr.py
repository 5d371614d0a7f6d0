"""Expressions of the plan fixture generator: parse, list references, evaluate.

Covers the subset of HCL the stack uses outside ``validation`` blocks (docs/infrastructure.md):
literals, tuples and objects, templates with ``${...}`` interpolation, traversals (``var.x``,
``local.x``, ``module.m.out``, ``each.key``/``each.value``, ``count.index``, resource and data
attributes, ``[key]`` indexes), function calls from :data:`FUNCTIONS`, the conditional ``a ? b : c``
and the boolean operators ``!``, ``&&``, ``||``, ``==``, ``!=``. Anything else (for-expressions,
splats, arithmetic, comparisons, template directives, other functions) raises
:class:`EvalError` naming the file and line, so the generator stops instead of guessing.

Values are plain Python (str, int/float, bool, None, list, dict) plus two wrappers: the
:data:`UNKNOWN` sentinel (known only after apply) and :class:`Sensitive` (derived from a value
declared sensitive; a result computed from a sensitive operand is sensitive as a whole).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


class EvalError(Exception):
    """An expression the generator cannot parse or evaluate; the message starts with file:line."""


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True, slots=True)
class Sensitive:
    """A value derived from something declared sensitive."""

    value: Any


def unmark(value: Any) -> tuple[Any, bool]:
    """The value without its outer sensitive mark, and whether it had one."""
    if isinstance(value, Sensitive):
        return value.value, True
    return value, False


def mark(value: Any, sensitive: bool) -> Any:
    return Sensitive(value) if sensitive and not isinstance(value, Sensitive) else value


# --------------------------------------------------------------------------- syntax tree
# Nodes are tuples: (kind, ...). Kinds:
#   ("lit", value)                     literal (number, bool, null, string without interpolation)
#   ("tmpl", parts)                    template; parts are str or nodes
#   ("scope", root, steps)             traversal; steps are ("attr", name) or ("index", literal)
#   ("index", collection, key)         index with a non-literal key
#   ("getattr", node, name)            attribute of a non-traversal value
#   ("call", name, args)               function call
#   ("tuple", items) / ("object", [(key, value)])
#   ("cond", condition, true, false) / ("not", node) / ("binop", op, left, right)

Node = tuple[Any, ...]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_BINARY = (("||",), ("&&",), ("==", "!="), ("<=", ">=", "<", ">"), ("+", "-"), ("*", "/", "%"))
_SUPPORTED_BINARY = frozenset({"||", "&&", "==", "!="})
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.text = text
        self.pos = 0
        self.where = where

    def fail(self, message: str) -> EvalError:
        excerpt = " ".join(self.text.split())
        if len(excerpt) > 80:
            excerpt = excerpt[:77] + "..."
        return EvalError(f"{self.where}: {message} in `{excerpt}`")

    # -- characters --------------------------------------------------------------------
    def skip(self) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r\n":
                self.pos += 1
            elif self.text.startswith(("#", "//"), self.pos):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            elif self.text.startswith("/*", self.pos):
                end = self.text.find("*/", self.pos)
                self.pos = len(self.text) if end < 0 else end + 2
            else:
                return

    def peek(self, *tokens: str) -> str | None:
        self.skip()
        for token in tokens:
            if self.text.startswith(token, self.pos):
                return token
        return None

    def take(self, token: str) -> bool:
        if self.peek(token) is None:
            return False
        self.pos += len(token)
        return True

    def expect(self, token: str) -> None:
        if not self.take(token):
            raise self.fail(f"expected {token!r} at offset {self.pos}")

    def name(self) -> str | None:
        self.skip()
        found = _IDENT.match(self.text, self.pos)
        if found is None:
            return None
        self.pos = found.end()
        return found.group()

    # -- expressions -------------------------------------------------------------------
    def expression(self) -> Node:
        condition = self.binary(0)
        if self.peek("?") and not self.peek("??"):
            self.pos += 1
            true = self.expression()
            self.expect(":")
            false = self.expression()
            return ("cond", condition, true, false)
        return condition

    def binary(self, level: int) -> Node:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            op = self.peek(*_BINARY[level])
            if op is None or (op in ("<", ">") and self.peek("<<")):
                return left
            self.pos += len(op)
            if op not in _SUPPORTED_BINARY:
                raise self.fail(f"operator {op!r} is not supported by the generator")
            left = ("binop", op, left, self.binary(level + 1))

    def unary(self) -> Node:
        if self.peek("!") and not self.peek("!="):
            self.pos += 1
            return ("not", self.unary())
        if self.peek("-") and not _NUMBER.match(self.text, self.pos + 1):
            raise self.fail("unary minus is not supported by the generator")
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.peek(".*", "[*]"):
                raise self.fail("splat expressions are not supported by the generator")
            if self.peek("."):
                self.pos += 1
                name = self.name()
                if name is None:
                    found = _NUMBER.match(self.text, self.pos)
                    if found is None:
                        raise self.fail("expected an attribute name after '.'")
                    self.pos = found.end()
                    node = self._step(node, ("index", int(found.group())))
                    continue
                node = self._step(node, ("attr", name))
            elif self.peek("["):
                self.pos += 1
                key = self.expression()
                self.expect("]")
                if key[0] == "lit" and isinstance(key[1], str | int | float):
                    node = self._step(node, ("index", key[1]))
                else:
                    node = ("index", node, key)
            else:
                return node

    @staticmethod
    def _step(node: Node, step: tuple[str, Any]) -> Node:
        if node[0] == "scope":
            return ("scope", node[1], (*node[2], step))
        if step[0] == "attr":
            return ("getattr", node, step[1])
        return ("index", node, ("lit", step[1]))

    def primary(self) -> Node:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("unexpected end of expression")
        char = self.text[self.pos]
        if char == '"':
            self.pos += 1
            return self.template(closing='"')
        if char == "(":
            self.pos += 1
            inner = self.expression()
            self.expect(")")
            return inner
        if char == "[":
            self.pos += 1
            if self._for_keyword():
                raise self.fail("for-expressions are not supported by the generator")
            return ("tuple", self.items("]"))
        if char == "{":
            self.pos += 1
            if self._for_keyword():
                raise self.fail("for-expressions are not supported by the generator")
            return self.object()
        if self.text.startswith("<<", self.pos):
            raise self.fail("heredoc templates are not supported by the generator")
        number = _NUMBER.match(self.text, self.pos) or (
            _NUMBER.match(self.text, self.pos + 1) if char == "-" else None
        )
        if number is not None:
            start, self.pos = self.pos, number.end()
            literal = self.text[start : self.pos]
            value = float(literal) if any(c in literal for c in ".eE") else int(literal)
            return ("lit", int(value) if isinstance(value, float) and value.is_integer() else value)
        name = self.name()
        if name is None:
            raise self.fail(f"unexpected {char!r}")
        if name in ("true", "false"):
            return ("lit", name == "true")
        if name == "null":
            return ("lit", None)
        if self.peek("("):
            self.pos += 1
            args = self.items(")")
            return ("call", name, tuple(args[1]))
        return ("scope", name, ())

    def _for_keyword(self) -> bool:
        self.skip()
        found = _IDENT.match(self.text, self.pos)
        return found is not None and found.group() == "for"

    def items(self, closing: str) -> Node:
        found: list[Node] = []
        while not self.take(closing):
            if self.peek("..."):
                raise self.fail("argument expansion (...) is not supported by the generator")
            found.append(self.expression())
            if not self.take(","):
                self.expect(closing)
                break
        return ("tuple", tuple(found))

    def object(self) -> Node:
        pairs: list[tuple[Node, Node]] = []
        while not self.take("}"):
            self.skip()
            bare = _IDENT.match(self.text, self.pos)
            if bare is not None and self._followed_by_assignment(bare.end()):
                self.pos = bare.end()
                key: Node = ("lit", bare.group())
            else:
                key = self.expression()
            if not (self.take("=") or self.take(":")):
                raise self.fail("expected '=' or ':' in an object")
            pairs.append((key, self.expression()))
            self.take(",")
        return ("object", tuple(pairs))

    def _followed_by_assignment(self, index: int) -> bool:
        rest = self.text[index:].lstrip(" \t")
        return rest.startswith((":", "=")) and not rest.startswith("==")

    # -- templates ---------------------------------------------------------------------
    def template(self, closing: str | None) -> Node:
        """Template parts up to ``closing`` (a quote) or the end of the text."""
        parts: list[Any] = []
        literal: list[str] = []
        while True:
            if self.pos >= len(self.text):
                if closing is not None:
                    raise self.fail("unterminated string")
                break
            char = self.text[self.pos]
            if closing is not None and char == closing:
                self.pos += 1
                break
            if self.text.startswith(("$${", "%%{"), self.pos):
                literal.append(self.text[self.pos + 1 : self.pos + 3])
                self.pos += 3
            elif self.text.startswith("%{", self.pos):
                raise self.fail("template directives (%{...}) are not supported by the generator")
            elif self.text.startswith("${", self.pos):
                self.pos += 2
                if self.text.startswith("~", self.pos):
                    raise self.fail("template strip markers (~) are not supported")
                if literal:
                    parts.append("".join(literal))
                    literal = []
                parts.append(self.expression())
                self.skip()
                if self.text.startswith("~}", self.pos):
                    raise self.fail("template strip markers (~) are not supported")
                self.expect("}")
            elif char == "\\" and self.pos + 1 < len(self.text):
                literal.append(self.escape())
            else:
                literal.append(char)
                self.pos += 1
        if literal:
            parts.append("".join(literal))
        if not parts:
            return ("lit", "")
        if len(parts) == 1 and isinstance(parts[0], str):
            return ("lit", parts[0])
        if len(parts) == 1:
            return parts[0]  # "${x}" is x itself, not its string form
        return ("tmpl", tuple(parts))

    def escape(self) -> str:
        marker = self.text[self.pos + 1]
        if marker in _ESCAPES:
            self.pos += 2
            return _ESCAPES[marker]
        width = {"u": 4, "U": 8}.get(marker)
        digits = self.text[self.pos + 2 : self.pos + 2 + width] if width else ""
        if width and len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
            self.pos += 2 + width
            return chr(int(digits, 16))
        raise self.fail(f"unsupported escape sequence \\{marker}")


@lru_cache(maxsize=4096)
def _parse(text: str, where: str, template: bool) -> Node:
    parser = _Parser(text, where)
    node = parser.template(closing=None) if template else parser.expression()
    parser.skip()
    if parser.pos != len(text):
        raise parser.fail(f"unexpected text at offset {parser.pos}")
    return node


def parse_template(text: str, where: str) -> Node:
    """A normalised :class:`Expression` body (a template, possibly one ``${...}``)."""
    return _parse(text, where, True)


def parse_expression(text: str, where: str) -> Node:
    """Bare expression source, as in ``count``/``for_each`` meta-arguments or mutations."""
    return _parse(text, where, False)


# --------------------------------------------------------------------------- references


def _traversal_text(steps: tuple[tuple[str, Any], ...]) -> str:
    out: list[str] = []
    for kind, value in steps:
        if kind == "attr":
            out.append(f".{value}")
        elif isinstance(value, str):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
        else:
            out.append(f"[{value:g}]" if isinstance(value, float) else f"[{value}]")
    return "".join(out)


def _reference_strings(root: str, steps: tuple[tuple[str, Any], ...]) -> list[str]:
    """Terraform's unwrapped reference strings for one traversal (jsonconfig rules)."""
    names = [value for kind, value in steps]
    extra: str | None = None
    if root in ("var", "local", "each", "count", "path", "terraform"):
        if not steps or steps[0][0] != "attr":
            return []
        subject, rest = f"{root}.{names[0]}", steps[1:]
    elif root == "self":
        return []
    elif root == "module":
        if not steps:
            return []
        subject, rest = f"module.{names[0]}", steps[1:]
        if rest and rest[0][0] == "index":
            keyed = subject + _traversal_text(rest[:1])
            extra, subject, rest = subject, keyed, rest[1:]
        if rest and rest[0][0] == "attr":
            extra = extra or subject.split("[")[0]
            subject, rest = subject + _traversal_text(rest[:1]), rest[1:]
    else:
        offset = 1 if root == "data" else 0
        if len(steps) < 1 + offset:
            return []
        resource = ".".join([root, *map(str, names[: 1 + offset])])
        subject, rest = resource, steps[1 + offset :]
        if rest and rest[0][0] == "index":
            subject, rest, extra = subject + _traversal_text(rest[:1]), rest[1:], resource
    found = [subject + _traversal_text(rest[:n]) for n in range(len(rest), 0, -1)]
    found.append(subject)
    if extra is not None:
        found.append(extra)
    return found


def references(node: Node) -> list[str]:
    """Reference strings in source order, duplicates kept, as ``configuration`` lists them."""
    found: list[str] = []
    for root, steps in traversals(node):
        found.extend(_reference_strings(root, steps))
    return found


def traversals(node: Node) -> Iterator[tuple[str, tuple[tuple[str, Any], ...]]]:
    """Every static traversal (root name and steps) in the expression, in source order."""
    kind = node[0]
    if kind == "scope":
        yield node[1], node[2]
    elif kind == "tmpl":
        for part in node[1]:
            if not isinstance(part, str):
                yield from traversals(part)
    elif kind == "index":
        yield from traversals(node[1])
        yield from traversals(node[2])
    elif kind == "getattr" or kind == "not":
        yield from traversals(node[1])
    elif kind == "call" or kind == "tuple":
        for item in node[-1]:
            yield from traversals(item)
    elif kind == "object":
        for key, value in node[1]:
            yield from traversals(key)
            yield from traversals(value)
    elif kind == "cond":
        for item in node[1:]:
            yield from traversals(item)
    elif kind == "binop":
        yield from traversals(node[2])
        yield from traversals(node[3])


def is_constant(node: Node) -> bool:
    """Whether Terraform would give a ``constant_value``: no references and no function calls."""
    kind = node[0]
    if kind == "lit":
        return True
    if kind == "tmpl":
        return all(isinstance(part, str) or is_constant(part) for part in node[1])
    if kind == "tuple":
        return all(is_constant(item) for item in node[1])
    if kind == "object":
        return all(is_constant(k) and is_constant(v) for k, v in node[1])
    if kind == "cond":
        return all(is_constant(item) for item in node[1:])
    if kind == "not":
        return is_constant(node[1])
    if kind == "binop":
        return is_constant(node[2]) and is_constant(node[3])
    return False


# --------------------------------------------------------------------------- evaluation

Resolver = Callable[[str, tuple[tuple[str, Any], ...], str], Any]
"""Given a traversal's root and steps and the location, the value it names (may raise)."""


def _merge(where: str, *args: Any) -> Any:
    result: dict[str, Any] = {}
    for arg in args:
        if arg is None:
            continue
        if arg is UNKNOWN:
            return UNKNOWN
        if not isinstance(arg, Mapping):
            raise EvalError(f"{where}: merge() takes maps or objects, got {type(arg).__name__}")
        result.update(arg)
    return result


FUNCTIONS: Mapping[str, Callable[..., Any]] = {"merge": _merge}
"""The functions the stack calls outside validation blocks; the rest stop the generator."""


def to_template_string(value: Any, where: str) -> str:
    """How a value is written into a string template (Terraform's string conversion)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    if value is None:
        raise EvalError(f"{where}: a template interpolates null")
    raise EvalError(f"{where}: a template interpolates a {type(value).__name__}, not a string")


def step_into(value: Any, step: tuple[str, Any], where: str) -> Any:
    """One traversal step (``.name`` or ``[key]``) into an evaluated value."""
    value, sensitive = unmark(value)
    if value is UNKNOWN:
        return UNKNOWN
    kind, key = step
    if isinstance(value, Mapping):
        if isinstance(key, str) and key in value:
            return mark(value[key], sensitive)
        shown = f".{key}" if kind == "attr" else f"[{key!r}]"
        raise EvalError(f"{where}: no element {shown}; the value has {sorted(value)}")
    if isinstance(value, list) and kind == "index":
        if isinstance(key, int | float) and float(key).is_integer() and 0 <= int(key) < len(value):
            return mark(value[int(key)], sensitive)
        raise EvalError(f"{where}: index {key!r} out of range for a list of {len(value)}")
    raise EvalError(f"{where}: cannot take {kind} {key!r} of a {type(value).__name__}")


def evaluate(node: Node, resolve: Resolver, where: str) -> Any:
    """The value of an expression; references go through ``resolve``."""
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "scope":
        return resolve(node[1], node[2], where)
    if kind == "tmpl":
        pieces: list[str] = []
        sensitive = False
        for part in node[1]:
            value = part if isinstance(part, str) else evaluate(part, resolve, where)
            value, marked = unmark(value)
            sensitive |= marked
            if value is UNKNOWN:
                return mark(UNKNOWN, sensitive)
            pieces.append(to_template_string(value, where))
        return mark("".join(pieces), sensitive)
    if kind == "index":
        key, marked = unmark(evaluate(node[2], resolve, where))
        if key is UNKNOWN:
            return UNKNOWN
        step = ("index", int(key) if isinstance(key, float) and key.is_integer() else key)
        return mark(step_into(evaluate(node[1], resolve, where), step, where), marked)
    if kind == "getattr":
        return step_into(evaluate(node[1], resolve, where), ("attr", node[2]), where)
    if kind == "tuple":
        return [evaluate(item, resolve, where) for item in node[1]]
    if kind == "object":
        result: dict[str, Any] = {}
        for key_node, value_node in node[1]:
            key, marked = unmark(evaluate(key_node, resolve, where))
            if marked or not isinstance(key, str):
                raise EvalError(f"{where}: object keys must be known, non-sensitive strings")
            result[key] = evaluate(value_node, resolve, where)
        return result
    if kind == "call":
        function = FUNCTIONS.get(node[1])
        if function is None:
            raise EvalError(
                f"{where}: function {node[1]}() is not supported by the generator "
                f"(supported: {', '.join(sorted(FUNCTIONS))})"
            )
        args = [unmark(evaluate(arg, resolve, where)) for arg in node[2]]
        return mark(function(where, *(a for a, _ in args)), any(m for _, m in args))
    if kind == "cond":
        condition, marked = unmark(evaluate(node[1], resolve, where))
        if condition is UNKNOWN:
            return mark(UNKNOWN, marked)
        if not isinstance(condition, bool):
            raise EvalError(f"{where}: the condition is not a bool")
        return mark(evaluate(node[2] if condition else node[3], resolve, where), marked)
    if kind == "not":
        value, marked = unmark(evaluate(node[1], resolve, where))
        if value is UNKNOWN:
            return mark(UNKNOWN, marked)
        if not isinstance(value, bool):
            raise EvalError(f"{where}: '!' needs a bool")
        return mark(not value, marked)
    if kind == "binop":
        left, left_marked = unmark(evaluate(node[2], resolve, where))
        right, right_marked = unmark(evaluate(node[3], resolve, where))
        marked = left_marked or right_marked
        if UNKNOWN in (left, right):
            return mark(UNKNOWN, marked)
        op = node[1]
        if op in ("==", "!="):
            return mark((left == right) == (op == "=="), marked)
        if not isinstance(left, bool) or not isinstance(right, bool):
            raise EvalError(f"{where}: {op!r} needs bools")
        return mark(left and right if op == "&&" else left or right, marked)
    raise EvalError(f"{where}: cannot evaluate a {kind} expression")  # pragma: no cover
