"""plangate at 1,000 / 10,000 / 100,000 resources next to merely reading the plan, and the peers.

    .venv/bin/python bench/bench_scale.py                       (all three sizes, about 10 min)
    .venv/bin/python bench/bench_scale.py --resources 10000 100000 --peers-max 0
    .venv/bin/python bench/bench_scale.py --from-json bench/out/scale/results.json   (replot)
    .venv/bin/python bench/bench_scale.py --shape modules --resources 1000 10000 \\
        --out bench/out/scale-modules

One run measures, per plan size N (bench/out/plan-N-inject.json from bench/generate.py,
generated in a child on first use, as bench/compare_peers.py uses them; with --shape
modules, bench/out/plan-N-modules-inject.json: many distinct module calls whose
configuration blocks reference each other, where terraform-compliance's reference mounting
grows with instances x blocks, instead of the default "teams" shape's one for_each module):

- "orjson parse": a fresh interpreter (this one) that reads the file and `orjson.loads` it,
  the floor for any tool that has to read the whole plan; "json.loads": the same with the
  standard library; "orjson, gc off": orjson with the cyclic garbage collector disabled
  (on 100,000 resources the collector is about 4/5 of plain orjson.loads' time; the targets
  use plain "orjson parse"). Interpreter start-up is included, as in every tool's figure.
- "plangate": the console script, `plangate check PLAN --format json --output FILE`, a fresh
  process per run started from the project root so its catalogue, settings and waivers apply
  (as bench/bench_check.py runs it).
- the peers, up to --peers-max resources (default 10,000): checkov with the custom
  force_destroy check and terraform-compliance with its one scenario, exactly as
  bench/compare_peers.py runs them (its virtualenvs in bench/out/venvs, installed on first
  use). They take minutes at 10,000 (checkov about 1.5-2 min), so each runs once from
  --once-from resources.

Wall time is the median of --repeat fresh processes, peak RSS the largest (bench/_measure.py
explains how a child's peak is read); ratios are plangate / orjson parse and tool / plangate
wall time; "found" is how many of the injected force_destroy buckets each tool reported.
Output: results.json, results.md (tables and a targets table) and a two-panel log-log PNG
(wall time and peak RSS against resources) in --out (default bench/out/scale, whatever the
shape: give another --out for another shape), each labelled with the plan shape.

Another plangate ("before" a rewrite): --plangate-src DIR runs DIR's code with DIR as the
project root. PYTHONPATH=DIR/src alone does not do it when this venv has an editable install
(its finder still maps `plangate.catalogue` to this tree's policies/), and the script stops
if the child imports anything from outside DIR. Give that tree its own virtualenv instead:

    git worktree add /tmp/before d77f4ab
    python3 -m venv /tmp/before-venv
    .venv/bin/pip freeze --exclude-editable | grep -v '^plangate' > /tmp/constraints.txt
    /tmp/before-venv/bin/pip install -c /tmp/constraints.txt -e /tmp/before
    .venv/bin/python bench/bench_scale.py --plangate-src /tmp/before \\
        --plangate-bin /tmp/before-venv/bin/plangate --label before \\
        --resources 10000 100000 --peers-max 0 --out bench/out/scale-before

and later put that series beside the current one with --compare-with
bench/out/scale-before/results.json. Timing: 1,000 takes about a minute with the peers,
10,000 about 3 min with them (30 s without), 100,000 about 1 min per plangate run.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._measure import (  # noqa: E402
    OUT,
    SHAPES,
    injected,
    machine,
    markdown_table,
    plan_path,
    run_measured,
    shape_suffix,
)
from bench.compare_peers import (  # noqa: E402
    RSS_SOURCES,
    Found,
    Measurement,
    Variant,
    measure_variant,
    plangate_found,
    variants,
)

PEER_KEYS = ("checkov-custom", "checkov-all", "checkov-json", "terraform-compliance")
PEER_NAMES = {
    "checkov-custom": "checkov",
    "checkov-all": "checkov (all checks)",
    "checkov-json": "checkov (json.loads)",
    "terraform-compliance": "terraform-compliance",
}
FLOORS = {
    "orjson parse": "import sys, orjson; orjson.loads(open(sys.argv[1], 'rb').read())",
    "json.loads": "import sys, json; json.loads(open(sys.argv[1], 'rb').read())",
    "orjson, gc off": (
        "import gc, sys, orjson; gc.disable(); orjson.loads(open(sys.argv[1], 'rb').read())"
    ),
}
ORJSON = "orjson parse"
"""The floor the targets use. "orjson, gc off" is shown beside it: on a 100,000-resource plan
the cyclic collector, triggered again and again by the millions of new containers, takes
about 4/5 of orjson.loads' time."""


