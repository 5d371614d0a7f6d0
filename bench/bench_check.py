"""How long `plangate check` and `plangate summary` take, and how much memory, as users run them.

    .venv/bin/python bench/bench_check.py                          (1,000 and 10,000)
    .venv/bin/python bench/bench_check.py --resources 1000 10000 50000 --repeat 5

Each run is a fresh process of the installed console script, started from the repository
root so the project's catalogue, settings and waivers apply, exactly like

    plangate check PLAN --format json --output /dev/null
    plangate summary PLAN --format json > /dev/null

Wall time is the median of --repeat runs; peak RSS is the largest over those runs
(bench/_measure.py explains how it is read for a child). The plans come from
bench/generate.py with injected violations (bench/out/plan-N-inject.json).

The in-process split runs in another fresh interpreter: the imports and catalogue once
(cold), then per repetition a fresh `load_plan`, the engine (`run_gate` on the loaded plan:
settings, waivers and policy evaluation) and JSON report rendering, each shown for the first
(cold: what one CLI run pays) and as a median. What the console script costs beyond the
first three is interpreter start-up, imports, the catalogue and writing the report.

First, what every run pays and what CI runs on this repository: the import of the CLI (over
a bare interpreter), and the zero-change prod gate through `plangate check` and through
pytest (policies and features).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._measure import machine, markdown_table, plan_path, run_measured  # noqa: E402

EXIT_VIOLATIONS = 1  # the injected violations make `plangate check` fail, as it should


def plangate_executable() -> str:
    """The console script next to this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("plangate")
    found = str(beside) if beside.exists() else shutil.which("plangate")
    if found is None:
        raise SystemExit("plangate is not installed: pip install -e . in this virtualenv")
    return found


def measure_cli(argv: list[str], repeat: int, expect: int) -> dict[str, float | str]:
    runs = []
    for _ in range(repeat):
        run = run_measured(argv, cwd=ROOT)
        if run.returncode != expect:
            raise SystemExit(f"{' '.join(argv)} exited {run.returncode}, expected {expect}")
        runs.append(run)
    return {
        "wall_s": statistics.median(run.wall_s for run in runs),
        "min_s": min(run.wall_s for run in runs),
        "max_s": max(run.wall_s for run in runs),
        "cpu_s": statistics.median(run.cpu_s for run in runs),
        "rss_mib": max(run.peak_rss_mib for run in runs),
        "rss_source": ",".join(sorted({run.rss_source for run in runs})),
    }


# --------------------------------------------------------------------------- start-up, prod gate

PROD_PLAN = "infrastructure/plans/prod.json"


def startup_rows(executable: str, repeat: int) -> list[list[str]]:
    """What every run pays before any plan, and the repository's own zero-change prod gate.

    The import of the CLI is the difference between an interpreter that imports it and a
    bare one; the prod gate runs as CI runs it, through `plangate check` and through pytest
    (every policy item and every feature scenario on the prod plan).
    """
    python = sys.executable
    bare = measure_cli([python, "-c", "pass"], repeat, expect=0)
    cli = measure_cli([python, "-c", "import plangate.cli"], repeat, expect=0)
    check = measure_cli([executable, "check", PROD_PLAN], repeat, expect=0)
    gate = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--plan", PROD_PLAN]
    pytest_gate = measure_cli([*gate, "features", "policies"], repeat, expect=0)
    return [
        ["import plangate.cli (over a bare interpreter)", f"{cli['wall_s'] - bare['wall_s']:.3f}"],
        [f"plangate check {PROD_PLAN}", f"{check['wall_s']:.2f}"],
        [f"pytest --plan {PROD_PLAN} features policies", f"{pytest_gate['wall_s']:.2f}"],
    ]


# --------------------------------------------------------------------------- split (child)


