"""plangate next to checkov and terraform-compliance: same plans, same machine, same run.

    /work/venv/bin/python bench/compare_peers.py                       (1,000 and 10,000)
    /work/venv/bin/python bench/compare_peers.py --resources 1000 --repeat 3
    /work/venv/bin/python bench/compare_peers.py --skip checkov-all     (leave a variant out)
    /work/venv/bin/python bench/compare_peers.py --shape modules --resources 1000

A developer's tool, never run by the tests or CI. Each peer is installed on first use into
its own virtualenv, bench/out/venvs/<peer> (git-ignored), with pip: checkov>=3,<4 and the
newest terraform-compliance pip resolves for this Python. Never into plangate's virtualenv:
checkov's bc-python-hcl2 would replace python-hcl2's `hcl2` module there.

The plans come from bench/generate.py with injected violations: a few buckets updated to
force_destroy = true and one bucket deleted outright (bench/out/plan-N-inject.json; with
--shape modules, bench/out/plan-N-modules-inject.json: many distinct module calls whose
configuration blocks reference each other, the shape terraform-compliance is slowest on).
Every tool is asked the same question, "is force_destroy false on every bucket?":

- plangate check with the project's whole catalogue (PG-GCS-001 is the control; the pure
  delete is PG-CHG-002), JSON report;
- checkov --framework terraform_plan --skip-download --quiet --compact -o json with the
  custom check bench/peers/checkov_checks/ (checkov has no force_destroy check), once with
  only that check (--check), once with every built-in check too, and once with only the
  custom check and CHECKOV_MAX_IAC_FILE_SIZE=1, which makes checkov read the plan with
  json.loads instead of its line-numbering YAML loader (docs/peers.md: the fastest
  checkov configuration; the plan is one line, so the line numbers it drops are all 0 anyway);
- terraform-compliance -f bench/peers/terraform_compliance/ -p PLAN (one scenario).

Wall time is the median of --repeat runs below --once-from resources and a single run from
there on (a 10,000-resource checkov run takes minutes); peak RSS is the largest over the
runs (bench/_measure.py explains how it is read). "found / injected" counts the injected
force_destroy buckets the tool reported; "pure delete seen" is whether it reported anything
at all at the deleted bucket's address.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
    Measured,
    injected,
    machine,
    markdown_table,
    plan_path,
    run_measured,
    shape_suffix,
)

VENVS = OUT / "venvs"
RESULTS = OUT / "compare"
PEERS = ROOT / "bench" / "peers"
CHECKOV_CHECK = "CKV_PG_GCS_001"  # bench/peers/checkov_checks/bucket_force_destroy.py
TIMEOUT_SECONDS = 1800.0


@dataclass(frozen=True)
class Peer:
    name: str
    requirement: str
    distribution: str
    executable: str

    @property
    def venv(self) -> Path:
        return VENVS / self.name

    @property
    def command(self) -> Path:
        return self.venv / "bin" / self.executable


CHECKOV = Peer("checkov", "checkov>=3,<4", "checkov", "checkov")
TERRAFORM_COMPLIANCE = Peer(
    "terraform-compliance", "terraform-compliance", "terraform-compliance", "terraform-compliance"
)


def ensure_installed(peer: Peer) -> str:
    """Create the peer's virtualenv and pip-install it on first use; return its version."""
    if not peer.command.exists():
        print(f"installing {peer.requirement} into {peer.venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(peer.venv)], check=True)
        log = VENVS / f"{peer.name}-install.log"
        with log.open("w") as output:
            status = subprocess.run(
                [str(peer.venv / "bin" / "pip"), "install", peer.requirement],
                stdout=output,
                stderr=subprocess.STDOUT,
            ).returncode
        if status != 0 or not peer.command.exists():
            raise SystemExit(f"could not install {peer.requirement}: see {log}")
    return subprocess.run(
        [
            str(peer.venv / "bin" / "python"),
            "-c",
            f"import importlib.metadata as m; print(m.version({peer.distribution!r}))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


# --------------------------------------------------------------------------- what was found


@dataclass(frozen=True)
class Found:
    force_destroy: frozenset[str]
    """Addresses the tool reported for force_destroy."""
    addresses: frozenset[str]
    """Every address the tool reported anything for."""


def plangate_found(report: Path) -> Found:
    findings = json.loads(report.read_text("utf-8"))["findings"]
    return Found(
        frozenset(f["address"] for f in findings if f["policy"] == "PG-GCS-001"),
        frozenset(f["address"] for f in findings),
    )


def checkov_found(report: Path) -> Found:
    document: Any = json.loads(report.read_text("utf-8"))
    reports = document if isinstance(document, list) else [document]
    failed = [
        item
        for part in reports
        if isinstance(part, dict)
        for item in part.get("results", {}).get("failed_checks", [])
    ]

    def address(item: dict[str, Any]) -> str:
        return item.get("resource_address") or item.get("resource") or ""

    return Found(
        frozenset(address(item) for item in failed if item["check_id"] == CHECKOV_CHECK),
        frozenset(address(item) for item in failed),
    )


_TFC_FAILURE = re.compile(r"Failure: (\S+) property in (\S+) resource")


def terraform_compliance_found(output: Path) -> Found:
    text = output.read_text("utf-8", errors="replace")
    failures = _TFC_FAILURE.findall(text)
    return Found(
        frozenset(address for key, address in failures if key == "force_destroy"),
        frozenset(address for _, address in failures),
    )


# --------------------------------------------------------------------------- one tool


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    version: Callable[[], str]
    argv: Callable[[Path, Path], list[str]]
    """(plan, report file) -> command line."""
    found: Callable[[Path], Found]
    report_on_stdout: bool
    expected_exit: tuple[int, ...] = (1,)
    env: dict[str, str] | None = None


def variants(selected: Sequence[str]) -> list[Variant]:
    plangate = str(Path(sys.executable).with_name("plangate"))

    def plangate_version() -> str:
        output = subprocess.run([plangate, "--version"], check=True, capture_output=True)
        return output.stdout.decode().split()[-1]

    def checkov_argv(extra: Sequence[str]) -> Callable[[Path, Path], list[str]]:
        return lambda plan, _report: [
            str(CHECKOV.command),
            "-f",
            str(plan),
            "--framework",
            "terraform_plan",
            "--skip-download",
            "--quiet",
            "--compact",
            "-o",
            "json",
            "--external-checks-dir",
            str(PEERS / "checkov_checks"),
            *extra,
        ]

    def checkov_version() -> str:
        return ensure_installed(CHECKOV)

    all_variants = [
        Variant(
            "plangate",
            "plangate check (whole catalogue)",
            plangate_version,
            lambda plan, report: [
                plangate,
                "check",
                str(plan),
                "--format",
                "json",
                "--output",
                str(report),
            ],
            plangate_found,
            report_on_stdout=False,
        ),
        Variant(
            "checkov-custom",
            "checkov (custom check only)",
            checkov_version,
            checkov_argv(["--check", CHECKOV_CHECK]),
            checkov_found,
            report_on_stdout=True,
        ),
        Variant(
            "checkov-all",
            "checkov (all built-in checks + custom)",
            checkov_version,
            checkov_argv([]),
            checkov_found,
            report_on_stdout=True,
        ),
        Variant(
            "checkov-json",
            "checkov (custom only, CHECKOV_MAX_IAC_FILE_SIZE=1)",
            checkov_version,
            checkov_argv(["--check", CHECKOV_CHECK]),
            checkov_found,
            report_on_stdout=True,
            env={"CHECKOV_MAX_IAC_FILE_SIZE": "1"},
        ),
        Variant(
            "terraform-compliance",
            "terraform-compliance (1 scenario)",
            lambda: ensure_installed(TERRAFORM_COMPLIANCE),
            lambda plan, _report: [
                str(TERRAFORM_COMPLIANCE.command),
                "-f",
                str(PEERS / "terraform_compliance"),
                "-p",
                str(plan),
                "--no-ansi",
            ],
            terraform_compliance_found,
            report_on_stdout=True,
        ),
    ]
    return [variant for variant in all_variants if variant.key in selected]


RSS_SOURCES: set[str] = set()


@dataclass(frozen=True)
class Measurement:
    """One tool on one plan: its runs and what it found, for any report to format."""

    variant: Variant
    version: str
    resources: int
    runs: tuple[Measured, ...]
    loads: tuple[float, ...]
    """1-minute load average at the start of each run."""
    outcome: str
    """Found / injected, like `5 / 5`, or why the output could not be read."""
    delete_seen: str
    """`yes`, `no`, or `-` when the output could not be read."""
    found_injected: int | None
    """How many injected force_destroy buckets it reported; None when it failed."""
    injected: int

    @property
    def wall_s(self) -> float:
        return statistics.median(run.wall_s for run in self.runs)

    @property
    def cpu_s(self) -> float:
        return statistics.median(run.cpu_s for run in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        return max(run.peak_rss_mib for run in self.runs)


def measure_variant(
    variant: Variant,
    resources: int,
    runs: int,
    *,
    results: Path = RESULTS,
    cwd: Path = ROOT,
    version: str | None = None,
    shape: str = "teams",
) -> Measurement:
    """Run one tool `runs` times on plan_path(resources, shape); stop at an unexpected exit.

    cwd is where the tool starts (plangate reads the project's catalogue, settings and
    waivers there); reports and stderr go to `results`.
    """
    plan = plan_path(resources, shape)
    forced, deleted = injected(resources, shape)
    version = variant.version() if version is None else version
    results.mkdir(parents=True, exist_ok=True)
    stem = f"{variant.key}-{resources}{shape_suffix(shape)}"
    report = results / f"{stem}.out"
    errors = results / f"{stem}.err"
    env = {**os.environ, **(variant.env or {})}
    measured: list[Measured] = []
    loads: list[float] = []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        run = run_measured(
            variant.argv(plan, report),
            cwd=cwd,
            env=env,
            stdout=report if variant.report_on_stdout else None,
            stderr=errors,
            timeout=TIMEOUT_SECONDS,
        )
        measured.append(run)
        RSS_SOURCES.add(run.rss_source)
        print(
            f"  {variant.key} {resources:,}: {run.wall_s:.2f} s, {run.peak_rss_mib:.0f} MiB,"
            f" exit {run.returncode}",
            file=sys.stderr,
        )
        if run.returncode not in variant.expected_exit:
            break
    last = measured[-1]
    hits: int | None = None
    if last.returncode not in variant.expected_exit:
        outcome, delete_seen = f"error: exit {last.returncode} (see {errors.name})", "-"
    else:
        try:
            found = variant.found(report)
        except (OSError, ValueError, KeyError) as error:
            outcome, delete_seen = f"unreadable output ({type(error).__name__})", "-"
        else:
            hits = len(found.force_destroy & set(forced))
            extra = len(found.force_destroy - set(forced))
            outcome = f"{hits} / {len(forced)}" + (f" (+{extra} other)" if extra else "")
            delete_seen = "yes" if deleted in found.addresses else "no"
    return Measurement(
        variant,
        version,
        resources,
        tuple(measured),
        tuple(loads),
        outcome,
        delete_seen,
        hits,
        len(forced),
    )


def run_variant(variant: Variant, resources: int, runs: int, shape: str) -> list[str]:
    result = measure_variant(variant, resources, runs, shape=shape)
    return [
        variant.label,
        result.version,
        f"{resources:,}",
        str(len(result.runs)),
        f"{result.wall_s:.2f}",
        f"{result.cpu_s:.2f}",
        f"{result.peak_rss_mib:.0f}",
        result.outcome,
        result.delete_seen,
        f"{max(result.loads):.1f}",
    ]


def main(argv: list[str] | None = None) -> None:
    keys = ["plangate", "checkov-custom", "checkov-all", "checkov-json", "terraform-compliance"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--once-from",
        type=int,
        default=10_000,
        metavar="N",
        help="plans this large run each peer once (plangate still --repeat times)",
    )
    parser.add_argument("--skip", nargs="+", default=[], choices=keys, metavar="VARIANT")
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="teams",
        help="plan shape (bench/generate.py --shape)",
    )
    args = parser.parse_args(argv)
    chosen = variants([key for key in keys if key not in args.skip])
    rows = []
    for resources in args.resources:
        for variant in chosen:
            runs = args.repeat
            if resources >= args.once_from and variant.key != "plangate":
                runs = 1
            rows.append(run_variant(variant, resources, runs, args.shape))
    header = f"{machine()}; {args.shape}-shape plans"
    print(f"{header}; wall s is the median of the runs, peak RSS the largest\n")
    print(
        markdown_table(
            [
                "tool",
                "version",
                "resources",
                "runs",
                "wall s",
                "CPU s",
                "peak RSS MiB",
                "force_destroy found / injected",
                "pure delete seen",
                "load avg at start",
            ],
            rows,
        )
    )
    print(f"\nPeak RSS read by: {', '.join(sorted(RSS_SOURCES))} (bench/_measure.py).")


if __name__ == "__main__":
    main()
