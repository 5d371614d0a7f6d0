"""The stack's configuration as editable specifications, read once per directory.

``load_stack`` reads a root module and its local modules with ``plangate.config`` (plus the
output values, which that model does not keep) into :class:`ModuleSpec` objects. Scenarios edit
copies of them; the evaluator and the document writer read them. Module directories are parsed
once per process, whichever environment calls them.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from plangen_expr import EvalError, Node, parse_template

from plangate.config import ABSENT, Configuration, Expression, Module, ResourceBlock, read_module
from plangate.config._hcl import body_items, labelled_blocks, normalise, parse_file, source_text

REPO = Path(__file__).resolve().parents[2]


@cache
def show_path(path: Path) -> str:
    """A path relative to the repository when it is inside it."""
    resolved = path.resolve()
    return os.path.relpath(resolved, REPO) if resolved.is_relative_to(REPO) else str(path)


@cache
def _lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").splitlines())


def line_of(path: Path, start: int, name: str) -> int:
    """The first line at or after ``start`` that assigns ``name`` (else ``start``)."""
    pattern = re.compile(rf'^\s*"?{re.escape(name)}"?\s*=(?!=)')
    lines = _lines(path)
    for index in range(max(start - 1, 0), len(lines)):
        if pattern.match(lines[index]):
            return index + 1
    return start


@dataclass(frozen=True, slots=True)
class Where:
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{show_path(self.path)}:{self.line}"

    def at(self, name: str) -> Where:
        return Where(self.path, line_of(self.path, self.line, name))


# --------------------------------------------------------------------------- specification


@dataclass
class ResourceSpec:
    mode: str
    type: str
    name: str
    attributes: dict[str, Any]
    block_types: set[str]
    where: Where
    member_lines: dict[str, int] = field(default_factory=dict)
    count: str | None = None
    for_each: str | None = None
    depends_on: list[str] = field(default_factory=list)
    prevent_destroy: bool = False

    @property
    def address(self) -> str:
        local = f"{self.type}.{self.name}"
        return local if self.mode == "managed" else f"data.{local}"

    def where_of(self, name: str) -> Where:
        line = self.member_lines.get(name)
        return self.where if line is None else Where(self.where.path, line)


@dataclass
class VariableSpec:
    name: str
    where: Where
    type: str | None = None
    default: Any = ABSENT
    description: str | None = None
    sensitive: bool = False


@dataclass
class OutputSpec:
    name: str
    value: Any
    where: Where
    description: str | None = None
    sensitive: bool = False
    depends_on: list[str] = field(default_factory=list)


@dataclass
class CallSpec:
    name: str
    source: str
    arguments: dict[str, Any]
    where: Where
    depends_on: list[str] = field(default_factory=list)


@dataclass
class ProviderSpec:
    name: str
    attributes: dict[str, Any]
    where: Where


@dataclass
class ModuleSpec:
    path: tuple[str, ...]
    directory: Path
    resources: dict[str, ResourceSpec]
    variables: dict[str, VariableSpec]
    locals: dict[str, Any]
    local_where: dict[str, Where]
    outputs: dict[str, OutputSpec]
    calls: dict[str, CallSpec]
    children: dict[str, ModuleSpec]
    providers: list[ProviderSpec]
    required_providers: dict[str, tuple[str | None, str | None]]

    @property
    def address(self) -> str:
        return ".".join(f"module.{name}" for name in self.path)

    def prefix(self) -> str:
        return f"{self.address}." if self.path else ""

    def walk(self) -> Iterator[ModuleSpec]:
        yield self
        for child in self.children.values():
            yield from child.walk()

    def module(self, path: tuple[str, ...]) -> ModuleSpec:
        node = self
        for name in path:
            node = node.children[name]
        return node


def thaw(value: Any) -> Any:
    """A normalised (read-only) value as plain mutable dicts and lists; Expressions kept."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(item) for item in value]
    return value


_HEREDOC = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)[ \t]*\n(.*?)\n[ \t]*\1[ \t]*$", re.S | re.M)


def _reject_heredoc_templates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for found in _HEREDOC.finditer(text):
        if "${" in found.group(2) or "%{" in found.group(2):
            line = text.count("\n", 0, found.start()) + 1
            raise EvalError(
                f"{show_path(path)}:{line}: heredoc templates with interpolation are not "
                "supported by the generator"
            )


