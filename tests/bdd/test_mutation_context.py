"""The scenario state of the step library, pinned where mutation testing of plangate.bdd.context
found gaps.

A scenario's state decides what a selection holds, when an empty one fails or skips, how a
`changes` / `does not change` step reads a value that is not known before apply, and the exact
words of every failure. These tests build the state directly on a small plan, inside the running
test, so each message and verdict is checked as a user would read it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.bdd.compare import Verdict, parse_predicate
from plangate.bdd.context import UNKNOWN_HINT, ScenarioState, judge
from plangate.bdd.select import Subject
from plangate.plan import ResourceChange, load_plan
from plangate.plan.values import parse_path
from tests.bdd.conftest import buckets
from tests.fixtures.builder import UNKNOWN, PlanBuilder


def _state(request: pytest.FixtureRequest, tmp_path: Path, builder: PlanBuilder) -> ScenarioState:
    """A scenario state on the plan, as the `plangate_scenario` fixture would make it."""
    path = builder.write(tmp_path / "plan.json")
    return ScenarioState(
        config=request.config, node=request.node, loaded=load_plan(path), plan_path=path
    )


def _change(builder: PlanBuilder, address: str) -> ResourceChange:
    return next(c for c in builder.plan().resource_changes if c.address == address)


def _judged(builder: PlanBuilder, address: str, path: str, predicate: str) -> list[str]:
    """The offence lines of one `their "PATH" PREDICATE` check on one resource."""
    subject = Subject(_change(builder, address))
    return [o.line() for o in judge(subject, parse_path(path), parse_predicate(predicate))]


def _message(raised: pytest.ExceptionInfo[BaseException]) -> list[str]:
    return str(raised.value.msg).splitlines()  # type: ignore[attr-defined]


# --- changes / does not change -----------------------------------------------------------------

UPDATED = PlanBuilder().resource(
    "google_storage_bucket.b",
    action="update",
    before={"url": "u", "labels": {"team": "ops"}, "ports": [1, 2], "zones": ["a", "b"]},
    after={"url": UNKNOWN, "labels": {"team": UNKNOWN}, "ports": [1, UNKNOWN], "zones": ["a", "b"]},
)


@pytest.mark.parametrize("path", ["url", "labels", "ports"])
def test_an_updated_value_known_only_after_apply_is_undecided_not_changed(path: str) -> None:
    """A value that is unknown (or holds an unknown part, in an object or a list) may come out
    equal to the old one, so neither `changes` nor `does not change` can pass or fail it."""
    change = _change(UPDATED, "google_storage_bucket.b")
    for predicate in ("changes", "does not change"):
        offences = judge(Subject(change), parse_path(path), parse_predicate(predicate))
        assert [o.verdict for o in offences] == [Verdict.UNKNOWN]
        assert offences[0].line().endswith(f"({UNKNOWN_HINT})")


def test_an_updated_list_without_unknown_parts_is_judged_by_its_changed_paths() -> None:
    assert _judged(UPDATED, "google_storage_bucket.b", "zones", "does not change") == []
    assert _judged(UPDATED, "google_storage_bucket.b", "zones", "changes") == [
        'google_storage_bucket.b: zones: expected a change, actual ["a", "b"] -> ["a", "b"]'
    ]


def test_a_resource_without_changes_reads_no_change_when_a_change_is_required() -> None:
    assert _judged(buckets(), "google_storage_bucket.logs", "name", "changes") == [
        "google_storage_bucket.logs: name: expected a change, actual no change"
    ]


def test_a_created_resource_shows_the_value_it_will_have() -> None:
    plan = PlanBuilder().resource(
        "google_storage_bucket.new", action="create", after={"name": "acme-new"}
    )
    assert _judged(plan, "google_storage_bucket.new", "name", "does not change") == [
        'google_storage_bucket.new: name: expected no change, actual create ("acme-new")'
    ]


def test_a_deleted_resource_shows_the_value_it_has_before_the_delete() -> None:
    assert _judged(buckets(), "google_storage_bucket.old", "name", "does not change") == [
        "google_storage_bucket.old (delete; values before it): name: expected no change, "
        'actual delete ("acme-old")'
    ]


def test_a_data_source_read_has_no_old_value_so_it_shows_null_before() -> None:
    """A read has no `before`: the message says null, never an absent attribute."""
    plan = PlanBuilder().resource(
        "data.google_client_config.me", action="read", after={"project": "acme"}
    )
    assert _judged(plan, "data.google_client_config.me", "project", "changes") == [
        'data.google_client_config.me: project: expected a change, actual null -> "acme"'
    ]


# --- selection ---------------------------------------------------------------------------------


def test_a_they_step_without_a_selection_says_how_to_start_one(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    state = _state(request, tmp_path, buckets())
    with pytest.raises(pytest.fail.Exception) as raised:
        state.current()
    assert _message(raised)[1:] == [
        "  plan: " + state.plan_label(),
        "  no resources are selected: start the scenario with a selection such as "
        'Given resources of type "google_storage_bucket"',
    ]


def test_a_second_selection_step_narrows_the_first_instead_of_starting_over(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    state = _state(request, tmp_path, buckets())
    state.narrow(lambda c: c.address != "google_storage_bucket.logs", "not logs")
    state.narrow(lambda c: c.address != "google_storage_bucket.old", "not old")
    assert [s.address for s in state.selected()] == ["google_storage_bucket.scratch"]
    assert state.selection_label() == "not logs not old (1 selected)"


def test_an_empty_selection_fails_unless_a_step_said_if_any(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The budget step selects without `(if any)`: finding no budget must fail, not skip."""
    state = _state(request, tmp_path, buckets())
    state.narrow(lambda c: c.type == "google_storage_bucket", "buckets")
    state.narrow(lambda c: c.type == "google_billing_budget", "budgets")
    assert state.allow_empty is False
    with pytest.raises(pytest.fail.Exception) as raised:
        state.selected()
    assert _message(raised)[-1] == (
        "  no resources selected (buckets budgets), so there is nothing to check; "
        'assert a count ("Then there are no resources") or add "(if any)" to the selection '
        "if an empty selection is acceptable"
    )


