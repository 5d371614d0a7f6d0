"""Was this plan made from this code? Compare a plan's addresses and constants with the HCL.

The repository carries exported plans as data (no provider downloads here), so nothing else ties a
plan to the HCL it claims to come from. Three signals, from strongest to softest:

* ``in_plan_not_in_config``: the plan has a resource block the HCL lacks (foreign or stale plan);
  ``instance_keys_differ``: ``x[0]`` in the plan but ``x`` has no ``count`` in HCL, and the like.
* ``in_config_not_in_plan``: an HCL block that cannot have zero instances was never planned.
  A block whose ``count``/``for_each`` (or that of an enclosing module call) is an expression may
  legitimately expand to nothing, so it is reported as the softer ``maybe_zero_instances``;
  a literal ``count = 0`` (or ``for_each = {}``/``[]``) expands to nothing and is not reported.
* ``attribute_differs``: a top-level argument the plan holds as a constant differs from the
  literal written in HCL (arguments written as expressions are not compared; nor are nested
  blocks). ``module_not_followed``: resources of registry or git modules cannot be compared.

``plan_resources`` should hold the addresses the configuration must declare: leave out changes
whose only actions are ``delete`` or ``forget`` (orphans being destroyed are, by definition, no
longer in the code). Data sources read during planning live in ``prior_state``, not in
``resource_changes``; pass them too or expect them as ``in_config_not_in_plan``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plangate.config._hcl import contains_expression
from plangate.config.addresses import InstanceKey, ResourceAddress, parse_resource_address
from plangate.config.model import Configuration, ModuleCall, ResourceBlock, SourceLocation
from plangate.errors import InputError
from plangate.plan.values import SENSITIVE


class MismatchKind(enum.StrEnum):
    """What kind of disagreement; the soft kinds may be legitimate."""

    IN_PLAN_NOT_IN_CONFIG = "in_plan_not_in_config"
    INSTANCE_KEYS_DIFFER = "instance_keys_differ"
    IN_CONFIG_NOT_IN_PLAN = "in_config_not_in_plan"
    MAYBE_ZERO_INSTANCES = "maybe_zero_instances"
    ATTRIBUTE_DIFFERS = "attribute_differs"
    MODULE_NOT_FOLLOWED = "module_not_followed"


SOFT_KINDS: frozenset[MismatchKind] = frozenset(
    {MismatchKind.MAYBE_ZERO_INSTANCES, MismatchKind.MODULE_NOT_FOLLOWED}
)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One disagreement between a plan and the configuration."""

    kind: MismatchKind
    address: str
    detail: str
    location: SourceLocation | None = None

    @property
    def is_soft(self) -> bool:
        """True when the disagreement may be legitimate and should warn rather than fail."""
        return self.kind in SOFT_KINDS

    def describe(self) -> str:
        """One line: where, what kind, which address, and why."""
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}{self.kind.value}: {self.address}: {self.detail}"


def check_consistency(
    plan_resources: Mapping[str, str],
    plan_constants: Mapping[str, Mapping[str, Any]],
    config: Configuration,
) -> tuple[Mismatch, ...]:
    """Every disagreement between a plan and the HCL, ordered by address then kind.

    ``plan_resources`` maps instance addresses to their mode (``managed`` or ``data``);
    ``plan_constants`` maps configuration addresses to ``{argument: constant_value}``.
    Raises InputError on an address that is not a resource address or contradicts its mode.
    """
    planned = _group_instances(plan_resources)
    found: list[Mismatch] = []
    found.extend(_in_plan_only(planned, config))
    found.extend(_in_config_only(planned, config))
    found.extend(_attributes(plan_constants, config))
    return tuple(sorted(found, key=lambda m: (m.address, list(MismatchKind).index(m.kind))))


def _group_instances(plan_resources: Mapping[str, str]) -> dict[str, list[ResourceAddress]]:
    planned: dict[str, list[ResourceAddress]] = {}
    for address, mode in plan_resources.items():
        parsed = parse_resource_address(address)
        if mode != parsed.mode:
            raise InputError(f"plan resource {address!r} has mode {mode!r}; expected {parsed.mode}")
        planned.setdefault(parsed.config_address, []).append(parsed)
    return planned


