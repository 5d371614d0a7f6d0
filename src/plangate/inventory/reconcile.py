"""Reconcile what Terraform manages with what Cloud Asset Inventory lists.

The inventory is consumed as a stream: each record is reduced on arrival to the few values the
mapping table compares, so memory grows with the number of governed assets, not with the size
of their data. Matching happens once the stream has ended, because a live name may carry a
project number that only the Project asset (anywhere in the stream) turns into an id.
A stream that fails part-way raises; nothing is concluded from part of an inventory.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from plangate.inventory.errors import InventoryIncomplete
from plangate.inventory.mapping import (
    PROJECT_ASSET_TYPE,
    FieldRule,
    IamTarget,
    MappingTable,
    ResourceMapping,
    render_name,
)
from plangate.inventory.model import Asset, Binding, InventorySource
from plangate.inventory.normalise import RULES, ProjectDirectory, equal
from plangate.inventory.terraform import TerraformSide
from plangate.plan import ABSENT, SENSITIVE, UNKNOWN, PlanSource, StateResource, get_path
from plangate.plan.values import Marker

Key = tuple[str, ...]
_PROJECT_IN_NAME = re.compile(r"/projects/([^/]+)")


@dataclass(frozen=True, slots=True)
class FieldDrift:
    attribute: str
    terraform: Any
    live: Any


@dataclass(frozen=True, slots=True)
class Managed:
    """A Terraform resource found live; in sync when it has no drifts."""

    address: str
    terraform_type: str
    asset_name: str
    drifts: tuple[FieldDrift, ...]


@dataclass(frozen=True, slots=True)
class Missing:
    """In Terraform's state, not in the inventory."""

    address: str
    terraform_type: str
    asset_type: str
    expected: str


@dataclass(frozen=True, slots=True)
class Unmanaged:
    """Live, of a type Terraform governs here, and in no state."""

    asset_name: str
    asset_type: str
    terraform_type: str
    identity: str | None = None
    """The id both sides know (a service account's e-mail), where the name does not show it."""


@dataclass(frozen=True, slots=True)
class Grant:
    """One (role, member) on one asset; `address` is the Terraform resource declaring it."""

    asset_name: str
    role: str
    member: str
    condition: str | None = None
    address: str | None = None
    project: str | None = None
    """The project the asset belongs to (live grants), for telling Google's own members."""

    def describe(self) -> str:
        when = f" when {self.condition}" if self.condition else ""
        return f"{self.role} to {self.member}{when}"


@dataclass(frozen=True, slots=True)
class NotVerifiable:
    """A Terraform resource the inventory cannot confirm either way, and why."""

    address: str
    terraform_type: str
    reason: str


@dataclass(frozen=True, slots=True)
class LiveResource:
    """A live asset in Terraform's shape, for the catalogue policies that judge live resources."""

    address: str
    terraform_type: str
    asset_name: str
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    managed: tuple[Managed, ...]
    missing: tuple[Missing, ...]
    unmanaged: tuple[Unmanaged, ...]
    undeclared_grants: tuple[Grant, ...]
    missing_grants: tuple[Grant, ...]
    not_verifiable: tuple[NotVerifiable, ...]
    live_resources: tuple[LiveResource, ...]
    live_grants: tuple[Grant, ...]
    records_read: int
    records_ignored: int
    source: InventorySource | None = None
    """What was read: set once the stream has ended (export hashes are known only then)."""
    terraform: tuple[PlanSource, ...] = ()
    """The plans and states compared."""

    @property
    def drifted(self) -> tuple[Managed, ...]:
        return tuple(m for m in self.managed if m.drifts)

    @property
    def coverage(self) -> float | None:
        """managed / (managed + unmanaged + missing), over resources (IAM not counted)."""
        total = len(self.managed) + len(self.unmanaged) + len(self.missing)
        return len(self.managed) / total if total else None

    @property
    def in_sync(self) -> bool:
        return not (
            self.drifted
            or self.missing
            or self.unmanaged
            or self.undeclared_grants
            or self.missing_grants
        )


@dataclass(slots=True)
class _LiveRecord:
    name: str
    mapping: ResourceMapping
    project: str | None
    identity: str | None
    values: tuple[Any, ...]
    key: Key = ()


