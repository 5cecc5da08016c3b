"""The package descriptor (``datapackage.json``): written from ``schemas/``, read as
hostile input.

:func:`package_descriptor` is what ``derive`` writes for this package. :func:`read_descriptor`
reads any ``datapackage.json`` (the installed one or a contributor's) and refuses what it
cannot use: not JSON, not an object, nested beyond reason, resources that are not objects,
paths that are not plain relative paths inside the package.

>>> from soviet_figures._paths import datapackage_dir
>>> paths = resource_paths(datapackage_dir() / "datapackage.json")
>>> paths["observations"].name
'observations.csv'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import __version__, tableschema
from ..errors import PackageError
from .files import read_regular, within

__all__ = ["package_descriptor", "read_descriptor", "resource_paths", "descriptor_json"]

_MAX_DESCRIPTOR_BYTES = 8 * 2**20


def descriptor_json(obj: Any) -> str:
    """JSON as the package writes it: UTF-8 characters, two-space indent, final newline.

    Examples
    --------
    >>> descriptor_json({"a": "é"})
    '{\\n  "a": "é"\\n}\\n'
    """
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def package_descriptor() -> dict[str, Any]:
    """The ``datapackage.json`` of this package: every table with its inline schema.

    Examples
    --------
    >>> [r["path"] for r in package_descriptor()["resources"]][:2]
    ['data/documents.csv', 'data/measures.csv']
    """
    resources = []
    for name in tableschema.table_names():
        schema = tableschema.load_schema(name)
        resources.append({
            "name": name,
            "path": f"data/{name}.csv",
            "title": schema.get("title", name),
            "description": schema.get("description", ""),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        })
    return {
        "name": "soviet-figures",
        "title": "Soviet figures: statistics quoted in five works on Soviet history, 1926-1941",
        "description": (
            "Every figure quoted as a fact in five works of scholarship on Soviet history (1926-1941), "
            "with the exact place it came from (quote, character offsets, line, the author's cited source). "
            "Topic tables are derived from observations; mentions is the completeness ledger."
        ),
        "version": __version__,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
        "keywords": ["Soviet history", "Communist Party", "purges", "Stakhanovism", "statistics"],
        "resources": resources,
    }


def read_descriptor(descriptor: Path) -> dict[str, Any]:
    """A ``datapackage.json`` as a dict whose ``resources`` are objects with a ``name``
    and a plain relative ``path`` inside the package's directory.

    Raises
    ------
    PackageError : the file is not a regular file, not JSON, not an object, too deeply
        nested, or a resource is malformed or points outside the package.

    Examples
    --------
    >>> import tempfile
    >>> bad = Path(tempfile.mkdtemp()) / "datapackage.json"
    >>> _ = bad.write_text("[]")
    >>> read_descriptor(bad)
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: ...datapackage.json: expected a JSON object with "resources", found a list; start a package with soviet-figures init
    """
    descriptor = Path(descriptor)
    data = read_regular(descriptor, _MAX_DESCRIPTOR_BYTES, "datapackage.json")
    try:
        desc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackageError(f"{descriptor}: expected UTF-8 JSON, found bytes that are not UTF-8; save it as UTF-8") from None
    except RecursionError:
        raise PackageError(f"{descriptor}: expected a data package descriptor, found JSON nested too deeply to read; start a package with soviet-figures init") from None
    except ValueError as exc:
        raise PackageError(f"{descriptor}: expected JSON, found a syntax error ({exc}); fix the file or start again with soviet-figures init") from None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        found = type(desc).__name__ if not isinstance(desc, dict) else "an object without a resources list"
        found = {"list": "a list", "str": "a string", "int": "a number", "float": "a number", "NoneType": "null", "bool": "a boolean"}.get(found, found)
        raise PackageError(f'{descriptor}: expected a JSON object with "resources", found {found}; start a package with soviet-figures init')
    names: set[str] = set()
    files: dict[str, str] = {}
    for i, res in enumerate(desc["resources"], 1):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            raise PackageError(f"{descriptor}: resource {i} is not an object with a name; expected {{\"name\": TABLE, \"path\": \"data/TABLE.csv\", …}}")
        name, path = res["name"], res.get("path")
        if name in names:
            raise PackageError(f"{descriptor}: resource {name!r} appears twice; keep one")
        names.add(name)
        if not isinstance(path, str) or not path or path.startswith(("/", "\\")) or "\\" in path or ".." in Path(path).parts or ":" in path or any(ord(c) < 32 for c in path):
            raise PackageError(f"{descriptor}: resource {name!r} has path {path!r}; expected a relative path inside the package such as data/{name}.csv")
        if not path.endswith(".csv"):
            raise PackageError(f"{descriptor}: resource {name!r} has path {path!r}; expected a CSV file such as data/{name}.csv (every table is CSV)")
        if not within(descriptor.parent / path, descriptor.parent):
            raise PackageError(f"{descriptor}: resource {name!r} path {path!r} leads outside the package (a symbolic link?); keep the tables inside it")
        same = os.path.realpath(descriptor.parent / path)
        if same in files:  # derive would write one table over the other
            raise PackageError(f"{descriptor}: resources {files[same]!r} and {name!r} name the same file {path!r}; expected one file per table, such as data/{name}.csv")
        files[same] = name
    return desc


def resource_paths(descriptor: Path) -> dict[str, Path]:
    """Each table's file, by resource name, from a descriptor read by :func:`read_descriptor`.

    Parameters
    ----------
    descriptor : the path of a ``datapackage.json``

    Returns
    -------
    dict : each resource's name and the path of its file.

    Raises
    ------
    PackageError : the descriptor cannot be read or used.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> resource_paths(datapackage_dir() / "datapackage.json")["documents"].name
    'documents.csv'
    """
    desc = read_descriptor(descriptor)
    return {r["name"]: Path(descriptor).parent / r["path"] for r in desc["resources"]}
