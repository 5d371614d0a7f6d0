"""What the reader makes of resources, providers, locals and lifecycle, and how it walks modules.

The mutation run of config/reader.py, model.py and consistency.py left these unpinned: the
shared project fixture is parsed once per test module, so only the first test using it was
charged with the reader's work. Each test here reads its own small module and checks whole
values (a lifecycle, a provider block, the settings) or the exact one-line refusal a user gets,
with the file, line and block named, plus the module tree walk (nesting depth, call chains,
which calls are left unfollowed).
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from plangate.config import (
    ABSENT,
    Configuration,
    Lifecycle,
    ProviderRequirement,
    check_consistency,
    load_configuration,
    read_module,
)
from plangate.config.model import Module, ResourceBlock, SourceLocation
from plangate.config.reader import tf_files
from plangate.errors import InputError
from tests.test_config_reader import _error
from tests.test_mutation_config import _write

# -- which files, which directory --------------------------------------------------------------


def test_hidden_and_scratch_files_are_not_read(tmp_path: Path) -> None:
    """Terraform skips dot files and emacs lock files; a broken one must not break the read."""
    (tmp_path / "b.tf").write_text('resource "t" "b" {}\n')
    (tmp_path / "a.tf").write_text('resource "t" "a" {}\n')
    for name in (".hidden.tf", "#a.tf#.tf", "a.tf~"):
        (tmp_path / name).write_text("this is { not HCL\n")
    assert tf_files(tmp_path) == (tmp_path / "a.tf", tmp_path / "b.tf")
    module = read_module(tmp_path)
    assert module.directory == tmp_path
    assert module.files == (tmp_path / "a.tf", tmp_path / "b.tf")
    assert [block.address_in_module for block in module.resources] == ["t.a", "t.b"]


def test_an_unreadable_directory_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user reads why the directory could not be listed, not a Python error repr."""

    def denied(path: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("plangate.config.reader.os.scandir", denied)
    with pytest.raises(InputError) as caught:
        read_module(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read directory: Permission denied"


# -- the module tree ---------------------------------------------------------------------------


def _nest(root: Path, levels: int) -> None:
    """``levels`` directories, each calling the next as ``./n``; the last declares one block."""
    directory = root
    for _ in range(levels - 1):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "main.tf").write_text('module "n" {\n  source = "./n"\n}\n')
        directory = directory / "n"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf").write_text('resource "t" "leaf" {}\n')


def test_32_levels_of_modules_load_and_a_33rd_is_refused(tmp_path: Path) -> None:
    """The root and 31 nested calls are fine; the refusal names the first directory too deep."""
    _nest(tmp_path / "ok", 32)
    config = load_configuration(tmp_path / "ok")
    assert config.resource_addresses() == {".".join(["module.n"] * 31 + ["t.leaf"])}

    _nest(tmp_path / "deep", 33)
    too_deep = Path(tmp_path / "deep", *(["n"] * 32))
    with pytest.raises(InputError) as caught:
        load_configuration(tmp_path / "deep")
    assert str(caught.value) == f"{too_deep}: modules nested deeper than 32 levels"


def test_a_registry_call_does_not_stop_the_local_calls_after_it(tmp_path: Path) -> None:
    """Calls are followed one by one; a remote source is skipped, not the end of the list."""
    config = _write(
        tmp_path,
        {
            "main.tf": 'module "reg" {\n  source = "acme/x/google"\n}\n'
            'module "loc" {\n  source = "./loc"\n}\n',
            "loc/main.tf": 'resource "t" "x" {}\n',
        },
    )
    assert set(config.children) == {"loc"}
    assert config.resource_addresses() == {"module.loc.t.x"}


def test_a_windows_style_local_source_is_followed(tmp_path: Path) -> None:
    """Terraform accepts ``.\\sub`` as a local path; the reader must find the directory."""
    config = _write(
        tmp_path,
        {
            "main.tf": 'module "sub" {\n  source = ".\\\\sub"\n}\n',
            "sub/main.tf": 'resource "t" "x" {}\n',
        },
    )
    assert config.root.module_calls["sub"].source == ".\\sub"
    assert config.resource_addresses() == {"module.sub.t.x"}


_NESTED = {
    "main.tf": 'module "a" {\n  source = "./a"\n}\n',
    "a/main.tf": 'module "b" {\n  source = "./b"\n}\n'
    'module "net" {\n  source = "acme/net/google"\n}\n',
    "a/b/main.tf": 'resource "t" "x" {}\n',
}


def test_the_call_chain_of_a_nested_address_lists_every_call(tmp_path: Path) -> None:
    config = _write(tmp_path, _NESTED)
    chain = config.module_call_chain('module.a.module.b["k"].t.x')
    assert [(call.name, call.source) for call in chain] == [("a", "./a"), ("b", "./b")]


def test_only_remote_calls_are_unfollowed_and_keyed_by_their_full_address(tmp_path: Path) -> None:
    """A nested local call is followed; a nested registry call is named with its parent."""
    config = _write(tmp_path, _NESTED)
    unfollowed = config.unfollowed_module_calls()
    assert list(unfollowed) == ["module.a.module.net"]
    assert unfollowed["module.a.module.net"].source == "acme/net/google"


def test_absent_shows_as_absent() -> None:
    """A required variable's default is printed as ABSENT in reprs users read."""
    assert repr(ABSENT) == "ABSENT"


def test_a_hand_built_child_without_a_module_call_still_compares(tmp_path: Path) -> None:
    """Configuration is public: a child with no matching call has no keys to check, no crash."""
    block = ResourceBlock("managed", "t", "r", "t.r", SourceLocation(tmp_path / "c.tf", 1))
    child = Configuration(Module(tmp_path / "c", resources=(block,)))
    config = Configuration(Module(tmp_path), {"m": child})
    assert check_consistency({"module.m.t.r": "managed"}, {}, config) == ()


# -- blocks whose header line cannot be found --------------------------------------------------


def test_a_label_written_as_a_template_is_refused_naming_the_block(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    message = _error(tmp_path, {"main.tf": 'resource "t" "a%{if true}b%{endif}" {}\n'})
    assert message == (
        f'{path}: cannot find the line of block resource "t" "a%{{ if true }}b%{{ endif }}"; '
        "expected a header line"
    )


def test_a_block_hidden_after_a_comment_is_refused_not_crashed_on(tmp_path: Path) -> None:
    """No header of that kind was scanned at all; still a clean one-line refusal."""
    path = tmp_path / "main.tf"
    message = _error(tmp_path, {"main.tf": 'locals {\n} /* note\n */ data "t" "x" {}\n'})
    assert message == f'{path}: cannot find the line of block data "t" "x"; expected a header line'


# -- resource and data blocks ------------------------------------------------------------------


def test_a_resource_keeps_its_provider_and_dependencies(tmp_path: Path) -> None:
    module = read_module(
        _write_dir(
            tmp_path,
            'resource "t" "x" {\n  provider   = google.us\n  depends_on = [t.a, data.t.b]\n'
            '  name       = "x"\n}\n',
        )
    )
    (block,) = module.resources
    assert block.provider == "google.us"
    assert block.depends_on == ("t.a", "data.t.b")
    assert dict(block.attributes) == {"name": "x"}


def _write_dir(directory: Path, text: str) -> Path:
    (directory / "main.tf").write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('data "t" {}\n', "data block has 1 labels; expected 2"),
        ('resource "t" {}\n', "resource block has 1 labels; expected 2"),
        ("provider {}\n", "provider block has 0 labels; expected 1"),
        ('locals "x" {}\n', "locals block has 1 labels; expected 0"),
    ],
    ids=["data", "resource", "provider", "locals"],
)
def test_a_wrong_number_of_labels_names_the_block_kind(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = _error(tmp_path, {"main.tf": text})
    assert message == f"{tmp_path / 'main.tf'}:1: {expected}"


def test_a_duplicate_data_block_names_both_places(tmp_path: Path) -> None:
    message = _error(tmp_path, {"a.tf": 'data "t" "x" {}\n', "b.tf": '\ndata "t" "x" {}\n'})
    assert message == (
        f"{tmp_path / 'b.tf'}:2: duplicate data block 'data.t.x'; expected unique names, "
        f"the first is at {tmp_path / 'a.tf'}:1"
    )


def test_an_argument_set_twice_is_refused_on_its_second_line(tmp_path: Path) -> None:
    message = _error(tmp_path, {"main.tf": 'resource "t" "x" {\n  a = 1\n  a = 2\n}\n'})
    assert message == (
        f"{tmp_path / 'main.tf'}:3: argument 'a' of t.x set twice; expected each argument once"
    )


def test_blocks_this_model_does_not_read_are_skipped_not_fatal(tmp_path: Path) -> None:
    """``moved`` (and ``import``, ``check``) come before a resource; the resource is still read."""
    module = read_module(
        _write_dir(
            tmp_path,
            "moved {\n  from = t.old\n  to   = t.x\n}\n"
            'resource "t" "x" {}\noutput "o" {\n  value = 1\n}\n',
        )
    )
    assert [block.address_in_module for block in module.resources] == ["t.x"]
    assert list(module.outputs) == ["o"]


# -- lifecycle ---------------------------------------------------------------------------------


def _lifecycle(tmp_path: Path, body: str) -> Lifecycle:
    text = f'resource "t" "x" {{\n  lifecycle {{\n{body}  }}\n}}\n'
    (block,) = read_module(_write_dir(tmp_path, text)).resources
    return block.lifecycle


def test_every_lifecycle_argument_is_read(tmp_path: Path) -> None:
    body = (
        "    prevent_destroy       = true\n"
        "    create_before_destroy = true\n"
        "    ignore_changes        = [labels, tags]\n"
        "    replace_triggered_by  = [t.a.id]\n"
    )
    assert _lifecycle(tmp_path, body) == Lifecycle(
        prevent_destroy=True,
        create_before_destroy=True,
        ignore_changes=("labels", "tags"),
        replace_triggered_by=("t.a.id",),
    )


def test_an_empty_lifecycle_block_keeps_terraform_defaults(tmp_path: Path) -> None:
    lifecycle = _lifecycle(tmp_path, "")
    assert lifecycle == Lifecycle()
    assert lifecycle.prevent_destroy is False and lifecycle.create_before_destroy is False


def test_ignore_changes_all_is_kept_as_the_keyword(tmp_path: Path) -> None:
    assert _lifecycle(tmp_path, "    ignore_changes = all\n").ignore_changes == ("all",)


def test_a_non_literal_create_before_destroy_is_refused_by_name(tmp_path: Path) -> None:
    text = 'resource "t" "x" {\n  lifecycle {\n    create_before_destroy = var.c\n  }\n}\n'
    message = _error(tmp_path, {"main.tf": text})
    assert message == (
        f"{tmp_path / 'main.tf'}:1: create_before_destroy is var.c; expected true/false"
    )


def test_two_lifecycle_blocks_are_refused(tmp_path: Path) -> None:
    text = 'resource "t" "x" {\n  lifecycle {}\n  lifecycle {}\n}\n'
    message = _error(tmp_path, {"main.tf": text})
    assert message == f"{tmp_path / 'main.tf'}:1: two lifecycle blocks; expected at most one"


# -- provider blocks and locals ----------------------------------------------------------------


def test_a_provider_block_keeps_name_alias_and_other_arguments(tmp_path: Path) -> None:
    text = 'provider "google" {\n  alias  = "us"\n  region = "us-east1"\n}\n'
    (provider,) = read_module(_write_dir(tmp_path, text)).provider_blocks
    assert (provider.name, provider.alias, provider.location.line) == ("google", "us", 1)
    assert dict(provider.attributes) == {"region": "us-east1"}


@pytest.mark.parametrize(("written", "shown"), [("var.a", "var.a"), ("5", "5")])
def test_an_alias_that_is_not_a_literal_string_is_refused(
    tmp_path: Path, written: str, shown: str
) -> None:
    message = _error(tmp_path, {"main.tf": f'provider "google" {{\n  alias = {written}\n}}\n'})
    assert message == f"{tmp_path / 'main.tf'}:1: alias is {shown}; expected a string"


def test_a_local_defined_twice_names_where_it_was_first(tmp_path: Path) -> None:
    message = _error(
        tmp_path, {"a.tf": "locals {\n  a = 1\n}\n", "b.tf": "\nlocals {\n  a = 2\n}\n"}
    )
    assert message == (
        f"{tmp_path / 'b.tf'}:2: local value 'a' defined twice; expected unique names, "
        f"the first is at {tmp_path / 'a.tf'}:1"
    )


# -- terraform settings ------------------------------------------------------------------------


def test_a_module_without_terraform_block_has_empty_settings(tmp_path: Path) -> None:
    settings = read_module(_write_dir(tmp_path, 'resource "t" "x" {}\n')).settings
    assert settings.required_version is None
    assert settings.backend is None
    assert dict(settings.required_providers) == {}


_SETTINGS = """\
terraform {
  required_version = ">= 1.6"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 5.40"
    }
    random = "~> 3.6"
  }
  backend "gcs" {
    bucket = "state"
  }
}
"""


def test_terraform_settings_reach_the_module(tmp_path: Path) -> None:
    settings = read_module(_write_dir(tmp_path, _SETTINGS)).settings
    assert settings.required_version == ">= 1.6"
    assert dict(settings.required_providers) == {
        "google": ProviderRequirement("hashicorp/google", "~> 5.40"),
        "random": ProviderRequirement(None, "~> 3.6"),
    }
    assert settings.backend is not None
    assert (settings.backend.type, dict(settings.backend.config)) == ("gcs", {"bucket": "state"})


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("google = {\n      source = 5\n    }", "google.source is 5; expected a string"),
        ("google = {\n      version = var.v\n    }", "google.version is var.v; expected a string"),
        ("random = 5", "random is 5; expected a string"),
    ],
    ids=["source", "version", "legacy"],
)
def test_a_provider_requirement_that_is_not_a_string_is_refused_by_name(
    tmp_path: Path, entry: str, expected: str
) -> None:
    text = f"terraform {{\n  required_providers {{\n    {entry}\n  }}\n}}\n"
    message = _error(tmp_path, {"main.tf": text})
    assert message == f"{tmp_path / 'main.tf'}:1: {expected}"
