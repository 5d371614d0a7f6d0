"""The `plangate` command. Exit codes: 0 pass, 1 violations or drift, 2 bad input or usage,
3 inventory unreachable, permission denied or incomplete."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from plangate import __version__
from plangate.errors import InputError, PlanGateError
from plangate.files import write_atomically
from plangate.memory import collector_paused
from plangate.plan import load_plan
from plangate.plan.wire import ValueRefused
from plangate.policy import Severity
from plangate.settings import find_settings
from plangate.summary import render_json, render_text, summarize

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EVIDENCE_VERIFY = "evidence-verify"


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="plangate", description=__doc__)
    parser.add_argument("--version", action="version", version=f"plangate {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    summary = commands.add_parser("summary", help="count and list what a plan will change")
    summary.add_argument(
        "plan", metavar="PLAN", help="plan JSON from `terraform show -json`, or - for stdin"
    )
    summary.add_argument("--format", choices=("text", "json"), default="text")
    summary.set_defaults(handler=_summary)

    check = commands.add_parser("check", help="judge plans against the policy catalogue")
    check.add_argument(
        "plans", nargs="*", metavar="PLAN", help="plan JSON files (default: the configured plans)"
    )
    check.add_argument(
        "--expect-no-changes", action="store_true", help="any change, import, move or drift fails"
    )
    check.add_argument(
        "--env", metavar="NAME", help="judge as this environment (default: the plan's own)"
    )
    check.add_argument(
        "--config", metavar="DIR", type=Path, help="Terraform directory the plan must match"
    )
    check.add_argument(
        "--waivers", metavar="FILE", type=Path, help="waivers file (default: policies/waivers.yaml)"
    )
    check.add_argument("--format", choices=("text", "json", "sarif", "markdown"), default="text")
    check.add_argument(
        "--output", metavar="FILE", type=Path, help="write the report here instead of stdout"
    )
    check.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.INFO.value,
        help="lowest severity whose failures fail the gate (errors always do)",
    )
    check.add_argument(
        "--with-checkov",
        action="store_true",
        help="also run checkov's checks from its own environment (plangate checkov-install)",
    )
    check.add_argument(
        "--verbose",
        action="store_true",
        help="text report: also each plan's hash, the passing policies and every waived finding",
    )
    check.set_defaults(handler=_check)

    checkov = commands.add_parser(
        "checkov-install",
        help="install checkov into its own virtualenv in the user cache (for --with-checkov)",
    )
    checkov.set_defaults(handler=_checkov_install)

    conform = commands.add_parser(
        "conform",
        help="cross-check Terraform's state against Cloud Asset Inventory (live or an export)",
    )
    terraform = conform.add_argument_group("Terraform (repeatable)")
    terraform.add_argument(
        "--plan",
        dest="plans",
        action="append",
        default=[],
        metavar="PLAN",
        help="plan JSON; its prior_state is what Terraform manages",
    )
    terraform.add_argument(
        "--state",
        dest="states",
        action="append",
        default=[],
        metavar="STATE",
        help="state JSON from `terraform show -json` without a plan file",
    )
    where = conform.add_mutually_exclusive_group()
    where.add_argument("--project", metavar="ID", help="list the project live (ListAssets)")
    where.add_argument("--folder", metavar="ID", help="list a folder live")
    where.add_argument("--organization", metavar="ID", help="list an organisation live")
    where.add_argument(
        "--inventory",
        metavar="PATH",
        type=Path,
        help="an export: NDJSON file, folder of per-type shards, or gcloud JSON",
    )
    conform.add_argument("--env", metavar="NAME", help="judge as this environment")
    conform.add_argument(
        "--waivers", metavar="FILE", type=Path, help="waivers file (default: policies/waivers.yaml)"
    )
    conform.add_argument("--format", choices=("text", "json", "sarif", "markdown"), default="text")
    conform.add_argument(
        "--output", metavar="FILE", type=Path, help="write the report here instead of stdout"
    )
    conform.add_argument(
        "--verbose",
        action="store_true",
        help="text report: also each plan's hash, the passing policies and every waived finding",
    )
    conform.set_defaults(handler=_conform)

    evidence = commands.add_parser(
        "evidence",
        help="run the gate's features and policies and write the auditors' evidence report",
        epilog="`plangate evidence verify REPORT.json` checks a report against the working tree.",
    )
    evidence.add_argument(
        "plans", nargs="*", metavar="PLAN", help="plan JSON files (default: the configured plans)"
    )
    evidence.add_argument(
        "--output", metavar="FILE", type=Path, default=Path("evidence/report.html")
    )
    evidence.add_argument(
        "--attestation",
        metavar="FILE",
        type=Path,
        help="also write an in-toto Statement: the plans as subjects, the evidence as predicate",
    )
    evidence.add_argument("--env", metavar="NAME", help="judge every plan as this environment")
    evidence.add_argument(
        "--with-checkov", action="store_true", help="also run checkov's checks on every plan"
    )
    live = evidence.add_mutually_exclusive_group()
    live.add_argument(
        "--cai-export", metavar="PATH", help="also prove conformance against this inventory export"
    )
    live.add_argument(
        "--cai-project", metavar="ID", help="also prove conformance against this project, live"
    )
    evidence.set_defaults(handler=_evidence)

    # `plangate evidence verify REPORT` (main() routes it here; not listed among the commands)
    verify = commands.add_parser(
        EVIDENCE_VERIFY,
        prog="plangate evidence verify",
        description="Hash the plans and control files a report pins, in this working tree, and "
        "name every difference. Exit 0 when all match, 1 when any differs, 2 when REPORT is "
        "not an evidence report.",
    )
    verify.add_argument("report", metavar="REPORT", type=Path, help="report.json of a run")
    verify.set_defaults(handler=_evidence_verify)

    init = commands.add_parser(
        "init", help="scaffold a repository: settings, an example policy and feature, CI"
    )
    init.add_argument(
        "directory", nargs="?", type=Path, default=Path(), help="repository root (default: .)"
    )
    init.set_defaults(handler=_init)

    tc = commands.add_parser(
        "tc", help="run terraform-compliance feature files unchanged on a plan (drop-in)"
    )
    tc.add_argument("-f", "--features", required=True, type=Path, help="feature directory or file")
    tc.add_argument(
        "-p", "--planfile", required=True, type=Path, help="plan JSON (terraform show -json)"
    )
    tc.add_argument("-q", "--quiet", action="store_true", help="only failures and the summary")
    tc.add_argument("--no-ansi", action="store_true", help="no colours")
    tc.add_argument("--wip", action="store_true", help="run only scenarios tagged @wip")
    tc.set_defaults(handler=_tc)

    policies = commands.add_parser("policies", help="list the policy catalogue")
    policies.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    policies.set_defaults(handler=_policies)
    return parser


def _check(args: argparse.Namespace) -> int:
    from plangate.gate import GateOptions, hcl_locator, run_gate
    from plangate.report import render

    settings = find_settings(Path.cwd())
    options = GateOptions(
        plans=tuple(args.plans),
        environment=args.env,
        config_dir=args.config,
        waivers_file=args.waivers,
        expect_no_changes=args.expect_no_changes,
        fail_on=Severity(args.fail_on),
        with_checkov=args.with_checkov,
    )
    with collector_paused():  # one run that frees almost nothing before it ends
        report = run_gate(settings, options)
        text = render(report, args.format, hcl_locator(settings.root), verbose=args.verbose)
    _write(text, args.output)
    return report.exit_code


def _tc(args: argparse.Namespace) -> int:
    """terraform-compliance's exit codes: 0 all passed or skipped, 1 a scenario failed; bad input 2."""
    from plangate.tc import run_features
    from plangate.tc.console import render_run

    result = run_features([args.features], args.planfile, wip=args.wip)
    colour = not args.no_ansi and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render_run(result, colour=colour, quiet=args.quiet))
    return result.exit_code


