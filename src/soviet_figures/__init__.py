"""soviet-figures: every figure quoted in five works on Soviet history (1926–1941), with provenance.

>>> import soviet_figures as sf
>>> "observations" in sf.tables()["name"].tolist()
True

Importing the package is cheap: pandas, pandera and pyarrow load only when a function that
needs them is first used, and no data is read until asked. The errors are importable
at once: every refusal is a :class:`SovietFiguresError`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    LocateError,
    PackageError,
    PageError,
    ParseError,
    ReleaseError,
    SourceError,
    SovietFiguresError,
    TableError,
    WorksheetError,
)

__version__ = "0.1.0"
__all__ = [
    "load", "tables", "documents", "schema", "cite", "parse", "search", "series", "__version__",
    "SovietFiguresError", "TableError", "ReleaseError", "SourceError", "ParseError",
    "LocateError", "PageError", "WorksheetError", "PackageError",
]

if TYPE_CHECKING:  # pragma: no cover
    from .citation import cite
    from .loader import documents, load, tables
    from .lookup import search
    from .text.numbers import parse
    from .timeseries import series
    from .validate.schema import schema

# the public functions, imported on first use (the one place imports are deferred: a plain
# ``import soviet_figures`` must not pay for pandas, pyarrow and pandera)
_LAZY = {
    "load": "loader",
    "tables": "loader",
    "documents": "loader",
    "schema": "validate.schema",
    "cite": "citation",
    "parse": "text.numbers",
    "search": "lookup",
    "series": "timeseries",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'soviet_figures' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))
