"""Pins: the commit and whether the tree was dirty, file hashes and their bases, and the
settings table's canonical hash."""

from __future__ import annotations

import hashlib
import subprocess
import tomllib
from pathlib import Path

import pytest

from plangate.evidence.pins import PACKAGE, file_pin, git_state, pinned_path, settings_digest


def _git(root: Path, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=root, check=True, capture_output=True)


def test_the_settings_hash_ignores_order_and_comments_but_not_values() -> None:
    first = tomllib.loads('a = 1\nb = ["x", "y"]\n[env.prod]\nc = true\n')
    second = tomllib.loads('b = ["x", "y"]  # kept\na = 1\n\n[env.prod]\nc = true\n')
    assert settings_digest(first) == settings_digest(second)
    assert settings_digest(first) != settings_digest({**first, "a": 2})
    assert settings_digest(first) != settings_digest({**first, "b": ["y", "x"]})
    canonical = '{"a":1,"b":["x","y"],"env":{"prod":{"c":true}}}'
    assert settings_digest(first) == hashlib.sha256(canonical.encode()).hexdigest()


def test_toml_dates_hash_as_iso_text() -> None:
    table = tomllib.loads("expires = 2027-06-30\nat = 2026-01-01T10:00:00Z\n")
    text = '{"at":"2026-01-01T10:00:00+00:00","expires":"2027-06-30"}'
    assert settings_digest(table) == hashlib.sha256(text.encode()).hexdigest()


def test_a_folder_outside_git_records_why_there_is_no_commit(tmp_path: Path) -> None:
    assert git_state(tmp_path) == (None, None, "not a git checkout")


def test_without_git_the_run_records_that(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert git_state(tmp_path) == (None, None, "git is not installed")


def test_a_checkout_records_its_commit_and_only_tracked_changes_make_it_dirty(
    tmp_path: Path,
) -> None:
    (tmp_path / "policy.py").write_text("x = 1\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    (tmp_path / "plan.json").write_text("{}")  # untracked, as CI's plan is
    assert git_state(tmp_path) == (head, False, "checkout")
    (tmp_path / "policy.py").write_text("x = 2\n")
    assert git_state(tmp_path) == (head, True, "checkout")


def test_pins_name_files_from_the_project_root_or_the_plangate_package(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    own = tmp_path / "rules" / "a.py"
    own.write_bytes(b"a")
    pin = file_pin(own, tmp_path)
    assert (pin.path, pin.base) == ("rules/a.py", "project")
    assert pin.sha256 == hashlib.sha256(b"a").hexdigest()
    assert pinned_path(pin, tmp_path) == own
    packaged = file_pin(PACKAGE / "files.py", tmp_path)
    assert (packaged.path, packaged.base) == ("files.py", "plangate")
    assert pinned_path(packaged, tmp_path) == PACKAGE / "files.py"
    elsewhere = file_pin(own, tmp_path / "rules" / "other")
    assert (elsewhere.path, elsewhere.base) == (own.as_posix(), "absolute")
    assert pinned_path(elsewhere, Path("/nowhere")) == own
