"""What a terraform-compliance run produced: one verdict per scenario, messages that name addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Outcome = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class TcScenario:
    """One scenario (or one row of an outline's Examples) and how it ended.

    `name` of an outline row is the outline's name plus ` -- @T.R` (T: the Examples table,
    R: the row, both from 1), so each row can be told apart as terraform-compliance users
    expect. `failed_step` is the keyword and text of the step that failed or skipped
    the rest, as written in the file.
    """

    feature: str
    name: str
    outcome: Outcome
    failed_step: str | None
    messages: tuple[str, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TcRun:
    """Every scenario of every feature file, in file order; `exit_code` is what the command returns."""

    scenarios: tuple[TcScenario, ...]

    @property
    def exit_code(self) -> int:
        """1 when any scenario failed, else 0 (bad input never gets here: it raises InputError)."""
        return 1 if any(s.outcome == "failed" for s in self.scenarios) else 0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for s in self.scenarios if s.outcome == outcome)
