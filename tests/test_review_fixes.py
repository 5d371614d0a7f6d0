"""Front ends agree on plan arguments, and smaller fixes: plan ids, catalogue lines, modes,
symbolic links, SARIF fingerprints and plangate.testing outside this repository."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from plangate.cli import main
from plangate.gate import GateOptions, describe_catalogue, load_project_catalogue, run_gate
from plangate.pytest.policy_items import is_catalogue_file
from plangate.pytest.session import plan_ids
from plangate.report import sarif
from plangate.scaffold import init
from plangate.settings import Settings, read_settings
from plangate.testing import plan_of
from tests.test_pytest_builtin import CLEAN, PUBLIC_BUCKET

REPO = Path(__file__).resolve().parents[1]


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    """A project whose root plan is clean and whose sub/plan.json is a public bucket."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "infra"\n')
    (tmp_path / "plan.json").write_text(json.dumps(CLEAN))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "plan.json").write_bytes(PUBLIC_BUCKET.read_bytes())
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.json").write_text(json.dumps(CLEAN))
    (tmp_path / "plans" / "b.json").write_bytes(PUBLIC_BUCKET.read_bytes())
    return tmp_path


# --- 1: plan arguments resolve against the working directory ------------------------------


def test_check_resolves_a_plan_argument_from_the_working_directory(
    nested: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(nested / "sub")
    assert main(["check", "plan.json", "--format", "json"]) == 1  # the public bucket here
    (plan,) = json.loads(capsys.readouterr().out)["plans"]
    assert Path(plan["name"]) == nested / "sub" / "plan.json"
    monkeypatch.chdir(nested)
    assert main(["check", "plan.json"]) == 0  # the clean one at the root


def test_command_line_patterns_expand_from_the_working_directory(
    nested: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(root=nested, plans=("plans/*.json",))
    monkeypatch.chdir(nested / "sub")
    assert settings.plan_paths() == (nested / "plans/a.json", nested / "plans/b.json")
    assert settings.plan_paths(("*.json",)) == (Path("plan.json"),)
    assert settings.plan_paths(("*.json",), cwd=nested) == (nested / "plan.json",)
    with pytest.raises(Exception, match="matches no file"):
        settings.plan_paths(("plans/*.json",))


def test_pytest_plan_resolves_and_expands_like_check(nested: Path) -> None:
    run = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q"]
    result = subprocess.run(
        [*run, "--plan", "plans/*.json", "--rootdir", str(nested), str(nested)],
        cwd=nested, env=_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "plangate.catalogue/storage.py::PG-GCS-005[a]" in result.stdout
    assert "plangate.catalogue/storage.py::PG-GCS-005[b]" in result.stdout
    judged = subprocess.run(
        [*run[:-2], "-q", "--plan", "plan.json", "--rootdir", str(nested), str(nested), "-k",
         "PG-GCS-005"],
        cwd=nested / "sub", env=_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert judged.returncode == 1, judged.stdout + judged.stderr  # sub/plan.json, public


# --- 3: no arguments from a subfolder: neither the built-in items nor the project's --------


def test_no_arguments_in_a_subfolder_runs_no_built_in_items(nested: Path) -> None:
    (nested / "pyproject.toml").write_text(
        '[project]\nname = "infra"\n\n[tool.plangate]\nplans = ["plan.json"]\n'
    )
    (nested / "policies").mkdir()
    (nested / "tests").mkdir()
    (nested / "tests" / "test_other.py").write_text("def test_other():\n    pass\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q"]
    below = subprocess.run(
        command, cwd=nested / "tests", env=_environment(), capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert below.returncode == 0, below.stdout + below.stderr
    assert "test_other.py::test_other" in below.stdout
    assert "plangate.catalogue" not in below.stdout
    at_root = subprocess.run(
        command, cwd=nested, env=_environment(), capture_output=True, text=True, check=False
    )
    assert "plangate.catalogue/storage.py::PG-GCS-005[plan]" in at_root.stdout


# --- 9: plan ids widen until unique ------------------------------------------------------


def test_plan_ids_widen_until_unique() -> None:
    paths = (Path("e1/prod/plan.json"), Path("e2/prod/plan.json"), Path("dev.json"))
    assert plan_ids(paths) == ["e1/prod/plan", "e2/prod/plan", "dev"]
    assert plan_ids((Path("a/prod.json"), Path("b/prod.json"))) == ["a/prod", "b/prod"]
    assert plan_ids((Path("prod.json"), Path("/prod.json"))) == ["prod#1", "prod#2"]


# --- 10: the catalogue line says how many run ---------------------------------------------


def test_the_catalogue_line_counts_switched_off_policies(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    load_project_catalogue(settings)
    (line,) = describe_catalogue(settings)
    total = int(line.rsplit(": ", 1)[1].split()[0])
    off = Settings(root=tmp_path, raw={"disable": ["PG-GCS-005"]})
    assert describe_catalogue(off) == (
        f"{line} ({total - 1} run, 1 switched off)",
        "switched off: PG-GCS-005",
    )


# --- 7: scaffolded files keep the usual modes ---------------------------------------------


def test_init_keeps_an_existing_mode_and_gives_new_files_the_umask_mode(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "infra"\n')
    pyproject.chmod(0o640)
    umask = os.umask(0o022)
    try:
        init(tmp_path)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(pyproject.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "policies" / "local.py").stat().st_mode) == 0o644


# --- 2: policies reached through a symbolic link -------------------------------------------


def test_a_symlinked_policies_folder_is_the_project_s(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "local.py").write_text("")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "pyproject.toml").write_text("[tool.plangate]\n")
    (tmp_path / "project" / "policies").symlink_to(tmp_path / "shared")
    settings = read_settings(tmp_path / "project" / "pyproject.toml")
    assert is_catalogue_file(settings, tmp_path / "project" / "policies" / "local.py")


# --- 4: SARIF fingerprints of two findings on one attribute --------------------------------


def test_two_public_members_of_one_binding_have_distinct_fingerprints(tmp_path: Path) -> None:
    document = plan_of(
        "google_storage_bucket_iam_binding.public",
        {
            "bucket": "acme-models",
            "role": "roles/storage.objectViewer",
            "members": ["allUsers", "allAuthenticatedUsers"],
        },
    )
    (tmp_path / "plan.json").write_text(json.dumps(document))
    settings = Settings(root=tmp_path)
    report = run_gate(settings, GateOptions(plans=(str(tmp_path / "plan.json"),)))
    log = json.loads(sarif.render(report))
    found = [r for r in log["runs"][0]["results"] if r["ruleId"] == "PG-GCS-005"]
    assert len(found) == 2
    assert found[0]["properties"]["attribute"] == found[1]["properties"]["attribute"]
    prints = {r["partialFingerprints"][sarif.FINGERPRINT] for r in found}
    assert len(prints) == 2


# --- 6: plangate.testing loads the built-in catalogue ------------------------------------


def test_judge_knows_the_built_in_policies_outside_this_repository(tmp_path: Path) -> None:
    code = (
        "from plangate.testing import judge, plan_of\n"
        "plan = plan_of('google_storage_bucket.b', {'name': 'b', 'force_destroy': True})\n"
        "print(judge('PG-GCS-001', plan).status.value)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=_environment(), capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fail"
