"""SARIF 2.1.0 for code-scanning services: one run, one rule per policy, one result per finding.

Failing findings are results at the level their severity maps to. Waived findings are left
out by default: code scanning does not honour SARIF suppressions, so a waived finding would
open an alert on a passing run (the JSON report and the evidence keep them; `include_waived`
writes them with an accepted external suppression). A policy that raised is an error result
and an error notification, and makes the invocation unsuccessful. A result points at the
`.tf` block when the locator knows it, otherwise at line 1 of the plan file (`terraform show
-json` writes the whole plan on one line).

Paths are relative to the project root (`%SRCROOT%`, declared in `originalUriBaseIds`) and
fingerprints hash those relative paths, so the same finding fingerprints the same in every
checkout. `automationDetails.id` names the environments judged, so one upload per environment
and commit keeps its own alerts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from plangate.policy.registry import PolicySpec, Severity
from plangate.policy.results import Finding, GateReport, PlanRun, Status
from plangate.report import _common as common
from plangate.report.locate import CachedLocator, Locator

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT = "plangate/v1"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = "https://github.com/plangate/plangate"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# Code-scanning services rank security alerts by this 0.0-10.0 score.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def document(
    report: GateReport, locator: Locator | None = None, *, include_waived: bool = False
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (what `render` serialises)."""
    locate = CachedLocator(locator)
    specs = common.specs(report)
    index = {spec.id: position for position, spec in enumerate(specs)}
    artifacts = [_artifact(run, report.root) for run in report.runs]
    artifact_index = {id(run): position for position, run in enumerate(report.runs)}

    def plan_location(run: PlanRun) -> dict[str, Any]:
        position = artifact_index[id(run)]
        location = {**artifacts[position]["location"], "index": position}
        return {"artifactLocation": location, "region": {"startLine": 1}}

    results: list[dict[str, Any]] = []
    found = common.findings(report)
    reported = [*found.failing, *(found.waived if include_waived else [])]
    fingerprints = _finding_fingerprints([item.finding for item in reported], report.root)
    for item, fingerprint in zip(reported, fingerprints, strict=True):
        finding = item.finding
        where = locate(item.run, finding.address)
        physical = (
            plan_location(item.run)
            if where is None
            else {
                "artifactLocation": {"uri": _relative_uri(where[0]), "uriBaseId": SRCROOT},
                "region": {"startLine": where[1]},
            }
        )
        result: dict[str, Any] = {
            "ruleId": finding.policy_id,
            "ruleIndex": index[finding.policy_id],
            "kind": "fail",
            "level": LEVELS[finding.severity],
            "message": {"text": f"{finding.address}: {finding.message}"},
            "locations": [
                {
                    "physicalLocation": physical,
                    "logicalLocations": [
                        {
                            "name": _last_step(finding.address),
                            "fullyQualifiedName": finding.address,
                            "kind": "resource",
                        }
                    ],
                }
            ],
            "partialFingerprints": {FINGERPRINT: fingerprint},
            "properties": {
                "status": finding.status.value,
                "severity": finding.severity.value,
                "plan": finding.plan,
                "environment": item.run.environment,
                "address": finding.address,
                "attribute": finding.attribute,
                "expected": finding.expected,
                "actual": common.plain(finding.actual),
                "blocking": common.blocks(report, finding),
            },
        }
        if finding.waiver is not None:
            waiver = finding.waiver
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": waiver.justification,
                    "properties": common.waiver_info(finding),
                }
            ]
        results.append(result)

    notifications: list[dict[str, Any]] = []
    errors = common.errors(report)
    for run, policy_result in errors:
        spec = policy_result.spec
        text = (
            f"policy {spec.id} raised on plan {run.name}: {policy_result.error}; "
            "it could not be evaluated, so the gate fails"
        )
        results.append(
            {
                "ruleId": spec.id,
                "ruleIndex": index[spec.id],
                "kind": "fail",
                "level": "error",
                "message": {"text": text},
                "locations": [{"physicalLocation": plan_location(run)}],
                "partialFingerprints": {
                    FINGERPRINT: _fingerprint(
                        spec.id, _stable_name(run.name, report.root), "", "(error)"
                    )
                },
                "properties": {
                    "status": Status.ERROR.value,
                    "plan": run.name,
                    "error": policy_result.error,
                },
            }
        )
        notifications.append(
            {
                "level": "error",
                "message": {"text": text},
                "descriptor": {"id": "policy-error"},
                "associatedRule": {"id": spec.id, "index": index[spec.id]},
                "locations": [{"physicalLocation": plan_location(run)}],
            }
        )

    invocation: dict[str, Any] = {
        "executionSuccessful": not errors,
        "exitCode": report.exit_code,
        **_times(report),
        "toolExecutionNotifications": notifications,
        "toolConfigurationNotifications": _waiver_notifications(report, index),
    }
    return {
        "$schema": SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "plangate",
                        "informationUri": INFORMATION_URI,
                        "version": report.plangate_version,
                        "semanticVersion": report.plangate_version,
                        "rules": [_rule(spec) for spec in specs],
                    }
                },
                "automationDetails": {"id": _automation_id(report)},
                "originalUriBaseIds": {SRCROOT: _root_location(report.root)},
                "invocations": [invocation],
                "artifacts": artifacts,
                "results": results,
                "columnKind": "utf16CodeUnits",
                "properties": {
                    "catalogue": list(report.catalogue),
                    "plans": [common.plan_info(run) for run in report.runs],
                    "summary": common.summary(report, found),
                },
            }
        ],
    }