def _in_plan_only(
    planned: Mapping[str, list[ResourceAddress]], config: Configuration
) -> list[Mismatch]:
    found: list[Mismatch] = []
    unfollowed = config.unfollowed_module_calls()
    reported_modules: set[str] = set()
    for config_address, instances in sorted(planned.items()):
        module = _unfollowed_prefix(instances[0].module_address, unfollowed)
        if module is not None:
            if module not in reported_modules:
                reported_modules.add(module)
                call = unfollowed[module]
                found.append(
                    Mismatch(
                        MismatchKind.MODULE_NOT_FOLLOWED,
                        module,
                        f"source {call.source!r} is not a local path; its resources were not "
                        "compared",
                        call.location,
                    )
                )
            continue
        block = config.resource(config_address)
        if block is None:
            found.append(
                Mismatch(
                    MismatchKind.IN_PLAN_NOT_IN_CONFIG,
                    config_address,
                    f"{_instances(len(instances))} in the plan, no such block in the configuration",
                )
            )
            continue
        calls = config.module_call_chain(config_address)
        problem = _key_problem(instances, block, calls)
        if problem is not None:
            found.append(
                Mismatch(MismatchKind.INSTANCE_KEYS_DIFFER, config_address, problem, block.location)
            )
            continue
        found.extend(_literal_key_mismatches(instances, block, calls))
    return found


def _literal_keys(
    instances: list[ResourceAddress], block: ResourceBlock, calls: tuple[ModuleCall, ...]
) -> tuple[ModuleCall, str, frozenset[str]] | None:
    """The for_each keys a block must have when they are written as literals in HCL.

    Only the common case is resolved: ``for_each = var.NAME`` in a module whose (single) call
    passes NAME as a literal map or list of strings. Anything else is not evaluated.
    """
    match = re.fullmatch(r"\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*", block.for_each or "")
    if match is None or not calls or len(calls) != len(instances[0].module_path):
        return None
    call = calls[-1]
    if any(c.count is not None or c.for_each is not None for c in calls):
        return None
    value = call.arguments.get(match.group(1))
    if value is None or contains_expression(value):
        return None
    if isinstance(value, Mapping):
        keys = tuple(value)
    elif isinstance(value, tuple):
        keys = value
    else:
        return None
    if not all(isinstance(key, str) for key in keys):
        return None
    return call, match.group(1), frozenset(keys)


def _literal_key_mismatches(
    instances: list[ResourceAddress], block: ResourceBlock, calls: tuple[ModuleCall, ...]
) -> list[Mismatch]:
    """Instances the HCL's literal for_each keys cannot produce, and keys never planned."""
    literal = _literal_keys(instances, block, calls)
    if literal is None:
        return []
    call, variable, keys = literal
    where = f"module.{call.name} sets {variable} literally ({call.location})"
    planned = {instance.key for instance in instances}
    found = [
        Mismatch(
            MismatchKind.IN_PLAN_NOT_IN_CONFIG,
            _show(instance),
            f"in the plan, but {where} without the key {_key(instance.key)}",
            block.location,
        )
        for instance in instances
        if instance.key not in keys
    ]
    template = instances[0]
    found.extend(
        Mismatch(
            MismatchKind.IN_CONFIG_NOT_IN_PLAN,
            _show(
                ResourceAddress(
                    template.module_path, template.mode, template.type, template.name, key
                )
            ),
            f"{where} with this key, but the plan has no such instance",
            call.location,
        )
        for key in sorted(keys - planned)
    )
    return found


def _unfollowed_prefix(module_address: str, unfollowed: Mapping[str, ModuleCall]) -> str | None:
    for prefix in unfollowed:
        if module_address == prefix or module_address.startswith(prefix + "."):
            return prefix
    return None


def _instances(count: int) -> str:
    return f"{count} instance" + ("" if count == 1 else "s")


def _key_problem(
    instances: list[ResourceAddress], block: ResourceBlock, calls: tuple[ModuleCall, ...]
) -> str | None:
    """Why the plan's instance keys cannot come from this block's count/for_each, or None."""
    for instance in instances:
        for step, call in zip(instance.module_path, calls, strict=False):
            wrong = _wrong_key(step.key, call.count, call.for_each)
            if wrong:
                return f"module.{call.name} is {wrong} in the plan (e.g. {_show(instance)})"
        wrong = _wrong_key(instance.key, block.count, block.for_each)
        if wrong:
            return f"the block is {wrong} in the plan (e.g. {_show(instance)})"
    return None


