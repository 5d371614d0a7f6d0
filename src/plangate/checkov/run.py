"""checkov on a plan file and on a configuration directory, each as one process.

The plan is read here first and handed to checkov as a copy: plangate refuses what checkov
would silently pass (a missing file, a file that is not JSON or not a plan exits 0 from
checkov), and checkov judges exactly the bytes plangate read.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from plangate.checkov.errors import CheckovError
from plangate.checkov.locate import Checkov
from plangate.checkov.output import Scan, read_answer
from plangate.checkov.process import run as run_checkov
from plangate.checkov.ratings import RATED

DEFAULT_TIMEOUT = 600.0
"""Seconds; checkov needs about 5 s for a 1,000-resource plan and minutes for 10,000."""

_COMMON = ("--skip-download", "-o", "json", "--compact")


def run_on_plan(
    plan_path: str | Path,
    *,
    checkov: Checkov,
    config_dir: str | Path | None = None,
    checks: Sequence[str] | None = RATED,
    timeout: float = DEFAULT_TIMEOUT,
    sha256: str | None = None,
) -> Scan:
    """checkov's terraform_plan checks on one plan file.

    `config_dir`, the HCL the plan was made from, lets checkov report `#checkov:skip`
    comments. `checks` selects check ids (default: the ones plangate rates; None: all).
    `sha256`, when given, must be the hash of the file plangate judged.
    """
    path = Path(plan_path)
    data = _read(path)
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise CheckovError(f"checkov: {path} changed after plangate read it; run the gate again")
    text = _text(data, path)
    planned = _planned_resources(text, path)
    with tempfile.TemporaryDirectory(prefix="plangate-checkov-") as folder:
        workdir = Path(folder)
        copy = workdir / "plan.json"
        copy.write_text(text, "utf-8")
        arguments = ["-f", str(copy), "--framework", "terraform_plan"]
        if config_dir is not None:
            arguments += ["--repo-root-for-plan-enrichment", str(_directory(config_dir))]
        scan = _scan(checkov, arguments, checks, workdir, timeout, "terraform_plan", str(path))
    if planned and scan.resource_count == 0:
        raise CheckovError(f"checkov scanned no resource of {path}, which plans {planned}")
    return scan


def run_on_directory(
    config_dir: str | Path,
    *,
    checkov: Checkov,
    checks: Sequence[str] | None = RATED,
    timeout: float = DEFAULT_TIMEOUT,
) -> Scan:
    """checkov's terraform (HCL) checks on a configuration directory and the local modules it
    calls. Needed for the checks checkov never runs on plans (lifecycle blocks)."""
    directory = _directory(config_dir)
    with tempfile.TemporaryDirectory(prefix="plangate-checkov-") as folder:
        arguments = ["-d", str(directory), "--framework", "terraform"]
        return _scan(checkov, arguments, checks, Path(folder), timeout, "terraform", str(directory))


def _scan(
    checkov: Checkov,
    arguments: list[str],
    checks: Iterable[str] | None,
    workdir: Path,
    timeout: float,
    check_type: str,
    target: str,
) -> Scan:
    selected = ["--check", ",".join(checks)] if checks is not None else []
    answer = run_checkov(
        checkov.path,
        [*arguments, *_COMMON, *selected],
        workdir=workdir,
        timeout=timeout,
        target=target,
    )
    return read_answer(answer, check_type=check_type, target=target)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CheckovError(f"checkov: plan file {path} not found") from None
    except OSError as error:
        raise CheckovError(f"checkov: cannot read plan file {path} ({error.strerror})") from None


def _text(data: bytes, path: Path) -> str:
    """The plan as text, as plangate reads it: UTF-8, -16 or -32, with or without a byte
    order mark (checkov gets plain UTF-8)."""
    try:
        return data.decode(json.detect_encoding(data))
    except UnicodeDecodeError:
        raise CheckovError(f"checkov: {path} is not JSON text (not UTF-8, -16 or -32)") from None


def _planned_resources(text: str, path: Path) -> int:
    """How many resources `planned_values` holds: the only part of a plan checkov checks."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        raise CheckovError(
            f"checkov: {path} is not JSON; give the output of `terraform show -json`"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("planned_values"), dict):
        raise CheckovError(f"checkov: {path} is not a Terraform plan (no planned_values)")
    if "terraform_version" not in document:
        raise CheckovError(f"checkov: {path} is not a Terraform plan (no terraform_version)")
    return _count(document["planned_values"].get("root_module"))


def _count(module: Any) -> int:
    if not isinstance(module, Mapping):
        return 0
    resources = module.get("resources")
    children = module.get("child_modules")
    own = len(resources) if isinstance(resources, list) else 0
    return own + sum(_count(child) for child in (children if isinstance(children, list) else ()))


def _directory(config_dir: str | Path) -> Path:
    directory = Path(config_dir).resolve()
    if not directory.is_dir():
        raise CheckovError(f"checkov: configuration directory {directory} not found")
    return directory
