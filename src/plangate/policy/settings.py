"""Policy settings: declared by the policy modules that read them, overridden per environment.

A policy module declares each setting it reads with a default and a description, so the
catalogue documents its own knobs, and a key in pyproject.toml that no policy declares is
an error (a typo must not silently weaken the gate).

```toml
[tool.plangate.policy]                 # every environment
required_labels = ["project", "environment", "managed_by"]
[tool.plangate.environments.prod]      # one environment
require_firestore_pitr = true
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from plangate.errors import InputError


@dataclass(frozen=True, slots=True)
class SettingSpec:
    name: str
    default: Any
    description: str


class SettingsRegistry:
    """Declared settings by name; a name may be declared again only with the same default."""

    def __init__(self) -> None:
        self._specs: dict[str, SettingSpec] = {}

    def declare(self, name: str, default: Any, description: str) -> str:
        existing = self._specs.get(name)
        if existing is not None and existing.default != default:
            raise ValueError(f"setting {name} declared twice with different defaults")
        self._specs[name] = SettingSpec(name, default, " ".join(description.split()))
        return name

    def specs(self) -> tuple[SettingSpec, ...]:
        return tuple(sorted(self._specs.values(), key=lambda spec: spec.name))

    def resolve(
        self,
        table: Mapping[str, Any],
        environment: str | None,
        extra: Mapping[str, Any] = MappingProxyType({}),
    ) -> Mapping[str, Any]:
        """Defaults, then `[tool.plangate.policy]`, then the environment's table, then `extra`."""
        merged = {spec.name: spec.default for spec in self._specs.values()}
        layers: list[tuple[str, Any]] = [("[tool.plangate.policy]", table.get("policy", {}))]
        environments = table.get("environments", {})
        if not isinstance(environments, Mapping):
            raise InputError("[tool.plangate.environments] must be a table of environment tables")
        if environment is not None:
            layers.append(
                (f"[tool.plangate.environments.{environment}]", environments.get(environment, {}))
            )
        layers.append(("command line", extra))
        for where, layer in layers:
            if not isinstance(layer, Mapping):
                raise InputError(f"{where} must be a table")
            for key, value in layer.items():
                if key not in merged:
                    raise InputError(
                        f"{where}: unknown policy setting {key!r}; `plangate policies` lists them"
                    )
                merged[key] = value
        return MappingProxyType(merged)

    def check_tables(self, table: Mapping[str, Any]) -> None:
        """Refuse unknown keys in every environment table, even ones no plan uses today."""
        self.resolve(table, None)
        for environment in table.get("environments", {}) or {}:
            self.resolve(table, environment)


SETTINGS = SettingsRegistry()


def setting(name: str, default: Any, description: str) -> str:
    """Declare a policy setting in the default registry and return its name for later lookup."""
    return SETTINGS.declare(name, default, description)


EXPECT_NO_CHANGES = setting(
    "expect_no_changes",
    False,
    """Zero-change mode: every create, update, replace, delete, forget, import, move, output
    change, drift and deferred change fails. `plangate check --expect-no-changes` (and
    pytest's `--expect-no-changes`) turn it on for one run; use it after imports and to prove
    a rollback left nothing behind. Declared by plangate itself so the flag works with any
    catalogue; the catalogue's zero-change policy reads it.""",
)