@dataclass(frozen=True, slots=True)
class _LivePolicy:
    name: str
    asset_type: str
    project: str | None
    bindings: tuple[Binding, ...]


@dataclass(slots=True)
class _LiveSide:
    """The inventory reduced as it streams by."""

    table: MappingTable
    projects: ProjectDirectory = field(default_factory=ProjectDirectory)
    project_assets: set[str] = field(default_factory=set)
    records: list[_LiveRecord] = field(default_factory=list)
    policies: list[_LivePolicy] = field(default_factory=list)
    types_seen: set[str] = field(default_factory=set)
    read: int = 0
    ignored: int = 0

    def feed(self, asset: Asset) -> None:
        self.read += 1
        if asset.bindings is not None:
            if asset.asset_type == PROJECT_ASSET_TYPE or self.table.for_asset_type(
                asset.asset_type
            ):
                self.policies.append(
                    _LivePolicy(asset.name, asset.asset_type, _project_of(asset), asset.bindings)
                )
            else:
                self.ignored += 1
            return
        governed = asset.asset_type == PROJECT_ASSET_TYPE or self.table.for_asset_type(
            asset.asset_type
        )
        if asset.data is None and governed:
            raise InventoryIncomplete(
                f"{asset.name} has no resource data: list or export it with content type "
                "RESOURCE (`gcloud asset export --content-type=resource`)"
            )
        data = asset.data if asset.data is not None else {}
        self.types_seen.add(asset.asset_type)
        if asset.asset_type == PROJECT_ASSET_TYPE:
            self.projects.learn(data.get("projectNumber"), data.get("projectId"))
            self.project_assets.add(asset.name.rsplit("/", 1)[-1])
            if isinstance(data.get("projectId"), str):
                self.project_assets.add(data["projectId"])
            return
        mapping = self.table.for_asset_type(asset.asset_type)
        if mapping is None:
            self.ignored += 1
            return
        identity = get_path(data, mapping.identity.live) if mapping.identity else None
        self.records.append(
            _LiveRecord(
                name=asset.name,
                mapping=mapping,
                project=_project_of(asset),
                identity=identity if isinstance(identity, str) else None,
                values=tuple(rule.live_value(data) for rule in mapping.fields),
            )
        )

    def asset_keys(self) -> set[Key]:
        """Every asset the inventory holds, by the key grants name their target with."""
        keys = {record.key for record in self.records}
        keys |= {("name", self.projects.names_by_id(policy.name)) for policy in self.policies}
        keys |= {
            ("name", f"//cloudresourcemanager.googleapis.com/projects/{project}")
            for project in self.project_assets
        }
        return keys

    def key_of(self, record: _LiveRecord) -> Key:
        if record.mapping.identity is None:
            return ("name", self.projects.names_by_id(record.name))
        scope = "" if record.mapping.identity.is_global else self._project_id(record.project)
        return ("id", record.mapping.asset_type, scope, record.identity or record.name)

    def _project_id(self, reference: str | None) -> str:
        return self.projects.project_id(reference) if reference else ""


def _project_of(asset: Asset) -> str | None:
    found = _PROJECT_IN_NAME.search(asset.name)
    if found:
        return found.group(1)
    for ancestor in asset.ancestors:
        if ancestor.startswith("projects/"):
            return ancestor.removeprefix("projects/")
    return None


