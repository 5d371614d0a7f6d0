"""Malformed documents either load or raise InputError with one line; never anything else.

Derandomized so CI sees the same examples every run; each property stays around a second.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangate.errors import InputError
from plangate.plan import LoadedPlan, Plan, parse_plan, render, to_plain
from plangate.plan.wire import ValueRefused
from tests.fixtures.plans import make_samples

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(FUZZ, max_examples=100)

# Valid plans of every shape the builder knows, as the starting point for every mutation.
BASES: list[dict[str, Any]] = [factory().build() for factory in make_samples.SAMPLES.values()]
BASE_BYTES: list[bytes] = [json.dumps(document).encode() for document in BASES]
PLACEHOLDER = "\u0000placeholder\u0000"


def attempt(data: bytes) -> LoadedPlan | None:
    """Load; an InputError must be one line naming the input; then use the model everywhere.

    Values are decoded when read, so a value beyond reason (nested too deeply, a number with
    too many digits) may instead be refused then: as ValueRefused, one line, nothing else.
    """
    try:
        loaded = parse_plan(data, "fuzz.json")
    except InputError as error:
        message = str(error)
        assert len(message.splitlines()) == 1, repr(message)
        assert message.startswith("fuzz.json: "), repr(message)
        return None
    try:
        touch(loaded.plan)
    except ValueRefused as refused:
        assert len(str(refused).splitlines()) == 1, repr(str(refused))
        assert "nested too deeply" in str(refused) or "too many digits" in str(refused)
    return loaded


def touch(plan: Plan) -> None:
    """Read everything a policy or report might read; none of it may raise."""
    repr(plan)
    _ = (
        plan.changes,
        plan.changing_outputs,
        plan.managed_changes,
        plan.is_opentofu,
        plan.is_zero_change,
    )
    for change in (
        *plan.resource_changes,
        *plan.resource_drift,
        *(d.resource_change for d in plan.deferred_changes),
    ):
        _ = (
            change.kind,
            change.display_address,
            change.is_import,
            change.is_move,
            change.is_managed,
        )
        actions = change.actions
        _ = (
            actions.destroys,
            actions.changes_infrastructure,
            actions.creates_before_destroying,
            str(actions),
        )
        for value in (change.before, change.after):
            to_plain(value)
            render(value)
    for change in plan.resource_changes:
        if change.deposed is None:
            assert plan.resource_change(change.address) is not None
    for output in plan.output_changes.values():
        to_plain(output.after)
        render(output.before)
    states = [plan.planned_values] + ([plan.prior_state.values] if plan.prior_state else [])
    for state in states:
        for resource in state.resources:
            to_plain(resource.values)
            to_plain(resource.sensitive_values)
        for output in state.outputs.values():
            to_plain(output.value)
    config = plan.configuration
    for resource in config.resources.values():
        resource.constants()
    for call in config.module_calls.values():
        dict(call.expressions)
    for check in plan.checks:
        _ = [instance.problems for instance in check.instances]
    to_plain(plan.variables)


def pointers(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, item in node.items():
            yield from pointers(item, (*prefix, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from pointers(item, (*prefix, index))


POINTERS: list[list[tuple[Any, ...]]] = [list(pointers(document))[1:] for document in BASES]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def _mutated(
    document: dict[str, Any], pointer: tuple[Any, ...], value: Any, delete: bool
) -> dict[str, Any]:
    document = json.loads(json.dumps(document))  # a private copy
    parent: Any = document
    for step in pointer[:-1]:
        parent = parent[step]
    last = pointer[-1]
    if delete:
        del parent[last]
    else:
        parent[last] = value
    return document


@st.composite
def wrong_types(draw: st.DrawFn) -> bytes:
    """A valid plan with one value somewhere replaced by another JSON type, or deleted."""
    which = draw(st.integers(0, len(BASES) - 1))
    pointer = draw(st.sampled_from(POINTERS[which]))
    parent: Any = BASES[which]
    for step in pointer:
        parent = parent[step]
    original_kind = _kind(parent)
    delete = draw(st.booleans())
    value = None if delete else draw(JSON_VALUES.filter(lambda v: _kind(v) != original_kind))
    return json.dumps(_mutated(BASES[which], pointer, value, delete)).encode()


@FUZZ
@given(wrong_types())
def test_wrong_types_anywhere_in_the_envelope(data: bytes) -> None:
    attempt(data)


@st.composite
def with_token(draw: st.DrawFn, tokens: st.SearchStrategy[str]) -> bytes:
    """A valid plan with a raw JSON token (that json.dumps cannot write) at a random place."""
    which = draw(st.integers(0, len(BASES) - 1))
    pointer = draw(st.sampled_from(POINTERS[which]))
    document = _mutated(BASES[which], pointer, PLACEHOLDER, delete=False)
    text = json.dumps(document).replace(json.dumps(PLACEHOLDER), draw(tokens), 1)
    return text.encode()


HUGE_NUMBERS = st.one_of(
    st.integers(4200, 6000).map(lambda n: "9" * n),
    st.integers(4200, 6000).map(lambda n: "-" + "1" * n),
    st.sampled_from(["1e400", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity", "0.1e99999999"]),
    st.integers(20, 400).map(lambda n: "1" * n + ".5"),
)


@FEW
@given(with_token(HUGE_NUMBERS))
def test_huge_numbers(data: bytes) -> None:
    attempt(data)


def _nested(depth: int, kind: str) -> str:
    if kind == "array":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "null" + "}" * depth
    return '[{"a":' * depth + "1" + "}]" * depth


DEEP = st.builds(_nested, st.integers(50, 3000), st.sampled_from(["array", "object", "mixed"]))


@FEW
@given(with_token(DEEP))
def test_deep_nesting_anywhere(data: bytes) -> None:
    attempt(data)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A valid plan's bytes, truncated, or with a few bytes overwritten or inserted."""
    data = bytearray(draw(st.sampled_from(BASE_BYTES)))
    how = draw(st.sampled_from(["truncate", "overwrite", "insert"]))
    position = draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        return bytes(data[:position])
    chunk = draw(st.binary(min_size=1, max_size=4))
    if how == "overwrite":
        data[position : position + len(chunk)] = chunk
    else:
        data[position:position] = chunk
    return bytes(data)


@FUZZ
@given(damaged())
def test_damaged_bytes(data: bytes) -> None:
    attempt(data)


PREFIXES = st.sampled_from(
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b"PK\x03\x04",
        b"{",
        b"[command]terraform-bin show -json tfplan\n",
        b'{"@level":"info","type":"version"}\n',
        b'{"format_version": "1.2", ',
    ]
)


@FUZZ
@given(PREFIXES, st.binary(max_size=300))
def test_random_bytes(prefix: bytes, body: bytes) -> None:
    attempt(prefix + body)


@FEW
@given(st.text(max_size=200), st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "utf-16-be"]))
def test_random_text_in_every_encoding(text: str, encoding: str) -> None:
    attempt(text.encode(encoding, errors="surrogatepass"))


@FEW
@given(JSON_VALUES)
def test_random_json_documents(value: Any) -> None:
    attempt(json.dumps(value).encode())


@FEW
@given(st.dictionaries(st.sampled_from(sorted(BASES[0])), JSON_VALUES, min_size=1))
def test_random_envelopes_with_a_valid_format_version(envelope: dict[str, Any]) -> None:
    envelope["format_version"] = "1.2"
    attempt(json.dumps(envelope).encode())


def test_every_base_plan_loads() -> None:
    for data in BASE_BYTES:
        assert attempt(data) is not None
