"""The project's requirements document, read so that evidence can trace each requirement.

The document is Markdown for people (docs/requirements.md in this repository; the setting
`requirements` names it elsewhere). plangate reads only its headings and one marker line:

    ### REQ-012: Buckets keep their objects when Terraform destroys them
    ...prose, quotes, the controls that enforce it...
    Verified by: the quarterly restore drill (only for a requirement no control checks)

Controls point at requirements, not the other way round: a policy declares
`requirements=("REQ-012",)` and a scenario carries the tag `@REQ-012`, so the document can
never claim a control that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from plangate.errors import InputError

_HEADING = re.compile(r"^#{2,4}\s+(REQ-[0-9]{3}):\s*(\S.*?)\s*$")
_VERIFIED_BY = re.compile(r"^\s*(?:[-*]\s+)?\**Verified by:?\**:?\s*(\S.*?)\s*$")


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement: its stable id, its title, and how it is verified when no control
    of the gate can check it (None when controls enforce it)."""

    id: str
    title: str
    verified_by: str | None = None


def parse_requirements(text: str, source: str) -> tuple[Requirement, ...]:
    """Every `REQ-NNN: title` heading of the document, in order; an id twice is an error."""
    found: list[Requirement] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading:
            requirement_id, title = heading.groups()
            if requirement_id in seen:
                raise InputError(f"{source}:{number}: {requirement_id} is defined twice")
            seen.add(requirement_id)
            found.append(Requirement(requirement_id, title))
            continue
        verified = _VERIFIED_BY.match(line)
        if verified and found and found[-1].verified_by is None:
            last = found[-1]
            found[-1] = Requirement(last.id, last.title, verified.group(1))
    return tuple(found)


def load_requirements(path: Path) -> tuple[Requirement, ...]:
    """The requirements of the document at `path`; an unreadable file is one line, exit 2."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise InputError(
            f"{path}: cannot read the requirements document ({reason}); expected Markdown "
            "with '### REQ-001: title' headings"
        ) from None
    return parse_requirements(text, str(path))
