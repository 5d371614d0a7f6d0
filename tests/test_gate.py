"""Assembling a gate run: environment, configuration directory, waivers, plans, locations."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from plangate.config import Configuration
from plangate.errors import InputError
from plangate.gate import (
    GateOptions,
    builtin_catalogue,
    configuration_for,
    gate_input,
    hcl_locator,
    load_project_catalogue,
    plan_environment,
    policy_dirs,
    project_waivers,
    run_gate,
)
from plangate.plan import load_plan, parse_plan
from plangate.policy import Severity, Status, load_waivers
from plangate.settings import Settings, find_settings, read_settings

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "infrastructure" / "plans"
ENVIRONMENTS = REPO / "infrastructure" / "terraform" / "environments"
STORAGE_TF = "infrastructure/terraform/modules/storage/main.tf"
PUBLIC_BUCKET_PLAN = PLANS / "scenarios" / "prod-public-bucket.json"
TRAINING_GRANT = 'module.iam.google_project_iam_member.roles["training_aiplatform_user"]'


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The repository's settings, with its catalogue (and so its declared settings) loaded."""
    settings = read_settings(REPO / "pyproject.toml")
    load_project_catalogue(settings)
    return settings


def tiny_plan(variables: dict[str, object] | None = None, name: str = "tiny.json"):
    document = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {key: {"value": value} for key, value in (variables or {}).items()},
        "resource_changes": [],
    }
    return parse_plan(json.dumps(document).encode(), name)


