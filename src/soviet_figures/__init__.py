"""soviet-figures: every figure quoted in five works on Soviet history (1926–1941), with provenance.

>>> import soviet_figures as sf
>>> "observations" in sf.tables()["name"].tolist()
True

Importing the package is cheap: pandas, pandera and frictionless load only when a function
that needs them is called, and no data is read until asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load", "tables", "documents", "schema", "cite", "parse", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .citation import cite
    from .loader import documents, load, tables
    from .numbers import parse
    from .pandera_schemas import schema

_LAZY = {
    "load": "loader",
    "tables": "loader",
    "documents": "loader",
    "schema": "pandera_schemas",
    "cite": "citation",
    "parse": "numbers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'soviet_figures' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))
