"""Run checkov as a process, isolated from the user's checkov settings, and judge how it ended.

checkov reads `.checkov.yaml` from the working and home directories and options from `CKV_*`
and `BC_*` variables; any of them could switch checks off or soften failures. It runs in an
empty temporary folder as its working and home directory, without those variables, so what it
checks is what plangate asked for.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from plangate.checkov.errors import CheckovError

_FOREIGN = ("CKV_", "BC_", "CHECKOV_", "PRISMA_")
SETTINGS = {
    "CKV_PARSE_ERROR_FAIL": "true",
    # Above this size checkov parses a plan with json.loads instead of its line-tracking YAML
    # loader: the same findings in about half the time, with line numbers plangate never uses.
    "CHECKOV_MAX_IAC_FILE_SIZE": "0",
}


@dataclass(frozen=True, slots=True)
class Answer:
    """What checkov wrote and how it exited."""

    stdout: str
    stderr: str
    returncode: int


def last_line(text: str) -> str:
    """The last non-empty line: the part of a stack trace or log that says what happened."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def environment(home: Path) -> dict[str, str]:
    """The caller's environment without checkov's own settings, plus plangate's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_FOREIGN)}
    env.update(SETTINGS)
    env["HOME"] = env["USERPROFILE"] = str(home)
    return env


def run(
    executable: Path, arguments: Sequence[str], *, workdir: Path, timeout: float, target: str
) -> Answer:
    """Run checkov in `workdir`; only exit 0 (no failed check) and 1 (failed checks) are
    answers, anything else is a CheckovError naming `target` and checkov's last words."""
    try:
        process = subprocess.Popen(
            [str(executable), *arguments],
            cwd=workdir,
            env=environment(workdir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        raise CheckovError(f"checkov at {executable} could not run: {error.strerror}") from None
    with process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise CheckovError(f"checkov timed out after {timeout:g} s on {target}") from None
    if process.returncode not in (0, 1):
        words = last_line(stderr) or last_line(stdout) or "no output"
        raise CheckovError(f"checkov crashed on {target} (exit {process.returncode}): {words}")
    return Answer(stdout, stderr, process.returncode)


def _kill(process: subprocess.Popen[str]) -> None:
    """Kill checkov and any worker it started (its own session), then reap it."""
    if hasattr(os, "killpg"):
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.communicate()


def reported_version(executable: Path, timeout: float = 120) -> str:
    """What `checkov --version` prints (about 2 s: checkov imports everything first)."""
    try:
        done = subprocess.run(
            [str(executable), "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CheckovError(f"{executable} --version did not answer within {timeout:g} s") from None
    except OSError as error:
        raise CheckovError(f"{executable} --version could not run: {error.strerror}") from None
    if done.returncode != 0:
        words = last_line(done.stderr) or "no output"
        raise CheckovError(f"{executable} --version exited {done.returncode}: {words}")
    return last_line(done.stdout)
