"""The `plangate` command. Exit codes: 0 pass, 1 violations or drift, 2 bad input or usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from plangate import __version__
from plangate.errors import PlanGateError
from plangate.plan import load_plan
from plangate.summary import render_json, render_text, summarize

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="plangate", description=__doc__)
    parser.add_argument("--version", action="version", version=f"plangate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    summary = commands.add_parser("summary", help="count and list what a plan will change")
    summary.add_argument("plan", metavar="PLAN", help="plan JSON from `terraform show -json`, or - for stdin")
    summary.add_argument("--format", choices=("text", "json"), default="text")
    summary.set_defaults(handler=_summary)
    return parser


def _summary(args: argparse.Namespace) -> int:
    loaded = load_plan(args.plan)
    rendered = render_json if args.format == "json" else render_text
    print(rendered(summarize(loaded)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except PlanGateError as error:
        print(f"plangate: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - fail closed with one line, not a traceback
        if os.environ.get("PLANGATE_DEBUG"):
            raise
        detail = " ".join(str(error).split())[:200]
        print(f"plangate: internal error: {type(error).__name__}: {detail} (PLANGATE_DEBUG=1 shows more)", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
