"""Then steps: they judge the stash; every resource that breaks the rule adds a message naming it."""

from __future__ import annotations

import re
from typing import Any

from plangate.plan.values import Marker, render
from plangate.tc.context import Context
from plangate.tc.lookup import find_property
from plangate.tc.matching import SCALARS, Undecidable, check_known
from plangate.tc.view import REFERENCES

_CONTAINERS = ("resource", "data", "provider")
"""What `it must (not) contain` judges: terraform-compliance passes it over variables and outputs."""


def must_contain(ctx: Context, something: str) -> None:
    if ctx.type not in _CONTAINERS:
        return
    if ctx.type == "provider":
        found = []
        for provider in _list(ctx.stash):
            hits = ctx.match.seek_key(provider, something)
            if not hits:
                ctx.error(
                    f"{provider.get('address', ctx.name)} provider does not have {something} property."
                )
            found.extend(hits)
        if found:
            ctx.stash = found
            ctx.property_name = something
        return
    stash: list[Any] = []
    for entity in _list(ctx.stash):
        address, values = _address_values(ctx, entity)
        present, found = find_property(ctx.match, values, something)
        if not present:
            ctx.error(f"{address} ({_type(ctx, entity)}) does not have {something} property.")
            continue
        stash.extend({"address": address, "values": value, "type": ctx.name} for value in found)
    if stash:
        ctx.stash = stash
        ctx.property_name = something


def must_not_contain(ctx: Context, something: str) -> None:
    if ctx.type not in _CONTAINERS:
        return
    for entity in _list(ctx.stash):
        if ctx.type == "provider":
            if ctx.match.seek_key(entity, something):
                ctx.error(f"{entity.get('address', ctx.name)} provider has {something} property.")
            continue
        address, values = _address_values(ctx, entity)
        present, _ = find_property(ctx.match, values, something)
        if present:
            ctx.error(f"{something} property exists in {address} ({_type(ctx, entity)}).")


def value_matches(ctx: Context, condition: str, pattern: str, *, mode: str = "all") -> None:
    """`its value must (not) match the "re" regex`; `mode` "any" or "singular" for those forms."""
    if condition not in ("must", "must not"):
        ctx.error(f'Condition must be one of "must" or "must not", not "{condition}"')
        return
    must = condition == "must"
    if mode == "any":
        _any_value_matches(ctx, must, pattern)
        return
    for address, value in _leaves_by_address(ctx):
        if mode == "singular" and isinstance(value, list | dict) and len(value) > 1:
            ctx.error(
                f"{ctx.property_name} is multivalued! Please use any/all versions of this step instead."
            )
            return
        scalars = list(_scalars(value))
        unknown = [v for v in scalars if isinstance(v, Marker)]
        results = [
            ctx.match.regex_match(pattern, _str(v)) is not None
            for v in scalars
            if not isinstance(v, Marker)
        ]
        if all(ok == must for ok in results):
            if unknown:
                _undecided(
                    ctx, address, unknown[0], f"must{'' if must else ' not'} match {pattern}"
                )
            continue
        _regex_error(ctx, must, pattern, address, value)


def _any_value_matches(ctx: Context, must: bool, pattern: str) -> None:
    """`any of its values`: one value of the whole stash (any resource) is enough, as in tc."""
    leaves = _leaves_by_address(ctx)
    unknown: list[tuple[str, Marker]] = []
    for address, value in leaves:
        for scalar in _scalars(value):
            if isinstance(scalar, Marker):
                unknown.append((address, scalar))
            elif (ctx.match.regex_match(pattern, _str(scalar)) is not None) == must:
                return
    address = ", ".join(dict.fromkeys(a for a, _ in leaves)) or ctx.name
    if unknown:
        _undecided(
            ctx, unknown[0][0], unknown[0][1], f"must{'' if must else ' not'} match {pattern}"
        )
        return
    _regex_error(ctx, must, pattern, address, [value for _, value in leaves])


def _regex_error(ctx: Context, must: bool, pattern: str, address: str, value: Any) -> None:
    text = "does not match" if must else "matches"
    flag = "case sensitive" if ctx.match.case_sensitive else "case insensitive"
    ctx.error(
        f"{ctx.property_name} property in {address} {ctx.type} {text} with {pattern} {flag} regex. "
        f"It is set to {render(value)}."
    )


