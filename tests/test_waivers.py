"""Waivers: the file format, address globs, environments, expiry, and what a run makes of them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from plangate.errors import InputError
from plangate.plan import parse_plan
from plangate.policy import Registry, Severity, Status, Waiver, load_waivers, policy, violation
from plangate.policy.engine import GateInput, evaluate

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
# a reviewed exception
waivers:
  - policy: PG-GCS-001
    address: module.storage.google_storage_bucket.legacy
    justification: >
      The legacy bucket is served by a CDN that still needs
      object ACLs; the migration is planned for Q3.
    approver: alice@example.com
    expires: 2027-01-31
    ticket: SEC-42
  - policy: PG-IAM-001
    address: module.iam.google_project_iam_member.roles["ci_*"]
    environments: [dev, staging]
    justification: CI service accounts need broad roles in non-production projects.
    approver: bob@example.com
    expires: "2026-12-31"
"""


def write(tmp_path: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# --- reading ----------------------------------------------------------------------------------


def test_a_valid_file_reads_into_waivers(tmp_path):
    first, second = load_waivers(write(tmp_path, GOOD))
    assert first == Waiver(
        policy="PG-GCS-001",
        address="module.storage.google_storage_bucket.legacy",
        justification=(
            "The legacy bucket is served by a CDN that still needs object ACLs; "
            "the migration is planned for Q3."
        ),
        approver="alice@example.com",
        expires=dt.date(2027, 1, 31),
        environments=(),
        ticket="SEC-42",
    )
    assert second.environments == ("dev", "staging")
    assert second.expires == dt.date(2026, 12, 31)  # quoted and unquoted dates both work
    assert second.ticket is None


def test_the_repository_waivers_file_is_valid():
    waivers = load_waivers(REPO / "policies" / "waivers.yaml")
    assert all(isinstance(w, Waiver) and len(w.justification) >= 20 for w in waivers)


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "waivers: []\n"])
def test_an_empty_file_means_no_waivers(tmp_path, text):
    assert load_waivers(write(tmp_path, text)) == ()


ENTRY = {
    "policy": "PG-GCS-001",
    "address": "google_storage_bucket.a",
    "justification": "A justification that is long enough to pass.",
    "approver": "alice@example.com",
    "expires": "2027-01-31",
}


