"""The typed, immutable model of a `terraform show -json` plan document.

Field names follow the JSON keys. Features are detected by key presence, never by version
lists: a field a Terraform release did not write is None (or empty), not an error. The
document is decoded once into structs whose types mirror the envelope schema (`wire`);
attribute values stay raw until read and are resolved then (see `values.resolve`), so
sensitive plaintext never comes out of this model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import msgspec

from plangate.plan.changes import (
    Change,
    DeferredChange,
    OutputChange,
    ResourceChange,
    with_address,
)
from plangate.plan.configuration import Configuration, ConfigurationWire, config_address
from plangate.plan.state import (
    ModuleValues,
    PriorState,
    PriorStateWire,
    StateResource,
    StateValues,
    ValuesWire,
)
from plangate.plan.values import ABSENT, MAX_DEPTH, SENSITIVE
from plangate.plan.wire import (
    PathStepValue,
    ValueRefused,
    Wire,
    plain_value,
    refusing_unreadable,
    resolve_raw,
)

__all__ = ["CheckInstance", "CheckResult", "Plan", "PlanDocument"]


class _VariableWire(Wire, frozen=True, kw_only=True):
    _raw_value: msgspec.Raw | msgspec.UnsetType = msgspec.field(name="value", default=msgspec.UNSET)


class _RelevantAttributeWire(Wire, frozen=True, kw_only=True):
    resource: str
    attribute: tuple[PathStepValue, ...] = ()


class _CheckInstanceWire(Wire, frozen=True, kw_only=True):
    address: dict[str, Any] = msgspec.field(default_factory=dict)
    status: str = "unknown"
    problems: tuple[dict[str, Any], ...] = ()


class _CheckWire(Wire, frozen=True, kw_only=True):
    address: dict[str, Any] = msgspec.field(default_factory=dict)
    status: str = "unknown"
    instances: tuple[_CheckInstanceWire, ...] = ()


class PlanDocument(Wire, frozen=True, kw_only=True):
    """The whole document as decoded; UNSET marks a top-level key the document lacks."""

    format_version: str = msgspec.UNSET  # type: ignore[assignment]
    plan_format_version: str = msgspec.UNSET  # type: ignore[assignment]
    terraform_version: str = None  # type: ignore[assignment]
    variables: dict[str, _VariableWire] = msgspec.field(default_factory=dict)
    planned_values: ValuesWire = msgspec.UNSET  # type: ignore[assignment]
    prior_state: PriorStateWire = msgspec.UNSET  # type: ignore[assignment]
    resource_changes: tuple[ResourceChange, ...] = msgspec.UNSET  # type: ignore[assignment]
    resource_drift: tuple[ResourceChange, ...] = ()
    deferred_changes: tuple[DeferredChange, ...] = ()
    output_changes: dict[str, Change] = msgspec.UNSET  # type: ignore[assignment]
    configuration: msgspec.Raw = msgspec.UNSET  # type: ignore[assignment]
    relevant_attributes: tuple[_RelevantAttributeWire, ...] = ()
    checks: tuple[_CheckWire, ...] = ()
    timestamp: str = None  # type: ignore[assignment]
    errored: bool = None  # type: ignore[assignment]
    complete: bool = None  # type: ignore[assignment]
    applyable: bool = None  # type: ignore[assignment]

    def present(self, key: str) -> bool:
        return getattr(self, key) is not msgspec.UNSET

    def configuration_section(self) -> ConfigurationWire:
        """The configuration's envelope, type-checked (raises msgspec.ValidationError)."""
        if self.configuration is msgspec.UNSET:
            return ConfigurationWire()
        return msgspec.json.decode(self.configuration, type=ConfigurationWire)


def decode_document(data: bytes | memoryview) -> PlanDocument:
    """One typed pass over the JSON (raises msgspec's DecodeError or ValidationError)."""
    return msgspec.json.decode(data, type=PlanDocument)