def value_equals(ctx: Context, condition: str, expected: str) -> None:
    if (
        expected in "null"
    ):  # tc ignores this form for "null" (and its substrings); the null form handles it
        return
    value_matches(ctx, condition, f"^{re.escape(expected)}$")


def value_null(ctx: Context, condition: str) -> None:
    if condition not in ("must", "must not"):
        ctx.error('Condition must be one of "must" or "must not"')
        return
    must = condition == "must"
    for entity in _list(ctx.stash):
        address = entity.get("address", ctx.name) if isinstance(entity, dict) else ctx.name
        values = entity.get("values", {}) if isinstance(entity, dict) else entity
        if isinstance(values, Marker):
            _undecided(ctx, address, values, f"must{'' if must else ' not'} be null")
            continue
        null = _is_null(values)
        if null != must and not (isinstance(values, dict | list) and not null):
            ctx.error(
                f"{ctx.property_name} property in {address} is considered to be "
                f'{"Null" if null else "not Null"}. It is set to "{render(values)}".'
            )
        elif isinstance(values, dict | list) and not null:
            inner = list(values.values()) if isinstance(values, dict) else values
            if any(isinstance(v, Marker) for v in inner):
                _undecided(
                    ctx, address, next(v for v in inner if isinstance(v, Marker)), "null check"
                )
                continue
            all_null = all(_is_null(v) for v in inner)
            if all_null != must:
                ctx.error(
                    f"Multivalued {ctx.property_name} property in {address} is considered to be "
                    f'{"Null" if all_null else "not Null"}. It is set to "{render(values)}".'
                )


def value_contains(ctx: Context, condition: str, needle: str) -> None:
    if condition not in ("must", "must not"):
        ctx.error("Condition should be one of: `must`, `must not`")
        return
    for address, value in _leaves_by_address(ctx):
        try:
            found = ctx.match.seek_value(needle, value, address)
        except Undecidable as error:
            ctx.error(f"{address}: {ctx.property_name} {error}; cannot check it contains {needle}")
            continue
        if condition == "must" and not found:
            ctx.error(f"{needle} could not found in {address}.")
        elif condition == "must not" and found:
            ctx.error(f"{needle} found in {address}.")


def compare_number(ctx: Context, operator: str, number: int) -> None:
    checks = {
        ("more", "greater", "bigger"): (lambda a: a > number, "more than"),
        ("more and equal", "greater and equal", "bigger and equal"): (
            lambda a: a >= number,
            "more and equal than",
        ),
        ("less", "lesser", "smaller"): (lambda a: a < number, "less than"),
        ("less and equal", "lesser and equal", "smaller and equal"): (
            lambda a: a <= number,
            "less and equal than",
        ),
        ("equal",): (lambda a: a == number, "equal to"),
    }
    rule = next((value for names, value in checks.items() if operator in names), None)
    if rule is None:
        ctx.error(f"Invalid operator: {operator}")
        return
    for address, value in _leaves_by_address(ctx):
        if isinstance(value, Marker):
            _undecided(ctx, address, value, f"must be {rule[1]} {number}")
            continue
        try:
            actual = int(value)
        except (TypeError, ValueError):
            ctx.error(f"for {address} on {ctx.property_name}. {render(value)} is not a number.")
            continue
        if not rule[0](actual):
            ctx.error(f"for {address} on {ctx.property_name}. {actual} is not {rule[1]} {number}.")


def key_must_be(ctx: Context, key: str, condition: str, value: str) -> None:
    if condition not in ("must", "must not"):
        ctx.error('This step only accepts "must" and "must not" as a condition.')
        return
    must = condition == "must"
    if not ctx.stash:
        ctx.error(
            "No entities found for this step to process. Check your filtering steps in this scenario."
        )
        return
    found_all: list[str] = []
    for entity in _list(ctx.stash):
        address = entity.get("address", ctx.name) if isinstance(entity, dict) else ctx.name
        haystack = entity if isinstance(entity, dict) else {f"not_{key}": entity}
        if isinstance(entity, SCALARS):
            ctx.error(
                f"Value {value} found in {key} property of {address}, but is not in {{key: value}} format."
                if must and ctx.match.equals(entity, value)
                else f"Can not find {value} in {key} property of {address}."
            )
            continue
        try:
            found = ctx.match.seek_regex_values(haystack, key, value)
        except Undecidable as error:
            ctx.error(f"{address}: {key} {error}; cannot check it {condition} be {value}")
            continue
        if must and not found:
            ctx.error(f"Can not find {value} in {key} property of {address}.")
        elif found and not must:
            ctx.error(f"Found {value}({', '.join(found)}) in {key} property of {address}.")
        found_all.extend(found)
    ctx.stash = found_all


