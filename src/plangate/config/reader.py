"""Read a Terraform directory into a :class:`Module`, and a root module into a Configuration."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from plangate.config._hcl import (
    Expression,
    body_items,
    is_block_list,
    labelled_blocks,
    normalise,
    parse_file,
    source_text,
    unquoted_text,
)
from plangate.config._scan import BlockHeader, scan_blocks
from plangate.config.model import (
    ABSENT,
    Backend,
    Configuration,
    Lifecycle,
    Module,
    ModuleCall,
    Output,
    ProviderBlock,
    ProviderRequirement,
    ResourceBlock,
    SourceLocation,
    TerraformSettings,
    Variable,
)
from plangate.errors import InputError

_RESOURCE_META = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
_MODULE_META = frozenset({"source", "version", "count", "for_each", "depends_on", "providers"})
_MAX_MODULE_DEPTH = 32


def tf_files(directory: Path) -> tuple[Path, ...]:
    """The ``.tf`` files Terraform would read, in name order (hidden and editor backups skipped)."""
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
    except FileNotFoundError:
        raise InputError(f"{directory}: no such directory; expected a Terraform module") from None
    except NotADirectoryError:
        raise InputError(f"{directory}: not a directory; expected a Terraform module") from None
    except OSError as exc:
        raise InputError(f"{directory}: cannot read directory: {exc.strerror or exc}") from None
    return tuple(
        directory / name
        for name in names
        if name.endswith(".tf") and not name.startswith((".", "#")) and not name.endswith("~")
    )


def read_module(directory: Path | str) -> Module:
    """Parse every ``.tf`` file of one directory; raise InputError on anything Terraform rejects."""
    directory = Path(directory)
    files = tf_files(directory)
    if not files:
        raise InputError(f"{directory}: no .tf files; expected a Terraform module directory")
    builder = _ModuleBuilder(directory)
    for path in files:
        text, data = parse_file(path)
        builder.add_file(path, data, scan_blocks(text))
    return builder.build(files)


def load_configuration(root_dir: Path | str) -> Configuration:
    """Read a root module and, recursively, every module it calls by a local path.

    Registry and git sources are recorded on their :class:`ModuleCall` but not followed. A module
    directory used several times is parsed once.
    """
    cache: dict[Path, Module] = {}
    return _configuration(Path(root_dir), cache, ())


def _configuration(
    directory: Path, cache: dict[Path, Module], ancestors: tuple[Path, ...]
) -> Configuration:
    key = directory.resolve()
    if key in ancestors:
        raise InputError(f"{directory}: module calls itself through its children (a cycle)")
    if len(ancestors) >= _MAX_MODULE_DEPTH:
        raise InputError(f"{directory}: modules nested deeper than {_MAX_MODULE_DEPTH} levels")
    module = cache.get(key)
    if module is None:
        module = cache[key] = read_module(directory)
    children: dict[str, Configuration] = {}
    for name, call in module.module_calls.items():
        if not call.is_local:
            continue
        child_dir = Path(os.path.normpath(directory / call.source.replace("\\", "/")))
        if not child_dir.is_dir():
            raise InputError(
                f"{call.location}: module {name!r} source {call.source!r} is not a directory"
            )
        children[name] = _configuration(child_dir, cache, (*ancestors, key))
    return Configuration(module, MappingProxyType(children))


class _ModuleBuilder:
    """Collects the blocks of a module's files, rejecting what Terraform rejects as duplicates."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.resources: dict[str, ResourceBlock] = {}
        self.module_calls: dict[str, ModuleCall] = {}
        self.variables: dict[str, Variable] = {}
        self.outputs: dict[str, Output] = {}
        self.locals: dict[str, Any] = {}
        self.local_lines: dict[str, SourceLocation] = {}
        self.providers: list[ProviderBlock] = []
        self.required_version: str | None = None
        self.required_providers: dict[str, ProviderRequirement] = {}
        self.backend: Backend | None = None
        self.backend_location: SourceLocation | None = None

    def add_file(
        self, path: Path, data: Mapping[str, Any], headers: tuple[BlockHeader, ...]
    ) -> None:
        """Add one parsed file's blocks, each paired with its scanned header line."""
        handlers: dict[str, Callable[[tuple[str, ...], dict[str, Any], _Where], None]] = {
            "resource": lambda labels, body, where: self._resource("managed", labels, body, where),
            "data": lambda labels, body, where: self._resource("data", labels, body, where),
            "module": self._module,
            "variable": self._variable,
            "output": self._output,
            "provider": self._provider,
            "terraform": self._terraform,
            "locals": self._locals,
        }
        pending: dict[str, list[BlockHeader]] = {}
        for header in headers:
            pending.setdefault(header.type, []).append(header)
        for block_type, entries in data.items():
            handler = handlers.get(block_type)
            if handler is None or not isinstance(entries, list):
                continue  # moved, import, removed, check: not part of this model
            for entry in entries:
                for labels, body in labelled_blocks(entry):
                    header = _take_header(pending.get(block_type, []), labels, path, block_type)
                    handler(labels, body, _Where(path, header))

    # -- block kinds -------------------------------------------------------------------------

    def _resource(
        self,
        mode: Literal["managed", "data"],
        labels: tuple[str, ...],
        body: dict[str, Any],
        where: _Where,
    ) -> None:
        keyword = "resource" if mode == "managed" else "data"
        type_, name = where.labels(labels, 2, keyword)
        address = f"{type_}.{name}" if mode == "managed" else f"data.{type_}.{name}"
        items = dict(body_items(body))
        where.reject_duplicate_attributes(address)
        attributes = {k: v for k, v in items.items() if k not in _RESOURCE_META}
        block = ResourceBlock(
            mode=mode,
            type=type_,
            name=name,
            address_in_module=address,
            location=where.location,
            attributes=normalise(attributes),
            count=_optional_text(items, "count"),
            for_each=_optional_text(items, "for_each"),
            depends_on=_text_list(items.get("depends_on")),
            lifecycle=_lifecycle(items.get("lifecycle"), where),
            provider=_optional_text(items, "provider"),
            block_types=frozenset(k for k, v in attributes.items() if is_block_list(v)),
            member_lines=where.header.members,
        )
        self._unique(self.resources, address, block, block.location, f"{keyword} block")

    def _module(self, labels: tuple[str, ...], body: dict[str, Any], where: _Where) -> None:
        (name,) = where.labels(labels, 1, "module")
        items = dict(body_items(body))
        source = _literal_string(items.get("source"), where, "source")
        if source is None:
            raise InputError(f"{where.location}: module {name!r} has no source; expected a string")
        providers = items.get("providers")
        call = ModuleCall(
            name=name,
            source=source,
            location=where.location,
            arguments=normalise({k: v for k, v in items.items() if k not in _MODULE_META}),
            count=_optional_text(items, "count"),
            for_each=_optional_text(items, "for_each"),
            depends_on=_text_list(items.get("depends_on")),
            version=_literal_string(items.get("version"), where, "version"),
            providers=MappingProxyType(
                {unquoted_text(key): source_text(value) for key, value in body_items(providers)}
                if isinstance(providers, dict)
                else {}
            ),
        )
        self._unique(self.module_calls, name, call, call.location, "module block")

    def _variable(self, labels: tuple[str, ...], body: dict[str, Any], where: _Where) -> None:
        (name,) = where.labels(labels, 1, "variable")
        items = dict(body_items(body))
        validations = items.get("validation")
        variable = Variable(
            name=name,
            location=where.location,
            type=_optional_text(items, "type"),
            default=normalise(items["default"]) if "default" in items else ABSENT,
            description=_literal_string(items.get("description"), where, "description"),
            sensitive=_literal_bool(items.get("sensitive"), where, "sensitive", default=False),
            nullable=_literal_bool(items.get("nullable"), where, "nullable", default=True),
            validations=len(validations) if isinstance(validations, list) else 0,
        )
        self._unique(self.variables, name, variable, variable.location, "variable block")

    def _output(self, labels: tuple[str, ...], body: dict[str, Any], where: _Where) -> None:
        (name,) = where.labels(labels, 1, "output")
        items = dict(body_items(body))
        output = Output(
            name=name,
            location=where.location,
            description=_literal_string(items.get("description"), where, "description"),
            sensitive=_literal_bool(items.get("sensitive"), where, "sensitive", default=False),
        )
        self._unique(self.outputs, name, output, output.location, "output block")

    def _provider(self, labels: tuple[str, ...], body: dict[str, Any], where: _Where) -> None:
        (name,) = where.labels(labels, 1, "provider")
        items = dict(body_items(body))
        self.providers.append(
            ProviderBlock(
                name=name,
                location=where.location,
                alias=_literal_string(items.get("alias"), where, "alias"),
                attributes=normalise({k: v for k, v in items.items() if k != "alias"}),
            )
        )

    def _terraform(self, labels: tuple[str, ...], body: dict[str, Any], where: _Where) -> None:
        where.labels(labels, 0, "terraform")
        items = dict(body_items(body))
        version = _literal_string(items.get("required_version"), where, "required_version")
        if version is not None:
            self.required_version = version
        for block in _blocks(items.get("required_providers")):
            for local_name, spec in body_items(block):
                self.required_providers[local_name] = _requirement(spec, where, local_name)
        for kind in ("backend", "cloud"):
            for entry in items.get(kind) or ():
                for found_labels, config in labelled_blocks(entry):
                    backend_type = found_labels[0] if found_labels else kind
                    if self.backend is not None:
                        raise InputError(
                            f"{where.location}: a second backend ({backend_type!r}); "
                            f"expected one per module, the first is at {self.backend_location}"
                        )
                    self.backend = Backend(backend_type, normalise(config))
                    self.backend_location = where.location

    def _locals(self, labels: tuple[str, ...], body: dict[str, Any], where: _Where) -> None:
        where.labels(labels, 0, "locals")
        for key, value in body_items(body):
            if key in self.locals:
                raise InputError(
                    f"{where.location}: local value {key!r} defined twice; "
                    f"expected unique names, the first is at {self.local_lines[key]}"
                )
            self.locals[key] = normalise(value)
            self.local_lines[key] = where.location

    # -- assembly ----------------------------------------------------------------------------

    @staticmethod
    def _unique(
        into: dict[str, Any], key: str, value: Any, location: SourceLocation, what: str
    ) -> None:
        previous = into.get(key)
        if previous is not None:
            raise InputError(
                f"{location}: duplicate {what} {key!r}; expected unique names, "
                f"the first is at {previous.location}"
            )
        into[key] = value

    def build(self, files: tuple[Path, ...]) -> Module:
        """The immutable module."""
        return Module(
            directory=self.directory,
            files=files,
            resources=tuple(self.resources.values()),
            module_calls=MappingProxyType(self.module_calls),
            variables=MappingProxyType(self.variables),
            outputs=MappingProxyType(self.outputs),
            locals=MappingProxyType(self.locals),
            settings=TerraformSettings(
                required_version=self.required_version,
                required_providers=MappingProxyType(self.required_providers),
                backend=self.backend,
            ),
            provider_blocks=tuple(self.providers),
        )