@dataclass
class Row:
    """One tool at one plan size, as results.json stores it."""

    tool: str
    kind: str
    """plangate, floor or peer."""
    version: str
    resources: int
    plan_mb: float
    runs: int
    wall_s: float
    walls_s: list[float]
    cpu_s: float
    peak_rss_mib: float
    rss_source: str
    found: str = "-"
    delete_seen: str = "-"
    load_avg: float = 0.0


# --------------------------------------------------------------------------- which plangate


@dataclass(frozen=True)
class Plangate:
    """The plangate that is measured: its console script, environment and project root."""

    executable: Path
    python: Path
    env: dict[str, str]
    root: Path
    label: str
    version: str
    imports: dict[str, Any]


def interpreter_of(script: Path) -> Path:
    """The Python a console script runs on (its shebang), so a check imports what it does."""
    first = script.read_bytes().split(b"\n", 1)[0].decode()
    if first.startswith("#!") and Path(first[2:].strip()).exists():
        return Path(first[2:].strip())
    return Path(sys.executable)


def imported_from(python: Path, env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """Where plangate and its catalogue come from in that interpreter (-P: no cwd on the path,
    as for a console script)."""
    code = (
        "import json, plangate, plangate.catalogue; print(json.dumps({'plangate':"
        " plangate.__file__, 'catalogue': list(plangate.catalogue.__path__)}))"
    )
    output = subprocess.run(
        [str(python), "-P", "-c", code],
        cwd=cwd,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def git_commit(tree: Path) -> str | None:
    """The tree's commit, `+changes` when its code has uncommitted edits (others' work)."""

    def git(*argv: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(tree), *argv], capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if commit and git("status", "--porcelain", "--", "src", "policies"):
        commit += "+changes"
    return commit or None


def select_plangate(source: Path | None, binary: Path | None, label: str | None) -> Plangate:
    """This venv's plangate, or another tree's (checked to import from that tree only)."""
    executable = binary or Path(sys.executable).with_name("plangate")
    python = interpreter_of(executable)
    root = (source or ROOT).resolve()
    env: dict[str, str] = {}
    if source is not None and binary is None:
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(root / "src"), os.environ.get("PYTHONPATH")])
        )
    imports = imported_from(python, env, root)
    print(f"plangate imports from {imports['plangate']}", file=sys.stderr)
    print(f"  its catalogue from {', '.join(imports['catalogue'])}", file=sys.stderr)
    if source is not None:
        paths = [imports["plangate"], *imports["catalogue"]]
        outside = [path for path in paths if not Path(path).resolve().is_relative_to(root)]
        if outside:
            raise SystemExit(
                f"plangate does not import only from {root} ({', '.join(outside)}): give that"
                " tree its own virtualenv and pass --plangate-bin (see this script's doc)"
            )
    version = subprocess.run(
        [str(executable), "--version"],
        cwd=root,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    commit = git_commit(root)
    if commit:
        version = f"{version} ({commit})"
    name = "plangate" if label is None else f"plangate ({label})"
    return Plangate(executable, python, env, root, name, version, imports)


# --------------------------------------------------------------------------- measuring


def found_in_child(function: str, keep: Sequence[str]) -> Callable[[Path], Found]:
    """compare_peers' Found helper run in a child: a 100,000-resource report read here would
    raise the harness's own RSS high-water mark, which run_measured needs to stay low."""
    code = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        " import bench.compare_peers as peers; keep = set(json.loads(sys.argv[4]));"
        " found = getattr(peers, sys.argv[2])(Path(sys.argv[3]));"
        " print(json.dumps([sorted(found.force_destroy), sorted(found.addresses & keep)]))"
    )

    def found(report: Path) -> Found:
        output = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), function, str(report), json.dumps(keep)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        forced, addresses = json.loads(output)
        return Found(frozenset(forced), frozenset(addresses))

    return found


def keep_addresses(resources: int, shape: str) -> list[str]:
    forced, deleted = injected(resources, shape)
    return [*forced, deleted]


