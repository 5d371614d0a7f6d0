"""The JSON Schema that guards the plan envelope, compiled once per process."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

SCHEMA_RESOURCE = "plan.schema.json"


@cache
def plan_schema() -> Mapping[str, Any]:
    text = resources.files("plangate.plan").joinpath("schema", SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    schema = plan_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problem(document: Any) -> str | None:
    """The most relevant violation as `POINTER: message`, or None when the envelope is valid."""
    error = best_match(_validator().iter_errors(document))
    if error is None:
        return None
    pointer = "".join(
        f"/{str(step).replace('~', '~0').replace('/', '~1')}" for step in error.absolute_path
    )
    return f"{pointer or '/'}: {_describe(error.validator, error.validator_value, error.instance)}"


_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def _describe(keyword: Any, expected: Any, instance: Any) -> str:
    """Say what was expected without quoting the instance: it may be a secret."""
    got = _JSON_TYPES.get(type(instance), "number")
    if keyword == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else expected
        return f"expected {wanted}, got {got}"
    if keyword == "required":
        missing = [key for key in expected if isinstance(instance, dict) and key not in instance]
        return f"missing required key {', '.join(repr(key) for key in missing)}"
    if keyword == "pattern":
        return f"expected a string matching {expected}"
    if keyword in ("minItems", "minLength"):
        return f"expected at least {expected} {'item' if keyword == 'minItems' else 'character'}(s)"
    return f"fails the {keyword} rule"
