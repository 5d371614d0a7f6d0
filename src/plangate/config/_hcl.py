"""The one place that knows python-hcl2 8.x output and turns it into plain values.

python-hcl2 8.x serialises for round-tripping, not for reading: string literals keep their double
quotes and escapes (``'"a\\tb"'``), heredocs come back as a quoted ``<<EOT`` text, expressions are
``"${...}"`` strings except bare identifiers (``string``, ``labels``), which come back naked, block
labels are quoted dictionary keys and blocks carry an ``__is_block__`` marker. Keeping the quotes is
what lets us tell the literal ``"var.x"`` from the reference ``var.x``, so we ask for them and strip
them here, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from plangate.errors import InputError

if TYPE_CHECKING:
    from hcl2.utils import SerializationOptions

BLOCK_MARKER = "__is_block__"
_METADATA_KEYS = frozenset({BLOCK_MARKER, "__comments__", "__inline_comments__"})


@cache
def _options() -> SerializationOptions:
    """python-hcl2 (and lark under it, 40 ms) is imported when HCL is first read, not at start."""
    from hcl2.utils import SerializationOptions

    return SerializationOptions(
        with_comments=False,
        with_meta=False,
        explicit_blocks=True,
        preserve_heredocs=True,  # we expand heredocs ourselves: 8.x drops the final newline
        preserve_scientific_notation=False,  # 1e3 becomes 1000.0 rather than the string "${1e3}"
        strip_string_quotes=False,  # the quotes are the only literal-versus-expression signal
    )


_HEREDOC = re.compile(r'^"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\n(.*?)\n?[ \t]*\2"$', re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}

# Lark terminal names in syntax errors, said the way a Terraform author would say them.
_TERMINALS = {
    "$END": "end of file",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "NL_OR_COMMENT": "a new line",
    "INT_LITERAL": "a number",
    "FLOAT_LITERAL": "a number",
    "STRING_CHARS": "text",
    "INTERP_START": "'${'",
}


class Expression(str):
    """An expression or template kept as its source text, such as ``"${var.x}"``.

    It is a ``str`` so that it prints and compares like the text it is, and a type of its own so
    that a literal written ``"$${x}"`` (the string ``${x}``) is never mistaken for a reference.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Expression({str.__repr__(self)})"


def parse_file(path: Path) -> tuple[str, dict[str, Any]]:
    """Read and parse one ``.tf`` file; every failure becomes a one-line :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # universal newlines: CRLF becomes LF
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); expected HCL") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    options = _options()
    import hcl2

    try:
        data = hcl2.loads(text, serialization_options=options)
    except Exception as exc:  # lark raises several unrelated types; all mean "not HCL"
        raise InputError(_syntax_message(path, text, exc)) from None
    if not isinstance(data, dict):  # pragma: no cover - python-hcl2 always returns a dict
        raise InputError(f"{path}: expected HCL blocks at top level")
    return text, data


def _syntax_message(path: Path, text: str, exc: Exception) -> str:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    where = str(path)
    if isinstance(line, int) and line > 0:
        last_line = text.count("\n") + 1
        # the parser sees an extra newline at the end, so "line N+1" means end of file
        where += f":{min(line, last_line)}"
        if isinstance(column, int) and column > 0 and line <= last_line:
            where += f":{column}"
    detail = _describe_unexpected(exc)
    expected = _describe_expected(set(getattr(exc, "expected", ()) or ()))
    if expected:
        shown = ", ".join(expected[:6]) + (", ..." if len(expected) > 6 else "")
        detail += f"; expected {shown}"
    return f"{where}: HCL syntax error: {detail}"


def _describe_expected(names: set[str]) -> list[str]:
    if {"DBLQUOTE", "STRING_CHARS"} <= names:
        return ["a closing '\"'"]  # inside a quoted string
    if {"DBLQUOTE", "NAME", "INT_LITERAL"} <= names:
        return ["an expression"]
    return sorted({_TERMINALS.get(name, name) for name in names})


def _describe_unexpected(exc: Exception) -> str:
    token = getattr(exc, "token", None)
    if token is not None:
        if getattr(token, "type", None) == "$END":
            return "unexpected end of file"
        value = str(token).strip().splitlines()
        shown = value[0][:30] if value else "new line"
        return f"unexpected {shown!r}"
    char = getattr(exc, "char", None)
    if isinstance(char, str):
        return f"unexpected character {char!r}"
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def is_block(value: Any) -> bool:
    """A python-hcl2 block body (as opposed to an object-valued attribute)."""
    return isinstance(value, dict) and bool(value.get(BLOCK_MARKER))


def is_block_list(value: Any) -> bool:
    """A list of nested blocks: plain (``versioning {}``) or labelled (``dynamic "x" {}``)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(is_block(item) or _is_labelled(item) for item in value)
    )


def _is_labelled(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and BLOCK_MARKER not in value
        and len(value) == 1
        and all(is_block(v) or _is_labelled(v) for v in value.values())
    )


def labelled_blocks(entry: Any) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Unfold ``{'"type"': {'"name"': {body}}}`` into ``[(("type", "name"), body)]``."""
    if is_block(entry):
        return [((), entry)]
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    if isinstance(entry, dict):
        for key, inner in entry.items():
            label = unquote_key(key)
            found.extend(((label, *labels), body) for labels, body in labelled_blocks(inner))
    return found


def body_items(body: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The attributes and nested blocks of a block body, without python-hcl2's markers."""
    return [(key, value) for key, value in body.items() if key not in _METADATA_KEYS]


