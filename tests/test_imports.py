"""plangate's modules import one another one way only: the import graph has no cycle.

Every `import` and `from ... import` of a plangate module counts, at module level and inside
functions alike (a deferred import only hides a cycle), and so does a `pytest_plugins` list,
which pytest imports as soon as the module is registered.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "plangate"


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name; a package by its own name."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = ("plangate", *path.relative_to(SOURCE).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module that `name` is, or that defines it (`plangate.policy.REGISTRY`)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The plangate modules that `module` imports, wherever in it the import is written."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:  # relative: from the package, one level up per extra dot
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = f"{base}.{source}" if source else base
            names.extend(f"{source}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytest_plugins"
            for target in node.targets
        ):
            names.extend(ast.literal_eval(node.value))
    found = {_owner(name, modules) for name in names if name.startswith("plangate")}
    return {name for name in found if name is not None and name != module}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that starts and ends at the same module, if any."""
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> list[str] | None:
        if node in trail:
            return [*trail[trail.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            found = visit(target, [*trail, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_the_graph_sees_deferred_imports_and_pytest_plugins(tmp_path: Path) -> None:
    """The check itself: an import inside a function, a relative import and a plugin list
    are edges, so a cycle hidden behind any of them is found."""
    modules = {"plangate.a": tmp_path / "a.py", "plangate.b": tmp_path / "b.py"}
    modules["plangate.a"].write_text("def f():\n    from plangate.b import g\n")
    modules["plangate.b"].write_text("from . import a\npytest_plugins = ['plangate.a']\n")
    graph = {name: _imported(name, path, modules) for name, path in modules.items()}
    assert graph == {"plangate.a": {"plangate.b"}, "plangate.b": {"plangate.a"}}
    assert _cycle(graph) == ["plangate.a", "plangate.b", "plangate.a"]


def test_plangate_has_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imported(name, path, modules) for name, path in modules.items()}
    assert "plangate.pytest.session" in graph["plangate.pytest.plugin"]  # the graph is real
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())
