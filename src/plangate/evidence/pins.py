"""Pin what a run applied: the commit, and the hash of every file that decided a verdict.

A report that names its plans by hash still needs the controls by hash: the same plan judged
by an edited policy or feature can pass where it failed. `git` runs locally (never fetches);
a project that is not a git checkout records that instead of a commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import plangate
from plangate.errors import InputError
from plangate.evidence.model import FilePin, Pins

SETTINGS_FORM = (
    "JSON of the [tool.plangate] table: keys sorted, separators ',' and ':' (no spaces), "
    "UTF-8 without escapes, TOML dates and times as ISO 8601 text"
)
PACKAGE = Path(plangate.__file__).resolve().parent
"""The installed plangate package: the base of pins with base `plangate`."""


def sha256_file(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def settings_digest(table: Mapping[str, Any]) -> str:
    """The settings table's hash in canonical form, so reordering or comments do not count
    as a change but any value does."""
    canonical = json.dumps(
        table,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_toml_value,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _toml_value(value: object) -> str:
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a TOML value")


def file_pin(path: Path, root: Path) -> FilePin:
    """The file's hash, named relative to the project root (or to the plangate package)."""
    resolved = path.resolve()
    try:
        digest = sha256_file(resolved)
    except OSError as error:
        raise InputError(f"{path}: cannot pin the file that ran ({error.strerror})") from None
    if resolved.is_relative_to(root):
        return FilePin(resolved.relative_to(root).as_posix(), digest)
    if resolved.is_relative_to(PACKAGE):
        return FilePin(resolved.relative_to(PACKAGE).as_posix(), digest, "plangate")
    return FilePin(resolved.as_posix(), digest, "absolute")


def pinned_path(pin: FilePin, root: Path) -> Path:
    """Where a pinned file is in this working tree (or this installation of plangate)."""
    base = {"project": root, "plangate": PACKAGE, "absolute": Path("/")}.get(pin.base)
    if base is None:
        raise InputError(f"pin {pin.path}: unknown base {pin.base!r}")
    return base / pin.path


def git_state(root: Path) -> tuple[str | None, bool | None, str]:
    """(commit, dirty, `checkout` or why there is no commit); git only reads, never fetches."""
    head = _git(root, "rev-parse", "--verify", "HEAD")
    if isinstance(head, str):
        return None, None, head
    status = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".")
    if isinstance(status, str):
        return head.stdout.strip(), None, status
    return head.stdout.strip(), bool(status.stdout.strip()), "checkout"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | str:
    """git's answer, or one line saying why there is none."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
        )
    except FileNotFoundError:
        return "git is not installed"
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"git failed: {error}"
    if done.returncode == 0:
        return done
    reason = next(iter(done.stderr.strip().splitlines()), "")
    if "not a git repository" in reason:
        return "not a git checkout"
    return f"git failed: {reason or f'exit {done.returncode}'}"


def pin_run(
    root: Path,
    *,
    policies: Iterable[Path],
    features: Iterable[Path],
    waivers: Path | None,
    requirements: Path | None,
    pyproject: Path | None,
    settings: Mapping[str, Any],
) -> Pins:
    """Every pin of one run; each file list sorted and without duplicates."""
    commit, dirty, git = git_state(root)

    def pins(paths: Iterable[Path]) -> tuple[FilePin, ...]:
        unique = {pin.path: pin for pin in (file_pin(path, root) for path in paths)}
        return tuple(unique[name] for name in sorted(unique))

    def one(path: Path | None) -> FilePin | None:
        return file_pin(path, root) if path is not None and path.is_file() else None

    return Pins(
        plangate_version=plangate.__version__,
        commit=commit,
        dirty=dirty,
        git=git,
        policies=pins(policies),
        features=pins(features),
        waivers=one(waivers),
        requirements=one(requirements),
        pyproject=one(pyproject),
        settings_sha256=settings_digest(dict(settings)),
    )
