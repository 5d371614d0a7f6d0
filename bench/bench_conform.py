"""How fast `plangate conform` reconciles 10,000 and 100,000 assets, from an export and live.

    .venv/bin/python bench/bench_conform.py                         (10,000 and 100,000, 3 runs)
    .venv/bin/python bench/bench_conform.py --assets 10000 --runs 1 --no-profile

Per asset count N, bench/conform_export.py writes (once, into bench/out/conform-N/) a state of
about N managed resources, the matching ExportAssets NDJSON of exactly N records with planted
drift, and the findings it must produce. Then, each a fresh process measured by
bench/_measure.run_measured, from the repository root (its catalogue, settings, waivers):

* export: `plangate conform --state STATE --inventory EXPORT --format json --output FILE`;
* live: the same with `--project ID`, the real google-cloud-asset client over real gRPC to
  tests/inventory/fake_asset_service.py, started on the export in its own process first (not
  timed; its page selection is warmed by one untimed call per content type, because a real
  service would not charge the client for it). The fake's own peak RSS is reported apart;
* floor: a fresh interpreter that only reads the export line by line with `json.loads` (and
  with `orjson.loads` when orjson is installed): what merely reading the data costs.

The first run of each plangate variant is checked: the JSON report must have exactly the planted
findings per PG-CAI policy and nothing else. Wall and CPU time are medians of --runs, peak RSS
the largest. Then (unless --no-split) the export path runs phase by phase in fresh
interpreters, with the cyclic garbage collector on and off (seconds and RSS per phase), and
(unless --no-profile) one more export run at the largest N under cProfile (not timed); its
top functions go to stdout and bench/out/conform-profile-N.txt.
Tables go to stdout as Markdown, results to bench/out/conform-results.json, the plot to
docs/images/bench-conform.png (matplotlib, a benchmark-only dependency).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import conform_export  # noqa: E402
from bench._measure import OUT, Measured, machine, markdown_table, run_measured, vmhwm_kib  # noqa: E402

EXIT_DRIFT = 1  # the planted drift makes `plangate conform` fail, as it should
RUN_TIMEOUT = 3600.0
FAKE_START_TIMEOUT = 600.0
PLOT = ROOT / "docs" / "images" / "bench-conform.png"

FLOOR = """\
import sys
from {module} import loads
count = 0
with open(sys.argv[1], {mode!r}{encoding}) as lines:
    for line in lines:
        if line.strip():
            loads(line)
            count += 1
print(count)
"""
"""The floor: read the export as plangate does (line by line, text), decode, keep nothing."""

WARM = """\
import dataclasses, sys
import grpc
from google.cloud import asset_v1
from google.cloud.asset_v1.services.asset_service.transports import AssetServiceGrpcTransport
from plangate.inventory.live import LiveInventory
from plangate.inventory.mapping import mapping_table
host, scope = sys.argv[1], sys.argv[2]
channel = grpc.insecure_channel(host, options=[("grpc.max_receive_message_length", -1)])
client = asset_v1.AssetServiceClient(transport=AssetServiceGrpcTransport(channel=channel))
types = list(mapping_table().asset_types())
for content in (asset_v1.ContentType.RESOURCE, asset_v1.ContentType.IAM_POLICY):
    request = asset_v1.ListAssetsRequest(
        parent=scope, asset_types=types, content_type=content, page_size=1
    )
    next(iter(client.list_assets(request=request).pages))
defaults = {f.name: f.default for f in dataclasses.fields(LiveInventory)}
print(defaults["calls_per_minute"], defaults["page_size"])
"""
"""Ask the fake once per content type with the request plangate makes (same asset types, so
the same cache key), so its one-off page selection is not charged to plangate's first run;
also report the reader's pacing and page size."""

