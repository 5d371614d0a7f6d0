"""Project settings from `[tool.plangate]` in pyproject.toml, shared by the CLI and pytest."""

from __future__ import annotations

import glob
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from plangate.errors import InputError

PYPROJECT = "pyproject.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """What a project configured; paths in it are relative to `root`."""

    root: Path
    plans: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def plan_paths(
        self, patterns: tuple[str, ...] | None = None, *, cwd: Path | None = None
    ) -> tuple[Path, ...]:
        """Expand plan patterns; a pattern that matches nothing is an error, not an empty gate.

        The configured `plans` resolve against the project root and come back absolute.
        Command-line `patterns` resolve against `cwd` (the process's working directory unless
        given), as any file argument does, and come back as typed: relative to `cwd` when the
        pattern is relative. Globs expand in both.
        """
        if patterns is None:
            return _expand(self.plans, self.root, absolute=True)
        return _expand(patterns, Path.cwd() if cwd is None else cwd, absolute=cwd is not None)


def _expand(patterns: tuple[str, ...], base: Path, *, absolute: bool) -> tuple[Path, ...]:
    """`patterns` against `base`, sorted within each glob, in order, without duplicates."""
    found: list[Path] = []
    for pattern in patterns:
        if pattern == "-":
            found.append(Path(pattern))
            continue
        if Path(pattern).is_absolute():
            matches = (
                sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
            )
        elif glob.has_magic(pattern):
            matches = sorted(glob.glob(pattern, root_dir=base, recursive=True))
        else:
            matches = [pattern]
        if not matches:
            raise InputError(f"plan pattern {pattern!r} matches no file under {base}")
        found.extend(
            base / match if absolute and not Path(match).is_absolute() else Path(match)
            for match in matches
        )
    return tuple(dict.fromkeys(found))


def find_settings(start: Path) -> Settings:
    """Use the nearest pyproject.toml at or above `start`; none means empty settings there."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / PYPROJECT
        if candidate.is_file():
            return read_settings(candidate)
    return Settings(root=start.resolve())


def read_settings(pyproject: Path) -> Settings:
    try:
        document = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(
            f"{pyproject}: cannot read [tool.plangate] ({_first_line(error)})"
        ) from None
    table = document.get("tool", {}).get("plangate", {})
    if not isinstance(table, dict):
        raise InputError(f"{pyproject}: [tool.plangate] must be a table")
    _check_table(pyproject, table)
    plans = table.get("plans", [])
    if isinstance(plans, str):
        plans = [plans]
    return Settings(
        root=pyproject.parent.resolve(), plans=tuple(plans), raw=MappingProxyType(table)
    )


def _is_path_list(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    )


def _is_path(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


_CONFORMANCE_KEYS = {"plans": _is_path_list, "states": _is_path_list, "inventory": _is_path}


def _is_conformance_table(value: Any) -> bool:
    return isinstance(value, dict) and all(
        key in _CONFORMANCE_KEYS and _CONFORMANCE_KEYS[key](item) for key, item in value.items()
    )


#: Every key of [tool.plangate], what it must be, and how to say so. A wrong type must stop
#: the run: a `config` the gate silently ignored would switch a control off.
_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "plans": (_is_path_list, "a list of paths or globs"),
    "policies": (_is_path_list, "a list of directories"),
    "checkov": (
        lambda value: isinstance(value, bool),
        "true or false (run checkov beside the catalogue)",
    ),
    "disable": (
        lambda value: isinstance(value, list) and all(isinstance(i, str) for i in value),
        "a list of policy ids to switch off",
    ),
    "config": (_is_path, "a directory path (it may contain {environment})"),
    "waivers": (_is_path, "a file path"),
    "features": (_is_path, "a directory path"),
    "tc_features": (
        _is_path_list,
        "a list of paths or globs (feature files or folders in terraform-compliance's dialect)",
    ),
    "requirements": (_is_path, "a Markdown file path"),
    "policy": (lambda value: isinstance(value, dict), "a table of policy settings"),
    "conformance": (
        _is_conformance_table,
        "a table of plans, states (lists of paths) and inventory (a path)",
    ),
    "environments": (
        lambda value: isinstance(value, dict) and all(isinstance(t, dict) for t in value.values()),
        "a table of environment tables",
    ),
}


def _check_table(pyproject: Path, table: dict[str, Any]) -> None:
    for key, value in table.items():
        if key not in _KEYS:
            known = ", ".join(_KEYS)
            raise InputError(f"{pyproject}: unknown key {key!r} in [tool.plangate]; known: {known}")
        valid, expected = _KEYS[key]
        if not valid(value):
            raise InputError(f"{pyproject}: [tool.plangate] {key} must be {expected}")
    template = table.get("config")
    if isinstance(template, str):
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        if names - {"environment"}:
            raise InputError(
                f"{pyproject}: [tool.plangate] config may use only the {{environment}} placeholder"
            )


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
