"""The project's own habits: one version, every imported package declared, documented API."""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from pathlib import Path

import pytest

import soviet_figures as sf

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "soviet_figures"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# import name → distribution name, where they differ
DISTRIBUTION = {"yaml": "pyyaml"}


def test_the_version_is_written_once_and_repeated_faithfully():
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "src/soviet_figures/__init__.py"
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (\S+)$", cff, re.MULTILINE).group(1) == sf.__version__


def _third_party_imports() -> set[str]:
    stdlib = set(__import__("sys").stdlib_module_names)
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            found |= {n.split(".")[0] for n in names if n and n.split(".")[0] not in stdlib}
    return found - {"soviet_figures"}


def test_every_imported_package_is_declared():
    declared = {re.split(r"[<>=!~\[ ]", d)[0].lower() for d in PYPROJECT["project"]["dependencies"]}
    imported = {DISTRIBUTION.get(m, m).lower() for m in _third_party_imports()}
    assert imported and imported <= declared, imported - declared


PUBLIC_API = ["load", "tables", "documents", "schema", "cite", "parse"]


@pytest.mark.parametrize("name", PUBLIC_API)
def test_the_public_functions_have_numpy_style_docstrings(name):
    func = getattr(sf, name)
    doc = inspect.getdoc(func) or ""
    sections = ("Parameters", "Returns", "Examples") if inspect.signature(func).parameters else ("Returns", "Examples")
    for section in sections:
        assert re.search(rf"^{section}\n-+$", doc, re.MULTILINE), f"{name}: no {section} section"
    assert ">>>" in doc


def test_load_documents_release_and_filters():
    doc = inspect.getdoc(sf.load) or ""
    assert "release" in doc and "**filters" in doc and "list" in doc


def _public_items() -> list[tuple[str, object]]:
    import importlib
    import pkgutil

    items = []
    for info in pkgutil.walk_packages(sf.__path__, "soviet_figures."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__:
                items.append((f"{info.name}.{name}", obj))
    return items


def test_everything_public_has_a_docstring_with_an_example():
    missing = [name for name, obj in _public_items() if ">>>" not in (inspect.getdoc(obj) or "")]
    assert missing == []