def unquote_key(key: str) -> str:
    """Block labels and object keys: ``'"name"'`` and ``name`` both mean ``name``."""
    if len(key) >= 2 and key.startswith('"') and key.endswith('"'):
        return unescape(key[1:-1])
    return key


def normalise(raw: Any) -> Any:
    """Turn a python-hcl2 value into plain Python with read-only containers.

    Literal strings lose their quotes and escapes, expressions and templates become
    :class:`Expression`, lists become tuples, objects and block bodies read-only mappings.
    """
    if raw is None or isinstance(raw, bool | int | float):
        return raw
    if isinstance(raw, str):
        return _normalise_string(raw)
    if isinstance(raw, list):
        return tuple(normalise(item) for item in raw)
    if isinstance(raw, dict):
        return MappingProxyType(
            {_normalise_key(key): normalise(value) for key, value in body_items(raw)}
        )
    raise TypeError(f"unexpected python-hcl2 value {raw!r}")  # pragma: no cover


def _normalise_key(key: str) -> str:
    if key.startswith("${") and key.endswith("}"):
        return Expression(key)
    return unquote_key(key)


def _normalise_string(raw: str) -> str:
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        heredoc = _HEREDOC.match(raw)
        if heredoc is not None:
            return _template(_heredoc_text(heredoc.group(3), trim=heredoc.group(1) == "-"), False)
        return _template(raw[1:-1], True)
    if raw.startswith("${") and raw.endswith("}"):
        return Expression(raw)
    return Expression("${" + raw + "}")  # a bare identifier: `string`, `all`, `each`


def _heredoc_text(body: str, *, trim: bool) -> str:
    lines = body.split("\n") if body else []
    if trim:
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]  # blank lines shorter than the cut become empty
    # Terraform ends every heredoc line, the last one included, with a newline
    return "".join(line + "\n" for line in lines)


def _template(body: str, quoted: bool) -> str:
    """A literal string, or an Expression when it interpolates (``${``) or directs (``%{``)."""
    parts: list[str] = []
    i = 0
    while i < len(body):
        head = body[i : i + 3]
        if head in ("$${", "%%{"):
            parts.append(head[1:])
            i += 3
        elif head[:2] in ("${", "%{"):
            return Expression(body)
        elif quoted and body[i] == "\\" and i + 1 < len(body):
            text, i = _escape(body, i)
            parts.append(text)
        else:
            parts.append(body[i])
            i += 1
    return "".join(parts)


def unescape(text: str) -> str:
    """Resolve the backslash escapes of an HCL quoted string (unknown ones stay verbatim)."""
    if "\\" not in text:
        return text
    parts: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            piece, i = _escape(text, i)
            parts.append(piece)
        else:
            parts.append(text[i])
            i += 1
    return "".join(parts)


def _escape(text: str, i: int) -> tuple[str, int]:
    marker = text[i + 1]
    if marker in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[marker], i + 2
    width = {"u": 4, "U": 8}.get(marker)
    if width is not None:
        digits = text[i + 2 : i + 2 + width]
        if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
            code = int(digits, 16)
            if code <= 0x10FFFF and not 0xD800 <= code < 0xE000:
                return chr(code), i + 2 + width
    return text[i : i + 2], i + 2


def source_text(raw: Any) -> str:
    """An expression as Terraform source text: ``var.n``, ``toset(["a"])``, ``"x"``, ``2``.

    Used for meta-arguments (``count``, ``for_each``, ``depends_on``, ``provider``, variable
    ``type``, ``ignore_changes``) whose meaning is the expression itself, not a value.
    """
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return repr(raw)
    if isinstance(raw, str):
        if raw.startswith("${") and raw.endswith("}"):
            return raw[2:-1]
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            heredoc = _HEREDOC.match(raw)
            return raw if heredoc is None else raw[1:-1]
        return raw
    if isinstance(raw, list):
        return "[" + ", ".join(source_text(item) for item in raw) + "]"
    if isinstance(raw, dict):
        pairs = (f"{key} = {source_text(value)}" for key, value in body_items(raw))
        return "{" + ", ".join(pairs) + "}"
    return str(raw)  # pragma: no cover


def unquoted_text(raw: Any) -> str:
    """Like :func:`source_text` but a quoted string gives its content (``"x"`` gives ``x``)."""
    value = normalise(raw) if isinstance(raw, str) and raw.startswith('"') else None
    if isinstance(value, str) and not isinstance(value, Expression):
        return value
    return source_text(raw)


def contains_expression(value: Any) -> bool:
    """Whether a normalised value depends on anything but literals."""
    if isinstance(value, Expression):
        return True
    if isinstance(value, tuple):
        return any(contains_expression(item) for item in value)
    if isinstance(value, Mapping):
        return any(
            isinstance(key, Expression) or contains_expression(item) for key, item in value.items()
        )
    return False


def decode_quoted(body: str) -> str:
    """The value of a quoted literal's body, as in an instance key ``["a\\"b"]``."""
    return str(_template(body, True))
