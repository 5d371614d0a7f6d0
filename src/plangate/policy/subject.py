"""What a policy function receives and what it gives back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plangate.plan import Plan, ResourceChange, get_path
from plangate.plan.values import Path


class NotApplicable(Exception):
    """Raised by a policy to say it does not apply here; its message says why (a setting is
    off, another environment), and reports show it."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a resource breaks a policy: where, what was expected, what the plan says.

    `actual` is a model value (markers included) so that reports render unknown and
    sensitive values uniformly. `address` is filled in by the engine for resource views.
    """

    attribute: str
    expected: str
    actual: Any
    message: str
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource as one view sees it: `values` are the planned (after) or current (before) ones."""

    change: ResourceChange
    values: Any

    @property
    def address(self) -> str:
        return self.change.address

    @property
    def type(self) -> str:
        return self.change.type

    @property
    def module_address(self) -> str | None:
        return self.change.module_address

    def get(self, path: str | Path) -> Any:
        """The value at `path`, or ABSENT, UNKNOWN or SENSITIVE."""
        return get_path(self.values, path)


@dataclass(frozen=True, slots=True)
class PolicyContext:
    """Everything a policy may consult besides the resource: the plan, its environment, settings."""

    plan: Plan
    plan_name: str
    environment: str | None
    settings: Mapping[str, Any]
    configuration: Any = None
    inventory: Any = None
    """The reconciliation with Cloud Asset Inventory, in a `plangate conform` run only."""

    def setting(self, name: str) -> Any:
        """A policy setting for this plan's environment; unknown names are a programming error."""
        return self.settings[name]
