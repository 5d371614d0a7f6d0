"""The dependencies state records per resource (``depends_on`` in ``prior_state``).

Terraform stores, for each resource instance, every resource it depends on transitively:
through references in its arguments, ``count`` and ``for_each``, through variables, locals and
module outputs, and through ``depends_on`` on the block and on every enclosing module call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plangen_expr import parse_expression, parse_template, traversals
from plangen_spec import ModuleSpec, Where

from plangate.config import Expression


def value_traversals(raw: Any, where: Where) -> Iterator[tuple[str, tuple[tuple[str, Any], ...]]]:
    """Static traversals in a normalised configuration value."""
    if isinstance(raw, Expression):
        yield from traversals(parse_template(str(raw), str(where)))
    elif isinstance(raw, dict):
        for key, item in raw.items():
            yield from value_traversals(key, where)
            yield from value_traversals(item, where)
    elif isinstance(raw, list):
        for item in raw:
            yield from value_traversals(item, where)


def dependency_map(root: ModuleSpec) -> dict[str, tuple[str, ...]]:
    """Config address of each resource -> the resources it depends on, transitively, sorted.

    This is what Terraform records per instance in state (``depends_on`` in ``prior_state``):
    references through variables, locals and module outputs, plus ``depends_on`` on the block
    and on every enclosing module call.
    """

    def module_resources(path: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return [
            ("res", module.path, address)
            for module in root.module(path).walk()
            for address in module.resources
        ]

    def targets(
        path: tuple[str, ...], root_name: str, steps: tuple[tuple[str, Any], ...]
    ) -> list[tuple[Any, ...]]:
        names = [value for kind, value in steps]
        if root_name in ("var", "local") and names:
            return [(root_name, path, names[0])]
        if root_name == "module" and names:
            child = (*path, names[0])
            if len(names) > 1 and steps[1][0] == "attr":
                return [("out", child, names[1])]
            return [("out", child, name) for name in root.module(child).outputs]
        if root_name == "data" and len(names) >= 2:
            return [("res", path, f"data.{names[0]}.{names[1]}")]
        if root_name in ("each", "count", "path", "terraform", "self") or not names:
            return []
        return [("res", path, f"{root_name}.{names[0]}")]

    def depends_on(path: tuple[str, ...], entries: list[str]) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = []
        for entry in entries:
            parts = entry.split(".")
            if parts[0] == "module":
                found.extend(module_resources((*path, parts[1])))
            else:
                found.append(("res", path, entry))
        return found

    def edges(node: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        kind, path, name = node
        module = root.module(path)
        found: list[tuple[Any, ...]] = []
        if kind == "res":
            spec = module.resources[name]
            raws = [spec.attributes]
            for meta in (spec.count, spec.for_each):
                if meta is not None:
                    found.extend(
                        t
                        for r, s in traversals(parse_expression(meta, str(spec.where)))
                        for t in targets(path, r, s)
                    )
            found.extend(depends_on(path, spec.depends_on))
            for depth in range(len(path)):
                call = root.module(path[:depth]).calls[path[depth]]
                found.extend(depends_on(path[:depth], call.depends_on))
            where, scope = spec.where, path
        elif kind == "var":
            if not path:
                return []
            call = root.module(path[:-1]).calls[path[-1]]
            raws = [call.arguments.get(name)]
            where, scope = call.where, path[:-1]
        elif kind == "local":
            raws, where, scope = [module.locals[name]], module.local_where[name], path
        else:
            output = module.outputs[name]
            raws, where, scope = [output.value], output.where, path
            found.extend(depends_on(path, output.depends_on))
        for raw in raws:
            for r, s in value_traversals(raw, where):
                found.extend(targets(scope, r, s))
        return found

    result: dict[str, tuple[str, ...]] = {}
    for module in root.walk():
        for address in module.resources:
            start = ("res", module.path, address)
            seen: set[tuple[Any, ...]] = set()
            pending = list(edges(start))
            while pending:
                node = pending.pop()
                if node in seen:
                    continue
                seen.add(node)
                pending.extend(edges(node))
            found = {
                root.module(p).prefix() + a
                for kind, p, a in seen
                if kind == "res" and (kind, p, a) != start
            }
            result[module.prefix() + address] = tuple(sorted(found))
    return result