SPLIT = """\
import json, sys, time
from pathlib import Path
def rss():
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return found
phases = []
mark = time.perf_counter()
def phase(name):
    global mark
    now = time.perf_counter()
    phases.append({"phase": name, "seconds": now - mark, **rss()})
    mark = time.perf_counter()
from dataclasses import replace
from plangate.conform import ConformOptions, with_defaults
from plangate.gate import (
    describe_catalogue, enabled_policies, load_project_catalogue, project_waivers
)
from plangate.inventory.export import ExportInventory
from plangate.inventory.live_view import live_plan
from plangate.inventory.mapping import mapping_table
from plangate.inventory.reconcile import reconcile
from plangate.inventory.terraform import read_terraform
from plangate.policy import REGISTRY, SETTINGS
from plangate.policy.engine import GateInput, evaluate
from plangate.report import render
from plangate.settings import find_settings
phase("imports")
state, export = sys.argv[1], Path(sys.argv[2])
settings = find_settings(Path.cwd())
options = with_defaults(settings, ConformOptions(states=(state,), inventory=export))
load_project_catalogue(settings)
waivers = project_waivers(settings, None)
table = mapping_table()
phase("catalogue, waivers, mapping table")
count = sum(1 for _ in ExportInventory(export).records())
phase("read + decode the export alone (not in the CLI)")
terraform = read_terraform((), (state,))
phase("load the state")
reader = ExportInventory(export)
rec = reconcile(terraform, reader.records(), table)
rec = replace(rec, source=reader.source, terraform=terraform.sources)
phase("stream the export through reconcile")
environment = terraform.environment
plan = live_plan(rec, table, reader.source, environment)
phase("live view: the live resources as a plan")
judged = GateInput(
    loaded=plan,
    environment=environment,
    settings=SETTINGS.resolve(settings.raw, environment),
    inventory=rec,
)
only = [pid for pid in enabled_policies(settings) if REGISTRY.get(pid).judges_inventory]
report = evaluate([judged], REGISTRY, waivers, only=only)
report = replace(report, root=settings.root, catalogue=describe_catalogue(settings))
phase("evaluate PG-CAI and the live catalogue policies")
text = render(report, "json")
phase("render the JSON report")
print(json.dumps({"records": count, "phases": phases}))
"""
"""The export path of plangate.conform.run_conformance (keep in step with it), phase by phase
in one fresh interpreter: seconds, RSS and peak RSS (VmHWM, MiB) after each phase."""

PROFILE_SUMMARY = """\
import pstats, sys
stats = pstats.Stats(sys.argv[1])
stats.sort_stats("tottime").print_stats(25)
stats.sort_stats("cumulative").print_stats(45)
"""


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    label: str
    runs: list[Measured]
    assets: int

    @property
    def wall(self) -> float:
        return statistics.median(run.wall_s for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu_s for run in self.runs)

    @property
    def rss(self) -> float:
        return max(run.peak_rss_mib for run in self.runs)

    def row(self) -> dict[str, Any]:
        walls = [run.wall_s for run in self.runs]
        return {
            "key": self.key,
            "label": self.label,
            "assets": self.assets,
            "runs": len(self.runs),
            "wall_s": self.wall,
            "wall_min_s": min(walls),
            "wall_max_s": max(walls),
            "cpu_s": self.cpu,
            "assets_per_s": self.assets / self.wall,
            "peak_rss_mib": self.rss,
            "rss_sources": sorted({run.rss_source for run in self.runs}),
        }


def plangate_executable() -> str:
    """The console script next to this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("plangate")
    found = str(beside) if beside.exists() else shutil.which("plangate")
    if found is None:
        raise SystemExit("plangate is not installed: pip install -e . in this virtualenv")
    return found


def data(assets: int) -> tuple[Path, Path, dict[str, Any]]:
    """(state, export, expected) for N assets, generated in a child on first use."""
    folder = OUT / f"conform-{assets}"
    state, export, facts = folder / "state.json", folder / "export.ndjson", folder / "expected.json"
    known = json.loads(facts.read_text("utf-8")) if facts.exists() else {}
    if known.get("version") != conform_export.VERSION or not (state.exists() and export.exists()):
        script = ROOT / "bench" / "conform_export.py"
        argv = [sys.executable, str(script), "--assets", str(assets), "--out", str(folder)]
        subprocess.run(argv, check=True)
        known = json.loads(facts.read_text("utf-8"))
    return state, export, known


def check_report(path: Path, expected: dict[str, Any], what: str) -> list[str]:
    """Problems with one JSON report: findings must be exactly the planted ones."""
    report = json.loads(path.read_text("utf-8"))
    found: dict[str, list[str]] = {}
    for finding in report["findings"]:
        found.setdefault(finding["policy"], []).append(finding["address"])
    problems = []
    for policy in sorted({*found, *expected["findings"]}):
        want = sorted(expected["findings"].get(policy, []))
        got = sorted(found.get(policy, []))
        if want != got:
            problems.append(f"{what}: {policy}: expected {want}, reported {got}")
    records = report["conformance"][0]["inventory"]["records"]
    if records != expected["assets"]:
        problems.append(f"{what}: read {records} records, the export has {expected['assets']}")
    return problems


def measure(
    key: str,
    label: str,
    argv: list[str],
    assets: int,
    runs: int,
    *,
    expect: int,
    env: dict[str, str] | None = None,
    output: Path | None = None,
    expected: dict[str, Any] | None = None,
) -> tuple[Variant, list[str]]:
    """`runs` fresh processes; the first one's report is checked against `expected`."""
    measured: list[Measured] = []
    problems: list[str] = []
    stderr = OUT / f"conform-{assets}-{key}.stderr"
    for index in range(runs):
        run = run_measured(argv, cwd=ROOT, env=env, stderr=stderr, timeout=RUN_TIMEOUT)
        if run.returncode != expect:
            tail = stderr.read_text("utf-8", errors="replace")[-2000:]
            raise SystemExit(f"{label} exited {run.returncode}, expected {expect}:\n{tail}")
        if index == 0 and output is not None and expected is not None:
            problems = check_report(output, expected, f"{label}, {assets:,} assets")
        measured.append(run)
        print(f"  {label}: {run.wall_s:.2f} s, {run.peak_rss_mib:.0f} MiB", file=sys.stderr)
    return Variant(key, label, measured, assets), problems


