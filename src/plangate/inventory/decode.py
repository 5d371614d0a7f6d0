"""Decode one inventory record, as ExportAssets, `gcloud asset list` or ListAssets give it.

ExportAssets writes proto field names (snake_case); gcloud and the REST API write camelCase.
Both spellings of the envelope are accepted; `resource.data` is the service's own JSON and is
kept as it is (frozen), or parsed first where a BigQuery export wrote it as a JSON string.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from plangate.errors import InputError
from plangate.inventory.model import Asset, Binding
from plangate.plan.values import NestedTooDeeply, freeze

_ENVELOPE_ALIASES = {
    "assetType": "asset_type",
    "iamPolicy": "iam_policy",
    "updateTime": "update_time",
}


def _field(raw: Mapping[str, Any], name: str) -> Any:
    if name in raw:
        return raw[name]
    for alias, canonical in _ENVELOPE_ALIASES.items():
        if canonical == name and alias in raw:
            return raw[alias]
    return None


def asset_from_dict(raw: Any, where: str) -> Asset:
    """One record to an Asset; `where` (file:line, page) names it in the one-line error."""
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: an inventory record must be a JSON object, not {_kind(raw)}")
    name, asset_type = raw.get("name"), _field(raw, "asset_type")
    if not isinstance(name, str) or not name.startswith("//"):
        raise InputError(
            f'{where}: no full resource name (expected "name": "//SERVICE.googleapis.com/...")'
        )
    if not isinstance(asset_type, str) or "/" not in asset_type:
        raise InputError(
            f'{where}: no asset type (expected "asset_type": "SERVICE.googleapis.com/Kind")'
        )
    resource, policy = raw.get("resource"), _field(raw, "iam_policy")
    if resource is not None and not isinstance(resource, Mapping):
        raise InputError(f"{where}: resource must be an object, not {_kind(resource)}")
    data = (resource or {}).get("data")
    if isinstance(data, str):  # a BigQuery export keeps resource.data as a JSON string
        data = _json_object(data, where)
    if data is not None and not isinstance(data, Mapping):
        raise InputError(f"{where}: resource.data must be an object, not {_kind(data)}")
    try:
        frozen = freeze(dict(data)) if data is not None else None
    except NestedTooDeeply:
        raise InputError(f"{where}: resource.data is nested too deeply") from None
    ancestors = raw.get("ancestors") or ()
    if not isinstance(ancestors, list | tuple) or not all(isinstance(a, str) for a in ancestors):
        raise InputError(f"{where}: ancestors must be a list of names such as projects/123")
    return Asset(
        name=name,
        asset_type=asset_type,
        data=frozen if resource is not None else None,
        bindings=_bindings(policy, where) if policy is not None else None,
        location=_optional_text((resource or {}).get("location")),
        parent=_optional_text((resource or {}).get("parent")),
        ancestors=tuple(ancestors),
        update_time=_optional_text(_field(raw, "update_time")),
    )


def _json_object(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(f"{where}: resource.data is a string that is not a JSON object") from None


def _bindings(policy: Any, where: str) -> tuple[Binding, ...]:
    if not isinstance(policy, Mapping):
        raise InputError(f"{where}: iam_policy must be an object, not {_kind(policy)}")
    found = []
    for binding in policy.get("bindings") or ():
        if not isinstance(binding, Mapping) or not isinstance(binding.get("role"), str):
            raise InputError(f"{where}: an IAM binding needs a role (expected {{role, members}})")
        members = binding.get("members") or ()
        if not isinstance(members, list | tuple) or not all(isinstance(m, str) for m in members):
            raise InputError(f"{where}: the members of {binding['role']} must be strings")
        condition = binding.get("condition")
        expression = condition.get("expression") if isinstance(condition, Mapping) else None
        found.append(
            Binding(
                role=binding["role"],
                members=tuple(members),
                condition=expression if isinstance(expression, str) and expression else None,
            )
        )
    return tuple(found)


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