class _Where:
    """The file and scanned header of the block being read, for locations and messages."""

    def __init__(self, path: Path, header: BlockHeader) -> None:
        self.header = header
        self.location = SourceLocation(path, header.line)

    def labels(self, labels: tuple[str, ...], count: int, keyword: str) -> tuple[str, ...]:
        if len(labels) != count:
            raise InputError(
                f"{self.location}: {keyword} block has {len(labels)} labels; expected {count}"
            )
        return labels

    def reject_duplicate_attributes(self, what: str) -> None:
        if self.header.duplicate_attributes:
            name, line = self.header.duplicate_attributes[0]
            raise InputError(
                f"{self.location.path}:{line}: argument {name!r} of {what} set twice; "
                "expected each argument once"
            )


def _take_header(
    pending: list[BlockHeader], labels: tuple[str, ...], path: Path, block_type: str
) -> BlockHeader:
    """The scanned header for a parsed block; blocks of a type come in file order."""
    for index, header in enumerate(pending):
        if header.labels == labels:
            return pending.pop(index)
    shown = " ".join([block_type, *(f'"{label}"' for label in labels)])
    raise InputError(f"{path}: cannot find the line of block {shown}; expected a header line")


def _blocks(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _optional_text(items: Mapping[str, Any], key: str) -> str | None:
    return unquoted_text(items[key]) if key in items else None


def _text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(unquoted_text(item) for item in value)
    return (unquoted_text(value),)  # ignore_changes = all


def _literal_string(value: Any, where: _Where, what: str) -> str | None:
    if value is None:
        return None
    normalised = normalise(value)
    if not isinstance(normalised, str) or isinstance(normalised, Expression):
        raise InputError(f"{where.location}: {what} is {source_text(value)}; expected a string")
    return normalised


def _literal_bool(value: Any, where: _Where, what: str, *, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InputError(f"{where.location}: {what} is {source_text(value)}; expected true/false")
    return value


def _lifecycle(value: Any, where: _Where) -> Lifecycle:
    blocks = _blocks(value)
    if not blocks:
        return Lifecycle()
    if len(blocks) > 1:
        raise InputError(f"{where.location}: two lifecycle blocks; expected at most one")
    items = dict(body_items(blocks[0]))
    return Lifecycle(
        prevent_destroy=_literal_bool(
            items.get("prevent_destroy"), where, "prevent_destroy", default=False
        ),
        create_before_destroy=_literal_bool(
            items.get("create_before_destroy"), where, "create_before_destroy", default=False
        ),
        ignore_changes=_text_list(items.get("ignore_changes")),
        replace_triggered_by=_text_list(items.get("replace_triggered_by")),
    )


def _requirement(spec: Any, where: _Where, name: str) -> ProviderRequirement:
    if isinstance(spec, dict):
        items = dict(body_items(spec))
        return ProviderRequirement(
            source=_literal_string(items.get("source"), where, f"{name}.source"),
            version=_literal_string(items.get("version"), where, f"{name}.version"),
        )
    return ProviderRequirement(version=_literal_string(spec, where, name))
