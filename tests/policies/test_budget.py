"""policies/budget.py: thresholds, alert routing and amount of google_billing_budget."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.plan import ABSENT
from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder
from tests.support import judge

ADDRESS = "module.budget.google_billing_budget.monthly"


def _rule(percent: Any, basis: Any = "CURRENT_SPEND") -> dict[str, Any]:
    return {"threshold_percent": percent, "spend_basis": basis}


GOOD = {
    "display_name": "acme-prod monthly",
    "amount": [
        {
            "last_period_amount": False,
            "specified_amount": [{"currency_code": "EUR", "units": "200", "nanos": 0}],
        }
    ],
    "threshold_rules": [_rule(0.25), _rule(0.5), _rule(0.9), _rule(1.0)],
    "all_updates_rule": [
        {
            "pubsub_topic": "projects/acme-prod/topics/budget-alerts",
            "monitoring_notification_channels": [],
            "schema_version": "1.0",
            "disable_default_iam_recipients": False,
        }
    ],
}


def _budget(action: str = "create", **changes: Any) -> dict[str, Any]:
    return PlanBuilder().resource(ADDRESS, action=action, after={**GOOD, **changes}).build()


def _only(result: Any) -> Any:
    assert result.status is Status.FAIL, result
    (finding,) = result.findings
    assert finding.address == ADDRESS
    return finding


# --------------------------------------------------------------------------- PG-BUD-001


def test_all_required_thresholds_pass() -> None:
    assert judge("PG-BUD-001", _budget()).status is Status.PASS


def test_each_missing_threshold_is_its_own_finding() -> None:
    result = judge("PG-BUD-001", _budget(threshold_rules=[_rule(0.5), _rule(1.0)]))
    assert result.status is Status.FAIL
    assert [f.message for f in result.findings] == [
        "threshold_rules: expected a rule at 25% of CURRENT_SPEND, got none "
        "(rules present: 50% of CURRENT_SPEND, 100% of CURRENT_SPEND)",
        "threshold_rules: expected a rule at 90% of CURRENT_SPEND, got none "
        "(rules present: 50% of CURRENT_SPEND, 100% of CURRENT_SPEND)",
    ]
    assert all(f.attribute == "threshold_rules" and f.actual is ABSENT for f in result.findings)
    assert result.findings[0].expected == "a rule at 25% of CURRENT_SPEND"


def test_budget_without_rules_misses_every_threshold() -> None:
    result = judge("PG-BUD-001", _budget(threshold_rules=[]))
    assert [f.message for f in result.findings] == [
        f"threshold_rules: expected a rule at {p} of CURRENT_SPEND, got none"
        for p in ("25%", "50%", "90%", "100%")
    ]


def test_forecasted_spend_does_not_satisfy_a_threshold() -> None:
    rules = [_rule(0.25, "FORECASTED_SPEND"), _rule(0.5), _rule(0.9), _rule(1.0)]
    finding = _only(judge("PG-BUD-001", _budget(threshold_rules=rules)))
    assert finding.message.startswith(
        "threshold_rules: expected a rule at 25% of CURRENT_SPEND, got none"
    )
    assert "25% of FORECASTED_SPEND" in finding.message


@pytest.mark.parametrize("basis", [None, "", "BASIS_UNSPECIFIED"])
def test_unset_spend_basis_counts_as_current_spend(basis: Any) -> None:
    rules = [_rule(0.25, basis), _rule(0.5), _rule(0.9), _rule(1)]
    assert judge("PG-BUD-001", _budget(threshold_rules=rules)).status is Status.PASS
    absent = [{"threshold_percent": 0.25}, _rule(0.5), _rule(0.9), _rule(1.0)]
    assert judge("PG-BUD-001", _budget(threshold_rules=absent)).status is Status.PASS


def test_rules_known_only_after_apply_fail_as_unknown() -> None:
    result = judge("PG-BUD-001", _budget(threshold_rules=UNKNOWN))
    assert len(result.findings) == 4
    assert all(f.actual is UNKNOWN for f in result.findings)
    assert result.findings[0].message.startswith(
        "threshold_rules: expected a rule at 25% of CURRENT_SPEND, got (known after apply)"
    )


def test_one_unknown_rule_makes_only_the_missing_thresholds_unknown() -> None:
    rules = [_rule(UNKNOWN), _rule(0.5), _rule(0.9), _rule(1.0)]
    finding = _only(judge("PG-BUD-001", _budget(threshold_rules=rules)))
    assert finding.actual is UNKNOWN
    assert finding.expected == "a rule at 25% of CURRENT_SPEND"
    assert "known after apply" in finding.message


def test_required_thresholds_come_from_the_setting() -> None:
    doc = _budget(threshold_rules=[_rule(0.5)])
    assert (
        judge("PG-BUD-001", doc, settings={"required_budget_thresholds": [0.5]}).status
        is Status.PASS
    )
    result = judge("PG-BUD-001", doc, settings={"required_budget_thresholds": [0.5, 1.2]})
    assert "expected a rule at 120% of CURRENT_SPEND" in _only(result).message


# --------------------------------------------------------------------------- PG-BUD-002


def _updates(**changes: Any) -> list[dict[str, Any]]:
    return [{**GOOD["all_updates_rule"][0], **changes}]


def test_alerts_on_a_pubsub_topic_pass() -> None:
    assert judge("PG-BUD-002", _budget()).status is Status.PASS


def test_alerts_on_notification_channels_pass() -> None:
    rule = _updates(
        pubsub_topic=None, monitoring_notification_channels=["projects/p/notificationChannels/1"]
    )
    assert judge("PG-BUD-002", _budget(all_updates_rule=rule)).status is Status.PASS


def test_alerts_routed_nowhere_fail() -> None:
    rule = _updates(pubsub_topic=None)
    finding = _only(judge("PG-BUD-002", _budget(all_updates_rule=rule)))
    assert finding.attribute == "all_updates_rule[0]"
    assert finding.message.startswith(
        "all_updates_rule[0]: expected a pubsub_topic or at least one "
        "monitoring_notification_channels entry, got {"
    )
    assert "pubsub_topic = null" in finding.message
    assert "monitoring_notification_channels = []" in finding.message
    assert finding.message.endswith("(budget alerts reach no one the team reads)")


def test_alerts_routed_nowhere_with_default_recipients_disabled_say_so() -> None:
    rule = _updates(pubsub_topic="", disable_default_iam_recipients=True)
    assert (
        "nobody is notified" in _only(judge("PG-BUD-002", _budget(all_updates_rule=rule))).message
    )


def test_budget_without_an_updates_rule_fails() -> None:
    finding = _only(judge("PG-BUD-002", _budget(all_updates_rule=[])))
    assert finding.actual is ABSENT


@pytest.mark.parametrize(
    "rule",
    [
        _updates(pubsub_topic=UNKNOWN),
        _updates(pubsub_topic=None, monitoring_notification_channels=[UNKNOWN]),
        UNKNOWN,
    ],
)
def test_routes_known_only_after_apply_fail_as_unknown(rule: Any) -> None:
    finding = _only(judge("PG-BUD-002", _budget(all_updates_rule=rule)))
    assert finding.actual is UNKNOWN
    assert finding.message.startswith("all_updates_rule[0]: expected a pubsub_topic")
    assert "got (known after apply)" in finding.message


def test_a_known_route_is_enough_when_the_other_is_unknown() -> None:
    rule = _updates(monitoring_notification_channels=[UNKNOWN])
    assert judge("PG-BUD-002", _budget(all_updates_rule=rule)).status is Status.PASS


# --------------------------------------------------------------------------- PG-BUD-003


def _amount(units: Any = "200", nanos: Any = 0, last: Any = False) -> list[dict[str, Any]]:
    specified = [] if units is None else [{"currency_code": "EUR", "units": units, "nanos": nanos}]
    return [{"last_period_amount": last, "specified_amount": specified}]


@pytest.mark.parametrize(
    "amount", [_amount(), _amount(units="0", nanos=500_000_000), _amount(units=None, last=True)]
)
def test_positive_or_last_period_amount_passes(amount: Any) -> None:
    assert judge("PG-BUD-003", _budget(amount=amount)).status is Status.PASS


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (_amount(units="0"), '"0"'),
        (_amount(units=None), "(absent)"),
        ([], "(absent)"),
        (_amount(units="-5"), '"-5"'),
    ],
)
def test_zero_or_missing_amount_fails(amount: Any, shown: str) -> None:
    finding = _only(judge("PG-BUD-003", _budget(amount=amount)))
    assert finding.attribute == "amount[0].specified_amount[0].units"
    assert finding.message == (
        "amount[0].specified_amount[0].units: expected a specified amount above 0, or "
        f"last_period_amount = true, got {shown} (threshold alerts are fractions of this amount)"
    )


def test_amount_known_only_after_apply_fails_as_unknown() -> None:
    finding = _only(judge("PG-BUD-003", _budget(amount=_amount(units=UNKNOWN))))
    assert finding.actual is UNKNOWN
    assert "got (known after apply)" in finding.message
