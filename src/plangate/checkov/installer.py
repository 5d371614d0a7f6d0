"""`plangate checkov-install`: checkov in its own virtualenv in the user cache folder.

checkov must not share plangate's environment: its dependency bc-python-hcl2 installs a
top-level `hcl2` module that replaces python-hcl2's, which plangate reads HCL with, and it adds
about 260 MB. A private virtualenv keeps both apart; plangate runs checkov as a process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from plangate.checkov.errors import CheckovError
from plangate.checkov.process import reported_version

PINNED = "3.3.30"
"""The checkov release plangate's severity and overlap tables were verified against."""

MARKER = ".plangate-installed"
"""Written last, with the version, once an install has been verified; without it a folder is
the remains of an interrupted install and is made again."""


def cache_dir() -> Path:
    """$PLANGATE_CACHE, else $XDG_CACHE_HOME/plangate, else ~/.cache/plangate."""
    explicit = os.environ.get("PLANGATE_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "plangate"


def env_dir(version: str = PINNED) -> Path:
    return cache_dir() / f"checkov-{version}"


def executable_in(env: Path) -> Path:
    """The checkov script of a virtualenv, on POSIX and Windows."""
    if os.name == "nt":
        return env / "Scripts" / "checkov.exe"
    return env / "bin" / "checkov"


def installed_version(env: Path) -> str | None:
    """The version a finished install recorded, or None when the folder is not one."""
    marker = env / MARKER
    if not marker.is_file() or not executable_in(env).is_file():
        return None
    return marker.read_text("utf-8").strip() or None


def install(version: str = PINNED) -> Path:
    """Create (once) the virtualenv with checkov==version and return its checkov executable.

    Idempotent: a verified install is reused; a half-made one is removed and made again.
    Progress goes to stderr; a failure is a one-line CheckovError.
    """
    env = env_dir(version)
    if installed_version(env) == version:
        return executable_in(env)
    if env.exists():
        _say(f"removing an unfinished checkov install at {env}")
        shutil.rmtree(env)
    env.parent.mkdir(parents=True, exist_ok=True)
    _say(f"creating a virtualenv for checkov {version} at {env}")
    _step([sys.executable, "-m", "venv", str(env)], "python -m venv")
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _say(f"installing checkov=={version} (about 260 MB; usually under a minute)")
    _step(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
            f"checkov=={version}",
        ],
        "pip install",
    )
    executable = executable_in(env)
    reported = reported_version(executable)
    if reported != version:
        raise CheckovError(
            f"checkov installed at {env} reports version {reported!r}, expected {version}"
        )
    (env / MARKER).write_text(version + "\n", "utf-8")
    _say(f"checkov {version} is ready: {executable}")
    return executable


def _step(command: list[str], what: str) -> None:
    """Run an install step, copying its output to stderr; failing is a CheckovError."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
    except OSError as error:
        raise CheckovError(f"checkov install failed: {what} did not run: {error}") from None
    assert process.stdout is not None
    for line in process.stdout:
        sys.stderr.write(line)
    if process.wait() != 0:
        raise CheckovError(
            f"checkov install failed: {what} exited {process.returncode} (its output is above)"
        )


def _say(message: str) -> None:
    print(f"plangate: {message}", file=sys.stderr, flush=True)