def reconcile(
    terraform: TerraformSide, inventory: Iterable[Asset], table: MappingTable
) -> Reconciliation:
    """Match every Terraform resource and grant with the inventory, then compare them."""
    live = _LiveSide(table)
    for asset in inventory:
        live.feed(asset)
    for data_source in terraform.data_sources:
        if data_source.type == "google_project":
            values = data_source.values
            live.projects.learn(get_path(values, "number"), get_path(values, "project_id"))
    _check_complete(terraform, live, table)

    by_key: dict[Key, _LiveRecord] = {}
    for record in live.records:
        record.key = live.key_of(record)
        by_key.setdefault(record.key, record)  # a second asset with the key stays unmatched

    managed: list[Managed] = []
    missing: list[Missing] = []
    not_verifiable: list[NotVerifiable] = []
    matched_records: dict[int, str] = {}
    for resource in terraform.resources:
        mapping = table.resources.get(resource.type)
        if mapping is None:
            if resource.type not in table.iam:
                not_verifiable.append(_not_verifiable(resource, table))
            continue
        key = _terraform_key(resource, mapping, live.projects)
        if key is None:
            not_verifiable.append(
                NotVerifiable(
                    resource.address,
                    resource.type,
                    "the state lacks the attributes that name the asset",
                )
            )
            continue
        record = by_key.get(key)
        if record is None or id(record) in matched_records:
            missing.append(Missing(resource.address, resource.type, mapping.asset_type, key[-1]))
            continue
        matched_records[id(record)] = resource.address
        managed.append(
            Managed(
                address=resource.address,
                terraform_type=resource.type,
                asset_name=live.projects.names_by_id(record.name),
                drifts=tuple(_drifts(resource.values, record, live.projects)),
            )
        )

    unmanaged = [
        Unmanaged(
            live.projects.names_by_id(record.name),
            record.mapping.asset_type,
            record.mapping.terraform_type,
            record.identity,
        )
        for record in live.records
        if id(record) not in matched_records and not _google_managed(record)
    ]
    declared = list(_declared_grants(terraform, table, live.projects, not_verifiable))
    live_grants = list(_live_grants(live))
    declared_keys = {grant_key: grant for grant_key, grant in declared}
    live_keys = {grant_key for grant_key, _ in live_grants}
    known_targets = live.asset_keys()
    google = {grant_key for grant_key, grant in live_grants if _is_google(grant, live, table)}
    undeclared = [
        grant
        for grant_key, grant in live_grants
        if grant_key not in declared_keys and grant_key not in google
    ]
    missing_grants: list[Grant] = []
    for grant_key, grant in declared:
        if grant_key in live_keys:
            continue
        target = grant_key[:-3]
        if target in known_targets or _managed_target(target, terraform, table, live.projects):
            missing_grants.append(grant)
        else:
            not_verifiable.append(
                NotVerifiable(
                    grant.address or grant.asset_name,
                    "iam",
                    f"{grant.asset_name} is not in the inventory and no state given manages it, "
                    "so its IAM policy cannot be read",
                )
            )
    return Reconciliation(
        managed=tuple(managed),
        missing=tuple(missing),
        unmanaged=tuple(unmanaged),
        undeclared_grants=tuple(undeclared),
        missing_grants=tuple(missing_grants),
        not_verifiable=tuple(not_verifiable),
        live_resources=tuple(_live_resources(live, matched_records)),
        live_grants=tuple(
            replace(grant, address=declared_keys[grant_key].address)
            if grant_key in declared_keys
            else grant
            for grant_key, grant in live_grants
            if grant_key in declared_keys or grant_key not in google
        ),
        records_read=live.read,
        records_ignored=live.ignored,
    )


def _check_complete(terraform: TerraformSide, live: _LiveSide, table: MappingTable) -> None:
    """An inventory that cannot cover Terraform's projects, or has no IAM, is not judged."""
    if not live.read:
        raise InventoryIncomplete("the inventory has no assets; an empty listing proves nothing")
    wanted = {
        live.projects.project_id(project)
        for resource in terraform.resources
        if resource.type in table.resources or resource.type in table.iam
        if isinstance(project := get_path(resource.values, "project"), str)
    }
    seen = {live.projects.project_id(p) for p in live.project_assets}
    absent = sorted(wanted - seen)
    if absent:
        raise InventoryIncomplete(
            f"the inventory has no {PROJECT_ASSET_TYPE} asset for {', '.join(absent)}: it does "
            "not cover the project Terraform manages (wrong scope, or that asset type was not listed)"
        )
    managed_types = {
        table.resources[r.type].asset_type for r in terraform.resources if r.type in table.resources
    }
    unlisted = sorted(managed_types - live.types_seen)
    if unlisted:
        raise InventoryIncomplete(
            f"the inventory has no {', '.join(unlisted)} record although Terraform manages "
            "some: those types were not listed or exported (a listing that lost a whole type "
            "is never read as every such resource deleted)"
        )
    granted_types = {
        table.iam[r.type].asset_type for r in terraform.resources if r.type in table.iam
    }
    with_policies = {policy.asset_type for policy in live.policies}
    no_iam = sorted(granted_types - with_policies)
    if live.policies and no_iam:
        raise InventoryIncomplete(
            f"the inventory has no IAM policy of any {', '.join(no_iam)} although Terraform "
            "grants roles on them: their IAM_POLICY records were not listed or exported"
        )
    if not live.policies:
        raise InventoryIncomplete(
            "the inventory has no IAM_POLICY records; list or export the IAM policies too "
            "(content type IAM_POLICY, `gcloud asset export --content-type=iam-policy`)"
        )


