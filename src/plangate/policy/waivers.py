"""Waivers: a reviewed, expiring exception to one policy for matching resource addresses.

Addresses match with `*` (any run of characters) and `?` (one character) only; brackets
and quotes are literal, because Terraform instance keys are full of them.

A waivers file is checked by typed structs that mirror its JSON Schema; jsonschema (slow
to import, about 0.1 s of every start) is consulted only to explain a refusal with its
pointer. YAML is imported when a file is read, not with the model.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from plangate.errors import InputError

if TYPE_CHECKING:
    import yaml
    from jsonschema import Draft202012Validator


@dataclass(frozen=True, slots=True)
class Waiver:
    policy: str
    address: str
    justification: str
    approver: str
    expires: dt.date
    environments: tuple[str, ...] = ()
    ticket: str | None = None

    def matches(self, policy_id: str, address: str, environment: str | None) -> bool:
        if policy_id != self.policy or not _pattern(self.address).fullmatch(address):
            return False
        return not self.environments or environment in self.environments

    def is_expired(self, today: dt.date) -> bool:
        """A waiver is valid through its expiry date."""
        return today > self.expires

    def describe(self) -> str:
        return f"{self.policy} for {self.address} (approved by {self.approver}, expires {self.expires})"


_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class _WaiverEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One waiver as the schema (waivers.schema.json) describes it."""

    policy: Annotated[
        str, msgspec.Meta(pattern=r"^(PG-[A-Z0-9]+-[0-9]{3}|CKV2?_[A-Z0-9]+_[0-9]+)$")
    ]
    address: Annotated[str, msgspec.Meta(min_length=1)]
    environments: tuple[Annotated[str, msgspec.Meta(min_length=1)], ...] = ()
    justification: Annotated[str, msgspec.Meta(min_length=20)]
    approver: Annotated[str, msgspec.Meta(min_length=3)]
    expires: Annotated[str, msgspec.Meta(pattern=_ISO_DATE)]
    ticket: str = None  # type: ignore[assignment]  # absent is None; null is refused

    def __post_init__(self) -> None:
        dt.date.fromisoformat(self.expires)  # the schema's "format": "date": a real day


class _WaiversFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    waivers: tuple[_WaiverEntry, ...]


@cache
def _text_dates_loader() -> type[yaml.SafeLoader]:
    """Safe YAML that keeps timestamps as text: `2027-02-30` must be a schema error with a
    JSON pointer, not a ValueError from building the date."""
    import yaml

    class TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """libyaml's loader where PyYAML was built with it: ten times faster."""

    TextDatesLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", TextDatesLoader.construct_yaml_str
    )
    return TextDatesLoader


@cache
def _pattern(glob: str) -> re.Pattern[str]:
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    )


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    text = (
        resources.files("plangate.policy")
        .joinpath("schema", "waivers.schema.json")
        .read_text("utf-8")
    )
    return Draft202012Validator(
        json.loads(text), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def load_waivers(path: Path) -> tuple[Waiver, ...]:
    """Read and validate a waivers file; any problem is a one-line InputError."""
    import yaml

    try:
        document = yaml.load(path.read_text("utf-8"), Loader=_text_dates_loader())
    except OSError as error:
        raise InputError(f"{path}: cannot read waivers ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: cannot read waivers (not UTF-8 text)") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}: invalid YAML{where}; expected a `waivers:` list") from None
    if document is None:
        document = {"waivers": []}
    document = _dates_as_text(document)
    try:
        checked = msgspec.convert(document, type=_WaiversFile)
    except msgspec.ValidationError as refused:
        raise _explained(path, document, refused) from None
    return tuple(
        Waiver(
            policy=item.policy,
            address=item.address,
            justification=" ".join(item.justification.split()),
            approver=item.approver,
            expires=dt.date.fromisoformat(item.expires),
            environments=item.environments,
            ticket=item.ticket,
        )
        for item in checked.waivers
    )


def _explained(path: Path, document: Any, refused: msgspec.ValidationError) -> InputError:
    """The refusal in the schema's words, with the JSON pointer of the first problem."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(document))
    if error is None:  # the structs are stricter than the schema somewhere: say what they say
        return InputError(f"{path}: invalid waiver: {_short(str(refused))}")
    pointer = "/" + "/".join(str(step) for step in error.absolute_path)
    return InputError(f"{path}: invalid waiver at {pointer}: {_short(error.message)}")


def _dates_as_text(document: Any) -> Any:
    """YAML reads `2027-01-31` as a date; the schema checks the text form."""
    if isinstance(document, dict):
        return {key: _dates_as_text(value) for key, value in document.items()}
    if isinstance(document, list):
        return [_dates_as_text(value) for value in document]
    if isinstance(document, dt.date):
        return document.isoformat()
    return document


def _short(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= 160 else line[:157] + "..."