def _conform(args: argparse.Namespace) -> int:
    from plangate.conform import ConformOptions, run_conformance
    from plangate.report import render

    scope = next(
        (
            f"{kind}/{value}"
            for kind, value in (
                ("projects", args.project),
                ("folders", args.folder),
                ("organizations", args.organization),
            )
            if value is not None  # an empty value is refused as a scope, never ignored
        ),
        None,
    )
    options = ConformOptions(
        plans=tuple(args.plans),
        states=tuple(args.states),
        scope=scope,
        inventory=args.inventory,
        environment=args.env,
        waivers_file=args.waivers,
    )
    report = run_conformance(find_settings(Path.cwd()), options)
    _write(render(report, args.format, verbose=args.verbose), args.output)
    return report.exit_code


def _write(text: str, output: Path | None) -> None:
    if output is None:
        print(text)
        return
    write_atomically(output, text + "\n")


def _evidence(args: argparse.Namespace) -> int:
    """Run pytest on the catalogue and the features only; the plugin writes the report."""
    import pytest

    from plangate.gate import policy_dirs

    settings = find_settings(Path.cwd())
    features = settings.root / str(settings.raw.get("features", "features"))
    # The project's own policy folders and features; the plugin adds the built-in catalogue.
    own = [path for path in (*policy_dirs(settings)[1:], features) if path.exists()]
    targets = [str(path) for path in own] or [str(settings.root)]
    pytest_args = [
        *targets,
        f"--rootdir={settings.root}",
        f"--evidence={args.output.resolve()}",
        "-q",
        "-rfE",
        "-p",
        "no:cacheprovider",
        # plangate is imported already (this process), so pytest cannot rewrite its asserts.
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    ]
    pytest_args += [f"--plan={plan}" for plan in args.plans]
    if args.env:
        pytest_args.append(f"--plan-env={args.env}")
    if args.with_checkov:
        pytest_args.append("--with-checkov")
    if args.cai_export:
        pytest_args.append(f"--cai-export={Path(args.cai_export).resolve()}")
    if args.cai_project:
        pytest_args.append(f"--cai-project={args.cai_project}")
    written = [args.output]
    if args.attestation:
        pytest_args.append(f"--evidence-attestation={args.attestation.resolve()}")
        written.append(args.attestation)
    for path in written:  # a stale report must never pass for this run's
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
        except OSError as error:
            raise InputError(
                f"{path}: cannot write the evidence there ({error.strerror})"
            ) from None
    status = pytest.main(pytest_args)
    if args.output.exists():
        print(f"evidence written to {args.output} (and .md, .json beside it)")
    if args.attestation and args.attestation.exists():
        print(f"attestation written to {args.attestation}")
    return {pytest.ExitCode.OK: EXIT_OK, pytest.ExitCode.TESTS_FAILED: EXIT_FAIL}.get(
        status, EXIT_USAGE
    )


