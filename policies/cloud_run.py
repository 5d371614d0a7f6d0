"""Cloud Run: the identity the CT-scan API runs as, how its credentials reach it, who may call it.

What this module protects, for an auditor:

* The API runs as a dedicated service account, never as the Compute Engine (or App Engine)
  default service account, which holds the Editor role on the project by default (PG-RUN-001).
* Credentials reach containers only as Secret Manager references (`value_source.secret_key_ref`
  in v2, `value_from.secret_key_ref` in v1), never as plain environment values that every
  viewer of the service, the revision history and the Terraform state can read (PG-RUN-002).
  The check looks at the variable's name (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY,
  CREDENTIALS, ...), at the value's shape (private keys, JWTs, Google/GitHub/AWS/Slack keys,
  URLs with a password) and at the plan's sensitivity marks. No finding ever shows the value.
* The service is not public: no allUsers or allAuthenticatedUsers grant in its IAM, and the
  invoker IAM check is not disabled (PG-RUN-003). A deliberately public service needs a
  waiver with a justification and an expiry; there is no setting for it.

Both google_cloud_run_v2_service and the v1 google_cloud_run_service are covered. Unknown
("known after apply") values never pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from plangate.gcp.iam import PUBLIC_MEMBERS, is_public, read_grants
from plangate.plan import ABSENT, SENSITIVE, UNKNOWN
from plangate.plan.values import Marker
from plangate.policy import PolicyContext, Resource, Severity, View, Violation, policy, violation

V2 = "google_cloud_run_v2_service"
V1 = "google_cloud_run_service"
SERVICE_TYPES = (V2, V1)

# ------------------------------------------------------------------------- PG-RUN-001

_DEFAULT_ACCOUNT = re.compile(
    r"^[0-9]+-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$"
)


def _service_account_path(resource: Resource) -> str:
    return (
        "template[0].service_account"
        if resource.type == V2
        else "template[0].spec[0].service_account_name"
    )


@policy(
    id="PG-RUN-001",
    title="Cloud Run services run as a dedicated service account, not the default compute account",
    severity=Severity.HIGH,
    requirements=("REQ-049",),
    rationale="""Without a service account, Cloud Run runs revisions as the Compute Engine
    default service account, which by default holds roles/editor on the whole project; a
    compromised container would then control the project. The stack runs the API as its own
    runtime account (iam module: "nothing runs as the Compute Engine default service account")
    with only the roles granted to it by name (REQ-049). checkov has no check for
    google_cloud_run_v2_service.""",
    resource_types=SERVICE_TYPES,
    view=View.AFTER,
    references=(
        "https://cloud.google.com/run/docs/securing/service-identity",
        "https://cloud.google.com/iam/docs/service-account-types#default",
    ),
)
def dedicated_service_account(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    path = _service_account_path(resource)
    account = resource.get(path)
    expected = "a dedicated user-managed service account e-mail"
    if isinstance(account, Marker) or not isinstance(account, str) or not account:
        why = (
            ""
            if account is UNKNOWN
            else "Cloud Run falls back to the Compute Engine default service account"
        )
        yield violation(path, expected, account, why)
    elif _DEFAULT_ACCOUNT.search(account):
        yield violation(
            path, expected, account, "a default service account holds roles/editor on the project"
        )


# ------------------------------------------------------------------------- PG-RUN-002

# Name parts that make an environment variable a credential; matched on whole words of the
# upper-cased, underscore-separated name, so TOKENIZER_PATH or PASSTHROUGH do not match.
_CREDENTIAL_WORDS = re.compile(
    r"(?:^|_)(?:PASSWORD|PASSWD|PASSPHRASE|SECRETS?|TOKENS?|CREDENTIALS?|CREDS|APIKEY|"
    r"API_KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|SIGNING_KEY|ENCRYPTION_KEY|CLIENT_SECRET|"
    r"WEBHOOK|WEBHOOK_URL|DSN|CONNECTION_STRING|CONN_STR)(?:_|$)"
)
# A last word that makes the variable name a secret (id, path, ...), not hold one.
_REFERENCE_SUFFIXES = frozenset(
    {
        "ID",
        "IDS",
        "NAME",
        "NAMES",
        "PATH",
        "FILE",
        "DIR",
        "VERSION",
        "REF",
        "PROJECT",
        "LOCATION",
        "ENDPOINT",
        "URI",
        "TTL",
        "ENABLED",
    }
)
# Value shapes of well-known credentials. Generic entropy is deliberately not used: image
# digests, commit SHAs and model versions would all look like keys.
_CREDENTIAL_VALUES = (
    ("a PEM private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    (
        "a service account key file",
        re.compile(r'"type"\s*:\s*"service_account"|"private_key_id"\s*:'),
    ),
    (
        "a JSON Web Token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
    ),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Google OAuth access token", re.compile(r"\bya29\.[0-9A-Za-z_-]{20,}")),
    (
        "a GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})"),
    ),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a live Stripe key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{16,}")),
    ("a URL with a password", re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")),
)


def normalise_name(name: str) -> str:
    """`dbPassword`, `db-password` and `DB_PASSWORD` all become `DB_PASSWORD`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^A-Z0-9]+", "_", spaced.upper()).strip("_")