def entry_yaml(**changes: Any) -> str:
    """One waiver as YAML; a value of None removes the key, a raw string is written as is."""
    fields = {**ENTRY, **changes}
    lines = ["waivers:"]
    for position, (key, value) in enumerate((k, v) for k, v in fields.items() if v is not None):
        prefix = "  - " if position == 0 else "    "
        lines.append(f"{prefix}{key}: {value}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "pointer", "says"),
    [
        (entry_yaml(justification=None), "/waivers/0", "'justification' is a required property"),
        (entry_yaml(approver=None), "/waivers/0", "'approver' is a required property"),
        (entry_yaml(expires=None), "/waivers/0", "'expires' is a required property"),
        (entry_yaml(justification="too short"), "/waivers/0/justification", "is too short"),
        (entry_yaml(expires="31/01/2027"), "/waivers/0/expires", "is not a 'date'"),
        (entry_yaml(expires="2027-02-30"), "/waivers/0/expires", "is not a 'date'"),
        (entry_yaml(expires="'2027-02-30'"), "/waivers/0/expires", "is not a 'date'"),
        (entry_yaml(expires="2027-01-31 10:00:00"), "/waivers/0/expires", "is not a 'date'"),
        (entry_yaml(colour="red"), "/waivers/0", "'colour' was unexpected"),
        (entry_yaml(policy="GCS-1"), "/waivers/0/policy", "does not match"),
        (entry_yaml(policy="pg-gcs-001"), "/waivers/0/policy", "does not match"),
        (entry_yaml(environments="prod"), "/waivers/0/environments", "is not of type 'array'"),
        (entry_yaml() + "extra: 1\n", "/", "'extra' was unexpected"),
        ("waivers: {}\n", "/waivers", "is not of type 'array'"),
        ("- just a list\n", "/", "is not of type 'object'"),
    ],
)
def test_schema_errors_are_one_line_and_name_the_file_and_pointer(tmp_path, text, pointer, says):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_waivers(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: invalid waiver at {pointer}: ")
    assert says in message
    assert "\n" not in message


def test_the_second_entry_is_named_by_its_index(tmp_path):
    text = GOOD.replace("approver: bob@example.com", "approver: b")
    with pytest.raises(
        InputError, match=r"invalid waiver at /waivers/1/approver: 'b' is too short"
    ):
        load_waivers(write(tmp_path, text))


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("waivers: [\n  - policy: PG-GCS-001\n", "invalid YAML at line"),
        (b"\xff\xfe\x00w", "not UTF-8"),
    ],
)
def test_unreadable_waivers_are_one_line_input_errors(tmp_path, content, says):
    path = tmp_path / "waivers.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(InputError) as raised:
        load_waivers(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_waivers_file_is_an_input_error(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(InputError, match=r"absent\.yaml: cannot read waivers"):
        load_waivers(path)


# --- matching ---------------------------------------------------------------------------------


def waiver(address: str, *, policy_id: str = "PG-IAM-001", **fields: Any) -> Waiver:
    return Waiver(
        policy=policy_id,
        address=address,
        justification="A justification that is long enough.",
        approver="alice@example.com",
        expires=fields.pop("expires", dt.date(2027, 1, 31)),
        **fields,
    )


CI_ROLES = 'module.iam.google_project_iam_member.roles["ci_*"]'


@pytest.mark.parametrize(
    ("pattern", "address", "matches"),
    [
        (CI_ROLES, 'module.iam.google_project_iam_member.roles["ci_deployer_owner"]', True),
        (CI_ROLES, 'module.iam.google_project_iam_member.roles["ci_"]', True),
        (CI_ROLES, 'module.iam.google_project_iam_member.roles["ml_ci_x"]', False),
        (CI_ROLES, "module.iam.google_project_iam_member.roles", False),
        (CI_ROLES, "module.iam.google_project_iam_member.roles[ci_x]", False),  # quotes literal
        ('roles["a"]', "roles[a]", False),
        # brackets are literal, never a character class
        ("roles[ab]", "rolesa", False),
        ("roles[ab]", "roles[ab]", True),
        ("roles[0]", "roles0", False),
        ("roles[?]", "roles[1]", True),
        ("roles[?]", "roles[12]", False),
        # * spans dots and brackets; ? is exactly one character
        ("module.*", 'module.iam.google_project_iam_member.roles["x"]', True),
        ("*.google_storage_bucket.dvc", "module.storage.google_storage_bucket.dvc", True),
        ("google_storage_bucket.?", "google_storage_bucket.a", True),
        ("google_storage_bucket.?", "google_storage_bucket.ab", False),
        ("google_storage_bucket.?", "google_storage_bucket.", False),
        # the whole address must match, and other regex syntax is literal
        ("google_storage_bucket.a", "google_storage_bucket.ab", False),
        ("google_storage_bucket.a", "module.x.google_storage_bucket.a", False),
        ("google_storage_bucket.a", "google_storage_bucketXa", False),
        ("x.(a|b)+", "x.a", False),
        ("x.(a|b)+", "x.(a|b)+", True),
        ("x.^a$", "x.^a$", True),
        ("x.\\d", "x.\\d", True),
        ("x.\\d", "x.1", False),
    ],
)
def test_addresses_match_with_star_and_question_mark_only(pattern, address, matches):
    assert waiver(pattern).matches("PG-IAM-001", address, None) is matches


def test_the_policy_id_must_match_exactly():
    assert not waiver("*").matches("PG-IAM-002", "x.y", None)
    assert waiver("*").matches("PG-IAM-001", "x.y", None)


@pytest.mark.parametrize(
    ("environments", "environment", "matches"),
    [
        ((), "prod", True),
        ((), None, True),
        (("dev", "staging"), "dev", True),
        (("dev", "staging"), "staging", True),
        (("dev", "staging"), "prod", False),
        (("dev",), None, False),
    ],
)
def test_environments_restrict_where_a_waiver_applies(environments, environment, matches):
    w = waiver("google_storage_bucket.a", environments=environments)
    assert w.matches("PG-IAM-001", "google_storage_bucket.a", environment) is matches


@pytest.mark.parametrize(
    ("today", "expired"),
    [
        (dt.date(2027, 1, 30), False),
        (dt.date(2027, 1, 31), False),  # valid through its expiry date
        (dt.date(2027, 2, 1), True),
    ],
)
def test_a_waiver_is_valid_through_its_expiry_date(today, expired):
    assert waiver("x", expires=dt.date(2027, 1, 31)).is_expired(today) is expired


# --- waivers in a run -------------------------------------------------------------------------


def registry() -> Registry:
    reg = Registry()

    @policy(
        id="PG-IAM-001",
        title="No owner role",
        severity="critical",
        rationale="test",
        resource_types=["google_project_iam_member"],
        registry=reg,
    )
    def no_owner(resource, context):
        if resource.get("role") == "roles/owner":
            yield violation("role", "not roles/owner", "roles/owner")

    return reg


def plan_document(*keys: str) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "resource_changes": [
            {
                "address": f'module.iam.google_project_iam_member.roles["{key}"]',
                "module_address": "module.iam",
                "mode": "managed",
                "type": "google_project_iam_member",
                "name": "roles",
                "index": key,
                "provider_name": "google",
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": {"role": "roles/owner"},
                    "after_unknown": {},
                    "before_sensitive": {},
                    "after_sensitive": {},
                },
            }
            for key in keys
        ],
    }


