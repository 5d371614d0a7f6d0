"""The configuration as immutable values: what the HCL says, with where it says it.

Everything is frozen, containers are tuples and read-only mappings, so a policy can hold on to any
piece without defending against another policy changing it. Attribute values are normalised
(see ``_hcl``): literal strings unquoted, expressions kept as :class:`Expression` source text.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from plangate.config.addresses import module_address, parse_resource_address, split_module_path
from plangate.config.addresses import tokenize as _tokenize

_EMPTY: Final[Mapping[str, Any]] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    """Dataclasses refuse a mapping as a default value; one shared empty read-only map."""
    return _EMPTY


class Absent(enum.Enum):
    """A variable without ``default`` is required; ``default = null`` is not. Keep them apart."""

    ABSENT = enum.auto()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = Absent.ABSENT


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A file and 1-based line, what SARIF and error messages point at."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """The ``lifecycle`` block, read from HCL because plans do not carry ``prevent_destroy``."""

    prevent_destroy: bool = False
    create_before_destroy: bool = False
    ignore_changes: tuple[str, ...] = ()
    replace_triggered_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResourceBlock:
    """One ``resource`` or ``data`` block: per block, not per instance (count is not expanded).

    ``attributes`` holds arguments and nested blocks (a nested block is a tuple of mappings, its
    name listed in ``block_types``); meta-arguments have fields of their own. ``count`` and
    ``for_each`` are expression source text (``"var.n"``, ``"2"``).
    """

    mode: Literal["managed", "data"]
    type: str
    name: str
    address_in_module: str
    location: SourceLocation
    attributes: Mapping[str, Any] = field(default_factory=_empty)
    count: str | None = None
    for_each: str | None = None
    depends_on: tuple[str, ...] = ()
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    provider: str | None = None
    block_types: frozenset[str] = frozenset()
    member_lines: Mapping[str, int] = field(default_factory=_empty)

    def attribute_location(self, name: str) -> SourceLocation | None:
        """Where an argument or nested block is first written, for findings on one attribute."""
        line = self.member_lines.get(name)
        return None if line is None else SourceLocation(self.location.path, line)


@dataclass(frozen=True, slots=True)
class ModuleCall:
    """A ``module`` block; ``arguments`` are the input variables, meta-arguments apart."""

    name: str
    source: str
    location: SourceLocation
    arguments: Mapping[str, Any] = field(default_factory=_empty)
    count: str | None = None
    for_each: str | None = None
    depends_on: tuple[str, ...] = ()
    version: str | None = None
    providers: Mapping[str, str] = field(default_factory=_empty)

    @property
    def is_local(self) -> bool:
        """Terraform treats only ``./`` and ``../`` sources as paths; the rest is downloaded."""
        return self.source.startswith(("./", "../", ".\\", "..\\"))


@dataclass(frozen=True, slots=True)
class Variable:
    """A ``variable`` block. ``default`` is :data:`ABSENT` when not written (a required input)."""

    name: str
    location: SourceLocation
    type: str | None = None
    default: Any = ABSENT
    description: str | None = None
    sensitive: bool = False
    nullable: bool = True  # Terraform's default
    validations: int = 0

    @property
    def required(self) -> bool:
        """A caller must set it: no default written."""
        return self.default is ABSENT


@dataclass(frozen=True, slots=True)
class Output:
    """An ``output`` block; its value is an expression and stays in the plan's domain."""

    name: str
    location: SourceLocation
    description: str | None = None
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class ProviderRequirement:
    """An entry of ``required_providers``; the legacy string form only sets ``version``."""

    source: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class Backend:
    """Where state lives: ``backend "gcs" {}``, or ``type == "cloud"`` for a ``cloud`` block."""

    type: str
    config: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class TerraformSettings:
    """The ``terraform`` blocks of a module, merged."""

    required_version: str | None = None
    required_providers: Mapping[str, ProviderRequirement] = field(default_factory=_empty)
    backend: Backend | None = None


