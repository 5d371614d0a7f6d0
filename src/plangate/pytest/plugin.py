"""The pytest gate: `--plan` and `[tool.plangate] plans` decide which plans every check runs on.

The pytest11 entry point: options, markers, collection of the catalogue and waivers, the plan
and inventory fixtures, and the report header. With `--evidence PATH` it registers the
evidence recorder.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from plangate.errors import PlanGateError
from plangate.evidence.recorder import EvidenceRecorder
from plangate.plan import LoadedPlan, Plan
from plangate.policy import GateReport, Severity
from plangate.pytest.policy_items import (
    PolicyItem,
    PolicyModule,
    WaiverFile,
    WaiverItem,
    is_catalogue_file,
)
from plangate.pytest.session import (
    INVENTORY_ID,
    INVENTORY_PARAM,
    conformance_report,
    conformance_requested,
    effective_waivers_path,
    loaded_plan_for,
    plan_ids,
    plan_paths,
    requested_inventory,
    session_settings,
    start_session,
    unusable_plans,
    usage_error,
    usage_errors,
)
from plangate.pytest.tc_files import is_tc_feature
from plangate.pytest.tc_items import TcFeatureFile, TcScenarioItem, unwalked_tc_features

# The step library and `*.feature` collection; the built-in catalogue's items in a repository
# that installed plangate (`-p no:plangate.pytest.builtin` leaves them out); checkov's items.
pytest_plugins = ["plangate.bdd.plugin", "plangate.pytest.builtin", "plangate.pytest.checkov_items"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("plangate", "Terraform plan gate")
    group.addoption(
        "--plan",
        action="append",
        default=[],
        metavar="PATH",
        help="plan JSON (terraform show -json) to gate; repeatable; overrides [tool.plangate] plans",
    )
    group.addoption(
        "--plan-env", default=None, metavar="NAME", help="judge every plan as this environment"
    )
    group.addoption(
        "--expect-no-changes",
        action="store_true",
        default=False,
        help="zero-change mode: any change, import, move, output change or drift fails",
    )
    group.addoption(
        "--waivers", default=None, metavar="FILE", help="waivers file instead of the configured one"
    )
    group.addoption(
        "--with-checkov",
        action="store_true",
        default=False,
        help="also run checkov on every plan (one item per check id and plan; "
        "install it with `plangate checkov-install`)",
    )
    group.addoption(
        "--evidence",
        default=None,
        metavar="PATH",
        help="write the auditors' evidence report to PATH (HTML), with .md and .json twins beside it",
    )
    group.addoption(
        "--evidence-attestation",
        default=None,
        metavar="PATH",
        help="with --evidence, also write an in-toto Statement (subjects: the plans) to PATH",
    )
    group.addoption(
        "--cai-project",
        default=None,
        metavar="ID",
        help="check Terraform's state against the project's live Cloud Asset Inventory",
    )
    group.addoption(
        "--cai-export",
        default=None,
        metavar="PATH",
        help="check Terraform's state against a Cloud Asset Inventory export",
    )
    for option, what in (("--cai-plan", "plan JSON"), ("--cai-state", "state JSON")):
        group.addoption(
            option,
            action="append",
            default=[],
            metavar="PATH",
            help=f"{what} whose state the inventory is checked against; repeatable (default: "
            "[tool.plangate.conformance], else the gated plans)",
        )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--cai-project") and config.getoption("--cai-export"):
        raise pytest.UsageError("--cai-project and --cai-export are alternatives: pass one")
    if not conformance_requested(config) and (
        config.getoption("--cai-plan") or config.getoption("--cai-state")
    ):
        raise pytest.UsageError(
            "--cai-plan and --cai-state need an inventory: pass --cai-project or --cai-export"
        )
    start_session(config)
    evidence = config.getoption("--evidence")
    attestation = config.getoption("--evidence-attestation")
    if attestation and not evidence:
        raise pytest.UsageError("--evidence-attestation needs --evidence PATH: pass both")
    if evidence:
        try:
            recorder = EvidenceRecorder(
                config,
                Path(evidence).resolve(),
                Path(attestation).resolve() if attestation else None,
            )
        except PlanGateError as error:  # the requirements document named in the settings
            raise pytest.UsageError(str(error)) from None
        config.pluginmanager.register(recorder, "plangate-evidence")
    for severity in Severity:
        config.addinivalue_line(
            "markers", f"{severity.value}: a plangate policy of {severity.value} severity"
        )
    config.addinivalue_line("markers", "policy: a plangate catalogue policy judged on a plan")
    config.addinivalue_line("markers", "conformance: a check of live inventory against Terraform")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Policy modules and the waivers file of the catalogue become gate items; feature files in
    terraform-compliance's dialect, items of the tc engine."""
    config = parent.config
    settings = session_settings(config)
    if is_catalogue_file(settings, file_path):
        return PolicyModule.from_parent(parent, path=file_path)
    if is_tc_feature(config, file_path):
        return TcFeatureFile.from_parent(parent, path=file_path)
    if file_path.resolve() == effective_waivers_path(config, settings):
        return WaiverFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Add the `tc_features` folders pytest does not walk to the session's top-level nodes."""
    report = yield
    if isinstance(collector, pytest.Session) and report.passed:
        report.result.extend(unwalked_tc_features(collector))
    return report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    errors = usage_errors(config)
    # An xdist worker's plans were read by the controller (pytest_sessionstart); reading all
    # of them again here would cost each worker the plans other workers judge.
    worker = hasattr(config, "workerinput")
    if not errors and not worker and any(_needs_plans(item) for item in items):
        errors = unusable_plans(config)
    if errors:
        raise pytest.UsageError(errors[0])


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Under `pytest -n`, the controller collects nothing: it reads the plans itself, so that
    a plan that cannot be read is the same one-line usage error as without workers. It runs
    last, after xdist has started the workers, so reading overlaps their start-up."""
    config = session.config
    distributing = config.getoption("dist", "no") != "no" and not hasattr(config, "workerinput")
    if distributing and plan_paths(config):
        errors = usage_errors(config) or unusable_plans(config)
        if errors:
            raise pytest.UsageError(errors[0])


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`pytest -n N` (and `--dist loadgroup`) schedules by plan: see xdist_schedule."""
    from plangate.pytest.xdist_schedule import PLAN_SCHEDULED_MODES, PlanScheduling

    paths = plan_paths(config)
    if config.getoption("dist") not in PLAN_SCHEDULED_MODES or len(paths) < 2:
        return None
    return PlanScheduling(config, log, plan_ids(paths))


