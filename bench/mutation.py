"""Mutation testing of the core, one package (or module) at a time, in bounded time.

    .venv/bin/python bench/mutation.py --package plan --budget 900
    .venv/bin/python bench/mutation.py --module src/plangate/policy/engine.py --budget 600
    .venv/bin/python bench/mutation.py --package policy --show-survivors

mutmut (the `mutation` extra: `pip install -e '.[mutation]'`) changes one thing in the code
at a time (a flipped comparison, `and` for `or`, `break` for `continue`, a changed constant,
a removed call...) and runs the tests that cover the changed function; a mutant that no
test notices ("survived") is behaviour no test pins. The settings live in pyproject.toml
under [tool.mutmut]; this script narrows them to one package so that a run stays bounded:

- the tree (tracked and untracked, not ignored files) is copied to a scratch folder, so the
  `mutants/` folder mutmut writes never lands in the working tree;
- only the chosen package or module is mutated, and only the test modules that cover it run
  (TESTS below): mutmut first records which of those tests reach each function, then runs,
  for each mutant, only the tests that reach its function;
- one worker process (`--max-children 1`), and a wall-clock budget: when it runs out the
  run is stopped and the mutants not yet tested count as "not checked".

It prints killed / survived / timeout / not checked per module and package, and the score
(killed over everything tested).

mutmut leaves decorated functions alone (`@property`, `@cache`...). `--cosmic-ray` mutates
one module with cosmic-ray instead (also in the `mutation` extra), decorated functions included,
in the same kind of scratch copy and with the same tests and budget:

    .venv/bin/python bench/mutation.py --module src/plangate/plan/actions.py --cosmic-ray Survivors are triaged in docs/mutation-equivalents.md
(equivalent, with the reason) or killed by a test. Not run in CI: a package takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE = ("plan", "policy", "config", "inventory", "report", "bdd")

# The tests that cover each package. Not tests/bdd/test_inventory_steps.py,
# tests/test_features.py nor tests/test_evidence_conformance.py: they run the features in a
# pytest subprocess, which imports the installed (unmutated) plangate, so they can kill
# nothing, and from the scratch copy it would load the catalogue from two trees.
TESTS: dict[str, list[str]] = {
    "plan": [
        "tests/test_plan_values.py",
        "tests/test_plan_model.py",
        "tests/test_plan_load.py",
        "tests/test_plan_releases.py",
        "tests/test_summary.py",
        "tests/test_engine.py",
        "tests/test_plan_fuzz.py",
        "tests/test_infrastructure_plans.py",
        "tests/test_reliability.py",
        "tests/test_mutation_plan.py",
    ],
    "policy": [
        "tests/test_engine.py",
        "tests/test_waivers.py",
        "tests/test_policy_settings.py",
        "tests/test_gate.py",
        "tests/test_catalogue_doc.py",
        "tests/test_policy_registry.py",
        "tests/test_policy_expect.py",
        "tests/policies",
    ],
    "config": [
        "tests/test_config_addresses.py",
        "tests/test_config_consistency.py",
        "tests/test_config_hcl.py",
        "tests/test_config_infrastructure.py",
        "tests/test_config_reader.py",
        "tests/test_config_scan.py",
        "tests/test_mutation_config.py",
        "tests/test_gate.py",
        "tests/test_infrastructure_plans.py",
    ],
    "inventory": ["tests/inventory"],
    "report": [
        "tests/test_report_common.py",
        "tests/test_report_json.py",
        "tests/test_report_markdown.py",
        "tests/test_report_sarif.py",
        "tests/test_report_text.py",
        "tests/test_mutation_report.py",
        "tests/test_cli_conform.py",
    ],
    "bdd": [
        "tests/bdd/test_assert.py",
        "tests/bdd/test_collect.py",
        "tests/bdd/test_compare.py",
        "tests/bdd/test_environments.py",
        "tests/bdd/test_mutation_bdd.py",
        "tests/bdd/test_plan_level.py",
        "tests/bdd/test_policy_step.py",
        "tests/bdd/test_relations.py",
        "tests/bdd/test_select.py",
    ],
}

_RESULT = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+?)\s*$")


def _copy_tree(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file() or name.startswith(("mutants/", "bench/out/")):
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    # The built-in catalogue installs as plangate.catalogue from policies/ (an editable install
    # maps it to the working tree's policies/); in the copy it must be the copy's policies/, or
    # every policy would register twice from two paths.
    _catalogue_link(target / "mutants" / "src" / "plangate" / "catalogue")


def _catalogue_link(catalogue: Path) -> None:
    catalogue.parent.mkdir(parents=True, exist_ok=True)
    catalogue.symlink_to(Path("..", "..", "policies"), target_is_directory=True)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value))


# mutmut tests each mutant in a process forked from one that has already run the tests, so
# a function behind a cache (`@cache`: the mapping table, the schemas, the HCL parser) would
# answer from the cache filled by the unmutated code and its mutants could never be caught.
# This plugin, on the path of mutmut's pytest runs only, empties plangate's caches before
# every test.
_FRESH_CACHES = """
import sys


