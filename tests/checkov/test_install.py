"""Installing checkov into its own virtualenv: where, once, and again after an interruption."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pytest

from plangate.checkov import PINNED, CheckovError, cache_dir, env_dir, install, installer
from plangate.checkov.installer import MARKER, executable_in, installed_version
from plangate.checkov.locate import Checkov
from tests.checkov.fakes import fake_checkov


def test_the_cache_folder_is_plangate_cache_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANGATE_CACHE", str(tmp_path / "own"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "own"
    monkeypatch.delenv("PLANGATE_CACHE")
    assert cache_dir() == tmp_path / "xdg" / "plangate"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "plangate"
    assert env_dir() == cache_dir() / f"checkov-{PINNED}"


def test_the_real_install_is_verified_and_reused(checkov: Checkov):
    env = env_dir()
    assert checkov.path == executable_in(env)
    assert (env / MARKER).read_text("utf-8").strip() == PINNED == checkov.version
    assert install() == checkov.path  # a second call only looks at the marker


@pytest.fixture
def fake_steps(monkeypatch, tmp_path):
    """Replace venv and pip with steps that build a fake checkov; record what ran."""
    monkeypatch.setenv("PLANGATE_CACHE", str(tmp_path / "cache"))
    ran: list[str] = []

    def step(command: list[str], what: str) -> None:
        ran.append(what)
        if what == "python -m venv":
            fake_checkov(executable_in(Path(command[-1])).parent, "exit 0")

    monkeypatch.setattr(installer, "_step", step)
    return ran


def test_an_interrupted_install_is_removed_and_made_again(fake_steps, capsys):
    env = env_dir()
    (env / "lib").mkdir(parents=True)
    (env / "lib" / "half-written.py").write_text("", "utf-8")
    assert installed_version(env) is None

    assert install() == executable_in(env)
    assert fake_steps == ["python -m venv", "pip install"]
    assert not (env / "lib").exists()
    assert installed_version(env) == PINNED
    assert "removing an unfinished checkov install" in capsys.readouterr().err

    install()
    assert fake_steps == ["python -m venv", "pip install"]  # idempotent


def test_a_wrong_version_after_install_is_an_error_and_leaves_no_marker(fake_steps):
    with pytest.raises(CheckovError, match=r"reports version '3\.3\.30', expected 9\.9\.9"):
        install("9.9.9")
    assert installed_version(env_dir("9.9.9")) is None


def test_a_failing_step_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANGATE_CACHE", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with pytest.raises(CheckovError) as raised:
        install()
    assert str(raised.value).startswith("checkov install failed: python -m venv did not run")
    assert "\n" not in str(raised.value)


def test_checkov_s_hcl2_stays_out_of_plangate_s_environment(checkov):
    """bc-python-hcl2 would replace the `hcl2` module plangate reads HCL with."""
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution("bc-python-hcl2")
    assert metadata.version("python-hcl2").startswith("8.")
    assert not metadata.packages_distributions().get("checkov")
