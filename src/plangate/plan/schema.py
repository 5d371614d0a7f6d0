"""The JSON Schema of the plan envelope: the reference that explains a refused document.

A good plan never reaches it (the typed decode in `model` checks the same types in C), so
jsonschema is imported only when a refusal needs its JSON pointer: about 40 ms saved on
every start.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMA_RESOURCE = "plan.schema.json"


@cache
def plan_schema() -> Mapping[str, Any]:
    text = resources.files("plangate.plan").joinpath("schema", SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = plan_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problem(document: Any) -> str | None:
    """The most relevant violation as `POINTER: message`, or None when the envelope is valid.

    jsonschema is validated against the document's *shape*, not the document: every value
    the schema does not constrain is replaced by a stand-in of the same JSON type, and array
    items with the same shape are validated once. A 10,000-resource plan has a few dozen
    distinct resource shapes, so this keeps jsonschema's verdict while cutting its work by
    orders of magnitude. Error paths are mapped back to the original item indices.
    """
    shape = _Shape(plan_schema())
    projected = shape.project(document, plan_schema())
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(projected))
    if error is None:
        return None
    pointer = "".join(
        f"/{str(step).replace('~', '~0').replace('/', '~1')}"
        for step in shape.original_path(projected, error.absolute_path)
    )
    return f"{pointer or '/'}: {_describe(error.validator, error.validator_value, error.instance)}"


_KEEP_VALUE = ("pattern", "enum", "const", "format")
_COUNTED = ("minItems", "maxItems", "uniqueItems", "contains", "prefixItems")


class _Shape:
    """Projects a document onto what a schema checks; remembers where deduplicated items came from."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self.origins: dict[int, list[int]] = {}

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            schema = self._root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def project(self, instance: Any, schema: Mapping[str, Any]) -> Any:
        schema = self._resolve(schema)
        if isinstance(instance, dict):
            return self._object(instance, schema)
        if isinstance(instance, list):
            return self._array(instance, schema)
        if isinstance(instance, str):
            if any(key in schema for key in _KEEP_VALUE):
                return instance
            return "x" * min(len(instance), max(int(schema.get("minLength", 1)), 1))
        if isinstance(instance, float):
            return 1.0 if instance.is_integer() else 0.5
        if isinstance(instance, int) and not isinstance(instance, bool):
            return 0
        return instance

    def _object(self, instance: dict[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
        properties = schema.get("properties", {})
        additional = schema.get("additionalProperties", True)
        required = schema.get("required", ())
        projected: dict[str, Any] = {}
        for key, value in instance.items():
            if key in properties:
                projected[key] = self.project(value, properties[key])
            elif isinstance(additional, dict):
                projected[key] = self.project(value, additional)
            elif additional is False or key in required:
                projected[key] = self.project(value, {})
        return projected

    def _array(self, instance: list[Any], schema: Mapping[str, Any]) -> list[Any]:
        items = schema.get("items")
        if not isinstance(items, dict):
            return (
                [self.project(value, {}) for value in instance]
                if any(k in schema for k in _COUNTED)
                else []
            )
        projected = [self.project(value, items) for value in instance]
        if any(key in schema for key in _COUNTED):
            return projected
        unique: dict[str, int] = {}
        for index, value in enumerate(projected):
            unique.setdefault(json.dumps(value, sort_keys=True), index)
        kept = list(unique.values())
        deduplicated = [projected[index] for index in kept]
        self.origins[id(deduplicated)] = kept
        return deduplicated

    def original_path(self, projected: Any, path: Iterable[Any]) -> list[Any]:
        """Translate a path in the projection into the same path in the original document."""
        translated: list[Any] = []
        node = projected
        for step in path:
            if isinstance(node, list) and isinstance(step, int):
                origin = self.origins.get(id(node))
                translated.append(origin[step] if origin is not None else step)
                node = node[step]
            else:
                translated.append(step)
                node = node[step] if isinstance(node, dict) else None
        return translated


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