def pytest_runtest_setup(item):
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "plangate" and module is not None:
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
"""


def _narrow_settings(pyproject: Path, only: list[str], tests: list[str]) -> None:
    """Keep the project's [tool.mutmut] but mutate `only`, select `tests`, empty caches."""
    text = pyproject.read_text("utf-8")
    settings = tomllib.loads(text)["tool"]["mutmut"]
    settings.update(only_mutate=only, pytest_add_cli_args_test_selection=tests)
    settings["pytest_add_cli_args"] = [*settings["pytest_add_cli_args"], "-p", "fresh_caches"]
    start = text.index("[tool.mutmut]")
    end = text.find("\n[", start + 1)
    section = "\n".join(
        ["[tool.mutmut]", *(f"{key} = {_toml(value)}" for key, value in settings.items())]
    )
    pyproject.write_text(text[:start] + section + ("\n" if end == -1 else text[end:]), "utf-8")


# mutmut first checks its setup by making every mutated function raise and expecting a test
# to fail. When the mutated code is the pytest plugin's own (bdd/ decides, while pytest
# collects, which files are features), that makes collection itself fail, pytest exits 4
# and mutmut takes it for a bad command line. The check is skipped there: the stats phase
# (which test reaches which function) already shows the mutated code is the code tested.
_WITHOUT_FORCED_FAIL = (
    "import sys, mutmut.__main__ as m; m.run_forced_fail_test = lambda runner: None;"
    " sys.argv[0] = 'mutmut'; m.cli()"
)


def _run_mutmut(workdir: Path, budget: float, log: Path, *, forced_fail: bool) -> str:
    """Run mutmut with one worker until done or out of budget: finished, failed or stopped."""
    start = ["-m", "mutmut"] if forced_fail else ["-c", _WITHOUT_FORCED_FAIL]
    command = [sys.executable, *start, "run", "--max-children", "1"]
    plugins = workdir / "mutation-plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "fresh_caches.py").write_text(_FRESH_CACHES.lstrip(), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(plugins), "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            process.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            return "stopped at the budget"
    return "finished" if process.returncode == 0 else f"failed (exit {process.returncode})"


