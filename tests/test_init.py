"""`plangate init`: scaffolds a repository, refuses to overwrite, and what it writes works."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from plangate.cli import main
from plangate.scaffold import FILES

REPO = Path(__file__).resolve().parents[1]


def test_init_writes_every_file_and_a_pyproject(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    for target in FILES:
        assert (tmp_path / target).is_file(), target
    table = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["plangate"]
    assert table["policies"] == ["policies"] and table["features"] == "features"


def test_init_extends_an_existing_pyproject_without_changing_it(tmp_path: Path) -> None:
    original = '[project]\nname = "infra"\n\n[tool.ruff]\nline-length = 99'  # no final newline
    (tmp_path / "pyproject.toml").write_text(original)
    assert main(["init", str(tmp_path)]) == 0
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(original + "\n")
    document = tomllib.loads(text)
    assert document["project"]["name"] == "infra" and "plangate" in document["tool"]


@pytest.mark.parametrize("existing", [*FILES, "pyproject.toml"])
def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    target = tmp_path / existing
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("[tool.plangate]\n" if existing == "pyproject.toml" else "mine\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "refuses to overwrite" in err and "nothing was written" in err and err.count("\n") == 1
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert target.read_text() in {"mine\n", "[tool.plangate]\n"}


def test_the_scaffolded_repository_gates_a_plan_with_pytest(tmp_path: Path) -> None:
    """The example policy's test passes and the example feature judges the plan."""
    assert main(["init", str(tmp_path)]) == 0
    public = REPO / "infrastructure/plans/scenarios/prod-public-bucket.json"
    (tmp_path / "plan.json").write_bytes(public.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "--plan", "plan.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 1, out
    assert "PASSED tests/test_local_policies.py::test_a_bucket_elsewhere_fails" in out
    assert "PASSED policies/local.py::PG-LOCAL-001[plan]" in out
    assert (
        "FAILED features/storage.feature::"
        "test_buckets_use_uniform_access_and_enforce_public_access_prevention[plan]"
    ) in out
    assert (
        'module.storage.google_storage_bucket.models: public_access_prevention: expected "enforced"'
        in out
    )
