"""plangate tc next to terraform-compliance: the same feature files on the same plans.

    .venv/bin/python bench/bench_tc.py                      (everything, about 10-15 min)
    .venv/bin/python bench/bench_tc.py --resources 1000 --repeat 3
    .venv/bin/python bench/bench_tc.py --from-json bench/out/tc/results.json   (replot)

Workloads:

- "corpus": every feature file of tests/tc/corpus/features (152 scenarios over every step
  form) on tests/tc/corpus/plans/gcs-1.2.json. terraform-compliance refuses that file as it
  is (pretty-printed), so it gets a one-line copy in a temporary directory; plangate reads
  the corpus file itself.
- generated plans (bench/generate.py with injected force_destroy buckets and a pure delete,
  as bench/compare_peers.py uses them, generated on first use): --resources sizes (default
  1,000 and 10,000) in the default "teams" shape and in `--shape modules` (many distinct
  module calls whose blocks reference each other, where terraform-compliance's reference
  mounting grows with instances x blocks). Both tools run tests/tc/corpus/features/tags.feature
  (18 scenarios on buckets: Background, tags, an outline, forced failures).

Each command is a fresh process, started from the project root: `plangate tc -f F -p P
--no-ansi` (this virtualenv's console script) and `terraform-compliance -f F -p P --no-ansi`
(its virtualenv in bench/out/venvs, installed on first use as bench/compare_peers.py does).
Wall time is the median of --repeat runs (terraform-compliance runs once from
--once-from resources: it takes minutes there), peak RSS the largest, both read by
bench/_measure.py. Each run's exit code and scenario summary are kept; output goes to
bench/out/tc/runs/.

Output in --out (default bench/out/tc): results.json, results.md (the table) and bench-tc.png
(wall time and peak RSS per workload, log scale).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._measure import OUT, machine, markdown_table, plan_path, run_measured  # noqa: E402
from bench.compare_peers import TERRAFORM_COMPLIANCE, ensure_installed  # noqa: E402

CORPUS = ROOT / "tests" / "tc" / "corpus"
CORPUS_FEATURES = CORPUS / "features"
CORPUS_PLAN = CORPUS / "plans" / "gcs-1.2.json"
SCALE_FEATURE = CORPUS_FEATURES / "tags.feature"
PLANGATE = Path(sys.executable).parent / "plangate"
TIMEOUT_SECONDS = 1800.0
_SUMMARY = re.compile(r"(\d+) scenarios \(([^)]*)\)")


@dataclass
class Row:
    workload: str
    resources: int
    plan_mb: float
    tool: str
    runs: int
    wall_s: float
    walls_s: list[float]
    cpu_s: float
    peak_rss_mib: float
    exit_code: int
    scenarios: str


@dataclass(frozen=True)
class Workload:
    name: str
    resources: int
    features: Path
    plan: Path
    """What plangate reads."""
    tc_plan: Path
    """What terraform-compliance reads (a one-line copy when the plan is pretty-printed)."""


def tc_version() -> str:
    return ensure_installed(TERRAFORM_COMPLIANCE)


def summary(output: Path) -> str:
    """The `N scenarios (...)` line of a run's output, e.g. `18 (7 passed, 9 failed, ...)`."""
    found = _SUMMARY.findall(output.read_text("utf-8", errors="replace"))
    return f"{found[-1][0]} ({found[-1][1]})" if found else "no summary"


def measure(workload: Workload, tool: str, repeat: int, runs_dir: Path) -> Row:
    if tool == "plangate tc":
        argv = [str(PLANGATE), "tc", "-f", str(workload.features), "-p", str(workload.plan)]
    else:
        argv = [str(TERRAFORM_COMPLIANCE.command), "-f", str(workload.features)]
        argv += ["-p", str(workload.tc_plan)]
    argv.append("--no-ansi")
    slug = f"{workload.name}-{'plangate' if tool == 'plangate tc' else 'tc'}"
    measured = []
    for run in range(repeat):
        output = runs_dir / f"{slug}-{run}.txt"
        result = run_measured(
            argv,
            cwd=ROOT,
            stdout=output,
            stderr=output.with_suffix(".err"),
            timeout=TIMEOUT_SECONDS,
        )
        if result.timed_out:
            raise SystemExit(f"{tool} on {workload.name}: timed out")
        measured.append(result)
        print(
            f"{workload.name:>20} {tool:>22}: {result.wall_s:7.2f} s "
            f"{result.peak_rss_mib:7.0f} MiB exit {result.returncode}",
            flush=True,
        )
    walls = [m.wall_s for m in measured]
    return Row(
        workload=workload.name,
        resources=workload.resources,
        plan_mb=round(workload.plan.stat().st_size / 1e6, 2),
        tool=tool,
        runs=len(measured),
        wall_s=round(statistics.median(walls), 3),
        walls_s=[round(w, 3) for w in walls],
        cpu_s=round(statistics.median(m.cpu_s for m in measured), 3),
        peak_rss_mib=round(max(m.peak_rss_mib for m in measured), 1),
        exit_code=measured[-1].returncode,
        scenarios=summary(runs_dir / f"{slug}-{len(measured) - 1}.txt"),
    )


def resource_count(plan: Path) -> int:
    code = (
        "import json, sys; d = json.load(open(sys.argv[1]));"
        " print(sum(1 for c in d.get('resource_changes', []) if c.get('mode') == 'managed'))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(plan)], check=True, capture_output=True, text=True
    )
    return int(output.stdout)