def credential_name(name: str) -> bool:
    """Whether an environment variable's name says it holds a credential."""
    normal = normalise_name(name)
    if not _CREDENTIAL_WORDS.search(normal):
        return False
    return normal.rsplit("_", 1)[-1] not in _REFERENCE_SUFFIXES or normal.endswith("WEBHOOK_URL")


def credential_shape(value: str) -> str | None:
    """What a plain value looks like when it looks like a credential, else None."""
    for label, pattern in _CREDENTIAL_VALUES:
        if pattern.search(value):
            return label
    return None


def _containers_path(resource: Resource) -> str:
    return "template[0].containers" if resource.type == V2 else "template[0].spec[0].containers"


def _reference_path(resource: Resource) -> str:
    return "value_source.secret_key_ref" if resource.type == V2 else "value_from.secret_key_ref"


def _hidden(path: str, expected: str, reason: str) -> Violation:
    """A finding about a plain value that must not be shown: `actual` is the SENSITIVE marker."""
    return Violation(
        attribute=path,
        expected=expected,
        actual=SENSITIVE,
        message=f"{path}: expected {expected}, got a plain value ({reason}); the value is not shown",
    )


@policy(
    id="PG-RUN-002",
    title="Cloud Run containers receive credentials only as Secret Manager references",
    severity=Severity.CRITICAL,
    requirements=("REQ-050",),
    rationale="""A plain environment value is stored in the service's revision configuration,
    shown to anyone with run.services.get, copied into every revision and written in clear text
    into the Terraform plan and state. The stack keeps credentials in Secret Manager (REQ-050;
    cloud-run module: "Credentials reach the
    container only as Secret Manager references (value_source), never as plain environment
    values"). A value the plan marks sensitive in a plain env var is a secret passed as a plain
    env value and is reported without being shown. checkov has no check for Cloud Run env.""",
    resource_types=SERVICE_TYPES,
    view=View.AFTER,
    references=(
        "https://cloud.google.com/run/docs/configuring/services/secrets",
        "https://cloud.google.com/secret-manager/docs/best-practices",
    ),
)
def secrets_by_reference(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    reference = _reference_path(resource)
    expected = f"credentials only through {reference} (Secret Manager)"
    base = _containers_path(resource)
    containers = resource.get(base)
    if containers is ABSENT or containers is None:
        return
    if not isinstance(containers, tuple):
        yield _marker_violation(base, expected, containers)
        return
    for c_index, container in enumerate(containers):
        env_path = f"{base}[{c_index}].env"
        if not hasattr(container, "get"):
            yield _marker_violation(f"{base}[{c_index}]", expected, container)
            continue
        env = container.get("env", ABSENT)
        if env is ABSENT or env is None:
            continue
        if not isinstance(env, tuple):
            yield _marker_violation(env_path, expected, env)
            continue
        for e_index, entry in enumerate(env):
            yield from _check_env(f"{env_path}[{e_index}]", entry, expected)


def _marker_violation(path: str, expected: str, actual: Any) -> Violation:
    if actual is SENSITIVE:
        return _hidden(
            path, expected, "a secret passed as a plain env value: the plan marks it sensitive"
        )
    return violation(path, expected, actual)


def _check_env(path: str, entry: Any, expected: str) -> Iterator[Violation]:
    if not hasattr(entry, "get"):
        yield _marker_violation(path, expected, entry)
        return
    name = entry.get("name", ABSENT)
    value = entry.get("value", ABSENT)
    value_path = f"{path}.value"
    if value is ABSENT or value is None or value == "":
        return  # no plain value: a secret reference or an empty variable
    if value is SENSITIVE:
        yield _hidden(
            value_path,
            expected,
            "a secret passed as a plain env value: the plan marks it sensitive",
        )
        return
    named = name if isinstance(name, str) else None
    if name is UNKNOWN or name is SENSITIVE:
        yield violation(
            f"{path}.name",
            expected,
            name,
            "the gate cannot tell whether this plain value is a credential",
        )
    elif named is not None and credential_name(named):
        if value is UNKNOWN:
            yield violation(value_path, expected, value, f"{named} is named like a credential")
        else:
            yield _hidden(value_path, expected, f"{named} is named like a credential")
    elif isinstance(value, str) and (shape := credential_shape(value)):
        label = f"{named}: " if named else ""
        yield _hidden(value_path, expected, f"{label}the value looks like {shape}")


# ------------------------------------------------------------------------- PG-RUN-003

RUN_IAM_TYPES = tuple(
    f"{family}{kind}"
    for family in SERVICE_TYPES
    for kind in ("_iam_member", "_iam_binding", "_iam_policy")
)


@policy(
    id="PG-RUN-003",
    title="Cloud Run services are not publicly invokable",
    severity=Severity.HIGH,
    requirements=("REQ-016", "REQ-048"),
    rationale="""The CT-scan API classifies medical images and writes one Firestore document
    per prediction at the project's expense; a public invoker lets anyone on the internet use
    it and run up the bill (REQ-048). The cloud-run module grants exactly one authenticated
    invoker (REQ-016: "1 Cloud Run service + 1 IAM binding") and refuses allUsers and
    allAuthenticatedUsers. A Cloud Run service becomes public either through such
    a grant or by disabling the invoker IAM check (invoker_iam_disabled); both are reported.
    checkov's CKV_GCP_102 covers only the v1 member and binding types. Only a waiver lets a
    deliberately public service through.""",
    resource_types=(V2, *RUN_IAM_TYPES),
    view=View.AFTER,
    references=(
        "https://cloud.google.com/run/docs/authenticating/public",
        "https://cloud.google.com/run/docs/securing/managing-access",
    ),
)
def not_public(resource: Resource, ctx: PolicyContext) -> Iterator[Violation]:
    if resource.type == V2:
        disabled = resource.get("invoker_iam_disabled")
        if disabled is ABSENT or disabled is None or disabled is False:
            return
        yield violation(
            "invoker_iam_disabled",
            "false (callers must hold roles/run.invoker)",
            disabled,
            "a disabled invoker check lets anyone on the internet call the service",
        )
        return
    expected = "an authenticated invoker, not " + ", ".join(PUBLIC_MEMBERS)
    grants, problems = read_grants(resource)
    yield from problems
    for grant in grants:
        for member in grant.members:
            path, value, where = member.path, member.value, grant.where(member)
            if isinstance(value, Marker) or not isinstance(value, str):
                yield violation(path, expected, value, where)
            elif is_public(value):
                granted = f"granted {grant.role}" if isinstance(grant.role, str) else ""
                yield violation(path, expected, value, where or granted)
