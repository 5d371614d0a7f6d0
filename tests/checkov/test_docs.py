"""docs/checkov.md states the tables the code uses: a rating or pair changed in the data files
must be changed on the page too."""

from __future__ import annotations

from plangate.checkov import PINNED, RATED, overlaps, rating
from tests.checkov.conftest import REPO

PAGE = (REPO / "docs" / "checkov.md").read_text("utf-8")


def test_every_rating_is_on_the_page():
    for check_id in RATED:
        rated = rating(check_id)
        row = next(line for line in PAGE.splitlines() if line.startswith(f"| {check_id} | "))
        assert row.startswith(f"| {check_id} | {rated.severity.value} | ")
        assert row.endswith(f"| {rated.reason} |")


def test_every_overlap_pair_is_on_the_page():
    for entry in overlaps():
        assert f"| {entry.policy_id} | {', '.join(entry.checkov_ids)} | {entry.property} |" in PAGE


def test_the_page_names_the_pinned_version():
    assert f"checkov=={PINNED}" in PAGE
