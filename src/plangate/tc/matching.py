"""Comparisons as terraform-compliance makes them: case-insensitive unless @case-sensitive,
plain or Python-regex (`re.match`, anchored at the start only), over nested dicts and lists.

A value known only after apply (or hidden as sensitive) is never equal, unequal, present or
absent: comparing it raises `Undecidable`, and the step fails saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from plangate.plan.values import SENSITIVE, UNKNOWN, Marker

SCALARS = (bool, int, float, str)


class Undecidable(Exception):
    """A step needed a value plangate does not have: unknown until apply, or sensitive."""

    def __init__(self, marker: Marker) -> None:
        self.marker = marker
        what = (
            "known only after apply" if marker is UNKNOWN else "sensitive (plangate never reads it)"
        )
        super().__init__(f"cannot decide: the value is {what}")


def check_known(value: Any) -> None:
    if value is UNKNOWN or value is SENSITIVE:
        raise Undecidable(value)


@dataclass(frozen=True, slots=True)
class Match:
    """The comparison rules of one step: case sensitivity from the tags, regex from the step form."""

    case_sensitive: bool = False
    regex: bool = False

    @property
    def flags(self) -> int:
        return 0 if self.case_sensitive else re.IGNORECASE

    def with_regex(self, regex: bool) -> Match:
        return Match(self.case_sensitive, regex)

    def equals(self, left: Any, right: Any) -> bool:
        """`left` is the value found, `right` the value (or pattern) the step names."""
        check_known(left)
        if not isinstance(left, SCALARS) or not isinstance(right, SCALARS):
            return False
        if self.regex:
            return re.match(str(right), _text(left), flags=self.flags) is not None
        if self.case_sensitive:
            return _text(left) == str(right)
        return _text(left).lower() == str(right).lower()

    def regex_match(self, pattern: str, text: str) -> re.Match[str] | None:
        return re.match(pattern, text, flags=self.flags)

    def get(self, haystack: Any, key: str, default: Any = None) -> Any:
        if not isinstance(haystack, dict):
            return default
        if key in haystack:
            return haystack[key]
        for name, value in haystack.items():
            if self.equals(name, key):
                return value
        return default

    def contains(self, haystack: Any, needle: Any) -> bool:
        """First level only: a key of a dict or an element of a list."""
        if isinstance(haystack, dict | list):
            return any(self.equals(item, needle) for item in haystack)
        return False

    def seek_key(self, haystack: Any, needle: str) -> list[dict[str, Any]]:
        """Every `{key: value}` whose key matches, at any depth (a found key is not searched further)."""
        found: list[dict[str, Any]] = []
        if isinstance(haystack, dict):
            for key, value in haystack.items():
                if self.equals(key, needle):
                    found.append({key: value})
                else:
                    found.extend(self.seek_key(value, needle))
        elif isinstance(haystack, list):
            for value in haystack:
                found.extend(self.seek_key(value, needle))
        return found

    def seek_value(self, needle: str, haystack: Any, address: Any = None) -> list[Any]:
        """Every scalar equal to `needle` at any depth, with the address it was found under."""
        found: list[Any] = []
        if isinstance(haystack, Marker):
            check_known(haystack)
        elif isinstance(haystack, SCALARS):
            if self.equals(haystack, needle):
                found.append({"values": needle, "address": address})
        elif isinstance(haystack, dict):
            address = haystack.get("address", address) if address is None else address
            for value in haystack.values():
                found.extend(self.seek_value(needle, value, address))
        elif isinstance(haystack, list):
            for value in haystack:
                found.extend(self.seek_value(needle, value, address))
        return found

    def seek_regex_values(
        self, haystack: Any, key_name: str, needle: str, inside: bool = False
    ) -> list[str]:
        """Values under keys named `key_name` (at any depth) that fully match the regex `needle`."""
        pattern = f"^{needle}$"
        found: list[str] = []
        if isinstance(haystack, dict):
            for key, value in haystack.items():
                if inside or self.equals(key, key_name):
                    if isinstance(value, Marker):
                        check_known(value)
                    elif isinstance(value, SCALARS):
                        hit = self.regex_match(pattern, _text(value))
                        if hit is not None:
                            found.append(hit.group(0))
                    else:
                        found.extend(self.seek_regex_values(value, key_name, needle, True))
                else:
                    found.extend(self.seek_regex_values(value, key_name, needle, inside))
        elif isinstance(haystack, list):
            for value in haystack:
                found.extend(self.seek_regex_values(value, key_name, needle, inside))
        return found

    def issubset(self, first: list[Any], second: list[Any]) -> bool:
        for item in (*first, *second):
            check_known(item)
        if self.case_sensitive:
            return {_text(e) for e in first} <= {_text(e) for e in second}
        return {_text(e).lower() for e in first} <= {_text(e).lower() for e in second}


def _text(value: Any) -> str:
    """Booleans read as Terraform prints them in tc's features (`true`/`false`), compared case-insensitively."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    return str(value)
