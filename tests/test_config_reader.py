"""Reading a module tree: model fields, local module recursion, and one-line input errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.config import (
    ABSENT,
    Configuration,
    Expression,
    Lifecycle,
    ProviderRequirement,
    load_configuration,
    read_module,
)
from plangate.errors import InputError

PROJECT = Path(__file__).parent / "fixtures" / "hcl" / "project"


@pytest.fixture(scope="module")
def config() -> Configuration:
    return load_configuration(PROJECT)


def _line_of(path: Path, text: str) -> int:
    """The 1-based line on which ``text`` starts a line (exactly once) in ``path``."""
    lines = [i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(text)]
    assert len(lines) == 1, (path, text, lines)
    return lines[0]


def test_resource_addresses_cover_root_and_local_children(config: Configuration) -> None:
    assert config.resource_addresses() == {
        "data.google_project.this",
        "google_kms_key_ring.main",
        "google_storage_bucket.logs",
        "google_monitoring_alert_policy.disk",
        "google_project_service.apis",
        "module.storage.google_storage_bucket.models",
        "module.storage.google_storage_bucket_iam_member.readers",
        "module.iam.data.google_project.this",
        "module.iam.google_project_iam_member.roles",
        "module.iam.google_service_account.runtime",
    }
    assert set(config.children) == {"storage", "iam"}  # network comes from the registry


def test_registry_module_is_recorded_not_followed(config: Configuration) -> None:
    network = config.root.module_calls["network"]
    assert (network.source, network.version, network.is_local) == (
        "terraform-google-modules/network/google",
        "~> 9.1",
        False,
    )
    assert network.arguments["network_name"] == "main"
    assert set(config.unfollowed_module_calls()) == {"module.network"}


def test_every_location_points_at_its_header(config: Configuration) -> None:
    for address in config.resource_addresses():
        block = config.resource(address)
        assert block is not None
        keyword = "data" if block.mode == "data" else "resource"
        header = f'{keyword} "{block.type}" "{block.name}" {{'
        assert block.location.line == _line_of(block.location.path, header), address


@pytest.mark.parametrize(
    ("address", "file", "header"),
    [
        (
            'module.iam[0].google_project_iam_member.roles["run.invoker[x]"]',
            "modules/iam/main.tf",
            'resource "google_project_iam_member" "roles"',
        ),
        (
            'module.iam[0].google_project_iam_member.roles["runtime-logging"]',
            "modules/iam/main.tf",
            'resource "google_project_iam_member" "roles"',
        ),
        (
            "module.iam[0].data.google_project.this",
            "modules/iam/main.tf",
            'data "google_project" "this"',
        ),
        (
            'google_project_service.apis["run.googleapis.com"]',
            "main.tf",
            'resource "google_project_service" "apis"',
        ),
        (
            "module.storage.google_storage_bucket.models[0]",
            "modules/storage/main.tf",
            'resource "google_storage_bucket" "models"',
        ),
        ("module.iam[0]", "main.tf", 'module "iam"'),
        ("module.network", "main.tf", 'module "network"'),
    ],
)
def test_locate_accepts_instance_addresses(
    config: Configuration, address: str, file: str, header: str
) -> None:
    location = config.locate(address)
    assert location is not None
    assert location.path == PROJECT / file
    assert location.line == _line_of(PROJECT / file, header)


@pytest.mark.parametrize(
    "address",
    [
        "google_storage_bucket.commented_out",
        "data.google_project.commented_out",
        "google_storage_bucket.inside_heredoc",
        "module.network.google_compute_network.network",
        "module.nowhere.google_x.y",
        "module.commented_out",
    ],
)
def test_locate_returns_none_for_unknown_blocks(config: Configuration, address: str) -> None:
    assert config.locate(address) is None


def test_resource_block_fields(config: Configuration) -> None:
    ring = config.resource("google_kms_key_ring.main")
    assert ring is not None
    assert ring.lifecycle == Lifecycle(prevent_destroy=True, ignore_changes=("labels",))
    assert ring.provider == "google.us"
    assert ring.attributes["name"] == "ring-${var.environment}"
    assert isinstance(ring.attributes["name"], Expression)
    assert "provider" not in ring.attributes and "lifecycle" not in ring.attributes

    logs = config.resource("google_storage_bucket.logs")
    assert logs is not None
    assert logs.attributes["force_destroy"] is False
    assert logs.depends_on == ("google_kms_key_ring.main",)
    assert [r["condition"][0]["age"] for r in logs.attributes["lifecycle_rule"]] == [30, 365]
    assert logs.block_types == {"versioning", "lifecycle_rule"}
    location = logs.attribute_location("force_destroy")
    assert location is not None
    assert location.line == _line_of(PROJECT / "main.tf", "  force_destroy ")

    apis = config.resource('google_project_service.apis["x"]')
    assert apis is not None
    assert apis.for_each == 'toset(["run.googleapis.com", "storage.googleapis.com"])'
    assert apis.count is None

    models = config.resource("module.storage.google_storage_bucket.models")
    assert models is not None
    assert models.count == "var.enabled ? 1 : 0"
    assert models.lifecycle.prevent_destroy is True

    project = config.resource("module.iam.data.google_project.this")
    assert project is not None
    assert (project.mode, project.address_in_module) == ("data", "data.google_project.this")


def test_module_calls(config: Configuration) -> None:
    iam = config.root.module_calls["iam"]
    assert iam.count == "var.enable_iam ? 1 : 0"
    assert iam.depends_on == ("module.storage",)
    assert dict(iam.arguments["roles"]) == {
        "runtime-logging": "roles/logging.logWriter",
        "run.invoker[x]": "roles/run.invoker",
    }
    assert "source" not in iam.arguments and "count" not in iam.arguments
    assert config.module_call('module.iam["whatever"]') is iam


def test_variables_outputs_and_settings(config: Configuration) -> None:
    variables = config.root.variables
    project_id = variables["project_id"]
    assert (project_id.type, project_id.default, project_id.validations) == ("string", ABSENT, 2)
    assert project_id.required
    assert variables["team"].default is None  # null, which is not the same as absent
    assert not variables["team"].required
    assert variables["api_token"].sensitive and not variables["api_token"].nullable
    assert variables["disk_threshold"].default == 90
    assert variables["members"].type is not None
    assert variables["members"].type.startswith("map(object(")
    assert variables["members"].default == {}

    outputs = config.root.outputs
    assert outputs["api_token"].sensitive
    assert outputs["logs_bucket"].description == "Name of the logs bucket."
    assert outputs["logs_bucket"].location.path.name == "outputs.tf"

    settings = config.root.settings
    assert settings.required_version == ">= 1.6, < 2.0"
    assert dict(settings.required_providers) == {
        "google": ProviderRequirement("hashicorp/google", "~> 5.40"),
        "random": ProviderRequirement(None, "~> 3.6"),
    }
    assert settings.backend is not None
    assert settings.backend.type == "gcs"
    assert dict(settings.backend.config) == {"bucket": "acme-tf-state", "prefix": "project/dev"}
    assert [(p.name, p.alias) for p in config.root.provider_blocks] == [
        ("google", None),
        ("google", "us"),
    ]
    assert config.root.locals["literal_dollar"] == "${not_a_reference}"
    assert not isinstance(config.root.locals["literal_dollar"], Expression)


def test_modules_walk_and_shared_directories(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text('resource "t" "x" {}\n')
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(
        'module "a" {\n  source = "../mod"\n}\nmodule "b" {\n  source = "../mod"\n}\n'
    )
    config = load_configuration(tmp_path / "root")
    assert config.resource_addresses() == {"module.a.t.x", "module.b.t.x"}
    assert [address for address, _ in config.modules()] == ["", "module.a", "module.b"]
    assert config.children["a"].root is config.children["b"].root  # parsed once


def test_models_are_immutable(config: Configuration) -> None:
    block = config.resource("google_storage_bucket.logs")
    assert block is not None
    with pytest.raises(AttributeError):
        block.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        block.attributes["name"] = "other"  # type: ignore[index]
    assert isinstance(block.attributes["lifecycle_rule"], tuple)


# -- errors ---------------------------------------------------------------------------------


def _error(tmp_path: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_configuration(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_syntax_error_names_file_line_and_expectation(tmp_path: Path) -> None:
    message = _error(
        tmp_path, {"ok.tf": "locals {}\n", "bad.tf": 'resource "a" "b" {\n  x = \n}\n'}
    )
    assert message.startswith(f"{tmp_path / 'bad.tf'}:2:")
    assert "HCL syntax error" in message and "expected" in message


def test_unclosed_block_points_at_end_of_file(tmp_path: Path) -> None:
    message = _error(tmp_path, {"main.tf": 'resource "a" "b" {\n  x = 1\n'})
    assert message.startswith(f"{tmp_path / 'main.tf'}:3")
    assert "end of file" in message and "'}'" in message


def test_directory_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such directory"):
        load_configuration(tmp_path / "missing")
    (tmp_path / "file.tf").write_text("locals {}\n")
    with pytest.raises(InputError, match="not a directory"):
        load_configuration(tmp_path / "file.tf")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("no terraform here\n")
    with pytest.raises(InputError, match=r"no \.tf files"):
        load_configuration(empty)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(b'locals {\n  a = "\xff"\n}\n')
    with pytest.raises(InputError, match="not UTF-8"):
        read_module(tmp_path)


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        (
            {"a.tf": 'resource "t" "x" {}\n', "b.tf": 'resource "t" "x" {}\n'},
            "duplicate resource block 't.x'",
        ),
        ({"a.tf": 'resource "t" "x" {\n  a = 1\n  a = 2\n}\n'}, "argument 'a' of t.x set twice"),
        ({"a.tf": 'module "m" {\n  source = "./nope"\n}\n'}, "is not a directory"),
        ({"a.tf": 'module "m" {\n  version = "1"\n}\n'}, "has no source"),
        ({"a.tf": 'module "m" {\n  source = "./"\n}\n'}, "cycle"),
        ({"a.tf": 'resource "t" {}\n'}, "expected 2"),
        (
            {"a.tf": 'resource "t" "x" {\n  lifecycle {\n    prevent_destroy = var.p\n  }\n}\n'},
            "prevent_destroy is var.p; expected true/false",
        ),
        (
            {
                "a.tf": 'terraform {\n  backend "gcs" {}\n}\n',
                "b.tf": "terraform {\n  cloud {}\n}\n",
            },
            "a second backend",
        ),
        ({"a.tf": "locals {\n  a = 1\n}\n", "b.tf": "locals {\n  a = 2\n}\n"}, "defined twice"),
    ],
)
def test_configurations_terraform_rejects(
    tmp_path: Path, files: dict[str, str], fragment: str
) -> None:
    message = _error(tmp_path, files)
    assert fragment in message
    assert str(tmp_path) in message
