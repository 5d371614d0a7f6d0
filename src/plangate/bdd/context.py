"""The state of one scenario run on one plan (or on the inventory), and the failures it raises.

Every failure starts with the feature file, line and text of the failing step, names the
plan (or inventory), and lists every offending resource with attribute, expected and actual
value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from plangate.bdd.compare import (
    Predicate,
    Verdict,
    all_of,
    any_of,
    lookup,
    path_changes,
    show,
    show_path,
)
from plangate.bdd.select import Subject
from plangate.plan import UNKNOWN, ChangeKind, LoadedPlan, ResourceChange, get_path
from plangate.plan.values import Path as AttributePath
from plangate.policy import GateReport
from plangate.pytest.session import report_for, session_settings

CURRENT_STEP = pytest.StashKey["StepRef"]()

UNKNOWN_HINT = (
    'cannot be decided before apply; end the step with "or known after apply" to accept it'
)
HIDDEN_HINT = "the value is sensitive, so plangate never reads it and cannot compare it"


@dataclass(frozen=True, slots=True)
class StepRef:
    """Where the running step is written."""

    filename: str
    line: int
    keyword: str
    text: str


@dataclass(frozen=True, slots=True)
class Offence:
    """One attribute of one resource that fails a step."""

    subject: Subject
    path: AttributePath
    expected: str
    actual: str
    verdict: Verdict

    def line(self) -> str:
        text = f"{self.subject.label}: {show_path(self.path)}: expected {self.expected}, actual {self.actual}"
        if self.verdict is Verdict.UNKNOWN:
            text += f" ({UNKNOWN_HINT})"
        elif self.verdict is Verdict.HIDDEN:
            text += f" ({HIDDEN_HINT})"
        return text


def _has_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, tuple):
        return any(_has_unknown(item) for item in value)
    return False


def _object_changes(change: ResourceChange) -> bool | None:
    """Whether the whole object appears, disappears or is rebuilt; None when attributes decide."""
    if change.kind in (ChangeKind.NO_OP, ChangeKind.READ, ChangeKind.OPEN):
        return False
    if change.kind in (ChangeKind.UPDATE, ChangeKind.REPLACE):
        return None
    return True


def judge(subject: Subject, path: AttributePath, predicate: Predicate) -> list[Offence]:
    """Every value the path reaches on one resource, judged; only the non-passing ones return."""
    found: list[Offence] = []
    for concrete, value in lookup(subject.values, path):
        if predicate.on_change:
            verdict, actual = _judge_change(subject.change, concrete, value, predicate)
        else:
            verdict, actual = predicate.test(value), show(value)
        if verdict is not Verdict.PASS:
            found.append(Offence(subject, concrete, predicate.expected, actual, verdict))
    return found


def judge_some(subject: Subject, path: AttributePath, predicate: Predicate) -> list[Offence]:
    """At least one value the path reaches must pass: no offence, or one that lists them all.

    A list at the end of the path counts by its elements: `any of their "tags" is "x"`.
    """
    judged: list[tuple[AttributePath, Any, Verdict]] = []
    for concrete, value in lookup(subject.values, path):
        items = enumerate(value) if isinstance(value, tuple) and value else [(None, value)]
        for index, item in items:
            where = concrete if index is None else (*concrete, index)
            judged.append((where, item, predicate.test(item)))
    if any(verdict is Verdict.PASS for _, _, verdict in judged):
        return []
    actual = "; ".join(f"{show_path(where)} = {show(item)}" for where, item, _ in judged)
    verdict = any_of(verdict for _, _, verdict in judged)
    expected = f"{predicate.expected} (for at least one value)"
    return [Offence(subject, path, expected, actual, verdict)]


Judge = Callable[[Subject, AttributePath, Predicate], list[Offence]]
"""How a path is judged on one resource: every value it reaches (`judge`) or some (`judge_some`)."""


def _judge_change(
    change: ResourceChange, path: AttributePath, after: Any, predicate: Predicate
) -> tuple[Verdict, str]:
    before = get_path(change.before, path) if change.before is not None else None
    shown = (
        f"{show(before)} -> {show(after)}" if change.kind is not ChangeKind.NO_OP else "no change"
    )
    wanted = predicate.text == "changes"
    whole = _object_changes(change)
    if whole is None:
        if _has_unknown(after):
            return Verdict.UNKNOWN, shown
        whole = path_changes(path, change.change.changed_paths)
    if whole and change.kind in (ChangeKind.CREATE, ChangeKind.DELETE):
        shown = (
            f"{change.kind.value} ({show(before if change.kind is ChangeKind.DELETE else after)})"
        )
    return (Verdict.PASS if whole == wanted else Verdict.FAIL), shown


@dataclass
class StepState:
    """What every scenario's state shares: the running step, and how it fails or skips.

    A plan scenario and an inventory scenario report alike, differing only in what they judge
    (`judged_label`) and in where a `policy "…" passes` step finds the engine's report.
    """

    config: pytest.Config
    node: pytest.Item

    @property
    def step(self) -> StepRef:
        return self.node.stash.get(CURRENT_STEP, StepRef("<unknown>", 0, "", ""))

    def where(self) -> str:
        step = self.step
        return f"{self._relative(step.filename)}:{step.line}: {step.keyword} {step.text}".rstrip()

    def judged_label(self) -> str:
        """`plan: FILE` or `inventory: SOURCE`, the second line of every failure."""
        raise NotImplementedError

    def policy_report(self) -> GateReport:
        """The engine's report whose results `policy "…" passes` reads."""
        raise NotImplementedError

    def _relative(self, name: str) -> str:
        try:
            return Path(name).resolve().relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return name

    def failure(self, summary: str, lines: Iterable[str] = ()) -> BaseException:
        """The failure of the running step: where, what it judged, what, and every offender."""
        body = [self.where(), f"  {self.judged_label()}", f"  {summary}"]
        body.extend(f"    {line}" for line in lines)
        return pytest.fail.Exception("\n".join(body), pytrace=False)

    def fail(self, summary: str, lines: Iterable[str] = ()) -> NoReturn:
        raise self.failure(summary, lines)

    def skip(self, reason: str) -> NoReturn:
        """Skip, reported at the scenario's line in the feature file rather than in plangate."""
        step = self.step
        message = f"line {step.line}, {step.keyword} {step.text}: {reason}"
        try:
            error = pytest.skip.Exception(message, _use_item_location=True)
        except TypeError:  # a pytest without item locations for skips
            pytest.skip(message)
        raise error


