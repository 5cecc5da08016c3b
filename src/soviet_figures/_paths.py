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
    """Directory holding ``datapackage/`` and ``schemas/``.

    Returns
    -------
    Path : ``soviet_figures/_data`` in a wheel, else the source checkout's root.

    Examples
    --------
    >>> (data_root() / "schemas").is_dir()
    True
    """
    shipped = _HERE / "_data"
    if (shipped / "datapackage").is_dir():
        return shipped
    return _HERE.parents[1]


def datapackage_dir() -> Path:
    """The installed data package's directory (``datapackage.json`` and ``data/``).

    Returns
    -------
    Path : ``data_root() / "datapackage"``.

    Examples
    --------
    >>> (datapackage_dir() / "datapackage.json").is_file()
    True
    """
    return data_root() / "datapackage"


def schemas_dir() -> Path:
    """The directory of the Table Schema files.

    Returns
    -------
    Path : ``data_root() / "schemas"``.

    Examples
    --------
    >>> schemas_dir().name
    'schemas'
    """
    return data_root() / "schemas"


def templates_dir() -> Path:
    """The directory of the jinja2 templates, CSS and JavaScript of the site and the codebook.

    Returns
    -------
    Path : the package's ``templates/`` directory.

    Examples
    --------
    >>> templates_dir().name
    'templates'
    """
    return _HERE / "templates"


def sources_dir(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The source texts directory: ``explicit``, else ``$SOVIET_FIGURES_SOURCES``, else None.

    Parameters
    ----------
    explicit : a directory given by the caller; it wins over the environment variable.

    Returns
    -------
    Path or None : the directory, or None when neither is set.

    Examples
    --------
    >>> sources_dir("/tmp/texts").as_posix()
    '/tmp/texts'
    """
    value = explicit if explicit is not None else os.environ.get("SOVIET_FIGURES_SOURCES")
    return Path(value) if value else None