def plan_mb(resources: int, shape: str) -> float:
    return plan_path(resources, shape).stat().st_size / 1e6


def measure_floor(name: str, resources: int, repeat: int, shape: str) -> Row:
    """A fresh interpreter that only reads and parses the plan."""
    plan = plan_path(resources, shape)
    runs, loads = [], []
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        run = run_measured([sys.executable, "-c", FLOORS[name], str(plan)], cwd=ROOT)
        if run.returncode != 0:
            raise SystemExit(f"{name} on {plan} exited {run.returncode}")
        RSS_SOURCES.add(run.rss_source)
        runs.append(run)
    print(
        f"  {name} {resources:,}: {statistics.median(r.wall_s for r in runs):.2f} s",
        file=sys.stderr,
    )
    version = sys.version.split()[0]
    return Row(
        name,
        "floor",
        f"Python {version}",
        resources,
        plan_mb(resources, shape),
        len(runs),
        statistics.median(run.wall_s for run in runs),
        [run.wall_s for run in runs],
        statistics.median(run.cpu_s for run in runs),
        max(run.peak_rss_mib for run in runs),
        ",".join(sorted({run.rss_source for run in runs})),
        load_avg=max(loads),
    )


def row_of(name: str, kind: str, result: Measurement, shape: str) -> Row:
    return Row(
        name,
        kind,
        result.version,
        result.resources,
        plan_mb(result.resources, shape),
        len(result.runs),
        result.wall_s,
        [run.wall_s for run in result.runs],
        result.cpu_s,
        result.peak_rss_mib,
        ",".join(sorted({run.rss_source for run in result.runs})),
        result.outcome,
        result.delete_seen,
        max(result.loads),
    )


def plangate_variant(plangate: Plangate, resources: int, shape: str) -> Variant:
    executable = str(plangate.executable)
    return Variant(
        "plangate",
        plangate.label,
        lambda: plangate.version,
        lambda plan, report: [
            executable,
            "check",
            str(plan),
            "--format",
            "json",
            "--output",
            str(report),
        ],
        found_in_child(plangate_found.__name__, keep_addresses(resources, shape)),
        report_on_stdout=False,
        env=plangate.env,
    )


def measure_size(args: argparse.Namespace, plangate: Plangate, resources: int) -> list[Row]:
    """Floors, plangate and (up to --peers-max) the peers on one plan, smallest first."""
    runs_dir = args.out / "runs"
    shape = args.shape
    rows = [measure_floor(name, resources, args.repeat, shape) for name in FLOORS]
    runs = args.repeat
    if args.plangate_once_from is not None and resources >= args.plangate_once_from:
        runs = 1
    result = measure_variant(
        plangate_variant(plangate, resources, shape),
        resources,
        runs,
        results=runs_dir,
        cwd=plangate.root,
        version=plangate.version,
        shape=shape,
    )
    rows.append(row_of(plangate.label, "plangate", result, shape))
    if resources > args.peers_max:
        return rows
    keep = keep_addresses(resources, shape)
    for peer in variants(args.peers):
        peer = dataclasses.replace(peer, found=found_in_child(peer.found.__name__, keep))
        runs = 1 if resources >= args.once_from else args.repeat
        result = measure_variant(peer, resources, runs, results=runs_dir, shape=shape)
        rows.append(row_of(PEER_NAMES[peer.key], "peer", result, shape))
    return rows


# --------------------------------------------------------------------------- reporting


@dataclass(frozen=True)
class Target:
    resources: int
    shape: str
    target: str
    measured: str
    met: str


def find_row(rows: Sequence[Row], kind: str, resources: int, tool: str | None = None) -> Row | None:
    return next(
        (
            row
            for row in rows
            if row.kind == kind and row.resources == resources and tool in (None, row.tool)
        ),
        None,
    )


def yes_no(condition: bool) -> str:
    return "yes" if condition else "no"


