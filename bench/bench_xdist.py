"""How much `pytest -n` (pytest-xdist) speeds up the pytest gate over many plans.

    .venv/bin/python bench/bench_xdist.py                           (8 plans of 5,000; ~3 min)
    .venv/bin/python bench/bench_xdist.py --plans 4 --resources 10000 --workers 0 2 --repeat 1

A gate as a user's repository runs it: a temporary project scaffolded by `plangate init`
(settings, an example policy, its test, a feature, waivers) whose `[tool.plangate] plans`
lists --plans plans of --resources resources each (bench/generate.py with --variant 1..K, kept
in bench/out/xdist/plans and copied into the project). In it, plain

    pytest -q -p no:cacheprovider -n WORKERS --dist DIST

(the plugin loads from its pytest11 entry point) for each of --workers, `0` (xdist
installed, everything in one process) first, each a fresh process --repeat times. Reported:
median wall time, CPU seconds of the whole process tree, peak RSS of the largest single
process (bench/_measure.py), the speed-up over `-n 0`, and pytest's summary counts, which
must be the same for every worker count (the script says which differ). Output:
bench/out/xdist/results.json and results.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._measure import OUT, Measured, machine, markdown_table, run_measured  # noqa: E402
from bench.bench_scale import git_commit  # noqa: E402

RESULTS = OUT / "xdist"
_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")
_SUMMARY = re.compile(r"^=*\s*(\d+ \w+.*) in [\d.]+s")


@dataclass
class Mode:
    """One worker count: its runs and pytest's counts."""

    workers: str
    processes: int
    runs: int
    wall_s: float
    walls_s: list[float]
    cpu_s: float
    peak_rss_mib: float
    counts: dict[str, int]
    summary: str
    load_avg: float