@dataclass
class ScenarioState(StepState):
    """One scenario on one plan: the current selection and how it was made."""

    loaded: LoadedPlan
    plan_path: Path
    selection: list[Subject] | None = None
    described: list[str] = field(default_factory=list)
    allow_empty: bool = False

    # ---------------------------------------------------------------- reporting

    def plan_label(self) -> str:
        return self._relative(self.loaded.name)

    def judged_label(self) -> str:
        return f"plan: {self.plan_label()}"

    def policy_report(self) -> GateReport:
        """The engine's report on this plan, shared with the gate's policy items."""
        try:
            return report_for(self.config, session_settings(self.config), self.plan_path)
        except pytest.fail.Exception as error:
            raise self.failure(f"the policy engine could not run: {error}") from None

    def selection_label(self) -> str:
        count = len(self.selection or ())
        return f"{' '.join(self.described) or 'nothing'} ({count} selected)"

    # ---------------------------------------------------------------- selection

    def pool(self) -> list[Subject]:
        """Every resource change of the plan: managed and data, deletes and deposed objects too."""
        return [Subject(change) for change in self.loaded.plan.resource_changes]

    def current(self) -> list[Subject]:
        """The selection a `they`/`their` step narrows; there must be one."""
        if self.selection is None:
            self.fail(
                "no resources are selected: start the scenario with a selection such as "
                'Given resources of type "google_storage_bucket"'
            )
        return self.selection

    def narrow(
        self, test: Callable[[ResourceChange], bool], description: str, allow_empty: bool = False
    ) -> None:
        """The first selection step selects from the whole plan; later ones narrow the selection."""
        base = self.selection if self.selection is not None else self.pool()
        self.selection = [subject for subject in base if test(subject.change)]
        self.described.append(description)
        self.allow_empty = self.allow_empty or allow_empty

    def selected(self) -> list[Subject]:
        """The selection an assertion runs on; an empty one fails unless `(if any)` allowed it."""
        selection = self.current()
        if not selection:
            if self.allow_empty:
                self.skip(
                    f"no resources selected ({' '.join(self.described)}); the scenario allows "
                    "that with (if any)"
                )
            self.fail(
                f"no resources selected ({' '.join(self.described)}), so there is nothing to check; "
                'assert a count ("Then there are no resources") or add "(if any)" to the selection '
                "if an empty selection is acceptable"
            )
        return selection

    def filter_values(
        self,
        path: AttributePath,
        predicate: Predicate,
        unknown_ok: bool,
        description: str,
        judging: Judge = judge,
    ) -> None:
        """Keep the selected resources whose value passes; one that cannot be decided fails."""
        base = self.current()
        kept: list[Subject] = []
        undecided: list[Offence] = []
        for subject in base:
            offences = judging(subject, path, predicate)
            verdict = all_of(offence.verdict for offence in offences)
            if verdict is Verdict.PASS or (verdict is Verdict.UNKNOWN and unknown_ok):
                kept.append(subject)
            elif verdict is not Verdict.FAIL:
                undecided.extend(o for o in offences if o.verdict is not Verdict.FAIL)
        if undecided:
            self.fail(
                f"cannot tell for {len({o.subject.address for o in undecided})} resource(s) "
                "whether they belong to the selection:",
                (offence.line() for offence in undecided),
            )
        self.selection = kept
        self.described.append(description)

    def keep(self, test: Callable[[Subject], bool], description: str) -> None:
        """Narrow the current selection by a test that is always decidable (actions, presence)."""
        self.selection = [subject for subject in self.current() if test(subject)]
        self.described.append(description)

    def assert_each(
        self,
        checks: Iterable[tuple[AttributePath, Predicate]],
        unknown_ok: bool = False,
        judging: Judge = judge,
    ) -> None:
        """Every selected resource must pass every check; the failure lists every offence."""
        subjects = self.selected()
        checks = list(checks)
        offences: list[Offence] = []
        for subject in subjects:
            for path, predicate in checks:
                offences.extend(
                    offence
                    for offence in judging(subject, path, predicate)
                    if not (unknown_ok and offence.verdict is Verdict.UNKNOWN)
                )
        if offences:
            failing = len({offence.subject.address for offence in offences})
            self.fail(
                f"{failing} of {len(subjects)} selected resource(s) fail "
                f"(selection: {self.selection_label()}):",
                (offence.line() for offence in offences),
            )
