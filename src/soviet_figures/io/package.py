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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__, tableschema
from .._paths import datapackage_dir
from ..errors import PackageError
from .csvfile import csv_text, read_table_rows
from .descriptor import descriptor_json, package_descriptor, resource_paths
from .files import read_regular, write_atomic

__all__ = ["Package", "init_package"]


@dataclass(frozen=True)
class Package:
    """A data package following these schemas, by its ``datapackage.json``."""

    descriptor: Path

    @classmethod
    def open(cls, descriptor: str | os.PathLike[str] | None) -> Package:
        """The package at ``descriptor``, or the installed one (None).

        Raises
        ------
        PackageError : the descriptor is not a readable ``datapackage.json``.
        """
        path = Path(descriptor).resolve() if descriptor is not None else (datapackage_dir() / "datapackage.json").resolve()
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
        return resource_paths(self.descriptor).get(name, self.data_dir / f"{name}.csv")

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows of table ``name`` as dicts of strings ([] if the package has no such file)."""
        path = self.path(name)
        return read_table_rows(path, name) if path.exists() else []

    def text(self, name: str, rows: Iterable[Mapping[str, Any]]) -> str:
        """What :meth:`write` would write (nothing is written)."""
        return csv_text(tableschema.field_names(name), rows)

    def write(self, name: str, rows: Iterable[Mapping[str, Any]]) -> Path:
        """Write table ``name`` atomically; a row with a column the table lacks is refused
        before anything is written."""
        path = self.path(name)
        write_atomic(path, self.text(name, rows))
        return path


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
    if directory.exists() and not directory.is_dir():
        raise PackageError(f"{directory}: expected a directory for the new package, found a file; choose another path")
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
    (directory / "data").mkdir(parents=True, exist_ok=True)
    for path in sorted(files, key=lambda p: p.name == "datapackage.json"):  # the descriptor last
        write_atomic(path, files[path])
    return directory / "datapackage.json"
