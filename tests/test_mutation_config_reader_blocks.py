"""What the reader makes of ``module``, ``variable``, ``output`` and ``terraform`` blocks.

The mutation run of config/reader.py found these fields and refusals unpinned: the shared
project fixture is parsed once per test module, so only its first test was charged with them.
Every test here reads its own small module, and checks whole values (a variable, an output,
a backend) and the exact one-line refusal a user gets, with the file, line and argument named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.config import ABSENT, ProviderRequirement
from plangate.config.model import Backend, Output, SourceLocation, Variable
from tests.test_config_reader import _error
from tests.test_mutation_config import _write

# -- module calls ----------------------------------------------------------------------------

_NETWORK_CALL = """\
module "net" {
  source     = "terraform-google-modules/network/google"
  version    = "~> 9.1"
  depends_on = [module.other, google_x.y]
  providers = {
    google        = google.us
    "google-beta" = google-beta.eu
  }
  network_name = "main"
}
"""


def test_a_module_call_keeps_its_version_dependencies_and_provider_map(tmp_path: Path) -> None:
    call = _write(tmp_path, {"main.tf": _NETWORK_CALL}).root.module_calls["net"]
    assert call.name == "net"
    assert call.version == "~> 9.1"
    assert call.depends_on == ("module.other", "google_x.y")
    assert dict(call.providers) == {"google": "google.us", "google-beta": "google-beta.eu"}
    assert dict(call.arguments) == {"network_name": "main"}


def test_a_module_call_without_optional_arguments_reads_as_empty(tmp_path: Path) -> None:
    """No version, no dependencies, no provider map: None and empty, not missing."""
    config = _write(tmp_path, {"main.tf": 'module "m" {\n  source = "acme/m/google"\n}\n'})
    call = config.root.module_calls["m"]
    assert (call.version, call.depends_on, dict(call.providers)) == (None, (), {})


# -- variables and outputs -------------------------------------------------------------------

_VARIABLES = """\
variable "region" {
  type        = string
  default     = "europe-west1"
  description = "Where it runs."
  sensitive   = true
  nullable    = false
  validation {
    condition     = length(var.region) > 0
    error_message = "Empty."
  }
  validation {
    condition     = var.region != "x"
    error_message = "Not x."
  }
}

variable "plain" {}
"""


def test_a_variable_keeps_every_field_it_writes(tmp_path: Path) -> None:
    variables = _write(tmp_path, {"variables.tf": _VARIABLES}).root.variables
    path = tmp_path / "variables.tf"
    assert variables["region"] == Variable(
        name="region",
        location=SourceLocation(path, 1),
        type="string",
        default="europe-west1",
        description="Where it runs.",
        sensitive=True,
        nullable=False,
        validations=2,
    )


def test_a_bare_variable_gets_terraforms_defaults(tmp_path: Path) -> None:
    """Required (no default), not sensitive, nullable, no validation: Terraform's defaults."""
    plain = _write(tmp_path, {"variables.tf": _VARIABLES}).root.variables["plain"]
    assert plain == Variable(name="plain", location=SourceLocation(tmp_path / "variables.tf", 17))
    assert plain.default is ABSENT and plain.type is None and plain.description is None
    assert plain.sensitive is False and plain.nullable is True and plain.validations == 0


def test_an_output_keeps_its_name_place_description_and_sensitivity(tmp_path: Path) -> None:
    text = (
        'output "token" {\n  value       = var.t\n  description = "The token."\n'
        '  sensitive   = true\n}\n\noutput "plain" {\n  value = 1\n}\n'
    )
    outputs = _write(tmp_path, {"outputs.tf": text}).root.outputs
    path = tmp_path / "outputs.tf"
    assert outputs["token"] == Output("token", SourceLocation(path, 1), "The token.", True)
    assert outputs["plain"] == Output("plain", SourceLocation(path, 7), None, False)
    assert outputs["plain"].sensitive is False


# -- terraform settings ----------------------------------------------------------------------


