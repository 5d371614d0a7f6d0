"""Which checkov runs: $PLANGATE_CHECKOV, else `plangate checkov-install`'s, else PATH's.

An explicit $PLANGATE_CHECKOV that does not work is an error, never a reason to fall back:
the user asked for that one. Every candidate must report a checkov 3 version, because the
severity and overlap tables name checkov 3's check ids.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from plangate.checkov.errors import CheckovError
from plangate.checkov.installer import PINNED, env_dir, executable_in, installed_version
from plangate.checkov.process import reported_version

ENV_VAR = "PLANGATE_CHECKOV"
SUPPORTED_MAJOR = 3


@dataclass(frozen=True, slots=True)
class Checkov:
    """A checkov executable, the version it reports and how plangate found it."""

    path: Path
    version: str
    source: str

    def describe(self) -> str:
        return f"checkov {self.version} ({self.path}, from {self.source})"


def find_checkov() -> Checkov:
    """The checkov to run, its version checked; a one-line CheckovError when there is none."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        path = Path(explicit).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise CheckovError(f"{ENV_VAR} names {path}, which is not an executable file")
        return Checkov(path, _checked(path, reported_version(path)), ENV_VAR)
    env = env_dir(PINNED)
    recorded = installed_version(env)
    if recorded is not None:
        return Checkov(executable_in(env), _checked(env, recorded), "plangate checkov-install")
    on_path = shutil.which("checkov")
    if on_path is not None:
        path = Path(on_path)
        return Checkov(path, _checked(path, reported_version(path)), "PATH")
    raise CheckovError(
        "checkov not found: run `plangate checkov-install`, "
        f"or set {ENV_VAR} to a checkov {SUPPORTED_MAJOR}.x executable"
    )


def _checked(where: Path, reported: str) -> str:
    try:
        version = Version(reported)
    except InvalidVersion:
        version = None
    if version is None or version.major != SUPPORTED_MAJOR:
        shown = reported[:80] or "nothing"
        raise CheckovError(
            f"{where} reports version {shown!r}; plangate needs checkov {SUPPORTED_MAJOR}.x "
            "(`plangate checkov-install` installs one)"
        )
    return str(version)