def _not_verifiable(resource: StateResource, table: MappingTable) -> NotVerifiable:
    reason = table.not_inventoried.get(resource.type)
    return NotVerifiable(
        resource.address,
        resource.type,
        reason or f"plangate has no Cloud Asset Inventory mapping for {resource.type}",
    )


def _terraform_key(
    resource: StateResource, mapping: ResourceMapping, projects: ProjectDirectory
) -> Key | None:
    if mapping.identity is None:
        name = render_name(mapping.name or "", resource.values, projects)
        return None if name is None else ("name", name)
    value = get_path(resource.values, mapping.identity.terraform)
    if not isinstance(value, str) or not value:
        return None
    project = get_path(resource.values, "project")
    scope = (
        ""
        if mapping.identity.is_global
        else projects.project_id(project)
        if isinstance(project, str)
        else ""
    )
    return ("id", mapping.asset_type, scope, value)


def _drifts(values: Any, record: _LiveRecord, projects: ProjectDirectory) -> Iterator[FieldDrift]:
    for rule, live in zip(record.mapping.fields, record.values, strict=True):
        if not rule.compare:
            continue
        ours = get_path(values, rule.terraform)
        if _holds_marker(ours, (SENSITIVE, UNKNOWN)):
            continue  # a hidden or unknown part is never compared, never shown
        ours, theirs = _defaulted(rule, ours), _defaulted(rule, live)
        left, right = _normalised(rule, ours, projects), _normalised(rule, theirs, projects)
        if not (_empty(left) and _empty(right)) and not equal(left, right):
            yield FieldDrift(rule.label, ours, theirs)


def _holds_marker(value: Any, markers: tuple[Any, ...]) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if any(item is marker for marker in markers):
            return True
        if isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, tuple | list):
            pending.extend(item)
    return False


def _empty(value: Any) -> bool:
    """Absent, null, "" and empty collections: the REST APIs leave empty values out."""
    return (
        value is ABSENT
        or value is None
        or (isinstance(value, str | tuple | list | Mapping) and not value)
    )


def _defaulted(rule: FieldRule, value: Any) -> Any:
    if (value is ABSENT or value is None) and rule.default is not ABSENT:
        return rule.default
    return value


def _normalised(rule: FieldRule, value: Any, projects: ProjectDirectory) -> Any:
    if rule.normalise is None or isinstance(value, Marker):
        return value
    return RULES[rule.normalise](value, projects)


def _google_managed(record: _LiveRecord) -> bool:
    pattern = record.mapping.google_managed
    return bool(pattern and pattern.search(record.identity or record.name))


def _target_key(target: IamTarget, values: Any, projects: ProjectDirectory) -> Key | None:
    if target.name is not None:
        name = render_name(target.name, values, projects)
        return None if name is None else ("name", name)
    value = render_name(target.identity or "", values, projects)
    return None if value is None else ("id", target.asset_type, "", value)


def _declared_grants(
    terraform: TerraformSide,
    table: MappingTable,
    projects: ProjectDirectory,
    not_verifiable: list[NotVerifiable],
) -> Iterator[tuple[Key, Grant]]:
    for resource in terraform.resources:
        target = table.iam.get(resource.type)
        if target is None:
            continue
        key = _target_key(target, resource.values, projects)
        try:
            if key is None:
                raise _MalformedPolicy("the state lacks the attributes that name the asset")
            grants = list(_grants_of(resource.values))
        except _MalformedPolicy as problem:
            not_verifiable.append(NotVerifiable(resource.address, resource.type, str(problem)))
            continue
        for role, member, condition in grants:
            yield (
                (*key, role, member_key(member), condition or ""),
                Grant(key[-1], role, member, condition, resource.address),
            )


class _MalformedPolicy(ValueError):
    """IAM that the state does not spell out: its grants cannot be compared."""


