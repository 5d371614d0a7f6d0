"""The one error the checkov integration raises: the gate could not get a verdict from checkov.

It exits 2, like a plan file plangate cannot read: nothing was judged, so the run is neither a
pass (0) nor a list of violations a report explains (1). A checkov that was asked for and
failed must never look like either.
"""

from __future__ import annotations

from plangate.errors import PlanGateError


class CheckovError(PlanGateError):
    """checkov is missing, too old, crashed, timed out or gave an answer plangate cannot trust."""

    exit_code = 2
