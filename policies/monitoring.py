"""Cloud Monitoring alert policies: every alert reaches someone, says what to do, and fires in time.

What this module protects, for an auditor:

* Every alert policy notifies at least one notification channel (PG-MON-001) and carries
  documentation that points the on-call engineer at a runbook (PG-MON-002).
* P0 alerts are enabled (PG-MON-003). An alert is P0 when its `severity` is CRITICAL or its
  `user_labels` say severity or priority "p0" (REQ-042). Shadow mode for P1/P2 alerts
  (enabled = false while thresholds are tuned) is allowed: only P0 alerts must be enabled.
* Memory alerts fire before the container is killed: the threshold of every memory
  utilisation condition is at most the `max_memory_threshold` setting (default 0.85; REQ-010:
  "Lowered memory threshold from 90% to 85%") (PG-MON-004).

Notification channel ids of channels created in the same apply are unknown at plan time; a
non-empty list of them passes PG-MON-001, because the number of channels is known. Every other
unknown value fails, as everywhere in plangate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from plangate.plan import ABSENT, SENSITIVE, UNKNOWN
from plangate.plan.values import Marker
from plangate.policy import (
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    expect_that,
    policy,
    setting,
    violation,
)

ALERT_POLICY = "google_monitoring_alert_policy"

MAX_MEMORY_THRESHOLD = setting(
    "max_memory_threshold",
    0.85,
    """Highest allowed threshold (a fraction of the memory limit, 0-1) of a memory utilisation
    alert condition (PG-MON-004). Percent metrics are compared as threshold / 100.""",
)


@policy(
    id="PG-MON-001",
    title="Every alert policy notifies at least one notification channel",
    severity=Severity.HIGH,
    requirements=("REQ-041",),
    rationale="""An alert policy without notification channels opens incidents that nobody is
    told about. The stack has one notification channel for its seven live and four planned
    alert policies; each must reach it, shadow-mode P1/P2 alerts too, so that enabling them
    later is a one-line change (REQ-041). checkov has no check for
    google_monitoring_alert_policy.""",
    resource_types=(ALERT_POLICY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/monitoring/support/notification-options",
        "https://cloud.google.com/monitoring/alerts/using-alerting-api",
    ),
)
def has_notification_channels(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    yield from expect_that(
        resource,
        "notification_channels",
        lambda channels: isinstance(channels, tuple) and len(channels) > 0,
        "at least one notification channel",
    )


_LINK = re.compile(r"https?://\S+")


@policy(
    id="PG-MON-002",
    title="Every alert policy documents what to do, with a runbook link",
    severity=Severity.MEDIUM,
    requirements=("REQ-027",),
    rationale="""The documentation of an alert policy is what the on-call engineer reads in the
    notification. The Phase 2 import fixed missing runbooks (REQ-027: "Missing monitoring
    runbooks - All 6 files created"), and later phases validate and complete them; an alert
    whose
    documentation is empty, or does not link its runbook (an http(s) URL in the content or a
    documentation link), leaves the responder guessing.""",
    resource_types=(ALERT_POLICY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/monitoring/alerts/doc-variables",
        "https://cloud.google.com/monitoring/alerts/manage-alerts",
    ),
)
def has_documentation(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    path = "documentation[0].content"
    content = resource.get(path)
    if isinstance(content, Marker) or not isinstance(content, str) or not content.strip():
        yield violation(path, "non-empty documentation text", content)
        return
    links = resource.get("documentation[0].links")
    linked = isinstance(links, tuple) and any(
        isinstance(link, Mapping) and isinstance(link.get("url"), str) and link.get("url")
        for link in links
    )
    if not linked and not _LINK.search(content):
        yield violation(
            path,
            "a runbook link (an http(s) URL in the content or a documentation link)",
            content,
        )


def _label(labels: Any, *keys: str) -> Any:
    if not isinstance(labels, Mapping):
        return labels
    for key in keys:
        if key in labels:
            return labels[key]
    return ABSENT


def priority(resource: Resource) -> tuple[bool | None, str, Any]:
    """(is P0, attribute path, value) — None when the plan cannot tell yet."""
    severity = resource.get("severity")
    if severity == "CRITICAL":
        return True, "severity", severity
    labels = resource.get("user_labels")
    label = _label(labels, "severity", "priority")
    if isinstance(label, str) and label.casefold() == "p0":
        key = "severity" if isinstance(labels, Mapping) and "severity" in labels else "priority"
        return True, f"user_labels.{key}", label
    if severity is UNKNOWN or severity is SENSITIVE:
        return None, "severity", severity
    if label is UNKNOWN or label is SENSITIVE:  # a hidden severity cannot prove "not P0"
        return None, "user_labels", label
    return False, "severity", severity


@policy(
    id="PG-MON-003",
    title="P0 alert policies are enabled (only P1/P2 may run in shadow mode)",
    severity=Severity.HIGH,
    requirements=("REQ-042",),
    rationale="""The monitoring rollout (Phases 5-6) deploys P0 alerts enabled (REQ-042: "Deploy
    P0 alerts (enabled)") and P1/P2 alerts in shadow mode: shadow mode lets new thresholds be
    tuned without paging anyone, but a disabled P0 alert means a user-facing outage goes
    unnoticed. P0 is identified by severity = CRITICAL or a user label severity/priority = p0,
    as the monitoring module sets both. A disabled alert whose severity is unknown at plan time
    is reported, because it might be P0.""",
    resource_types=(ALERT_POLICY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/monitoring/alerts/manage-alerts#disable-policy",
        "https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#severity",
    ),
)
def p0_enabled(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    enabled = resource.get("enabled")
    if enabled is True or enabled is ABSENT or enabled is None:
        return  # the API enables a policy unless told otherwise
    is_p0, path, value = priority(resource)
    if is_p0 is None:
        yield violation(
            path,
            "a known severity for a policy that is not enabled",
            value,
            "the gate cannot tell whether this disabled alert is P0",
        )
    elif is_p0:
        yield violation(
            "enabled",
            "true for a P0 alert",
            enabled,
            f"{path} = {value}; only P1/P2 alerts may run in shadow mode",
        )


# A memory utilisation metric type: ratio metrics (0-1) or percent metrics (0-100).
_MEMORY = re.compile(r"memory[^\s\"']*(?:utili[sz]ation|percent)", re.IGNORECASE)
_PERCENT = re.compile(r"memory[^\s\"']*percent", re.IGNORECASE)
_QUERY_KINDS = ("condition_monitoring_query_language", "condition_prometheus_query_language")


@policy(
    id="PG-MON-004",
    title="Memory utilisation alerts fire at or below the maximum threshold",
    severity=Severity.MEDIUM,
    requirements=("REQ-010",),
    rationale="""A Cloud Run instance that reaches its memory limit is killed mid-request, so
    the memory alert must fire with headroom. The team lowered the threshold (REQ-010:
    "Lowered memory threshold from 90% to 85%"); this policy keeps every memory utilisation
    condition at or below `max_memory_threshold` (default 0.85). Conditions are recognised by
    a metric filter that names a memory utilisation or percent metric (for example
    run.googleapis.com/container/memory/utilizations); a memory condition written in MQL or
    PromQL is reported because the gate cannot read its threshold.""",
    resource_types=(ALERT_POLICY,),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/monitoring/api/metrics_gcp#gcp-run",
        "https://cloud.google.com/run/docs/configuring/services/memory-limits",
    ),
)
def memory_threshold(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    limit = ctx.setting(MAX_MEMORY_THRESHOLD)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= 1:
        raise TypeError(f"setting {MAX_MEMORY_THRESHOLD} must be a number in (0, 1], got {limit!r}")
    conditions = resource.get("conditions")
    if not isinstance(conditions, tuple):
        if conditions is UNKNOWN:
            yield violation("conditions", "conditions known at plan time", conditions)
        return
    for index, condition in enumerate(conditions):
        base = f"conditions[{index}]"
        if not isinstance(condition, Mapping):
            yield violation(base, "a condition known at plan time", condition)
            continue
        yield from _threshold_condition(condition, base, limit)
        for kind in _QUERY_KINDS:
            query = _first(condition.get(kind, ABSENT)).get("query", ABSENT)
            if isinstance(query, str) and "memory" in query.casefold():
                yield violation(
                    f"{base}.{kind}[0].query",
                    f"a memory alert whose threshold the gate can read (condition_threshold, at most {limit})",
                    query,
                    "the threshold of an MQL/PromQL query cannot be checked before apply",
                )


def _first(blocks: Any) -> Mapping[str, Any]:
    if isinstance(blocks, tuple) and blocks and isinstance(blocks[0], Mapping):
        return blocks[0]
    return {}


def _threshold_condition(
    condition: Mapping[str, Any], base: str, limit: float
) -> Iterator[Violation]:
    blocks = condition.get("condition_threshold", ABSENT)
    if blocks is ABSENT or blocks is None or blocks == ():
        return
    path = f"{base}.condition_threshold[0]"
    threshold = _first(blocks)
    if not threshold:
        yield violation(path, "a threshold condition known at plan time", blocks)
        return
    metric_filter = threshold.get("filter", ABSENT)
    if isinstance(metric_filter, Marker) or not isinstance(metric_filter, str):
        if metric_filter is not ABSENT:
            yield violation(
                f"{path}.filter",
                "a metric filter known at plan time",
                metric_filter,
                "the gate cannot tell whether this is a memory alert",
            )
        return
    if not _MEMORY.search(metric_filter):
        return
    value = threshold.get("threshold_value", ABSENT)
    percent = bool(_PERCENT.search(metric_filter))
    allowed = limit * 100 if percent else limit
    shown = f"{allowed:g}" + (" (percent)" if percent else f" ({allowed:.0%} of the memory limit)")
    if isinstance(value, Marker | bool) or not isinstance(value, int | float):
        yield violation(f"{path}.threshold_value", f"at most {shown}", value)
    elif value > allowed:
        yield violation(
            f"{path}.threshold_value",
            f"at most {shown}",
            value,
            "an instance that reaches its memory limit is killed mid-request",
        )
