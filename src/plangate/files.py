"""Writing reports so that a reader never sees half of one.

A report is written to a temporary file in the destination's own folder, flushed to disk and
renamed over the destination. The rename is atomic on POSIX file systems and on Windows
(`os.replace`): an interrupted run, a full disk or a killed process leaves either the previous
report or the new one, never a truncated file, and never a stray temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from plangate.errors import InputError


def write_atomically(path: Path, content: str | bytes, *, what: str = "the report") -> None:
    """Replace `path` with `content` in one step, or leave it as it was and say why.

    Text is written as UTF-8. A failure (no such folder, no permission, disk full) is an
    InputError naming the path and the reason, so the command exits 2 with one line.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise InputError(f"{path}: cannot write {what} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(_mode_for(path))
        Path(temporary).replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise InputError(f"{path}: cannot write {what} ({error.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing report's permissions; a new one gets the usual umask-derived mode
    (mkstemp alone would make it readable by its owner only)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
