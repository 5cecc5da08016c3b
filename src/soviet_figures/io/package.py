"""A data package on disk that commands read and change: the installed one, or a
contributor's own (``--package DIR/datapackage.json``).

Tables are read strictly (a header other than the schema's, a row of the wrong width, a
BOM: refused, never repaired) and written atomically. Paths come from the descriptor and
must stay inside the package.

>>> pkg = Package.open(None)
>>> pkg.installed, len(pkg.rows("documents"))
(True, 5)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__, tableschema
from .._paths import datapackage_dir
from ..errors import PackageError, TableError
from .csvfile import csv_text, read_table_rows
from .descriptor import descriptor_json, package_descriptor, resource_paths
from .files import read_regular, within, write_files

__all__ = ["Package", "init_package"]

# what a cell of each typed column must look like for the commands to compute with it
_CELL = {
    "integer": (re.compile(r"-?[0-9]{1,18}"), "an integer"),
    "number": (re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"), "a number"),
    "boolean": (re.compile(r"true|false"), "true or false"),
}


@dataclass(frozen=True)
class Package:
    """A data package following these schemas, by its ``datapackage.json``.

    Parameters
    ----------
    descriptor : the resolved path of the package's ``datapackage.json`` (use :meth:`open`)

    Examples
    --------
    >>> pkg = Package.open(None)
    >>> pkg.descriptor.name, pkg.path("documents").name
    ('datapackage.json', 'documents.csv')
    """

    descriptor: Path

    @classmethod
    def open(cls, descriptor: str | os.PathLike[str] | None) -> Package:
        """The package at ``descriptor``, or the installed one (None).

        Raises
        ------
        PackageError : the descriptor is not a readable ``datapackage.json``.
        """
        try:
            path = Path(descriptor).resolve() if descriptor is not None else (datapackage_dir() / "datapackage.json").resolve()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL in the name, a symlink loop
            raise PackageError(f"{descriptor!r}: expected the path of a datapackage.json, found a path that cannot be used ({exc}); give DIR/datapackage.json") from None
        if path.is_dir():
            raise PackageError(f"{descriptor}: expected the path of a datapackage.json, found a directory; give {Path(str(descriptor)) / 'datapackage.json'}")
        resource_paths(path)  # refuses a descriptor it cannot use
        return cls(path)

    @property
    def installed(self) -> bool:
        """Whether this is the package that ships with soviet-figures."""
        return self.descriptor == (datapackage_dir() / "datapackage.json").resolve()

    @property
    def data_dir(self) -> Path:
        return self.descriptor.parent / "data"

    def path(self, name: str) -> Path:
        """The file of table ``name`` (as the descriptor names it, else ``data/<name>.csv``)."""
        tableschema.check_table_name(name)
        path = resource_paths(self.descriptor).get(name, self.data_dir / f"{name}.csv")
        if not within(path, self.descriptor.parent):  # a table the descriptor does not list is checked too
            raise PackageError(f"{path}: expected the file of table {name} inside the package, found a symbolic link leading outside it; keep the tables inside {self.descriptor.parent}")
        return path

    def rows(self, name: str, strict: bool = True) -> list[dict[str, str]]:
        """The rows of table ``name`` as dicts of strings ([] if the package has no such file).

        With ``strict``, a primary key that repeats, or a cell of an integer, number or
        boolean column that is not one, is refused: the commands that change a package look
        rows up by their key and compute with their numbers, and would otherwise act on one of
        two rows (writing the table back without the other) or stop half-way.

        Raises
        ------
        TableError : the file cannot be read strictly, or (``strict``) a key repeats or a
            cell is not of its column's type.

        Examples
        --------
        >>> len(Package.open(None).rows("documents", strict=False))
        5
        """
        path = self.path(name)
        rows = read_table_rows(path, name) if path.exists() else []
        if not strict:
            return rows
        key = tableschema.load_schema(name).get("primaryKey", [])
        typed = {f["name"]: _CELL[f["type"]] for f in tableschema.fields(name) if f["type"] in _CELL}
        seen: set[str] = set()
        for n, r in enumerate(rows, 1):
            if len(key) == 1:
                if r[key[0]] in seen:
                    raise TableError(f"{path}: row {n}: {key[0]} {r[key[0]]!r} repeats an earlier row; expected each {key[0]} once: fix the table (soviet-figures validate shows where); nothing was changed")
                seen.add(r[key[0]])
            for column, (pattern, kind) in typed.items():
                if r[column] and not pattern.fullmatch(r[column]):
                    raise TableError(f"{path}: row {n}, column {column}: expected {kind}, found {r[column][:40]!r}; fix the cell (soviet-figures validate shows every such cell); nothing was changed")
        return rows

    def text(self, name: str, rows: Iterable[Mapping[str, Any]]) -> str:
        """What :meth:`write` would write (nothing is written)."""
        return csv_text(tableschema.field_names(name), rows)

    def write(self, name: str, rows: Iterable[Mapping[str, Any]]) -> Path:
        """Write table ``name`` atomically; a row with a column the table lacks is refused
        before anything is written."""
        return self.write_tables({name: rows})[0]

    def write_tables(self, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Path]:
        """Write several tables, in the order given, each atomically: every table's text is
        made (and every target checked) before the first file is written.

        Examples
        --------
        >>> import tempfile
        >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
        >>> pkg.write_tables({"links": [{"obs_id_a": "a", "bogus": "x"}]})
        Traceback (most recent call last):
        ...
        soviet_figures.errors.TableError: a row has columns ['bogus'] that the table does not have (expected only obs_id_a, obs_id_b, relation, note); nothing was written
        """
        texts = {self.path(name): self.text(name, rows) for name, rows in tables.items()}
        return write_files(dict(texts))


def init_package(directory: Path) -> Path:
    """Start a package of one's own following these schemas in ``directory``.

    Nothing is overwritten: a ``datapackage.json`` or any table file already there is
    refused before anything is written.

    Raises
    ------
    PackageError : ``directory`` is a file, or already holds a package or its tables.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "mine"
    >>> init_package(d).name, len(Package.open(d / "datapackage.json").rows("measures")) > 50
    ('datapackage.json', True)
    """
    directory = Path(directory)
    if os.path.lexists(directory) and not directory.is_dir():
        raise PackageError(f"{directory}: expected a directory for the new package, found {'a file' if directory.is_file() else 'something else (a broken link, a pipe or a device)'}; choose another path (nothing was written)")
    data = directory / "data"
    if os.path.lexists(data) and (not data.is_dir() or data.is_symlink()):
        raise PackageError(f"{data}: expected a directory for the tables (or nothing), found {'a symbolic link' if data.is_symlink() else 'a file'}; choose another path (nothing was written)")
    existing = [p for p in [directory / "datapackage.json", *(directory / "data" / f"{n}.csv" for n in tableschema.table_names())] if p.exists() or p.is_symlink()]
    if existing:
        raise PackageError(f"{existing[0]} exists already; expected an empty directory; nothing changed (use --package {directory / 'datapackage.json'} to work on an existing package)")
    desc = package_descriptor()
    desc["name"] = directory.resolve().name.lower().replace(" ", "-") or "my-figures"
    desc["title"] = f"Figures transcribed following soviet-figures {__version__}"
    files = {directory / "datapackage.json": descriptor_json(desc)}
    for name in tableschema.table_names():
        if name == "measures":  # the shared vocabulary
            files[directory / "data" / "measures.csv"] = read_regular(datapackage_dir() / "data" / "measures.csv").decode("utf-8")
        else:
            files[directory / "data" / f"{name}.csv"] = csv_text(tableschema.field_names(name), [])
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"{data}: expected to create the package's directory, but cannot ({exc.strerror}); choose another path") from None
    # the descriptor last: an interrupted init leaves no datapackage.json that names missing tables
    write_files({path: files[path] for path in sorted(files, key=lambda p: p.name == "datapackage.json")})
    return directory / "datapackage.json"
