"""Line numbers for blocks and attributes, found by lexing the file text ourselves.

python-hcl2 8.x gives no positions (``with_meta`` adds nothing), so a small lexer walks the text:
it skips comments, quoted templates (with nested ``${...}``) and heredocs, counts braces, and notes
where each top-level block starts and where each of its direct attributes and nested blocks starts.
Only files python-hcl2 has already accepted are scanned, so the lexer can stay forgiving.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from plangate.config._hcl import unescape

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEREDOC_START = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)[ \t]*\r?\n")

# token kinds
_NAME, _STRING, _OPEN, _CLOSE, _EQUALS, _NEWLINE, _BRACKET_OPEN, _BRACKET_CLOSE, _OTHER = range(9)


@dataclass(frozen=True, slots=True)
class BlockHeader:
    """Where a top-level block starts, and where its direct members start (first occurrence)."""

    type: str
    labels: tuple[str, ...]
    line: int
    members: Mapping[str, int]
    duplicate_attributes: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: int
    text: str
    line: int


def scan_blocks(text: str) -> tuple[BlockHeader, ...]:
    """The top-level block headers of one file, in order of appearance."""
    tokens = list(_tokenize(text))
    headers: list[BlockHeader] = []
    depth = 0
    brackets = 0
    current: tuple[str, tuple[str, ...], int] | None = None
    members: dict[str, int] = {}
    attributes: set[str] = set()
    duplicates: list[tuple[str, int]] = []
    statement_start = True
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if statement_start and brackets == 0 and token.kind == _NAME and depth <= 1:
            statement = _statement(tokens, i)
            if statement is not None:
                labels, is_block, end = statement
                if depth == 0 and is_block:
                    current = (token.text, labels, token.line)
                    members, attributes, duplicates = {}, set(), []
                elif depth == 1 and current is not None:
                    if not is_block and token.text in attributes:
                        duplicates.append((token.text, token.line))
                    if not is_block:
                        attributes.add(token.text)
                    members.setdefault(token.text, token.line)
                i = end
                token = tokens[i]
        if token.kind == _OPEN:
            depth += 1
        elif token.kind == _CLOSE:
            depth = max(depth - 1, 0)
            if depth == 0 and current is not None:
                name, labels, line = current
                headers.append(
                    BlockHeader(name, labels, line, MappingProxyType(members), tuple(duplicates))
                )
                current = None
        elif token.kind == _BRACKET_OPEN:
            brackets += 1
        elif token.kind == _BRACKET_CLOSE:
            brackets = max(brackets - 1, 0)
        statement_start = token.kind in (_NEWLINE, _OPEN)
        i += 1
    return tuple(headers)


def _statement(tokens: list[_Token], i: int) -> tuple[tuple[str, ...], bool, int] | None:
    """At a name: ``(labels, is_block, index of '{' or '=')`` or None when no statement starts."""
    labels: list[str] = []
    j = i + 1
    while j < len(tokens) and tokens[j].kind in (_STRING, _NAME):
        labels.append(tokens[j].text)
        j += 1
    if j >= len(tokens):
        return None
    if tokens[j].kind == _OPEN:
        return tuple(labels), True, j
    if tokens[j].kind == _EQUALS and not labels:
        return (), False, j
    return None


def _tokenize(text: str) -> Iterator[_Token]:
    i = 0
    line = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            yield _Token(_NEWLINE, c, line)
            line += 1
            i += 1
        elif c in " \t\r\ufeff":
            i += 1
        elif c == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
        elif c == '"':
            end = _skip_template(text, i + 1)
            yield _Token(_STRING, unescape(text[i + 1 : max(end - 1, i + 1)]), line)
            line += text.count("\n", i, end)
            i = end
        elif c == "<" and (heredoc := _HEREDOC_START.match(text, i)) is not None:
            end = _skip_heredoc(text, heredoc.end(), heredoc.group(1))
            yield _Token(_OTHER, "<<", line)
            line += text.count("\n", i, end)
            i = end
        elif c == "{":
            yield _Token(_OPEN, c, line)
            i += 1
        elif c == "}":
            yield _Token(_CLOSE, c, line)
            i += 1
        elif c in "[(":
            yield _Token(_BRACKET_OPEN, c, line)
            i += 1
        elif c in "])":
            yield _Token(_BRACKET_CLOSE, c, line)
            i += 1
        elif c == "=":
            if text.startswith(("==", "=>"), i):
                yield _Token(_OTHER, text[i : i + 2], line)
                i += 2
            else:
                yield _Token(_EQUALS, c, line)
                i += 1
        elif c in "!<>" and text.startswith("=", i + 1):
            yield _Token(_OTHER, text[i : i + 2], line)
            i += 2
        elif (name := _IDENT.match(text, i)) is not None:
            yield _Token(_NAME, name.group(), line)
            i = name.end()
        else:
            yield _Token(_OTHER, c, line)
            i += 1


def _skip_template(text: str, i: int) -> int:
    """From just inside an opening quote to just past the closing one."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i + 1
        elif text.startswith(("$${", "%%{"), i):
            i += 3
        elif text.startswith(("${", "%{"), i):
            i = _skip_interpolation(text, i + 2)
        elif c == "\n":  # strings do not span lines: stop rather than swallow the file
            return i
        else:
            i += 1
    return n


def _skip_interpolation(text: str, i: int) -> int:
    """From just inside ``${`` to just past its matching ``}`` (strings inside may nest)."""
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i = _skip_template(text, i + 1)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _skip_heredoc(text: str, i: int, marker: str) -> int:
    """From the first body line to the end of the line that closes the heredoc."""
    closing = re.compile(r"^[ \t]*" + re.escape(marker) + r"[ \t]*\r?$", re.M)
    found = closing.search(text, i)
    return len(text) if found is None else found.end()
