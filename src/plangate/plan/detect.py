"""Recognise the things people pass instead of a plan, so the error can say what to run."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

SHOW_JSON = "run `terraform show -json PLANFILE > plan.json` on a saved plan and pass plan.json"

_TEXT_PLAN_MARKERS = (
    "Terraform will perform the following actions",
    "Terraform used the selected providers",
    "OpenTofu will perform the following actions",
    "OpenTofu used the selected providers",
    "No changes. Your infrastructure matches the configuration",
    "Refreshing state...",
    "Plan: ",
    "Note: You didn't use the -out option",
)


_CONTENT = re.compile(rb"\S")


def is_blank(data: bytes) -> bool:
    """Nothing but whitespace (found without copying what may be a very large input)."""
    return _CONTENT.search(data) is None


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def looks_like_text_plan(text: str) -> bool:
    head = text[:20000]
    return any(marker in head for marker in _TEXT_PLAN_MARKERS)


def looks_like_ui_stream(text: str) -> bool:
    """`terraform plan -json` writes JSON Lines with `@level`/`type` keys on every line."""
    first = text.lstrip().split("\n", 1)[0]
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return False
    return isinstance(record, dict) and ("@level" in record or record.get("type") == "version")


def kind_of_document(document: Mapping[str, Any]) -> str:
    """Classify a JSON object: plan, redacted (HCP Terraform export), state, or unknown."""
    if "plan_format_version" in document and "format_version" not in document:
        return "redacted"
    plan_keys = {"resource_changes", "planned_values", "configuration", "output_changes"}
    if plan_keys & document.keys():
        return "plan"
    if "values" in document or set(document) <= {"format_version", "terraform_version", "checks"}:
        return "state"
    return "unknown"
