"""Finding a property inside a resource the way terraform-compliance does: top-level key first,
then any nested block or list element, then `{key = ..., value = ...}` pairs (tag lists)."""

from __future__ import annotations

from typing import Any

from plangate.tc.matching import SCALARS, Match


def find_property(match: Match, values: Any, something: str) -> tuple[bool, list[Any]]:
    """Whether the property is there, and every value it has (a nested block can hold it many times).

    A null or empty-string value counts as present and an empty list as absent, as in
    terraform-compliance; a value known only after apply counts as present.
    """
    found: list[Any] = []
    present = False
    if isinstance(values, dict):
        top = match.get(values, something, _MISSING)
        pairs = [{something: top}] if top is not _MISSING else match.seek_key(values, something)
        for pair in pairs:
            value = next(iter(pair.values()))
            if value != []:
                found.append(value)
                present = True
    elif isinstance(values, list):
        for item in values:
            if isinstance(item, dict):
                pairs = match.seek_key(item, something)
                if not pairs and _tag_pair(match, item, something):
                    value = item.get("value")
                    found.extend(value if isinstance(value, list) else [value])
                    present = True
                    continue
                for pair in pairs:
                    value = next(iter(pair.values()))
                    if value not in (None, [], "", {}):
                        found.append(value)
                        present = True
            elif isinstance(item, list):
                inner_present, inner = find_property(match, item, something)
                found.extend(inner)
                present = present or inner_present
            elif isinstance(item, SCALARS) and match.equals(item, something):
                found.append(item)
                present = True
    return present, found


def _tag_pair(match: Match, item: dict[str, Any], something: str) -> bool:
    key = match.get(item, "key", _MISSING)
    return isinstance(key, str) and match.regex_match(f"^{something}$", key) is not None


class _Missing:
    pass


_MISSING: Any = _Missing()
