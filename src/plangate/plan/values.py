"""Attribute values as plangate sees them.

A Terraform attribute can be absent, null, unknown until apply, sensitive, or a known value.
Plans spread that over three documents (`after`, `after_unknown`, `after_sensitive`); callers
should never have to combine them, so the loader merges them once into frozen values that
carry `UNKNOWN` and `SENSITIVE` markers, and `get_path` answers `ABSENT` for a missing key.
Sensitive plaintext is dropped at that point: nothing downstream can leak what it never holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final, TypeAlias

PathStep: TypeAlias = str | int
Path: TypeAlias = tuple[PathStep, ...]


class Marker:
    """A singleton that stands in for a value plangate cannot or must not show."""

    __slots__ = ("_label",)

    def __init__(self, label: str) -> None:
        self._label = label

    def __repr__(self) -> str:
        return self._label

    __str__ = __repr__

    def __bool__(self) -> bool:
        raise TypeError(f"{self._label} has no truth value; compare it explicitly")

    def __copy__(self) -> Marker:
        return self

    def __deepcopy__(self, memo: object) -> Marker:
        return self

    def __reduce__(self) -> str:
        return _MARKER_NAMES[self._label]


UNKNOWN: Final = Marker("(known after apply)")
SENSITIVE: Final = Marker("(sensitive)")
ABSENT: Final = Marker("(absent)")
_MARKER_NAMES = {"(known after apply)": "UNKNOWN", "(sensitive)": "SENSITIVE", "(absent)": "ABSENT"}

EMPTY_MAPPING: Final[Mapping[str, Any]] = MappingProxyType({})

_STEP = re.compile(r"\[(\d+)\]|\[\"((?:[^\"\\]|\\.)*)\"\]|\.?([^.\[\]]+)")


def parse_path(text: str | Path) -> Path:
    """Turn `versioning[0].enabled`, `versioning.0.enabled` or a tuple into path steps."""
    if isinstance(text, tuple):
        return text
    return _parsed(text)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> Path:
    """Paths come from policy and feature text: a few hundred, each read for every resource."""
    steps: list[PathStep] = []
    position = 0
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"not an attribute path: {text!r}")
        index, quoted, bare = match.groups()
        if index is not None:
            steps.append(int(index))
        elif quoted is not None:
            steps.append(quoted.replace('\\"', '"'))
        else:
            steps.append(int(bare) if bare.isdigit() else bare)
        position = match.end()
    return tuple(steps)


def format_path(path: Sequence[PathStep]) -> str:
    """Write a path the way Terraform users read it: `versioning[0].enabled`."""
    out: list[str] = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", step):
            out.append(f".{step}" if out else step)
        else:
            out.append(f'["{step}"]')
    return "".join(out)


def get_path(value: Any, path: str | Path) -> Any:
    """Follow a path; a marker on the way answers for everything below it."""
    current = value
    for step in parse_path(path):
        kind = type(current)  # exact types first: the abstract Mapping check is slow
        if kind is tuple:
            if type(step) is not int:
                return ABSENT
            if step >= len(current):
                return ABSENT
            current = current[step]
        elif kind is MappingProxyType or kind is dict or isinstance(current, Mapping):
            key = str(step)
            if key not in current:
                return ABSENT
            current = current[key]
        elif kind is Marker:
            return current
        else:
            return ABSENT
    return current


MAX_DEPTH: Final = 100
"""Deepest nesting of one attribute value. Real plans stay far below; anything deeper would
make every recursive consumer (render, to_plain, json.dumps, policies) fail later instead."""


class NestedTooDeeply(RecursionError):
    """A value nested deeper than MAX_DEPTH; the loader reports it as bad input."""


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise NestedTooDeeply(f"value nested deeper than {MAX_DEPTH} levels")


def resolve(value: Any, unknown: Any = False, sensitive: Any = False, _depth: int = 0) -> Any:
    """Merge a raw value with its unknown and sensitive masks into one frozen value.

    Unknown wins over sensitive: an unknown value has no plaintext to hide. A sensitive mask
    whose shape does not match the value hides the whole value, so a malformed mask can only
    hide too much, never too little.
    """
    if not unknown and (
        sensitive is False
        or (
            not sensitive
            and type(sensitive) in _CONTAINERS
            and (value is None or type(value) is type(sensitive))
        )
    ):  # nothing unknown, nothing hidden, the mask fits: the common case, decided cheaply
        return _freeze(value, _depth)
    _check_depth(_depth)
    if unknown is True:
        return UNKNOWN
    if sensitive is True:
        return SENSITIVE
    if type(sensitive) in _CONTAINERS and value is not None and type(value) is not type(sensitive):
        return SENSITIVE  # a mask that does not fit its value hides it all, even an empty one
    if not has_true(unknown) and not _hides_in(value, sensitive):
        return _freeze(value, _depth)
    if isinstance(value, dict) or (isinstance(unknown, dict) and value is None and unknown):
        if not isinstance(sensitive, dict | bool) or not isinstance(unknown, dict | bool):
            return (
                SENSITIVE
                if _hides_in(value, sensitive)
                else UNKNOWN
                if has_true(unknown)
                else _freeze(value, _depth)
            )
        raw = value if isinstance(value, dict) else {}
        unknown_map = unknown if isinstance(unknown, dict) else {}
        sensitive_map = sensitive if isinstance(sensitive, dict) else {}
        merged = {
            key: resolve(
                raw.get(key), unknown_map.get(key, False), sensitive_map.get(key, False), _depth + 1
            )
            for key in raw.keys() | {k for k, v in unknown_map.items() if v is True or has_true(v)}
        }
        return MappingProxyType(merged)
    if isinstance(value, list):
        if not isinstance(sensitive, list | bool) or not isinstance(unknown, list | bool):
            return (
                SENSITIVE
                if _hides_in(value, sensitive)
                else UNKNOWN
                if has_true(unknown)
                else _freeze(value, _depth)
            )
        unknown_list = unknown if isinstance(unknown, list) else []
        sensitive_list = sensitive if isinstance(sensitive, list) else []
        return tuple(
            resolve(
                item,
                unknown_list[i] if i < len(unknown_list) else False,
                sensitive_list[i] if i < len(sensitive_list) else False,
                _depth + 1,
            )
            for i, item in enumerate(value)
        )
    if _hides(sensitive):
        return SENSITIVE
    return value


def freeze(value: Any) -> Any:
    """A decoded JSON value made read-only (dicts to mappings, lists to tuples), depth-checked."""
    return _freeze(value)


def _freeze(value: Any, _depth: int = 0) -> Any:
    """Dicts to read-only mappings and lists to tuples; scalars are not recursed into (hot path)."""
    kind = type(value)
    if kind is dict:
        _check_depth(_depth)
        deeper = _depth + 1
        return MappingProxyType(
            {k: _freeze(v, deeper) if type(v) in _CONTAINERS else v for k, v in value.items()}
        )
    if kind is list:
        _check_depth(_depth)
        deeper = _depth + 1
        return tuple([_freeze(v, deeper) if type(v) in _CONTAINERS else v for v in value])
    return value


_CONTAINERS: Final = (dict, list)


# _hides and has_true walk masks with the same loop and differ in the leaf test. They stay
# two plain loops on purpose: both run for every value of every resource, and a shared
# generator made building a 10,000-resource plan 30 % slower (measured).


def _hides(mask: Any) -> bool:
    """Whether a sensitive mask hides anything; a leaf that is neither a boolean nor a
    container is malformed, and a malformed mask hides rather than leaks."""
    pending = [mask]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif item is not False:
            return True
    return False


def _hides_in(value: Any, mask: Any) -> bool:
    """Whether a sensitive mask hides anything of `value`: a hiding leaf, or a container of
    the mask whose value at that place is of another shape (a malformed mask hides)."""
    pending = [(value, mask)]
    while pending:
        item, part = pending.pop()
        kind = type(part)
        if kind is dict:
            if item is None:
                item = {}
            elif type(item) is not dict:
                return True
            pending.extend((item.get(key), sub) for key, sub in part.items())
        elif kind is list:
            if item is None:
                item = []
            elif type(item) is not list:
                return True
            pending.extend(
                (item[index] if index < len(item) else None, sub) for index, sub in enumerate(part)
            )
        elif part is not False:
            return True
    return False


def has_true(mask: Any) -> bool:
    """Whether an unknown mask marks anything unknown (only `true` leaves count)."""
    pending = [mask]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif item is True:
            return True
    return False


def freeze_mask(mask: Any, _depth: int = 0) -> Any:
    """Keep only the hiding leaves of a sensitive mask, frozen (malformed leaves count as True)."""
    _check_depth(_depth)
    if not _hides(mask):
        return EMPTY_MAPPING if isinstance(mask, dict) else () if isinstance(mask, list) else False
    if isinstance(mask, dict):
        kept = {key: freeze_mask(item, _depth + 1) for key, item in mask.items() if _hides(item)}
        return MappingProxyType(kept)
    if isinstance(mask, list):
        return tuple(freeze_mask(item, _depth + 1) for item in mask)
    return _hides(mask)


def mask_paths(mask: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path whose leaf is marked True in a mask."""
    if mask is True:
        yield prefix
    elif isinstance(mask, Mapping):
        for key, item in mask.items():
            yield from mask_paths(item, (*prefix, key))
    elif isinstance(mask, tuple | list):
        for index, item in enumerate(mask):
            yield from mask_paths(item, (*prefix, index))


def changed_paths(before: Any, after: Any, prefix: Path = ()) -> Iterator[Path]:
    """Leaf paths whose resolved values differ; lists of different length differ as a whole."""
    if before is after:
        return
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted(before.keys() | after.keys()):
            yield from changed_paths(
                before.get(key, ABSENT), after.get(key, ABSENT), (*prefix, key)
            )
    elif isinstance(before, tuple) and isinstance(after, tuple) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            yield from changed_paths(old, new, (*prefix, index))
    elif isinstance(before, Marker) or type(before) is not type(after) or before != after:
        yield prefix


def to_plain(value: Any) -> Any:
    """A JSON-ready copy: mappings become dicts, tuples lists, markers their label."""
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, Marker):
        return str(value)
    return value


def render(value: Any) -> str:
    """A short human rendering for messages: JSON-like, markers as their label."""
    if isinstance(value, Marker):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    return str(value)
