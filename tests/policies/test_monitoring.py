"""policies/monitoring.py: channels, runbook documentation, P0 enabled, memory thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from plangate.plan import SENSITIVE
from plangate.policy import Status
from tests.fixtures.builder import UNKNOWN, PlanBuilder, Secret
from tests.policies.helpers import assert_unknown, one_finding, plan, says
from tests.support import judge

ALERT = "module.monitoring.google_monitoring_alert_policy.api_error_rate"
MEMORY = "module.monitoring.google_monitoring_alert_policy.memory_utilization"
CHANNEL = "projects/acme-prod/notificationChannels/1234567890"
RUN_FILTER = 'resource.type = "cloud_run_revision" AND resource.labels.service_name = "ct-scan-api"'
RUNBOOK = "Runbook: https://github.com/acme/ct-scan-mlops/blob/main/infrastructure/terraform/runbooks/api-error-rate.md"


def _condition(metric: str, threshold: Any = 0.05) -> dict[str, Any]:
    return {
        "display_name": f"{metric} above threshold",
        "condition_threshold": [
            {
                "filter": f'{RUN_FILTER} AND metric.type = "{metric}"',
                "comparison": "COMPARISON_GT",
                "threshold_value": threshold,
                "duration": "300s",
            }
        ],
        "condition_absent": [],
        "condition_monitoring_query_language": [],
        "condition_prometheus_query_language": [],
    }


def _alert(
    *,
    severity: Any = "CRITICAL",
    priority: str = "p0",
    enabled: Any = True,
    channels: Any = None,
    content: Any = RUNBOOK + "\n\nRequests end in 5xx.",
    conditions: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    after = {
        "display_name": f"[{priority.upper()}] CT-scan API alert (prod)",
        "combiner": "OR",
        "enabled": enabled,
        "severity": severity,
        "notification_channels": [CHANNEL] if channels is None else channels,
        "user_labels": {
            "project": "ct-scan-mlops",
            "environment": "prod",
            "managed_by": "terraform",
            "severity": priority,
        },
        "conditions": [_condition("run.googleapis.com/request_count")]
        if conditions is None
        else conditions,
        "documentation": [
            {"subject": "API alert", "content": content, "mime_type": "text/markdown", "links": []}
        ],
    }
    after.update(extra)
    return after


# --------------------------------------------------------------------------- PG-MON-001


def test_alert_with_a_channel_passes() -> None:
    assert judge("PG-MON-001", plan(ALERT, _alert())).status is Status.PASS


def test_channel_created_in_the_same_apply_passes() -> None:
    assert judge("PG-MON-001", plan(ALERT, _alert(channels=[UNKNOWN]))).status is Status.PASS


@pytest.mark.parametrize("channels", [[], None])
def test_alert_without_channels_fails(channels: Any) -> None:
    after = _alert()
    after["notification_channels"] = channels
    finding = one_finding(judge("PG-MON-001", plan(ALERT, after)))
    assert finding.attribute == "notification_channels"
    says(
        finding,
        ALERT,
        "notification_channels: expected at least one notification channel",
        "got [" if channels == [] else "got null",
    )


def test_shadow_mode_alert_without_channels_also_fails() -> None:
    after = _alert(severity="ERROR", priority="p1", enabled=False, channels=[])
    one_finding(judge("PG-MON-001", plan(MEMORY, after)))


def test_unknown_channel_list_fails() -> None:
    finding = one_finding(judge("PG-MON-001", plan(ALERT, _alert(channels=UNKNOWN))))
    assert_unknown(finding, ALERT, "notification_channels")


# --------------------------------------------------------------------------- PG-MON-002


def test_documentation_with_a_runbook_link_passes() -> None:
    assert judge("PG-MON-002", plan(ALERT, _alert())).status is Status.PASS


def test_documentation_link_block_counts_as_a_runbook_link() -> None:
    after = _alert(content="Requests end in 5xx; see the runbook.")
    after["documentation"][0]["links"] = [
        {"display_name": "Runbook", "url": "https://runbooks.acme.example/api-error-rate"}
    ]
    assert judge("PG-MON-002", plan(ALERT, after)).status is Status.PASS


@pytest.mark.parametrize("content", ["", "   "])
def test_empty_documentation_fails(content: str) -> None:
    finding = one_finding(judge("PG-MON-002", plan(ALERT, _alert(content=content))))
    assert finding.attribute == "documentation[0].content"
    says(
        finding,
        ALERT,
        "documentation[0].content: expected non-empty documentation text",
        f'got "{content}"',
    )


def test_missing_documentation_block_fails() -> None:
    after = _alert()
    after["documentation"] = []
    finding = one_finding(judge("PG-MON-002", plan(ALERT, after)))
    says(finding, "documentation[0].content:", "got (absent)")


def test_documentation_without_a_runbook_link_fails() -> None:
    finding = one_finding(judge("PG-MON-002", plan(ALERT, _alert(content="Requests end in 5xx."))))
    says(finding, ALERT, "documentation[0].content:", "a runbook link", '"Requests end in 5xx."')


def test_unknown_documentation_fails() -> None:
    finding = one_finding(judge("PG-MON-002", plan(ALERT, _alert(content=UNKNOWN))))
    assert_unknown(finding, ALERT, "documentation[0].content")


# --------------------------------------------------------------------------- PG-MON-003


def test_enabled_p0_passes() -> None:
    assert judge("PG-MON-003", plan(ALERT, _alert())).status is Status.PASS


@pytest.mark.parametrize(("severity", "priority"), [("ERROR", "p1"), ("WARNING", "p2")])
def test_p1_p2_shadow_mode_passes(severity: str, priority: str) -> None:
    after = _alert(severity=severity, priority=priority, enabled=False)
    assert judge("PG-MON-003", plan(MEMORY, after)).status is Status.PASS


def test_disabled_critical_alert_fails() -> None:
    finding = one_finding(judge("PG-MON-003", plan(ALERT, _alert(enabled=False))))
    assert finding.attribute == "enabled"
    assert finding.actual is False
    says(
        finding,
        ALERT,
        "enabled: expected true for a P0 alert",
        "got false",
        "severity = CRITICAL",
        "shadow mode",
    )


def test_disabled_alert_labelled_p0_fails_even_without_severity() -> None:
    after = _alert(severity=None, priority="P0", enabled=False)
    finding = one_finding(judge("PG-MON-003", plan(ALERT, after)))
    says(finding, "enabled:", "user_labels.severity = P0")


def test_disabled_alert_of_unknown_severity_fails() -> None:
    after = _alert(severity=UNKNOWN, priority="p1", enabled=False)
    finding = one_finding(judge("PG-MON-003", plan(ALERT, after)))
    assert_unknown(finding, ALERT, "severity")
    says(finding, "cannot tell whether this disabled alert is P0")


def test_disabled_alert_of_hidden_severity_fails() -> None:
    document = (
        PlanBuilder()
        .resource(
            ALERT,
            action="create",
            after={**_alert(priority="p1", enabled=False), "severity": Secret("CRITICAL")},
        )
        .build()
    )
    finding = one_finding(judge("PG-MON-003", document))
    assert finding.actual is SENSITIVE
    says(finding, "cannot tell whether this disabled alert is P0")


def test_p0_with_unknown_enabled_fails() -> None:
    finding = one_finding(judge("PG-MON-003", plan(ALERT, _alert(enabled=UNKNOWN))))
    assert_unknown(finding, ALERT, "enabled")


# --------------------------------------------------------------------------- PG-MON-004

MEMORY_METRIC = "run.googleapis.com/container/memory/utilizations"


def _memory_alert(threshold: Any, metric: str = MEMORY_METRIC) -> dict[str, Any]:
    return _alert(
        severity="ERROR", priority="p1", enabled=False, conditions=[_condition(metric, threshold)]
    )


@pytest.mark.parametrize("threshold", [0.85, 0.8])
def test_memory_threshold_at_or_below_the_maximum_passes(threshold: float) -> None:
    assert judge("PG-MON-004", plan(MEMORY, _memory_alert(threshold))).status is Status.PASS


def test_memory_threshold_above_the_maximum_fails() -> None:
    finding = one_finding(judge("PG-MON-004", plan(MEMORY, _memory_alert(0.9))))
    assert finding.attribute == "conditions[0].condition_threshold[0].threshold_value"
    assert finding.actual == 0.9
    says(
        finding,
        MEMORY,
        "conditions[0].condition_threshold[0].threshold_value: expected at most 0.85 (85% of the memory limit)",
        "got 0.9",
    )


def test_memory_threshold_setting_is_honoured() -> None:
    result = judge(
        "PG-MON-004", plan(MEMORY, _memory_alert(0.85)), settings={"max_memory_threshold": 0.8}
    )
    says(one_finding(result), "expected at most 0.8 (80% of the memory limit)", "got 0.85")


def test_memory_percent_metric_is_compared_in_percent() -> None:
    metric = "agent.googleapis.com/memory/percent_used"
    assert judge("PG-MON-004", plan(MEMORY, _memory_alert(80, metric))).status is Status.PASS
    says(
        one_finding(judge("PG-MON-004", plan(MEMORY, _memory_alert(90, metric)))),
        "expected at most 85 (percent)",
        "got 90",
    )


def test_other_metrics_are_not_memory_alerts() -> None:
    after = _alert(
        conditions=[
            _condition("run.googleapis.com/container/cpu/utilizations", 0.95),
            _condition("run.googleapis.com/container/memory/allocation_time", 3600),
        ]
    )
    assert judge("PG-MON-004", plan(ALERT, after)).status is Status.PASS


def test_memory_alert_in_mql_fails_because_its_threshold_cannot_be_read() -> None:
    query = "fetch cloud_run_revision | metric 'run.googleapis.com/container/memory/utilizations' | condition val() > 0.95"
    condition = {
        "display_name": "memory",
        "condition_threshold": [],
        "condition_monitoring_query_language": [{"query": query, "duration": "300s"}],
    }
    finding = one_finding(judge("PG-MON-004", plan(MEMORY, _alert(conditions=[condition]))))
    says(
        finding,
        MEMORY,
        "conditions[0].condition_monitoring_query_language[0].query:",
        "cannot be checked before apply",
    )


def test_unknown_memory_threshold_fails() -> None:
    finding = one_finding(judge("PG-MON-004", plan(MEMORY, _memory_alert(UNKNOWN))))
    assert_unknown(finding, MEMORY, "conditions[0].condition_threshold[0].threshold_value")


def test_unknown_filter_fails_because_it_may_be_a_memory_alert() -> None:
    after = _memory_alert(0.5)
    after["conditions"][0]["condition_threshold"][0]["filter"] = UNKNOWN
    finding = one_finding(judge("PG-MON-004", plan(MEMORY, after)))
    assert_unknown(finding, MEMORY, "conditions[0].condition_threshold[0].filter")