def declared_line(path: Path, block: str) -> int:
    """The 1-based line of a `resource "type" "name"` header, found by reading the file."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if re.match(rf"^\s*resource\s+{block}\s*\{{", line):
            return number
    raise AssertionError(f"{block} not in {path}")


def result(report, policy_id: str, plan: str | None = None):
    (found,) = [
        r for r in report.results if r.spec.id == policy_id and (plan is None or plan in r.plan)
    ]
    return found


# --- environment ------------------------------------------------------------------------------


def test_the_environment_comes_from_the_plan_variable():
    assert plan_environment(tiny_plan({"environment": "qa"}), None) == "qa"
    assert plan_environment(load_plan(PLANS / "prod.json"), None) == "prod"


def test_env_option_wins_over_the_plan_variable():
    assert plan_environment(tiny_plan({"environment": "qa"}), "prod") == "prod"


@pytest.mark.parametrize("variables", [{}, {"environment": 3}, {"region": "europe-west1"}])
def test_without_a_string_environment_variable_there_is_none(variables):
    assert plan_environment(tiny_plan(variables), None) is None


def test_gate_input_resolves_settings_for_the_environment(settings):
    loaded = tiny_plan({"environment": "prod"})
    prod = gate_input(settings, loaded, GateOptions())
    assert prod.environment == "prod"
    assert prod.settings["require_firestore_pitr"] is True
    dev = gate_input(settings, loaded, GateOptions(environment="dev"))
    assert dev.environment == "dev"
    assert dev.settings["require_firestore_pitr"] is False
    assert dev.settings["expect_no_changes"] is False
    strict = gate_input(settings, loaded, GateOptions(environment="dev", expect_no_changes=True))
    assert strict.settings["expect_no_changes"] is True


def test_extra_settings_come_last_and_are_checked(settings):
    loaded = tiny_plan({"environment": "prod"})
    options = GateOptions(extra_settings={"require_firestore_pitr": False})
    assert gate_input(settings, loaded, options).settings["require_firestore_pitr"] is False
    with pytest.raises(InputError, match=r"^command line: unknown policy setting 'nope'"):
        gate_input(settings, loaded, GateOptions(extra_settings={"nope": 1}))


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_the_config_template_loads_the_environment_directory(settings, environment):
    config = configuration_for(settings, GateOptions(), environment)
    assert isinstance(config, Configuration)
    assert config.root.directory.resolve() == (ENVIRONMENTS / environment).resolve()
    grant = config.module_call("module.iam")
    assert grant is not None
    assert ("training_aiplatform_user" in grant.arguments["project_roles"]) is (
        environment != "dev"
    )


def test_without_an_environment_a_templated_config_is_not_loaded(settings):
    assert configuration_for(settings, GateOptions(), None) is None


def test_the_config_option_wins_over_the_template(settings):
    options = GateOptions(config_dir=ENVIRONMENTS / "dev")
    config = configuration_for(settings, options, "prod")
    assert config is not None
    assert config.root.directory.resolve() == (ENVIRONMENTS / "dev").resolve()


def test_a_fixed_config_directory_needs_no_environment(tmp_path):
    settings = Settings(root=REPO, raw={"config": "infrastructure/terraform/environments/staging"})
    config = configuration_for(settings, GateOptions(), None)
    assert config is not None
    assert config.root.directory.resolve() == (ENVIRONMENTS / "staging").resolve()
    assert configuration_for(Settings(root=tmp_path), GateOptions(), "prod") is None


# --- the configuration check on the repository's plans ----------------------------------------


@pytest.fixture(scope="module")
def repo_report(settings):
    return run_gate(settings, GateOptions())


def test_the_repository_plans_pass_and_match_their_configuration(repo_report):
    assert repo_report.passed
    assert [run.environment for run in repo_report.runs] == ["prod", "staging", "dev"]
    for run in repo_report.runs:
        assert isinstance(run.configuration, Configuration)
        assert run.configuration.root.directory.name == run.environment
        (cfg,) = [r for r in run.results if r.spec.id == "PG-CFG-001"]
        assert cfg.status is Status.PASS, cfg


def test_a_prod_plan_checked_against_the_dev_config_fails_the_configuration_check(settings):
    options = GateOptions(plans=(str(PLANS / "prod.json"),), config_dir=ENVIRONMENTS / "dev")
    report = run_gate(settings, options)
    cfg = result(report, "PG-CFG-001")
    assert cfg.status is Status.FAIL
    assert [f.address for f in cfg.findings] == [TRAINING_GRANT]
    assert "training_aiplatform_user" in cfg.findings[0].message
    assert not report.passed


def test_judging_the_prod_plan_as_dev_picks_the_dev_config(settings):
    options = GateOptions(plans=(str(PLANS / "prod.json"),), environment="dev")
    report = run_gate(settings, options)
    (run,) = report.runs
    assert run.environment == "dev"
    assert run.configuration.root.directory.name == "dev"
    assert [f.address for f in result(report, "PG-CFG-001").failures] == [TRAINING_GRANT]


def test_a_dev_plan_checked_against_the_prod_config_misses_the_grant(settings):
    options = GateOptions(plans=(str(PLANS / "dev.json"),), config_dir=ENVIRONMENTS / "prod")
    cfg = result(run_gate(settings, options), "PG-CFG-001")
    assert cfg.status is Status.FAIL
    assert [f.address for f in cfg.findings] == [TRAINING_GRANT]


def test_without_a_config_the_configuration_check_does_not_apply(tmp_path):
    settings = Settings(root=REPO, raw={"policies": [str(REPO / "policies")]})
    report = run_gate(settings, GateOptions(plans=(str(PLANS / "dev.json"),)))
    assert result(report, "PG-CFG-001").status is Status.NOT_APPLICABLE
    assert report.runs[0].configuration is None


# --- locations --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def force_destroy(settings):
    plan = PLANS / "scenarios" / "prod-force-destroy.json"
    return run_gate(settings, GateOptions(plans=(str(plan),)))


def test_hcl_locator_gives_the_tf_file_relative_to_the_root_and_the_block_line(force_destroy):
    (run,) = force_destroy.runs
    locate = hcl_locator(REPO)
    expected_line = declared_line(REPO / STORAGE_TF, '"google_storage_bucket" "drift_logs"')
    assert locate(run, "module.storage.google_storage_bucket.drift_logs") == (
        STORAGE_TF,
        expected_line,
    )
    iam_line = declared_line(
        REPO / "infrastructure/terraform/modules/iam/main.tf", '"google_project_iam_member" "roles"'
    )
    assert locate(run, TRAINING_GRANT) == ("infrastructure/terraform/modules/iam/main.tf", iam_line)


def test_hcl_locator_answers_none_when_it_does_not_know(force_destroy):
    (run,) = force_destroy.runs
    locate = hcl_locator(REPO)
    assert locate(run, "module.storage.google_storage_bucket.nowhere") is None
    assert locate(run, "(plan)") is None  # not an address at all
    assert locate(run, "not an address[") is None
    without_config = dataclasses.replace(run, configuration=None)
    assert locate(without_config, "module.storage.google_storage_bucket.drift_logs") is None


def test_hcl_locator_outside_the_root_gives_an_absolute_path(force_destroy, tmp_path):
    (run,) = force_destroy.runs
    path, line = hcl_locator(tmp_path)(run, "module.storage.google_storage_bucket.drift_logs")
    assert Path(path).is_absolute()
    assert Path(path) == (REPO / STORAGE_TF).resolve()
    assert line == declared_line(REPO / STORAGE_TF, '"google_storage_bucket" "drift_logs"')


# --- waivers, plans and options ---------------------------------------------------------------


def test_a_missing_default_waivers_file_means_no_waivers(tmp_path):
    assert project_waivers(Settings(root=tmp_path)) == ()


def test_a_configured_waivers_file_must_exist(tmp_path):
    settings = Settings(root=tmp_path, raw={"waivers": "policies/waivers.yaml"})
    with pytest.raises(InputError, match="cannot read waivers"):
        project_waivers(settings)


def test_the_waivers_option_replaces_the_configured_file(tmp_path, settings):
    other = tmp_path / "w.yaml"
    other.write_text(
        "waivers:\n  - policy: PG-GCS-001\n    address: '*'\n"
        "    justification: A justification long enough.\n"
        "    approver: alice@example.com\n    expires: 2030-01-01\n"
    )
    (waiver,) = project_waivers(settings, other)
    assert waiver.address == "*"
    assert project_waivers(settings) == load_waivers(REPO / "policies" / "waivers.yaml")


def test_policy_dirs_are_the_built_in_catalogue_then_the_projects_own(tmp_path):
    builtin = builtin_catalogue()
    assert (builtin / "storage.py").is_file()
    assert policy_dirs(Settings(root=tmp_path)) == (builtin,)  # no ./policies: built-in only
    (tmp_path / "policies").mkdir()
    assert policy_dirs(Settings(root=tmp_path)) == (builtin, tmp_path / "policies")
    assert policy_dirs(Settings(root=tmp_path, raw={"policies": "rules"})) == (
        builtin,
        tmp_path / "rules",
    )
    assert policy_dirs(Settings(root=tmp_path, raw={"policies": ["a", "b"]})) == (
        builtin,
        tmp_path / "a",
        tmp_path / "b",
    )


def test_the_built_in_catalogue_is_not_loaded_twice_when_configured_by_path():
    settings = Settings(root=builtin_catalogue().parent, raw={"policies": ["policies"]})
    assert policy_dirs(settings).count(builtin_catalogue()) == 1


def test_a_policy_can_be_switched_off_by_id(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.plangate]\ndisable = ["PG-GCS-005"]\n')
    settings = find_settings(tmp_path)
    report = run_gate(settings, GateOptions(plans=(str(PUBLIC_BUCKET_PLAN),)))
    assert "PG-GCS-005" not in {result.spec.id for result in report.results}
    assert "switched off: PG-GCS-005" in report.catalogue
    assert report.catalogue[0].endswith("built-in catalogue: 46 policies (45 run, 1 switched off)")


def test_switching_off_an_unknown_policy_is_bad_input(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.plangate]\ndisable = ["PG-NOPE-001"]\n')
    with pytest.raises(InputError, match="disable names PG-NOPE-001, which no policy has"):
        run_gate(find_settings(tmp_path), GateOptions(plans=(str(PUBLIC_BUCKET_PLAN),)))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("policies = [1]", "policies must be a list of directories"),
        ('config = ["infrastructure"]', "config must be a directory path"),
        ('config = "envs/{env}"', "only the {environment} placeholder"),
        ("waivers = 5", "waivers must be a file path"),
        ("features = 5", "features must be a directory path"),
        ('plan = "typo.json"', "unknown key 'plan' in [tool.plangate]"),
    ],
)
def test_a_malformed_tool_plangate_table_stops_the_run(tmp_path, line, message):
    """A setting the gate silently ignored (a `config` list, say) would switch a control off."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f"[tool.plangate]\n{line}\n")
    with pytest.raises(InputError) as raised:
        read_settings(pyproject)
    assert message in str(raised.value) and len(str(raised.value).splitlines()) == 1


