"""Choosing resources from a plan: by kind, type, module, address glob, provider, the
attributes their type has, and planned action.

Everything is selected from `resource_changes`, never from `planned_values`: a resource that
will be deleted has no planned value, yet it is exactly what many controls are about. A
selected resource is judged on its planned values (`after`); one that will not exist after
apply (a pure delete or a forget) is judged on its current values (`before`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from plangate.bdd.compare import StepTextError
from plangate.plan import ChangeKind, ResourceChange


@dataclass(frozen=True, slots=True)
class Subject:
    """A selected resource change and the values the steps judge."""

    change: ResourceChange

    @property
    def address(self) -> str:
        return self.change.display_address

    @property
    def gone(self) -> bool:
        """True when the object will not exist after apply (pure delete or forget)."""
        return self.change.kind in (ChangeKind.DELETE, ChangeKind.FORGET)

    @property
    def values(self) -> Any:
        return self.change.before if self.gone else self.change.after

    @property
    def label(self) -> str:
        """The address, saying so when the values judged are those before a delete."""
        if self.gone:
            return f"{self.address} ({self.change.kind.value}; values before it)"
        return self.address


def _changed(change: ResourceChange) -> bool:
    return change.actions.changes_infrastructure or change.is_import or change.is_move


ACTIONS: dict[str, Callable[[ResourceChange], bool]] = {
    "created": lambda c: c.kind is ChangeKind.CREATE,
    "updated": lambda c: c.kind is ChangeKind.UPDATE,
    "replaced": lambda c: c.kind is ChangeKind.REPLACE,
    "deleted": lambda c: c.kind is ChangeKind.DELETE,
    "destroyed": lambda c: c.actions.destroys,
    "forgotten": lambda c: "forget" in c.actions.values,
    "imported": lambda c: c.is_import,
    "moved": lambda c: c.is_move,
    "read": lambda c: c.kind is ChangeKind.READ,
    "changed": _changed,
    "unchanged": lambda c: not _changed(c),
}
"""What `will be <word>` means: `deleted` is a pure delete, `destroyed` also counts replacements,
`changed` is anything but a no-op, read or open (imports and moves included)."""


def action_words(text: str) -> tuple[str, ...]:
    """`created`, `created or updated`, `created, updated or replaced`."""
    words = tuple(word for word in re.split(r"\s*(?:,\s*or|,|\bor\b)\s*", text.strip()) if word)
    unknown = [word for word in words if word not in ACTIONS]
    if not words or unknown:
        raise StepTextError(
            f"unknown action {', '.join(unknown) or text!r}; use {', '.join(ACTIONS)} "
            "(several joined by `or`)"
        )
    return words


def will_be(words: Iterable[str]) -> Callable[[ResourceChange], bool]:
    tests = [ACTIONS[word] for word in words]
    return lambda change: any(test(change) for test in tests)


def describe_actions(change: ResourceChange) -> str:
    """How a change reads in a message: its kind, plus import and move."""
    parts = [change.kind.value]
    if change.is_import:
        parts.append("import")
    if change.is_move:
        parts.append(f"moved from {change.previous_address}")
    return ", ".join(parts)


_QUOTED = re.compile(r""""([^"]*)"|'([^']*)'""")


def quoted_values(text: str) -> tuple[str, ...]:
    """`"a"`, `"a" or "b"`, `"a", 'b'`: the quoted strings, in order.

    Single quotes hold a name that contains double quotes: `'module.storage["eu"]'`.
    """
    found = [m.group(1) if m.group(1) is not None else m.group(2) for m in _QUOTED.finditer(text)]
    rest = _QUOTED.sub("", text)
    if not found or re.sub(r"\s*(?:,|\bor\b)\s*", "", rest).strip():
        raise StepTextError(f'expected one or more quoted names ("a" or "b"), got {text.strip()!r}')
    return tuple(found)


def glob_pattern(pattern: str) -> re.Pattern[str]:
    """An address glob: `*` any run of characters, `?` one; everything else (brackets too) literal."""
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def in_module(name: str) -> Callable[[ResourceChange], bool]:
    """Resources in a module call, its instances (`module.m["a"]`) and the modules it calls.

    `"storage"` and `"module.storage"` mean every instance; `'module.storage["a"]'` one instance.
    """
    prefix = name if name.startswith("module.") else f"module.{name}"
    exact_instance = prefix.endswith("]")

    def test(change: ResourceChange) -> bool:
        module = change.module_address or ""
        if not module.startswith(prefix):
            return False
        following = module[len(prefix) : len(prefix) + 1]
        return following in ("", ".") or (following == "[" and not exact_instance)

    return test


