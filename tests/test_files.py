"""Reports are replaced in one step: a failed write leaves the previous report whole and no
temporary file behind (docs/reliability.md, "Nothing lost")."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from plangate.errors import InputError
from plangate.files import write_atomically


def test_the_report_is_written_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomically(target, "é" * 3)
    assert target.read_bytes() == "ééé".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    target = tmp_path / "report.bin"
    write_atomically(target, b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


def test_a_full_disk_keeps_the_previous_report_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("previous run\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError) as caught:
        write_atomically(target, "x" * 100_000)
    assert str(caught.value) == f"{target}: cannot write the report (No space left on device)"
    assert target.read_text() == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"]


def test_an_interruption_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("previous run\n")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new")
    assert target.read_text() == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_missing_folder_is_one_line_naming_the_path(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "report.md"
    with pytest.raises(InputError) as caught:
        write_atomically(target, "x", what="the evidence")
    assert str(caught.value) == f"{target}: cannot write the evidence (No such file or directory)"


def test_an_existing_report_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_report_is_readable_as_the_umask_allows(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "report.json", "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o644