def judge(
    waivers: tuple[Waiver, ...],
    *,
    environment: str = "dev",
    today: dt.date = dt.date(2026, 6, 1),
    keys: tuple[str, ...] = ("ci_deployer", "training"),
):
    loaded = parse_plan(json.dumps(plan_document(*keys)).encode(), f"{environment}.json")
    return evaluate(
        [GateInput(loaded=loaded, environment=environment, settings={})],
        registry(),
        waivers,
        today=today,
    )


def test_a_matching_waiver_waives_only_its_addresses():
    report = judge((waiver(CI_ROLES),))
    statuses = {f.address: f.status for f in report.findings}
    assert statuses == {
        'module.iam.google_project_iam_member.roles["ci_deployer"]': Status.WAIVED,
        'module.iam.google_project_iam_member.roles["training"]': Status.FAIL,
    }
    (result,) = report.results
    assert result.status is Status.FAIL
    assert not report.passed


def test_when_every_finding_is_waived_the_result_is_waived_and_the_gate_passes():
    w = waiver(CI_ROLES)
    report = judge((w,), keys=("ci_deployer", "ci_other"))
    (result,) = report.results
    assert result.status is Status.WAIVED
    assert all(f.waiver == w for f in result.findings)
    assert report.passed and report.exit_code == 0
    assert report.warnings == ()
    assert [use.uses for use in report.waivers] == [2]


def test_a_waiver_for_other_environments_does_not_waive():
    w = waiver(CI_ROLES, environments=("dev", "staging"))
    assert judge((w,), environment="staging", keys=("ci_x",)).passed
    report = judge((w,), environment="prod", keys=("ci_x",))
    assert {f.status for f in report.findings} == {Status.FAIL}
    assert not report.passed
    assert report.warnings and "matched nothing" in report.warnings[0]


def test_an_expired_waiver_does_not_waive_and_fails_the_gate():
    w = waiver(CI_ROLES, expires=dt.date(2026, 5, 31))
    report = judge((w,), today=dt.date(2026, 6, 1), keys=("ci_x",))
    assert {f.status for f in report.findings} == {Status.FAIL}
    assert report.expired_waivers == (w,)
    assert not report.passed
    assert report.exit_code == 1


def test_an_expired_waiver_fails_the_gate_even_when_nothing_else_does():
    w = waiver("google_storage_bucket.gone", expires=dt.date(2026, 5, 31))
    report = judge((w,), today=dt.date(2026, 6, 1), keys=())
    assert all(r.status is Status.NOT_APPLICABLE for r in report.results)
    assert not report.passed
    assert report.warnings == ()  # expired is reported as such, not as unused


def test_a_waiver_still_waives_on_its_expiry_day():
    w = waiver(CI_ROLES, expires=dt.date(2026, 6, 1))
    report = judge((w,), today=dt.date(2026, 6, 1), keys=("ci_x",))
    assert {f.status for f in report.findings} == {Status.WAIVED}
    assert report.passed
    assert report.expired_waivers == ()