def plan_file(resources: int, variant: int) -> Path:
    """A plan of that size and random variant, generated in a child on first use."""
    path = RESULTS / "plans" / f"plan-{resources}-variant{variant}.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generate = [sys.executable, str(ROOT / "bench" / "generate.py")]
        subprocess.run(
            [
                *generate,
                "--resources",
                str(resources),
                "--variant",
                str(variant),
                "--out",
                str(path),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def make_project(directory: Path, plans: list[Path]) -> None:
    """`plangate init`'s scaffold with the plans copied in and listed in [tool.plangate]."""
    plangate = Path(sys.executable).with_name("plangate")
    subprocess.run([str(plangate), "init", str(directory)], check=True, stdout=subprocess.DEVNULL)
    (directory / "plans").mkdir()
    names = []
    for plan in plans:
        shutil.copyfile(plan, directory / "plans" / plan.name)
        names.append(f"plans/{plan.name}")
    pyproject = directory / "pyproject.toml"
    text = pyproject.read_text("utf-8")
    if "[tool.plangate]\n" not in text:
        raise SystemExit(f"plangate init wrote no [tool.plangate] table: {pyproject}")
    listed = f"[tool.plangate]\nplans = {json.dumps(names)}\n"
    pyproject.write_text(text.replace("[tool.plangate]\n", listed, 1), "utf-8")


def summary_counts(output: Path) -> tuple[str, dict[str, int]]:
    """pytest's last line, `9 failed, 21 passed, 21 skipped in 1.87s`, as counts."""
    lines = output.read_text("utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        match = _SUMMARY.match(line.strip())
        if match:
            counts = {
                kind.rstrip("s") if kind == "errors" else kind: int(number)
                for number, kind in _COUNT.findall(match.group(1))
            }
            return match.group(1), counts
    raise SystemExit(f"no pytest summary line in {output}")


def auto_workers() -> int:
    """What `-n auto` starts here: xdist counts the CPUs this process may use (no psutil)."""
    override = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    return int(override) if override else len(os.sched_getaffinity(0))


def measure_mode(project: Path, workers: str, dist: str, repeat: int) -> Mode:
    pytest = Path(sys.executable).with_name("pytest")
    argv = [str(pytest), "-q", "-p", "no:cacheprovider", "-n", workers, "--dist", dist]
    output = RESULTS / f"pytest-n{workers}.out"
    runs: list[Measured] = []
    loads = []
    seen: set[str] = set()
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        run = run_measured(argv, cwd=project, stdout=output, stderr=output.with_suffix(".err"))
        if run.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {run.returncode}: see {output}")
        summary, counts = summary_counts(output)
        seen.add(json.dumps(counts, sort_keys=True))
        runs.append(run)
        print(f"  -n {workers}: {run.wall_s:.2f} s, {summary}", file=sys.stderr)
    if len(seen) > 1:
        print(f"  -n {workers}: counts differ between runs: {sorted(seen)}", file=sys.stderr)
    processes = 1 if workers == "0" else auto_workers() if workers == "auto" else int(workers)
    return Mode(
        workers,
        processes,
        len(runs),
        statistics.median(run.wall_s for run in runs),
        [run.wall_s for run in runs],
        statistics.median(run.cpu_s for run in runs),
        max(run.peak_rss_mib for run in runs),
        counts,
        summary,
        max(loads),
    )


def render(results: dict[str, Any], modes: list[Mode]) -> str:
    base = modes[0]
    rows = [
        [
            f"-n {mode.workers}" + (f" ({mode.processes})" if mode.workers == "auto" else ""),
            str(mode.runs),
            f"{mode.wall_s:.2f}",
            f"{min(mode.walls_s):.2f}-{max(mode.walls_s):.2f}",
            f"{mode.cpu_s:.2f}",
            f"{mode.peak_rss_mib:.0f}",
            f"{base.wall_s / mode.wall_s:.2f}x",
            mode.summary,
            "yes" if mode.counts == base.counts else "**no**",
            f"{mode.load_avg:.1f}",
        ]
        for mode in modes
    ]
    same = all(mode.counts == base.counts for mode in modes)
    return "\n".join(
        [
            "# pytest-xdist on the pytest gate",
            "",
            f"- machine: {results['machine']}",
            f"- measured: {results['started']} to {results['finished']}",
            f"- load (`uptime`) at the start: `{results['uptime_start']}`",
            f"- load (`uptime`) at the end: `{results['uptime_end']}`",
            f"- project: `plangate init` scaffold + {results['plans']} plans of"
            f" {results['resources']:,} resources ({results['plan_mb']:.1f} MB each,"
            f" variants 1..{results['plans']}); `pytest -q -p no:cacheprovider -n N"
            f" --dist {results['dist']}`",
            f"- plangate {results['plangate_version']}, pytest-xdist {results['xdist_version']}",
            "",
            "Wall s is the median of the runs (fresh process each); CPU s is the whole process"
            " tree's (workers included); peak RSS the largest single process.",
            "",
            markdown_table(
                [
                    "workers",
                    "runs",
                    "wall s",
                    "min-max s",
                    "CPU s",
                    "peak RSS MiB",
                    "speed-up vs -n 0",
                    "pytest summary",
                    "same counts as -n 0",
                    "load avg",
                ],
                rows,
            ),
            "",
            "Pass/fail/skip counts are identical across worker counts."
            if same
            else "**The counts differ between worker counts** (see the table).",
            "",
        ]
    )


def version_of(distribution: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--plans", type=int, default=8)
    parser.add_argument("--resources", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workers",
        nargs="+",
        default=["0", "2", "auto"],
        help="values for -n; the first is the baseline",
    )
    parser.add_argument("--dist", default="load", help="xdist's --dist mode")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args(argv)
    plans = [plan_file(args.resources, variant) for variant in range(1, args.plans + 1)]
    RESULTS.mkdir(parents=True, exist_ok=True)
    started, uptime_start = datetime.datetime.now().isoformat(timespec="seconds"), uptime()
    project = Path(tempfile.mkdtemp(prefix="plangate-xdist-"))
    try:
        make_project(project, plans)
        print(f"project: {project}", file=sys.stderr)
        modes = [measure_mode(project, n, args.dist, args.repeat) for n in args.workers]
    finally:
        if not args.keep:
            shutil.rmtree(project)
    results: dict[str, Any] = {
        "machine": machine(),
        "started": started,
        "finished": datetime.datetime.now().isoformat(timespec="seconds"),
        "uptime_start": uptime_start,
        "uptime_end": uptime(),
        "plans": args.plans,
        "resources": args.resources,
        "plan_mb": plans[0].stat().st_size / 1e6,
        "dist": args.dist,
        "plangate_version": f"{version_of('plangate')} ({git_commit(ROOT)})",
        "xdist_version": version_of("pytest-xdist"),
        "modes": [asdict(mode) for mode in modes],
    }
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    text = render(results, modes)
    (RESULTS / "results.md").write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
