"""How plan JSON is decoded: one C pass over the document, values left undecoded until read.

The model's classes are msgspec structs whose field types mirror the envelope schema, so
decoding the document also type-checks it. Attribute values (`before`, `after`, resource
`values`) are kept as `msgspec.Raw` slices of the input: a policy that never reads a value
never pays for it, and a value read is decoded, merged with its masks and dropped again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, Final, TypeAlias

import msgspec

from plangate.errors import InputError
from plangate.plan.values import freeze_mask, resolve

NULL: Final = msgspec.Raw(b"null")
EMPTY_OBJECT: Final = msgspec.Raw(b"{}")
NO_MASK: Final = msgspec.Raw(b"false")
UNWRITTEN: Final = msgspec.Raw(b"false")
"""A mask the document did not write (compared by identity; it hides nothing by itself)."""

Mask: TypeAlias = msgspec.Raw
"""A sensitive or unknown mask as Terraform writes it (a boolean, or a tree of them), raw.

Masks are kept raw like values: decoding every mask of a plan into dicts took half the
time of decoding the whole document. `is_mask` checks the JSON type, as the schema does.
"""

_MASK_STARTS: Final = frozenset(b"tf{[")  # true, false, object, array

Index: TypeAlias = int | str
NonEmpty: TypeAlias = Annotated[str, msgspec.Meta(min_length=1)]
PathStepValue: TypeAlias = str | int


class Wire(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """Base of every decoded struct: immutable, keyword-built, unknown keys ignored."""


_VALUES = msgspec.json.Decoder(float_hook=float)
"""`float_hook` keeps json.loads' reading of numbers: 1e999 is infinity, not an error."""


class ValueRefused(InputError):
    """A value found unreadable when read (nested too deeply, a number too long): bad input,
    exit 2. Its message names neither plan nor resource; whoever reads it adds them."""


@contextmanager
def refusing_unreadable() -> Iterator[None]:
    """Turn what a value beyond reason raises while read into ValueRefused."""
    try:
        yield
    except (RecursionError, msgspec.ValidationError) as error:
        raise refusal(error) from None


def refusal(error: RecursionError | msgspec.ValidationError) -> ValueRefused:
    """Why a value could not be read (values.NestedTooDeeply is a RecursionError)."""
    if isinstance(error, RecursionError):
        return ValueRefused("values nested too deeply to be a plan")
    return ValueRefused("a JSON number has too many digits to be a plan value")


def resolve_raw(
    raw: msgspec.Raw, unknown: Mask | bool = False, sensitive: Mask | bool = False
) -> Any:
    """A raw value decoded and merged with its (raw or literal) masks (see `values.resolve`).

    A plain try rather than `refusing_unreadable`: this runs for every value read, and the
    context manager's generator costs a fifth of it.
    """
    try:
        return resolve(_VALUES.decode(raw), mask_value(unknown), mask_value(sensitive))
    except (RecursionError, msgspec.ValidationError) as error:
        raise refusal(error) from None


def mask_value(mask: Mask | bool) -> Any:
    """A mask as plain booleans, dicts and lists."""
    if type(mask) is not msgspec.Raw:
        return mask
    return False if mask is NO_MASK else _VALUES.decode(mask)


def frozen_mask(mask: Mask) -> Any:
    """A raw sensitive mask, frozen to its hiding leaves (see `values.freeze_mask`)."""
    with refusing_unreadable():
        return freeze_mask(mask_value(mask))


_MASK_KEY = re.compile(rb'"(?:[^"\\]|\\.)*"\s*:')
_MASK_SYNTAX = b"{}[],: \t\r\n"


def _plainly_hides_nothing(mask: Mask) -> bool:
    """True when the mask's text, keys aside, holds no leaf but `false`: settled in C.

    Anything else (a `true`, or a malformed leaf such as a number or string, which hides
    too) is left to the decoder.
    """
    text = _MASK_KEY.sub(b"", bytes(mask)).replace(b"false", b"")
    return not text.translate(None, _MASK_SYNTAX)


def hidden_attributes(*masks: Mask) -> set[str]:
    """Top-level attribute names that sensitive masks hide (decoding only masks that may)."""
    found: set[str] = set()
    for mask in masks:
        if _plainly_hides_nothing(mask):
            continue
        frozen = frozen_mask(mask)
        if isinstance(frozen, Mapping):
            found.update(str(key) for key in frozen)
    return found


def is_mask(raw: msgspec.Raw) -> bool:
    """Whether a raw slice is a boolean, object or array (msgspec slices start at the value)."""
    return memoryview(raw)[0] in _MASK_STARTS


def starts_object(raw: msgspec.Raw) -> bool:
    """Whether a raw slice is a JSON object (msgspec slices start at the value's first byte)."""
    return memoryview(raw)[0] == 0x7B  # {


def plain_value(raw: msgspec.Raw) -> Any:
    """A raw section decoded as plain dicts and lists, for builders that read it with `get`."""
    with refusing_unreadable():
        return _VALUES.decode(raw)
