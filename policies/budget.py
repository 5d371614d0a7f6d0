"""Billing budget: the project's spending guard rail.

What this module protects: that overspending is noticed in time. A budget only helps if it
has an amount to measure against, thresholds that fire early enough, and somewhere to send
the alerts. checkov has no budget checks (docs/peers.md).

Policies (ids are stable; reports and waivers refer to them):

- PG-BUD-001  Budgets alert at the required thresholds of current spend.
- PG-BUD-002  Budget alerts are routed to Pub/Sub or notification channels.
- PG-BUD-003  Budgets have a positive amount or track last period's spend.

Spend basis: a threshold rule without `spend_basis` (absent, null, empty or
BASIS_UNSPECIFIED) counts as CURRENT_SPEND, because the Budget API documents CURRENT_SPEND as
the behaviour when the basis is not set. FORECASTED_SPEND rules do not satisfy a required
threshold: a forecast can stay under 100% while actual spend passes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from plangate.plan import ABSENT, UNKNOWN, Marker, get_path, render
from plangate.policy import (
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    policy,
    setting,
    violation,
)

BUDGET = ("google_billing_budget",)

CURRENT_SPEND = "CURRENT_SPEND"
_UNSET_BASIS = (None, "", "BASIS_UNSPECIFIED")

_PROVIDER_DOC = (
    "https://github.com/hashicorp/terraform-provider-google/blob/main/"
    "website/docs/r/billing_budget.html.markdown"
)
_REST_DOC = "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets"

REQUIRED_THRESHOLDS = setting(
    "required_budget_thresholds",
    (0.25, 0.5, 0.9, 1.0),
    """Fractions of the budget amount at which a budget must alert on current spend
    (PG-BUD-001): 0.25 is the early warning the team added, 0.5 and 0.9 track the month, 1.0
    means the budget is spent. Extra thresholds are allowed.""",
)


def _thresholds(value: Any) -> tuple[float, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"setting {REQUIRED_THRESHOLDS} must be a list of numbers, got {value!r}")
    items = tuple(value)
    if not all(isinstance(item, int | float) and not isinstance(item, bool) for item in items):
        raise TypeError(f"setting {REQUIRED_THRESHOLDS} must be a list of numbers, got {value!r}")
    return tuple(float(item) for item in items)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _basis(rule: Mapping[str, Any]) -> Any:
    basis = rule.get("spend_basis", None)
    return CURRENT_SPEND if basis in _UNSET_BASIS else basis


# --------------------------------------------------------------------------- PG-BUD-001


@policy(
    id="PG-BUD-001",
    title="Budgets alert at the required thresholds of current spend",
    severity=Severity.MEDIUM,
    requirements=("REQ-011",),
    rationale="""The budget warns at 25% (the early warning the team added, REQ-011: "Added
    25% budget threshold for early warning"), 50%, 90% and 100% of current spend, so a
    runaway Cloud Run or training cost is seen within the month. The thresholds come from
    `required_budget_thresholds`; each missing one is its own finding. Forecast-based rules
    do not count, and a rule known only after apply cannot prove a threshold.""",
    resource_types=BUDGET,
    view=View.AFTER,
    references=("https://cloud.google.com/billing/docs/how-to/budgets", _REST_DOC, _PROVIDER_DOC),
)
def budget_thresholds(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    required = _thresholds(ctx.setting(REQUIRED_THRESHOLDS))
    rules = resource.get("threshold_rules")
    known: list[tuple[float, Any]] = []
    uncertain = isinstance(rules, Marker) and rules is not ABSENT
    for rule in rules if isinstance(rules, tuple) else ():
        percent = get_path(rule, "threshold_percent")
        basis = get_path(rule, "spend_basis")
        if isinstance(rule, Marker) or isinstance(percent, Marker) or basis is UNKNOWN:
            uncertain = True
        elif isinstance(percent, int | float) and isinstance(rule, Mapping):
            known.append((float(percent), _basis(rule)))
    present = ", ".join(
        f"{_percent(p)} of {b if isinstance(b, str) else render(b)}" for p, b in known
    )
    for threshold in required:
        if any(math.isclose(p, threshold, abs_tol=1e-9) and b == CURRENT_SPEND for p, b in known):
            continue
        expected = f"a rule at {_percent(threshold)} of {CURRENT_SPEND}"
        if uncertain:
            yield violation("threshold_rules", expected, UNKNOWN)
            continue
        message = f"threshold_rules: expected {expected}, got none"
        if present:
            message += f" (rules present: {present})"
        yield Violation(
            attribute="threshold_rules", expected=expected, actual=ABSENT, message=message
        )


# --------------------------------------------------------------------------- PG-BUD-002


def _route(value: Any) -> tuple[bool, bool]:
    """(routed, uncertain) for a pubsub_topic string or a list of channel names."""
    if isinstance(value, str):
        return bool(value), False
    if isinstance(value, tuple):
        routed = any(isinstance(item, str) and item for item in value)
        return routed, any(item is UNKNOWN for item in value)
    return False, value is UNKNOWN


@policy(
    id="PG-BUD-002",
    title="Budget alerts are routed to Pub/Sub or notification channels",
    severity=Severity.MEDIUM,
    requirements=("REQ-006", "REQ-020"),
    rationale="""A budget that notifies nobody is decoration. The team publishes every budget
    update to a Pub/Sub topic for machine-readable handling (REQ-006: "Added
    pubsub_topic_name default value"; REQ-020: "1 Budget + 1 PubSub topic") and has a
    monitoring notification channel. `all_updates_rule` must name a Pub/Sub topic or at least
    one monitoring notification channel; default e-mails to billing administrators alone do
    not reach the team, and `disable_default_iam_recipients` can switch even those off.""",
    resource_types=BUDGET,
    view=View.AFTER,
    references=(
        "https://cloud.google.com/billing/docs/how-to/budgets-programmatic-notifications",
        "https://cloud.google.com/billing/docs/how-to/budgets-notification-recipients",
        _PROVIDER_DOC,
    ),
)
def budget_alerts_routed(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    topic_routed, topic_uncertain = _route(resource.get("all_updates_rule[0].pubsub_topic"))
    channels_routed, channels_uncertain = _route(
        resource.get("all_updates_rule[0].monitoring_notification_channels")
    )
    if topic_routed or channels_routed:
        return
    expected = "a pubsub_topic or at least one monitoring_notification_channels entry"
    rule = resource.get("all_updates_rule")
    if topic_uncertain or channels_uncertain or rule is UNKNOWN:
        yield violation("all_updates_rule[0]", expected, UNKNOWN)
        return
    actual = resource.get("all_updates_rule[0]")
    why = "budget alerts reach no one the team reads"
    if resource.get("all_updates_rule[0].disable_default_iam_recipients") is True:
        why = "default recipients are disabled too, so nobody is notified"
    yield violation("all_updates_rule[0]", expected, actual, why)


# --------------------------------------------------------------------------- PG-BUD-003


def _amount(units: Any, nanos: Any) -> Decimal | None:
    try:
        whole = (
            Decimal(units) if isinstance(units, str | int) and not isinstance(units, bool) else None
        )
    except InvalidOperation:
        whole = None
    fraction = (
        Decimal(nanos) / Decimal(10**9)
        if isinstance(nanos, int) and not isinstance(nanos, bool)
        else 0
    )
    if whole is None and fraction == 0:
        return None
    return (whole or Decimal(0)) + fraction


@policy(
    id="PG-BUD-003",
    title="Budgets have a positive amount or track last period's spend",
    severity=Severity.MEDIUM,
    requirements=("REQ-020",),
    rationale="""Thresholds are fractions of the budget amount: without an amount, or with
    zero, they never fire in a useful way (a zero budget is "spent" by the first cent). The
    budget module sets a specified amount in the billing currency (REQ-020: "1 Budget + 1
    PubSub topic"). `amount[0].specified_amount[0].units` (with nanos) must be above zero,
    or `amount[0].last_period_amount` true. A value known only after apply fails.""",
    resource_types=BUDGET,
    view=View.AFTER,
    references=("https://cloud.google.com/billing/docs/how-to/budgets", _REST_DOC, _PROVIDER_DOC),
)
def budget_amount(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    last_period = resource.get("amount[0].last_period_amount")
    units = resource.get("amount[0].specified_amount[0].units")
    nanos = resource.get("amount[0].specified_amount[0].nanos")
    if last_period is True:
        return
    value = _amount(units, nanos)
    if value is not None and value > 0:
        return
    expected = "a specified amount above 0, or last_period_amount = true"
    path = "amount[0].specified_amount[0].units"
    if UNKNOWN in (units, nanos, last_period, resource.get("amount")):
        yield violation(path, expected, UNKNOWN)
        return
    yield violation(path, expected, units, "threshold alerts are fractions of this amount")