def load_stack(root_dir: Path) -> ModuleSpec:
    """Read a root module and its local modules into editable specifications."""
    configuration = _configuration(Path(root_dir))

    def convert(config: Any, path: tuple[str, ...]) -> ModuleSpec:
        module = config.root
        values = _output_values(module.files)
        for file in module.files:
            _reject_heredoc_templates(file)
        resources = {block.address_in_module: _resource(block) for block in module.resources}
        outputs = {}
        for name, output in module.outputs.items():
            value, depends_on = copy.deepcopy(values[name])
            where = Where(output.location.path, output.location.line)
            outputs[name] = OutputSpec(
                name, value, where, output.description, output.sensitive, depends_on
            )
        calls: dict[str, CallSpec] = {}
        for name, call in module.module_calls.items():
            where = Where(call.location.path, call.location.line)
            if not call.is_local:
                raise EvalError(f"{where}: module {name}: only local module sources are modelled")
            if call.count is not None or call.for_each is not None or call.providers:
                raise EvalError(
                    f"{where}: module {name}: count, for_each and providers on module calls "
                    "are not modelled"
                )
            calls[name] = CallSpec(
                name, call.source, thaw(call.arguments), where, list(call.depends_on)
            )
        local_where = {}
        for name in module.locals:
            local_where[name] = _local_where(module.files, name)
        providers = []
        for block in module.provider_blocks:
            where = Where(block.location.path, block.location.line)
            if block.alias is not None or path:
                raise EvalError(
                    f"{where}: provider aliases and provider blocks in child modules are not "
                    "modelled"
                )
            providers.append(ProviderSpec(block.name, thaw(block.attributes), where))
        spec = ModuleSpec(
            path=path,
            directory=module.directory,
            resources=resources,
            variables={
                name: VariableSpec(
                    name,
                    Where(var.location.path, var.location.line),
                    var.type,
                    thaw(var.default) if var.default is not ABSENT else ABSENT,
                    var.description,
                    var.sensitive,
                )
                for name, var in module.variables.items()
            },
            locals={name: thaw(value) for name, value in module.locals.items()},
            local_where=local_where,
            outputs=outputs,
            calls=calls,
            children={
                name: convert(child, (*path, name)) for name, child in config.children.items()
            },
            providers=providers,
            required_providers={
                name: (req.source, req.version)
                for name, req in module.settings.required_providers.items()
            },
        )
        for name, call in calls.items():
            unknown = sorted(set(call.arguments) - set(spec.children[name].variables))
            if unknown:
                raise EvalError(f"{call.where}: module {name} has no variable {unknown[0]!r}")
        return spec

    return convert(configuration, ())


def _resource(block: ResourceBlock) -> ResourceSpec:
    where = Where(block.location.path, block.location.line)
    if block.provider is not None:
        raise EvalError(f"{where}: the provider meta-argument is not modelled")
    if "dynamic" in block.attributes:
        raise EvalError(f"{where}: dynamic blocks are not supported by the generator")
    return ResourceSpec(
        mode=block.mode,
        type=block.type,
        name=block.name,
        attributes=thaw(block.attributes),
        block_types=set(block.block_types),
        where=where,
        member_lines=dict(block.member_lines),
        count=block.count,
        for_each=block.for_each,
        depends_on=list(block.depends_on),
        prevent_destroy=block.lifecycle.prevent_destroy,
    )


@cache
def _module(directory: Path) -> Module:
    return read_module(directory)


def _configuration(directory: Path, depth: int = 0) -> Configuration:
    """plangate's ``load_configuration``, with each module directory parsed once per process."""
    if depth > 32:
        raise EvalError(f"{directory}: modules nested too deeply (a cycle?)")
    module = _module(directory.resolve())
    children = {}
    for name, call in module.module_calls.items():
        if call.is_local:
            children[name] = _configuration(
                Path(os.path.normpath(directory / call.source)), depth + 1
            )
    return Configuration(module, MappingProxyType(children))


@cache
def _output_values(files: tuple[Path, ...]) -> dict[str, tuple[Any, list[str]]]:
    """Output ``value`` and ``depends_on`` by name: the plangate model keeps neither."""
    found: dict[str, tuple[Any, list[str]]] = {}
    for path in files:
        if "output" not in path.read_text(encoding="utf-8"):
            continue
        _, data = parse_file(path)
        for entry in data.get("output") or ():
            for labels, body in labelled_blocks(entry):
                items = dict(body_items(body))
                depends = [source_text(item) for item in items.get("depends_on") or ()]
                found[labels[0]] = (thaw(normalise(items.get("value"))), depends)
    return found


def _local_where(files: tuple[Path, ...], name: str) -> Where:
    for path in files:
        lines = _lines(path)
        for index, line in enumerate(lines):
            if line.lstrip().startswith("locals"):
                found = line_of(path, index + 1, name)
                if found != index + 1:
                    return Where(path, found)
    return Where(files[0], 1)


def to_node(value: Any, where: Where) -> Node:
    """A normalised configuration value as an expression tree."""
    if isinstance(value, Expression):
        return parse_template(str(value), str(where))
    if isinstance(value, dict):
        return ("object", tuple((to_node(k, where), to_node(v, where)) for k, v in value.items()))
    if isinstance(value, list):
        return ("tuple", tuple(to_node(item, where) for item in value))
    return ("lit", value)


def is_block_list(value: Any) -> bool:
    """Inside a block, a non-empty list of bodies is a list of nested blocks."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
