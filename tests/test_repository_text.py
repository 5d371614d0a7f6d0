"""The repository speaks for itself: its text cites only what it contains.

Every text file git tracks is read. None may use the word spelled s-e-e-d (the name of a
planning document that is not part of the repository), in any case or form: a word that starts
with it (plural, past tense, upper case, or an identifier part after ``_``), or a camelCase part.
Lower-case letters before it do not count, so the Google API field ``databaseEdition`` is not a
hit. Nor may a file point at files that only exist outside the repository: a sibling ``shared``
folder, the markdown notes of a ``research`` folder, or the checkpoint file of a phase.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Letters in classes, so that this file does not match itself.
RETIRED_WORD = re.compile(rb"(?<![A-Za-z])[Ss][Ee][Ee][Dd]|(?<=[a-z])S[Ee][Ee][Dd]")
OUTSIDE = re.compile(rb"\.\./shared|research/[\w.*-]*\.md|phase[-_ ]checkpoin[t]")


@cache
def tracked_text() -> tuple[tuple[str, bytes], ...]:
    """(path, content) of every tracked file that is text; binaries (a NUL byte) are left out."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"not a git checkout ({error}): nothing to list")
    files = []
    for name in sorted(filter(None, listed.decode("utf-8").split("\0"))):
        path = REPO / name
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        content = path.read_bytes()
        if b"\0" not in content[:8192]:
            files.append((name, content))
    return tuple(files)


def hits(pattern: re.Pattern[bytes]) -> list[str]:
    """file:line and the line, for every line of every tracked text file the pattern matches."""
    found = []
    for name, content in tracked_text():
        if pattern.search(content) is None:
            continue
        for number, line in enumerate(content.splitlines(), 1):
            if pattern.search(line):
                text = line.decode("utf-8", "replace").strip()
                found.append(f"{name}:{number}: {text[:160]}")
    return found


def test_the_text_is_read() -> None:
    names = {name for name, _ in tracked_text()}
    assert {"README.md", "pyproject.toml", "infrastructure/scripts/generate_inventory.py"} <= names
    assert "infrastructure/inventory/prod.ndjson" in names  # holds databaseEdition


def test_no_file_uses_the_retired_word() -> None:
    found = hits(RETIRED_WORD)
    assert not found, (
        f"{len(found)} line(s) use the retired word (see this module's docstring); say what is "
        "meant instead (a requirement id of docs/requirements.md, planted, key, ...):\n"
        + "\n".join(found)
    )


def test_no_file_points_outside_the_repository() -> None:
    found = hits(OUTSIDE)
    assert not found, (
        f"{len(found)} line(s) cite files outside the repository; move the facts into the docs "
        "(docs/peers.md for the peer tools) and cite those:\n" + "\n".join(found)
    )


def test_the_patterns_match_what_they_should() -> None:
    word = b"s" + b"eed"
    for text in (
        word,
        word.upper() + b"S",
        word.title() + b":",
        b"apply_" + word,
        b"x" + word.title(),
    ):
        assert RETIRED_WORD.search(text), text
    for text in (b"databaseEdition", b"lin" + word):
        assert RETIRED_WORD.search(text) is None, text
    for text in (b"../" + b"shared/x", b"research/" + b"checkov.md", b"phase-" + b"checkpoint"):
        assert OUTSIDE.search(text), text
    assert OUTSIDE.search(b"docs/peers.md") is None