@dataclass(frozen=True, slots=True)
class CheckInstance:
    """One instance of a checkable object and the problems it reported."""

    address: str
    status: str
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A `checks` entry (Terraform 1.3+): a checkable object and its aggregate status."""

    address: str
    kind: str
    status: str
    instances: tuple[CheckInstance, ...]

    @classmethod
    def from_wire(cls, raw: _CheckWire) -> CheckResult:
        return cls(
            address=str(raw.address.get("to_display", "")),
            kind=str(raw.address.get("kind", "")),
            status=raw.status,
            instances=tuple(
                CheckInstance(
                    address=str(item.address.get("to_display", "")),
                    status=item.status,
                    problems=tuple(str(problem.get("message", "")) for problem in item.problems),
                )
                for item in raw.instances
            ),
        )


_LAZY = ("configuration", "output_changes", "planned_values", "prior_state")


class Plan:
    """A whole plan. `source_format` is "plan" or "redacted" (HCP Terraform's export).

    The per-instance parts are decoded when the plan is loaded; planned values, prior state,
    configuration and output changes are built on first use and kept.
    """

    __slots__ = (
        "_built",
        "_by_address",
        "_document",
        "applyable",
        "checks",
        "complete",
        "deferred_changes",
        "errored",
        "format_version",
        "relevant_attributes",
        "resource_changes",
        "resource_drift",
        "source_format",
        "terraform_version",
        "timestamp",
        "variables",
    )

    format_version: str
    terraform_version: str | None
    source_format: str
    variables: Mapping[str, Any]
    resource_changes: tuple[ResourceChange, ...]
    resource_drift: tuple[ResourceChange, ...]
    deferred_changes: tuple[DeferredChange, ...]
    checks: tuple[CheckResult, ...]
    relevant_attributes: tuple[tuple[str, tuple[PathStepValue, ...]], ...]
    timestamp: str | None
    errored: bool | None
    complete: bool | None
    applyable: bool | None

    def __init__(self, document: PlanDocument, source_format: str = "plan") -> None:
        changes = tuple(map(with_address, _present(document.resource_changes, ())))
        section = document.configuration_section()
        _check_module_depth(document, section)
        root_variables = (
            {name: item.sensitive for name, item in section.root_module.variables.items()}
            if section.root_module
            else {}
        )
        fields = {
            "format_version": document.format_version
            if document.present("format_version")
            else document.plan_format_version,
            "terraform_version": document.terraform_version,
            "source_format": source_format,
            "variables": MappingProxyType(
                {
                    name: SENSITIVE
                    if root_variables.get(name, False)
                    else ABSENT
                    if item._raw_value is msgspec.UNSET
                    else resolve_raw(item._raw_value)
                    for name, item in document.variables.items()
                }
            ),
            "resource_changes": changes,
            "resource_drift": tuple(map(with_address, document.resource_drift)),
            "deferred_changes": tuple(
                msgspec.structs.replace(item, resource_change=with_address(item.resource_change))
                for item in document.deferred_changes
            ),
            "checks": tuple(CheckResult.from_wire(item) for item in document.checks),
            "relevant_attributes": tuple(
                (item.resource, item.attribute) for item in document.relevant_attributes
            ),
            "timestamp": document.timestamp,
            "errored": document.errored,
            "complete": document.complete,
            "applyable": document.applyable,
            "_document": document,
            "_built": {"configuration_section": section},
            "_by_address": MappingProxyType({c.address: c for c in changes if c.deposed is None}),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], source_format: str = "plan") -> Plan:
        """A plan from an already parsed document (trusted callers; files go through `load`)."""
        return cls(decode_document(json.dumps(raw).encode()), source_format)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Plan is immutable; cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Plan is immutable; cannot delete {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return _view(self) == _view(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Plan(format_version={self.format_version!r}, "
            f"resource_changes={len(self.resource_changes)})"
        )

    def _once(self, name: str, build: Any) -> Any:
        built = self._built
        if name not in built:
            built[name] = build()
        return built[name]

    @property
    def planned_values(self) -> StateValues:
        return self._once(
            "planned_values",
            lambda: StateValues.from_wire(
                _present(self._document.planned_values, None), self._change_mask(after=True)
            ),
        )

    def _change_mask(self, after: bool) -> Callable[[StateResource], msgspec.Raw | None]:
        """Before format 0.2 state values carry no masks: their resource change's count."""

        def mask(resource: StateResource) -> msgspec.Raw | None:
            change = self._by_address.get(resource.address)
            return change.change.sensitive_mask(after) if change is not None else None

        return mask

    @property
    def prior_state(self) -> PriorState | None:
        return self._once("prior_state", self._prior_state)

    def _prior_state(self) -> PriorState | None:
        prior = _present(self._document.prior_state, None)
        if prior is None:
            return None
        return PriorState(
            format_version=prior.format_version,
            terraform_version=prior.terraform_version,
            values=StateValues.from_wire(prior.values, self._change_mask(after=False)),
        )

    @property
    def configuration(self) -> Configuration:
        return self._once("configuration", self._configuration)

    def _configuration(self) -> Configuration:
        raw = self._document.configuration
        prior = self.prior_state
        with refusing_unreadable():
            section = {} if raw is msgspec.UNSET else plain_value(raw)
            return Configuration.from_dict(section).hiding(
                _sensitive_attributes(
                    self.resource_changes, self.planned_values, prior.values if prior else None
                )
            )

    @property
    def output_changes(self) -> Mapping[str, OutputChange]:
        return self._once("output_changes", self._output_changes)

    def _output_changes(self) -> Mapping[str, OutputChange]:
        root = self._built["configuration_section"].root_module
        declared = {name: o.sensitive for name, o in root.outputs.items()} if root else {}
        prior = self.prior_state
        states = [self.planned_values] + ([prior.values] if prior else [])
        return MappingProxyType(
            {
                name: OutputChange.from_change(
                    name,
                    change,
                    sensitive=declared.get(name, False)
                    or any(name in s.outputs and s.outputs[name].sensitive for s in states),
                )
                for name, change in _present(self._document.output_changes, {}).items()
            }
        )

    def resource_change(self, address: str) -> ResourceChange | None:
        """The change for a current (not deposed) instance address, if any."""
        return self._by_address.get(address)

    @property
    def managed_changes(self) -> tuple[ResourceChange, ...]:
        return tuple(c for c in self.resource_changes if c.is_managed)

    @property
    def changes(self) -> tuple[ResourceChange, ...]:
        """Resource changes that alter infrastructure (not no-ops, data reads or opens)."""
        return tuple(
            c
            for c in self.resource_changes
            if c.actions.changes_infrastructure or c.is_import or c.is_move
        )

    @property
    def changing_outputs(self) -> tuple[OutputChange, ...]:
        return tuple(o for o in self.output_changes.values() if o.actions.changes_infrastructure)

    @property
    def is_opentofu(self) -> bool:
        """OpenTofu writes its own version into terraform_version; its provider host tells."""
        return any("opentofu" in c.provider_name for c in self.resource_changes[:50]) or any(
            "opentofu" in (p.full_name or "")
            for p in self._built["configuration_section"].provider_config.values()
        )

    @property
    def is_zero_change(self) -> bool:
        return not self.changes and not self.changing_outputs and not self.resource_drift


def _check_module_depth(document: PlanDocument, section: ConfigurationWire) -> None:
    """Refuse module trees no real configuration has; every later walk may then recurse."""
    roots: list[tuple[Any, int]] = [(section.root_module, 0)]
    for values in (document.planned_values, document.prior_state):
        if isinstance(values, PriorStateWire):
            values = values.values
        if isinstance(values, ValuesWire):
            roots.append((values.root_module, 0))
    while roots:
        module, depth = roots.pop()
        if module is None:
            continue
        if depth > MAX_DEPTH:
            raise ValueRefused("modules nested too deeply to be a plan")
        if isinstance(module, ModuleValues):
            roots.extend((child, depth + 1) for child in module.child_modules)
        else:
            roots.extend((call.module, depth + 1) for call in module.module_calls.values())


def _present(value: Any, default: Any) -> Any:
    return default if value is msgspec.UNSET else value


def _view(plan: Plan) -> tuple[Any, ...]:
    """What a plan says, independent of how its JSON was spaced or encoded."""
    return (
        plan.format_version,
        plan.terraform_version,
        plan.source_format,
        plan.variables,
        plan.planned_values,
        plan.prior_state,
        plan.resource_changes,
        plan.resource_drift,
        plan.deferred_changes,
        plan.output_changes,
        plan.configuration,
        plan.checks,
        plan.relevant_attributes,
        plan.timestamp,
        plan.errored,
        plan.complete,
        plan.applyable,
    )


def _sensitive_attributes(
    changes: tuple[ResourceChange, ...], *values: StateValues | None
) -> dict[str, set[str]]:
    """Top-level attribute names that any instance of a block marks sensitive, by block address."""
    found: dict[str, set[str]] = {}
    for change in changes:
        hidden = change.change.hidden_attributes()
        if hidden:
            key = config_address(change.module_address, change.mode, change.type, change.name)
            found.setdefault(key, set()).update(hidden)
    for state in values:
        for resource in state.resources if state else ():
            hidden = resource.hidden_attributes()
            if hidden:
                key = config_address(
                    resource.module_address, resource.mode, resource.type, resource.name
                )
                found.setdefault(key, set()).update(hidden)
    return found
