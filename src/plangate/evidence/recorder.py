"""Record a pytest session for the evidence report: scenarios, policies, plans and waivers.

Registered by the pytest plugin when `--evidence PATH` is given. Scenario outcomes come from
pytest's reports; policy results come from the engine's per-plan reports, computed for every
configured plan at the end so the evidence lists the whole catalogue even under `-k`. With an
inventory (`--cai-*`), the session's conformance run is recorded the same way, in its own
section. At the end the run is pinned (commit, control files by hash), traced against the
requirements document, and written atomically; `--evidence-attestation` adds the Statement.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Generator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from plangate import __version__
from plangate.errors import InputError
from plangate.evidence.attestation import render_statement
from plangate.evidence.conformance import conformance_evidence, policy_evidence, policy_module
from plangate.evidence.html import render_html
from plangate.evidence.markdown import render_markdown
from plangate.evidence.model import (
    ConformanceEvidence,
    Evidence,
    Pins,
    PlanEvidence,
    ScenarioEvidence,
    WaiverEvidence,
    render_json,
)
from plangate.evidence.pins import pin_run
from plangate.evidence.trace import requirements_document, trace_evidence
from plangate.files import write_atomically
from plangate.gate import plan_environment
from plangate.policy import GateReport, PolicyResult
from plangate.pytest.session import (
    INVENTORY_PARAM,
    conformance_outcome,
    conformance_reports,
    conformance_requested,
    effective_waivers_path,
    loaded_plan_for,
    plan_paths,
    report_for,
    requested_inventory,
    session_settings,
)
from plangate.pytest.tc_items import TcFailed, TcScenarioItem
from plangate.settings import PYPROJECT

DETAIL_LIMIT = 1500


class EvidenceRecorder:
    """A pytest plugin object; one per session. Writes PATH (HTML), PATH.md and PATH.json, and
    the attestation when asked. The requirements document is read at once, so a bad one stops
    the session before anything runs."""

    def __init__(self, config: pytest.Config, output: Path, attestation: Path | None) -> None:
        self.config = config
        self.output = output
        self.attestation = attestation
        self.scenarios: dict[str, ScenarioEvidence] = {}  # outcome set by its report
        self.started_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        self.document, self.requirements = requirements_document(session_settings(config))

    def _plan_id(self, item: pytest.Item) -> str:
        """The plan's file stem, or `inventory` for a scenario judged on the inventory."""
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if "plan_path" in params:
            return Path(params["plan_path"]).stem
        return str(params.get(INVENTORY_PARAM, "-"))

    @pytest.hookimpl
    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: Any, scenario: Any
    ) -> None:
        node = request.node
        self.scenarios[node.nodeid] = ScenarioEvidence(
            feature_file=self._relative(Path(feature.filename)),
            feature_name=feature.name,
            feature_description=" ".join(str(feature.description or "").split()),
            scenario_name=scenario.name,
            line=scenario.line_number,
            tags=tuple(sorted(scenario.tags | feature.tags)),
            plan=self._plan_id(node),
            outcome="not run",
            detail="",
            test_id=node.nodeid,
        )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, Any]:
        report = yield
        is_feature = item.path.suffix == ".feature" or item.nodeid in self.scenarios
        decisive = report.when == "call" or (report.when == "setup" and not report.passed)
        if is_feature and decisive:
            detail = ""
            if report.failed and call.excinfo is not None:
                failure = call.excinfo.value
                detail = str(failure) if isinstance(failure, TcFailed) else call.excinfo.exconly()
            elif report.skipped and isinstance(report.longrepr, tuple):
                detail = str(report.longrepr[2])
            detail = detail[:DETAIL_LIMIT]
            known = self.scenarios.get(item.nodeid)
            if known is None and isinstance(item, TcScenarioItem):
                known = self._tc_scenario(item)
            self.scenarios[item.nodeid] = (
                replace(known, outcome=report.outcome, detail=detail)
                if known is not None
                else ScenarioEvidence(  # a feature item pytest-bdd never started
                    feature_file=self._relative(item.path),
                    feature_name=item.path.stem,
                    feature_description="",
                    scenario_name=item.name,
                    line=0,
                    tags=(),
                    plan=self._plan_id(item),
                    outcome=report.outcome,
                    detail=detail,
                    test_id=item.nodeid,
                )
            )
        return report

    def _tc_scenario(self, item: TcScenarioItem) -> ScenarioEvidence:
        """A scenario the tc engine ran (no pytest-bdd hook saw it): the item knows it."""
        return ScenarioEvidence(
            feature_file=self._relative(item.path),
            feature_name=item.feature_name,
            feature_description=item.feature_description,
            scenario_name=item.spec.name,
            line=item.line,
            tags=tuple(sorted(set(item.spec.tags))),
            plan=Path(item.plan_path).stem,
            outcome="not run",
            detail="",
            test_id=item.nodeid,
        )

    def _relative(self, path: Path | str) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.config.rootpath))
        except ValueError:
            return str(path)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if session.exitstatus in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
            return  # nothing was judged: no evidence rather than evidence of nothing
        try:
            self.write(self.collect())
        except InputError as error:  # unwritable output, a control file gone: one line, exit 4
            sys.stderr.write(f"plangate: error: {error}\n")
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def write(self, evidence: Evidence) -> None:
        """Each file replaced in one step; the attestation last, over the files it names."""
        files = {
            self.output: render_html(evidence),
            self.output.with_suffix(".md"): render_markdown(evidence),
            self.output.with_suffix(".json"): render_json(evidence),
        }
        for path, text in files.items():
            _make_folder(path)
            write_atomically(path, text, what="the evidence")
        if self.attestation is not None:
            _make_folder(self.attestation)
            statement = render_statement(evidence, files)
            write_atomically(self.attestation, statement, what="the attestation")

    def collect(self) -> Evidence:
        settings = session_settings(self.config)
        plans: list[PlanEvidence] = []
        reports: list[GateReport] = []
        for path in plan_paths(self.config):
            try:
                loaded = loaded_plan_for(self.config, path)
                reports.append(report_for(self.config, settings, path))
            except pytest.fail.Exception as error:
                plans.append(
                    PlanEvidence(
                        name=self._relative(path),
                        sha256="-",
                        format_version="-",
                        terraform_version=None,
                        timestamp=None,
                        environment=None,
                        error=str(error),
                    )
                )
                continue
            plans.append(
                PlanEvidence(
                    name=self._relative(Path(loaded.name)),
                    sha256=loaded.source.sha256,
                    format_version=loaded.plan.format_version,
                    terraform_version=loaded.plan.terraform_version,
                    timestamp=loaded.plan.timestamp,
                    environment=plan_environment(loaded, self.config.getoption("--plan-env")),
                )
            )
        policies = [
            policy_evidence(result, Path(result.plan).stem, settings.root)
            for report in reports
            for result in report.results
        ]
        conformance = self._conformance()
        ran = [*reports, *conformance_reports(self.config)]
        evidence = Evidence(
            plangate_version=__version__,
            generated_at=self.started_at,
            plans=tuple(plans),
            scenarios=tuple(self.scenarios.values()),
            policies=tuple(policies),
            waivers=tuple(_waiver_evidence(ran)),
            conformance=conformance,
        )
        document = self._relative(self.document) if self.document else None
        return replace(
            evidence,
            pins=self._pins(evidence, [result for report in ran for result in report.results]),
            trace=trace_evidence(evidence, self.requirements, document),
        )

    def _pins(self, evidence: Evidence, results: list[PolicyResult]) -> Pins:
        settings = session_settings(self.config)
        root = settings.root
        return pin_run(
            root,
            policies=[policy_module(result) for result in results],
            features=[root / scenario.feature_file for scenario in evidence.scenarios],
            waivers=effective_waivers_path(self.config, settings),
            requirements=self.document,
            pyproject=root / PYPROJECT,
            settings=settings.raw,
        )

    def _conformance(self) -> ConformanceEvidence | None:
        """The session's conformance run (run now if no test needed it), when one was asked for."""
        if not conformance_requested(self.config):
            return None
        return conformance_evidence(
            conformance_outcome(self.config),
            requested_inventory(self.config),
            self._relative,
            session_settings(self.config).root,
        )


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{path}: cannot write the evidence there ({error.strerror})") from None


def _waiver_evidence(reports: list[GateReport]) -> list[WaiverEvidence]:
    if not reports:
        return []
    found = []
    for position, use in enumerate(reports[0].waivers):
        waiver = use.waiver
        found.append(
            WaiverEvidence(
                policy=waiver.policy,
                address=waiver.address,
                justification=waiver.justification,
                approver=waiver.approver,
                expires=waiver.expires.isoformat(),
                environments=waiver.environments,
                uses=sum(report.waivers[position].uses for report in reports),
                expired=use.expired,
            )
        )
    return found
