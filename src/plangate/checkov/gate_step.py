"""The gate's checkov step: scan every plan of a report and merge the results into it.

This is what `plangate check --with-checkov` and pytest's `--with-checkov` call after the
engine ran. It fails closed: any checkov failure is a CheckovError and no report is produced.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from plangate.checkov.errors import CheckovError
from plangate.checkov.locate import Checkov, find_checkov
from plangate.checkov.merge import merge_into
from plangate.checkov.output import Scan
from plangate.checkov.ratings import RATED
from plangate.checkov.results import to_results
from plangate.checkov.run import DEFAULT_TIMEOUT, run_on_directory, run_on_plan
from plangate.config import Configuration
from plangate.policy.results import GateReport, PlanRun, PolicyResult

HCL_ONLY: Mapping[str, str] = {"CKV_GCP_82": "google_kms_crypto_key"}
"""Checks checkov never runs on plans (they read lifecycle blocks, which plans do not carry),
with the resource type each judges. They run on the configuration directory, when it is
known and the plan has a resource of that type."""


def add_checkov(
    report: GateReport,
    *,
    checkov: Checkov | None = None,
    checks: Sequence[str] | None = RATED,
    timeout: float = DEFAULT_TIMEOUT,
    today: dt.date | None = None,
) -> GateReport:
    """The report with checkov's results on each of its plans (found with find_checkov()
    unless given), judged with the report's waivers."""
    found = checkov or find_checkov()
    started = time.perf_counter()
    waivers = tuple(use.waiver for use in report.waivers)
    directories: dict[Path, Scan] = {}
    results: list[PolicyResult] = []
    for run in report.runs:
        config = (
            run.configuration.root.directory
            if isinstance(run.configuration, Configuration)
            else None
        )
        scan = run_on_plan(
            _plan_file(run, report.root),
            checkov=found,
            config_dir=config,
            checks=checks,
            timeout=timeout,
            sha256=run.loaded.source.sha256,
        )
        hcl_only = _hcl_only(run, checks) if config is not None else []
        if hcl_only:
            key = config.resolve()
            if key not in directories:
                directories[key] = run_on_directory(
                    config, checkov=found, checks=hcl_only, timeout=timeout
                )
            scan = replace(scan, records=scan.records + directories[key].records)
        results += to_results(scan, run, waivers, today=today)
    return merge_into(report, results, checkov=found, seconds=time.perf_counter() - started)


def _plan_file(run: PlanRun, root: Path | None) -> Path:
    """The file plangate read for this run: its name, from here or from the project root."""
    path = Path(run.name)
    if path.is_file():
        return path
    if root is not None and not path.is_absolute() and (root / path).is_file():
        return root / path
    raise CheckovError(f"checkov needs the plan as a file; {run.name} is not one")


def _hcl_only(run: PlanRun, checks: Sequence[str] | None) -> list[str]:
    types = {change.type for change in run.loaded.plan.managed_changes if change.after is not None}
    return [
        check_id
        for check_id, resource_type in HCL_ONLY.items()
        if resource_type in types and (checks is None or check_id in checks)
    ]
