"""The loader: wrong inputs are refused with one line, good ones load; and the builder's plans."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.plan import LoadedPlan, load_plan, parse_plan, render
from plangate.plan.schema import schema_problem
from plangate.plan.values import MAX_DEPTH
from plangate.plan.wire import ValueRefused
from tests.fixtures.builder import (
    ACTIONS,
    UNKNOWN,
    PlanBuilder,
    Secret,
    parse_address,
)
from tests.fixtures.inputs import make_inputs
from tests.fixtures.plans import make_samples

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = FIXTURES / "inputs"
PLANS = FIXTURES / "plans"
SHOW = "terraform show -json"


def refusal(path: Path | str) -> str:
    """Load something that must be refused; return the message after checking its form."""
    with pytest.raises(InputError) as caught:
        load_plan(path)
    return one_line(caught.value, str(path))


def one_line(error: InputError, name: str) -> str:
    message = str(error)
    assert message, "an InputError needs a message"
    assert len(message.splitlines()) == 1, f"not one line: {message!r}"
    assert "Traceback" not in message
    assert message.startswith(f"{name}: "), f"does not name the input: {message!r}"
    assert error.exit_code == 2
    return message


# --------------------------------------------------------------------------- wrong inputs

# file -> fragments the message must contain: what it got, and what to do instead
WRONG_INPUTS: dict[str, tuple[str, ...]] = {
    "binary-plan.tfplan": ("binary plan file", SHOW),
    "state.json": ("state document", SHOW),
    "state-empty.json": ("state document", SHOW),
    "plan-log-stream.jsonl": (
        "`terraform plan -json` log stream",
        "terraform plan -out=tfplan",
        SHOW,
    ),
    "plan-human.txt": ("human-readable plan text", "terraform plan -out=tfplan", SHOW),
    "not-json.txt": ("not JSON", "'Error: Failed", SHOW),
    "invalid.json": ("invalid JSON at line 1 column 2", SHOW),
    "truncated.json": ("ends early", "truncated"),
    "trailing-garbage.json": ("unexpected data after the JSON document", "line 2"),
    "empty.json": ("empty input", SHOW),
    "deeply-nested.json": ("nested too deeply", SHOW),
    "wrapper-broken.txt": ("invalid JSON", SHOW),
    "format-version-2.0.json": ("format_version 2.0 is not supported", ">= 0.1, < 2.0"),
    "format-version-abc.json": ("invalid format_version 'abc'", "MAJOR.MINOR"),
    "format-version-missing.json": ("no format_version", SHOW),
    "array.json": ("is an array", SHOW),
}

GOOD_INPUTS = (
    "plan-utf16le-bom.json",
    "plan-utf8-bom.json",
    "wrapper-intact.txt",
    "plan-pretty.json",
)


@pytest.mark.parametrize("name", sorted(WRONG_INPUTS))
def test_wrong_input_is_refused_with_one_line(name: str) -> None:
    message = refusal(INPUTS / name)
    for fragment in WRONG_INPUTS[name]:
        assert fragment in message


def test_every_input_file_has_an_expectation() -> None:
    files = {p.name for p in INPUTS.iterdir() if p.suffix != ".py" and p.name != "__pycache__"}
    assert files == set(WRONG_INPUTS) | set(GOOD_INPUTS) | {"hcp-redacted.json"}


@pytest.mark.parametrize("name", GOOD_INPUTS)
def test_awkward_but_good_inputs_load(name: str) -> None:
    loaded = load_plan(INPUTS / name)
    expected = make_inputs.base_builder().plan()
    assert [c.address for c in loaded.plan.resource_changes] == [
        c.address for c in expected.resource_changes
    ]
    assert loaded.plan == expected
    assert loaded.plan.source_format == "plan"


def test_wrapper_recovery_leaves_a_note() -> None:
    loaded = load_plan(INPUTS / "wrapper-intact.txt")
    assert len(loaded.notes) == 1
    assert "setup-terraform" in loaded.notes[0] and "terraform_wrapper: false" in loaded.notes[0]
    for name in ("plan-utf8-bom.json", "plan-utf16le-bom.json", "plan-pretty.json"):
        assert load_plan(INPUTS / name).notes == ()


def test_hcp_redacted_export_loads() -> None:
    loaded = load_plan(INPUTS / "hcp-redacted.json")
    assert loaded.plan.source_format == "redacted"
    assert loaded.plan.format_version == "1.2"
    assert [c.address for c in loaded.plan.resource_changes] == [
        "module.storage.google_storage_bucket.models",
        "google_secret_manager_secret_version.db",
    ]
    assert loaded.plan.relevant_attributes == (
        ("module.storage.google_storage_bucket.models", ("versioning",)),
    )


def test_source_records_hash_and_size() -> None:
    path = INPUTS / "plan-pretty.json"
    data = path.read_bytes()
    source = load_plan(path).source
    assert (source.name, source.size, source.sha256) == (
        str(path),
        len(data),
        hashlib.sha256(data).hexdigest(),
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "no such file" in refusal(tmp_path / "nope.json")
    assert "is a directory" in refusal(tmp_path)


def test_unreadable_file() -> None:
    # Reading /proc/self/mem from its start fails whatever the privileges (CI runs as root,
    # which a chmod-ed file would not stop).
    unreadable = Path("/proc/self/mem")
    assert unreadable.exists(), "this test needs Linux procfs"
    message = refusal(unreadable)
    assert "cannot read" in message and "expected a readable plan file" in message


@pytest.mark.parametrize(
    "text",
    [
        "No changes. Your infrastructure matches the configuration.\n",
        "OpenTofu will perform the following actions:\n  # google_x.y will be created\n",
        "\nTerraform will perform the following actions:\n",
        "google_x.y: Refreshing state... [id=abc]\n",
    ],
    ids=["no-changes", "opentofu", "actions", "refreshing"],
)
def test_every_kind_of_text_plan_is_recognised(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_plan(text.encode(), "plan.txt")
    assert "human-readable plan text" in one_line(caught.value, "plan.txt")


# --------------------------------------------------------------------------- stdin


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_is_read_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (INPUTS / "plan-pretty.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    loaded = load_plan("-")
    assert isinstance(loaded, LoadedPlan)
    assert loaded.name == "<stdin>"
    assert loaded.source.sha256 == hashlib.sha256(data).hexdigest()
    assert len(loaded.plan.resource_changes) == 2


def test_stdin_refusal_names_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin((INPUTS / "state.json").read_bytes()))
    with pytest.raises(InputError) as caught:
        load_plan("-")
    assert "state document" in one_line(caught.value, "<stdin>")


# --------------------------------------------------------------------------- schema errors

SECRET = "hunter2-planted-3b9c"


def _base() -> dict[str, Any]:
    return make_inputs.base_builder().variable("db_password", "x", sensitive=True).build()


def _set(document: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    *parents, last = [step.replace("~1", "/").replace("~0", "~") for step in pointer.split("/")[1:]]
    node: Any = document
    for step in parents:
        node = node[int(step)] if isinstance(node, list) else node[step]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return document


SCHEMA_CASES = [
    ("/resource_changes/0/change/actions", SECRET, "expected array, got string"),
    ("/resource_changes/0/change/actions", [], "at least 1 item"),
    ("/resource_changes/0/change/actions/0", 7, "expected string, got number"),
    ("/resource_changes/0/address", {"value": SECRET}, "expected string, got object"),
    ("/resource_changes/1/change/after_sensitive", SECRET, "expected boolean or object or array"),
    ("/resource_changes/0/change/importing", SECRET, "expected object, got string"),
    ("/planned_values/root_module/child_modules/0/resources/0/values", SECRET, "expected object"),
    ("/planned_values/root_module/child_modules/0/address", [SECRET], "expected string, got array"),
    ("/variables/db_password", SECRET, "expected object, got string"),
    ("/output_changes/bucket", SECRET, "expected object, got string"),
    ("/configuration/root_module/module_calls/storage/source", [SECRET], "expected string"),
    ("/configuration/root_module/variables/db_password/sensitive", SECRET, "expected boolean"),
    (
        "/prior_state/values/root_module/child_modules/0/resources/0/index",
        1.5,
        "expected integer or string",
    ),
    ("/errored", SECRET, "expected boolean, got string"),
    ("/timestamp", 20260115, "expected string, got number"),
    ("/terraform_version", None, "expected string, got null"),
]


@pytest.mark.parametrize(
    ("pointer", "value", "expected"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES]
)
def test_schema_errors_name_the_pointer_and_never_quote_the_value(
    pointer: str, value: Any, expected: str
) -> None:
    document = _set(_base(), pointer, value)
    with pytest.raises(InputError) as caught:
        parse_plan(json.dumps(document).encode(), "bad.json")
    message = one_line(caught.value, "bad.json")
    assert f"not a valid plan at {pointer}: " in message
    assert expected in message
    assert SECRET not in message


def test_missing_required_key_is_named() -> None:
    document = _base()
    del document["resource_changes"][0]["change"]["actions"]
    with pytest.raises(InputError) as caught:
        parse_plan(json.dumps(document).encode(), "bad.json")
    assert "/resource_changes/0/change: missing required key 'actions'" in one_line(
        caught.value, "bad.json"
    )


def test_pointer_escapes_slash_and_tilde() -> None:
    document = _base()
    document["variables"]["a/b~c"] = SECRET
    with pytest.raises(InputError) as caught:
        parse_plan(json.dumps(document).encode(), "bad.json")
    assert "/variables/a~1b~0c:" in str(caught.value)


def test_a_secret_in_format_version_is_not_quoted() -> None:
    document = _base()
    document["format_version"] = {"password": SECRET}
    with pytest.raises(InputError) as caught:
        parse_plan(json.dumps(document).encode(), "bad.json")
    message = one_line(caught.value, "bad.json")
    assert "format_version is not a string" in message
    assert SECRET not in message


# --------------------------------------------------------------------------- hostile sizes


def test_a_number_with_too_many_digits_is_refused() -> None:
    text = '{"format_version": "1.2", "variables": {"x": {"value": ' + "9" * 5000 + "}}}"
    with pytest.raises(InputError) as caught:
        parse_plan(text.encode(), "digits.json")
    assert "too many digits" in one_line(caught.value, "digits.json")


def test_huge_floats_load() -> None:
    document = PlanBuilder().variable("x", 1).build()
    text = json.dumps(document).replace('"value": 1', '"value": 1e999')
    assert parse_plan(text.encode(), "big.json").plan.variables["x"] == float("inf")


def _deep_modules(depth: int) -> dict[str, Any]:
    module: dict[str, Any] = {"resources": []}
    for level in range(depth):
        module = {"address": f"module.m{level}", "child_modules": [module]}
    return {"format_version": "1.2", "planned_values": {"root_module": module}}


def _deep_calls(depth: int) -> dict[str, Any]:
    module: dict[str, Any] = {}
    for _ in range(depth):
        module = {"module_calls": {"m": {"source": "./m", "module": module}}}
    return {"format_version": "1.2", "configuration": {"root_module": module}}


@pytest.mark.parametrize(
    "document", [_deep_modules(450), _deep_calls(300)], ids=["child_modules", "module_calls"]
)
def test_modules_nested_beyond_reason_are_refused(document: dict[str, Any]) -> None:
    with pytest.raises(InputError) as caught:
        parse_plan(json.dumps(document).encode(), "deep.json")
    assert "nested too deeply" in one_line(caught.value, "deep.json")


def test_reasonably_nested_modules_load() -> None:
    plan = parse_plan(json.dumps(_deep_modules(20)).encode(), "deep.json").plan
    assert plan.planned_values.resources == ()


def _deep_value_plan(depth: int) -> str:
    document = (
        PlanBuilder()
        .resource("google_storage_bucket.y", action="create", after={"deep": "HERE"})
        .dumps()
    )
    return document.replace('"HERE"', "[" * depth + "]" * depth)


def test_json_nested_beyond_the_decoder_is_refused_on_load() -> None:
    with pytest.raises(InputError) as caught:
        parse_plan(_deep_value_plan(5000).encode(), "deep.json")
    assert "nested too deeply" in one_line(caught.value, "deep.json")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 900])
def test_values_nested_beyond_reason_are_refused_when_read(depth: int) -> None:
    # Values stay undecoded until a policy reads them, so the depth is judged then.
    plan = parse_plan(_deep_value_plan(depth).encode(), "deep.json").plan
    with pytest.raises(ValueRefused, match="values nested too deeply"):
        _ = plan.resource_changes[0].after


def test_values_at_the_depth_limit_load_and_read() -> None:
    # "deep" sits one level inside the after object: MAX_DEPTH - 1 lists keep it at the limit.
    plan = parse_plan(_deep_value_plan(MAX_DEPTH - 1).encode(), "ok.json").plan
    assert render(plan.resource_changes[0].after).count("[") == MAX_DEPTH - 1


def test_the_gate_refuses_a_value_nested_beyond_reason_as_bad_input(tmp_path: Path, capsys) -> None:
    from plangate.cli import main

    path = tmp_path / "deep.json"
    path.write_text(_deep_value_plan(MAX_DEPTH + 5), "utf-8")
    assert main(["check", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "Traceback" not in error
    assert f"{path}: google_storage_bucket.y: values nested too deeply" in error


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xff\xfe{\x00", "ends early"),
        (b"{\xc3\x28}", "not UTF-8 text"),
        (b"\xfe\xff\xd8\x00", "not UTF-16 text"),
        (b"   \n\t ", "empty input"),
        (b"PK\x05\x06" + b"\x00" * 18, "binary plan file"),
        (b'"just a string"', "not JSON"),
        (b"42", "not JSON"),
        (b"null", "not JSON"),
        (b'{"type": "version", "terraform": "1.9.8", "ui": "1.2"}', "log line"),
        (b'{"@level": "info", "type": "version"}\n{"@level": "info"}\n', "log stream"),
        (b'{"format_version": "1.2"}{"format_version": "1.2"}', "unexpected data after"),
    ],
)
def test_odd_bytes_are_refused_with_one_line(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_plan(data, "odd.json")
    assert fragment in one_line(caught.value, "odd.json")


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize(
    "name", ["binary-plan.tfplan", "state.json", "truncated.json", "array.json"]
)
def test_cli_exits_2_with_one_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    from plangate.cli import main

    assert main(["summary", str(INPUTS / name)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("plangate: error: ")
    assert "internal error" not in err


# --------------------------------------------------------------------------- committed fixtures


@pytest.mark.parametrize("name", sorted(make_inputs.INPUTS))
def test_input_files_match_their_generator(name: str) -> None:
    assert (INPUTS / name).read_bytes() == make_inputs.render(name), (
        f"{name} is stale: run python -m tests.fixtures.inputs.make_inputs"
    )


@pytest.mark.parametrize("name", sorted(make_samples.SAMPLES))
def test_sample_plans_match_their_generator(name: str) -> None:
    assert (PLANS / name).read_text("utf-8") == make_samples.render(name), (
        f"{name} is stale: run python -m tests.fixtures.plans.make_samples"
    )


def test_sample_index_is_up_to_date() -> None:
    assert (PLANS / "README.md").read_text("utf-8") == make_samples.index()


@pytest.mark.parametrize("name", sorted(make_samples.SAMPLES))
def test_sample_plans_are_schema_valid_and_load(name: str) -> None:
    document = json.loads((PLANS / name).read_text("utf-8"))
    assert schema_problem(document) is None
    loaded = load_plan(PLANS / name)
    assert loaded.notes == ()
    assert loaded.plan.resource_changes


def test_samples_cover_every_format_version() -> None:
    versions = {
        json.loads((PLANS / name).read_text())["format_version"] for name in make_samples.SAMPLES
    }
    assert versions == {"0.1", "0.2", "1.0", "1.1", "1.2"}


# --------------------------------------------------------------------------- the builder

VERSIONS = [
    ("0.12.31", "0.1"),
    ("0.15.5", "0.1"),
    ("1.0.0", "0.1"),
    ("1.0.11", "0.2"),
    ("1.1.9", "1.0"),
    ("1.3.10", "1.1"),
    ("1.4.7", "1.1"),
    ("1.5.7", "1.2"),
    ("1.8.5", "1.2"),
    ("1.15.0", "1.2"),
]


def _everything(builder: PlanBuilder) -> PlanBuilder:
    for index, action in enumerate(ACTIONS):
        builder.resource(
            f'module.m["{action}"].google_x.y[{index}]',
            action=action,
            before={"a": 1, "list": ["x"], "block": [{"k": "v"}]},
            after={"a": 2, "list": ["x", UNKNOWN], "block": [{"k": UNKNOWN}], "id": UNKNOWN},
        )
    builder.output("out", action="update", before="a", after="b")
    builder.variable("region", "eu")
    return builder


@pytest.mark.parametrize(("terraform", "fmt"), VERSIONS)
def test_builder_plans_are_schema_valid_for_every_version(terraform: str, fmt: str) -> None:
    builder = _everything(PlanBuilder(terraform_version=terraform))
    document = builder.build()
    assert document["format_version"] == fmt
    assert schema_problem(document) is None
    assert len(builder.plan().resource_changes) == len(ACTIONS)


@pytest.mark.parametrize(("terraform", "fmt"), VERSIONS)
def test_builder_writes_only_what_the_version_wrote(terraform: str, fmt: str) -> None:
    document = _everything(PlanBuilder(terraform_version=terraform)).build()
    version = tuple(int(part) for part in terraform.split("."))
    change = document["resource_changes"][0]
    planned = document["planned_values"]["root_module"]["child_modules"][0]["resources"][0]
    assert ("after_sensitive" in change["change"]) == (version >= (0, 15, 0))
    assert ("sensitive_values" in planned) == (version >= (1, 0, 1))
    assert ("timestamp" in document) == (version >= (1, 5, 0))
    assert ("errored" in document) == (version >= (1, 6, 0))
    assert ("applyable" in document) == ("complete" in document) == (version >= (1, 8, 0))
    assert change["provider_name"].endswith("/hashicorp/google") == (version >= (0, 13, 0))
    config = document["configuration"]["provider_config"]["google"]
    assert ("full_name" in config) == (version >= (1, 2, 0))
    assert document["prior_state"]["format_version"] == (
        "1.0" if version >= (1, 1, 0) else "0.2" if version >= (1, 0, 1) else "0.1"
    )


def test_builder_format_version_alone_picks_a_matching_terraform() -> None:
    assert PlanBuilder(format_version="0.1").build()["terraform_version"] == "0.12.31"
    assert PlanBuilder(format_version="1.1").build()["terraform_version"].startswith("1.4")
    odd = PlanBuilder(format_version="abc").build()
    assert odd["format_version"] == "abc"


def test_builder_opentofu_shape() -> None:
    document = PlanBuilder(opentofu=True).resource("google_x.y", action="create", after={}).build()
    assert document["format_version"] == "1.2"
    assert "applyable" not in document and "complete" not in document
    assert document["errored"] is False and "timestamp" in document
    assert "opentofu" in document["resource_changes"][0]["provider_name"]
    with pytest.raises(ValueError, match="does not write applyable"):
        PlanBuilder(opentofu=True, applyable=True)


@pytest.mark.parametrize(
    ("kwargs", "feature"),
    [
        ({"terraform_version": "1.5.7", "errored": True}, "errored"),
        ({"terraform_version": "1.7.5", "complete": False}, "complete"),
        ({"terraform_version": "1.4.7", "timestamp": "2026-01-01T00:00:00Z"}, "timestamp"),
    ],
)
def test_builder_refuses_switches_the_version_never_wrote(
    kwargs: dict[str, Any], feature: str
) -> None:
    with pytest.raises(ValueError, match=f"does not write {feature}"):
        PlanBuilder(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "feature"),
    [
        ({"importing": "id"}, "importing"),
        ({"generated_config": "x"}, "generated_config"),
        ({"previous_address": "google_x.old"}, "previous_address"),
    ],
)
def test_builder_refuses_resource_keys_the_version_never_wrote(
    kwargs: dict[str, Any], feature: str
) -> None:
    with pytest.raises(ValueError, match=feature):
        PlanBuilder(terraform_version="1.0.11").resource("google_x.y", **kwargs)


def test_builder_switches_can_be_set_or_left_out() -> None:
    document = PlanBuilder(errored=True, timestamp=None, complete=None).build()
    assert document["errored"] is True
    assert document["applyable"] is False
    assert "timestamp" not in document and "complete" not in document


@pytest.mark.parametrize(
    ("address", "module_address", "mode", "type_", "name", "index"),
    [
        ("google_storage_bucket.models", None, "managed", "google_storage_bucket", "models", None),
        (
            "module.storage.google_storage_bucket.models",
            "module.storage",
            "managed",
            "google_storage_bucket",
            "models",
            None,
        ),
        (
            'module.iam.google_project_iam_member.roles["ci-deployer"]',
            "module.iam",
            "managed",
            "google_project_iam_member",
            "roles",
            "ci-deployer",
        ),
        ("module.a[0].x_y.z", "module.a[0]", "managed", "x_y", "z", None),
        (
            'module.a["k.1"].module.b[2].data.google_project.p[0]',
            'module.a["k.1"].module.b[2]',
            "data",
            "google_project",
            "p",
            0,
        ),
        ('google_x.y["run.invoker[x]"]', None, "managed", "google_x", "y", "run.invoker[x]"),
        ('google_x.y["say \\"hi\\""]', None, "managed", "google_x", "y", 'say "hi"'),
    ],
)
def test_builder_derives_address_parts(
    address: str, module_address: str | None, mode: str, type_: str, name: str, index: Any
) -> None:
    entry = PlanBuilder().resource(address, after={"a": 1}).build()["resource_changes"][0]
    assert entry["address"] == address
    assert entry.get("module_address") == module_address
    assert (entry["mode"], entry["type"], entry["name"], entry.get("index")) == (
        mode,
        type_,
        name,
        index,
    )
    assert parse_address(address).module_address == module_address


@pytest.mark.parametrize(
    "address", ["bucket", "module.a", "module..x.y", "google_x.y[abc]", "google_x.y.z"]
)
def test_builder_rejects_non_addresses(address: str) -> None:
    with pytest.raises(ValueError, match="not a resource instance address"):
        PlanBuilder().resource(address)


def test_builder_masks_follow_terraform_conventions() -> None:
    document = (
        PlanBuilder()
        .resource(
            "google_x.y",
            action="create",
            after={
                "a": "x",
                "n": None,
                "list": ["p", UNKNOWN],
                "blk": [{"k": UNKNOWN}],
                "s": Secret("v"),
            },
        )
        .resource("google_x.z", action="delete", before={"a": 1})
        .build()
    )
    create, delete = (entry["change"] for entry in document["resource_changes"])
    assert create["before"] is None and create["before_sensitive"] is False
    assert create["after"] == {"a": "x", "n": None, "list": ["p", None], "blk": [{}], "s": "v"}
    assert create["after_unknown"] == {"list": [False, True], "blk": [{"k": True}]}
    assert create["after_sensitive"] == {"list": [False, False], "blk": [{}], "s": True}
    assert (
        delete["after"] is None
        and delete["after_unknown"] is False
        and delete["after_sensitive"] is False
    )


def test_builder_explicit_masks_merge_over_derived_ones() -> None:
    change = (
        PlanBuilder()
        .resource(
            "google_x.y",
            action="update",
            before={"a": 1},
            after={"a": 2, "tags": ["x"]},
            after_unknown={"id": True},
            after_sensitive={"a": True, "tags": "malformed"},
        )
        .build()["resource_changes"][0]["change"]
    )
    assert change["after_unknown"] == {"tags": [False], "id": True}
    assert change["after_sensitive"] == {"a": True, "tags": "malformed"}


def test_builder_sections_can_be_left_out() -> None:
    document = (
        PlanBuilder(planned_values=False, prior_state=False, configuration=False)
        .resource("google_x.y", action="update", before={"a": 1}, after={"a": 2})
        .build()
    )
    assert not {"planned_values", "prior_state", "configuration"} & document.keys()
    assert parse_plan(json.dumps(document).encode(), "x.json").plan.resource_changes


def test_builder_build_is_fresh_and_write_round_trips(tmp_path: Path) -> None:
    builder = PlanBuilder().resource("google_x.y", action="create", after={"labels": {"a": "b"}})
    first = builder.build()
    first["resource_changes"][0]["change"]["after"]["labels"]["a"] = "mutated"
    assert builder.build()["resource_changes"][0]["change"]["after"]["labels"]["a"] == "b"
    path = builder.write(tmp_path / "sub" / "plan.json")
    assert json.loads(path.read_text()) == builder.build()
    assert json.loads(builder.dumps(indent=2)) == builder.build()
    assert "\n" not in builder.dumps()
    assert load_plan(path).plan == builder.plan()


def test_builder_unknown_is_refused_in_before() -> None:
    with pytest.raises(ValueError, match="UNKNOWN"):
        PlanBuilder().resource("google_x.y", action="update", before={"a": UNKNOWN}, after={"a": 1})


def test_builder_update_with_only_after_derives_a_known_before() -> None:
    change = (
        PlanBuilder()
        .resource("google_x.y", action="update", after={"a": 1, "id": UNKNOWN, "s": Secret("x")})
        .build()["resource_changes"][0]["change"]
    )
    assert change["before"] == {"a": 1, "s": "x"}
    assert change["before_sensitive"] == {"s": True}


def test_builder_unknown_action_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        PlanBuilder().resource("google_x.y", action="destroy")


# --- what people pass instead of a plan, and the input's digest (found by mutation) ---------


@pytest.mark.parametrize(
    ("document", "kind"),
    [
        ({"plan_format_version": "1.0"}, "redacted"),
        ({"plan_format_version": "1.0", "format_version": "1.2"}, "unknown"),
        ({"format_version": "1.2", "resource_changes": []}, "plan"),
        ({"planned_values": {}}, "plan"),
        ({"configuration": {}}, "plan"),
        ({"output_changes": {}}, "plan"),
        ({"values": {}}, "state"),
        ({"format_version": "1.0", "terraform_version": "1.9.8", "checks": []}, "state"),
        ({"format_version": "1.0", "terraform_version": "1.9.8"}, "state"),
        ({}, "state"),
        ({"format_version": "1.0", "something": 1}, "unknown"),
    ],
)
def test_kind_of_document_tells_plans_states_and_exports_apart(
    document: dict[str, Any], kind: str
) -> None:
    from plangate.plan.detect import kind_of_document

    assert kind_of_document(document) == kind


@pytest.mark.parametrize(
    ("text", "stream"),
    [
        ('{"@level": "info", "@message": "x"}\n{"@level": "info"}\n', True),
        ('  \n{"type": "version", "terraform": "1.9.8"}\n', True),
        ('{"type": "version"}', True),
        ('{"type": "planned_change"}\n', False),
        ('{"@level": "info"} trailing\n', False),
        ("[1, 2]\n", False),
        ('{"format_version": "1.2",\n "@level": "x"}', False),
    ],
)
def test_a_ui_stream_is_recognised_by_its_first_line(text: str, stream: bool) -> None:
    from plangate.plan.detect import looks_like_ui_stream

    assert looks_like_ui_stream(text) is stream


def test_a_text_plan_is_recognised_within_its_first_20000_characters() -> None:
    from plangate.plan.detect import looks_like_text_plan

    marker = "Terraform will perform the following actions"
    assert looks_like_text_plan(" " * (20000 - len(marker)) + marker)
    assert not looks_like_text_plan(" " * (20001 - len(marker)) + marker)


@pytest.mark.parametrize("size", [0, 100, (1 << 20) - 1, 1 << 20, (1 << 20) + 7])
def test_the_input_digest_is_its_sha256_whatever_its_size(size: int) -> None:
    import hashlib
    import threading

    from plangate.plan.digest import Sha256InBackground

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    before = threading.active_count()
    digest = Sha256InBackground(data)
    if size >= 1 << 20:  # large inputs are hashed on another thread, which never blocks exit
        assert digest._thread is not None and digest._thread.daemon
    else:
        assert digest._thread is None and threading.active_count() == before
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()  # asking twice is fine