def test_an_unused_waiver_appears_in_warnings_and_does_not_fail():
    unused = waiver('module.iam.google_project_iam_member.roles["nobody"]')
    used = waiver(CI_ROLES)
    report = judge((used, unused), keys=("ci_x",))
    assert report.passed
    assert report.warnings == (
        f"waiver {unused.describe()} matched nothing; remove it or fix its address",
    )
    assert [(use.uses, use.expired) for use in report.waivers] == [(1, False), (0, False)]


def test_waivers_are_counted_across_every_plan_of_a_run():
    w = waiver(CI_ROLES)
    plans = [
        GateInput(
            loaded=parse_plan(json.dumps(plan_document(*keys)).encode(), name),
            environment="dev",
            settings={},
        )
        for name, keys in (("a.json", ()), ("b.json", ("ci_x",)))
    ]
    report = evaluate(plans, registry(), (w,), today=dt.date(2026, 6, 1))
    assert report.warnings == ()
    assert [use.uses for use in report.waivers] == [1]


def test_a_waived_finding_below_fail_on_is_still_waived():
    report = evaluate(
        [
            GateInput(
                loaded=parse_plan(json.dumps(plan_document("ci_x")).encode(), "p.json"),
                environment="dev",
                settings={},
            )
        ],
        registry(),
        (waiver(CI_ROLES),),
        fail_on=Severity.CRITICAL,
        today=dt.date(2026, 6, 1),
    )
    assert {f.status for f in report.findings} == {Status.WAIVED}
    assert report.passed


# --- messages (found by mutation testing) -----------------------------------------------------


def test_invalid_yaml_names_the_line_of_the_problem(tmp_path):
    text = "waivers:\n  - policy: PG-GCS-001\n    address: [unclosed\n"
    with pytest.raises(InputError) as raised:
        load_waivers(write(tmp_path, text))
    # the problem is seen on line 4 (the end of the file), counted from 1
    assert str(raised.value) == (
        f"{tmp_path / 'waivers.yaml'}: invalid YAML at line 4; expected a `waivers:` list"
    )
    with pytest.raises(InputError, match="invalid YAML at line 3;"):  # where `c: d` is
        load_waivers(write(tmp_path, "waivers:\n  - a: b\n   c: d\n"))


def test_invalid_yaml_without_a_position_says_so_without_a_line(tmp_path):
    # libyaml's reader refuses a control character before any parsing: no problem mark
    path = write(tmp_path, "waivers:\n  - policy: \x07\n")
    with pytest.raises(InputError) as raised:
        load_waivers(path)
    assert str(raised.value) == f"{path}: invalid YAML; expected a `waivers:` list"


def test_a_long_schema_message_is_cut_to_160_characters(tmp_path):
    path = write(tmp_path, entry_yaml(policy="P" * 300))
    with pytest.raises(InputError) as raised:
        load_waivers(path)
    prefix = f"{path}: invalid waiver at /waivers/0/policy: "
    message = str(raised.value)
    assert message.startswith(prefix)
    said = message[len(prefix) :]
    assert len(said) == 160
    assert said.startswith("'PPP") and said.endswith("P...")


def test_the_message_cut_keeps_160_characters_and_cuts_161():
    from plangate.policy.waivers import _short

    assert _short("x" * 160) == "x" * 160
    assert _short("x" * 161) == "x" * 157 + "..."
    assert _short(" a\n  b ") == "a b"


def test_a_refusal_the_schema_does_not_explain_is_said_in_the_structs_words(tmp_path, monkeypatch):
    from plangate.policy import waivers as waivers_module

    class Silent:
        def iter_errors(self, document):
            return iter(())

    monkeypatch.setattr(waivers_module, "_validator", lambda: Silent())
    path = write(tmp_path, entry_yaml(approver="b"))
    with pytest.raises(InputError) as raised:
        load_waivers(path)
    assert str(raised.value) == (
        f"{path}: invalid waiver: Expected `str` of length >= 3 - at `$.waivers[0].approver`"
    )


def test_waivers_are_frozen():
    import dataclasses

    first = waiver("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.expires = dt.date(2099, 1, 1)  # type: ignore[misc]
