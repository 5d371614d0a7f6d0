"""The typed, immutable model of a `terraform show -json` plan document.

Field names follow the JSON keys. Features are detected by key presence, never by version
lists: a field a Terraform release did not write is None (or empty), not an error. Values
are resolved once (see `values.resolve`), so sensitive plaintext never reaches this model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from plangate.plan.actions import Actions, ChangeKind
from plangate.plan.values import (
    ABSENT,
    SENSITIVE,
    UNKNOWN,
    Path,
    changed_paths,
    freeze_mask,
    get_path,
    has_true,
    mask_paths,
    resolve,
)


def _index_key(raw: Any) -> int | str | None:
    return raw if isinstance(raw, int | str) and not isinstance(raw, bool) else None


def _path_list(raw: Any) -> tuple[Path, ...]:
    return tuple(tuple(path) for path in raw or () if isinstance(path, list))


@dataclass(frozen=True, slots=True)
class Importing:
    """An import planned with this change (Terraform 1.5+): by id, identity, or deferred."""

    id: str | None
    unknown: bool
    identity: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class Change:
    """Before and after of one object, with unknown and sensitive markers merged in."""

    actions: Actions
    before: Any
    after: Any
    before_sensitive: Any
    after_sensitive: Any
    changed_paths: tuple[Path, ...]
    replace_paths: tuple[Path, ...]
    importing: Importing | None
    generated_config: str | None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Change:
        actions = Actions(tuple(raw["actions"]))
        before_sensitive = raw.get("before_sensitive", False)
        after_sensitive = raw.get("after_sensitive", False)
        after_unknown = raw.get("after_unknown", False)
        diff: tuple[Path, ...] = ()
        if actions.kind in (ChangeKind.UPDATE, ChangeKind.REPLACE):
            # Diffed on the plain values, so that a changed secret is still seen as changed,
            # then cut at the first hidden step: a path inside a secret (a sensitive map's
            # keys) would show part of it.
            hidden = (freeze_mask(before_sensitive), freeze_mask(after_sensitive))
            raw_diff = changed_paths(
                resolve(raw.get("before")), resolve(raw.get("after"), after_unknown)
            )
            diff = tuple(dict.fromkeys(_visible_prefix(path, hidden) for path in raw_diff))
        importing = raw.get("importing")
        before = resolve(raw.get("before"), False, before_sensitive)
        unchanged = (
            actions.is_no_op
            and raw.get("before") == raw.get("after")
            and before_sensitive == after_sensitive
            and not has_true(after_unknown)
        )
        return cls(
            actions=actions,
            before=before,
            after=before
            if unchanged
            else resolve(raw.get("after"), after_unknown, after_sensitive),
            before_sensitive=freeze_mask(before_sensitive),
            after_sensitive=freeze_mask(after_sensitive),
            changed_paths=diff,
            replace_paths=_path_list(raw.get("replace_paths")),
            importing=None
            if not isinstance(importing, dict)
            else Importing(
                id=importing.get("id") if isinstance(importing.get("id"), str) else None,
                unknown=importing.get("unknown") is True,
                identity=resolve(importing.get("identity"))
                if isinstance(importing.get("identity"), dict)
                else None,
            ),
            generated_config=raw.get("generated_config"),
        )


def _visible_prefix(path: Path, masks: tuple[Any, ...]) -> Path:
    """The path, cut after the first step that any of the sensitive masks hides."""
    for end in range(len(path) + 1):
        if any(get_path(mask, path[:end]) is True for mask in masks):
            return path[:end]
    return path


@dataclass(frozen=True, slots=True)
class ResourceChange:
    """One entry of `resource_changes` (or `resource_drift`, or a deferred change)."""

    address: str
    module_address: str | None
    mode: str
    type: str
    name: str
    index: int | str | None
    provider_name: str
    deposed: str | None
    action_reason: str | None
    previous_address: str | None
    change: Change

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ResourceChange:
        return cls(
            address=raw["address"],
            module_address=raw.get("module_address"),
            mode=raw.get("mode", "managed"),
            type=raw["type"],
            name=raw["name"],
            index=_index_key(raw.get("index")),
            provider_name=raw.get("provider_name", ""),
            deposed=raw.get("deposed"),
            action_reason=raw.get("action_reason"),
            previous_address=raw.get("previous_address"),
            change=Change.from_dict(raw["change"]),
        )

    @property
    def actions(self) -> Actions:
        return self.change.actions

    @property
    def kind(self) -> ChangeKind:
        return self.change.actions.kind

    @property
    def is_import(self) -> bool:
        return self.change.importing is not None

    @property
    def is_move(self) -> bool:
        return self.previous_address is not None and self.previous_address != self.address

    @property
    def is_managed(self) -> bool:
        return self.mode == "managed"

    @property
    def before(self) -> Any:
        return self.change.before

    @property
    def after(self) -> Any:
        return self.change.after

    @property
    def display_address(self) -> str:
        return f"{self.address} (deposed {self.deposed})" if self.deposed else self.address


@dataclass(frozen=True, slots=True)
class DeferredChange:
    """A change Terraform postponed (1.9+ with deferrals), with the reason it gave."""

    reason: str
    resource_change: ResourceChange


@dataclass(frozen=True, slots=True)
class OutputValue:
    """An output in planned values or state; `value` is UNKNOWN when not yet known."""

    name: str
    sensitive: bool
    value: Any
    type: Any

    @classmethod
    def from_dict(cls, name: str, raw: Mapping[str, Any]) -> OutputValue:
        sensitive = raw.get("sensitive") is True
        value = raw.get("value", UNKNOWN)
        return cls(
            name=name,
            sensitive=sensitive,
            value=SENSITIVE if sensitive and value is not UNKNOWN else resolve(value),
            type=resolve(raw.get("type")),
        )


@dataclass(frozen=True, slots=True)
class OutputChange:
    """A root output's planned change; sensitive sides are hidden."""

    name: str
    actions: Actions
    before: Any
    after: Any

    @classmethod
    def from_dict(cls, name: str, raw: Mapping[str, Any], sensitive: bool = False) -> OutputChange:
        """`sensitive` hides both sides when the output is declared sensitive elsewhere in the
        plan: before 0.15 output changes carried no sensitive flags of their own."""
        return cls(
            name=name,
            actions=Actions(tuple(raw["actions"])),
            before=resolve(
                raw.get("before"), False, sensitive or raw.get("before_sensitive", False)
            ),
            after=resolve(
                raw.get("after"),
                raw.get("after_unknown", False),
                sensitive or raw.get("after_sensitive", False),
            ),
        )