def _cosmic_ray(workdir: Path, module: str, tests: list[str], budget: float) -> int:
    """Mutate one module with cosmic-ray in the scratch copy (it edits the file in place)."""
    bin_dir = Path(sys.executable).parent
    command = " ".join(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    )
    (workdir / "cosmic-ray.toml").write_text(
        "\n".join(
            [
                "[cosmic-ray]",
                f"module-path = {json.dumps(module)}",
                "timeout = 60.0",
                "excluded-modules = []",
                f"test-command = {json.dumps(command)}",
                "",
                "[cosmic-ray.distributor]",
                'name = "local"',
                "",
            ]
        ),
        "utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(workdir / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    cosmic = str(bin_dir / "cosmic-ray")
    subprocess.run(
        [cosmic, "init", "cosmic-ray.toml", "session.sqlite"], cwd=workdir, env=env, check=True
    )
    process = subprocess.Popen(
        [cosmic, "exec", "cosmic-ray.toml", "session.sqlite"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        print("stopped at the budget")
    report = subprocess.run(
        [str(bin_dir / "cr-report"), "--show-diff", "--surviving-only", "session.sqlite"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    print(report)
    return 0


def _results(workdir: Path) -> dict[str, str]:
    listed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    found = {}
    for line in listed.splitlines():
        match = _RESULT.match(line)
        if match:
            found[match["name"]] = match["status"]
    return found


def _module_of(mutant: str) -> str:
    """`plangate.plan.values.x_resolve__mutmut_3` and `...actions.xǁActionsǁkind__mutmut_1`."""
    match = re.match(r"(.+?)\.x[_ǁ]", mutant)
    return match[1] if match else mutant.rsplit(".", 1)[0]


def _show(workdir: Path, mutant: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "mutmut", "show", mutant],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def _score(counts: Counter[str]) -> str:
    tested = counts["killed"] + counts["survived"] + counts["timeout"]
    caught = counts["killed"] + counts["timeout"]
    return f"{100 * caught / tested:.1f} %" if tested else "n/a"


def _report(results: dict[str, str]) -> str:
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for mutant, status in results.items():
        status = {"not checked": "not checked", "no tests": "no tests"}.get(status, status)
        by_module[_module_of(mutant)][status] += 1
    by_package: dict[str, Counter[str]] = defaultdict(Counter)
    rows = ["module                                killed survived timeout other  score"]
    for module in sorted(by_module):
        counts = by_module[module]
        by_package[".".join(module.split(".")[:2])].update(counts)
        rows.append(_row(module, counts))
    rows.append("")
    rows.extend(_row(package, counts) for package, counts in sorted(by_package.items()))
    return "\n".join(rows)


def _row(name: str, counts: Counter[str]) -> str:
    other = sum(n for s, n in counts.items() if s not in ("killed", "survived", "timeout"))
    return (
        f"{name:<37} {counts['killed']:>6} {counts['survived']:>8} {counts['timeout']:>7}"
        f" {other:>5}  {_score(counts)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--package", choices=CORE, help="a core package under src/plangate/")
    target.add_argument(
        "--module", nargs="+", help="files of one package, e.g. src/plangate/plan/values.py"
    )
    parser.add_argument("--tests", nargs="+", help="test files to run (default: the package's)")
    parser.add_argument("--budget", type=float, default=900, help="seconds of wall time (900)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--show-survivors", action="store_true", help="print each survivor's diff")
    parser.add_argument(
        "--cosmic-ray", action="store_true", help="mutate --module with cosmic-ray instead"
    )
    args = parser.parse_args(argv)

    if args.module:
        first = Path(args.module[0])
        package = first.parts[2] if len(first.parts) > 3 else ""
        only = args.module
    else:
        package = args.package
        only = [f"src/plangate/{package}/*"]
    tests = args.tests or TESTS.get(package, ["tests"])
    tests = [t for t in tests if (REPO / t).exists()]

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="plangate-mutation-"))
    started = time.monotonic()
    try:
        _copy_tree(workdir)
        if args.cosmic_ray:
            if not args.module or len(args.module) > 1:
                parser.error("--cosmic-ray mutates one --module")
            _catalogue_link(workdir / "src" / "plangate" / "catalogue")
            return _cosmic_ray(workdir, args.module[0], tests, args.budget)
        _narrow_settings(workdir / "pyproject.toml", only, tests)
        log = workdir / "mutmut.log"
        plugin_code = any(path.startswith("src/plangate/bdd/") for path in only)
        outcome = _run_mutmut(workdir, args.budget, log, forced_fail=not plugin_code)
        results = _results(workdir)
        print(f"mutated: {', '.join(only)}")
        print(f"tests:   {' '.join(tests)}")
        print(f"{outcome} after {time.monotonic() - started:.0f} s; log: {log}")
        if not results:
            print((log.read_text("utf-8", "replace"))[-3000:])
            return 1
        print(_report(results))
        survivors = sorted(m for m, s in results.items() if s == "survived")
        if survivors:
            print(f"\nsurvivors ({len(survivors)}):")
            for mutant in survivors:
                print(_show(workdir, mutant) if args.show_survivors else f"  {mutant}")
        return 0
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
