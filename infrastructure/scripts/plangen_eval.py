"""Evaluate a stack: every resource instance, data source and root output, for one set of values.

``Evaluation`` expands ``count`` and ``for_each``, resolves ``var``/``local``/``module``/resource
references lazily (with cycle detection) and asks the provider model for each instance's object:
as it exists in state (no prior given) or as planned against a prior state.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plangen_google as google
from plangen_expr import (
    UNKNOWN,
    EvalError,
    Sensitive,
    evaluate,
    mark,
    parse_expression,
    parse_template,
    step_into,
    unmark,
)
from plangen_spec import ModuleSpec, ResourceSpec, Where

from plangate.config import ABSENT, Expression


@dataclass
class Instance:
    """One resource instance (managed or data), evaluated."""

    address: str
    config_address: str
    module_address: str
    mode: str
    type: str
    name: str
    key: int | str | None
    config: dict[str, Any]
    values: dict[str, Any]
    planned: google.Planned | None = None


@dataclass(frozen=True, slots=True)
class _Scope:
    path: tuple[str, ...]
    each: tuple[str, Any] | None = None
    count: int | None = None


def instance_key_text(key: int | str | None) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'


_PRIMITIVES = {"string": str, "number": (int, float), "bool": bool}


def _convert(value: Any, type_text: str | None, where: Where, name: str) -> Any:
    """Terraform's conversion to a primitive variable type; other types are taken as given."""
    plain, sensitive = unmark(value)
    if type_text not in _PRIMITIVES or plain is None or plain is UNKNOWN:
        return value
    if type_text == "string" and isinstance(plain, bool):
        return mark("true" if plain else "false", sensitive)
    if type_text == "string" and isinstance(plain, int | float):
        return mark(str(plain), sensitive)
    if type_text == "number" and isinstance(plain, str):
        try:
            return mark(float(plain) if "." in plain else int(plain), sensitive)
        except ValueError:
            pass
    if type_text == "bool" and plain in ("true", "false"):
        return mark(plain == "true", sensitive)
    expected = _PRIMITIVES[type_text]
    if (isinstance(plain, bool) and type_text != "bool") or not isinstance(plain, expected):
        raise EvalError(f"{where}: variable {name}: a {type(plain).__name__} is not a {type_text}")
    return value


