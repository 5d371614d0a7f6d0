"""plangate outside this repository: the wheel carries everything, and works from an empty folder.

The wheel is built and installed into a fresh virtualenv (dependencies come from the package
index, as for a user), then `plangate policies`, `plangate check`, `plangate init` and `pytest
--plan` run in an empty folder outside the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src" / "plangate"
PUBLIC_BUCKET = REPO / "infrastructure/plans/scenarios/prod-public-bucket.json"

CLEAN_BUCKET = {
    "name": "acme-data",
    "location": "EU",
    "storage_class": "STANDARD",
    "force_destroy": False,
    "uniform_bucket_level_access": True,
    "public_access_prevention": "enforced",
    "versioning": [{"enabled": True}],
    "labels": {"project": "acme", "environment": "prod", "managed_by": "terraform"},
    "terraform_labels": {"project": "acme", "environment": "prod", "managed_by": "terraform"},
}


def _declared_packages() -> list[str]:
    document = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    return document["tool"]["setuptools"]["packages"]


def test_every_source_package_is_declared_and_has_an_init() -> None:
    folders = {path.parent for path in SOURCE.rglob("*.py") if "templates" not in path.parts}
    missing_init = sorted(
        str(f.relative_to(REPO)) for f in folders if not (f / "__init__.py").exists()
    )
    assert not missing_init, f"not packages (no __init__.py), so not in the wheel: {missing_init}"
    found = {".".join(("plangate", *f.relative_to(SOURCE).parts)).rstrip(".") for f in folders}
    assert set(_declared_packages()) == found | {"plangate.catalogue"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the wheel (and its dependencies) installed; its bin/."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(REPO)],
        check=True,
    )
    [wheel] = work.glob("plangate-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
    )
    return venv / "bin"


def _run(bin_dir: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    return subprocess.run(
        [str(bin_dir / argv[0]), *argv[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_installed_wheel_lists_the_catalogue_from_an_empty_folder(
    installed: Path, tmp_path: Path
) -> None:
    result = _run(installed, tmp_path, "plangate", "policies")
    assert result.returncode == 0, result.stderr
    assert "PG-GCS-005" in result.stdout and "PG-CAI-001" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("46 policies")
    wheel = next(installed.parents[1].glob("plangate-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "plangate/catalogue/storage.py" in names
    assert "plangate/inventory/data/mapping.yaml" in names
    assert "plangate/policy/schema/waivers.schema.json" in names
    assert "plangate/scaffold/templates/local.py" in names
    assert "plangate/evidence/recorder.py" in names
    evidence = SOURCE / "evidence"
    shipped = [
        f"plangate/{path.relative_to(SOURCE).as_posix()}"
        for folder in ("templates", "schema")
        for path in sorted((evidence / folder).iterdir())
    ]
    assert len(shipped) >= 10 and not set(shipped) - set(names), "evidence data not in the wheel"
    assert "plangate/catalogue/waivers.yaml" not in names  # waivers stay per repository


def test_an_installed_wheel_fails_a_public_bucket_and_passes_a_clean_plan(
    installed: Path, tmp_path: Path
) -> None:
    (tmp_path / "public.json").write_bytes(PUBLIC_BUCKET.read_bytes())
    failed = _run(installed, tmp_path, "plangate", "check", "public.json")
    assert failed.returncode == 1, failed.stderr
    assert "PG-GCS-005" in failed.stdout
    assert "module.storage.google_storage_bucket_iam_member.models_public_read" in failed.stdout
    assert "catalogue: plangate" in failed.stdout
    clean = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "google_storage_bucket.data",
                "mode": "managed",
                "type": "google_storage_bucket",
                "name": "data",
                "provider_name": "hashicorp/google",
                "change": {"actions": ["create"], "before": None, "after": CLEAN_BUCKET},
            }
        ],
    }
    (tmp_path / "clean.json").write_text(json.dumps(clean))
    passed = _run(installed, tmp_path, "plangate", "check", "clean.json")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_init_then_pytest_gates_with_the_built_in_catalogue(
    installed: Path, tmp_path: Path
) -> None:
    assert _run(installed, tmp_path, "plangate", "init").returncode == 0
    (tmp_path / "plan.json").write_bytes(PUBLIC_BUCKET.read_bytes())
    result = _run(
        installed,
        tmp_path,
        "python",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-rA",
        "--plan",
        "plan.json",
        "--evidence",
        "evidence/report.html",
        "--evidence-attestation",
        "evidence/statement.json",
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "PASSED tests/test_local_policies.py" in out
    assert "PG-GCS-005[plan]" in out and "FAILED" in out
    assert "module.storage.google_storage_bucket_iam_member.models_public_read" in out
    # the evidence renders from the templates and schema the wheel ships
    page = (tmp_path / "evidence/report.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "PG-GCS-005" in page
    statement = json.loads((tmp_path / "evidence/statement.json").read_text())
    assert statement["subject"][0]["name"] == "plan.json"
    pins = statement["predicate"]["pins"]
    assert pins["git"] == "not a git checkout" and pins["commit"] is None
    assert {"path": "catalogue/storage.py", "base": "plangate"}.items() <= next(
        pin for pin in pins["policies"] if pin["path"] == "catalogue/storage.py"
    ).items()
