"""The package's layout: no import cycle, imports at the top, lower layers never import
higher ones. The graph is read from the source (every import statement, also those inside
functions), not from what happens to be imported at run time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "soviet_figures"

# each layer may import only from the layers before it (and itself)
LAYERS = [
    {"soviet_figures", "soviet_figures.errors", "soviet_figures._paths", "soviet_figures._cells", "soviet_figures.qualifiers", "soviet_figures.templating"},
    {"soviet_figures.tableschema"},
    {"soviet_figures.io", "soviet_figures.text"},
    {"soviet_figures.topics"},
    {"soviet_figures.validate"},
    {"soviet_figures.names"},
    {"soviet_figures.loader", "soviet_figures.intake", "soviet_figures.ledger"},
    {"soviet_figures.lookup", "soviet_figures.exporting"},
    {"soviet_figures.timeseries", "soviet_figures.charts", "soviet_figures.citation", "soviet_figures.codebook"},
    {"soviet_figures.derive", "soviet_figures.site"},
    {"soviet_figures.cli"},
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of the package's modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    inside = {id(sub) for f in functions for sub in ast.walk(f) if sub is not f}
    typing_only = {id(sub) for n in ast.walk(tree) if isinstance(n, ast.If) and getattr(n.test, "id", None) == "TYPE_CHECKING" for sub in ast.walk(n)}
    for node in ast.walk(tree):
        if id(node) in typing_only:  # for type checkers only: never imported at run time
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for t in targets:
            if t in known:
                found.append((t, node.lineno, id(node) in inside))
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: {t for t, _, _ in _imports(name, path, known) if t != name} for name, path in modules.items()}


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def _layer(module: str) -> int:
    for i, layer in enumerate(LAYERS):
        if module in layer or any(module.startswith(m + ".") for m in layer if m != "soviet_figures"):
            return i
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def test_no_module_imports_a_higher_layer():
    upward = [(m, t) for m, targets in _graph().items() for t in targets if _layer(t) > _layer(m)]
    assert upward == []


def test_imports_sit_at_the_top_except_where_a_comment_says_why():
    modules = _modules()
    known = set(modules)
    hidden = []
    for name, path in modules.items():
        if path.name == "__init__.py" and name == "soviet_figures":
            continue  # the one lazy module: import soviet_figures stays light
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if isinstance(sub, (ast.Import, ast.ImportFrom)) and "# imported here:" not in lines[sub.lineno - 1]:
                        hidden.append(f"{path.relative_to(PACKAGE)}:{sub.lineno}")
    assert hidden == []
    assert known  # the walk saw the package


@pytest.mark.parametrize("probe", ["import soviet_figures.validate.rules", "import soviet_figures.io.release", "import soviet_figures.cli"])
def test_each_layer_imports_on_its_own(probe):
    """A module imported first, in a fresh interpreter, must not depend on import order."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
