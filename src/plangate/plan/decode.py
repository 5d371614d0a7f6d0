"""Bytes to JSON text: encodings people really produce, and CI wrappers that pollute output."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

from plangate.errors import InputError

_WRAPPER_LINE = re.compile(r"^(\[command\]|::[a-z-]+( [^:]*)?::)")


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
    body = "".join(lines[start:])
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