def render(report: GateReport, locator: Locator | None = None) -> str:
    return common.pretty_json(document(report, locator))


def _automation_id(report: GateReport) -> str:
    """`plangate/<environments>/`: code scanning keeps one alert set per category (the id up
    to its last slash), so one upload per environment and commit does not close another's."""
    names = sorted({run.environment or _stem(run.name) for run in report.runs})
    return f"plangate/{'+'.join(names) or 'none'}/"


def _stem(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).stem or name


def _root_location(root: Path | None) -> dict[str, Any]:
    if root is None:
        return {"description": {"text": "The repository root; result paths are relative to it."}}
    return {"uri": root.resolve().as_uri().rstrip("/") + "/"}


def _repository_path(name: str, root: Path | None) -> str | None:
    """`name` relative to the project root, in POSIX form, or None when it is not below it."""
    path = Path(name)
    if not path.is_absolute():
        return name.replace("\\", "/")
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return None


def _stable_name(name: str, root: Path | None) -> str:
    """What a fingerprint hashes for a plan: its repository path, else its file name."""
    return _repository_path(name, root) or PurePosixPath(name.replace("\\", "/")).name


def _rule(spec: PolicySpec) -> dict[str, Any]:
    links = [ref for ref in spec.references if ref.startswith(("https://", "http://"))]
    waive = (
        f"To accept a violation, add a waiver for {spec.id} with a justification, an approver "
        "and an expiry date."
    )
    text = [spec.rationale]
    markdown = [f"**{spec.title}**", spec.rationale]
    if spec.resource_types:
        text.append("Applies to: " + ", ".join(spec.resource_types) + ".")
        markdown.append("Applies to: " + ", ".join(f"`{t}`" for t in spec.resource_types) + ".")
    text += [f"Reference: {ref}" for ref in spec.references]
    if spec.references:
        markdown.append("References:\n" + "\n".join(f"- {ref}" for ref in spec.references))
    text.append(waive)
    markdown.append(waive)
    rule: dict[str, Any] = {
        "id": spec.id,
        "name": _rule_name(spec),
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.rationale or spec.title},
        "help": {
            "text": "\n".join(line for line in text if line),
            "markdown": "\n\n".join(line for line in markdown if line),
        },
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
        "properties": {
            "tags": ["plangate", "terraform", "security", spec.severity.value, spec.service],
            "severity": spec.severity.value,
            "security-severity": SECURITY_SEVERITY[spec.severity],
            "precision": "very-high",
            "resource_types": list(spec.resource_types),
            "view": spec.view.value,
        },
    }
    if links:
        rule["helpUri"] = links[0]
    return rule


def _rule_name(spec: PolicySpec) -> str:
    """A PascalCase name from the policy function, as code-scanning rule names go."""
    words = re.findall(r"[A-Za-z0-9]+", getattr(spec.function, "__name__", "") or spec.title)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name and not name.startswith("Lambda") else spec.id.replace("-", "")