def test_terraform_settings_are_merged_across_blocks(tmp_path: Path) -> None:
    """A later ``terraform`` block without ``required_version`` keeps the earlier one's."""
    settings = _write(
        tmp_path,
        {
            "a.tf": (
                'terraform {\n  required_version = ">= 1.6"\n  required_providers {\n'
                '    google = {\n      source  = "hashicorp/google"\n      version = "~> 5.40"\n'
                '    }\n    random = "~> 3.6"\n  }\n}\n'
            ),
            "b.tf": 'terraform {\n  backend "gcs" {\n    bucket = "acme-state"\n  }\n}\n',
        },
    ).root.settings
    assert settings.required_version == ">= 1.6"
    assert dict(settings.required_providers) == {
        "google": ProviderRequirement("hashicorp/google", "~> 5.40"),
        "random": ProviderRequirement(None, "~> 3.6"),
    }
    assert settings.backend is not None
    assert (settings.backend.type, dict(settings.backend.config)) == (
        "gcs",
        {"bucket": "acme-state"},
    )


def test_a_cloud_block_is_a_backend_of_type_cloud(tmp_path: Path) -> None:
    text = 'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n'
    backend = _write(tmp_path, {"main.tf": text}).root.settings.backend
    assert isinstance(backend, Backend)
    assert (backend.type, dict(backend.config)) == ("cloud", {"organization": "acme"})


# -- refusals, word for word -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('module "a" "b" {\n  source = "x"\n}\n', "1: module block has 2 labels; expected 1"),
        ('module "m" {\n  source = var.s\n}\n', "1: source is var.s; expected a string"),
        (
            'module "m" {\n  source  = "acme/m/google"\n  version = var.v\n}\n',
            "1: version is var.v; expected a string",
        ),
        ('variable "a" "b" {}\n', "1: variable block has 2 labels; expected 1"),
        (
            'variable "v" {\n  description = local.d\n}\n',
            "1: description is local.d; expected a string",
        ),
        ('variable "v" {\n  sensitive = "yes"\n}\n', '1: sensitive is "yes"; expected true/false'),
        ('variable "v" {\n  nullable = 1\n}\n', "1: nullable is 1; expected true/false"),
        ('output "a" "b" {\n  value = 1\n}\n', "1: output block has 2 labels; expected 1"),
        (
            'output "o" {\n  value       = 1\n  description = local.d\n}\n',
            "1: description is local.d; expected a string",
        ),
        (
            'output "o" {\n  value     = 1\n  sensitive = "yes"\n}\n',
            '1: sensitive is "yes"; expected true/false',
        ),
        ('terraform "x" {}\n', "1: terraform block has 1 labels; expected 0"),
        (
            "terraform {\n  required_version = var.v\n}\n",
            "1: required_version is var.v; expected a string",
        ),
        (
            "terraform {\n  required_providers {\n    google = {\n      source = var.s\n"
            "    }\n  }\n}\n",
            "1: google.source is var.s; expected a string",
        ),
        (
            "terraform {\n  required_providers {\n    random = var.v\n  }\n}\n",
            "1: random is var.v; expected a string",
        ),
    ],
)
def test_a_block_terraform_rejects_is_refused_naming_file_line_and_argument(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert _error(tmp_path, {"main.tf": text}) == f"{tmp_path / 'main.tf'}:{expected}"


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ('module "m" {\n  source = "acme/m/google"\n}\n', "module block 'm'"),
        ('variable "m" {}\n', "variable block 'm'"),
        ('output "m" {\n  value = 1\n}\n', "output block 'm'"),
    ],
)
def test_a_name_declared_twice_is_refused_pointing_at_both(
    tmp_path: Path, text: str, what: str
) -> None:
    first, second = tmp_path / "a.tf", tmp_path / "b.tf"
    assert _error(tmp_path, {"a.tf": text, "b.tf": text}) == (
        f"{second}:1: duplicate {what}; expected unique names, the first is at {first}:1"
    )


def test_a_second_backend_is_refused_pointing_at_the_first(tmp_path: Path) -> None:
    files = {
        "a.tf": 'terraform {\n  backend "gcs" {}\n}\n',
        "b.tf": "\nterraform {\n  cloud {}\n}\n",
    }
    assert _error(tmp_path, files) == (
        f"{tmp_path / 'b.tf'}:2: a second backend ('cloud'); expected one per module, "
        f"the first is at {tmp_path / 'a.tf'}:1"
    )