def _evidence_verify(args: argparse.Namespace) -> int:
    from plangate.evidence.verify import differences, read_report

    report = read_report(args.report)
    found = list(differences(report, find_settings(Path.cwd())))
    for line in found:
        print(line)
    if found:
        print(f"{args.report}: {len(found)} difference(s) from this working tree")
        return EXIT_FAIL
    print(f"{args.report}: the plans, control files, settings and commit are as recorded")
    return EXIT_OK


def _checkov_install(args: argparse.Namespace) -> int:
    from plangate.checkov import install

    print(f"checkov installed: {install()}")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from plangate.scaffold import init

    done = init(args.directory)
    for path in done.created:
        print(f"created  {path}")
    for path in done.extended:
        print(f"extended {path} with [tool.plangate]")
    print(
        "next: export a plan (terraform show -json tfplan > plan.json), then "
        "`pytest --plan plan.json` or `plangate check plan.json`"
    )
    return EXIT_OK


def _policies(args: argparse.Namespace) -> int:
    from plangate import catalogue_doc
    from plangate.gate import load_project_catalogue
    from plangate.policy import REGISTRY, SETTINGS

    load_project_catalogue(find_settings(Path.cwd()))
    renderer = {
        "text": catalogue_doc.render_text,
        "json": catalogue_doc.render_json,
        "markdown": catalogue_doc.render_markdown,
    }[args.format]
    print(renderer(REGISTRY, SETTINGS), end="" if args.format == "markdown" else "\n")
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    loaded = load_plan(args.plan)
    rendered = render_json if args.format == "json" else render_text
    try:
        summary = summarize(loaded)
    except ValueRefused as refused:
        raise InputError(
            f"{loaded.name}: {refused}; expected the output of `terraform show -json PLANFILE`"
        ) from None
    print(rendered(summary))
    return EXIT_OK


def _route(argv: Sequence[str]) -> list[str]:
    """`plangate evidence verify ...` is its own command; `plangate evidence [PLAN...]` is
    unchanged (a plan file named `verify` is passed as `./verify`)."""
    if list(argv[:2]) == ["evidence", "verify"]:
        return [EVIDENCE_VERIFY, *argv[2:]]
    return list(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_route(sys.argv[1:] if argv is None else argv))
    try:
        return args.handler(args)
    except PlanGateError as error:
        print(f"plangate: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAIL
    except Exception as error:
        if os.environ.get("PLANGATE_DEBUG"):
            raise
        detail = " ".join(str(error).split())[:200]
        print(
            f"plangate: internal error: {type(error).__name__}: {detail} (PLANGATE_DEBUG=1 shows more)",
            file=sys.stderr,
        )
        return EXIT_USAGE


def run() -> NoReturn:
    """The console script: main(), then exit without tearing the process down.

    Reports are written (atomically) and streams flushed by then; freeing a large plan model
    object by object at interpreter shutdown would only cost time (0.15 s at 10,000
    resources) and release memory the operating system takes back anyway.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to deliver
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
