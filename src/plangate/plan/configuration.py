"""The `configuration` section: modules, resource blocks, variables and provider blocks.

Small next to the instances, so it is built whole on first use, from a validated section.
Constants of attributes that any instance marks sensitive are hidden (`hiding`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import msgspec

from plangate.plan.values import ABSENT, SENSITIVE, resolve
from plangate.plan.wire import Wire


@dataclass(frozen=True, slots=True)
class Expression:
    """A configuration expression: a constant (else ABSENT) and the references it makes."""

    constant_value: Any
    references: tuple[str, ...]

    @property
    def is_constant(self) -> bool:
        return self.constant_value is not ABSENT


def _is_expression(raw: Any) -> bool:
    return (
        isinstance(raw, dict)
        and raw.keys() <= {"constant_value", "references"}
        and isinstance(raw.get("references", []), list)
    )


def _expressions(raw: Any) -> Any:
    """Expressions of a block: attribute → Expression, nested blocks → mappings or tuples."""
    if _is_expression(raw):
        return Expression(
            constant_value=resolve(raw["constant_value"]) if "constant_value" in raw else ABSENT,
            references=tuple(ref for ref in raw.get("references", ()) if isinstance(ref, str)),
        )
    if isinstance(raw, dict):
        return MappingProxyType({key: _expressions(item) for key, item in raw.items()})
    if isinstance(raw, list):
        return tuple(_expressions(item) for item in raw)
    return Expression(constant_value=ABSENT, references=())


def _block_expressions(raw: Any) -> Mapping[str, Any]:
    """A block's `expressions`: always a mapping, even when empty or shaped like one expression."""
    if not isinstance(raw, dict):
        return MappingProxyType({})
    return MappingProxyType({key: _expressions(item) for key, item in raw.items()})


@dataclass(frozen=True, slots=True)
class ConfigResource:
    """A resource block of the configuration, at its module path (count/for_each unexpanded)."""

    address: str
    module_path: str | None
    mode: str
    type: str
    name: str
    provider_config_key: str | None
    expressions: Mapping[str, Any]
    count_expression: Expression | None
    for_each_expression: Expression | None
    depends_on: tuple[str, ...]

    def constants(self) -> Mapping[str, Any]:
        """Top-level attributes whose value is a constant in the configuration."""
        return MappingProxyType(
            {
                name: expr.constant_value
                for name, expr in self.expressions.items()
                if isinstance(expr, Expression) and expr.is_constant
            }
        )


@dataclass(frozen=True, slots=True)
class ModuleCall:
    """A `module` block: where it comes from and what it is given."""

    name: str
    module_path: str
    source: str | None
    version_constraint: str | None
    expressions: Mapping[str, Any]
    count_expression: Expression | None
    for_each_expression: Expression | None
    depends_on: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConfigVariable:
    """A declared variable of a module."""

    name: str
    default: Any
    description: str | None
    sensitive: bool


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """A provider configuration block or an implied one."""

    key: str
    name: str
    full_name: str | None
    alias: str | None
    version_constraint: str | None
    module_address: str | None
    expressions: Mapping[str, Any]
    """The block's arguments as the plan writes them (`constant_value`, `references`)."""


@dataclass(frozen=True, slots=True)
class Configuration:
    """The `configuration` section, flattened: every block keyed by its module path."""

    provider_configs: Mapping[str, ProviderConfig]
    resources: Mapping[str, ConfigResource]
    module_calls: Mapping[str, ModuleCall]
    root_variables: Mapping[str, ConfigVariable]
    root_outputs_sensitive: Mapping[str, bool]

    def hiding(self, sensitive: Mapping[str, set[str]]) -> Configuration:
        """A copy whose constants are hidden for every attribute some instance marks sensitive.

        Terraform writes literal arguments into `configuration` in clear text even when the
        provider's schema marks the attribute sensitive; the instances' masks tell which.
        """
        if not sensitive:
            return self
        resources = {
            address: replace(
                block,
                expressions=MappingProxyType(
                    {
                        name: _hidden(expression)
                        if name in sensitive.get(address, ())
                        else expression
                        for name, expression in block.expressions.items()
                    }
                ),
            )
            if address in sensitive
            else block
            for address, block in self.resources.items()
        }
        return replace(self, resources=MappingProxyType(resources))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> Configuration:
        raw = raw or {}
        providers = {
            key: ProviderConfig(
                key=key,
                name=item.get("name", key),
                full_name=item.get("full_name"),
                alias=item.get("alias"),
                version_constraint=item.get("version_constraint"),
                module_address=item.get("module_address"),
                expressions=_block_expressions(item.get("expressions")),
            )
            for key, item in (raw.get("provider_config") or {}).items()
        }
        resources: dict[str, ConfigResource] = {}
        calls: dict[str, ModuleCall] = {}
        root = raw.get("root_module") or {}
        pending: list[tuple[Mapping[str, Any], str | None]] = [(root, None)]
        while pending:
            module, path = pending.pop()
            for block in module.get("resources") or ():
                resource = _config_resource(block, path)
                resources[resource.address] = resource
            for name, call in (module.get("module_calls") or {}).items():
                call_path = f"{path}.module.{name}" if path else f"module.{name}"
                child = call.get("module") or {}
                hidden_arguments = {
                    variable
                    for variable, declared in (child.get("variables") or {}).items()
                    if isinstance(declared, dict) and declared.get("sensitive") is True
                }
                arguments = _block_expressions(call.get("expressions"))
                calls[call_path] = ModuleCall(
                    name=name,
                    module_path=call_path,
                    source=call.get("source"),
                    version_constraint=call.get("version_constraint"),
                    expressions=MappingProxyType(
                        {
                            key: _hidden(value) if key in hidden_arguments else value
                            for key, value in arguments.items()
                        }
                    ),
                    count_expression=_optional_expression(call.get("count_expression")),
                    for_each_expression=_optional_expression(call.get("for_each_expression")),
                    depends_on=tuple(call.get("depends_on") or ()),
                )
                pending.append((call.get("module") or {}, call_path))
        variables = {
            name: ConfigVariable(
                name=name,
                default=SENSITIVE
                if item.get("sensitive") is True and "default" in item
                else resolve(item.get("default", ABSENT)),
                description=item.get("description"),
                sensitive=item.get("sensitive") is True,
            )
            for name, item in (root.get("variables") or {}).items()
        }
        outputs = {
            name: item.get("sensitive") is True
            for name, item in (root.get("outputs") or {}).items()
        }
        return cls(
            provider_configs=MappingProxyType(providers),
            resources=MappingProxyType(resources),
            module_calls=MappingProxyType(calls),
            root_variables=MappingProxyType(variables),
            root_outputs_sensitive=MappingProxyType(outputs),
        )


