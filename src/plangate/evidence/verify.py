"""Check an evidence report against the working tree: are these the plans and controls it names?

Every plan and pinned file is hashed again where the report says it was (relative to the
project root, or to the installed plangate package), the settings table is hashed in the
same canonical form, and the commit is compared with HEAD. Each difference is one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plangate import __version__
from plangate.errors import InputError
from plangate.evidence.attestation import statement_schema
from plangate.evidence.model import FilePin
from plangate.evidence.pins import git_state, pinned_path, settings_digest, sha256_file
from plangate.settings import PYPROJECT, Settings

_PINNED_FILES = ("waivers", "requirements", "pyproject")


def report_schema() -> dict[str, Any]:
    """What verify reads of a report.json: its plans and its pins (the Statement's definition)."""
    definitions = statement_schema()["$defs"]
    return {
        "$defs": definitions,
        "type": "object",
        "required": ["plangate_version", "plans", "pins"],
        "properties": {
            "plangate_version": {"type": "string"},
            "plans": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "sha256"],
                    "properties": {"name": {"type": "string"}, "sha256": {"type": "string"}},
                },
            },
            "pins": {"$ref": "#/$defs/pins"},
        },
    }


def read_report(path: Path) -> dict[str, Any]:
    """The report, or one line saying why the file is not one."""
    expected = "expected the report.json that `plangate evidence` writes"
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise InputError(f"{path}: cannot read the evidence report ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"{path}: not JSON; {expected}") from None
    import jsonschema  # only verify needs it

    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(report_schema()).iter_errors(document)
    )
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise InputError(
            f"{path}: not a plangate evidence report with pins ({where}: {error.message}); "
            f"{expected}"
        )
    return dict(document)


def differences(report: dict[str, Any], settings: Settings) -> Iterator[str]:
    """One line per plan, control file, setting or commit that is not what the report says."""
    root = settings.root
    for plan in report["plans"]:
        if plan["sha256"] != "-":  # an unreadable plan was never judged
            yield from _compare("plan", FilePin(plan["name"], plan["sha256"]), root)
    pins = report["pins"]
    for kind, key in (("policy module", "policies"), ("feature", "features")):
        for item in pins[key]:
            yield from _compare(kind, FilePin(**item), root)
    for key in _PINNED_FILES:
        if pins[key] is not None:
            yield from _compare(key, FilePin(**pins[key]), root)
    if settings_digest(dict(settings.raw)) != pins["settings_sha256"]:
        yield f"changed: [tool.plangate] in {PYPROJECT} (settings the run used differ)"
    if pins["plangate_version"] != __version__:
        yield f"changed: plangate {pins['plangate_version']} in the report, {__version__} installed"
    if pins["commit"] is not None:
        head, _, why = git_state(root)
        if head != pins["commit"]:
            now = head or f"none ({why})"
            yield f"commit: {pins['commit']} in the report, HEAD is {now}"


def _compare(kind: str, pin: FilePin, root: Path) -> Iterator[str]:
    path = pinned_path(pin, root)
    try:
        digest = sha256_file(path)
    except FileNotFoundError:
        yield f"missing: {pin.path} ({kind})"
        return
    except OSError as error:
        yield f"unreadable: {pin.path} ({kind}: {error.strerror})"
        return
    if digest != pin.sha256:
        yield f"changed: {pin.path} ({kind}: sha256 {pin.sha256[:12]}... in the report, {digest[:12]}... now)"