def workloads(resources: list[int], shapes: list[str], work: Path) -> list[Workload]:
    compact = work / CORPUS_PLAN.name
    compact.write_text(
        json.dumps(json.loads(CORPUS_PLAN.read_text("utf-8")), separators=(",", ":")), "utf-8"
    )
    found = [Workload("corpus", resource_count(CORPUS_PLAN), CORPUS_FEATURES, CORPUS_PLAN, compact)]
    scale = work / "features"
    scale.mkdir()
    (scale / SCALE_FEATURE.name).write_text(SCALE_FEATURE.read_text("utf-8"), "utf-8")
    for shape in shapes:
        for size in resources:
            plan = plan_path(size, shape)
            name = f"{size:,} {shape}"
            found.append(Workload(name, size, scale, plan, plan))
    return found


def write_markdown(rows: list[Row], version: str, out: Path) -> Path:
    by_workload: dict[str, dict[str, Row]] = {}
    for row in rows:
        by_workload.setdefault(row.workload, {})[row.tool] = row
    table = []
    for workload, tools in by_workload.items():
        plangate, tc = tools.get("plangate tc"), tools.get("terraform-compliance")
        if plangate is None or tc is None:
            continue
        table.append(
            [
                workload,
                f"{plangate.plan_mb:g}",
                f"{tc.wall_s:.2f} s ({tc.runs})",
                f"{plangate.wall_s:.2f} s ({plangate.runs})",
                f"{tc.wall_s / plangate.wall_s:.0f}x",
                f"{tc.peak_rss_mib:.0f}",
                f"{plangate.peak_rss_mib:.0f}",
                tc.scenarios,
                plangate.scenarios,
            ]
        )
    text = "\n".join(
        [
            "# plangate tc and terraform-compliance: same feature files, same plans",
            "",
            f"terraform-compliance {version}; {machine()}.",
            "Median wall time of fresh processes (runs in brackets), peak RSS in MiB; "
            "`corpus` runs every corpus feature file, the generated plans "
            "tests/tc/corpus/features/tags.feature.",
            "",
            markdown_table(
                [
                    "workload",
                    "plan MB",
                    "terraform-compliance",
                    "plangate tc",
                    "ratio",
                    "tc MiB",
                    "plangate MiB",
                    "tc scenarios",
                    "plangate scenarios",
                ],
                table,
            ),
            "",
        ]
    )
    path = out / "results.md"
    path.write_text(text, "utf-8")
    return path


def plot(rows: list[Row], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads_seen = list(dict.fromkeys(row.workload for row in rows))
    figure, panels = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    width = 0.38
    for offset, (tool, colour) in enumerate(
        (("terraform-compliance", "#c0504d"), ("plangate tc", "#2f6fb0"))
    ):
        values = {row.workload: row for row in rows if row.tool == tool}
        xs = [i + (offset - 0.5) * width for i in range(len(workloads_seen))]
        for panel, attribute, unit in (
            (panels[0], "wall_s", "s"),
            (panels[1], "peak_rss_mib", "MiB"),
        ):
            heights = [getattr(values[w], attribute) if w in values else 0 for w in workloads_seen]
            bars = panel.bar(xs, heights, width, label=tool, color=colour)
            for bar, height in zip(bars, heights, strict=True):
                label = f"{height:.1f}" if unit == "s" and height < 10 else f"{height:.0f}"
                panel.annotate(
                    label,
                    (bar.get_x() + bar.get_width() / 2, height),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    for panel, title in ((panels[0], "median wall time (s)"), (panels[1], "peak RSS (MiB)")):
        panel.set_yscale("log")
        panel.set_title(title)
        panel.set_xticks(range(len(workloads_seen)))
        panel.set_xticklabels(workloads_seen, rotation=15)
        panel.legend(loc="upper left")
        panel.grid(axis="y", alpha=0.3)
    figure.suptitle("plangate tc vs terraform-compliance: same feature files, same plans")
    path = out / "bench-tc.png"
    figure.savefig(path, dpi=150)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--shapes", nargs="*", default=["teams", "modules"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--once-from", type=int, default=10000, help="terraform-compliance runs once from here"
    )
    parser.add_argument("--out", type=Path, default=OUT / "tc")
    parser.add_argument("--from-json", type=Path, help="replot and retable a results.json")
    arguments = parser.parse_args(argv)
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    if arguments.from_json:
        document = json.loads(arguments.from_json.read_text("utf-8"))
        rows = [Row(**row) for row in document["rows"]]
        version = document["terraform_compliance"]
    else:
        version = tc_version()
        runs_dir = out / "runs"
        runs_dir.mkdir(exist_ok=True)
        rows = []
        with tempfile.TemporaryDirectory(prefix="bench-tc-") as temporary:
            for workload in workloads(arguments.resources, arguments.shapes, Path(temporary)):
                rows.append(measure(workload, "plangate tc", arguments.repeat, runs_dir))
                tc_repeat = 1 if workload.resources >= arguments.once_from else arguments.repeat
                rows.append(measure(workload, "terraform-compliance", tc_repeat, runs_dir))
        document = {
            "terraform_compliance": version,
            "machine": machine(),
            "rows": [dataclasses.asdict(row) for row in rows],
        }
        (out / "results.json").write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    print(write_markdown(rows, version, out).read_text("utf-8"))
    print(f"plot: {plot(rows, out)}")


if __name__ == "__main__":
    main()
