"""Evidence of a whole run on a small project of its own: pins, the traceability matrix, the
attestation, and `plangate evidence verify` against the working tree.

The project (a git checkout in tmp_path) has two plans, two policies of its own, one feature
and a requirements document; `plangate evidence --attestation` runs on it once per module.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from plangate import __version__
from plangate.evidence.attestation import PREDICATE_TYPE, STATEMENT_TYPE, statement_schema
from plangate.evidence.pins import settings_digest

REQUIREMENTS = """# Requirements

### REQ-001: Buckets stay in Europe
Two controls: a policy and a scenario.

### REQ-002: Buckets keep their objects
The policy that enforces it also names REQ-999, which this document lacks.

### REQ-003: Restores are rehearsed
- **Verified by:** the yearly restore drill

### REQ-004: Nobody checks this yet
"""

POLICIES = '''"""The fixture project's own policies."""

from plangate.policy import Severity, View, expect_one_of, policy


@policy(
    id="PG-FIX-001",
    title="Buckets are in Europe",
    severity=Severity.HIGH,
    rationale="Data stays in Europe.",
    resource_types=("google_storage_bucket",),
    view=View.AFTER,
    requirements=("REQ-001",),
)
def in_europe(resource, ctx):
    yield from expect_one_of(resource, "location", ("EU",))


@policy(
    id="PG-FIX-002",
    title="Buckets keep their objects",
    severity=Severity.HIGH,
    rationale="force_destroy deletes every object with the bucket.",
    resource_types=("google_storage_bucket",),
    view=View.AFTER,
    requirements=("REQ-002", "REQ-999"),
)
def keeps_objects(resource, ctx):
    yield from expect_one_of(resource, "force_destroy", (False,))