def _hidden(expressions: Any) -> Any:
    """The same expression tree with every constant replaced by SENSITIVE."""
    if isinstance(expressions, Expression):
        if not expressions.is_constant:
            return expressions
        return Expression(constant_value=SENSITIVE, references=expressions.references)
    if isinstance(expressions, Mapping):
        return MappingProxyType({key: _hidden(item) for key, item in expressions.items()})
    if isinstance(expressions, tuple):
        return tuple(_hidden(item) for item in expressions)
    return expressions


_INSTANCE_KEY = re.compile(r'\[(?:\d+|"(?:[^"\\]|\\.)*")\]')


def config_address(module_address: str | None, mode: str, type_: str, name: str) -> str:
    """The configuration block address of an instance: instance keys dropped from the module path."""
    local = f"data.{type_}.{name}" if mode == "data" else f"{type_}.{name}"
    if not module_address:
        return local
    return f"{_INSTANCE_KEY.sub('', module_address)}.{local}"


def _optional_expression(raw: Any) -> Expression | None:
    return _expressions(raw) if _is_expression(raw) else None


def _config_resource(raw: Mapping[str, Any], module_path: str | None) -> ConfigResource:
    local = raw["address"]
    return ConfigResource(
        address=f"{module_path}.{local}" if module_path else local,
        module_path=module_path,
        mode=raw.get("mode", "managed"),
        type=raw["type"],
        name=raw["name"],
        provider_config_key=raw.get("provider_config_key"),
        expressions=_block_expressions(raw.get("expressions")),
        count_expression=_optional_expression(raw.get("count_expression")),
        for_each_expression=_optional_expression(raw.get("for_each_expression")),
        depends_on=tuple(raw.get("depends_on") or ()),
    )


# --------------------------------------------------------------------------- validation


class _ProviderConfigWire(Wire, frozen=True, kw_only=True):
    name: str | None = None
    full_name: str | None = None
    alias: str | None = None
    version_constraint: str | None = None
    module_address: str | None = None
    expressions: dict[str, msgspec.Raw] = msgspec.field(default_factory=dict)


class _ConfigResourceWire(Wire, frozen=True, kw_only=True):
    address: str
    mode: str | None = None
    type: str
    name: str
    provider_config_key: str | None = None
    expressions: dict[str, msgspec.Raw] = msgspec.field(default_factory=dict)
    schema_version: int | None = None
    count_expression: dict[str, msgspec.Raw] | None = None
    for_each_expression: dict[str, msgspec.Raw] | None = None
    depends_on: tuple[str, ...] = ()


class _OutputConfigWire(Wire, frozen=True, kw_only=True):
    sensitive: bool = False
    description: str | None = None
    depends_on: tuple[str, ...] = ()


class _VariableConfigWire(Wire, frozen=True, kw_only=True):
    description: str | None = None
    sensitive: bool = False


class _ModuleCallWire(Wire, frozen=True, kw_only=True):
    source: str | None = None
    expressions: dict[str, msgspec.Raw] = msgspec.field(default_factory=dict)
    count_expression: dict[str, msgspec.Raw] | None = None
    for_each_expression: dict[str, msgspec.Raw] | None = None
    module: _ModuleConfigWire | None = None
    version_constraint: str | None = None
    depends_on: tuple[str, ...] = ()


class _ModuleConfigWire(Wire, frozen=True, kw_only=True):
    outputs: dict[str, _OutputConfigWire] = msgspec.field(default_factory=dict)
    resources: tuple[_ConfigResourceWire, ...] = ()
    module_calls: dict[str, _ModuleCallWire] = msgspec.field(default_factory=dict)
    variables: dict[str, _VariableConfigWire] = msgspec.field(default_factory=dict)


class ConfigurationWire(Wire, frozen=True, kw_only=True):
    """The section's envelope types, checked when the plan is loaded."""

    provider_config: dict[str, _ProviderConfigWire] = msgspec.field(default_factory=dict)
    root_module: _ModuleConfigWire | None = None
