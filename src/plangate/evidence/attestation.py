"""The evidence as an in-toto Statement v1: the plans are the subjects, the summary the predicate.

Signed by CI (GitHub's artifact attestations), the Statement lets an auditor check that a
plan was judged, by which controls (pinned by hash) and with what result, without trusting
the report files; the predicate also names those files by hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from plangate.errors import InputError
from plangate.evidence.model import Evidence

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://github.com/plangate/plangate/evidence/v1"
"""Ours, versioned: a change that breaks a reader of the predicate gets a new version."""


@cache
def statement_schema() -> dict[str, Any]:
    """The JSON Schema of the Statement plangate writes (shipped with the package)."""
    text = resources.files("plangate.evidence").joinpath("schema/statement.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return schema


def predicate(evidence: Evidence, reports: Mapping[Path, str]) -> dict[str, Any]:
    """The evidence summary: verdict, counts, pins, results per requirement, report hashes."""
    if evidence.pins is None or evidence.trace is None:
        raise ValueError("only a pinned and traced evidence can be attested")
    trace = evidence.trace
    return {
        "verdict": "passed" if evidence.passed else "failed",
        "generated_at": evidence.generated_at,
        "counts": {
            "plans": len(evidence.plans),
            "scenarios": evidence.scenario_counts(),
            "policies": evidence.policy_counts(),
            "waivers": len(evidence.waivers),
            "expired_waivers": sum(w.expired for w in evidence.waivers),
        },
        "conformance": None
        if evidence.conformance is None
        else {"passed": evidence.conformance.passed, "coverage": evidence.conformance.coverage},
        "pins": asdict(evidence.pins),
        "requirements_document": trace.document,
        "requirements": [
            {
                "id": row.id,
                "title": row.title,
                "verified_by": row.verified_by,
                "results": row.results,
                "controls": [
                    {"kind": c.kind, "id": c.id, "outcomes": c.outcomes} for c in row.controls
                ],
            }
            for row in trace.requirements
        ],
        "traceability_errors": [asdict(reference) for reference in trace.unknown],
        "reports": [
            {"name": path.name, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
            for path, text in reports.items()
        ],
    }


def render_statement(evidence: Evidence, reports: Mapping[Path, str]) -> str:
    """The Statement as JSON; a run without a readable plan has nothing to attest."""
    subjects = [
        {"name": plan.name, "digest": {"sha256": plan.sha256}}
        for plan in evidence.plans
        if plan.error is None
    ]
    if not subjects:
        raise InputError("no plan could be read, so there is no subject to attest")
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate(evidence, reports),
    }
    return json.dumps(statement, indent=2, ensure_ascii=False) + "\n"