def _artifact(run: PlanRun, root: Path | None) -> dict[str, Any]:
    info = common.plan_info(run)
    return {
        "location": _plan_uri(run.name, root),
        "length": info["size"],
        "mimeType": "application/json",
        "hashes": {"sha-256": info["sha256"]},
        "roles": ["analysisTarget"],
        "properties": {
            key: info[key]
            for key in ("format_version", "terraform_version", "environment", "timestamp")
        },
    }


def _plan_uri(name: str, root: Path | None) -> dict[str, Any]:
    """Plans below the project root are relative to it; others become file URIs."""
    below = _repository_path(name, root)
    if below is not None and not PureWindowsPath(name).is_absolute():
        return {"uri": _relative_uri(below), "uriBaseId": SRCROOT}
    for flavour in (PurePosixPath, PureWindowsPath):
        path = flavour(name)
        if path.is_absolute():
            return {"uri": path.as_uri()}
    return {"uri": _relative_uri(name), "uriBaseId": SRCROOT}


def _relative_uri(path: str) -> str:
    cleaned = path.replace("\\", "/")
    while cleaned.startswith("./"):
        cleaned = cleaned[2:]
    return quote(cleaned, safe="/-._~@!$&'()*+,;=:")


def _last_step(address: str) -> str:
    """`module.net.google_compute_network.vpc["a"]` is named `google_compute_network.vpc["a"]`."""
    parts = re.split(r"\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", address)
    return ".".join(parts[-2:]) if len(parts) >= 2 else address


def _fingerprint(policy_id: str, plan: str, address: str, attribute: str, *extra: str) -> str:
    text = "\x00".join((policy_id, plan.replace("\\", "/"), address, attribute, *extra))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _finding_fingerprints(findings: list[Finding], root: Path | None) -> list[str]:
    """One fingerprint per finding, distinct within the log. A finding is known by its policy,
    plan (its repository path), address and attribute; where findings share all four (two
    public members of one `_iam_binding`'s `members`), its rendered actual value is added,
    and where even that is shared, its position among the identical ones. A finding alone on
    its attribute keeps the plain fingerprint, so it does not change when another appears."""
    # path work once per plan, not once per finding
    names = {plan: _stable_name(plan, root) for plan in {f.plan for f in findings}}
    keys = [(f.policy_id, names[f.plan], f.address, f.attribute) for f in findings]
    shared = Counter(keys)
    # only findings that share their key are told apart by their value: render only theirs
    values = [
        _value_text(f.actual) if shared[key] > 1 else ""
        for f, key in zip(findings, keys, strict=True)
    ]
    identical = Counter(zip(keys, values, strict=True))
    seen: Counter[tuple[tuple[str, ...], str]] = Counter()
    prints = []
    for key, value in zip(keys, values, strict=True):
        extra: tuple[str, ...] = ()
        if shared[key] > 1:
            extra = (value,)
            if identical[key, value] > 1:
                extra += (str(seen[key, value]),)
                seen[key, value] += 1
        prints.append(_fingerprint(*key, *extra))
    return prints


def _value_text(actual: Any) -> str:
    """An actual value as a fingerprint hashes it: canonical JSON."""
    return json.dumps(common.plain(actual), sort_keys=True, ensure_ascii=False, default=str)


def _times(report: GateReport) -> dict[str, str]:
    try:
        started = dt.datetime.fromisoformat(report.started_at)
    except ValueError:
        return {}
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.UTC)
    started = started.astimezone(dt.UTC)
    ended = started + dt.timedelta(seconds=report.duration_seconds)
    return {"startTimeUtc": _utc(started), "endTimeUtc": _utc(ended)}


def _utc(moment: dt.datetime) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


def _waiver_notifications(report: GateReport, index: dict[str, int]) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for use in report.waivers:
        if use.expired:
            level, kind = "error", "waiver-expired"
            text = (
                f"waiver {use.waiver.describe()} has expired; renew or remove it (the gate fails)"
            )
        elif use.uses == 0:
            level, kind = "warning", "waiver-unused"
            text = f"waiver {use.waiver.describe()} matched nothing; remove it or fix its address"
        else:
            continue
        note: dict[str, Any] = {
            "level": level,
            "message": {"text": text},
            "descriptor": {"id": kind},
        }
        if use.waiver.policy in index:
            note["associatedRule"] = {"id": use.waiver.policy, "index": index[use.waiver.policy]}
        notes.append(note)
    return notes
