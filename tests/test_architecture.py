"""The house's floors: arrows point down only, no import cycle (lazy and typing-only imports count), small
modules, and the core never loads Textual (tests/test_core_has_no_textual.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import wellprod_tui

PACKAGE = Path(wellprod_tui.__file__).parent

#: Each top-level part and its floor; a module may import its own floor's package, or a lower floor.
FLOORS = {
    "core": 0,
    "storage": 1,
    "queries": 2,
    "importing": 3,
    "export": 3,
    "decline": 3,
    "commands": 4,
    "tui": 4,
    "cli": 5,
    "__main__": 6,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path) -> set[str]:
    """Every wellprod module ``name`` imports anywhere: at the top, in a function, or for typing only."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_belongs_to_a_floor() -> None:
    lost = sorted(m for m in MODULES if m != "wellprod_tui" and _part(m) not in FLOORS)
    assert lost == []


def test_arrows_point_down_only() -> None:
    upward = sorted(
        f"{m} → {target}"
        for m, targets in GRAPH.items()
        for target in targets
        if m != "wellprod_tui" and target != "wellprod_tui"
        and (FLOORS[_part(target)] > FLOORS[_part(m)]
             or (_part(target) != _part(m) and FLOORS[_part(target)] == FLOORS[_part(m)]))
    )
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


def test_no_module_is_over_400_lines() -> None:
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > 400}
    assert long == {}


def test_no_module_of_the_app_imports_the_app_class() -> None:
    importers = sorted(m for m, targets in GRAPH.items() if _part(m) == "tui" and "wellprod_tui.tui.app" in targets)
    assert importers == []


def test_every_package_says_its_job() -> None:
    packages = {name: path for name, path in MODULES.items() if path.name == "__init__.py"}
    silent = sorted(name for name, path in packages.items() if not ast.get_docstring(ast.parse(path.read_text())))
    assert silent == []