def test_a_missing_policy_directory_is_an_input_error(tmp_path):
    settings = Settings(root=tmp_path, plans=("x.json",), raw={"policies": ["nope"]})
    with pytest.raises(InputError, match="policy directory not found"):
        run_gate(settings, GateOptions())


def test_no_plans_is_an_input_error():
    settings = Settings(root=REPO, raw={"policies": [str(REPO / "policies")]})
    with pytest.raises(InputError, match="no plans to check"):
        run_gate(settings, GateOptions())


def test_plan_arguments_replace_the_configured_plans(settings):
    report = run_gate(settings, GateOptions(plans=(str(PLANS / "staging.json"),)))
    assert [run.environment for run in report.runs] == ["staging"]


def test_fail_on_reaches_the_report(settings):
    plan = PLANS / "scenarios" / "prod-budget-threshold-removed.json"
    strict = run_gate(settings, GateOptions(plans=(str(plan),)))
    failing = {(f.policy_id, f.severity) for f in strict.findings if f.status is Status.FAIL}
    assert failing == {("PG-BUD-001", Severity.MEDIUM)}
    assert strict.exit_code == 1
    lenient = run_gate(settings, GateOptions(plans=(str(plan),), fail_on=Severity.HIGH))
    assert lenient.fail_on is Severity.HIGH
    assert lenient.exit_code == 0
