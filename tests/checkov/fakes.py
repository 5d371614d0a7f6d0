"""Stand-ins for checkov: shell scripts that answer `--version` and then misbehave."""

from __future__ import annotations

import json
import stat
from pathlib import Path

VERSION = "3.3.30"


def fake_checkov(directory: Path, body: str, *, version: str = VERSION) -> Path:
    """An executable `checkov` in `directory` that prints `version` for --version and
    otherwise runs `body` (POSIX shell)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "checkov"
    path.write_text(
        f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi\n{body}\n',
        "utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def answering(directory: Path, document: object, *, exit_code: int = 0) -> Path:
    """A fake checkov that prints `document` as JSON and exits with `exit_code`."""
    text = json.dumps(document).replace("'", "'\\''")
    return fake_checkov(directory, f"printf '%s\\n' '{text}'\nexit {exit_code}")


CRASH = """\
echo 'Traceback (most recent call last):' >&2
echo '  File "checkov/main.py", line 1, in run' >&2
echo 'RuntimeError: graph build failed' >&2
exit 2"""
