"""What one scenario carries from step to step: the stash (what the last step selected), what
kind of thing it holds, and the tags that change how steps judge."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from plangate.tc.matching import Match
from plangate.tc.view import PlanView

NO_FAILURE_TAGS = frozenset(
    {"warning", "no-failure", "no-fail", "info", "nofailure", "nofail", "dontfail"}
)
CASE_SENSITIVE_TAGS = frozenset(
    {"case-sensitive", "case_sensitive", "casesensitive", "case-sensitivity"}
)
NO_SKIP_TAGS = ("noskip", "no-skip", "dontskip", "failonskip", "fail-on-skip")
EXCLUDE_TAGS = ("exclude", "ignore")


class Skip(Exception):
    """The step found nothing to judge: the rest of the scenario is skipped (fails under @noskip)."""


@dataclass
class Context:
    """Mutable on purpose: terraform-compliance's steps hand the stash along by replacing it."""

    view: PlanView
    tags: tuple[str, ...]
    match: Match = field(default_factory=Match)
    stash: Any = field(default_factory=list)
    cumulative: list[Any] = field(default_factory=list)
    type: str = "resource"
    name: str = ""
    property_name: str = "resource"
    addresses: list[str] = field(default_factory=list)
    address: str | None = None
    errors: list[str] = field(default_factory=list)
    no_failure: bool = False
    no_skip_lines: set[int] | None = None
    exclude: str = ""

    def __post_init__(self) -> None:
        lowered = [tag.lower() for tag in self.tags]
        self.match = Match(case_sensitive=any(tag in CASE_SENSITIVE_TAGS for tag in lowered))
        self.no_failure = any(tag in NO_FAILURE_TAGS for tag in lowered)
        excluded: list[str] = []
        for tag, original in zip(lowered, self.tags, strict=True):
            if tag in NO_SKIP_TAGS:
                self.no_skip_lines = {-1}
                continue
            lines = re.fullmatch(rf"(?:{'|'.join(NO_SKIP_TAGS)})_at_lines?((?:_\d+)+)", tag)
            if lines:
                if self.no_skip_lines != {-1}:
                    self.no_skip_lines = (self.no_skip_lines or set()) | {
                        int(n) for n in lines.group(1).strip("_").split("_")
                    }
                continue
            exclude = re.fullmatch(
                rf"(?:{'|'.join(EXCLUDE_TAGS)})_(.+\..+)", original, flags=re.IGNORECASE
            )
            if exclude:
                excluded.append(f"({exclude.group(1)})")
        self.exclude = "|".join(excluded)

    def no_skip(self, line: int) -> bool:
        """@noskip (or @noskip_at_line_N for this step's line) turns a skip into a failure."""
        return self.no_skip_lines is not None and (
            -1 in self.no_skip_lines or line in self.no_skip_lines
        )

    def error(self, message: str) -> None:
        self.errors.append(message)

    def select(self, stash: list[Any], name: str, type_: str) -> None:
        self.stash = stash
        self.cumulative.extend(stash)
        self.name = name
        self.type = type_
        self.property_name = type_
        self.addresses = addresses_of(stash)
        self.address = None


def addresses_of(stash: Any) -> list[str]:
    found: list[str] = []
    for item in stash if isinstance(stash, list) else [stash]:
        if (
            isinstance(item, dict)
            and isinstance(item.get("address"), str)
            and item["address"] not in found
        ):
            found.append(item["address"])
    return found
