"""The policy engine: one pass over a type index, views, outcomes, errors and the exit code.

Every test builds its own `Registry` (never the global one) and small plan documents, so
what a policy sees is exactly what the test put there.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.plan import ABSENT, LoadedPlan, parse_plan
from plangate.policy import (
    NotApplicable,
    Registry,
    Severity,
    Status,
    View,
    Violation,
    policy,
    violation,
)
from plangate.policy import engine as engine_module
from plangate.policy.engine import GateInput, evaluate

PROVIDER = "google"


def change(
    address: str,
    actions: list[str],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    deposed: str | None = None,
    mode: str = "managed",
) -> dict[str, Any]:
    """One `resource_changes` entry as `terraform show -json` writes it."""
    local = address.split(".")[-2:]
    entry: dict[str, Any] = {
        "address": address,
        "mode": mode,
        "type": local[0],
        "name": local[1],
        "provider_name": PROVIDER,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": {},
            "before_sensitive": {},
            "after_sensitive": {},
        },
    }
    if address.startswith("module."):
        entry["module_address"] = ".".join(address.split(".")[:2])
    if deposed is not None:
        entry["deposed"] = deposed
    return entry


def document(*changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "resource_changes": list(changes),
    }


def loaded(doc: dict[str, Any], name: str = "plans/test.json") -> LoadedPlan:
    return parse_plan(json.dumps(doc).encode(), name)


def run(
    reg: Registry,
    *docs: dict[str, Any],
    fail_on: Severity = Severity.INFO,
    waivers: tuple[Any, ...] = (),
    only: list[str] | None = None,
):
    inputs = [
        GateInput(loaded=loaded(doc, f"plans/p{i}.json"), environment="dev", settings={})
        for i, doc in enumerate(docs)
    ]
    return evaluate(inputs, reg, waivers, fail_on=fail_on, only=only)


def result(report, policy_id: str):
    (found,) = [r for r in report.results if r.spec.id == policy_id]
    return found


# A plan with every kind of change to one type, plus a second type and a data source.
EVERY_ACTION = document(
    change("google_storage_bucket.created", ["create"], after={"v": "created-after"}),
    change(
        "google_storage_bucket.updated",
        ["update"],
        before={"v": "updated-before"},
        after={"v": "updated-after"},
    ),
    change(
        "google_storage_bucket.unchanged",
        ["no-op"],
        before={"v": "unchanged"},
        after={"v": "unchanged"},
    ),
    change(
        "google_storage_bucket.replaced",
        ["delete", "create"],
        before={"v": "replaced-before"},
        after={"v": "replaced-after"},
    ),
    change(
        "google_storage_bucket.replaced",
        ["delete"],
        before={"v": "deposed-before"},
        deposed="00000001",
    ),
    change(
        "google_storage_bucket.swapped",
        ["create", "delete"],
        before={"v": "swapped-before"},
        after={"v": "swapped-after"},
    ),
    change("google_storage_bucket.deleted", ["delete"], before={"v": "deleted-before"}),
    change("google_storage_bucket.forgotten", ["forget"], before={"v": "forgotten-before"}),
    change("google_pubsub_topic.other", ["create"], after={"v": "topic-after"}),
    change("data.google_storage_bucket.read", ["read"], after={"v": "data"}, mode="data"),
)


def recording_registry(seen: dict[str, list[tuple[str, Any]]]) -> Registry:
    """One recording policy per view over google_storage_bucket, and one on the whole plan."""
    reg = Registry()
    for view in (View.AFTER, View.BEFORE, View.CHANGE):

        @policy(
            id=f"PG-{view.value.upper()}-001",
            title=f"records the {view.value} view",
            severity="low",
            rationale="test",
            resource_types=["google_storage_bucket"],
            view=view,
            registry=reg,
        )
        def record(resource, context, _view=view.value):
            seen[_view].append((resource.address, resource.get("v")))
            yield from ()

    @policy(
        id="PG-PLAN-001",
        title="records the plan view",
        severity="low",
        rationale="test",
        view=View.PLAN,
        registry=reg,
    )
    def record_plan(plan, context):
        seen["plan"].append((context.plan_name, len(plan.resource_changes)))
        yield from ()

    return reg


@pytest.fixture
def views() -> dict[str, list[tuple[str, Any]]]:
    seen: dict[str, list[tuple[str, Any]]] = {"after": [], "before": [], "change": [], "plan": []}
    run(recording_registry(seen), EVERY_ACTION)
    return seen


# --- views ------------------------------------------------------------------------------------


def test_after_view_skips_pure_deletes_forgets_and_deposed_and_includes_replaces(views):
    assert sorted(views["after"]) == sorted(
        [
            ("google_storage_bucket.created", "created-after"),
            ("google_storage_bucket.updated", "updated-after"),
            ("google_storage_bucket.unchanged", "unchanged"),
            ("google_storage_bucket.replaced", "replaced-after"),
            ("google_storage_bucket.swapped", "swapped-after"),
        ]
    )


def test_before_view_skips_creates_and_sees_current_values(views):
    assert sorted(views["before"]) == sorted(
        [
            ("google_storage_bucket.updated", "updated-before"),
            ("google_storage_bucket.unchanged", "unchanged"),
            ("google_storage_bucket.replaced", "replaced-before"),
            ("google_storage_bucket.swapped", "swapped-before"),
            ("google_storage_bucket.deleted", "deleted-before"),
            ("google_storage_bucket.forgotten", "forgotten-before"),
        ]
    )


def test_change_view_includes_pure_deletes_and_deposed_objects(views):
    assert sorted(views["change"]) == sorted(
        [
            ("google_storage_bucket.created", "created-after"),
            ("google_storage_bucket.updated", "updated-after"),
            ("google_storage_bucket.unchanged", "unchanged"),
            ("google_storage_bucket.replaced", "replaced-after"),
            ("google_storage_bucket.replaced", "deposed-before"),
            ("google_storage_bucket.swapped", "swapped-after"),
            ("google_storage_bucket.deleted", "deleted-before"),
            ("google_storage_bucket.forgotten", "forgotten-before"),
        ]
    )


def test_plan_view_runs_once_per_plan_with_the_whole_plan(views):
    assert views["plan"] == [("plans/p0.json", 10)]


def test_each_policy_sees_only_its_types_and_never_data_sources():
    seen: list[tuple[str, str]] = []
    reg = Registry()
    for number, types in enumerate(
        (["google_pubsub_topic"], ["google_storage_bucket"], ["google_kms_key_ring"]), start=1
    ):

        @policy(
            id=f"PG-TYPE-00{number}",
            title="records its subjects",
            severity="low",
            rationale="test",
            resource_types=types,
            registry=reg,
        )
        def record(resource, context, _id=f"PG-TYPE-00{number}"):
            seen.append((_id, resource.type))
            yield from ()

    report = run(reg, EVERY_ACTION)
    assert Counter(seen) == {
        ("PG-TYPE-001", "google_pubsub_topic"): 1,
        ("PG-TYPE-002", "google_storage_bucket"): 5,
    }
    assert result(report, "PG-TYPE-003").status is Status.NOT_APPLICABLE
    assert result(report, "PG-TYPE-002").checked == 5


def test_a_policy_with_several_types_sees_each_of_them():
    seen: list[str] = []
    reg = Registry()

    @policy(
        id="PG-TWO-001",
        title="two types",
        severity="low",
        rationale="test",
        resource_types=["google_pubsub_topic", "google_storage_bucket"],
        view=View.CHANGE,
        registry=reg,
    )
    def record(resource, context):
        seen.append(resource.address)
        yield from ()

    run(reg, EVERY_ACTION)
    assert len(seen) == 9
    assert "google_pubsub_topic.other" in seen
    assert "data.google_storage_bucket.read" not in seen


# --- outcomes ---------------------------------------------------------------------------------


def outcome_registry() -> Registry:
    reg = Registry()

    @policy(
        id="PG-OUT-001",
        title="v must not be bad",
        severity="high",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def not_bad(resource, context):
        if resource.get("v") == "bad":
            yield violation("v", "not bad", "bad")

    @policy(
        id="PG-OUT-002",
        title="only for prod",
        severity="critical",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def prod_only(resource, context):
        if context.environment != "prod":
            raise NotApplicable
        yield violation("v", "anything", resource.get("v"))

    @policy(
        id="PG-OUT-003",
        title="plan-level, not applicable",
        severity="critical",
        rationale="test",
        view=View.PLAN,
        registry=reg,
    )
    def plan_not_applicable(plan, context):
        raise NotApplicable
        yield  # pragma: no cover

    @policy(
        id="PG-OUT-004",
        title="nothing of its type",
        severity="critical",
        rationale="test",
        resource_types=["google_kms_key_ring"],
        registry=reg,
    )
    def nothing(resource, context):
        yield violation("x", "never", "called")  # pragma: no cover

    return reg


def test_pass_fail_and_not_applicable_statuses():
    good = document(change("google_storage_bucket.a", ["create"], after={"v": "good"}))
    bad = document(
        change("google_storage_bucket.a", ["create"], after={"v": "bad"}),
        change("google_storage_bucket.b", ["create"], after={"v": "good"}),
        change("module.m.google_storage_bucket.c", ["create"], after={"v": "bad"}),
    )
    report = run(outcome_registry(), good, bad)
    statuses = {(r.plan, r.spec.id): r.status for r in report.results}
    assert statuses == {
        ("plans/p0.json", "PG-OUT-001"): Status.PASS,
        ("plans/p0.json", "PG-OUT-002"): Status.NOT_APPLICABLE,
        ("plans/p0.json", "PG-OUT-003"): Status.NOT_APPLICABLE,
        ("plans/p0.json", "PG-OUT-004"): Status.NOT_APPLICABLE,
        ("plans/p1.json", "PG-OUT-001"): Status.FAIL,
        ("plans/p1.json", "PG-OUT-002"): Status.NOT_APPLICABLE,
        ("plans/p1.json", "PG-OUT-003"): Status.NOT_APPLICABLE,
        ("plans/p1.json", "PG-OUT-004"): Status.NOT_APPLICABLE,
    }
    failed = next(r for r in report.results if r.status is Status.FAIL)
    assert failed.checked == 3
    assert [(f.address, f.attribute, f.expected, f.actual) for f in failed.findings] == [
        ("google_storage_bucket.a", "v", "not bad", "bad"),
        ("module.m.google_storage_bucket.c", "v", "not bad", "bad"),
    ]
    assert all(f.status is Status.FAIL and f.severity is Severity.HIGH for f in failed.findings)
    assert not report.passed
    assert report.exit_code == 1
    assert report.counts() == {
        "pass": 1,
        "fail": 1,
        "error": 0,
        "waived": 0,
        "not_applicable": 6,
    }


def test_not_applicable_on_some_subjects_still_counts_the_others():
    reg = Registry()

    @policy(
        id="PG-SOME-001",
        title="applies to one bucket",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def only_a(resource, context):
        if resource.address != "google_storage_bucket.a":
            raise NotApplicable
        yield from ()

    doc = document(
        change("google_storage_bucket.a", ["create"], after={"v": 1}),
        change("google_storage_bucket.b", ["create"], after={"v": 2}),
    )
    found = result(run(reg, doc), "PG-SOME-001")
    assert (found.status, found.checked) == (Status.PASS, 1)


def test_a_clean_report_passes_with_exit_code_zero():
    good = document(change("google_storage_bucket.a", ["create"], after={"v": "good"}))
    report = run(outcome_registry(), good)
    assert report.passed
    assert report.exit_code == 0
    assert report.findings == ()


# --- errors -----------------------------------------------------------------------------------


def raising_registry(severity: str = "info") -> Registry:
    reg = Registry()

    @policy(
        id="PG-ERR-001",
        title="explodes",
        severity=severity,
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def explodes(resource, context):
        yield violation("v", "x", "y")
        raise ValueError(f"exploded on\n   {resource.address}")

    return reg


def test_a_raising_policy_is_an_error_result_with_the_exception_text():
    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    found = result(run(raising_registry(), doc), "PG-ERR-001")
    assert found.status is Status.ERROR
    assert found.error == "ValueError: exploded on google_storage_bucket.a"
    assert found.findings == ()  # nothing half-judged is reported as a finding


@pytest.mark.parametrize("fail_on", list(Severity))
def test_an_error_fails_the_gate_at_every_fail_on(fail_on):
    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    report = run(raising_registry("info"), doc, fail_on=fail_on)
    assert report.blocking(result(report, "PG-ERR-001"))
    assert not report.passed
    assert report.exit_code == 1


def test_a_raising_plan_view_policy_is_an_error():
    reg = Registry()

    @policy(id="PG-ERR-002", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def explodes(plan, context):
        raise KeyError("missing")
        yield  # pragma: no cover

    found = result(run(reg, document()), "PG-ERR-002")
    assert (found.status, found.error) == (Status.ERROR, "KeyError: 'missing'")


def test_a_plan_view_violation_without_address_is_an_error():
    reg = Registry()

    @policy(id="PG-ERR-003", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def no_address(plan, context):
        yield Violation(attribute="x", expected="y", actual=ABSENT, message="no address")

    report = run(reg, document(), fail_on=Severity.CRITICAL)
    found = result(report, "PG-ERR-003")
    assert found.status is Status.ERROR
    assert "address" in found.error
    assert found.error.startswith("TypeError")
    assert report.exit_code == 1


def test_a_plan_view_violation_with_an_address_is_a_finding_there():
    reg = Registry()

    @policy(id="PG-PV-001", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def addressed(plan, context):
        yield violation("variables", "none", 1, address="(plan)")

    found = result(run(reg, document()), "PG-PV-001")
    assert found.status is Status.FAIL
    assert [f.address for f in found.findings] == ["(plan)"]


def test_a_resource_view_violation_may_name_another_address():
    reg = Registry()

    @policy(
        id="PG-ADDR-001",
        title="t",
        severity="low",
        rationale="r",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def elsewhere(resource, context):
        yield violation("v", "x", 1, address=resource.address + "_iam")

    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    found = result(run(reg, doc), "PG-ADDR-001")
    assert [f.address for f in found.findings] == ["google_storage_bucket.a_iam"]


# --- fail_on ----------------------------------------------------------------------------------


def severity_registry(severity: str) -> Registry:
    reg = Registry()

    @policy(
        id="PG-SEV-001",
        title="always fails",
        severity=severity,
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def always(resource, context):
        yield violation("v", "never", resource.get("v"))

    return reg


RANKS = ["info", "low", "medium", "high", "critical"]


@pytest.mark.parametrize("severity", RANKS)
@pytest.mark.parametrize("fail_on", RANKS)
def test_fail_on_decides_the_exit_code_by_severity_rank(severity, fail_on):
    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    report = run(severity_registry(severity), doc, fail_on=Severity(fail_on))
    blocks = RANKS.index(severity) >= RANKS.index(fail_on)
    assert result(report, "PG-SEV-001").status is Status.FAIL  # the result itself is unchanged
    assert report.passed is not blocks
    assert report.exit_code == (1 if blocks else 0)
    assert report.fail_on is Severity(fail_on)


def test_only_runs_the_named_policies_and_refuses_unknown_ids():
    doc = document(change("google_storage_bucket.a", ["create"], after={"v": "bad"}))
    report = run(outcome_registry(), doc, only=["PG-OUT-004"])
    assert [r.spec.id for r in report.results] == ["PG-OUT-004"]
    assert report.passed
    with pytest.raises(InputError, match="PG-NOPE-001"):
        run(outcome_registry(), doc, only=["PG-NOPE-001"])


# --- linear cost ------------------------------------------------------------------------------

TYPES = ("google_storage_bucket", "google_pubsub_topic", "google_kms_key_ring", "google_dns_zone")


def counting_registry(calls: Counter[str]) -> Registry:
    """Two policies on each of three types present, one on an absent type, one plan policy."""
    reg = Registry()
    for number, resource_type in enumerate((*TYPES[:3], TYPES[:3][0], TYPES[1], TYPES[2])):

        @policy(
            id=f"PG-CNT-{number:03d}",
            title="counts its calls",
            severity="low",
            rationale="test",
            resource_types=[resource_type],
            view=View.CHANGE if number % 2 else View.AFTER,
            registry=reg,
        )
        def count(resource, context, _type=resource_type):
            assert resource.type == _type
            calls["resource"] += 1
            yield from ()

    @policy(
        id="PG-CNT-100",
        title="absent type",
        severity="low",
        rationale="test",
        resource_types=["google_sql_database_instance"],
        registry=reg,
    )
    def absent(resource, context):
        calls["absent"] += 1  # pragma: no cover
        yield from ()  # pragma: no cover

    @policy(id="PG-CNT-200", title="plan", severity="low", rationale="t", view="plan", registry=reg)
    def whole(plan, context):
        calls["plan"] += 1
        yield from ()

    return reg


def big_plan(size: int) -> dict[str, Any]:
    return document(
        *(change(f"{TYPES[i % 4]}.r{i}", ["create"], after={"v": i}) for i in range(size))
    )


@pytest.fixture(scope="module")
def big_plans() -> dict[int, dict[str, Any]]:
    return {size: big_plan(size) for size in (1000, 4000)}


def test_policy_calls_grow_exactly_in_proportion_to_plan_size(big_plans, monkeypatch):
    resolved: Counter[str] = Counter()
    real_values = engine_module._values

    def counting_values(change, view):
        resolved[f"{change.address} {view}"] += 1
        return real_values(change, view)

    monkeypatch.setattr(engine_module, "_values", counting_values)
    counts: dict[int, Counter[str]] = {}
    for size, doc in big_plans.items():
        calls: Counter[str] = Counter()
        resolved.clear()
        report = run(counting_registry(calls), doc)
        assert report.passed
        counts[size] = calls
        # each resource's values are resolved once per view, however many policies read them
        assert set(resolved.values()) == {1}
        assert len(resolved) == size * 3 // 4 * 2  # three types judged, in two views
    # 6 policies over three of the four types, each type a quarter of the plan: 6 * size / 4
    assert counts[1000] == {"resource": 1500, "plan": 1}
    assert counts[4000] == {"resource": 6000, "plan": 1}
    assert counts[4000]["resource"] == 4 * counts[1000]["resource"]


def test_many_plans_are_judged_in_one_run_each_once():
    calls: Counter[str] = Counter()
    small = big_plan(40)
    report = run(counting_registry(calls), small, small, small)
    assert len(report.runs) == 3
    assert calls == {"resource": 3 * 60, "plan": 3}


def test_two_policy_folders_with_the_same_name_do_not_shadow_each_other(tmp_path):
    """A project's policies/storage.py must load beside the built-in catalogue's storage.py.

    The files register into a registry of their own, so the global catalogue stays as it is.
    """
    import sys

    from plangate.policy import load_catalogue

    first, second = tmp_path / "a" / "policies", tmp_path / "b" / "policies"
    for folder, number in ((first, "901"), (second, "902")):
        folder.mkdir(parents=True)
        (folder / "storage.py").write_text(
            "from plangate.policy import Severity, View, policy\n"
            "from plangate.policy.registry import Registry\n"
            "LOCAL = Registry()\n"
            f"@policy(id='PG-SHADOW-{number}', title='t', severity=Severity.LOW,\n"
            "        rationale='r', view=View.PLAN, registry=LOCAL)\n"
            "def check(plan, ctx):\n    return iter(())\n"
        )
    load_catalogue([first, second])
    loaded = [
        module
        for name, module in sys.modules.items()
        if name.startswith("plangate_catalogue.policies_")
        and name.endswith(".storage")
        and str(tmp_path) in str(getattr(module, "__file__", ""))
    ]
    assert sorted(next(iter(m.LOCAL)).id for m in loaded) == ["PG-SHADOW-901", "PG-SHADOW-902"]


# --- what one resource must never hide (mutation testing, issue 14) --------------------------


def test_a_pure_delete_before_others_of_its_type_hides_none_of_them_from_after_view_policies():
    # EVERY_ACTION puts deletes last; here a pure delete, a forget and a deposed object come
    # first. Skipping them must move on to the next resource (and the next policy), never stop:
    # a `break` there would pass every later bucket unchecked.
    seen: dict[str, list[tuple[str, Any]]] = {"after": [], "before": [], "change": [], "plan": []}
    doc = document(
        change("google_storage_bucket.gone", ["delete"], before={"v": "gone-before"}),
        change("google_storage_bucket.dropped", ["forget"], before={"v": "dropped-before"}),
        change(
            "google_storage_bucket.old",
            ["delete"],
            before={"v": "old-deposed"},
            deposed="00000002",
        ),
        change("google_storage_bucket.first", ["create"], after={"v": "first-after"}),
        change("google_storage_bucket.second", ["update"], before={"v": 1}, after={"v": "second"}),
    )
    report = run(recording_registry(seen), doc)
    assert seen["after"] == [
        ("google_storage_bucket.first", "first-after"),
        ("google_storage_bucket.second", "second"),
    ]
    # the before- and change-view policies after the after-view one still judge the delete
    assert ("google_storage_bucket.gone", "gone-before") in seen["before"]
    assert ("google_storage_bucket.gone", "gone-before") in seen["change"]
    assert result(report, "PG-AFTER-001").checked == 2


def test_a_violation_after_a_leading_pure_delete_fails_the_gate():
    doc = document(
        change("google_storage_bucket.gone", ["delete"], before={"v": "good"}),
        change("google_storage_bucket.bad", ["create"], after={"v": "bad"}),
    )
    found = result(run(outcome_registry(), doc), "PG-OUT-001")
    assert found.status is Status.FAIL
    assert [f.address for f in found.findings] == ["google_storage_bucket.bad"]


def test_resources_no_policy_watches_do_not_stop_the_pass():
    # A data source and a type no policy names come first; the buckets after them are judged.
    doc = document(
        change("data.google_storage_bucket.read", ["read"], after={"v": "data"}, mode="data"),
        change("google_pubsub_topic.t", ["create"], after={"v": "topic"}),
        change("google_storage_bucket.bad", ["create"], after={"v": "bad"}),
    )
    found = result(run(outcome_registry(), doc), "PG-OUT-001")
    assert (found.status, found.checked) == (Status.FAIL, 1)


def test_one_policy_skipping_or_failing_a_resource_does_not_stop_the_next_policy():
    order: list[str] = []
    reg = Registry()

    @policy(
        id="PG-SKIP-001",
        title="never applies",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def skips(resource, context):
        order.append("skips")
        raise NotApplicable("not for this test")

    @policy(
        id="PG-SKIP-002",
        title="raises",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def raises(resource, context):
        order.append("raises")
        raise RuntimeError("boom")

    @policy(
        id="PG-SKIP-003",
        title="judges",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def judges(resource, context):
        order.append("judges")
        yield from ()

    doc = document(
        change("google_storage_bucket.a", ["create"], after={"v": 1}),
        change("google_storage_bucket.b", ["create"], after={"v": 2}),
    )
    report = run(reg, doc)
    # an errored policy is not called again; the others see every bucket
    assert order == ["skips", "raises", "judges", "skips", "judges"]
    assert result(report, "PG-SKIP-003").checked == 2
    assert result(report, "PG-SKIP-002").status is Status.ERROR


def test_not_applicable_reasons_say_why_nothing_was_judged():
    reg = Registry()

    @policy(
        id="PG-WHY-001",
        title="says why",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def says_why(resource, context):
        raise NotApplicable("only for prod")

    @policy(
        id="PG-WHY-002",
        title="silent",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def silent(resource, context):
        raise NotApplicable

    @policy(
        id="PG-WHY-003",
        title="no subject",
        severity="low",
        rationale="test",
        resource_types=["google_kms_key_ring", "google_kms_crypto_key"],
        registry=reg,
    )
    def nothing(resource, context):
        yield from ()  # pragma: no cover

    @policy(id="PG-WHY-004", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def plan_says_why(plan, context):
        raise NotApplicable("no prod settings")

    @policy(id="PG-WHY-005", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def plan_silent(plan, context):
        raise NotApplicable

    @policy(id="PG-WHY-006", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def plan_judged(plan, context):
        yield from ()

    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    report = run(reg, doc)
    reasons = {r.spec.id: (r.status, r.checked, r.reason) for r in report.results}
    assert reasons == {
        "PG-WHY-001": (Status.NOT_APPLICABLE, 0, "only for prod"),
        "PG-WHY-002": (
            Status.NOT_APPLICABLE,
            0,
            "the policy does not apply to google_storage_bucket.a",
        ),
        "PG-WHY-003": (
            Status.NOT_APPLICABLE,
            0,
            "the plan has no google_kms_key_ring or google_kms_crypto_key",
        ),
        "PG-WHY-004": (Status.NOT_APPLICABLE, 0, "no prod settings"),
        "PG-WHY-005": (Status.NOT_APPLICABLE, 0, "the policy does not apply to this plan"),
        "PG-WHY-006": (Status.PASS, 1, None),
    }


def test_an_error_text_is_one_line_cut_at_300_characters():
    reg = Registry()

    @policy(
        id="PG-LONG-001",
        title="long error",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def long_error(resource, context):
        raise ValueError("word\n" * 100)

    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    found = result(run(reg, doc), "PG-LONG-001")
    detail = " ".join(["word"] * 100)[:300]
    assert found.error == f"ValueError: {detail}"
    assert len(found.error) == len("ValueError: ") + 300


def test_the_engine_records_are_frozen():
    import dataclasses

    inputs = GateInput(loaded=loaded(document()), environment="dev", settings={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.environment = "prod"  # type: ignore[misc]
    report = run(outcome_registry(), document())
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.results[0].status = Status.PASS  # type: ignore[misc]


def test_every_finding_and_error_result_names_its_policy_plan_and_message():
    reg = Registry()

    @policy(
        id="PG-NAME-001",
        title="two types, ranked",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket", "google_pubsub_topic"],
        registry=reg,
    )
    def flags(resource, context):
        yield violation("v", "nothing", resource.get("v"), "said so")

    doc = document(
        change("google_pubsub_topic.t1", ["create"], after={"v": 1}),
        change("google_storage_bucket.z2", ["create"], after={"v": 2}),
        change("google_storage_bucket.a3", ["create"], after={"v": 3}),
        change("google_pubsub_topic.t4", ["create"], after={"v": 4}),
    )
    found = result(run(reg, doc), "PG-NAME-001")
    # ordered as a policy-by-policy pass would: the spec's types in order, then plan order
    assert [f.address for f in found.findings] == [
        "google_storage_bucket.z2",
        "google_storage_bucket.a3",
        "google_pubsub_topic.t1",
        "google_pubsub_topic.t4",
    ]
    assert {(f.policy_id, f.plan) for f in found.findings} == {("PG-NAME-001", "plans/p0.json")}
    assert found.findings[0].message == "v: expected nothing, got 2 (said so)"
    assert (found.plan, found.checked, found.reason) == ("plans/p0.json", 4, None)

    errored = result(
        run(raising_registry(), document(change("google_storage_bucket.a", ["create"]))),
        "PG-ERR-001",
    )
    assert (errored.plan, errored.checked, errored.findings) == ("plans/p0.json", 0, ())


def test_a_plan_view_error_names_the_plan_and_checked_nothing():
    reg = Registry()

    @policy(id="PG-ERR-004", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def explodes(plan, context):
        yield violation("x", "y", 1, address="(plan)")
        raise KeyError("late")

    found = result(run(reg, document()), "PG-ERR-004")
    assert (found.plan, found.status, found.checked, found.findings, found.reason) == (
        "plans/p0.json",
        Status.ERROR,
        0,
        (),
        None,
    )


def test_a_plan_view_violation_without_address_says_so_exactly():
    reg = Registry()

    @policy(id="PG-ERR-006", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def no_address(plan, context):
        yield Violation(attribute="x", expected="y", actual=ABSENT, message="m")

    found = result(run(reg, document()), "PG-ERR-006")
    assert found.error == "TypeError: a plan-view policy must set the violation's address"


def _deep_after(depth: int = 150) -> dict[str, Any]:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return {"v": value}


def test_a_value_nested_beyond_reason_is_bad_input_naming_plan_and_resource():
    doc = document(change("google_storage_bucket.deep", ["create"], after=_deep_after()))
    with pytest.raises(InputError) as caught:
        run(outcome_registry(), doc)
    assert str(caught.value).startswith("plans/p0.json: google_storage_bucket.deep: ")
    assert str(caught.value).endswith("; expected the output of `terraform show -json PLANFILE`")


def test_a_plan_view_policy_reading_a_value_nested_beyond_reason_is_bad_input():
    reg = Registry()

    @policy(id="PG-DEEP-001", title="t", severity="low", rationale="r", view="plan", registry=reg)
    def reads(plan, context):
        _ = plan.resource_changes[0].after
        yield from ()

    doc = document(change("google_storage_bucket.deep", ["create"], after=_deep_after()))
    with pytest.raises(InputError) as caught:
        run(reg, doc)
    message = str(caught.value)
    assert message.startswith("plans/p0.json: ")
    assert message.endswith("; expected the output of `terraform show -json PLANFILE`")


def test_the_before_view_never_judges_a_create_even_with_a_before_value():
    seen: dict[str, list[tuple[str, Any]]] = {"after": [], "before": [], "change": [], "plan": []}
    doc = document(
        change("google_storage_bucket.new", ["create"], before={"v": "odd"}, after={"v": "new"})
    )
    run(recording_registry(seen), doc)
    assert seen["before"] == []
    assert seen["after"] == [("google_storage_bucket.new", "new")]


def test_the_report_records_when_and_with_what_each_plan_was_judged():
    from plangate import __version__

    seen: list[tuple[Any, Any, Any]] = []
    reg = Registry()

    @policy(
        id="PG-CTX-001",
        title="reads its context",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def reads(resource, context):
        seen.append((context.settings, context.configuration, context.inventory))
        yield from ()

    plan = loaded(document(change("google_storage_bucket.a", ["create"], after={"v": 1})))
    item = GateInput(
        loaded=plan,
        environment="prod",
        settings={"k": "v"},
        configuration="the configuration",
        inventory="the inventory",
    )
    report = evaluate([item], reg)
    assert seen == [({"k": "v"}, "the configuration", "the inventory")]
    (plan_run,) = report.runs
    assert plan_run.loaded is plan
    assert (plan_run.environment, plan_run.configuration, plan_run.inventory) == (
        "prod",
        "the configuration",
        "the inventory",
    )
    assert report.plangate_version == __version__
    assert report.started_at.endswith("+00:00") and "." not in report.started_at
    assert isinstance(report.duration_seconds, float)
    assert 0 <= report.duration_seconds < 60
    assert round(report.duration_seconds, 4) == report.duration_seconds


def test_findings_on_one_resource_keep_the_order_the_policy_gave_them():
    reg = Registry()

    @policy(
        id="PG-ORDER-001",
        title="two findings per resource",
        severity="low",
        rationale="test",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    def two(resource, context):
        yield violation("z", "x", 1, address=resource.address + "_z")
        yield violation("a", "x", 1)
        yield violation("b", "x", 1)

    doc = document(change("google_storage_bucket.a", ["create"], after={"v": 1}))
    found = result(run(reg, doc), "PG-ORDER-001")
    assert [(f.address, f.attribute) for f in found.findings] == [
        ("google_storage_bucket.a_z", "z"),
        ("google_storage_bucket.a", "a"),
        ("google_storage_bucket.a", "b"),
    ]