@dataclass(frozen=True, slots=True)
class ProviderBlock:
    """A ``provider`` block; ``alias`` apart because it names the configuration."""

    name: str
    location: SourceLocation
    alias: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class Module:
    """One directory of ``.tf`` files, read on its own (module calls are not followed here)."""

    directory: Path
    files: tuple[Path, ...] = ()
    resources: tuple[ResourceBlock, ...] = ()
    module_calls: Mapping[str, ModuleCall] = field(default_factory=_empty)
    variables: Mapping[str, Variable] = field(default_factory=_empty)
    outputs: Mapping[str, Output] = field(default_factory=_empty)
    locals: Mapping[str, Any] = field(default_factory=_empty)
    settings: TerraformSettings = field(default_factory=TerraformSettings)
    provider_blocks: tuple[ProviderBlock, ...] = ()

    def resource(self, address_in_module: str) -> ResourceBlock | None:
        """The block at ``google_x.y`` or ``data.google_x.y`` in this module."""
        for block in self.resources:
            if block.address_in_module == address_in_module:
                return block
        return None


@dataclass(frozen=True, slots=True)
class Configuration:
    """A module and, keyed by module call name, the configurations of its local child modules.

    Calls to registry or git sources have no child here (they are recorded, not followed); see
    :meth:`unfollowed_module_calls`. Lookups accept plan instance addresses and ignore the keys.
    """

    root: Module
    children: Mapping[str, Configuration] = field(default_factory=_empty)
    _resources: Mapping[str, ResourceBlock] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, ResourceBlock] = {
            block.address_in_module: block for block in self.root.resources
        }
        for name, child in self.children.items():
            for address, block in child._resources.items():
                index[f"module.{name}.{address}"] = block
        object.__setattr__(self, "_resources", MappingProxyType(index))

    def resource_addresses(self) -> frozenset[str]:
        """Configuration addresses of every resource and data block, module path included."""
        return frozenset(self._resources)

    def resources(self) -> Mapping[str, ResourceBlock]:
        """Every block by configuration address."""
        return self._resources

    def resource(self, address: str) -> ResourceBlock | None:
        """The block an address (configuration or instance) names, or None."""
        config_address = parse_resource_address(address).config_address
        return self._resources.get(config_address)

    def locate(self, address: str) -> SourceLocation | None:
        """Where a resource (or a module call, for ``module.a[0]``) is declared, or None."""
        steps = _tokenize(address)
        path, rest = split_module_path(steps)
        if not rest and path:
            call = self.module_call(address)
            return None if call is None else call.location
        block = self.resource(address)
        return None if block is None else block.location

    def module_call(self, address: str) -> ModuleCall | None:
        """The ``module`` block that ``module.a.module.b`` (keys allowed) names, or None."""
        calls = self.module_call_chain(address)
        path, _ = split_module_path(_tokenize(address))
        return calls[-1] if path and len(calls) == len(path) else None

    def module_call_chain(self, address: str) -> tuple[ModuleCall, ...]:
        """The module calls an address passes through, outermost first, as far as known."""
        path, _ = split_module_path(_tokenize(address))
        chain: list[ModuleCall] = []
        node: Configuration | None = self
        for step in path:
            if node is None or step.name not in node.root.module_calls:
                break
            chain.append(node.root.module_calls[step.name])
            node = node.children.get(step.name)
        return tuple(chain)

    def modules(self) -> Iterator[tuple[str, Module]]:
        """Every module with its configuration address (root first, as ``""``)."""
        yield from self._walk(())

    def _walk(self, names: tuple[str, ...]) -> Iterator[tuple[str, Module]]:
        yield module_address(names), self.root
        for name, child in self.children.items():
            yield from child._walk((*names, name))

    def unfollowed_module_calls(self) -> Mapping[str, ModuleCall]:
        """Module calls (by module address) whose resources are unknown here: remote sources."""
        found: dict[str, ModuleCall] = {}
        for address, module in self.modules():
            prefix = f"{address}." if address else ""
            node = self._node(address)
            for name, call in module.module_calls.items():
                if node is None or name not in node.children:
                    found[f"{prefix}module.{name}"] = call
        return MappingProxyType(found)

    def _node(self, address: str) -> Configuration | None:
        node: Configuration | None = self
        if address:
            for step in split_module_path(_tokenize(address))[0]:
                node = None if node is None else node.children.get(step.name)
        return node