def _wrong_key(key: InstanceKey, count: str | None, for_each: str | None) -> str | None:
    if count is not None:
        return None if isinstance(key, int) else "declared with count but not keyed by number"
    if for_each is not None:
        return None if isinstance(key, str) else "declared with for_each but not keyed by string"
    return None if key is None else "declared without count or for_each but keyed"


def _show(address: ResourceAddress) -> str:
    parts = [f"module.{step.name}{_key(step.key)}" for step in address.module_path]
    parts.append(address.address_in_module + _key(address.key))
    return ".".join(parts)


def _key(key: InstanceKey) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'["{escaped}"]'


class _Expansion(enum.Enum):
    NONE = "expands to no instances"
    SOME = "expands to at least one instance"
    UNKNOWN = "may expand to no instances"


def _expansion(count: str | None, for_each: str | None) -> _Expansion:
    if count is not None:
        text = count.strip()
        if text.isdigit():
            return _Expansion.NONE if int(text) == 0 else _Expansion.SOME
        return _Expansion.UNKNOWN
    if for_each is not None:
        return _Expansion.NONE if for_each.replace(" ", "") in ("{}", "[]") else _Expansion.UNKNOWN
    return _Expansion.SOME


def _in_config_only(
    planned: Mapping[str, list[ResourceAddress]], config: Configuration
) -> list[Mismatch]:
    found: list[Mismatch] = []
    for config_address, block in sorted(config.resources().items()):
        if config_address in planned:
            continue
        repeaters = [
            (f"module.{call.name}", call.count, call.for_each)
            for call in config.module_call_chain(config_address)
        ]
        repeaters.append(("the block", block.count, block.for_each))
        expansions = [
            (who, count, for_each, _expansion(count, for_each))
            for who, count, for_each in repeaters
        ]
        if any(expansion is _Expansion.NONE for *_, expansion in expansions):
            continue
        maybe = [
            f"{who} has " + (f"count = {count}" if count is not None else f"for_each = {for_each}")
            for who, count, for_each, expansion in expansions
            if expansion is _Expansion.UNKNOWN
        ]
        if maybe:
            found.append(
                Mismatch(
                    MismatchKind.MAYBE_ZERO_INSTANCES,
                    config_address,
                    "not in the plan; " + "; ".join(maybe) + ", which may expand to nothing",
                    block.location,
                )
            )
        else:
            found.append(
                Mismatch(
                    MismatchKind.IN_CONFIG_NOT_IN_PLAN,
                    config_address,
                    "declared in the configuration but never planned",
                    block.location,
                )
            )
    return found


def _attributes(
    plan_constants: Mapping[str, Mapping[str, Any]], config: Configuration
) -> list[Mismatch]:
    found: list[Mismatch] = []
    for config_address, constants in sorted(plan_constants.items()):
        block = config.resource(config_address)
        if block is None:
            continue  # reported as in_plan_not_in_config when the plan lists it
        for name, plan_value in sorted(constants.items()):
            if name in block.block_types:
                continue
            if plan_value is SENSITIVE:
                # The plan hides a sensitive constant; the HCL literal would be the secret
                # itself, so it is neither compared nor ever printed.
                continue
            location = block.attribute_location(name) or block.location
            if name not in block.attributes:
                found.append(
                    Mismatch(
                        MismatchKind.ATTRIBUTE_DIFFERS,
                        config_address,
                        f"{name}: plan has {_render(plan_value)}, the HCL does not set it",
                        block.location,
                    )
                )
                continue
            hcl_value = block.attributes[name]
            if contains_expression(hcl_value) or same_value(plan_value, hcl_value):
                continue
            found.append(
                Mismatch(
                    MismatchKind.ATTRIBUTE_DIFFERS,
                    config_address,
                    f"{name}: plan has {_render(plan_value)}, HCL has {_render(hcl_value)}",
                    location,
                )
            )
    return found


def same_value(left: Any, right: Any) -> bool:
    """Equality as Terraform means it: ``true`` is not ``1``, ``1`` is ``1.0``, lists are tuples."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return str(left) == str(right)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(same_value, left, right))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(same_value(left[k], right[k]) for k in left)
    return left is None and right is None


def _render(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_render(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_render(v)}" for k, v in value.items()) + "}"
    return repr(value)
