"""Terraform addresses: instance addresses from plans down to configuration addresses.

A plan names instances (``module.iam.google_project_iam_member.roles["run.invoker[x]"]``); the
configuration names blocks (``module.iam.google_project_iam_member.roles``). Keys are HCL-quoted
strings that may hold dots, brackets and escaped quotes, so they are read by a tokenizer rather
than cut out by a regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from plangate.config._hcl import decode_quoted
from plangate.errors import InputError

InstanceKey = int | str | None
"""``[0]`` is an int, ``["a"]`` a str, no brackets None."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Step:
    """One name of a dotted address with its instance key, if any."""

    name: str
    key: InstanceKey = None


@dataclass(frozen=True, slots=True)
class ResourceAddress:
    """A parsed resource instance address; keys kept so callers can check them against HCL."""

    module_path: tuple[Step, ...]
    mode: Literal["managed", "data"]
    type: str
    name: str
    key: InstanceKey = None

    @property
    def module_address(self) -> str:
        """The configuration address of the enclosing module, "" for the root."""
        return ".".join(f"module.{step.name}" for step in self.module_path)

    @property
    def address_in_module(self) -> str:
        """``google_storage_bucket.models`` or ``data.google_project.this``."""
        local = f"{self.type}.{self.name}"
        return f"data.{local}" if self.mode == "data" else local

    @property
    def config_address(self) -> str:
        """The address of the block in configuration: module path included, keys left out."""
        prefix = self.module_address
        return f"{prefix}.{self.address_in_module}" if prefix else self.address_in_module


def tokenize(address: str) -> tuple[Step, ...]:
    """Split an address into its dotted names and their optional ``[key]``.

    Raises InputError when the text is not an address: unbalanced brackets, an unquoted
    non-numeric key, an unterminated string, a missing name.
    """
    steps: list[Step] = []
    i = 0
    n = len(address)
    while True:
        name = _NAME.match(address, i)
        if name is None:
            raise _malformed(address, i, "a name")
        i = name.end()
        key: InstanceKey = None
        if i < n and address[i] == "[":
            key, i = _read_key(address, i + 1)
        steps.append(Step(name.group(), key))
        if i == n:
            return tuple(steps)
        if address[i] != ".":
            raise _malformed(address, i, "'.' or '['")
        i += 1


def _read_key(address: str, i: int) -> tuple[int | str, int]:
    """From just after ``[`` to just after ``]``."""
    n = len(address)
    if i < n and address[i] == '"':
        j = i + 1
        while j < n and address[j] != '"':
            j += 2 if address[j] == "\\" else 1
        if j >= n:
            raise _malformed(address, i, "a closing '\"'")
        key: int | str = decode_quoted(address[i + 1 : j])
        j += 1
    else:
        digits = re.compile(r"[0-9]+").match(address, i)
        if digits is None:
            raise _malformed(address, i, "a number or a quoted string")
        key = int(digits.group())
        j = digits.end()
    if j >= n or address[j] != "]":
        raise _malformed(address, j, "']'")
    return key, j + 1


def _malformed(address: str, position: int, expected: str) -> InputError:
    return InputError(f"not a Terraform address: {address!r}: expected {expected} at {position}")


def strip_instance_keys(address: str) -> str:
    """``module.a[0].google_x.y["k.1"]`` becomes ``module.a.google_x.y``."""
    return ".".join(step.name for step in tokenize(address))


def split_module_path(steps: tuple[Step, ...]) -> tuple[tuple[Step, ...], tuple[Step, ...]]:
    """Leading ``module.NAME`` pairs (as steps named NAME) and whatever follows them."""
    path: list[Step] = []
    i = 0
    while i + 1 < len(steps) and steps[i].name == "module" and steps[i].key is None:
        path.append(steps[i + 1])
        i += 2
    return tuple(path), steps[i:]


def parse_resource_address(address: str) -> ResourceAddress:
    """Parse a resource (instance) address; raise InputError when it names no resource."""
    module_path, rest = split_module_path(tokenize(address))
    mode: Literal["managed", "data"] = "managed"
    if len(rest) == 3 and rest[0].name == "data" and rest[0].key is None:
        mode = "data"
        rest = rest[1:]
    if len(rest) != 2 or rest[0].key is not None:
        raise InputError(f"not a Terraform resource address: {address!r}")
    return ResourceAddress(module_path, mode, rest[0].name, rest[1].name, rest[1].key)


def module_address(names: tuple[str, ...]) -> str:
    """``("a", "b")`` becomes ``module.a.module.b``; the root is ""."""
    return ".".join(f"module.{name}" for name in names)
