"""`plangate init`: make a repository ready for plangate, without touching what is there.

It writes the `[tool.plangate]` table (a new pyproject.toml, or appended to the one there),
an example policy with its test, an example feature on the built-in steps, an empty waivers
file and a CI workflow. Everything is checked first: if any of it exists, nothing is written.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from plangate.errors import InputError
from plangate.files import write_atomically

PYPROJECT = "pyproject.toml"

#: Where each template goes in the repository.
FILES: dict[str, str] = {
    "policies/local.py": "local.py",
    "policies/waivers.yaml": "waivers.yaml",
    "tests/test_local_policies.py": "test_local_policies.py",
    "features/storage.feature": "storage.feature",
    ".github/workflows/plangate.yml": "workflow.yml",
}


@dataclass(frozen=True, slots=True)
class Scaffolded:
    """What init wrote, relative to the repository root."""

    created: tuple[str, ...]
    extended: tuple[str, ...]


def _template(name: str) -> str:
    return resources.files("plangate.scaffold").joinpath("templates", name).read_text("utf-8")


def init(root: Path) -> Scaffolded:
    """Scaffold `root`; refuse, writing nothing, if any target exists already."""
    if not root.is_dir():
        raise InputError(f"{root}: not a directory; expected the root of a repository")
    pyproject = root / PYPROJECT
    existing = [target for target in FILES if (root / target).exists()]
    if pyproject.exists() and _has_plangate_table(pyproject):
        existing.append(f"{PYPROJECT} [tool.plangate]")
    if existing:
        raise InputError(
            f"plangate init refuses to overwrite what exists in {root}: {', '.join(existing)}; "
            "nothing was written"
        )
    for target, template in FILES.items():
        _write_new(root / target, _template(template))
    table = _template("pyproject-table.toml")
    if pyproject.exists():
        text = pyproject.read_text("utf-8")
        extended = text + ("" if text.endswith("\n") else "\n") + table
        write_atomically(pyproject, extended, what="the [tool.plangate] table")
        return Scaffolded(created=tuple(FILES), extended=(PYPROJECT,))
    _write_new(pyproject, table.lstrip("\n"))
    return Scaffolded(created=(*FILES, PYPROJECT), extended=())


def _has_plangate_table(pyproject: Path) -> bool:
    try:
        document = tomllib.loads(pyproject.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(
            f"{pyproject}: cannot read it to add [tool.plangate] ({error}); fix it first"
        ) from None
    return "plangate" in document.get("tool", {})


def _write_new(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{path.parent}: cannot create the folder ({error.strerror})") from None
    write_atomically(path, text, what="the scaffolded file")