def targets(rows: Sequence[Row], shape: str) -> list[Target]:
    """The goals of the rewrite, each against what this run measured (on `shape` plans)."""
    found: list[Target] = []
    for resources, limit in ((10_000, 1.0), (100_000, 0.6)):
        plangate = find_row(rows, "plangate", resources)
        floor = find_row(rows, "floor", resources, ORJSON)
        goal = f"plangate wall <= {limit:.1f} x orjson parse"
        if plangate is None or floor is None:
            found.append(Target(resources, shape, goal, "not measured", "n/a"))
            continue
        ratio = plangate.wall_s / floor.wall_s
        measured = f"{ratio:.2f} ({plangate.wall_s:.2f} s / {floor.wall_s:.2f} s)"
        found.append(Target(resources, shape, goal, measured, yes_no(ratio <= limit)))
        if resources == 10_000:
            peers = [row for row in rows if row.kind == "peer" and row.resources == resources]
            for peer in peers:
                times = peer.wall_s / plangate.wall_s
                goal = f"{peer.tool} >= 150x slower than plangate"
                found.append(Target(resources, shape, goal, f"{times:.0f}x", yes_no(times >= 150)))
            if not peers:
                goal = "peers >= 150x slower than plangate"
                found.append(Target(resources, shape, goal, "not measured (--peers-max)", "n/a"))
        if resources == 100_000:
            rss = plangate.peak_rss_mib
            goal = "plangate peak RSS < 1024 MiB"
            found.append(Target(resources, shape, goal, f"{rss:.0f} MiB", yes_no(rss < 1024)))
    return found


def results_rows(rows: Sequence[Row]) -> list[list[str]]:
    table = []
    for row in rows:
        floor = find_row(rows, "floor", row.resources, ORJSON)
        plangate = find_row(rows, "plangate", row.resources)
        vs_floor = f"{row.wall_s / floor.wall_s:.2f}" if floor and row.tool != ORJSON else ""
        vs_plangate = f"{row.wall_s / plangate.wall_s:.1f}" if plangate else ""
        table.append(
            [
                row.tool,
                f"{row.resources:,}",
                f"{row.plan_mb:.1f}",
                row.version,
                str(row.runs),
                f"{row.wall_s:.2f}",
                f"{min(row.walls_s):.2f}-{max(row.walls_s):.2f}",
                f"{row.cpu_s:.2f}",
                f"{row.peak_rss_mib:.0f}",
                vs_floor,
                vs_plangate if row.kind != "plangate" else "1.0",
                row.found,
                row.delete_seen,
                f"{row.load_avg:.1f}",
            ]
        )
    return table


def shape_of(results: dict[str, Any]) -> str:
    """The plan shape a results.json was measured on (runs from before --shape: teams)."""
    return results.get("shape", "teams")


def comparison_table(rows: Sequence[Row], other: dict[str, Any]) -> str:
    """This run's plangate beside another run's (e.g. before a rewrite), size by size."""
    theirs = [Row(**row) for row in other["rows"]]
    table = []
    for mine in (row for row in rows if row.kind == "plangate"):
        old = find_row(theirs, "plangate", mine.resources)
        if old is None:
            continue
        table.append(
            [
                f"{mine.resources:,}",
                f"{old.wall_s:.2f}",
                f"{mine.wall_s:.2f}",
                f"{old.wall_s / mine.wall_s:.2f}x",
                f"{old.peak_rss_mib:.0f}",
                f"{mine.peak_rss_mib:.0f}",
            ]
        )
    old_name = next((row.tool for row in theirs if row.kind == "plangate"), "other")
    headers = [
        "resources",
        f"{old_name} wall s",
        "this run wall s",
        "speed-up",
        f"{old_name} RSS MiB",
        "this run RSS MiB",
    ]
    return markdown_table(headers, table, first_left=False)