def test_an_empty_selection_allowed_by_if_any_skips_naming_every_selection_step(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    state = _state(request, tmp_path, buckets())
    state.narrow(lambda c: c.type == "google_storage_bucket", "buckets")
    state.narrow(lambda c: False, "none", allow_empty=True)
    with pytest.raises(pytest.skip.Exception) as raised:
        state.selected()
    assert str(raised.value.msg).endswith(
        ": no resources selected (buckets none); the scenario allows that with (if any)"
    )


# --- assertions --------------------------------------------------------------------------------


def test_an_unknown_value_fails_a_check_unless_the_step_accepts_it(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """`their attributes are:` has no `or known after apply`: an unknown value must fail it."""
    state = _state(request, tmp_path, buckets())
    state.narrow(lambda c: c.address == "google_storage_bucket.scratch", "scratch")
    check = (parse_path("url"), parse_predicate('is "gs://acme-scratch"'))
    with pytest.raises(pytest.fail.Exception) as raised:
        state.assert_each([check])
    assert _message(raised)[2:] == [
        "  1 of 1 selected resource(s) fail (selection: scratch (1 selected)):",
        '    google_storage_bucket.scratch: url: expected "gs://acme-scratch", '
        f"actual (known after apply) ({UNKNOWN_HINT})",
    ]
    state.assert_each([check], unknown_ok=True)


def test_a_failure_outside_any_step_has_no_trailing_space_after_its_location(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    state = _state(request, tmp_path, buckets())
    lines = str(state.failure("what went wrong").msg).splitlines()  # type: ignore[attr-defined]
    assert lines == [
        f"{state._relative('<unknown>')}:0:",
        f"  plan: {state.plan_label()}",
        "  what went wrong",
    ]
