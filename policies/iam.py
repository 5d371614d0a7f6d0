"""IAM and workload identity: who can act in the project, and how CI gets in.

What this module protects, for an auditor:

* Least privilege. No basic role (roles/owner, roles/editor, roles/viewer) is granted on any
  resource, through `*_iam_member`, `*_iam_binding` or the JSON of `*_iam_policy`
  (PG-IAM-001). Secret Manager and Artifact Registry roles are granted on the secret or
  repository, never on the whole project, folder or organisation (PG-IAM-005), and Cloud
  Storage object roles on the bucket (PG-IAM-006).
* No anonymous access. allUsers and allAuthenticatedUsers are not granted on any resource of
  the stack, unless an environment lists them in `allowed_public_members` (PG-IAM-002). The
  Cloud Run invoker has its own, stricter policy in cloud_run.py (PG-RUN-003), and bucket IAM
  is judged by PG-GCS-005 in storage.py, with the same setting.
* No long-lived credentials. No user-managed service account key or HMAC key exists
  (PG-IAM-003): CI authenticates with GitHub's OIDC token through Workload Identity
  Federation, workloads with their attached service account.
* Project IAM stays additive (PG-IAM-004): authoritative project/folder/organisation
  bindings and policies would silently remove grants made outside Terraform, such as those of
  Google's service agents.
* CI's trust boundary. The GitHub OIDC provider accepts only GitHub's issuer and only tokens of
  the team's repository (PG-WIF-001), and the impersonation grant on the deployer service
  account names that repository, not the whole pool (PG-WIF-002).

Values that are unknown at plan time never pass: a member or role that is "known after apply"
is reported, because the gate cannot prove the control before apply. Keep IAM members known at
plan time (for example build a service account's e-mail from its account_id and project, as
the workload-identity module does for the pool's project number), or waive the finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from plangate.gcp.iam import BASIC_ROLES, PUBLIC_MEMBERS, is_public, read_grants
from plangate.plan.values import Marker
from plangate.policy import (
    PolicyContext,
    Resource,
    Severity,
    View,
    Violation,
    policy,
    setting,
    violation,
)

# --------------------------------------------------------------------------------- settings

# Declared in storage.py as well, with the same default and description (PG-GCS-005 judges
# bucket IAM, PG-IAM-002 everything else).
ALLOWED_PUBLIC_MEMBERS = setting(
    "allowed_public_members",
    [],
    """Public principals (allUsers, allAuthenticatedUsers) that this environment may grant on
    any resource (PG-IAM-002, and PG-GCS-005 for buckets). Empty by default. To allow one
    public grant on one resource, prefer a waiver with its address.""",
)

GITHUB_REPOSITORY = setting(
    "github_repository",
    None,
    """The GitHub repository ("owner/name") whose Actions workflows may deploy. When set, the
    workload identity provider's attribute_condition (PG-WIF-001) and the impersonation grant
    (PG-WIF-002) must name exactly this repository; when unset, they must pin some repository.""",
)

# --------------------------------------------------------------------------- resource types

# Resource families of the stack (and of the resource hierarchy above it) that take IAM.
_IAM_FAMILIES = (
    "google_project",
    "google_folder",
    "google_organization",
    "google_billing_account",
    "google_service_account",
    "google_storage_bucket",
    "google_artifact_registry_repository",
    "google_secret_manager_secret",
    "google_pubsub_topic",
    "google_pubsub_subscription",
    "google_kms_key_ring",
    "google_kms_crypto_key",
    "google_cloud_run_v2_service",
    "google_cloud_run_service",
    "google_cloud_run_v2_job",
)
_IAM_KINDS = ("_iam_member", "_iam_binding", "_iam_policy")


def _iam_types(*families: str) -> tuple[str, ...]:
    return tuple(family + kind for family in families for kind in _IAM_KINDS)


IAM_TYPES = _iam_types(*_IAM_FAMILIES)
# Cloud Run invokers are judged by PG-RUN-003, which allows no public principal at all, and
# bucket IAM by PG-GCS-005 (storage.py); PG-IAM-002 judges every other IAM resource.
PUBLIC_CHECKED_TYPES = tuple(
    t for t in IAM_TYPES if not t.startswith(("google_cloud_run_", "google_storage_bucket_"))
)
HIERARCHY_IAM_TYPES = _iam_types("google_project", "google_folder", "google_organization")
SERVICE_ACCOUNT_IAM_TYPES = _iam_types("google_service_account")


# ---------------------------------------------------------------------------------- helpers


def _string_list(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"setting {name} must be a list of strings, got {value!r}")
    return tuple(value)


def _optional_string(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"setting {name} must be a string or unset, got {value!r}")
    return value or None


def _forbidden_roles(
    resource: Resource, forbidden: tuple[str, ...], expected: str
) -> Iterator[Violation]:
    """Every grant of a role in `forbidden`, or of a role the gate cannot read."""
    grants, problems = read_grants(resource)
    yield from problems
    for grant in grants:
        role = grant.role
        if isinstance(role, Marker) or not isinstance(role, str) or role in forbidden:
            yield violation(grant.role_path, expected, role, grant.where())


# ---------------------------------------------------------------------------------- policies


@policy(
    id="PG-IAM-001",
    title="No basic roles (owner, editor, viewer) on any resource",
    severity=Severity.CRITICAL,
    requirements=("REQ-004",),
    rationale="""Basic roles grant thousands of permissions across every service of the
    project. The Phase 1 critical fix (REQ-004: "Explicitly configured IAM roles in prod") and
    the iam module's variable validation commit the team to predefined roles only; this policy
    enforces it on every IAM resource of the plan, including `*_iam_policy` JSON and
    resource-level grants that the variable validation never sees. checkov's CKV_GCP_117
    covers only project-level members and bindings.""",
    resource_types=IAM_TYPES,
    view=View.AFTER,
    judges_inventory=True,
    references=(
        "https://cloud.google.com/iam/docs/roles-overview#basic",
        "https://cloud.google.com/iam/docs/using-iam-securely",
    ),
)
def no_basic_roles(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    expected = "a predefined or custom role, not " + ", ".join(BASIC_ROLES)
    yield from _forbidden_roles(resource, BASIC_ROLES, expected)


@policy(
    id="PG-IAM-002",
    title="No public principals (allUsers, allAuthenticatedUsers) in IAM grants",
    severity=Severity.CRITICAL,
    requirements=("REQ-048",),
    rationale="""allUsers opens a resource to anyone on the internet and allAuthenticatedUsers
    to any Google account. The stack holds CT-scan data, models, secrets and the CI deployer
    identity; none of them is meant to be public (REQ-048). checkov checks public members only
    on buckets, Pub/Sub topics, Artifact Registry and KMS members/bindings; this policy also
    covers secrets, service accounts, the project and every `*_iam_policy`. Buckets are judged
    by PG-GCS-005 and Cloud Run by PG-RUN-003. An environment may allow named public principals
    (case-insensitively) with the `allowed_public_members` setting.""",
    resource_types=PUBLIC_CHECKED_TYPES,
    view=View.AFTER,
    judges_inventory=True,
    references=(
        "https://cloud.google.com/iam/docs/principal-identifiers",
        "https://cloud.google.com/iam/docs/principals-overview",
    ),
)
def no_public_principals(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    listed = _string_list(ctx.setting(ALLOWED_PUBLIC_MEMBERS), ALLOWED_PUBLIC_MEMBERS)
    allowed = {member.casefold() for member in listed}
    expected = "no public principal (" + ", ".join(PUBLIC_MEMBERS) + ")"
    if listed:
        expected += " other than " + ", ".join(listed)
    grants, problems = read_grants(resource)
    yield from problems
    for grant in grants:
        for member in grant.members:
            path, value, why = member.path, member.value, grant.where(member)
            if isinstance(value, Marker) or not isinstance(value, str):
                yield violation(path, expected, value, why)
            elif is_public(value) and value.casefold() not in allowed:
                yield violation(path, expected, value, why or f"granted {grant.role}")


@policy(
    id="PG-IAM-003",
    title="No user-managed service account keys or HMAC keys",
    severity=Severity.CRITICAL,
    requirements=("REQ-038",),
    rationale="""A user-managed key is a long-lived credential that leaves Google's control and
    cannot be scoped or expired by policy. The stack's design (workload-identity module: "No
    service account key exists anywhere"; REQ-038: GitHub Actions through Workload
    Identity Federation) gives CI short-lived OIDC-based tokens and workloads their attached
    service account, so no key is ever needed. A key resource also writes the private key into
    the Terraform state.""",
    resource_types=("google_service_account_key", "google_storage_hmac_key"),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys",
        "https://cloud.google.com/iam/docs/workload-identity-federation",
    ),
)
def no_service_account_keys(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    if resource.type == "google_storage_hmac_key":
        path, kind = "service_account_email", "an HMAC key"
    else:
        path, kind = "service_account_id", "a user-managed key"
    yield violation(
        path,
        "no long-lived key (use Workload Identity Federation or the attached service account)",
        resource.get(path),
        f"{resource.type} creates {kind} for this service account",
    )


@policy(
    id="PG-IAM-004",
    title="Project, folder and organisation IAM is additive (no authoritative bindings or policies)",
    severity=Severity.HIGH,
    requirements=("REQ-004", "REQ-032"),
    rationale="""`google_project_iam_binding` replaces every member of its role and
    `google_project_iam_policy` replaces the whole project policy, removing grants made outside
    this configuration, including those of Google-managed service agents (Cloud Run, Artifact
    Registry, Pub/Sub), which breaks the services silently (REQ-032: "No service disruptions
    during import"). The stack was imported into a live project whose other grants Terraform
    does not own; only additive `*_iam_member` resources, one explicit grant each, are safe
    there (REQ-004). The same holds at folder and organisation level.""",
    resource_types=tuple(t for t in HIERARCHY_IAM_TYPES if not t.endswith("_iam_member")),
    view=View.AFTER,
    references=(
        "https://github.com/hashicorp/terraform-provider-google/blob/main/website/docs/r/google_project_iam.html.markdown",
        "https://cloud.google.com/iam/docs/service-agents",
    ),
)
def additive_hierarchy_iam(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    additive = resource.type.replace("_iam_binding", "_iam_member").replace(
        "_iam_policy", "_iam_member"
    )
    if resource.type.endswith("_iam_binding"):
        yield violation(
            "role",
            f"grants made with {additive} (additive)",
            resource.get("role"),
            f"{resource.type} is authoritative for this role and removes every member granted "
            "outside this configuration",
        )
    else:
        yield violation(
            "policy_data",
            f"grants made with {additive} (additive)",
            resource.get("policy_data"),
            f"{resource.type} replaces the whole IAM policy, including service agents' grants",
        )


SCOPED_ROLES = (
    "roles/secretmanager.admin",
    "roles/secretmanager.secretAccessor",
    "roles/secretmanager.secretVersionAdder",
    "roles/secretmanager.secretVersionManager",
    "roles/artifactregistry.admin",
    "roles/artifactregistry.repoAdmin",
    "roles/artifactregistry.createOnPushRepoAdmin",
    "roles/artifactregistry.writer",
    "roles/artifactregistry.createOnPushWriter",
    "roles/artifactregistry.reader",
)


@policy(
    id="PG-IAM-005",
    title="Secret Manager and Artifact Registry roles are granted per resource, not project-wide",
    severity=Severity.HIGH,
    requirements=("REQ-014", "REQ-018", "REQ-049"),
    rationale="""A project-level secretAccessor reads every secret of the project (the API's
    runtime would read the drift monitor's webhook); a project-level Artifact Registry writer
    can overwrite any image. The stack grants these roles on the secret and on the repository
    (secret-manager module: "Access is granted per secret ... never project-wide";
    artifact-registry module: "Access is granted on the repository, not the project"), as the
    imported bindings show (REQ-014: "1 Artifact Registry + 3 IAM bindings"; REQ-018: "2
    Secret Manager secrets + 3 IAM bindings"), and as least privilege asks (REQ-049). checkov
    has no such check.""",
    resource_types=HIERARCHY_IAM_TYPES,
    view=View.AFTER,
    judges_inventory=True,
    references=(
        "https://cloud.google.com/secret-manager/docs/access-control",
        "https://cloud.google.com/artifact-registry/docs/access-control",
    ),
)
def scoped_data_roles(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    yield from _forbidden_roles(
        resource,
        SCOPED_ROLES,
        "no Secret Manager or Artifact Registry data role at this level (grant it on the secret or repository)",
    )


STORAGE_OBJECT_ROLES = (
    "roles/storage.admin",
    "roles/storage.objectAdmin",
    "roles/storage.objectCreator",
    "roles/storage.objectUser",
    "roles/storage.objectViewer",
)


@policy(
    id="PG-IAM-006",
    title="Cloud Storage object roles are granted per bucket, not project-wide",
    severity=Severity.HIGH,
    requirements=("REQ-049",),
    rationale="""A project-level storage object role reaches every bucket of the project,
    including the Terraform state bucket, whose objects hold every resource attribute in clear
    text, and the models bucket the API serves from. The four buckets (Terraform state, DVC,
    models, drift logs) have different readers and writers, so each grant belongs on its
    bucket (REQ-049). A project-wide objectAdmin could also overwrite or delete the state
    files that versioning keeps. checkov has no such check.""",
    resource_types=HIERARCHY_IAM_TYPES,
    view=View.AFTER,
    judges_inventory=True,
    references=("https://cloud.google.com/storage/docs/access-control/iam-roles",),
)
def bucket_scoped_storage_roles(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    yield from _forbidden_roles(
        resource,
        STORAGE_OBJECT_ROLES,
        "no Cloud Storage object role at this level (grant it on the bucket)",
    )


# --------------------------------------------------------------------- workload identity

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"


@policy(
    id="PG-WIF-001",
    title="The GitHub OIDC provider trusts GitHub's issuer and pins the repository",
    severity=Severity.CRITICAL,
    requirements=("REQ-019", "REQ-038"),
    rationale="""Every GitHub repository in the world can obtain a token from GitHub's OIDC
    issuer. Unless the provider's attribute_condition pins the team's repository
    (`assertion.repository == "owner/name"`, required at the top level of the condition, so no
    `||` can bypass it), any repository's workflow could exchange its token and, given the
    impersonation grant, deploy as the CI deployer. CI's workflow (REQ-038: "Create GitHub
    Actions workflow") and the imported pool (REQ-019: "1 Workload Identity Pool + 1 Provider +
    1 SA binding") make this the only way into the project from CI. When the `github_repository`
    setting is set, the pinned repository must be exactly it. checkov's CKV_GCP_118 only
    requires that a condition exists, and CKV_GCP_125 expects a `google.subject` pin and fails
    the repository pin this stack uses.""",
    resource_types=("google_iam_workload_identity_pool_provider",),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines",
        "https://cloud.google.com/iam/docs/best-practices-for-using-workload-identity-federation",
        "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect",
    ),
)
def github_provider_pins_repository(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    wanted = _optional_string(ctx.setting(GITHUB_REPOSITORY), GITHUB_REPOSITORY)
    issuer = resource.get("oidc[0].issuer_uri")
    if isinstance(issuer, Marker) or issuer != GITHUB_ISSUER:
        yield violation("oidc[0].issuer_uri", f'"{GITHUB_ISSUER}"', issuer)
    expected = (
        f'a condition requiring assertion.repository == "{wanted}"'
        if wanted
        else 'a condition requiring assertion.repository == "owner/name"'
    )
    condition = resource.get("attribute_condition")
    if isinstance(condition, Marker) or not isinstance(condition, str) or not condition.strip():
        yield violation("attribute_condition", expected, condition)
        return
    mapping = resource.get("attribute_mapping")
    attribute_alias = isinstance(mapping, Mapping) and mapping.get("attribute.repository") == (
        "assertion.repository"
    )
    pinned = pinned_repositories(condition, attribute_alias=attribute_alias)
    if pinned is None:
        yield violation(
            "attribute_condition",
            expected,
            condition,
            "no top-level (&&-joined) comparison of assertion.repository with a string literal",
        )
    elif wanted and pinned != {wanted}:
        yield violation(
            "attribute_condition",
            expected,
            condition,
            "the condition admits "
            + (", ".join(f'"{repo}"' for repo in sorted(pinned)) or "no repository"),
        )


# A small CEL reader: enough to find `repository == "literal"` comparisons among the top-level
# conjuncts of a condition. Anything it does not understand is not a pin, so it fails closed.
_STRING = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""


def _repository_ref(attribute_alias: bool) -> str:
    return (
        r"(?:assertion|attribute)\.repository\b" if attribute_alias else r"assertion\.repository\b"
    )


def pinned_repositories(condition: str, *, attribute_alias: bool = False) -> set[str] | None:
    """Repositories the condition admits, or None when no top-level conjunct pins one.

    A pin is a conjunct (joined with `&&` at the top level) of the form
    `assertion.repository == "owner/name"` (either operand order), or a parenthesised
    `||` of such comparisons. With several pins the admitted set is their intersection.
    """
    ref = _repository_ref(attribute_alias)
    comparison = re.compile(rf"^(?:{ref}\s*==\s*{_STRING}|{_STRING}\s*==\s*{ref})$")
    admitted: set[str] | None = None
    for conjunct in _split_top(_strip_parens(condition), "&&"):
        repos: set[str] = set()
        for alternative in _split_top(_strip_parens(conjunct), "||"):
            match = comparison.match(_strip_parens(alternative))
            if match is None:
                repos = set()
                break
            literal = next(group for group in match.groups() if group is not None)
            repos.add(re.sub(r"\\(.)", r"\1", literal))
        if repos:
            admitted = repos if admitted is None else admitted & repos
    return admitted


def _scan(text: str) -> Iterator[tuple[int, str, int]]:
    """(position, character, bracket depth) outside string literals."""
    depth = 0
    quote = ""
    escaped = False
    for position, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        yield position, char, depth


def _split_top(text: str, operator: str) -> list[str]:
    parts: list[str] = []
    start = 0
    skip_to = -1
    for position, char, depth in _scan(text):
        if position < skip_to or depth != 0:
            continue
        if char == operator[0] and text.startswith(operator, position):
            parts.append(text[start:position].strip())
            start = skip_to = position + len(operator)
    parts.append(text[start:].strip())
    return parts


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        closing = next((p for p, c, d in _scan(text) if c == ")" and d == 0), None)
        if closing != len(text) - 1:
            break
        text = text[1:-1].strip()
    return text


IMPERSONATION_ROLES = (
    "roles/iam.workloadIdentityUser",
    "roles/iam.serviceAccountTokenCreator",
    "roles/iam.serviceAccountOpenIdTokenCreator",
)
_POOL_MEMBER = re.compile(
    r"^(principal|principalSet)://iam\.googleapis\.com/projects/[^/]+/locations/global/"
    r"workloadIdentityPools/[^/]+/(.*)$"
)
_REPOSITORY_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@policy(
    id="PG-WIF-002",
    title="Workload identity impersonation is granted to one repository, not the whole pool",
    severity=Severity.CRITICAL,
    requirements=("REQ-019", "REQ-038"),
    rationale="""The grant of roles/iam.workloadIdentityUser on the CI deployer service
    account decides which federated identities may act as it. A member of the form
    `principalSet://.../workloadIdentityPools/POOL/*` admits every identity of the pool,
    `attribute.repository_owner/...` every repository of an owner; only
    `principalSet://.../attribute.repository/OWNER/NAME` (or a single `principal://.../subject/...`)
    keeps the second lock of the workload-identity module ("the impersonation grant names the
    repository in its principalSet") in place, independently of the provider's condition
    (PG-WIF-001). REQ-019: "1 Workload Identity Pool + 1 Provider + 1 SA binding"; REQ-038:
    CI deploys through it.
    Token-creator roles granted to pool identities are judged the same way.""",
    resource_types=SERVICE_ACCOUNT_IAM_TYPES,
    view=View.AFTER,
    references=(
        "https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines#impersonation",
        "https://cloud.google.com/iam/docs/principal-identifiers",
    ),
)
def impersonation_scoped_to_repository(
    resource: Resource, ctx: PolicyContext
) -> Iterator[Violation]:
    wanted = _optional_string(ctx.setting(GITHUB_REPOSITORY), GITHUB_REPOSITORY)
    repository = wanted or "OWNER/NAME"
    expected = (
        "principalSet://iam.googleapis.com/projects/NUMBER/locations/global/"
        f"workloadIdentityPools/POOL/attribute.repository/{repository}"
    )
    grants, problems = read_grants(resource)
    yield from problems
    for grant in grants:
        if isinstance(grant.role, str) and grant.role not in IMPERSONATION_ROLES:
            continue
        for member in grant.members:
            path, value, why = member.path, member.value, grant.where(member)
            if isinstance(value, Marker) or not isinstance(value, str):
                yield violation(path, expected, value, why)
                continue
            match = _POOL_MEMBER.match(value)
            if match is None:
                continue  # not a workload identity pool principal
            problem = _pool_member_problem(match[1], match[2], wanted)
            if problem:
                yield violation(path, expected, value, why or problem)


def _pool_member_problem(kind: str, tail: str, wanted: str | None) -> str:
    if kind == "principal":
        subject = tail.removeprefix("subject/")
        if subject == tail:
            return "not a single subject of the pool"
        if wanted and not subject.startswith(f"repo:{wanted}:"):
            return f"the subject is not a workflow of {wanted}"
        return ""
    if tail == "*":
        return "admits every identity of the pool"
    name = tail.removeprefix("attribute.repository/")
    if name == tail:
        return "not scoped to one repository (attribute.repository/OWNER/NAME)"
    if wanted:
        return "" if name == wanted else f"names {name}, not {wanted}"
    return "" if _REPOSITORY_NAME.match(name) else "not an OWNER/NAME repository"
