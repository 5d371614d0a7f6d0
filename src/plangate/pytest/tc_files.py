"""Which `*.feature` files are in terraform-compliance's dialect, for the two feature collectors.

A file is in the dialect when its Feature line carries `@terraform-compliance`, or when it lies
under a `[tool.plangate] tc_features` path (files or folders, globs allowed, relative to the
project root). plangate's tc engine runs those files (plangate.pytest.tc_items); plangate's
step-library collector (plangate.bdd.collect) leaves them alone, so each file is collected
exactly once. Both read the answer from here; this module imports neither of them.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from plangate.errors import InputError
from plangate.pytest.session import session_settings, usage_error
from plangate.settings import PYPROJECT
from plangate.tc.features import feature_tags

TC_TAG = "terraform-compliance"
"""The Feature-line tag (`@terraform-compliance`) that hands a file to the tc engine."""
_TC_PATHS = pytest.StashKey[tuple[Path, ...]]()
_TAGGED = pytest.StashKey[dict[Path, bool]]()


def tc_feature_paths(config: pytest.Config) -> tuple[Path, ...]:
    """`[tool.plangate] tc_features` expanded and resolved; a pattern that matches nothing is a
    usage error (a folder of checks that silently ran nothing would switch them off)."""
    if _TC_PATHS not in config.stash:
        settings = session_settings(config)
        configured = settings.raw.get("tc_features", [])
        patterns = [configured] if isinstance(configured, str) else list(configured)
        found: list[Path] = []
        for pattern in patterns:
            if glob.has_magic(pattern):
                matches = sorted(glob.glob(pattern, root_dir=settings.root, recursive=True))
            else:
                matches = [pattern] if (settings.root / pattern).exists() else []
            if not matches:
                usage_error(
                    config,
                    f"{settings.root / PYPROJECT}: [tool.plangate] tc_features {pattern!r} "
                    f"matches nothing under {settings.root}",
                )
            found.extend((settings.root / match).resolve() for match in matches)
        config.stash[_TC_PATHS] = tuple(dict.fromkeys(found))
    return config.stash[_TC_PATHS]


def is_tc_feature(config: pytest.Config, file_path: Path) -> bool:
    """A `*.feature` file tagged `@terraform-compliance` or under a `tc_features` path."""
    if file_path.suffix != ".feature":
        return False
    path = file_path.resolve()
    if any(path.is_relative_to(configured) for configured in tc_feature_paths(config)):
        return True
    tagged = config.stash.setdefault(_TAGGED, {})
    if path not in tagged:
        tagged[path] = _tagged(path)
    return tagged[path]


def _tagged(path: Path) -> bool:
    try:
        if f"@{TC_TAG}" not in path.read_text(encoding="utf-8"):
            return False  # most files: no need to parse them
        return TC_TAG in feature_tags(path)
    except (OSError, UnicodeDecodeError, InputError):
        return False  # not readable as Gherkin: the step-library collector reports why
