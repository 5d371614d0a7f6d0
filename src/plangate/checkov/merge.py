"""checkov's results into the gate's report, so every renderer and the evidence show them.

Results are per plan: each PlanRun gains its plan's checkov results after the overlap merge
(overlap.py). Waiver uses count checkov's matches too, so a waiver written for a CKV id is not
reported as unused, and the catalogue lines name the checkov that ran.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from plangate.checkov.locate import Checkov
from plangate.checkov.overlap import absorb
from plangate.policy.results import GateReport, PolicyResult, WaiverUse


def merge_into(
    report: GateReport,
    checkov_results: Sequence[PolicyResult],
    *,
    checkov: Checkov | None = None,
    seconds: float = 0.0,
) -> GateReport:
    """The report with each plan's checkov results added; `seconds` (checkov's wall time) is
    added to the run's duration."""
    by_plan: dict[str, list[PolicyResult]] = defaultdict(list)
    for result in checkov_results:
        by_plan[result.plan].append(result)
    unknown = set(by_plan) - {run.name for run in report.runs}
    if unknown:
        raise ValueError(f"checkov results for plans the report lacks: {sorted(unknown)}")
    runs, pairs, kept = [], set(), []
    for run in report.runs:
        merged = absorb(run.results, by_plan.get(run.name, ()))
        runs.append(replace(run, results=merged.plangate + merged.checkov))
        pairs |= merged.pairs
        kept += merged.checkov
    environments = {run.name: run.environment for run in report.runs}
    uses = tuple(_count(use, kept, checkov_results, environments) for use in report.waivers)
    catalogue = report.catalogue
    if checkov is not None:
        checks = len({result.spec.id for result in checkov_results})
        catalogue += (
            f"checkov {checkov.version} from {checkov.source}: "
            f"{checks} check{'' if checks == 1 else 's'} reported ({checkov.path})",
        )
    catalogue += tuple(
        f"{pg} also reports checkov's {ckv} on the resources both flag" for pg, ckv in sorted(pairs)
    )
    return replace(
        report,
        runs=tuple(runs),
        waivers=uses,
        catalogue=catalogue,
        duration_seconds=round(report.duration_seconds + seconds, 4),
    )


def _count(
    use: WaiverUse,
    kept: Sequence[PolicyResult],
    scanned: Sequence[PolicyResult],
    environments: dict[str, str | None],
) -> WaiverUse:
    """A waiver is used by every checkov finding it matches, expired or not, as in the engine;
    only the findings the report keeps count (`kept`, after the overlap merge). A waiver that
    matched only findings said once under a plangate policy had no effect: it stays unused,
    with a note that names the policy to waive instead."""

    def matching(results: Sequence[PolicyResult]) -> list[tuple[str, str]]:
        return [
            (finding.address, result.plan)
            for result in results
            for finding in result.findings
            if use.waiver.matches(finding.policy_id, finding.address, environments[result.plan])
        ]

    extra = len(matching(kept))
    if extra:
        return replace(use, uses=use.uses + extra)
    if use.uses or not matching(scanned):
        return use
    owners = sorted(
        {
            reason.removeprefix("reported once, under ")
            for result in kept
            if result.spec.id == use.waiver.policy and (reason := result.reason)
        }
    )
    return replace(
        use,
        note=f"its {use.waiver.policy} findings are reported once, under "
        f"{'; '.join(owners) or 'a plangate policy'}: waive that policy instead",
    )
