"""Resource and output changes: `resource_changes`, `resource_drift`, `deferred_changes`.

Each change keeps its values as raw JSON and resolves them when read (see `plan.wire`):
`before` and `after` come back frozen, with UNKNOWN and SENSITIVE merged in, every time,
and sensitive plaintext is never part of what a property returns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec

from plangate.plan.actions import Actions, ChangeKind
from plangate.plan.values import Path, changed_paths, get_path, resolve
from plangate.plan.wire import (
    NO_MASK,
    NULL,
    Index,
    Mask,
    NonEmpty,
    PathStepValue,
    Wire,
    frozen_mask,
    hidden_attributes,
    is_mask,
    resolve_raw,
)


@cache
def _actions(values: tuple[str, ...]) -> Actions:
    """One Actions object per distinct list: a plan has a handful, read millions of times."""
    return Actions(values)


@dataclass(frozen=True, slots=True)
class Importing:
    """An import planned with this change (Terraform 1.5+): by id, identity, or deferred."""

    id: str | None
    unknown: bool
    identity: Mapping[str, Any] | None


class _ImportingWire(Wire, frozen=True, kw_only=True):
    id: str | None = None
    unknown: bool = False
    identity: dict[str, Any] | None = None


class Change(Wire, frozen=True, kw_only=True):
    """Before and after of one object; values are resolved against their masks when read."""

    action_list: tuple[str, ...] = msgspec.field(name="actions")
    _raw_before: msgspec.Raw = msgspec.field(name="before", default=NULL)
    _raw_after: msgspec.Raw = msgspec.field(name="after", default=NULL)
    _after_unknown: Mask = msgspec.field(name="after_unknown", default=NO_MASK)
    _before_sensitive: Mask = msgspec.field(name="before_sensitive", default=NO_MASK)
    _after_sensitive: Mask = msgspec.field(name="after_sensitive", default=NO_MASK)
    replace_path_list: tuple[tuple[PathStepValue, ...], ...] = msgspec.field(
        name="replace_paths", default=()
    )
    importing_block: _ImportingWire | None = msgspec.field(name="importing", default=None)
    generated_config: str | None = None

    def __post_init__(self) -> None:
        if not self.action_list:
            raise msgspec.ValidationError("actions: expected at least 1 item")
        for mask in (
            self._after_unknown,
            self._before_sensitive,
            self._after_sensitive,
        ):
            if not is_mask(mask):
                raise msgspec.ValidationError("a mask: expected boolean or object or array")

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Change:
        return msgspec.json.decode(json.dumps(raw), type=cls)

    @property
    def actions(self) -> Actions:
        return _actions(self.action_list)

    @property
    def before(self) -> Any:
        return resolve_raw(self._raw_before, False, self._before_sensitive)

    @property
    def after(self) -> Any:
        return resolve_raw(self._raw_after, self._after_unknown, self._after_sensitive)

    @property
    def before_sensitive(self) -> Any:
        return frozen_mask(self._before_sensitive)

    @property
    def after_sensitive(self) -> Any:
        return frozen_mask(self._after_sensitive)

    def hidden_attributes(self) -> set[str]:
        """Top-level attributes either side marks sensitive (to hide their literals in config)."""
        return hidden_attributes(self._before_sensitive, self._after_sensitive)

    def sensitive_mask(self, after: bool) -> Mask:
        """The raw sensitive mask of one side, for state values written without their own."""
        return self._after_sensitive if after else self._before_sensitive

    @property
    def replace_paths(self) -> tuple[Path, ...]:
        return self.replace_path_list

    @property
    def importing(self) -> Importing | None:
        block = self.importing_block
        if block is None:
            return None
        return Importing(
            id=block.id,
            unknown=block.unknown,
            identity=resolve(block.identity) if block.identity is not None else None,
        )

    @property
    def changed_paths(self) -> tuple[Path, ...]:
        """Attribute paths an update or replace changes, cut where a secret begins.

        Diffed on the plain values, so that a changed secret is still seen as changed, then
        cut at the first hidden step: a path inside a secret (a sensitive map's keys) would
        show part of it.
        """
        if self.actions.kind not in (ChangeKind.UPDATE, ChangeKind.REPLACE):
            return ()
        hidden = (self.before_sensitive, self.after_sensitive)
        raw_diff = changed_paths(
            resolve_raw(self._raw_before), resolve_raw(self._raw_after, self._after_unknown)
        )
        return tuple(dict.fromkeys(_visible_prefix(path, hidden) for path in raw_diff))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Change):
            return NotImplemented
        return _view(self) == _view(other)

    def __repr__(self) -> str:
        return f"Change(actions={list(self.action_list)!r})"


def _view(change: Change) -> tuple[Any, ...]:
    """What a change says, independent of how its JSON was spaced."""
    return (
        change.action_list,
        change.before,
        change.after,
        change.before_sensitive,
        change.after_sensitive,
        change.replace_path_list,
        change.importing,
        change.generated_config,
    )


def _visible_prefix(path: Path, masks: tuple[Any, ...]) -> Path:
    """The path, cut after the first step that any of the sensitive masks hides."""
    for end in range(len(path) + 1):
        if any(get_path(mask, path[:end]) is True for mask in masks):
            return path[:end]
    return path


class ResourceChange(Wire, frozen=True, kw_only=True):
    """One entry of `resource_changes` (or `resource_drift`, or a deferred change)."""

    address: NonEmpty = msgspec.UNSET  # type: ignore[assignment]
    """Unset only while decoding: `with_address` derives it where a release left it out."""
    module_address: str | None = None
    mode: str = "managed"
    type: NonEmpty
    name: NonEmpty
    index: Index | None = None
    index_unknown: bool = False
    """A deferred instance whose count or for_each key is not known yet (Terraform 1.9+)."""
    provider_name: str = ""
    deposed: str | None = None
    action_reason: str | None = None
    previous_address: str | None = None
    change: Change

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ResourceChange:
        return with_address(msgspec.json.decode(json.dumps(raw), type=cls))

    @property
    def actions(self) -> Actions:
        return self.change.actions

    @property
    def kind(self) -> ChangeKind:
        return self.change.actions.kind

    @property
    def is_import(self) -> bool:
        return self.change.importing_block is not None

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

    def __repr__(self) -> str:
        return f"ResourceChange({self.display_address!r}, {self.change!r})"


def instance_address(
    module_address: str | None, mode: str, type_: str, name: str, index: Any, index_unknown: bool
) -> str:
    """The address Terraform would print for an instance, built from its parts (`[*]` for an
    instance whose key is not known yet)."""
    local = f"data.{type_}.{name}" if mode == "data" else f"{type_}.{name}"
    if index_unknown:
        local += "[*]"
    elif isinstance(index, int) and not isinstance(index, bool):
        local += f"[{index}]"
    elif isinstance(index, str):
        local += f"[{json.dumps(index)}]"
    return f"{module_address}.{local}" if module_address else local


def with_address(change: ResourceChange) -> ResourceChange:
    """The change with its address derived when the release did not write one.

    Terraform 1.0's `resource_drift` entries carry module address, mode, type, name and
    index but no `address`; everything needed to judge them is there.
    """
    if change.address is not msgspec.UNSET:
        return change
    address = instance_address(
        change.module_address,
        change.mode,
        change.type,
        change.name,
        change.index,
        change.index_unknown,
    )
    return msgspec.structs.replace(change, address=address)


class DeferredChange(Wire, frozen=True, kw_only=True):
    """A change Terraform postponed (1.9+ with deferrals), with the reason it gave."""

    reason: str = "unknown"
    resource_change: ResourceChange


@dataclass(frozen=True, slots=True)
class OutputChange:
    """A root output's planned change; sensitive sides are hidden."""

    name: str
    actions: Actions
    before: Any
    after: Any

    @classmethod
    def from_change(cls, name: str, change: Change, sensitive: bool = False) -> OutputChange:
        """`sensitive` hides both sides when the output is declared sensitive elsewhere in the
        plan: before 0.15 output changes carried no sensitive flags of their own."""
        return cls(
            name=name,
            actions=change.actions,
            before=resolve_raw(change._raw_before, False, sensitive or change._before_sensitive),
            after=resolve_raw(
                change._raw_after,
                change._after_unknown,
                sensitive or change._after_sensitive,
            ),
        )

    @classmethod
    def from_dict(cls, name: str, raw: Mapping[str, Any], sensitive: bool = False) -> OutputChange:
        return cls.from_change(name, Change.from_dict(raw), sensitive)
