"""How long and how much memory `plangate.plan.load_plan` takes on a large plan, stage by stage.

    .venv/bin/python bench/bench_load.py                      (10,000 resources)
    .venv/bin/python bench/bench_load.py --resources 1000 10000 100000
    .venv/bin/python bench/bench_load.py --plan path/to/plan.json

Wall time is the median of --repeat runs with the cyclic collector paused (as load_plan
runs), so the stages add up to about the whole: reading the file, the sha256 (which
load_plan takes on another thread beside the decode), the typed msgspec pass over the
document (`decode_document`), building the `Plan` (addresses, variables, module depth), and
reading every resource's `after` once, which is what the engine does when it judges the plan.
`orjson.loads` of the same bytes is the floor the issue measures against. Peak memory is
the peak resident set size of a fresh interpreter that loads the plan once (VmHWM; ru_maxrss
where /proc is missing), next to one that only imports plangate.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._measure import markdown_table, median_seconds  # noqa: E402

from plangate.plan import load_plan  # noqa: E402
from plangate.plan.model import Plan, decode_document  # noqa: E402

# Linux carries ru_maxrss across execve (the forked copy of this big parent counts), so the
# child reports the high-water mark of its own address space (VmHWM) where /proc has it.
_RSS_SCRIPT = """
import os, resource, sys
from plangate.plan import load_plan
if sys.argv[1] != "-":
    load_plan(sys.argv[1])
try:
    with open("/proc/self/status") as status:
        print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.stdout.flush()
os._exit(0)
"""


def max_rss_mib(plan: str) -> float:
    """Peak RSS (KiB on Linux) of a fresh interpreter; `-` only imports plangate."""
    output = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, plan], check=True, capture_output=True, text=True
    ).stdout
    return int(output.split()[-1]) / 1024


def measure(path: Path, repeat: int) -> dict[str, float]:
    import orjson

    rss = {"rss_import_mib": max_rss_mib("-"), "rss_load_mib": max_rss_mib(str(path))}
    data = path.read_bytes()
    load_plan(path)  # warm caches: msgspec's compiled decoders, imports
    gc.disable()
    try:
        document = decode_document(data)
        plan = Plan(document)
        result = {
            "size_mb": len(data) / 1e6,
            "resources": float(len(plan.resource_changes)),
            "total": median_seconds(lambda: load_plan(path), repeat),
            "read": median_seconds(path.read_bytes, repeat),
            "sha256": median_seconds(lambda: hashlib.sha256(data).hexdigest(), repeat),
            "decode": median_seconds(lambda: decode_document(data), repeat),
            "model": median_seconds(lambda: Plan(document), repeat),
            "values": median_seconds(lambda: [c.after for c in plan.resource_changes], repeat),
            "orjson": median_seconds(lambda: orjson.loads(data), repeat),
        }
    finally:
        gc.enable()
    result.update(rss)
    return result


def table(rows: list[dict[str, float]]) -> str:
    columns = [
        ("resources", "{:,.0f}"),
        ("size_mb", "{:.1f}"),
        ("total", "{:.2f}"),
        ("read", "{:.3f}"),
        ("sha256", "{:.3f}"),
        ("decode", "{:.3f}"),
        ("model", "{:.3f}"),
        ("values", "{:.3f}"),
        ("orjson", "{:.3f}"),
        ("rss_import_mib", "{:.0f}"),
        ("rss_load_mib", "{:.0f}"),
    ]
    headers = {
        "resources": "resources",
        "size_mb": "MB",
        "total": "load_plan s",
        "read": "read s",
        "sha256": "sha256 s",
        "decode": "typed decode s",
        "model": "Plan s",
        "values": "every after s",
        "orjson": "orjson.loads s",
        "rss_import_mib": "RSS import MiB",
        "rss_load_mib": "RSS load MiB",
    }
    return markdown_table(
        [headers[name] for name, _ in columns],
        [[fmt.format(row[name]) for name, fmt in columns] for row in rows],
        first_left=False,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--plan", type=Path, action="append", default=[], help="measure this plan instead"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    paths = list(args.plan)
    if not paths:
        from bench import generate

        for count in args.resources:
            path = ROOT / "bench" / "out" / f"plan-{count}.json"
            if not path.exists():
                generate.main(["--resources", str(count), "--out", str(path)])
            paths.append(path)
    rows = [measure(path, args.repeat) for path in paths]
    print(f"Python {sys.version.split()[0]}, median of {args.repeat} runs, times in seconds\n")
    print(table(rows))


if __name__ == "__main__":
    main()
