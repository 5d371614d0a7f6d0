"""checkov's JSON answer, read strictly: anything unexpected is an error, never a pass.

`-o json` writes one object per framework: `{check_type, results: {passed_checks,
failed_checks, skipped_checks, parsing_errors}, summary: {..., parsing_errors,
resource_count, checkov_version}}`, or only the summary when nothing was scanned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from plangate.checkov.errors import CheckovError
from plangate.checkov.process import Answer, last_line


class Outcome(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"
    """Suppressed by a `#checkov:skip` comment in the HCL, which plangate does not honour."""


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One check on one resource, as checkov reported it."""

    check_id: str
    name: str
    outcome: Outcome
    address: str
    evaluated_keys: tuple[str, ...]
    guideline: str | None
    suppress_comment: str | None


@dataclass(frozen=True, slots=True)
class Scan:
    """Everything checkov said about one plan or directory."""

    checkov_version: str
    resource_count: int
    records: tuple[CheckRecord, ...]


_LISTS = {
    "passed_checks": Outcome.PASSED,
    "failed_checks": Outcome.FAILED,
    "skipped_checks": Outcome.SKIPPED,
}


def read_answer(answer: Answer, *, check_type: str, target: str) -> Scan:
    """The scan in checkov's answer; a CheckovError for an empty, non-JSON, inconsistent or
    parse-error answer."""
    if not answer.stdout.strip():
        words = last_line(answer.stderr) or "no output"
        raise CheckovError(
            f"checkov answered nothing on {target} (exit {answer.returncode}): {words}"
        )
    try:
        document = json.loads(answer.stdout)
    except json.JSONDecodeError:
        raise CheckovError(
            f"checkov answered something that is not JSON on {target}: "
            f"{last_line(answer.stdout)[:80]!r}"
        ) from None
    reports = document if isinstance(document, list) else [document]
    if not all(isinstance(report, dict) for report in reports):
        raise CheckovError(f"checkov answered JSON of an unexpected shape on {target}")
    if len(reports) == 1 and "results" not in reports[0]:
        return _empty(reports[0], answer, target)
    chosen = [report for report in reports if report.get("check_type") == check_type]
    if len(chosen) != 1:
        raise CheckovError(f"checkov answered no {check_type} report on {target}")
    return _scan(chosen[0], target)


def _empty(summary: dict[str, Any], answer: Answer, target: str) -> Scan:
    """Only a summary: nothing was scanned. Fine for exit 0 without parsing errors."""
    _check_parsing(summary.get("parsing_errors"), target)
    if answer.returncode != 0 or summary.get("failed"):
        raise CheckovError(
            f"checkov exited {answer.returncode} on {target} but reported no results"
        )
    return Scan(str(summary.get("checkov_version", "")), _count(summary, target), ())


def _scan(report: dict[str, Any], target: str) -> Scan:
    results, summary = report.get("results"), report.get("summary")
    if not isinstance(results, dict) or not isinstance(summary, dict):
        raise CheckovError(f"checkov answered JSON without results or summary on {target}")
    _check_parsing(results.get("parsing_errors"), target)
    _check_parsing(summary.get("parsing_errors"), target)
    records = tuple(
        _record(raw, outcome, target)
        for key, outcome in _LISTS.items()
        for raw in _list(results.get(key, []), key, target)
    )
    failed = sum(1 for record in records if record.outcome is Outcome.FAILED)
    if failed != summary.get("failed"):
        raise CheckovError(
            f"checkov's summary on {target} counts {summary.get('failed')} failed checks "
            f"but lists {failed}"
        )
    return Scan(str(summary.get("checkov_version", "")), _count(summary, target), records)


def _check_parsing(errors: Any, target: str) -> None:
    if errors in (None, 0, []):
        return
    shown = ", ".join(str(e) for e in errors[:3]) if isinstance(errors, list) else str(errors)
    raise CheckovError(f"checkov could not parse {target} (parsing errors: {shown})")


def _count(summary: dict[str, Any], target: str) -> int:
    count = summary.get("resource_count")
    if not isinstance(count, int) or isinstance(count, bool):
        raise CheckovError(f"checkov's summary on {target} has no resource count")
    return count


def _list(value: Any, key: str, target: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CheckovError(f"checkov's {key} on {target} is not a list of records")
    return value


def _record(raw: dict[str, Any], outcome: Outcome, target: str) -> CheckRecord:
    check_id, name = raw.get("check_id"), raw.get("check_name")
    address = raw.get("resource_address") or raw.get("resource")
    if not all(isinstance(v, str) and v for v in (check_id, name, address)):
        raise CheckovError(f"checkov reported a record without check id or resource on {target}")
    result = raw.get("check_result") if isinstance(raw.get("check_result"), dict) else {}
    keys = result.get("evaluated_keys") or ()
    guideline = raw.get("guideline")
    comment = result.get("suppress_comment")
    return CheckRecord(
        check_id=str(check_id),
        name=" ".join(str(name).split()),
        outcome=outcome,
        address=str(address),
        evaluated_keys=tuple(str(key) for key in keys if isinstance(key, str)),
        guideline=guideline if isinstance(guideline, str) and guideline else None,
        suppress_comment=comment.strip() if isinstance(comment, str) and comment.strip() else None,
    )
