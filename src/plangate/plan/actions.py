"""Planned actions, judged over the whole action list as Terraform writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChangeKind(StrEnum):
    """What a resource change amounts to; one kind per change, for counting and display."""

    NO_OP = "no-op"
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    FORGET = "forget"
    FORGET_REPLACE = "forget-replace"
    OPEN = "open"
    UNRECOGNISED = "unrecognised"


_KINDS: dict[tuple[str, ...], ChangeKind] = {
    ("no-op",): ChangeKind.NO_OP,
    ("create",): ChangeKind.CREATE,
    ("read",): ChangeKind.READ,
    ("update",): ChangeKind.UPDATE,
    ("delete", "create"): ChangeKind.REPLACE,
    ("create", "delete"): ChangeKind.REPLACE,
    ("delete",): ChangeKind.DELETE,
    ("forget",): ChangeKind.FORGET,
    ("create", "forget"): ChangeKind.FORGET_REPLACE,
    ("forget", "create"): ChangeKind.FORGET_REPLACE,
    ("open",): ChangeKind.OPEN,
}


@dataclass(frozen=True, slots=True)
class Actions:
    """The `actions` list of a change. Unrecognised lists are kept and count as changes."""

    values: tuple[str, ...]
    kind: ChangeKind = field(init=False, compare=False, repr=False)
    """What the list amounts to, worked out once: every policy asks."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _KINDS.get(self.values, ChangeKind.UNRECOGNISED))

    @property
    def is_no_op(self) -> bool:
        return self.kind is ChangeKind.NO_OP

    @property
    def is_create(self) -> bool:
        return self.kind is ChangeKind.CREATE

    @property
    def is_read(self) -> bool:
        return self.kind is ChangeKind.READ

    @property
    def is_update(self) -> bool:
        return self.kind is ChangeKind.UPDATE

    @property
    def is_replace(self) -> bool:
        return self.kind is ChangeKind.REPLACE

    @property
    def is_delete(self) -> bool:
        """A pure delete; see `destroys` for anything that ends with the object gone."""
        return self.kind is ChangeKind.DELETE

    @property
    def is_forget(self) -> bool:
        return self.kind is ChangeKind.FORGET

    @property
    def creates_before_destroying(self) -> bool:
        return self.values == ("create", "delete")

    @property
    def destroys(self) -> bool:
        """True when the existing object is destroyed (delete or replace; forget keeps it)."""
        return "delete" in self.values

    @property
    def changes_infrastructure(self) -> bool:
        """Anything but a no-op, a data read or an ephemeral open (none of them alter infrastructure)."""
        return self.kind not in (ChangeKind.NO_OP, ChangeKind.READ, ChangeKind.OPEN)

    def __str__(self) -> str:
        return ", ".join(self.values)