@dataclass(frozen=True, slots=True)
class StateResource:
    """A resource instance in `planned_values` or `prior_state`, at its full address."""

    address: str
    module_address: str | None
    mode: str
    type: str
    name: str
    index: int | str | None
    provider_name: str
    values: Any
    sensitive_values: Any
    depends_on: tuple[str, ...]
    tainted: bool
    deposed_key: str | None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], module_address: str | None) -> StateResource:
        sensitive = raw.get("sensitive_values", False)
        return cls(
            address=raw["address"],
            module_address=module_address,
            mode=raw.get("mode", "managed"),
            type=raw["type"],
            name=raw["name"],
            index=_index_key(raw.get("index")),
            provider_name=raw.get("provider_name", ""),
            values=resolve(raw.get("values", {}), False, sensitive),
            sensitive_values=freeze_mask(sensitive),
            depends_on=tuple(raw.get("depends_on") or ()),
            tainted=raw.get("tainted") is True,
            deposed_key=raw.get("deposed_key"),
        )


@dataclass(frozen=True, slots=True)
class StateValues:
    """`planned_values` or `prior_state.values`, child modules flattened to full addresses."""

    outputs: Mapping[str, OutputValue]
    resources: tuple[StateResource, ...]
    by_address: Mapping[str, StateResource] = field(repr=False, compare=False)
    """Current (not deposed) objects by address."""

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> StateValues:
        raw = raw or {}
        outputs = raw.get("outputs") or {}
        resources = tuple(_flatten_module(raw.get("root_module") or {}, None))
        return cls(
            outputs=MappingProxyType(
                {name: OutputValue.from_dict(name, item) for name, item in outputs.items()}
            ),
            resources=resources,
            by_address=MappingProxyType({r.address: r for r in resources if r.deposed_key is None}),
        )


def _flatten_module(raw: Mapping[str, Any], module_address: str | None) -> Iterator[StateResource]:
    pending = [(raw, module_address)]
    while pending:
        module, address = pending.pop()
        for resource in module.get("resources") or ():
            yield StateResource.from_dict(resource, address)
        for child in reversed(module.get("child_modules") or ()):
            pending.append((child, child.get("address")))


@dataclass(frozen=True, slots=True)
class PriorState:
    """The state the plan started from, with the versions that wrote it."""

    format_version: str | None
    terraform_version: str | None
    values: StateValues


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