class Evaluation:
    """Every instance, data source and root output of a stack for one set of variable values.

    ``prior`` is None to build the state of an environment whose objects all exist and match
    their configuration; otherwise each managed instance is planned against ``prior[address]``.
    """

    def __init__(
        self,
        root: ModuleSpec,
        variables: Mapping[str, Any],
        prior: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.root = root
        self.prior = prior
        self.instances: dict[str, Instance] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._active: list[tuple[Any, ...]] = []
        unknown = sorted(set(variables) - set(root.variables))
        if unknown:
            raise EvalError(
                f"values file sets {unknown[0]!r}, which the root module does not declare"
            )
        self.variables: dict[str, Any] = {}
        for name, spec in root.variables.items():
            if name in variables:
                value = copy.deepcopy(variables[name])
            elif spec.default is not ABSENT:
                value = copy.deepcopy(spec.default)
            else:
                raise EvalError(f"{spec.where}: no value for the required variable {name!r}")
            self.variables[name] = _convert(value, spec.type, spec.where, name)
        for module in root.walk():
            for spec in module.resources.values():
                self.resource(module.path, spec.address)
        self.outputs = {name: self.output((), name) for name in root.outputs}

    # -- memoised nodes ------------------------------------------------------------------
    def _once(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            chain = " -> ".join(".".join(map(str, k[1:])) for k in self._active)
            raise EvalError(f"dependency cycle: {chain}")
        self._active.append(key)
        try:
            value = compute()
        finally:
            self._active.pop()
        self._memo[key] = value
        return value

    def variable(self, path: tuple[str, ...], name: str, where: Where) -> Any:
        module = self.root.module(path)
        spec = module.variables.get(name)
        if spec is None:
            raise EvalError(f"{where}: reference to undeclared variable var.{name}")

        def compute() -> Any:
            if not path:
                value = self.variables[name]
            else:
                parent = self.root.module(path[:-1])
                call = parent.calls[path[-1]]
                if name in call.arguments:
                    at = call.where.at(name)
                    value = self.value(call.arguments[name], _Scope(path[:-1]), at)
                elif spec.default is not ABSENT:
                    value = copy.deepcopy(spec.default)
                else:
                    raise EvalError(f"{call.where}: module {call.name} needs variable {name!r}")
                value = _convert(value, spec.type, spec.where, name)
            return mark(value, spec.sensitive)

        return self._once(("var", path, name), compute)

    def local(self, path: tuple[str, ...], name: str, where: Where) -> Any:
        module = self.root.module(path)
        if name not in module.locals:
            raise EvalError(f"{where}: reference to undeclared local value local.{name}")
        at = module.local_where[name]
        return self._once(
            ("local", path, name), lambda: self.value(module.locals[name], _Scope(path), at)
        )

    def output(self, path: tuple[str, ...], name: str, where: Where | None = None) -> Any:
        module = self.root.module(path)
        spec = module.outputs.get(name)
        if spec is None:
            shown = module.address or "the root module"
            raise EvalError(f"{where}: {shown} has no output {name!r}")

        def compute() -> Any:
            value = self.value(spec.value, _Scope(path), spec.where.at("value"))
            if spec.sensitive:
                return mark(value, True)
            if _contains_sensitive(value):
                raise EvalError(
                    f"{spec.where}: output {name} refers to sensitive values; "
                    "Terraform requires `sensitive = true` on it"
                )
            return value

        return self._once(("out", path, name), compute)

    def resource(self, path: tuple[str, ...], address: str, where: Where | None = None) -> Any:
        module = self.root.module(path)
        spec = module.resources.get(address)
        if spec is None:
            raise EvalError(f"{where}: reference to undeclared resource {address}")
        return self._once(("res", path, address), lambda: self._expand(module, spec))

    # -- resources -----------------------------------------------------------------------
    def _expand(self, module: ModuleSpec, spec: ResourceSpec) -> Any:
        scope = _Scope(module.path)
        if spec.count is not None:
            at = spec.where_of("count")
            count, marked = unmark(
                evaluate(parse_expression(spec.count, str(at)), self._resolver(scope, at), str(at))
            )
            if marked or count is UNKNOWN or not isinstance(count, int) or count < 0:
                raise EvalError(f"{at}: count must be a known, non-negative whole number")
            return [
                self._instance(module, spec, _Scope(module.path, count=i), i) for i in range(count)
            ]
        if spec.for_each is not None:
            at = spec.where_of("for_each")
            each, marked = unmark(
                evaluate(
                    parse_expression(spec.for_each, str(at)), self._resolver(scope, at), str(at)
                )
            )
            if marked or not isinstance(each, dict):
                raise EvalError(
                    f"{at}: for_each must be a known, non-sensitive map (sets need toset(), "
                    "which the generator does not model)"
                )
            return {
                key: self._instance(module, spec, _Scope(module.path, each=(key, each[key])), key)
                for key in sorted(each)
            }
        return self._instance(module, spec, scope, None)

    def _instance(
        self, module: ModuleSpec, spec: ResourceSpec, scope: _Scope, key: int | str | None
    ) -> dict[str, Any]:
        config_address = module.prefix() + spec.address
        address = config_address + instance_key_text(key)
        config = {
            name: self.value(value, scope, spec.where_of(name))
            for name, value in spec.attributes.items()
        }
        planned = None
        if spec.mode == "data":
            values = google.read_data(spec.type, config, address)
        elif self.prior is None:
            values = google.existing_object(spec.type, config, address)
        else:
            planned = google.plan_object(spec.type, config, self.prior.get(address), address)
            values = planned.values
            if (
                planned.actions != ("no-op",)
                and "delete" in planned.actions
                and spec.prevent_destroy
            ):
                raise EvalError(
                    f"{spec.where}: {address} has lifecycle.prevent_destroy and would be replaced; "
                    "Terraform refuses such a plan"
                )
        self.instances[address] = Instance(
            address=address,
            config_address=config_address,
            module_address=module.address,
            mode=spec.mode,
            type=spec.type,
            name=spec.name,
            key=key,
            config=config,
            values=values,
            planned=planned,
        )
        return values

    # -- values --------------------------------------------------------------------------
    def value(self, raw: Any, scope: _Scope, where: Where) -> Any:
        """Evaluate a normalised configuration value (literal, Expression, list, dict)."""
        if isinstance(raw, Expression):
            node = parse_template(str(raw), str(where))
            return evaluate(node, self._resolver(scope, where), str(where))
        if isinstance(raw, dict):
            result: dict[str, Any] = {}
            for key, item in raw.items():
                name = key
                if isinstance(key, Expression):
                    name, marked = unmark(self.value(key, scope, where))
                    if marked or not isinstance(name, str):
                        raise EvalError(f"{where}: object keys must be known strings")
                result[name] = self.value(
                    item, scope, where.at(name) if isinstance(name, str) else where
                )
            return result
        if isinstance(raw, list):
            return [self.value(item, scope, where) for item in raw]
        return raw

    def _resolver(self, scope: _Scope, where: Where) -> Any:
        def resolve(root: str, steps: tuple[tuple[str, Any], ...], _: str) -> Any:
            value, rest = self._subject(scope, root, steps, where)
            for step in rest:
                value = step_into(value, step, str(where))
            return value

        return resolve

    def _subject(
        self, scope: _Scope, root: str, steps: tuple[tuple[str, Any], ...], where: Where
    ) -> tuple[Any, tuple[tuple[str, Any], ...]]:
        names = [value for kind, value in steps]
        kinds = [kind for kind, value in steps]
        if root in ("var", "local", "each", "count") and (not steps or kinds[0] != "attr"):
            raise EvalError(f"{where}: {root} needs an attribute (e.g. {root}.name)")
        if root == "var":
            return self.variable(scope.path, names[0], where), steps[1:]
        if root == "local":
            return self.local(scope.path, names[0], where), steps[1:]
        if root == "each":
            if scope.each is None or names[0] not in ("key", "value"):
                raise EvalError(f"{where}: each.{names[0]} outside a for_each resource")
            return (scope.each[0] if names[0] == "key" else scope.each[1]), steps[1:]
        if root == "count":
            if scope.count is None or names[0] != "index":
                raise EvalError(f"{where}: count.{names[0]} outside a counted resource")
            return scope.count, steps[1:]
        if root == "module":
            if not steps or kinds[0] != "attr":
                raise EvalError(f"{where}: module needs a module call name")
            module = self.root.module(scope.path)
            if names[0] not in module.children:
                raise EvalError(f"{where}: reference to undeclared module call module.{names[0]}")
            child = (*scope.path, names[0])
            if len(steps) > 1 and kinds[1] == "attr":
                return self.output(child, names[1], where), steps[2:]
            outputs = self.root.module(child).outputs
            return {name: self.output(child, name, where) for name in outputs}, steps[1:]
        if root == "data":
            if len(steps) < 2 or kinds[0] != "attr" or kinds[1] != "attr":
                raise EvalError(f"{where}: data needs a type and a name")
            return self.resource(scope.path, f"data.{names[0]}.{names[1]}", where), steps[2:]
        if root in ("path", "terraform", "self"):
            raise EvalError(f"{where}: {root}.* references are not supported by the generator")
        if not steps or kinds[0] != "attr":
            raise EvalError(f"{where}: unknown name {root!r}")
        return self.resource(scope.path, f"{root}.{names[0]}", where), steps[1:]


def _contains_sensitive(value: Any) -> bool:
    if isinstance(value, Sensitive):
        return True
    if isinstance(value, dict):
        return any(_contains_sensitive(item) for item in value.values())
    if isinstance(value, list):
        return any(_contains_sensitive(item) for item in value)
    return False