def flatten(ctx: Context) -> None:
    values = [e.get("values", e) if isinstance(e, dict) else e for e in _list(ctx.stash)]
    addresses = [
        str(e.get("address", e)) if isinstance(e, dict) else str(e) for e in _list(ctx.stash)
    ]
    if values:
        ctx.stash = {"address": ", ".join(addresses), "values": values}


def must_be_in(ctx: Context, haystack: str, *, cover: bool = False, negate: bool = False) -> None:
    values = [e.get("values") if isinstance(e, dict) else e for e in _list(ctx.stash)]
    if any(not isinstance(v, (*SCALARS, Marker)) for v in values):
        ctx.error("Values are not of the correct type. (bool, str, int, float)")
        return
    parsed = in_step_variable(ctx, haystack)
    if parsed is None:
        ctx.error(f"Could not resolve haystack: {haystack}")
        return
    try:
        inside = ctx.match.issubset(parsed, values) if cover else ctx.match.issubset(values, parsed)
    except Undecidable as error:
        ctx.error(f"{', '.join(ctx.addresses)}: {error}; cannot check membership in {haystack}")
        return
    if inside == negate:
        if cover:
            ctx.error(f"Selected resources {'cover' if negate else 'does not cover'} {haystack}.")
        else:
            ctx.error(f"{haystack} {'covers' if negate else 'does not cover'} selected resources.")


def in_step_variable(ctx: Context, text: str) -> list[Any] | None:
    """`{type.values.attr}` (optionally `[i]`, `[a:b]`, `[]`) read from everything the Givens
    selected: the path starts at the resource itself, as in tc, so attributes are under `values`."""
    found = re.match(r"(.*){(.*)}(.*)", text)
    if found is None:
        return None
    query = found.group(2).split(".")
    kind = query.pop(0)
    result: list[Any] = [
        e
        for e in ctx.cumulative
        if isinstance(e, dict)
        and isinstance(e.get("type"), str)
        and ctx.match.equals(e["type"], kind)
    ]
    for part in query:
        index = re.fullmatch(r"\[([0-9]*)(:)?([0-9]*)\]", part)
        if index and part != "[]":
            if not index.group(2):
                result = [item[int(index.group(1))] for item in result if isinstance(item, list)]
            else:
                start = int(index.group(1)) if index.group(1) else 0
                end = int(index.group(3)) if index.group(3) else len(result)
                result = [inner for item in result[start:end] for inner in item]
        elif part != "[]":
            result = [
                ctx.match.get(item, part) for item in result if ctx.match.contains(item, part)
            ]
    if found.group(1) or found.group(3):
        result = [f"{found.group(1)}{item}{found.group(3)}" for item in result]
    return result


def must_fail(ctx: Context) -> None:
    ctx.error(
        f"Forcefully failing the scenario on {ctx.name} ({', '.join(ctx.addresses)}) {ctx.type}"
    )


# tc's property_match_list for "encryption at rest"/"in flight"; its entries are AWS/Azure names.
_ALIASES = {
    "encryption at rest": {
        "aws_db_instance": "storage_encrypted",
        "aws_ebs_volume": "encrypted",
        "ebs_block_device": "encrypted",
        "azurerm_storage_account": "enable_blob_encryption",
        "azurerm_sql_database": "encryption",
        "aws_s3_bucket": "server_side_encryption_configuration",
        "aws_elasticache_replication_group": "at_rest_encryption_enabled",
        "aws_emr_security_configuration": "EnableAtRestEncryption",
    },
    "encryption in flight": {
        "aws_elasticache_replication_group": "transit_encryption_enabled",
        "aws_emr_security_configuration": "EnableInTransitEncryption",
    },
}