class FakeServer:
    """tests/inventory/fake_asset_service.py in its own process, for the live variant."""

    def __init__(self, export: Path, project: str, number: str, log: Path) -> None:
        argv = [sys.executable, "-m", "tests.inventory.fake_asset_service"]
        argv += ["--export", str(export), "--port", "0", "--project", f"{project}={number}"]
        self._log = log.open("wb")
        start = time.perf_counter()
        self.process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=self._log)
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], FAKE_START_TIMEOUT)
        line = self.process.stdout.readline().decode().strip() if ready else ""
        if not line.isdigit():
            self.stop()
            raise SystemExit(f"the fake AssetService did not start; see {log}")
        self.startup_s = time.perf_counter() - start
        self.host = f"127.0.0.1:{line}"

    def peak_rss_mib(self) -> float:
        return (vmhwm_kib(self.process.pid) or 0) / 1024

    def stop(self) -> None:
        """End the server this harness started (by its own pid only)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def bench_assets(
    assets: int, runs: int, plangate: str, floors: list[tuple[str, str]], live: bool
) -> dict[str, Any]:
    """Every variant at one asset count."""
    state, export, expected = data(assets)
    print(f"{assets:,} assets: {export} ({export.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
    variants: list[Variant] = []
    problems: list[str] = []
    report = OUT / f"conform-{assets}-export.json"
    common = ["conform", "--state", str(state), "--format", "json", "--output"]
    variant, found = measure(
        "export",
        "plangate conform --inventory (export)",
        [plangate, *common, str(report), "--inventory", str(export)],
        assets,
        runs,
        expect=EXIT_DRIFT,
        output=report,
        expected=expected,
    )
    variants.append(variant)
    problems += found
    fake: dict[str, Any] = {}
    if live:
        project, number = expected["project_id"], expected["project_number"]
        server = FakeServer(export, project, number, OUT / f"conform-{assets}-fake.log")
        try:
            env = {**os.environ, "CLOUD_ASSET_EMULATOR_HOST": server.host}
            warm = subprocess.run(
                [sys.executable, "-c", WARM, server.host, f"projects/{project}"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            per_minute, page_size = (float(x) for x in warm.stdout.split())
            report = OUT / f"conform-{assets}-live.json"
            variant, found = measure(
                "live",
                "plangate conform --project (live, loopback gRPC)",
                [plangate, *common, str(report), "--project", project],
                assets,
                runs,
                expect=EXIT_DRIFT,
                env=env,
                output=report,
                expected=expected,
            )
            variants.append(variant)
            problems += found
            calls = -(-expected["resource_records"] // int(page_size))
            calls += -(-expected["iam_records"] // int(page_size))
            fake = {
                "startup_s": server.startup_s,
                "peak_rss_mib": server.peak_rss_mib(),
                "calls": calls,
                # At most per_minute calls start in any rolling minute.
                "pacing_floor_s": (-(-calls // int(per_minute)) - 1) * 60.0,
                "calls_per_minute": per_minute,
            }
        finally:
            server.stop()
    for key, module in floors:
        mode, encoding = ("rb", "") if module == "orjson" else ("r", ", encoding='utf-8'")
        code = FLOOR.format(module=module, mode=mode, encoding=encoding)
        variant, _ = measure(
            key,
            f"floor: {module}.loads per line",
            [sys.executable, "-c", code, str(export)],
            assets,
            runs,
            expect=0,
        )
        variants.append(variant)
    return {
        "assets": assets,
        "resources": expected["resources"],
        "export_mb": export.stat().st_size / 1e6,
        "state_mb": state.stat().st_size / 1e6,
        "variants": [v.row() for v in variants],
        "fake": fake,
        "problems": problems,
    }


def profile(assets: int, plangate: str) -> str:
    """One export run under cProfile (not timed); the pstats summary, also saved to a file."""
    state, export, _ = data(assets)
    stats = OUT / f"conform-profile-{assets}.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(stats), plangate, "conform"]
    argv += ["--state", str(state), "--inventory", str(export), "--format", "json"]
    argv += ["--output", str(OUT / f"conform-{assets}-profiled.json")]
    subprocess.run(argv, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    summary = subprocess.run(
        [sys.executable, "-c", PROFILE_SUMMARY, str(stats)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (OUT / f"conform-profile-{assets}.txt").write_text(summary, "utf-8")
    return summary


def split(assets: int, runs: int) -> list[dict[str, Any]]:
    """The export path phase by phase (see SPLIT), `runs` fresh interpreters with CPython's
    cyclic garbage collector on and `runs` with it off: median seconds per phase, largest
    RSS. The GC-off column shows what collections cost while millions of objects are alive
    (the plan loader already pauses the collector; reconcile and the live view do not)."""
    state, export, _ = data(assets)
    samples: dict[bool, list[list[dict[str, Any]]]] = {False: [], True: []}
    for _ in range(runs):
        for gc_off in (False, True):
            code = ("import gc; gc.disable()\n" if gc_off else "") + SPLIT
            output = subprocess.run(
                [sys.executable, "-c", code, str(state), str(export)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            samples[gc_off].append(json.loads(output)["phases"])
    phases = []
    for index, first in enumerate(samples[False][0]):
        on = [run[index] for run in samples[False]]
        off = [run[index] for run in samples[True]]
        phases.append(
            {
                "phase": first["phase"],
                "seconds": statistics.median(p["seconds"] for p in on),
                "seconds_gc_off": statistics.median(p["seconds"] for p in off),
                "VmRSS": max(p["VmRSS"] for p in on),
                "VmHWM": max(p["VmHWM"] for p in on),
            }
        )
    return phases


def split_table(assets: int, runs: int, phases: list[dict[str, Any]]) -> str:
    rows = [
        [
            p["phase"],
            f"{p['seconds']:.2f}",
            f"{p['seconds_gc_off']:.2f}",
            f"{p['VmRSS']:.0f}",
            f"{p['VmHWM']:.0f}",
        ]
        for p in phases
    ]
    cli = [p for p in phases if "not in the CLI" not in p["phase"]]
    rows.append(
        [
            "total (without the read-alone row)",
            f"{sum(p['seconds'] for p in cli):.2f}",
            f"{sum(p['seconds_gc_off'] for p in cli):.2f}",
            "",
            "",
        ]
    )
    head = ["phase (export path)", "seconds", "seconds, GC off", "RSS after MiB", "peak RSS MiB"]
    return "\n".join(
        [
            f"In-process split at {assets:,} assets (median of {runs} fresh interpreters each "
            "way; RSS with the collector on)",
            "",
            markdown_table(head, rows),
        ]
    )


def tables(results: list[dict[str, Any]], runs: int) -> str:
    rows = []
    for result in results:
        floor = next(v for v in result["variants"] if v["key"] == "floor-json")
        for v in result["variants"]:
            rows.append(
                [
                    f"{result['assets']:,}",
                    v["label"],
                    f"{v['wall_s']:.2f}",
                    f"{v['wall_min_s']:.2f}-{v['wall_max_s']:.2f}",
                    f"{v['cpu_s']:.2f}",
                    f"{v['assets_per_s']:,.0f}",
                    f"{v['peak_rss_mib']:.0f}",
                    f"{v['wall_s'] / floor['wall_s']:.1f}",
                    f"{v['peak_rss_mib'] / floor['peak_rss_mib']:.1f}",
                    "/".join(v["rss_sources"]),
                ]
            )
    headers = [
        "assets",
        "variant",
        "wall s (median)",
        "min-max s",
        "CPU s",
        "assets/s",
        "peak RSS MiB",
        "wall / floor",
        "RSS / floor",
        "RSS read by",
    ]
    lines = [
        f"{machine()}; median of {runs} runs, each a fresh process",
        "",
        markdown_table(headers, rows),
        "",
        "Peak RSS is the largest of the runs, read as bench/_measure.py explains (wait4: "
        "exact; sampled: VmHWM polled every 5 ms, for a child smaller than the harness). "
        "assets/s = export records / median wall time.",
    ]
    fakes = [
        [
            f"{r['assets']:,}",
            f"{r['resources']:,}",
            f"{r['export_mb']:.0f}",
            f"{r['state_mb']:.0f}",
            f"{r['fake']['startup_s']:.1f}",
            f"{r['fake']['peak_rss_mib']:.0f}",
            f"{r['fake']['calls']}",
            f"{r['fake']['pacing_floor_s']:.1f}",
        ]
        for r in results
        if r["fake"]
    ]
    if fakes:
        lines += [
            "",
            markdown_table(
                [
                    "assets",
                    "managed resources",
                    "export MB",
                    "state MB",
                    "fake start-up s",
                    "fake peak RSS MiB",
                    "ListAssets calls",
                    "pacing floor s",
                ],
                fakes,
            ),
            "",
            "The fake AssetService runs in its own process; its start-up and memory are not "
            "plangate's. Pacing floor: (ceil(calls / calls_per_minute) - 1) * 60 s, the least "
            "time the live reader's quota pacing allows (at most "
            f"{results[0]['fake']['calls_per_minute']:g} calls start in any rolling minute).",
        ]
    checks = [
        f"{r['assets']:,}: " + ("as planted" if not r["problems"] else "; ".join(r["problems"]))
        for r in results
    ]
    lines += ["", "Findings (PG-CAI-001..005, nothing else): " + " | ".join(checks)]
    return "\n".join(lines)


def plot(results: list[dict[str, Any]], path: Path) -> None:
    """Wall time and peak RSS against asset count, one line per variant."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    styles = {"export": "o-", "live": "s-", "floor-json": "^--", "floor-orjson": "v--"}
    labels: dict[str, str] = {}
    for result in results:
        for v in result["variants"]:
            labels[v["key"]] = v["label"]
    for key, label in labels.items():
        points = [(r["assets"], v) for r in results for v in r["variants"] if v["key"] == key]
        xs = [x for x, _ in points]
        for axis, field, unit in ((left, "wall_s", "s"), (right, "peak_rss_mib", "MiB")):
            ys = [v[field] for _, v in points]
            axis.plot(xs, ys, styles.get(key, "x-"), label=label)
            for x, y in zip(xs, ys, strict=True):
                text = (
                    f"{y:.2f} {unit}"
                    if y < 1
                    else f"{y:.1f} {unit}"
                    if y < 10
                    else f"{y:,.0f} {unit}"
                )
                offset = (6, -11) if key == "export" else (6, 4)
                axis.annotate(text, (x, y), textcoords="offset points", xytext=offset, fontsize=7)
    fakes = [(r["assets"], r["fake"]["peak_rss_mib"]) for r in results if r["fake"]]
    if fakes:
        right.plot(*zip(*fakes, strict=True), "k:", label="fake AssetService (not plangate)")
    for axis, title, unit in ((left, "wall time", "seconds"), (right, "peak RSS", "MiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("assets in the inventory (records)")
        axis.set_ylabel(unit)
        axis.set_title(f"plangate conform: {title}")
        axis.set_xticks([r["assets"] for r in results], [f"{r['assets']:,}" for r in results])
        axis.xaxis.set_minor_locator(NullLocator())
        axis.margins(x=0.12)
        axis.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8, loc="upper left")
    right.legend(fontsize=8, loc="upper left")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--assets", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per variant (median)")
    parser.add_argument("--no-live", action="store_true", help="skip the loopback gRPC variant")
    parser.add_argument("--no-split", action="store_true", help="skip the in-process split")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--plot", type=Path, default=PLOT, help="PNG to write")
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    plangate = plangate_executable()
    floors = [("floor-json", "json")]
    if importlib.util.find_spec("orjson") is not None:
        floors.append(("floor-orjson", "orjson"))
    else:
        print("orjson is not installed in this interpreter: no orjson floor", file=sys.stderr)
    results = [
        bench_assets(n, args.runs, plangate, floors, not args.no_live) for n in sorted(args.assets)
    ]
    print(tables(results, args.runs))
    if not args.no_plot:
        plot(results, args.plot)
        print(f"plot: {args.plot}", file=sys.stderr)
    splits = {}
    if not args.no_split:
        for assets in sorted(args.assets):
            splits[assets] = split(assets, args.runs)
            print("\n" + split_table(assets, args.runs, splits[assets]))
    (OUT / "conform-results.json").write_text(
        json.dumps(
            {"machine": machine(), "runs": args.runs, "results": results, "splits": splits},
            indent=2,
        ),
        "utf-8",
    )
    if not args.no_profile:
        largest = max(args.assets)
        print(f"\ncProfile of one export run at {largest:,} assets (not timed):\n")
        print("```\n" + profile(largest, plangate).strip() + "\n```")
    if any(r["problems"] for r in results):
        raise SystemExit("the reports did not find exactly the planted drift (see above)")


if __name__ == "__main__":
    main()