def render_markdown(results: dict[str, Any], rows: Sequence[Row], plot: Path, out: Path) -> str:
    plangate = results["plangate"]
    shape = shape_of(results)
    lines = [
        f"# plangate at scale: against reading the plan, and against the peers ({shape} plans)",
        "",
        f"- plans: `bench/out/plan-N{shape_suffix(shape)}-inject.json`"
        f" (`bench/generate.py --shape {shape}`)",
        f"- machine: {results['machine']}",
        f"- measured: {results['started']} to {results['finished']}",
        f"- load (`uptime`) at the start: `{results['uptime_start']}`",
        f"- load (`uptime`) at the end: `{results['uptime_end']}`",
        f"- plangate: {plangate['label']} {plangate['version']}, `{plangate['executable']}`"
        f" from `{plangate['root']}` (imports `{plangate['imports']['plangate']}`)",
        f"- command: `{results['command']}`",
        "",
        "Wall s is the median of the runs (each a fresh process), peak RSS the largest; the"
        " floors are a fresh interpreter reading the file and parsing it (start-up included)."
        " Ratios and targets use the plain `orjson parse`; `orjson, gc off` is the same with"
        " the cyclic garbage collector disabled, which on large plans is most of the difference.",
        "",
        "## Results",
        "",
        markdown_table(
            [
                "tool",
                "resources",
                "plan MB",
                "version",
                "runs",
                "wall s",
                "min-max s",
                "CPU s",
                "peak RSS MiB",
                "wall / orjson parse",
                "wall / plangate",
                "force_destroy found / injected",
                "pure delete seen",
                "load avg",
            ],
            results_rows(rows),
        ),
        "",
        f"Peak RSS read by: {', '.join(results['rss_sources'])} (bench/_measure.py).",
        "",
        "## Targets",
        "",
        markdown_table(
            ["resources", "plans", "target", "measured", "met"],
            [
                [f"{t.resources:,}", t.shape, t.target, t.measured, t.met]
                for t in targets(rows, shape)
            ],
            first_left=False,
        ),
    ]
    if results.get("compare_with"):
        lines += [
            "",
            f"## plangate against {results['compare_with']['path']}"
            f" ({shape_of(results['compare_with'])}-shape plans)",
            "",
            comparison_table(rows, results["compare_with"]),
        ]
    try:
        link = plot.resolve().relative_to(out.resolve())
    except ValueError:
        link = plot.resolve()
    lines += ["", f"![wall time and peak RSS against resources]({link})", ""]
    return "\n".join(lines)


