"""Policies are plain functions registered with a decorator that carries their metadata.

The decorator records a `PolicySpec` in a registry and returns the function unchanged, so a
policy stays an ordinary function that tests can call directly.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from plangate.errors import InputError

POLICY_ID_PATTERN = r"^PG-[A-Z0-9]+-[0-9]{3}$"
REQUIREMENT_ID_PATTERN = r"^REQ-[0-9]{3}$"


class Severity(StrEnum):
    """How bad a violation is; `--fail-on` compares by rank."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class View(StrEnum):
    """What a policy reads, and so which resources it is called for.

    AFTER: each resource whose object exists after apply (not deleted or forgotten), with the
    planned values. BEFORE: each resource that exists now, with its current values. CHANGE:
    each resource change of the types, deletes included. PLAN: once, with the whole plan.
    """

    AFTER = "after"
    BEFORE = "before"
    CHANGE = "change"
    PLAN = "plan"


@dataclass(frozen=True, slots=True)
class PolicySpec:
    """A registered policy: its identity, what it protects, and the function that checks it."""

    id: str
    title: str
    severity: Severity
    rationale: str
    resource_types: tuple[str, ...]
    view: View
    references: tuple[str, ...]
    service: str
    function: Callable[..., Iterable[Any]]
    judges_inventory: bool = False
    """Also run by `plangate conform` on the live inventory (in Terraform's shape)."""
    requirements: tuple[str, ...] = ()
    """The requirements (REQ-NNN of the project's requirements document) it enforces."""

    @property
    def source(self) -> str:
        code = getattr(self.function, "__code__", None)
        return f"{code.co_filename}:{code.co_firstlineno}" if code else self.function.__module__


class Registry:
    """Policies by id; ids are unique and stable because reports and waivers refer to them.

    The same source file imported twice (pytest may import a policy file under its own module
    name too) registers once; two different definitions of one id are an error.
    """

    def __init__(self) -> None:
        self._specs: dict[str, PolicySpec] = {}

    def add(self, spec: PolicySpec) -> None:
        existing = self._specs.get(spec.id)
        if existing is not None and existing.source != spec.source:
            raise InputError(
                f"policy id {spec.id} is defined twice ({existing.source} and {spec.source})"
            )
        if existing is None:
            self._specs[spec.id] = spec

    def get(self, policy_id: str) -> PolicySpec:
        try:
            return self._specs[policy_id]
        except KeyError:
            raise InputError(
                f"no policy with id {policy_id!r}; `plangate policies` lists them"
            ) from None

    def __iter__(self) -> Iterator[PolicySpec]:
        return iter(sorted(self._specs.values(), key=lambda spec: spec.id))

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, policy_id: object) -> bool:
        return policy_id in self._specs


REGISTRY = Registry()


def policy(
    *,
    id: str,
    title: str,
    severity: Severity | str,
    rationale: str,
    resource_types: Iterable[str] = (),
    view: View | str = View.AFTER,
    references: Iterable[str] = (),
    judges_inventory: bool = False,
    requirements: Iterable[str] = (),
    registry: Registry | None = None,
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register a policy. Resource views need `resource_types`; the plan view takes none."""
    if not re.match(POLICY_ID_PATTERN, id):
        raise ValueError(f"policy id {id!r} must look like PG-SERVICE-001")
    traced = tuple(requirements)
    for requirement in traced:
        if not re.match(REQUIREMENT_ID_PATTERN, requirement):
            raise ValueError(f"{id}: requirement {requirement!r} must look like REQ-001")
    chosen_view = View(view)
    types = tuple(resource_types)
    if (chosen_view is View.PLAN) == bool(types):
        raise ValueError(f"{id}: resource views need resource_types and the plan view takes none")

    def register(function: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        module = function.__module__.rsplit(".", 1)[-1]
        (registry if registry is not None else REGISTRY).add(
            PolicySpec(
                id=id,
                title=title,
                severity=Severity(severity),
                rationale=" ".join(rationale.split()),
                resource_types=types,
                view=chosen_view,
                references=tuple(references),
                service=module,
                function=function,
                judges_inventory=judges_inventory,
                requirements=traced,
            )
        )
        return function

    return register


def load_catalogue(directories: Iterable[Path]) -> None:
    """Import every policy module (`*.py` not starting with `_`) so its policies register."""
    for directory in directories:
        if not directory.is_dir():
            raise InputError(f"{directory}: policy directory not found")
        for path in sorted(directory.glob("*.py")):
            if path.name.startswith("_"):
                continue
            import_policy_module(path)


def import_policy_module(path: Path) -> None:
    """Import a policy file once under a stable module name derived from its whole path, so
    two folders with the same name (a project's policies/ and the built-in catalogue's, or
    two repositories' rules/) never shadow each other."""
    folder = path.resolve().parent
    digest = hashlib.sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = f"plangate_catalogue.{folder.name}_{digest}.{path.stem}"
    if name in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InputError(f"{path}: cannot import policy module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except InputError:
        raise
    except Exception as error:
        del sys.modules[name]
        raise InputError(
            f"{path}: policy module failed to import: {type(error).__name__}: {error}"
        ) from None
