"""checkov as an optional second opinion, run as a separate process from its own virtualenv.

checkov cannot share plangate's environment (its bc-python-hcl2 replaces python-hcl2's `hcl2`
module), so `install()` puts it in a private virtualenv and plangate runs it on each plan,
maps its records to plangate results with plangate's own severities and waivers, says a
finding both report once, and merges the rest into the gate's report. docs/checkov.md.
"""

from plangate.checkov.errors import CheckovError
from plangate.checkov.gate_step import add_checkov
from plangate.checkov.installer import PINNED, cache_dir, env_dir, install
from plangate.checkov.locate import Checkov, find_checkov
from plangate.checkov.merge import merge_into
from plangate.checkov.output import CheckRecord, Outcome, Scan
from plangate.checkov.overlap import Overlap, absorb, overlaps
from plangate.checkov.ratings import RATED, Rating, rating
from plangate.checkov.results import to_results
from plangate.checkov.run import DEFAULT_TIMEOUT, run_on_directory, run_on_plan

__all__ = [
    "DEFAULT_TIMEOUT",
    "PINNED",
    "RATED",
    "CheckRecord",
    "Checkov",
    "CheckovError",
    "Outcome",
    "Overlap",
    "Rating",
    "Scan",
    "absorb",
    "add_checkov",
    "cache_dir",
    "env_dir",
    "find_checkov",
    "install",
    "merge_into",
    "overlaps",
    "rating",
    "run_on_directory",
    "run_on_plan",
    "to_results",
]
