"""The one CSV reader and writer of the package's tables (RFC 4180, UTF-8, LF).

Reading is strict: a byte-order mark, a header that is not the table's columns, or a row
with more or fewer cells than the header is refused, never silently repaired; cells may be
as long as a table file may be. Writing quotes only where needed and goes through
:func:`~soviet_figures.io.files.write_atomic`.

>>> text = csv_text(["a", "b"], [{"a": "x, y", "b": 1.0}])
>>> text
'a,b\\n"x, y",1\\n'
>>> parse_rows(text.encode(), "t.csv", ["a", "b"])
[{'a': 'x, y', 'b': '1'}]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import tableschema
from ..errors import PackageError, TableError
from .files import read_regular, utf8_text, write_atomic

__all__ = ["csv_text", "cell_text", "parse_rows", "read_rows", "read_table_rows", "write_rows"]


def cell_text(x: Any) -> str:
    """A value as its CSV cell: missing → empty, whole floats without ``.0``, booleans in
    Table Schema's spelling.

    Examples
    --------
    >>> cell_text(None), cell_text(3.0), cell_text(0.667), cell_text(True), cell_text(float("nan"))
    ('', '3', '0.667', 'true', '')
    """
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        if x != x:
            return ""
        return repr(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)
    if str(x) == "<NA>":
        return ""
    return str(x)


def csv_text(fieldnames: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """RFC 4180 CSV with LF line ends, quoting only where needed.

    A row with a key that is not in ``fieldnames`` is refused (nothing is dropped).

    Parameters
    ----------
    fieldnames : the header, in order
    rows : the rows, as mappings from column to value (a missing key is an empty cell)

    Returns
    -------
    str : the CSV text, header first.

    Raises
    ------
    TableError : a row has a key that is not in ``fieldnames``.

    Examples
    --------
    >>> csv_text(["a", "b"], [{"a": "x,y", "b": None}, {"a": 1}])
    'a,b\\n"x,y",\\n1,\\n'
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fieldnames)
    known = set(fieldnames)
    for r in rows:
        extra = [k for k in r if k not in known]
        if extra:
            raise TableError(f"a row has columns {extra} that the table does not have (expected only {', '.join(fieldnames)}); nothing was written")
        writer.writerow([cell_text(r.get(k)) for k in fieldnames])
    return buf.getvalue()


def parse_rows(data: bytes, label: str, expected: list[str] | None = None) -> list[dict[str, str]]:
    """The rows of CSV ``data`` as dicts of strings, refusing what they cannot hold.

    Parameters
    ----------
    data : the file's bytes
    label : the file's name in messages
    expected : the columns the header must be, in order (None: any header without repeats)

    Raises
    ------
    TableError : a BOM, not UTF-8, a header other than ``expected``, a row of the wrong
        width (its row number is named).

    Examples
    --------
    >>> parse_rows(b"a,b\\n1,2,3\\n", "t.csv", ["a", "b"])
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: t.csv: row 1 has 3 cells, expected 2 (a, b); nothing was changed
    """
    text = utf8_text(data, label, TableError, "; nothing was changed")
    if "\x00" in text:
        raise TableError(f"{label}: contains NUL bytes; expected a CSV text file; nothing was changed")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise TableError(f"{label}: cannot be read as CSV ({exc}); fix the quoting; nothing was changed") from None
    if not records:
        raise TableError(f"{label}: is empty; expected at least the header{' (' + ', '.join(expected) + ')' if expected else ''}; nothing was changed")
    header = records[0]
    if expected is not None and header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = (f"; missing {missing}" if missing else "") + (f"; not in the schema {extra}" if extra else "") or "; the columns are out of order or repeated"
        raise TableError(f"{label}: expected the header {', '.join(expected)}{detail}; fix the header; nothing was changed")
    if len(set(header)) != len(header):
        raise TableError(f"{label}: a column appears twice in the header; nothing was changed")
    rows = []
    for n, record in enumerate(records[1:], 1):
        if len(record) != len(header):
            raise TableError(f"{label}: row {n} has {len(record)} cells, expected {len(header)} ({', '.join(header)}); nothing was changed")
        rows.append(dict(zip(header, record)))
    return rows


def read_rows(path: Path, expected: list[str] | None = None) -> list[dict[str, str]]:
    """:func:`parse_rows` of a regular file (a FIFO or a directory is refused).

    Parameters
    ----------
    path : the CSV file
    expected : the header the file must have (None: any header)

    Returns
    -------
    list of dict : the rows, every cell a string.

    Raises
    ------
    TableError : the file is not a regular file or cannot be parsed strictly.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("a,b\\n1,\\n", encoding="utf-8")
    >>> read_rows(p, ["a", "b"])
    [{'a': '1', 'b': ''}]
    """
    try:
        data = read_regular(path, what="CSV file")
    except PackageError as exc:
        raise TableError(str(exc)) from None
    return parse_rows(data, str(path), expected)


def read_table_rows(path: Path, table: str) -> list[dict[str, str]]:
    """The rows of ``table``'s CSV file at ``path``, whose header must be the schema's.

    Parameters
    ----------
    path : the CSV file
    table : the table whose schema gives the header

    Returns
    -------
    list of dict : the rows, every cell a string.

    Raises
    ------
    TableError : the file cannot be read strictly, or its header is not the schema's.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> rows = read_table_rows(datapackage_dir() / "data" / "documents.csv", "documents")
    >>> len(rows), "doc_id" in rows[0]
    (5, True)
    """
    return read_rows(path, tableschema.field_names(table))


def write_rows(path: Path, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write ``table``'s rows to ``path`` atomically, with the schema's columns.

    Parameters
    ----------
    path : the CSV file to write
    table : the table whose schema gives the columns
    rows : the rows, as mappings from column to value

    Raises
    ------
    TableError : a row has a column the table does not have (nothing is written).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "links.csv"
    >>> write_rows(p, "links", [{"obs_id_a": "a-0001", "obs_id_b": "a-0002", "relation": "part_of"}])
    >>> p.read_text(encoding="utf-8")
    'obs_id_a,obs_id_b,relation,note\\na-0001,a-0002,part_of,\\n'
    """
    write_atomic(path, csv_text(tableschema.field_names(table), rows))
