"""Timing, peak memory and plan helpers shared by the benchmark scripts in bench/.

Peak RSS of a child process: Linux carries the RSS high-water mark across fork and execve
(`ru_maxrss` of a child includes the forked or vfork-shared copy of its parent), so a big
parent inflates what `wait4` reports for a small child. `run_measured` therefore takes two
readings: VmHWM of the child sampled from /proc/<pid>/status while it runs, and `ru_maxrss`
from `wait4`, which is used only when it exceeds the harness's own VmHWM (then it cannot be
the inherited copy, so it is the child's own peak, or a reaped grandchild's). Sampling alone
could miss growth in the last few milliseconds before exit; `ru_maxrss` alone could report
the harness. The scripts also keep the harness small (plans are generated and loaded in
child processes) so that the exact `ru_maxrss` reading is normally the one used.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

INJECT_FORCE_DESTROY = 5
"""Buckets the benchmark plans carry with force_destroy = true (bench/generate.py)."""

SHAPES = ("teams", "modules")
"""bench/generate.py --shape choices, named here so the harness need not import it."""

_SAMPLE_SECONDS = 0.005


def median_seconds(run: Callable[[], Any], repeat: int) -> float:
    """Median wall time of `repeat` calls, each after a full garbage collection."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def vmhwm_kib(pid: int | str = "self") -> int | None:
    """VmHWM (peak resident set size, KiB) of a live process, None when /proc lacks it."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:  # noqa: PTH123
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


@dataclass(frozen=True, slots=True)
class Measured:
    """One child process: exit code, wall seconds, peak RSS and how that was read."""

    argv: tuple[str, ...]
    returncode: int
    wall_s: float
    peak_rss_mib: float
    rss_source: str
    """`wait4` (exact) or `sampled` (VmHWM polled every few ms; a lower bound)."""
    cpu_s: float = 0.0
    """User + system CPU seconds of the child and its reaped children (less sensitive than
    wall time to other work on the machine)."""
    timed_out: bool = False


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdout: Path | None = None,
    stderr: Path | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run `argv` once; wall time from spawn to reap, peak RSS as the module doc explains.

    stdout and stderr go to the given files (or /dev/null), never to pipes, so a chatty
    tool cannot block on a full pipe and the harness does not hold its output in memory.
    """
    own_hwm = vmhwm_kib() or 0
    sampled = 0
    finished = threading.Event()
    with (
        open(stdout or os.devnull, "wb") as out,  # noqa: PTH123
        open(stderr or os.devnull, "wb") as err,  # noqa: PTH123
    ):
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=None if env is None else dict(env), stdout=out, stderr=err
        )

        def sample() -> None:
            nonlocal sampled
            while not finished.is_set():
                value = vmhwm_kib(process.pid)
                if value is not None:
                    sampled = max(sampled, value)
                finished.wait(_SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, process.kill) if timeout else None
        if timer is not None:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        finished.set()
        if timer is not None:
            timer.cancel()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    timed_out = timer is not None and process.returncode == -9
    # ru_maxrss is KiB on Linux; above our own high-water mark it is the child's own peak
    # (the kernel's counters can lag the sampled VmHWM by a few pages, hence the max).
    if usage.ru_maxrss > own_hwm:
        peak, source = max(usage.ru_maxrss, sampled), "wait4"
    else:
        peak, source = sampled, "sampled"
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(tuple(argv), process.returncode, wall, peak / 1024, source, cpu, timed_out)


def shape_suffix(shape: str) -> str:
    """What a plan shape adds to file names: nothing for teams (the names predate shapes)."""
    return "" if shape == "teams" else f"-{shape}"


def plan_path(resources: int, shape: str = "teams") -> Path:
    """The benchmark plan with injected violations, generated on first use (in a child)."""
    path = OUT / f"plan-{resources}{shape_suffix(shape)}-inject.json"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate.py"),
                "--resources",
                str(resources),
                "--force-destroy",
                str(INJECT_FORCE_DESTROY),
                "--pure-delete",
                "--shape",
                shape,
                "--out",
                str(path),
            ],
            check=True,
        )
    return path


def injected(resources: int, shape: str = "teams") -> tuple[tuple[str, ...], str]:
    """(force_destroy buckets, deleted bucket) that plan_path(resources, shape) carries.

    Asked of bench/generate.py in a child, so the harness does not import plangate and
    stays small (see the module doc on why that matters for ru_maxrss).
    """
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from bench.generate import injected;"
        " print(json.dumps(injected(int(sys.argv[2]), int(sys.argv[3]), True, sys.argv[4])))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(resources), str(INJECT_FORCE_DESTROY), shape],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    forced, deleted = json.loads(output)
    return tuple(forced), deleted


def markdown_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, first_left: bool = True
) -> str:
    """A Markdown table, numbers right-aligned (and the first column too unless first_left)."""
    lines = ["| " + " | ".join(headers) + " |"]
    aligns = [":---" if first_left and i == 0 else "---:" for i in range(len(headers))]
    lines.append("|" + "|".join(aligns) + "|")
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def machine() -> str:
    """One line about the machine the numbers come from."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:  # noqa: PTH123
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {sys.version.split()[0]}, {sys.platform}"