def series(rows: Sequence[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.tool, []).append(row)
    return {tool: sorted(group, key=lambda row: row.resources) for tool, group in grouped.items()}


def style(tool: str, kind: str, other: bool) -> dict[str, Any]:
    """Plangate stands out, the floors are grey references, another run's plangate is dashed."""
    if kind == "plangate":
        return {
            "color": "#888" if other else "#1f5fbf",
            "linewidth": 2.5,
            "linestyle": "--" if other else "-",
            "marker": "o",
        }
    if kind == "floor":
        grey = {ORJSON: "0.3", "json.loads": "0.55"}.get(tool, "0.75")
        return {"color": grey, "linestyle": ":", "marker": "s"}
    colours = {"checkov": "#d95f02", "terraform-compliance": "#7570b3"}
    return {"color": colours.get(tool), "marker": "^"}


def plot(rows: Sequence[Row], other: Sequence[Row], title: str, path: Path) -> None:
    """Two log-log panels: wall time and peak RSS against plan size, one line per tool."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    def major(value: float, _: int) -> str:
        return f"{value:g}"

    def minor(value: float, _: int) -> str:
        """Label 2 and 5 of each decade, so a short log axis still reads in plain numbers."""
        mantissa = round(value / 10 ** math.floor(math.log10(value)), 6)
        return f"{value:g}" if mantissa in (2, 5) else ""

    figure, panels = plt.subplots(1, 2, figsize=(12, 5.2), constrained_layout=True)
    sizes = sorted({row.resources for row in [*rows, *other]})
    lines = [(tool, group, False) for tool, group in series(rows).items()]
    lines += [(tool, group, True) for tool, group in series(other).items()]
    for panel, field, label in (
        (panels[0], "wall_s", "wall time (s), median"),
        (panels[1], "peak_rss_mib", "peak RSS (MiB)"),
    ):
        for tool, group, is_other in lines:
            xs = [row.resources for row in group]
            ys = [getattr(row, field) for row in group]
            panel.plot(xs, ys, label=tool, **style(tool, group[0].kind, is_other))
            if group[0].kind == "plangate":
                for x, y in zip(xs, ys, strict=True):
                    text = f"{y:.2f} s" if field == "wall_s" else f"{y:.0f} MiB"
                    panel.annotate(
                        text,
                        (x, y),
                        textcoords="offset points",
                        xytext=(6, -12),
                        fontsize=8,
                        color=style(tool, "plangate", is_other)["color"],
                    )
        panel.set_xscale("log")
        panel.set_yscale("log")
        panel.yaxis.set_major_formatter(FuncFormatter(major))
        panel.yaxis.set_minor_formatter(FuncFormatter(minor))
        panel.xaxis.set_major_locator(FixedLocator(sizes))
        panel.xaxis.set_minor_locator(NullLocator())
        panel.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        panel.margins(x=0.1)
        panel.set_xlabel("resources in the plan")
        panel.set_ylabel(label)
        panel.grid(True, which="both", alpha=0.3)
    panels[0].set_title("wall time (fresh process per run)")
    panels[1].set_title("peak resident memory")
    panels[0].legend(loc="upper left", fontsize=9)
    figure.suptitle(title, fontsize=11)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=150)
    plt.close(figure)
    print(f"wrote {path}", file=sys.stderr)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def write_outputs(results: dict[str, Any], out: Path, plot_path: Path) -> None:
    rows = [Row(**row) for row in results["rows"]]
    other = [Row(**row) for row in results.get("compare_with", {}).get("rows", [])]
    other = [row for row in other if row.kind == "plangate"]
    out.mkdir(parents=True, exist_ok=True)
    shape = shape_of(results)
    results["targets"] = [dataclasses.asdict(target) for target in targets(rows, shape)]
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    (out / "results.md").write_text(render_markdown(results, rows, plot_path, out), "utf-8")
    title = (
        f"plangate check against parsing the plan and the peers ({shape}-shape plans)\n"
        f"{results['machine']}"
    )
    plot(rows, other, title, plot_path)
    print(f"wrote {out / 'results.json'} and {out / 'results.md'}", file=sys.stderr)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (median wall)")
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="teams",
        help="plan shape (bench/generate.py --shape); give modules its own --out",
    )
    parser.add_argument(
        "--peers-max",
        type=int,
        default=10_000,
        metavar="N",
        help="run the peers on plans up to N resources (0: never)",
    )
    parser.add_argument(
        "--once-from",
        type=int,
        default=10_000,
        metavar="N",
        help="plans this large run each peer once",
    )
    parser.add_argument(
        "--plangate-once-from",
        type=int,
        default=None,
        metavar="N",
        help="plans this large run plangate once (floors still --repeat)",
    )
    parser.add_argument(
        "--peers",
        nargs="+",
        choices=PEER_KEYS,
        metavar="PEER",
        default=["checkov-custom", "terraform-compliance"],
    )
    parser.add_argument(
        "--plangate-src",
        type=Path,
        metavar="DIR",
        help="measure the plangate of this source tree, DIR as project root",
    )
    parser.add_argument(
        "--plangate-bin",
        type=Path,
        metavar="PATH",
        help="console script to run (default: this venv's plangate)",
    )
    parser.add_argument("--label", help="names the plangate series: 'plangate (LABEL)'")
    parser.add_argument(
        "--compare-with",
        type=Path,
        metavar="JSON",
        help="another run's results.json: its plangate beside this one's",
    )
    parser.add_argument("--out", type=Path, default=OUT / "scale")
    parser.add_argument("--plot", type=Path, help="PNG path (default: OUT/bench-scale.png)")
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="JSON",
        help="measure nothing: rewrite results.md and the plot from this file",
    )
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.plot = (args.plot or args.out / "bench-scale.png").resolve()
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.from_json is not None:
        write_outputs(json.loads(args.from_json.read_text("utf-8")), args.out, args.plot)
        return
    plangate = select_plangate(args.plangate_src, args.plangate_bin, args.label)
    started, uptime_start = datetime.datetime.now().isoformat(timespec="seconds"), uptime()
    rows: list[Row] = []
    for resources in sorted(args.resources):
        rows += measure_size(args, plangate, resources)
        print(f"measured {resources:,} resources", file=sys.stderr)
    results: dict[str, Any] = {
        "machine": machine(),
        "started": started,
        "finished": datetime.datetime.now().isoformat(timespec="seconds"),
        "uptime_start": uptime_start,
        "uptime_end": uptime(),
        "command": " ".join(["bench/bench_scale.py", *(argv or sys.argv[1:])]),
        "shape": args.shape,
        "plangate": {
            "label": plangate.label,
            "version": plangate.version,
            "executable": str(plangate.executable),
            "python": str(plangate.python),
            "root": str(plangate.root),
            "env": plangate.env,
            "imports": plangate.imports,
        },
        "rss_sources": sorted(RSS_SOURCES),
        "rows": [dataclasses.asdict(row) for row in rows],
    }
    if args.compare_with is not None:
        other = json.loads(args.compare_with.read_text("utf-8"))
        results["compare_with"] = {
            "path": str(args.compare_with),
            "shape": shape_of(other),
            "rows": other["rows"],
        }
    write_outputs(results, args.out, args.plot)
    print((args.out / "results.md").read_text("utf-8"))


if __name__ == "__main__":
    main()