def member_key(member: str) -> str:
    """A member as IAM compares it: e-mail principals without case, other kinds exactly
    (a principalSet's attribute values are case-sensitive)."""
    kind, _, identity = member.partition(":")
    if kind in {"user", "group", "serviceAccount", "domain", "deleted"}:
        return f"{kind}:{identity.casefold()}"
    return member


def _grants_of(values: Any) -> Iterator[tuple[str, str, str | None]]:
    """(role, member, condition) of an `_iam_member`, `_iam_binding` or `_iam_policy`."""
    condition = _condition(get_path(values, "condition"))
    role = get_path(values, "role")
    member = get_path(values, "member")
    if isinstance(role, str) and isinstance(member, str):
        yield role, member, condition
    members = get_path(values, "members")
    if isinstance(role, str) and isinstance(members, tuple):
        yield from ((role, m, condition) for m in members if isinstance(m, str))
    policy = get_path(values, "policy_data")
    if isinstance(policy, str):
        try:
            document = json.loads(policy)
        except (ValueError, RecursionError):
            raise _MalformedPolicy("policy_data is not JSON") from None
        bindings = document.get("bindings", []) if isinstance(document, dict) else None
        if not isinstance(bindings, list):
            raise _MalformedPolicy("policy_data has no list of bindings")
        for binding in bindings:
            members = binding.get("members") if isinstance(binding, dict) else None
            role = binding.get("role") if isinstance(binding, dict) else None
            if not isinstance(role, str) or not isinstance(members, list):
                raise _MalformedPolicy("a binding of policy_data lacks a role or a members list")
            for m in members:
                if not isinstance(m, str):
                    raise _MalformedPolicy(f"a member of {role} in policy_data is not a string")
                yield role, m, _condition(binding.get("condition"))


def _condition(value: Any) -> str | None:
    if isinstance(value, tuple):
        value = value[0] if value else None
    expression = value.get("expression") if isinstance(value, Mapping) else None
    return expression if isinstance(expression, str) and expression else None


def _live_grants(live: _LiveSide) -> Iterator[tuple[Key, Grant]]:
    keys_by_name = {record.name: record.key for record in live.records}
    for policy in live.policies:
        shown = live.projects.names_by_id(policy.name)
        key = keys_by_name.get(policy.name) or ("name", shown)
        for binding in policy.bindings:
            for member in binding.members:
                yield (
                    (*key, binding.role, member_key(member), binding.condition or ""),
                    Grant(shown, binding.role, member, binding.condition, project=policy.project),
                )


def _is_google(grant: Grant, live: _LiveSide, table: MappingTable) -> bool:
    """A grant Google made itself: to a service agent of a project in the inventory, or a
    legacy convenience member of the asset's own project."""
    project = live.projects.project_id(grant.project) if grant.project else None
    return table.is_google_member(grant.member, live.projects.numbers(), project)


def _managed_target(
    target: Key, terraform: TerraformSide, table: MappingTable, projects: ProjectDirectory
) -> bool:
    """Whether a state manages the asset a grant targets (then a missing grant is real)."""
    if not target or target[0] != "name":
        return False
    return any(
        mapping is not None
        and mapping.name is not None
        and render_name(mapping.name, resource.values, projects) == target[-1]
        for resource in terraform.resources
        for mapping in (table.resources.get(resource.type),)
    )


def _live_resources(live: _LiveSide, matched: Mapping[int, str]) -> Iterator[LiveResource]:
    """Each live asset in Terraform's shape, under its Terraform address when one matched it."""
    for record in live.records:
        if id(record) not in matched and _google_managed(record):
            continue
        values: dict[str, Any] = {}
        for rule, value in zip(record.mapping.fields, record.values, strict=True):
            _set_path(values, rule.terraform, _defaulted(rule, value))
        shown = live.projects.names_by_id(record.name)
        yield LiveResource(
            address=matched.get(id(record), shown),
            terraform_type=record.mapping.terraform_type,
            asset_name=shown,
            values=values,
        )


def _set_path(target: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    """Write `value` at a Terraform path, making the blocks (one-element lists) on the way."""
    if value is ABSENT:
        return
    current: Any = target
    for step, following in itertools.pairwise(path):
        container: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            while len(current) <= step:
                current.append(container)
            current = current[step]
        else:
            current = current.setdefault(step, container)
    last = path[-1]
    if isinstance(last, int):
        while len(current) <= last:
            current.append(None)
    current[last] = value
