"""Load a plan from a file or standard input, refusing anything else with a one-line reason."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from plangate.errors import InputError
from plangate.memory import collector_paused
from plangate.plan import detect
from plangate.plan.decode import DecodedBytes, utf8_body
from plangate.plan.digest import Sha256InBackground
from plangate.plan.model import Plan, PlanDocument, decode_document
from plangate.plan.schema import schema_problem
from plangate.plan.state import StateDocument, StateValues
from plangate.plan.wire import ValueRefused

STDIN = "-"
SUPPORTED_FORMATS = ">= 0.1, < 2.0"


@dataclass(frozen=True, slots=True)
class PlanSource:
    """Where a plan came from, for reports and evidence."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """A plan with its provenance and what the loader had to tolerate to read it."""

    plan: Plan
    source: PlanSource
    notes: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.source.name


@dataclass(frozen=True, slots=True)
class LoadedState:
    """A state from `terraform show -json` (no plan file): what Terraform believes exists."""

    values: StateValues
    terraform_version: str | None
    source: PlanSource

    @property
    def name(self) -> str:
        return self.source.name


def load_plan(path: str | Path) -> LoadedPlan:
    """Read a plan from a path, or from standard input when the path is `-`."""
    name = str(path)
    if name == STDIN:
        return parse_plan(sys.stdin.buffer.read(), "<stdin>")
    return parse_plan(_read(path, "plan", _SHOW), name)


def load_state(path: str | Path) -> LoadedState:
    """Read the state that `terraform show -json` prints without a plan file."""
    name = str(path)
    data = sys.stdin.buffer.read() if name == STDIN else _read(path, "state", _SHOW_STATE)
    digest = Sha256InBackground(data)
    decoded = utf8_body(data, name)
    if decoded.start < 0:
        raise InputError(f"{name}: empty input; expected the JSON written by {_SHOW_STATE}")
    values: StateValues | None = None
    with collector_paused():
        try:
            document = msgspec.json.decode(decoded.body, type=StateDocument)
            if document.is_plan:
                raise InputError(
                    f"{name}: a plan; expected the state JSON of {_SHOW_STATE} (pass plans with --plan)"
                )
            if document.values is not msgspec.UNSET:
                _check_format_version(document.format_version, name)
                values = StateValues.from_wire(document.values)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            values = None
    source = PlanSource(name=name, sha256=digest.hexdigest(), size=len(data))
    if values is None:  # not plainly a state: read it the careful way, which says what it is
        return _slow_state(decoded, name, source)
    return LoadedState(values=values, terraform_version=document.terraform_version, source=source)


def _slow_state(decoded: DecodedBytes, name: str, source: PlanSource) -> LoadedState:
    """The state read the careful way, which can say exactly what is wrong with it."""
    document = _parse_json(decoded, name)
    if not isinstance(document, dict) or detect.kind_of_document(document) != "state":
        what = (
            "a plan"
            if isinstance(document, dict) and "resource_changes" in document
            else ("not a state document")
        )
        raise InputError(
            f"{name}: {what}; expected the state JSON of {_SHOW_STATE} (pass plans with --plan)"
        )
    _check_format_version(document.get("format_version"), name)
    if not isinstance(document.get("values", {}), dict | None):
        raise InputError(f"{name}: values is not an object; expected {_SHOW_STATE} output")
    terraform_version = document.get("terraform_version")
    try:
        values = StateValues.from_dict(document.get("values"))
    except (msgspec.ValidationError, RecursionError):
        raise InputError(
            f"{name}: a resource in values lacks address, type or name; expected {_SHOW_STATE} output"
        ) from None
    return LoadedState(
        values=values,
        terraform_version=terraform_version if isinstance(terraform_version, str) else None,
        source=source,
    )


def _read(path: str | Path, what: str, command: str) -> bytes:
    name = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"{name}: no such file; expected a {what} exported with {command}"
        ) from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; expected a {what} JSON file") from None
    except OSError as error:
        raise InputError(
            f"{name}: cannot read ({error.strerror}); expected a readable {what} file"
        ) from None


_SHOW = "`terraform show -json PLANFILE`"
_SHOW_STATE = "`terraform show -json` (run without a plan file)"


def parse_plan(data: bytes, name: str) -> LoadedPlan:
    """Decode, recognise, type-check and model one plan document.

    One typed pass of msgspec over the bytes does the work for a good plan. Anything it
    refuses is read again the careful way (json.loads, then the envelope's JSON Schema), only
    to say exactly what is wrong: what the input is, or the JSON pointer that fails.
    """
    digest = Sha256InBackground(data)
    if detect.is_blank(data):
        raise InputError(f"{name}: empty input; expected the JSON written by {_SHOW}")
    if detect.is_zip(data):
        raise InputError(
            f"{name}: this is a binary plan file (a zip archive), not JSON; {detect.SHOW_JSON}"
        )
    decoded = utf8_body(data, name)
    _check_starts_like_json(decoded, name)
    with collector_paused():
        plan = _plan(decoded, name)
    source = PlanSource(name=name, sha256=digest.hexdigest(), size=len(data))
    return LoadedPlan(plan=plan, source=source, notes=decoded.notes)


def _check_starts_like_json(decoded: DecodedBytes, name: str) -> None:
    if decoded.start < 0:
        raise InputError(f"{name}: empty input; expected the JSON written by {_SHOW}")
    if decoded.first in (b"{", b"["):
        return
    head = decoded.head()
    if detect.looks_like_text_plan(head):
        raise InputError(
            f"{name}: this is the human-readable plan text, not JSON; run `terraform plan -out=tfplan`, "
            f"then {_SHOW.replace('PLANFILE', 'tfplan')}"
        )
    raise InputError(
        f"{name}: not JSON (it starts with {_excerpt(head)}); expected the output of {_SHOW}"
    )


_PLAN_KEYS = ("resource_changes", "planned_values", "configuration", "output_changes")


def _plan(decoded: DecodedBytes, name: str) -> Plan:
    try:
        document = decode_document(decoded.body)
        if not any(document.present(key) for key in _PLAN_KEYS):
            _refuse_if_wrong(_parse_json(decoded, name), name)
        redacted = not document.present("format_version") and document.present(
            "plan_format_version"
        )
        _check_format_version(
            document.plan_format_version if redacted else _present(document, "format_version"),
            name,
        )
        return Plan(document, source_format="redacted" if redacted else "plan")
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as error:
        raise _explained(decoded, name, error) from None
    except ValueRefused as refused:
        raise InputError(f"{name}: {refused}; expected the output of {_SHOW}") from None


def _present(document: PlanDocument, key: str) -> Any:
    return getattr(document, key) if document.present(key) else None


def _explained(decoded: DecodedBytes, name: str, error: Exception) -> InputError:
    """The one-line reason a document the typed pass refused is not a plan."""
    document = _parse_json(decoded, name)
    _refuse_if_wrong(document, name)
    try:
        problem = schema_problem(document)
    except RecursionError:
        return InputError(
            f"{name}: modules nested too deeply to be a plan; expected the output of {_SHOW}"
        )
    if problem is not None:
        return InputError(f"{name}: not a valid plan at {_one_line(problem)}")
    if isinstance(error, RecursionError):
        return InputError(
            f"{name}: JSON nested too deeply to be a plan; expected the output of {_SHOW}"
        )
    if isinstance(error, msgspec.DecodeError):
        return InputError(f"{name}: invalid JSON ({error}); expected the output of {_SHOW}")
    return InputError(f"{name}: not a valid plan at {_pointer(str(error))}")


_MSGSPEC_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$")


def _pointer(message: str) -> str:
    """msgspec's `Expected X - at `$.a[0].b`` as `/a/0/b: expected X`."""
    match = _MSGSPEC_PATH.match(_one_line(message))
    assert match is not None  # the pattern matches any line
    steps = re.findall(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]", match["path"] or "")
    pointer = "".join(f"/{key or index}" for key, index in steps)
    text = match["message"]
    return f"{pointer or '/'}: {text[:1].lower()}{text[1:]}"


def _parse_json(decoded: DecodedBytes, name: str) -> Any:
    text = decoded.text()
    stripped = text.lstrip("\ufeff \t\r\n")
    try:
        return json.loads(stripped)
    except RecursionError:
        raise InputError(
            f"{name}: JSON nested too deeply to be a plan; expected the output of {_SHOW}"
        ) from None
    except json.JSONDecodeError as error:
        raise _json_error(stripped, error, name) from None
    except ValueError:  # an integer beyond Python's digit limit (sys.get_int_max_str_digits)
        raise InputError(
            f"{name}: a JSON number has too many digits to be a plan value; expected the output of {_SHOW}"
        ) from None


def _json_error(text: str, error: json.JSONDecodeError, name: str) -> InputError:
    where = f"line {error.lineno} column {error.colno}"
    if error.msg == "Extra data":
        if detect.looks_like_ui_stream(text):
            return InputError(
                f"{name}: this is the `terraform plan -json` log stream (JSON Lines), not a plan; "
                f"run `terraform plan -out=tfplan`, then {_SHOW.replace('PLANFILE', 'tfplan')}"
            )
        return InputError(
            f"{name}: unexpected data after the JSON document at {where}; expected one plan document"
        )
    if error.pos >= len(text.rstrip()):
        return InputError(
            f"{name}: the JSON ends early at {where} (truncated?); expected a complete plan document"
        )
    return InputError(
        f"{name}: invalid JSON at {where}: {error.msg}; expected the output of {_SHOW}"
    )


def _refuse_if_wrong(document: Any, name: str) -> None:
    """Refuse what is not a plan at all, saying what it is: state, a log line, an array."""
    if not isinstance(document, dict):
        kind = "an array" if isinstance(document, list) else "not an object"
        raise InputError(
            f"{name}: the JSON document is {kind}; expected a plan object from {_SHOW}"
        )
    kind = detect.kind_of_document(document)
    if kind == "state":
        raise InputError(f"{name}: this is a state document, not a plan; {detect.SHOW_JSON}")
    if kind == "unknown" and document.get("type") == "version":
        raise InputError(
            f"{name}: this is a `terraform plan -json` log line, not a plan; {detect.SHOW_JSON}"
        )
    version = (
        document.get("plan_format_version")
        if kind == "redacted"
        else document.get("format_version")
    )
    _check_format_version(version, name)


def _check_format_version(version: Any, name: str) -> None:
    if version is None:
        raise InputError(f"{name}: no format_version; expected a plan document from {_SHOW}")
    if not isinstance(version, str):  # say its type, not its content: it may be anything
        raise InputError(
            f"{name}: format_version is not a string; expected MAJOR.MINOR such as 1.2"
        )
    parts = version.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise InputError(
            f"{name}: invalid format_version {_excerpt(str(version))}; expected MAJOR.MINOR such as 1.2"
        )
    if not (0, 1) <= (int(parts[0]), int(parts[1])) < (2, 0):
        raise InputError(
            f"{name}: plan format_version {version} is not supported; plangate reads {SUPPORTED_FORMATS}"
        )


def _excerpt(text: str, limit: int = 24) -> str:
    return repr(_one_line(text[:limit]) + ("…" if len(text) > limit else ""))


def _one_line(text: str) -> str:
    return " ".join(text.split())