def _needs_plans(item: pytest.Item) -> bool:
    return isinstance(item, PolicyItem | WaiverItem | TcScenarioItem) or "loaded_plan" in getattr(
        item, "fixturenames", ()
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Name the plans this session gates and the inventory, so a CI log says what was checked."""
    lines = []
    paths = plan_paths(config)
    if paths:
        lines.append(f"plangate: gating {len(paths)} plan(s): {', '.join(plan_ids(paths))}")
    if conformance_requested(config):
        lines.append(f"conformance: {requested_inventory(config)}")
    else:
        lines.append("conformance: not run (pass --cai-project or --cai-export)")
    return lines


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if INVENTORY_PARAM in metafunc.fixturenames:
        metafunc.parametrize(INVENTORY_PARAM, [INVENTORY_ID], ids=[INVENTORY_ID], scope="session")
    if "loaded_plan" not in metafunc.fixturenames:
        return
    paths = plan_paths(metafunc.config)
    if not paths:
        usage_error(
            metafunc.config,
            f"{metafunc.definition.nodeid} needs a plan: pass --plan PATH or set plans in [tool.plangate]",
        )
        return
    metafunc.parametrize("plan_path", paths, ids=plan_ids(paths), scope="session")


@pytest.fixture(scope="session")
def loaded_plan(request: pytest.FixtureRequest, plan_path: Path) -> LoadedPlan:
    """The plan under test with its source (name, sha256) and loader notes."""
    return loaded_plan_for(request.config, plan_path)


@pytest.fixture(scope="session")
def plan(loaded_plan: LoadedPlan) -> Plan:
    """The plan under test, once per configured plan."""
    return loaded_plan.plan


@pytest.fixture(scope="session")
def live_inventory(request: pytest.FixtureRequest, inventory_id: str) -> GateReport | None:
    """The session's conformance run, None without an inventory; one that cannot be read
    errors the test at setup."""
    return conformance_report(request.config) if conformance_requested(request.config) else None
