"""`planned_values` and `prior_state`: resource instances as Terraform stores them.

Modules are flattened to full addresses once; each instance's `values` stay raw until read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import msgspec

from plangate.plan.values import SENSITIVE, UNKNOWN
from plangate.plan.wire import (
    EMPTY_OBJECT,
    NO_MASK,
    UNWRITTEN,
    Index,
    Mask,
    Wire,
    frozen_mask,
    hidden_attributes,
    is_mask,
    resolve_raw,
    starts_object,
)


class StateResource(Wire, frozen=True, kw_only=True):
    """A resource instance in `planned_values` or `prior_state`, at its full address."""

    address: str
    mode: str = "managed"
    type: str
    name: str
    index: Index | None = None
    provider_name: str = ""
    schema_version: int | None = None
    _raw_values: msgspec.Raw = msgspec.field(name="values", default=EMPTY_OBJECT)
    _sensitive_mask: Mask = msgspec.field(name="sensitive_values", default=UNWRITTEN)
    """UNWRITTEN before format 0.2, where only the resource change says what is sensitive."""
    depends_on: tuple[str, ...] = ()
    tainted: bool = False
    deposed_key: str | None = None

    def __post_init__(self) -> None:
        if not starts_object(self._raw_values):
            raise msgspec.ValidationError("values: expected object")
        if self._sensitive_mask is not UNWRITTEN and not is_mask(self._sensitive_mask):
            raise msgspec.ValidationError("sensitive_values: expected boolean or object or array")

    @classmethod
    def of(cls, values: Mapping[str, Any], **fields: Any) -> StateResource:
        """An instance built in code (tests, inventories) rather than decoded from a plan;
        SENSITIVE markers in `values` become the sensitive mask."""
        plain, mask = _split_sensitive(values)
        document = {**fields, "values": plain, "sensitive_values": mask}
        return msgspec.json.decode(msgspec.json.encode(document), type=cls)

    @property
    def module_address(self) -> str | None:
        """The module path part of the address (None at the root)."""
        local = (
            f"data.{self.type}.{self.name}" if self.mode == "data" else f"{self.type}.{self.name}"
        )
        head, found, tail = self.address.rpartition(f".{local}")
        if not found or (tail and not tail.startswith("[")):
            return None
        return head or None

    @property
    def values(self) -> Any:
        return resolve_raw(self._raw_values, False, self._mask())

    def hidden_attributes(self) -> set[str]:
        """Top-level attributes the instance marks sensitive."""
        return hidden_attributes(self._mask())

    def _mask(self) -> Mask:
        return NO_MASK if self._sensitive_mask is UNWRITTEN else self._sensitive_mask

    def with_mask(self, mask: Mask) -> StateResource:
        """The instance with the mask a resource change gives it, when it was written without one."""
        if self._sensitive_mask is not UNWRITTEN:
            return self
        return msgspec.structs.replace(self, _sensitive_mask=mask)

    @property
    def sensitive_values(self) -> Any:
        return frozen_mask(self._mask())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StateResource):
            return NotImplemented
        return (self.address, self.mode, self.type, self.name, self.index, self.values) == (
            other.address,
            other.mode,
            other.type,
            other.name,
            other.index,
            other.values,
        ) and (
            self.provider_name,
            self.depends_on,
            self.tainted,
            self.deposed_key,
            self.sensitive_values,
        ) == (
            other.provider_name,
            other.depends_on,
            other.tainted,
            other.deposed_key,
            other.sensitive_values,
        )

    def __repr__(self) -> str:
        return f"StateResource({self.address!r})"


def _split_sensitive(value: Any) -> tuple[Any, Any]:
    """A model value as Terraform writes it: plain values and a sensitive mask beside them."""
    if value is SENSITIVE:
        return None, True
    if isinstance(value, Mapping):
        parts = {key: _split_sensitive(item) for key, item in value.items()}
        return {k: p for k, (p, _) in parts.items()}, {k: m for k, (_, m) in parts.items() if m}
    if isinstance(value, tuple | list):
        parts_list = [_split_sensitive(item) for item in value]
        return [p for p, _ in parts_list], [m or False for _, m in parts_list]
    return value, False


class ModuleValues(Wire, frozen=True, kw_only=True):
    """One module of a values tree, as written."""

    address: str | None = None
    resources: tuple[StateResource, ...] = ()
    child_modules: tuple[ModuleValues, ...] = ()


class _OutputWire(Wire, frozen=True, kw_only=True):
    sensitive: bool = False
    _raw_value: msgspec.Raw | msgspec.UnsetType = msgspec.field(name="value", default=msgspec.UNSET)
    _raw_type: msgspec.Raw | msgspec.UnsetType = msgspec.field(name="type", default=msgspec.UNSET)


class ValuesWire(Wire, frozen=True, kw_only=True):
    """`planned_values` or `prior_state.values`, as written."""

    outputs: dict[str, _OutputWire] = msgspec.field(default_factory=dict)
    root_module: ModuleValues | None = None


@dataclass(frozen=True, slots=True)
class OutputValue:
    """An output in planned values or state; `value` is UNKNOWN when not yet known."""

    name: str
    sensitive: bool
    value: Any
    type: Any


def _output(name: str, raw: _OutputWire) -> OutputValue:
    if raw._raw_value is msgspec.UNSET:
        value: Any = UNKNOWN
    elif raw.sensitive:
        value = SENSITIVE
    else:
        value = resolve_raw(raw._raw_value)
    return OutputValue(
        name=name,
        sensitive=raw.sensitive,
        value=value,
        type=None if raw._raw_type is msgspec.UNSET else resolve_raw(raw._raw_type),
    )


@dataclass(frozen=True, slots=True)
class StateValues:
    """`planned_values` or `prior_state.values`, child modules flattened to full addresses."""

    outputs: Mapping[str, OutputValue]
    resources: tuple[StateResource, ...]
    by_address: Mapping[str, StateResource] = field(repr=False, compare=False)
    """Current (not deposed) objects by address."""

    @classmethod
    def from_wire(
        cls, raw: ValuesWire | None, masks: Callable[[StateResource], Mask | None] | None = None
    ) -> StateValues:
        """`masks` gives the sensitive mask of an instance written without one (format 0.1)."""
        raw = raw or ValuesWire()
        resources = tuple(_flatten(raw.root_module)) if raw.root_module else ()
        if masks is not None:
            resources = tuple(_masked(resource, masks) for resource in resources)
        return cls(
            outputs=MappingProxyType(
                {name: _output(name, item) for name, item in raw.outputs.items()}
            ),
            resources=resources,
            by_address=MappingProxyType({r.address: r for r in resources if r.deposed_key is None}),
        )

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> StateValues:
        return cls.from_wire(msgspec.json.decode(msgspec.json.encode(raw or {}), type=ValuesWire))


def _masked(
    resource: StateResource, masks: Callable[[StateResource], Mask | None]
) -> StateResource:
    if resource._sensitive_mask is not UNWRITTEN:
        return resource
    mask = masks(resource)
    return resource if mask is None else resource.with_mask(mask)


def _flatten(root: ModuleValues) -> Iterator[StateResource]:
    pending = [root]
    while pending:
        module = pending.pop()
        yield from module.resources
        pending.extend(reversed(module.child_modules))


class PriorStateWire(Wire, frozen=True, kw_only=True):
    format_version: str | None = None
    terraform_version: str | None = None
    values: ValuesWire | None = None


@dataclass(frozen=True, slots=True)
class PriorState:
    """The state the plan started from, with the versions that wrote it."""

    format_version: str | None
    terraform_version: str | None
    values: StateValues


class StateDocument(Wire, frozen=True, kw_only=True):
    """`terraform show -json` without a plan file; the plan keys are read only to refuse plans."""

    format_version: str | None = None
    terraform_version: str | None = None
    values: ValuesWire | msgspec.UnsetType | None = msgspec.UNSET
    resource_changes: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET

    @property
    def is_plan(self) -> bool:
        return self.resource_changes is not msgspec.UNSET
