"""Inner pytest sessions over this repository with an inventory, read back from JUnit XML.

The conformance tests run pytest the way CI would (`pytest policies --cai-export PATH`), in a
subprocess so the catalogue it loads never leaks into the outer session. Sessions start in the
background (`InnerRun`) so a test module can overlap the few it needs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXPORT = REPO / "infrastructure" / "inventory" / "prod.ndjson"
PLAN = REPO / "infrastructure" / "plans" / "prod.json"
GENERATOR = REPO / "infrastructure" / "scripts" / "generate_inventory.py"
NO_INVENTORY = "no inventory: pass --cai-project or --cai-export"


@dataclass(frozen=True)
class Case:
    """One test of the inner session: its outcome and the text pytest reported for it."""

    classname: str
    name: str
    outcome: str
    text: str


@dataclass(frozen=True, repr=False)
class Session:
    returncode: int
    output: str
    cases: tuple[Case, ...]

    def __repr__(self) -> str:  # assertion messages stay short
        return f"<inner pytest: exit {self.returncode}, {len(self.cases)} tests>"

    def named(self, suffix: str = "[inventory]") -> dict[str, Case]:
        """The tests whose name ends with `suffix`, by name."""
        return {case.name: case for case in self.cases if case.name.endswith(suffix)}

    def outcomes(self, suffix: str = "[inventory]") -> dict[str, str]:
        return {name: case.outcome for name, case in self.named(suffix).items()}


class InnerRun:
    """`python -m pytest ARGS` in the repository, started at once; `result()` waits for it."""

    def __init__(self, folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.report = folder / "junit.xml"
        self.log = folder / "output.txt"
        command = [sys.executable, "-m", "pytest", *args, "-rA", "-p", "no:cacheprovider"]
        command += ["-p", "no:hypothesispytest", "--assert=plain", f"--junitxml={self.report}"]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        environment.update(env or {})
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT, text=True
            )
        self._result: Session | None = None

    def result(self) -> Session:
        if self._result is None:
            returncode = self.process.wait(timeout=600)
            output = self.log.read_text()
            cases = _cases(self.report) if self.report.is_file() else ()
            self._result = Session(returncode, output, cases)
        return self._result

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run(folder: Path, *args: str, env: dict[str, str] | None = None) -> Session:
    return InnerRun(folder, *args, env=env).result()


def _cases(report: Path) -> tuple[Case, ...]:
    found = []
    for element in ET.parse(report).iter("testcase"):
        outcome, text = "passed", ""
        for kind in ("failure", "error", "skipped"):
            child = element.find(kind)
            if child is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[kind]
                text = child.text or child.get("message") or ""  # the text holds the message
                break
        found.append(Case(element.get("classname", ""), element.get("name", ""), outcome, text))
    return tuple(found)


def clean_export(folder: Path) -> Path:
    """The demo export without its planted drift, as the generator writes it."""
    target = folder / "clean.ndjson"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--clean", str(target)],
        cwd=REPO, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return target


def without_iam(folder: Path) -> Path:
    """The demo export with its resources only: `--content-type=resource` alone."""
    target = folder / "resources-only.ndjson"
    lines = EXPORT.read_text().splitlines(keepends=True)
    kept = [line for line in lines if '"iam_policy"' not in line]
    assert 0 < len(kept) < len(lines)
    target.write_text("".join(kept))
    return target


def truncated(folder: Path) -> Path:
    """The demo export cut off in the middle of a record, as an interrupted copy leaves it."""
    target = folder / "truncated.ndjson"
    data = EXPORT.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    assert not target.read_bytes().endswith(b"\n")
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
