"""Bytes to JSON: encodings people really produce, and CI wrappers that pollute output.

The fast path hands the C decoder UTF-8 bytes without ever building a str of the document;
text is made only for the rare inputs that need it (UTF-16, wrapper output, explanations).
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

from plangate.errors import InputError

_WRAPPER_LINE = re.compile(r"^(\[command\]|::[a-z-]+( [^:]*)?::)")
_FIRST_CONTENT = re.compile(rb"[^ \t\r\n]")
_CHUNK = 1 << 23


@dataclass(frozen=True, slots=True)
class DecodedText:
    """The JSON text to parse and what had to be done to get it."""

    text: str
    notes: tuple[str, ...]


def decode_bytes(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM, as a PowerShell redirect writes it."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not {encoding.upper()} text (invalid byte 0x{body[error.start]:02x} at offset "
            f"{error.start}); expected the JSON written by `terraform show -json PLANFILE`"
        ) from None


def strip_wrapper(text: str) -> DecodedText:
    """Recover the plan from hashicorp/setup-terraform's wrapper output, if it is intact.

    The wrapper prints `[command]…` before and `::debug::`/`::set-output…` lines after the
    document. Anything else around the JSON is not the wrapper's doing, so it is left for the
    parser to reject.
    """
    lines = text.splitlines(keepends=True)
    if not lines or not _WRAPPER_LINE.match(lines[0].lstrip("\ufeff")):
        return DecodedText(text, ())
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("{")), None)
    if start is None or any(
        not _WRAPPER_LINE.match(line) for line in lines[:start] if line.strip()
    ):
        return DecodedText(text, ())
    body = "".join(lines[start:]).lstrip()  # the document line may be indented
    try:
        _, end = json.JSONDecoder().raw_decode(body)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return DecodedText(body, ())
    rest = body[end:].splitlines()
    if any(line.strip() and not _WRAPPER_LINE.match(line) for line in rest):
        return DecodedText(body, ())
    return DecodedText(
        body[:end],
        ("recovered the plan from setup-terraform wrapper output; set terraform_wrapper: false",),
    )


@dataclass(frozen=True, slots=True)
class DecodedBytes:
    """UTF-8 JSON bytes to decode, where they start, and what had to be done to get them."""

    body: bytes
    start: int
    """Offset of the first character that is not JSON whitespace; -1 when there is none."""
    notes: tuple[str, ...]

    @property
    def first(self) -> bytes:
        return self.body[self.start : self.start + 1]

    def head(self, limit: int = 20000) -> str:
        """The text from the first content character on, for messages and recognisers."""
        return self.body[self.start : self.start + limit].decode("utf-8", "replace")

    def text(self) -> str:
        """The whole body as text (validated UTF-8), for the slow path that explains refusals."""
        return self.body.decode("utf-8")


def utf8_body(data: bytes, name: str) -> DecodedBytes:
    """The input as validated UTF-8 bytes: BOM dropped, UTF-16 transcoded, wrapper stripped."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _WRAPPER_LINE.match(
        data[:64].decode("utf-8", "replace").lstrip("\ufeff")
    ):
        decoded = strip_wrapper(decode_bytes(data, name))
        return _located(decoded.text.encode("utf-8"), decoded.notes)
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not body.isascii():
        _check_utf8(body, name)
    return _located(body, ())


def _located(body: bytes, notes: tuple[str, ...]) -> DecodedBytes:
    match = _FIRST_CONTENT.search(body)
    return DecodedBytes(body, match.start() if match else -1, notes)


def _check_utf8(body: bytes, name: str) -> None:
    """Validate UTF-8 chunk by chunk, so that no str of the whole document is ever held."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(body), _CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(body[start : start + _CHUNK], final=start + _CHUNK >= len(body))
        except UnicodeDecodeError as error:
            offset = start - pending + error.start
            raise InputError(
                f"{name}: not UTF-8 text (invalid byte 0x{body[offset]:02x} at offset {offset}); "
                "expected the JSON written by `terraform show -json PLANFILE`"
            ) from None