def in_root_module(change: ResourceChange) -> bool:
    return not change.module_address


def supports(names: Iterable[str]) -> Callable[[ResourceChange], bool]:
    """Resources whose type has one of these top-level attributes, set or not.

    Plans write every attribute of the provider schema (null when unset), so the keys of the
    values tell what a type supports: `that support "labels"` finds every labelable resource.
    """
    wanted = frozenset(names)

    def test(change: ResourceChange) -> bool:
        return any(
            isinstance(values, Mapping) and not wanted.isdisjoint(values.keys())
            for values in (change.after, change.before)
        )

    return test


def names_provider(source: str, name: str) -> bool:
    """Whether `name` (`google-beta`, `hashicorp/google-beta` or the full source address)
    names the provider written as `source`."""
    return source == name or source.endswith(f"/{name}")


def from_provider(names: Iterable[str]) -> Callable[[ResourceChange], bool]:
    """Resources of any of the named providers.

    Terraform 0.12 wrote a bare name with the alias (`google.eu`); the alias is not the provider.
    """
    wanted = tuple(names)

    def test(change: ResourceChange) -> bool:
        provider = change.provider_name
        if "/" not in provider:
            provider = provider.partition(".")[0]
        return any(names_provider(provider, name) for name in wanted)

    return test


_NAMES = r"""(?:"[^"]*"|'[^']*')(?:\s*(?:,\s*or|,|or)\s*(?:"[^"]*"|'[^']*'))*"""
_CLAUSES = re.compile(
    r"""\s+(?:
      of\s+types?\s+(?P<types>NAMES)
    | in\s+the\s+root\s+module(?P<root>)
    | in\s+modules?\s+(?P<modules>NAMES)
    | matching\s+address(?:es)?\s+(?P<globs>NAMES)
    | from\s+providers?\s+(?P<providers>NAMES)
    | that\s+supports?\s+(?P<attributes>NAMES)
    | that\s+will\s+(?P<negated>not\s+)?be\s+(?P<actions>[a-z]+(?:(?:\s*,\s*or|\s*,|\s+or)\s+[a-z]+)*)
    )""".replace("NAMES", _NAMES),
    re.VERBOSE,
)


def selection(noun: str, clauses: str) -> tuple[str, Callable[[ResourceChange], bool]]:
    """Read `resources of type "T" in module "m" that will be deleted` into a description and
    a test; every clause must hold."""
    mode = "managed" if noun.endswith("resources") else "data"
    parts: list[tuple[str, Callable[[ResourceChange], bool]]] = [
        (noun.removeprefix("all "), lambda c: c.mode == mode)
    ]
    position = 0
    while position < len(clauses):
        match = _CLAUSES.match(clauses, position)
        if match is None:
            raise StepTextError(
                f"cannot read {clauses[position:].strip()!r} in this selection; write clauses "
                'like of type "T", in module "m", in the root module, matching address "glob", '
                'from provider "google-beta", that support "labels", that will be deleted, '
                "(if any)"
            )
        parts.append((match.group().strip(), _clause(match)))
        position = match.end()
    tests = [test for _, test in parts]
    return (
        " ".join(text for text, _ in parts),
        lambda change: all(test(change) for test in tests),
    )


def _clause(match: re.Match[str]) -> Callable[[ResourceChange], bool]:
    if match.group("types") is not None:
        types = frozenset(quoted_values(match.group("types")))
        return lambda c: c.type in types
    if match.group("root") is not None:
        return in_root_module
    if match.group("modules") is not None:
        modules = [in_module(name) for name in quoted_values(match.group("modules"))]
        return lambda c: any(test(c) for test in modules)
    if match.group("globs") is not None:
        patterns = [glob_pattern(glob) for glob in quoted_values(match.group("globs"))]
        return lambda c: any(pattern.fullmatch(c.address) for pattern in patterns)
    if match.group("providers") is not None:
        return from_provider(quoted_values(match.group("providers")))
    if match.group("attributes") is not None:
        return supports(quoted_values(match.group("attributes")))
    wanted = will_be(action_words(match.group("actions")))
    if match.group("negated"):
        return lambda c: not wanted(c)
    return wanted
