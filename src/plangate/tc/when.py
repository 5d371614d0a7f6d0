"""When steps: they narrow the stash; an empty result skips the rest of the scenario."""

from __future__ import annotations

from typing import Any

from plangate.plan.values import Marker
from plangate.tc.context import Context, Skip, addresses_of
from plangate.tc.lookup import _MISSING, find_property
from plangate.tc.matching import Match, Undecidable, check_known
from plangate.tc.view import REFERENCES

TYPES = ("resource", "variable", "provider", "data", "resource that supports tags")


def metadata_has(
    ctx: Context, key: str, value: str, *, has: bool = True, regex: bool = False
) -> None:
    match = ctx.match.with_regex(regex)
    if match.equals(key, "values"):
        ctx.error(
            'The key "values" is not metadata, please use the "When its property has something" step instead.'
        )
        return
    kept = []
    for entity in _entities(ctx):
        meta = match.get(entity, key, {})
        meta = meta if isinstance(meta, list | dict) else [meta]
        if match.contains(meta, value) == has:
            kept.append(entity)
    ctx.stash = kept
    ctx.addresses = addresses_of(kept)
    if not kept:
        if has:
            raise Skip(f'Could not find "{value}" in "{key}" metadata.')
        raise Skip(f'Found "{value}" in "{key}" metadata for all resources.')


def key_is_value(
    ctx: Context,
    key: str,
    value: str,
    dict_value: str | None = None,
    address: str | None = None,
    *,
    regex: bool = False,
    negate: bool = False,
) -> None:
    """`its KEY is VALUE` and its variants; `negate` for `is not`. Undecidable values fail the step."""
    match = ctx.match.with_regex(regex)
    lookup_key = REFERENCES if key == "reference" else key
    kept: list[Any] = []
    last: Any = _MISSING
    for obj in _entities(ctx):
        try:
            hit, last = _key_matches(match, obj, lookup_key, value, dict_value, address)
        except Undecidable as error:
            ctx.error(f"{obj.get('address', ctx.name)}: {key} {error}; {value!r} cannot be checked")
            continue
        if hit is None:
            continue
        if hit != negate:
            kept.append(obj)
    if ctx.errors:
        return
    if kept:
        ctx.stash = kept
        ctx.addresses = addresses_of(kept)
        return
    where = ", ".join(ctx.addresses)
    if last is _MISSING:
        raise Skip(f"Could not find {key} in {where}.")
    pair = value if dict_value is None else f"{value}={dict_value}"
    raise Skip(f"{'Found' if negate else 'Can not find'} {pair} {key} in {where}.")


def _key_matches(
    match: Match,
    obj: dict[str, Any],
    key: str,
    value: str,
    dict_value: str | None,
    address: str | None,
) -> tuple[bool | None, Any]:
    values = obj.get("values", {}) if isinstance(obj, dict) else obj
    if isinstance(values, list):
        for element in values:
            if isinstance(element, dict):
                found = match.get(element, key, _MISSING)
                if found is not _MISSING and _scalar_equal(match, found, value):
                    return True, found
        return False, values
    found = match.get(values, key, _MISSING)
    if found is _MISSING:
        found = match.get(obj, key, _MISSING)
    if address is not None and isinstance(found, dict) and match.contains(found, address):
        found = match.get(found, address)
    if found is _MISSING:
        return None, _MISSING
    check_known(found)
    if isinstance(found, str):
        return match.equals(found.split("[")[0], value), found
    if isinstance(found, bool | int | float):
        return match.equals(found, value), found
    if isinstance(found, list):
        for item in found:
            check_known(item)
        return match.contains([str(v) for v in found], value), found
    if isinstance(found, dict):
        candidate = match.get(found, value, _MISSING)
        if candidate is _MISSING:
            return False, found
        check_known(candidate)
        return candidate is not None and (
            dict_value is None or _scalar_equal(match, candidate, dict_value)
        ), found
    if found is None:
        return match.equals("None", value), found
    return False, found


def _scalar_equal(match: Match, found: Any, value: str) -> bool:
    check_known(found)
    return isinstance(found, bool | int | float | str) and match.equals(found, value)


def it_has(ctx: Context, something: str, *, narrow_to_values: bool = False) -> None:
    """`it has X` keeps the resources that have X; `it contains X` (older form) stashes X's values."""
    if ctx.type == "provider":
        kept = [p for p in _entities(ctx) if ctx.match.seek_key(p, something)]
        if kept:
            ctx.stash = kept
            ctx.property_name = something
            return
        raise Skip(f"Skipping the step since {ctx.type} type does not have {something} property.")
    kept = []
    for entity in _entities(ctx):
        present, found = find_property(ctx.match, _values(entity), something)
        found = [v for v in found if not _empty(v)]
        if present and found:
            if narrow_to_values:
                kept.append(
                    {"address": entity.get("address"), "values": _single(found), "type": ctx.name}
                )
            else:
                kept.append(entity)
    if kept:
        ctx.stash = kept
        ctx.property_name = something
        ctx.addresses = addresses_of(kept)
        return
    raise Skip(f"Can not find any {something} property for {ctx.name} resource in terraform plan.")


def it_does_not_have(ctx: Context, something: str) -> None:
    if ctx.type == "provider":
        kept = [p for p in _entities(ctx) if not ctx.match.seek_key(p, something)]
    else:
        kept = []
        for entity in _entities(ctx):
            present, found = find_property(ctx.match, _values(entity), something)
            if not (present and any(not _empty(v) for v in found)):
                kept.append(entity)
    ctx.property_name = something
    if kept:
        ctx.stash = kept
        ctx.addresses = addresses_of(kept)
        return
    raise Skip(f"All objects ({ctx.name}) coming from previous step has {something} property.")


def count(ctx: Context, action: str) -> None:
    if action != "count":
        ctx.error(f"Invalid action_type in the scenario: {action}")
        return
    stash = ctx.stash
    if not isinstance(stash, list):
        return
    if (
        ctx.property_name in TYPES
        or not stash
        or not isinstance(stash[0], dict)
        or "values" not in stash[0]
    ):
        ctx.stash = {"values": len(stash)}
        return
    total = 0
    for item in stash:
        value = item.get("values")
        check_known(value)
        total += len(value) if isinstance(value, list | dict) and value else 1
    ctx.stash = {"values": total}


def _entities(ctx: Context) -> list[Any]:
    return ctx.stash if isinstance(ctx.stash, list) else [ctx.stash]


def _values(entity: Any) -> Any:
    if isinstance(entity, dict) and "values" in entity and "address" in entity:
        return entity["values"]
    return entity


def _empty(value: Any) -> bool:
    return not isinstance(value, Marker) and value in ([], "", {})


def _single(found: list[Any]) -> Any:
    return found[0] if len(found) == 1 else found