def _sensitive_attributes(
    changes: tuple[ResourceChange, ...], *values: StateValues | None
) -> dict[str, set[str]]:
    """Top-level attribute names that any instance of a block marks sensitive, by block address."""
    found: dict[str, set[str]] = {}
    for change in changes:
        for mask in (change.change.before_sensitive, change.change.after_sensitive):
            for path in mask_paths(mask):
                if path:
                    key = config_address(
                        change.module_address, change.mode, change.type, change.name
                    )
                    found.setdefault(key, set()).add(str(path[0]))
    for state in values:
        for resource in state.resources if state else ():
            for path in mask_paths(resource.sensitive_values):
                if path:
                    key = config_address(
                        resource.module_address, resource.mode, resource.type, resource.name
                    )
                    found.setdefault(key, set()).add(str(path[0]))
    return found


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
    def from_dict(cls, raw: Mapping[str, Any]) -> CheckResult:
        address = raw.get("address") or {}
        return cls(
            address=str(address.get("to_display", "")),
            kind=str(address.get("kind", "")),
            status=str(raw.get("status", "unknown")),
            instances=tuple(
                CheckInstance(
                    address=str((item.get("address") or {}).get("to_display", "")),
                    status=str(item.get("status", "unknown")),
                    problems=tuple(
                        str(problem.get("message", ""))
                        for problem in item.get("problems") or ()
                        if isinstance(problem, dict)
                    ),
                )
                for item in raw.get("instances") or ()
                if isinstance(item, dict)
            ),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole plan. `source_format` is "plan" or "redacted" (HCP Terraform's export)."""

    format_version: str
    terraform_version: str | None
    source_format: str
    variables: Mapping[str, Any]
    planned_values: StateValues
    prior_state: PriorState | None
    resource_changes: tuple[ResourceChange, ...]
    resource_drift: tuple[ResourceChange, ...]
    deferred_changes: tuple[DeferredChange, ...]
    output_changes: Mapping[str, OutputChange]
    configuration: Configuration
    checks: tuple[CheckResult, ...]
    relevant_attributes: tuple[tuple[str, Path], ...]
    timestamp: str | None
    errored: bool | None
    complete: bool | None
    applyable: bool | None
    _by_address: Mapping[str, ResourceChange] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], source_format: str = "plan") -> Plan:
        prior = raw.get("prior_state")
        changes = tuple(
            ResourceChange.from_dict(item) for item in raw.get("resource_changes") or ()
        )
        planned = StateValues.from_dict(raw.get("planned_values"))
        prior_values = (
            StateValues.from_dict(prior.get("values")) if isinstance(prior, dict) else None
        )
        configuration = Configuration.from_dict(raw.get("configuration")).hiding(
            _sensitive_attributes(changes, planned, prior_values)
        )
        return cls(
            format_version=raw["format_version"],
            terraform_version=raw.get("terraform_version"),
            source_format=source_format,
            variables=MappingProxyType(
                {
                    name: SENSITIVE
                    if _variable_is_sensitive(configuration, name)
                    else resolve(
                        (item or {}).get("value", ABSENT) if isinstance(item, dict) else ABSENT
                    )
                    for name, item in (raw.get("variables") or {}).items()
                }
            ),
            planned_values=planned,
            prior_state=None
            if not isinstance(prior, dict)
            else PriorState(
                format_version=prior.get("format_version"),
                terraform_version=prior.get("terraform_version"),
                values=prior_values or StateValues.from_dict(None),
            ),
            resource_changes=changes,
            resource_drift=tuple(
                ResourceChange.from_dict(item) for item in raw.get("resource_drift") or ()
            ),
            deferred_changes=tuple(
                DeferredChange(
                    reason=str(item.get("reason", "unknown")),
                    resource_change=ResourceChange.from_dict(item["resource_change"]),
                )
                for item in raw.get("deferred_changes") or ()
            ),
            output_changes=MappingProxyType(
                {
                    name: OutputChange.from_dict(
                        name,
                        item,
                        sensitive=configuration.root_outputs_sensitive.get(name, False)
                        or any(
                            name in values.outputs and values.outputs[name].sensitive
                            for values in (planned, prior_values)
                            if values is not None
                        ),
                    )
                    for name, item in (raw.get("output_changes") or {}).items()
                }
            ),
            configuration=configuration,
            checks=tuple(CheckResult.from_dict(item) for item in raw.get("checks") or ()),
            relevant_attributes=tuple(
                (item["resource"], tuple(item.get("attribute") or ()))
                for item in raw.get("relevant_attributes") or ()
            ),
            timestamp=raw.get("timestamp"),
            errored=raw.get("errored"),
            complete=raw.get("complete"),
            applyable=raw.get("applyable"),
            _by_address=MappingProxyType({c.address: c for c in changes if c.deposed is None}),
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
            "opentofu" in (p.full_name or "") for p in self.configuration.provider_configs.values()
        )

    @property
    def is_zero_change(self) -> bool:
        return not self.changes and not self.changing_outputs and not self.resource_drift


def _variable_is_sensitive(configuration: Configuration, name: str) -> bool:
    declared = configuration.root_variables.get(name)
    return declared is not None and declared.sensitive
