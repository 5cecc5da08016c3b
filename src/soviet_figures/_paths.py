"""Where the package finds its data package and schemas.

In a wheel they are shipped inside the package (``soviet_figures/_data``); in a source
checkout (editable install, tests) they are the top-level ``datapackage/`` and ``schemas/``.

>>> (data_root() / "datapackage" / "datapackage.json").name
'datapackage.json'
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_root", "datapackage_dir", "schemas_dir", "sources_dir", "templates_dir"]

_HERE = Path(__file__).resolve().parent


def data_root() -> Path:
    """Directory holding ``datapackage/`` and ``schemas/``."""
    shipped = _HERE / "_data"
    if (shipped / "datapackage").is_dir():
        return shipped
    return _HERE.parents[1]


def datapackage_dir() -> Path:
    """The installed data package's directory (``datapackage.json`` and ``data/``)."""
    return data_root() / "datapackage"


def schemas_dir() -> Path:
    """The Table Schema files."""
    return data_root() / "schemas"


def templates_dir() -> Path:
    """The jinja2 templates, CSS and JavaScript of the site and the codebook."""
    return _HERE / "templates"


def sources_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The source texts directory: ``explicit``, else ``$SOVIET_FIGURES_SOURCES``, else None."""
    value = explicit if explicit is not None else os.environ.get("SOVIET_FIGURES_SOURCES")
    return Path(value) if value else None