def split(plan: Path, repeat: int) -> dict[str, float]:
    """Runs in a fresh interpreter: what `plangate check` does, stage by stage."""
    start = time.perf_counter()
    from plangate.gate import GateOptions, hcl_locator, load_project_catalogue, run_gate
    from plangate.plan import load_plan
    from plangate.report import render
    from plangate.settings import find_settings
    from plangate.summary import render_json, summarize

    imports = time.perf_counter() - start
    start = time.perf_counter()
    settings = find_settings(ROOT)
    load_project_catalogue(settings)
    catalogue = time.perf_counter() - start
    options = GateOptions(plans=(str(plan),))
    stages: dict[str, list[float]] = {"load": [], "engine": [], "render": [], "summary": []}
    findings = 0
    for _ in range(repeat):
        start = time.perf_counter()
        loaded = load_plan(plan)
        stages["load"].append(time.perf_counter() - start)
        start = time.perf_counter()
        report = run_gate(settings, options, loaded=[loaded])
        stages["engine"].append(time.perf_counter() - start)
        start = time.perf_counter()
        text = render(report, "json", hcl_locator(settings.root))
        stages["render"].append(time.perf_counter() - start)
        start = time.perf_counter()
        render_json(summarize(loaded))
        stages["summary"].append(time.perf_counter() - start)
        findings = len(json.loads(text)["findings"])
        del loaded, report, text
    result = {name: statistics.median(times) for name, times in stages.items()}
    result.update({f"{name}_first": times[0] for name, times in stages.items()})
    result.update(imports=imports, catalogue=catalogue, findings=float(findings))
    return result


def measure_split(plan: Path, repeat: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--split-child", str(plan), "--repeat", str(repeat)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


# --------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-split", action="store_true", help="skip the in-process split")
    parser.add_argument("--split-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.split_child is not None:
        print(json.dumps(split(args.split_child, args.repeat)))
        return

    executable = plangate_executable()
    cli_rows, split_rows, rss_sources = [], [], []
    for count in args.resources:
        plan = plan_path(count)
        size = f"{plan.stat().st_size / 1e6:.1f}"
        check = measure_cli(
            [executable, "check", str(plan), "--format", "json", "--output", "/dev/null"],
            args.repeat,
            EXIT_VIOLATIONS,
        )
        summary = measure_cli(
            [executable, "summary", str(plan), "--format", "json"], args.repeat, expect=0
        )
        rss_sources += [check["rss_source"], summary["rss_source"]]
        for command, row in (("check", check), ("summary", summary)):
            cli_rows.append(
                [
                    f"{count:,}",
                    size,
                    f"plangate {command}",
                    f"{row['wall_s']:.2f}",
                    f"{row['min_s']:.2f}-{row['max_s']:.2f}",
                    f"{row['cpu_s']:.2f}",
                    f"{row['rss_mib']:.0f}",
                ]
            )
        if not args.no_split:
            parts = measure_split(plan, args.repeat)
            inside = parts["load_first"] + parts["engine_first"] + parts["render_first"]
            split_rows.append(
                [
                    f"{count:,}",
                    f"{parts['imports']:.2f}",
                    f"{parts['catalogue']:.2f}",
                    f"{parts['load_first']:.2f} / {parts['load']:.2f}",
                    f"{parts['engine_first']:.2f} / {parts['engine']:.2f}",
                    f"{parts['render_first']:.2f} / {parts['render']:.2f}",
                    f"{parts['summary']:.3f}",
                    f"{float(check['wall_s']) - inside:.2f}",
                    f"{parts['findings']:,.0f}",
                ]
            )
        print(f"measured {count:,} resources", file=sys.stderr)

    print(f"{machine()}; median of {args.repeat} runs, each a fresh process\n")
    print(
        markdown_table(
            ["start-up and the prod gate", "wall s (median)"], startup_rows(executable, args.repeat)
        )
        + "\n"
    )
    print(
        markdown_table(
            [
                "resources",
                "plan MB",
                "command",
                "wall s (median)",
                "min-max s",
                "CPU s",
                "peak RSS MiB",
            ],
            cli_rows,
            first_left=False,
        )
    )
    sources = sorted({str(row) for row in rss_sources})
    print(f"\nPeak RSS read by: {', '.join(sources)} (bench/_measure.py).")
    if split_rows:
        print(f"\nIn-process split of `plangate check` (seconds; median of {args.repeat})\n")
        print(
            markdown_table(
                [
                    "resources",
                    "imports (cold)",
                    "catalogue (cold)",
                    "load_plan (1st / median)",
                    "engine: run_gate (1st / median)",
                    "render JSON (1st / median)",
                    "summary: summarize + render",
                    "CLI wall - 1st load, engine, render",
                    "findings",
                ],
                split_rows,
                first_left=False,
            )
        )


if __name__ == "__main__":
    main()