def is_enabled(ctx: Context, something: str) -> None:
    for entity in _list(ctx.stash):
        if not isinstance(entity, dict):
            continue
        prop = _ALIASES.get(something.lower(), {}).get(entity.get("type", ""), something)
        hits = ctx.match.seek_key(entity.get("values", {}), prop)
        value: Any = next(iter(hits[0].values())) if hits else []
        address = entity.get("address", "resource")
        if isinstance(value, Marker):
            _undecided(ctx, address, value, f"{prop} must be enabled")
        elif not value:
            ctx.error(
                f"Resource {address} does not have {prop} property enabled ({prop}={render(value)})."
            )


def must_be_referenced(ctx: Context, pattern: str) -> None:
    if not ctx.stash:
        ctx.error(
            "No entities found for this step to process. Check your filtering steps in this scenario."
        )
        return
    for entity in _list(ctx.stash):
        refs = entity.get(REFERENCES, []) if isinstance(entity, dict) else []
        if not any(re.match(pattern, ref) for ref in refs):
            ctx.error(
                f"{pattern} is not referenced within {entity.get('address') if isinstance(entity, dict) else entity}."
            )


def security_group(ctx: Context, condition: str, proto: str, port: str, cidr: str) -> None:
    """Ingress rules of the stash: `must`, `must not` or `must only` allow proto/port from cidr."""
    if condition not in ("must", "must not", "must only"):
        ctx.error(
            'You can only use "must have", "must not have" and "must only have" conditions on this step for now.'
            f'You tried to use "{condition}"'
        )
        return
    low, _, high = port.partition("-")
    wanted = range(int(low), int(high or low) + 1)
    for entity in _list(ctx.stash):
        rules = [
            r for r in _list(entity.get("values", {}).get("ingress", [])) if isinstance(r, dict)
        ]
        matching = [r for r in rules if _rule_allows(r, proto, wanted, cidr)]
        address = entity.get("address")
        if condition == "must" and not matching:
            ctx.error(f"{address} does not allow {proto} protocol and port {port} for {cidr}.")
        elif condition == "must not" and matching:
            ctx.error(f"{address} allows {proto} protocol and port {port} for {cidr}.")
        elif condition == "must only" and (not matching or len(matching) != len(rules)):
            ctx.error(f"{address} does not only allow {proto} protocol and port {port} for {cidr}.")


def _rule_allows(rule: dict[str, Any], proto: str, wanted: range, cidr: str) -> bool:
    for key in ("protocol", "from_port", "to_port", "cidr_blocks"):
        check_known(rule.get(key))
    protocol = str(rule.get("protocol", "")).lower()
    if protocol not in (proto.lower(), "-1", "all"):
        return False
    start, end = int(rule.get("from_port") or 0), int(rule.get("to_port") or 65535)
    return (
        start <= wanted.start and wanted.stop - 1 <= end and cidr in (rule.get("cidr_blocks") or [])
    )


def _undecided(ctx: Context, address: str, marker: Marker, what: str) -> None:
    ctx.error(f"{address}: {ctx.property_name} {Undecidable(marker)}; cannot check it {what}")


def _leaves_by_address(ctx: Context) -> list[tuple[str, Any]]:
    stash = ctx.stash
    default = ctx.address or ", ".join(ctx.addresses) or ctx.name
    if isinstance(stash, dict) and "values" in stash:
        return [(str(stash.get("address", default)), stash["values"])]
    out = []
    for entity in _list(stash):
        if isinstance(entity, dict) and "values" in entity:
            out.append((str(entity.get("address", default)), entity["values"]))
        else:
            out.append((default, entity))
    return out


def _scalars(value: Any) -> Any:
    if isinstance(value, dict):
        for item in value.values():
            yield from _scalars(item)
    elif isinstance(value, list):
        for item in value:
            yield from _scalars(item)
    else:
        yield value


def _is_null(value: Any) -> bool:
    if isinstance(value, Marker):
        return False
    return value is None or value in ([], {}) or (isinstance(value, str) and value in ("", "\x00"))


def _str(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _list(stash: Any) -> list[Any]:
    return stash if isinstance(stash, list) else [stash]


def _address_values(ctx: Context, entity: Any) -> tuple[str, Any]:
    if isinstance(entity, dict) and "values" in entity and "address" in entity:
        return str(entity["address"]), entity["values"]
    return ctx.address or ", ".join(ctx.addresses) or ctx.name, entity


def _type(ctx: Context, entity: Any) -> str:
    return str(entity.get("type", ctx.name)) if isinstance(entity, dict) else ctx.name
