"""Errors that plangate turns into exit codes; library code raises, only the CLI exits."""


class PlanGateError(Exception):
    """Base class: every expected failure carries a one-line message and an exit code."""

    exit_code = 2


class InputError(PlanGateError):
    """The input is not what plangate accepts (bad file, bad plan, bad configuration)."""

    exit_code = 2
