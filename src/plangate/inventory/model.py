"""One typed, immutable model for Cloud Asset Inventory, whatever the source.

ListAssets and ExportAssets return one record per (asset, content type): a RESOURCE record
carries `resource`, an IAM_POLICY record carries `iam_policy`. The model keeps that split, so
the two streams can be read and reconciled one after the other without joining them in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ContentType(StrEnum):
    RESOURCE = "RESOURCE"
    IAM_POLICY = "IAM_POLICY"


@dataclass(frozen=True, slots=True)
class Binding:
    """One IAM binding: a role, its members, and the condition's expression (if any)."""

    role: str
    members: tuple[str, ...]
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class Asset:
    """One inventory record.

    `data` is `resource.data` (the service's REST representation, camelCase keys) frozen
    into mappings and tuples; numbers are as the source gave them (Struct numbers are floats).
    `data` is None on an IAM_POLICY record; `bindings` is None on a RESOURCE record.
    """

    name: str
    asset_type: str
    data: Mapping[str, Any] | None = None
    bindings: tuple[Binding, ...] | None = None
    location: str | None = None
    parent: str | None = None
    ancestors: tuple[str, ...] = ()
    update_time: str | None = None

    @property
    def content_type(self) -> ContentType:
        return ContentType.IAM_POLICY if self.bindings is not None else ContentType.RESOURCE


@dataclass(frozen=True, slots=True)
class InventorySource:
    """What was read, for reports and evidence: a live scope or export files with their hashes."""

    kind: str
    """"live" (ListAssets) or "export" (files)."""
    description: str
    scope: str | None = None
    read_time: str | None = None
    files: tuple[tuple[str, str], ...] = ()
    """(path, sha256) of each export file read."""
