"""The mapping table: how each Terraform type appears in Cloud Asset Inventory.

The table is data (`data/mapping.yaml`, checked against `data/mapping.schema.json`), so a
reviewer can read what is compared without reading code, and a new type is one entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from plangate.inventory.normalise import ProjectDirectory
from plangate.plan.values import ABSENT, Path, format_path, get_path, parse_path

PROJECT_ASSET_TYPE = "cloudresourcemanager.googleapis.com/Project"
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(:last)?\}")


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One compared attribute: a Terraform path, candidate live paths, and how to compare."""

    terraform: Path
    live: tuple[Path, ...]
    normalise: str | None
    default: Any
    compare: bool

    @property
    def label(self) -> str:
        return format_path(self.terraform)

    def live_value(self, data: Mapping[str, Any]) -> Any:
        """The first candidate path that the live data has, else ABSENT."""
        for path in self.live:
            value = get_path(data, path)
            if value is not ABSENT:
                return value
        return ABSENT


@dataclass(frozen=True, slots=True)
class Identity:
    """A field both sides know, for assets whose id the server assigns."""

    terraform: str
    live: str
    is_global: bool


@dataclass(frozen=True, slots=True)
class ResourceMapping:
    terraform_type: str
    asset_type: str
    name: str | None
    identity: Identity | None
    google_managed: re.Pattern[str] | None
    fields: tuple[FieldRule, ...]


@dataclass(frozen=True, slots=True)
class IamTarget:
    """The asset an IAM resource grants on, named by a template over its attributes."""

    asset_type: str
    name: str | None
    identity: str | None


@dataclass(frozen=True, slots=True)
class MappingTable:
    resources: Mapping[str, ResourceMapping]
    iam: Mapping[str, IamTarget]
    not_inventoried: Mapping[str, str]
    google_members: tuple[re.Pattern[str], ...]
    by_asset_type: Mapping[str, ResourceMapping]

    def asset_types(self) -> tuple[str, ...]:
        """Every asset type to list: the mapped types and the Project (IAM, id and number)."""
        found = {m.asset_type for m in self.resources.values()}
        found |= {t.asset_type for t in self.iam.values()}
        return tuple(sorted(found | {PROJECT_ASSET_TYPE}))

    def for_asset_type(self, asset_type: str) -> ResourceMapping | None:
        return self.by_asset_type.get(asset_type)

    def member_type_for(self, asset_type: str) -> str | None:
        """The `*_iam_member` type that grants on this asset type (for the policy view)."""
        for terraform_type, target in self.iam.items():
            if target.asset_type == asset_type and terraform_type.endswith("_iam_member"):
                return terraform_type
        return None

    def is_google_member(
        self, member: str, project_numbers: Set[str], project_id: str | None
    ) -> bool:
        """A member Google adds itself. A pattern's `number` group must be the number of a
        project in the inventory, its `project` group the asset's own project: a service
        account anyone could name `service-123@...` in another project is not exempt."""
        for pattern in self.google_members:
            found = pattern.search(member)
            if found is None:
                continue
            groups = found.groupdict()
            if "number" in groups and groups["number"] not in project_numbers:
                continue
            if "project" in groups and groups["project"] != project_id:
                continue
            return True
        return False


def render_name(template: str, values: Any, projects: ProjectDirectory) -> str | None:
    """Fill a name template from Terraform values; None when an attribute is not a string."""
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = get_path(values, match.group(1))
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value:
            missing = True
            return ""
        if match.group(2):
            value = value.rsplit("/", 1)[-1]
        if match.group(1) == "project":
            value = projects.project_id(value)
        return value

    rendered = _PLACEHOLDER.sub(fill, template)
    return None if missing else projects.names_by_id(rendered)


@cache
def mapping_table() -> MappingTable:
    """The built-in table, validated once (jsonschema is imported here, not at start-up)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    folder = resources.files("plangate.inventory").joinpath("data")
    document = yaml.safe_load(folder.joinpath("mapping.yaml").read_text("utf-8"))
    schema = json.loads(folder.joinpath("mapping.schema.json").read_text("utf-8"))
    error = best_match(Draft202012Validator(schema).iter_errors(document))
    if error is not None:  # a packaging mistake, not user input
        raise ValueError(f"mapping.yaml at /{'/'.join(map(str, error.path))}: {error.message}")
    return _table(document)


def _table(document: Mapping[str, Any]) -> MappingTable:
    targets = {
        key: IamTarget(
            asset_type=raw["asset_type"], name=raw.get("name"), identity=raw.get("identity")
        )
        for key, raw in document["iam_targets"].items()
    }
    mapped: dict[str, ResourceMapping] = {}
    iam: dict[str, IamTarget] = {}
    skipped: dict[str, str] = {}
    for terraform_type, raw in document["types"].items():
        if "iam" in raw:
            iam[terraform_type] = targets[raw["iam"]]
        elif "not_inventoried" in raw:
            skipped[terraform_type] = " ".join(raw["not_inventoried"].split())
        else:
            mapped[terraform_type] = _resource(terraform_type, raw)
    return MappingTable(
        resources=mapped,
        iam=iam,
        not_inventoried=skipped,
        google_members=tuple(re.compile(p) for p in document["google_members"]),
        by_asset_type={m.asset_type: m for m in mapped.values()},
    )


def _resource(terraform_type: str, raw: Mapping[str, Any]) -> ResourceMapping:
    identity = raw.get("identity")
    managed = raw.get("google_managed")
    return ResourceMapping(
        terraform_type=terraform_type,
        asset_type=raw["asset_type"],
        name=raw.get("name"),
        identity=Identity(
            terraform=identity["terraform"],
            live=identity["live"],
            is_global=identity.get("global", False),
        )
        if identity
        else None,
        google_managed=re.compile(managed) if managed else None,
        fields=tuple(_field(item) for item in raw["fields"]),
    )


def _field(raw: Mapping[str, Any]) -> FieldRule:
    live = raw["live"] if isinstance(raw["live"], list) else [raw["live"]]
    return FieldRule(
        terraform=parse_path(raw["terraform"]),
        live=tuple(parse_path(path) for path in live),
        normalise=raw.get("normalise"),
        default=raw.get("default", ABSENT),
        compare=raw.get("compare", True),
    )
