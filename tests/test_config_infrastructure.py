"""The repository's own Terraform must be readable: every file parses, every environment loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plangate.config import load_configuration, read_module

TERRAFORM = Path(__file__).resolve().parents[1] / "infrastructure" / "terraform"
ENVIRONMENTS = ("dev", "staging", "prod")


def _module_dirs() -> list[Path]:
    modules = TERRAFORM / "modules"
    if not modules.is_dir():
        return []
    return sorted(p for p in modules.iterdir() if p.is_dir() and any(p.glob("*.tf")))


def _all_tf_dirs() -> list[Path]:
    root = TERRAFORM.parent
    dirs = {path.parent for path in root.rglob("*.tf") if ".terraform" not in path.parts}
    return sorted(dirs)


def test_tree_has_the_expected_shape() -> None:
    assert len(_module_dirs()) >= 9, f"expected at least 9 modules under {TERRAFORM / 'modules'}"
    environments = [TERRAFORM / "environments" / name for name in ENVIRONMENTS]
    missing = [str(p) for p in environments if not any(p.glob("*.tf"))]
    assert not missing, f"environments without .tf files: {missing}"


@pytest.mark.parametrize(
    "directory", _all_tf_dirs(), ids=lambda p: str(p.relative_to(TERRAFORM.parent))
)
def test_every_directory_parses(directory: Path) -> None:
    module = read_module(directory)
    for block in module.resources:
        lines = block.location.path.read_text(encoding="utf-8").splitlines()
        keyword = "data" if block.mode == "data" else "resource"
        header = lines[block.location.line - 1]
        assert re.match(rf'\s*{keyword}\s+"?{block.type}"?\s+"?{block.name}"?\s*\{{', header), (
            f"{block.location} does not start {block.address_in_module}: {header!r}"
        )
        for name, number in block.member_lines.items():
            assert re.match(rf'\s*{re.escape(name)}\s*(=|\{{|")', lines[number - 1]), (
                f"{block.location.path}:{number} does not set {name}"
            )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_environment_loads_with_its_local_modules(environment: str) -> None:
    config = load_configuration(TERRAFORM / "environments" / environment)
    assert config.resource_addresses(), f"{environment} declares no resources"
    local_calls = [c for c in config.root.module_calls.values() if c.is_local]
    assert set(config.children) == {c.name for c in local_calls}
    for address in config.resource_addresses():
        assert config.locate(address) is not None, address