'''

FEATURE = """Feature: Fixture storage
  @REQ-001
  Scenario: Buckets are private
    Given resources of type "google_storage_bucket"
    Then their "public_access_prevention" is "enforced"

  Scenario: Buckets use uniform access
    Given resources of type "google_storage_bucket"
    Then their "uniform_bucket_level_access" is true
"""

PYPROJECT = """[project]
name = "fixture"
version = "0"

[tool.plangate]
plans = ["plans/prod.json", "plans/dev.json"]
policies = ["rules"]
features = "features"
waivers = "rules/waivers.yaml"
requirements = "docs/requirements.md"
"""


def plan(environment: str, force_destroy: bool) -> str:
    bucket = {
        "name": f"data-{environment}",
        "location": "EU",
        "force_destroy": force_destroy,
        "uniform_bucket_level_access": True,
        "public_access_prevention": "enforced",
        "labels": {"project": "fixture", "environment": environment, "managed_by": "terraform"},
    }
    change = {"actions": ["create"], "before": None, "after": bucket}
    document = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {"environment": {"value": environment}},
        "resource_changes": [
            {
                "address": "google_storage_bucket.data",
                "mode": "managed",
                "type": "google_storage_bucket",
                "name": "data",
                "provider_name": "registry.terraform.io/hashicorp/google",
                "change": change,
            }
        ],
    }
    return json.dumps(document, indent=1)


def make_project(root: Path) -> Path:
    """The fixture project, committed to a fresh git repository."""
    files = {
        "pyproject.toml": PYPROJECT,
        "docs/requirements.md": REQUIREMENTS,
        "rules/fixture.py": POLICIES,
        "rules/waivers.yaml": "waivers: []\n",
        "features/storage.feature": FEATURE,
        "plans/prod.json": plan("prod", False),
        "plans/dev.json": plan("dev", True),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "fixture")
    return root


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def plangate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plangate.cli", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("project"))
    done = plangate(
        root, "evidence", "--output", "out/report.html", "--attestation", "out/statement.json"
    )
    assert done.returncode == 1, done.stdout + done.stderr  # dev's bucket has force_destroy
    assert "attestation written to out/statement.json" in done.stdout
    return root


@pytest.fixture(scope="module")
def report(project: Path) -> dict[str, Any]:
    return json.loads((project / "out/report.json").read_text())


@pytest.fixture(scope="module")
def statement(project: Path) -> dict[str, Any]:
    return json.loads((project / "out/statement.json").read_text())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- pins


def test_the_report_pins_the_commit_and_every_control_file(
    project: Path, report: dict[str, Any]
) -> None:
    pins = report["pins"]
    assert pins["commit"] == git(project, "rev-parse", "HEAD") and pins["git"] == "checkout"
    assert pins["dirty"] is False  # the reports are untracked, and do not count
    assert pins["plangate_version"] == __version__
    own = {p["path"]: p["sha256"] for p in pins["policies"] if p["path"].startswith("rules/")}
    assert own == {"rules/fixture.py": sha256(project / "rules/fixture.py")}
    assert len(pins["policies"]) > 5  # the built-in catalogue's modules ran too
    assert pins["features"] == [
        {
            "path": "features/storage.feature",
            "sha256": sha256(project / "features/storage.feature"),
            "base": "project",
        }
    ]
    for key, name in (
        ("waivers", "rules/waivers.yaml"),
        ("requirements", "docs/requirements.md"),
        ("pyproject", "pyproject.toml"),
    ):
        assert pins[key] == {"path": name, "sha256": sha256(project / name), "base": "project"}
    table = {
        "plans": ["plans/prod.json", "plans/dev.json"],
        "policies": ["rules"],
        "features": "features",
        "waivers": "rules/waivers.yaml",
        "requirements": "docs/requirements.md",
    }
    assert pins["settings_sha256"] == settings_digest(table)
    assert [(p["name"], p["sha256"]) for p in report["plans"]] == [
        ("plans/prod.json", sha256(project / "plans/prod.json")),
        ("plans/dev.json", sha256(project / "plans/dev.json")),
    ]


def test_the_pins_are_in_the_html_and_markdown(project: Path, report: dict[str, Any]) -> None:
    page = (project / "out/report.html").read_text()
    markdown = (project / "out/report.md").read_text()
    for text in (page, markdown):
        assert report["pins"]["commit"] in text
        assert sha256(project / "rules/fixture.py") in text
        assert sha256(project / "features/storage.feature") in text


# --------------------------------------------------------------------------- matrix


def test_each_requirement_has_its_controls_and_a_result_per_plan(report: dict[str, Any]) -> None:
    trace = report["trace"]
    assert trace["document"] == "docs/requirements.md"
    assert trace["plans"] == ["prod", "dev"]
    rows = {row["id"]: row for row in trace["requirements"]}
    assert list(rows) == ["REQ-001", "REQ-002", "REQ-003", "REQ-004"]
    assert {(c["kind"], c["id"]) for c in rows["REQ-001"]["controls"]} == {
        ("policy", "PG-FIX-001"),
        ("scenario", "features/storage.feature:3"),
    }
    assert rows["REQ-001"]["results"] == {"prod": "passed", "dev": "passed"}
    (keeps,) = rows["REQ-002"]["controls"]
    assert keeps["outcomes"] == {"prod": "passed", "dev": "failed"}
    assert rows["REQ-002"]["results"] == {"prod": "passed", "dev": "failed"}
    outside = "verified outside the gate"
    assert rows["REQ-003"]["results"] == {"prod": outside, "dev": outside}
    assert rows["REQ-003"]["verified_by"] == "the yearly restore drill"
    assert rows["REQ-004"]["results"] == {"prod": "not checked", "dev": "not checked"}


def test_a_control_naming_an_unknown_requirement_is_a_traceability_error(
    report: dict[str, Any],
) -> None:
    trace = report["trace"]
    assert trace["unknown"] == [
        {
            "requirement": "REQ-999",
            "kind": "policy",
            "control": "PG-FIX-002",
            "title": "Buckets keep their objects",
        }
    ]
    assert "features/storage.feature:7" in trace["untraced"]
    # an installed catalogue's requirement ids are another project's: never traced here
    assert "PG-GCS-001" in trace["untraced"]


def test_the_matrix_is_in_the_html_and_markdown(project: Path) -> None:
    page = (project / "out/report.html").read_text()
    assert 'id="requirements"' in page
    matrix = page.split('id="requirements"')[1].split("</table>")[0]
    assert "<th>prod</th><th>dev</th>" in matrix
    assert '<span class="failed">failed</span>' in matrix
    assert '<span class="verified_outside_the_gate">verified outside the gate</span>' in matrix
    assert "Traceability errors" in page and "REQ-999" in page
    markdown = (project / "out/report.md").read_text()
    row = next(line for line in markdown.splitlines() if line.startswith("| REQ-002"))
    assert row.endswith("| passed | failed |") and "PG-FIX-002 (prod passed, dev failed)" in row
    assert "- REQ-999 named by policy PG-FIX-002" in markdown


# --------------------------------------------------------------------------- attestation


def test_the_statement_is_valid_against_the_shipped_schema(statement: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(
        statement_schema(), format_checker=jsonschema.FormatChecker()
    ).validate(statement)
    assert statement["_type"] == STATEMENT_TYPE
    assert statement["predicateType"] == PREDICATE_TYPE


def test_the_schema_refuses_a_statement_without_subjects(statement: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**statement, "subject": []}, statement_schema())
    broken = json.loads(json.dumps(statement))
    broken["subject"][0]["digest"]["sha256"] = "-"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, statement_schema())


def test_the_subjects_are_the_plans_and_the_predicate_summarises_the_report(
    project: Path, report: dict[str, Any], statement: dict[str, Any]
) -> None:
    assert statement["subject"] == [
        {"name": "plans/prod.json", "digest": {"sha256": sha256(project / "plans/prod.json")}},
        {"name": "plans/dev.json", "digest": {"sha256": sha256(project / "plans/dev.json")}},
    ]
    predicate = statement["predicate"]
    assert predicate["verdict"] == "failed"
    assert predicate["pins"] == report["pins"]
    assert predicate["counts"]["policies"] == report["policy_counts"]
    req = {row["id"]: row["results"] for row in predicate["requirements"]}
    assert req == {row["id"]: row["results"] for row in report["trace"]["requirements"]}
    assert [e["requirement"] for e in predicate["traceability_errors"]] == ["REQ-999"]
    assert predicate["reports"] == [
        {"name": name, "sha256": sha256(project / "out" / name)}
        for name in ("report.html", "report.md", "report.json")
    ]


def test_pytest_writes_the_attestation_with_its_own_option(project: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable, "-m", "pytest", "rules", "features", "-q", "-p", "no:cacheprovider",
            f"--evidence={tmp_path / 'r.html'}", f"--evidence-attestation={tmp_path / 's.json'}",
        ],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout
    written = json.loads((tmp_path / "s.json").read_text())
    jsonschema.validate(written, statement_schema())
    assert [s["name"] for s in written["subject"]] == ["plans/prod.json", "plans/dev.json"]
    alone = subprocess.run(
        [sys.executable, "-m", "pytest", "rules", f"--evidence-attestation={tmp_path / 'x'}"],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert alone.returncode == pytest.ExitCode.USAGE_ERROR
    assert "--evidence-attestation needs --evidence" in alone.stderr
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- verify


@pytest.fixture
def checkout(project: Path, tmp_path: Path) -> Path:
    """A copy of the project and its report, free to edit."""
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    return copy


def test_verify_finds_nothing_in_the_same_tree(checkout: Path) -> None:
    done = plangate(checkout, "evidence", "verify", "out/report.json")
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout.strip().splitlines() == [
        "out/report.json: the plans, control files, settings and commit are as recorded"
    ]


def test_verify_names_every_difference_one_line_each(checkout: Path) -> None:
    with (checkout / "rules/fixture.py").open("a") as stream:
        stream.write("# edited after the run\n")
    (checkout / "features/storage.feature").unlink()
    (checkout / "plans/dev.json").write_text(plan("dev", False))
    recorded = git(checkout, "rev-parse", "HEAD")
    git(checkout, "commit", "-q", "-am", "later")
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"features"', '"features2"'))
    done = plangate(checkout, "evidence", "verify", "out/report.json")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[:-1] == [
        "changed: plans/dev.json (plan: sha256 "
        f"{_short(checkout / 'out/report.json', 'plans/dev.json')}... in the report, "
        f"{sha256(checkout / 'plans/dev.json')[:12]}... now)",
        *[line for line in lines if line.startswith("changed: rules/fixture.py (policy module")],
        "missing: features/storage.feature (feature)",
        *[line for line in lines if line.startswith("changed: pyproject.toml (pyproject")],
        "changed: [tool.plangate] in pyproject.toml (settings the run used differ)",
        f"commit: {recorded} in the report, HEAD is {git(checkout, 'rev-parse', 'HEAD')}",
    ]
    assert len(lines) == 7
    assert lines[-1] == "out/report.json: 6 difference(s) from this working tree"


def _short(report: Path, name: str) -> str:
    plans = json.loads(report.read_text())["plans"]
    return next(p["sha256"][:12] for p in plans if p["name"] == name)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\xff", "not JSON"),
        (b'{"plans": []}', "not a plangate evidence report with pins"),
        (b'{"_type": "https://in-toto.io/Statement/v1"}', "not a plangate evidence report"),
    ],
)
def test_verify_refuses_what_is_not_a_report_in_one_line(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    (tmp_path / "bad.json").write_bytes(content)
    done = plangate(tmp_path, "evidence", "verify", "bad.json")
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("plangate: error: bad.json: ") and reason in line
    assert "expected the report.json that `plangate evidence` writes" in line


def test_evidence_with_plans_still_works_beside_verify(checkout: Path) -> None:
    done = plangate(checkout, "evidence", "plans/prod.json", "--output", "again/report.html")
    assert done.returncode == 0, done.stdout + done.stderr
    again = json.loads((checkout / "again/report.json").read_text())
    assert [p["name"] for p in again["plans"]] == ["plans/prod.json"]
    missing = plangate(checkout, "evidence", "verify")
    assert missing.returncode == 2 and "REPORT" in missing.stderr


def test_an_unwritable_attestation_fails_the_run_in_one_line(project: Path, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    done = subprocess.run(
        [
            sys.executable, "-m", "pytest", "rules", "-q", "-p", "no:cacheprovider",
            f"--evidence={tmp_path / 'r.html'}",
            f"--evidence-attestation={tmp_path / 'blocker' / 's.json'}",
        ],
        cwd=project, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout
    (error,) = done.stderr.splitlines()
    assert error.startswith(
        f"plangate: error: {tmp_path / 'blocker' / 's.json'}: cannot write the evidence there ("
    )
    # the reports were replaced whole, and no temporary file is left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "r.html", "r.json", "r.md"]
