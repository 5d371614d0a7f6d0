"""Reading the requirements document: headings with ids, the 'Verified by' line, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangate.errors import InputError
from plangate.requirements import Requirement, load_requirements, parse_requirements

DOCUMENT = """# Requirements

Intro text mentioning REQ-999 in passing is not a definition.

### REQ-001: Nine modules
Prose.

### REQ-002: Runbooks are reviewed
> "All 6 files"

- **Verified by:** the on-call review of each runbook
Verified by: a second line is prose, not a second verification
"""


def test_headings_define_requirements_in_order_with_their_verification() -> None:
    assert parse_requirements(DOCUMENT, "doc.md") == (
        Requirement("REQ-001", "Nine modules"),
        Requirement("REQ-002", "Runbooks are reviewed", "the on-call review of each runbook"),
    )


def test_an_id_defined_twice_names_the_line() -> None:
    with pytest.raises(InputError, match=r"^doc.md:3: REQ-001 is defined twice$"):
        parse_requirements("### REQ-001: a\n\n### REQ-001: b\n", "doc.md")


def test_an_unreadable_document_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_requirements(tmp_path / "missing.md")
    assert str(caught.value).startswith(f"{tmp_path / 'missing.md'}: cannot read the requirements")
    assert "\n" not in str(caught.value)
