"""Reading IAM grants from `google_*_iam_member`, `_iam_binding` and `_iam_policy` resources.

Policies that judge roles or members (basic roles, public principals, impersonation) all need
the same reading of the three resource kinds, including the JSON `policy_data` of an
authoritative policy. Reading it once keeps their answers consistent: a member that one
policy sees, every policy sees, at the same attribute path.

Nothing here passes a value the gate cannot read. A policy document that is unknown,
sensitive, absent or malformed comes back as a Violation, and a member or role that is not a
string (a plan marker, or odd JSON) is handed to the policy as it is, to be reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from plangate.plan import ABSENT
from plangate.plan.values import Marker
from plangate.policy import Resource, Violation, violation

BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
"""The basic roles: each grants thousands of permissions across every service."""

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
"""The public principals by name, as messages list them."""

PUBLIC_PRINCIPAL_SET = "principalSet://goog/public:"
"""Prefix of the principal sets that stand for everyone (`principalSet://goog/public:all`)."""

POLICY_DATA_EXPECTED = "an IAM policy JSON document known at plan time"
"""What a `policy_data` problem says was expected."""

_PUBLIC_FOLDED = frozenset(member.casefold() for member in PUBLIC_MEMBERS)
_PUBLIC_SET_FOLDED = PUBLIC_PRINCIPAL_SET.casefold()


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a grant, with where the resource holds it.

    `attribute` is the resource attribute that holds it (`member`, `members` or
    `policy_data`); `path` is its own attribute path (`members[1]`, or `members` when the
    whole list is unknown or sensitive); `index` is its position in a members list, None for
    an `_iam_member`'s member or a list the plan does not show. `value` is whatever the plan
    says: a string, or a marker or other value that the policy must report because it cannot
    judge it.
    """

    attribute: str
    path: str
    value: Any
    index: int | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    """One role and its members, as one IAM resource (or one binding of its policy) grants them.

    `binding` is the index of the binding in `policy_data`'s `bindings` list for an
    `_iam_policy`, whose role and members all sit at the attribute path `policy_data`; it is
    None for `_iam_member` and `_iam_binding`, whose role is at `role`.
    """

    role: Any
    members: tuple[Member, ...]
    role_path: str = "role"
    binding: int | None = None

    def where(self, member: Member | None = None) -> str:
        """Where in the policy JSON the role (or `member`) sits, for a finding's why; "" when
        the attribute path already says it."""
        if self.binding is None:
            return ""
        part = "role" if member is None else f"members[{member.index}]"
        return f"bindings[{self.binding}].{part} of the policy JSON"


def read_grants(resource: Resource) -> tuple[tuple[Grant, ...], tuple[Violation, ...]]:
    """The grants of an `_iam_member`, `_iam_binding` or `_iam_policy` resource, and the
    problems of a policy document the gate cannot read.

    A problem is a Violation at `policy_data` expecting `POLICY_DATA_EXPECTED`: its `actual` is
    the plan's marker when the document is unknown, sensitive or absent, the value itself
    when it is not a string, else "(not valid JSON)" or "(no bindings list)". Problems are
    returned, never raised, so one unreadable resource does not stop the gate. Any other
    resource type is a programming error (ValueError).
    """
    kind = resource.type
    if kind.endswith("_iam_member"):
        member = Member("member", "member", resource.get("member"))
        return (Grant(resource.get("role"), (member,)),), ()
    if kind.endswith("_iam_binding"):
        return (Grant(resource.get("role"), _binding_members(resource.get("members"))),), ()
    if kind.endswith("_iam_policy"):
        return _policy_grants(resource.get("policy_data"))
    raise ValueError(f"{kind} is not an IAM member, binding or policy resource")


def _binding_members(members: Any) -> tuple[Member, ...]:
    if isinstance(members, tuple):
        return tuple(
            Member("members", f"members[{index}]", member, index)
            for index, member in enumerate(members)
        )
    if members is ABSENT or members is None:
        return ()
    return (Member("members", "members", members),)  # unknown or sensitive: judged as one


def _policy_grants(data: Any) -> tuple[tuple[Grant, ...], tuple[Violation, ...]]:
    if isinstance(data, Marker) or not isinstance(data, str):
        return (), (violation("policy_data", POLICY_DATA_EXPECTED, data),)
    try:
        document = json.loads(data)
    except ValueError:
        return (), (violation("policy_data", POLICY_DATA_EXPECTED, "(not valid JSON)"),)
    bindings = document.get("bindings", []) if isinstance(document, dict) else None
    if not isinstance(bindings, list):
        return (), (violation("policy_data", POLICY_DATA_EXPECTED, "(no bindings list)"),)
    grants = []
    for index, binding in enumerate(bindings):
        if not isinstance(binding, dict):
            continue
        members = binding.get("members", [])
        # A lone member where a list belongs is still a grant: judge it rather than skip it.
        listed = members if isinstance(members, list) else [members]
        grants.append(
            Grant(
                role=binding.get("role", ABSENT),
                members=tuple(
                    Member("policy_data", "policy_data", member, position)
                    for position, member in enumerate(listed)
                ),
                role_path="policy_data",
                binding=index,
            )
        )
    return tuple(grants), ()


def is_public(member: str) -> bool:
    """Whether `member` stands for everyone: allUsers, allAuthenticatedUsers or a
    `principalSet://goog/public:` set, in any case, so that an odd spelling cannot slip by.

    Only strings can be judged: a member the plan does not show must be reported by the caller,
    not taken as private.
    """
    folded = member.casefold()
    return folded in _PUBLIC_FOLDED or folded.startswith(_PUBLIC_SET_FOLDED)
