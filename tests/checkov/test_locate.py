"""Finding checkov: $PLANGATE_CHECKOV, then the installed virtualenv, then PATH; version 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.checkov import CheckovError, find_checkov
from plangate.checkov.locate import ENV_VAR
from plangate.errors import PlanGateError
from tests.checkov.fakes import fake_checkov


@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    """No checkov anywhere: an empty cache folder, a PATH without checkov, no variable."""
    monkeypatch.setenv("PLANGATE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return tmp_path


def test_not_found_says_how_to_install(nowhere):
    with pytest.raises(CheckovError) as raised:
        find_checkov()
    assert str(raised.value) == (
        "checkov not found: run `plangate checkov-install`, "
        "or set PLANGATE_CHECKOV to a checkov 3.x executable"
    )
    assert isinstance(raised.value, PlanGateError)
    assert raised.value.exit_code == 2


def test_the_variable_wins_and_is_reported(nowhere, monkeypatch):
    path = fake_checkov(nowhere / "explicit", "exit 0", version="3.4.1")
    fake_checkov(nowhere / "empty-bin", "exit 0")
    monkeypatch.setenv(ENV_VAR, str(path))
    found = find_checkov()
    assert (found.path, found.version, found.source) == (path, "3.4.1", ENV_VAR)
    assert found.describe() == f"checkov 3.4.1 ({path}, from PLANGATE_CHECKOV)"


def test_path_is_the_last_resort(nowhere):
    path = fake_checkov(nowhere / "empty-bin", "exit 0")
    found = find_checkov()
    assert (found.path, found.source) == (path, "PATH")


def test_the_installed_environment_comes_before_path(checkov, monkeypatch, tmp_path):
    fake_checkov(tmp_path / "bin", "exit 0", version="3.0.0")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_checkov() == checkov
    assert checkov.source == "plangate checkov-install"


def test_a_variable_naming_nothing_is_an_error_not_a_fallback(nowhere, monkeypatch):
    fake_checkov(nowhere / "empty-bin", "exit 0")
    monkeypatch.setenv(ENV_VAR, str(nowhere / "missing" / "checkov"))
    with pytest.raises(
        CheckovError, match=r"^PLANGATE_CHECKOV names .*, which is not an executable"
    ):
        find_checkov()


@pytest.mark.parametrize(
    ("version", "shown"), [("2.5.3", "'2.5.3'"), ("not a version", "'not a version'")]
)
def test_a_version_other_than_3_is_refused(nowhere, monkeypatch, version, shown):
    monkeypatch.setenv(ENV_VAR, str(fake_checkov(nowhere / "old", "exit 0", version=version)))
    with pytest.raises(CheckovError) as raised:
        find_checkov()
    assert f"reports version {shown}; plangate needs checkov 3.x" in str(raised.value)


def test_a_crashing_version_query_is_one_line(nowhere, monkeypatch):
    path = nowhere / "broken" / "checkov"
    fake_checkov(path.parent, "exit 0")
    path.write_text(
        "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
        "echo 'ImportError: no module named hcl2' >&2\nexit 1\n",
        "utf-8",
    )
    monkeypatch.setenv(ENV_VAR, str(path))
    with pytest.raises(CheckovError) as raised:
        find_checkov()
    assert str(raised.value) == f"{path} --version exited 1: ImportError: no module named hcl2"


def test_found_checkov_is_real(checkov):
    assert checkov.version == "3.3.30"
    assert Path(checkov.path).is_file()
