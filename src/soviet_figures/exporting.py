"""A table written out: exported whole or filtered as CSV, Parquet or JSON
(``soviet-figures export``), or shown as text (``soviet-figures show``).

Each format says the same thing as the package's own files: CSV with the package's CSV
writer (the whole table exports to the very bytes of ``datapackage/data/<table>.csv``),
Parquet with the release's writer (dtypes, vocabularies and the Table Schema carried in
the file), JSON as one object per row with the schema's keys in the schema's order and
``null`` for a missing cell.

>>> data = export_table("observations", "json", {"doc_id": ["nktp-second-plenum"], "year_start": [1935, 1936]})
>>> sorted({(r["doc_id"], r["year_start"]) for r in json.loads(data)})
[('nktp-second-plenum', 1935), ('nktp-second-plenum', 1936)]
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import tableschema
from .errors import PackageError, TableError
from .io import EXPORT_FORMATS
from .io.csvfile import csv_text
from .io.files import within, write_atomic
from .io.release import parquet_bytes
from .loader import load
from .names import closest

__all__ = ["check_table", "typed_filters", "table_bytes", "export_table", "write_export", "preview_columns", "table_preview"]


# what says what a row is, most telling first: after the primary key, ``show`` takes these
# (those the table has), then the table's other required fields, while they fit the width
_SAYS_WHAT_A_ROW_IS = (
    "name", "label", "title_en", "authors", "year", "kind", "subject", "period", "measure", "value_text", "value",
    "unit", "text", "status", "obs_id", "reason", "relation", "result", "agrees", "series_id",
)
PREVIEW_WIDTH = 150  # characters a line of ``show`` may take by default
CELL_WIDTH = 40  # characters of a cell ``show`` prints before cutting it short
PREVIEW_SAMPLE = 10  # ``show`` chooses its columns by this many rows at least: --rows 0 or 3 show the same columns as 10


def check_table(name: str) -> str:
    """``name`` if it is a table of the package, else a :class:`TableError` naming the
    valid tables and the closest to ``name``.

    Parameters
    ----------
    name : a table's name as typed

    Returns
    -------
    str : ``name``.

    Raises
    ------
    TableError : no table is called ``name``.

    Examples
    --------
    >>> check_table("observation")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: unknown table 'observation'; valid tables: documents, measures, subjects, contexts, observations, mentions, links, arithmetic, series, party_membership, party_expulsions, graduates_and_promotion, labour_and_injuries, production_and_plans, workforce; the closest: observations, mentions
    """
    try:
        return tableschema.check_table_name(name)
    except TableError as exc:
        raise TableError(f"{exc}; the closest: {', '.join(closest(str(name), tableschema.table_names()))}") from None


def typed_filters(name: str, pairs: Iterable[tuple[str, str]]) -> dict[str, list[Any]]:
    """``(column, text)`` pairs as typed from the command line, as the filters of
    :func:`~soviet_figures.loader.load`: each text read as its column's type (an integer,
    a number, ``true``/``false``), several values of one column kept as one-of.

    A column the table does not have is passed on as it is: :func:`load` refuses it, naming
    the valid columns.

    Parameters
    ----------
    name : the table
    pairs : ``(column, value)`` in the order given

    Returns
    -------
    dict : column → list of values.

    Raises
    ------
    TableError : an empty value, or a value its column's type cannot hold.

    Examples
    --------
    >>> typed_filters("observations", [("year_start", "1937"), ("unit", "persons"), ("year_start", "1938")])
    {'year_start': [1937, 1938], 'unit': ['persons']}
    >>> typed_filters("observations", [("value", "many")])
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: value=many: expected a number for observations.value, found text; give a number such as 2.5
    """
    types = {f["name"]: f["type"] for f in tableschema.fields(name)}
    out: dict[str, list[Any]] = {}
    for column, text in pairs:
        if text == "":
            raise TableError(f"{column}=: expected a value after '='; a filter keeps the rows whose cell equals it (missing cells never match)")
        out.setdefault(column, []).append(_typed_value(name, column, types.get(column, "string"), text))
    return out


def _typed_value(name: str, column: str, kind: str, text: str) -> Any:
    """``text`` as a value of a ``kind`` column (Table Schema's type), else a TableError."""
    if kind == "boolean":
        if text not in ("true", "false"):
            raise TableError(f"{column}={text}: expected true or false for {name}.{column}, found {text!r}")
        return text == "true"
    readers = {"integer": (int, "an integer", "1937"), "number": (float, "a number", "2.5")}
    if kind not in readers:
        return text
    read, what, example = readers[kind]
    try:
        value = read(text)
    except ValueError:
        raise TableError(f"{column}={text}: expected {what} for {name}.{column}, found text; give {what} such as {example}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise TableError(f"{column}={text}: expected a finite number for {name}.{column}, found {text!r}; give a number such as {example}")
    return value


def table_bytes(name: str, df: pd.DataFrame, fmt: str) -> bytes:
    """A typed frame of ``name`` (as :func:`load` gives it) in one of :data:`~soviet_figures.io.EXPORT_FORMATS`.

    Parameters
    ----------
    name : the table
    df : its rows, typed
    fmt : ``csv``, ``parquet`` or ``json``

    Returns
    -------
    bytes : the file: CSV as the package writes it (UTF-8, LF, quoting only where needed);
        the release's Parquet; JSON, an array of one object per row on its own line.

    Raises
    ------
    TableError : an unknown format.

    Examples
    --------
    >>> table_bytes("links", load("links").head(1), "csv").decode().splitlines()[0]
    'obs_id_a,obs_id_b,relation,note'
    >>> table_bytes("links", load("links"), "xml")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: format 'xml': expected one of csv, parquet, json
    """
    columns = tableschema.field_names(name)
    if fmt == "csv":
        return csv_text(columns, _records(df[columns])).encode("utf-8")
    if fmt == "parquet":
        return parquet_bytes(name, df[columns])
    if fmt == "json":
        lines = [json.dumps(r, ensure_ascii=False, allow_nan=False) for r in _records(df[columns])]
        return ("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n").encode("utf-8")
    raise TableError(f"format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, ``None`` for every kind of missing cell."""
    return [{str(k): None if _missing(v) else v for k, v in r.items()} for r in df.to_dict("records")]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def export_table(name: str, fmt: str, filters: Mapping[str, Any] | None = None, release: str | Path | None = None) -> bytes:
    """Table ``name``, filtered as :func:`load` filters, in format ``fmt``.

    Parameters
    ----------
    name : a table of the package
    fmt : ``csv``, ``parquet`` or ``json``
    filters : ``column`` → a value or a list of values (one-of); filters combine with AND
    release : read the table from a release (as ``load(name, release=...)``)

    Returns
    -------
    bytes : the file's contents (see :func:`table_bytes`).

    Raises
    ------
    TableError : an unknown table, column, format, or a value outside a vocabulary.
    ReleaseError : a release that is incomplete, changed, or not a release.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> export_table("measures", "csv") == (datapackage_dir() / "data" / "measures.csv").read_bytes()
    True
    >>> export_table("measures", "csv", {"colour": "red"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: unknown column(s) ['colour'] for table 'measures'; valid columns: id, label, ...
    """
    check_table(name)
    if fmt not in EXPORT_FORMATS:
        raise TableError(f"format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    return table_bytes(name, load(name, release=release, **dict(filters or {})), fmt)


def write_export(data: bytes, out: str | os.PathLike[str], protected: Sequence[Path]) -> Path:
    """Write an export atomically to the file ``out``, unless it lies inside one of the
    ``protected`` directories (a data package, a release: it would replace their files).

    Parameters
    ----------
    data : the export's bytes
    out : the file to write (its directory must exist)
    protected : directories nothing may be exported into

    Returns
    -------
    Path : ``out``.

    Raises
    ------
    PackageError : ``out`` is inside a protected directory, is a directory, or its
        directory does not exist (nothing is written).

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> write_export(b"", datapackage_dir() / "data" / "links.csv", [datapackage_dir()])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: .../links.csv: expected a file outside the data package or release .../datapackage, found one inside it (it would replace what is read); choose another --out (nothing was written)
    """
    path = Path(out)
    for root in protected:
        if within(path, root):
            found = "one inside it" if root.is_dir() else "that file itself"
            raise PackageError(f"{path}: expected a file outside the data package or release {root}, found {found} (it would replace what is read); choose another --out (nothing was written)")
    write_atomic(path, data)
    return path


def preview_columns(name: str, df: pd.DataFrame, width: int = PREVIEW_WIDTH) -> list[str]:
    """The columns ``show`` prints by default: the primary key, then the fields that say what
    a row is, then the table's other required fields, as many as fit in ``width``
    characters when ``df``'s rows are printed (a column is as wide as its name or its
    widest cell, cut at :data:`CELL_WIDTH`).

    Parameters
    ----------
    name : the table
    df : the rows to be printed (their cells give the widths)
    width : the characters a line may take

    Returns
    -------
    list of str : column names, the primary key first.

    Examples
    --------
    >>> preview_columns("observations", load("observations").head(10))
    ['obs_id', 'subject', 'period', 'measure', 'value_text', 'value', 'unit']
    >>> preview_columns("subjects", load("subjects").head(10))[:3]
    ['subject_id', 'name', 'kind']
    """
    schema = tableschema.load_schema(name)
    fields = [f["name"] for f in schema["fields"]]
    required = [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")]
    key = list(schema.get("primaryKey", []))
    wanted = key + [c for c in _SAYS_WHAT_A_ROW_IS if c in fields] + required
    chosen: list[str] = []
    used = -1  # no separator before the first column
    for column in dict.fromkeys(wanted):
        used += 1 + _shown_width(df[column], column)
        if used > width and chosen:
            break
        chosen.append(column)
    return chosen


def _shown_width(values: pd.Series, column: str) -> int:
    """The characters a column takes in ``show``: its name or its widest cell (cut at
    :data:`CELL_WIDTH`; a missing cell prints as ``<NA>``; a line break as ``\\n``)."""
    cells = values.astype(object).where(values.notna(), "<NA>").astype(str).str.replace("\n", "\\n")
    widest = int(cells.str.len().max()) if len(cells) else 0
    return max(len(column), widest if widest <= CELL_WIDTH else CELL_WIDTH + 1)  # a cut cell takes one more


def table_preview(name: str, df: pd.DataFrame, rows: int, columns: Sequence[str] | None = None) -> str:
    """The first ``rows`` rows of a table as aligned text, and a last line with the row count.

    Parameters
    ----------
    name : the table
    df : its rows, typed
    rows : how many rows to print (0: the header only)
    columns : the columns to print (default: :func:`preview_columns`)

    Returns
    -------
    str : the text ``show`` prints.

    Raises
    ------
    TableError : a column the table does not have (the message names them all).

    Examples
    --------
    >>> print(table_preview("links", load("links"), 0, ["relation", "obs_id_a"]))
    relation  obs_id_a
    [167 rows] showing 2 of 4 columns (--columns a,b,c chooses others)
    >>> table_preview("links", load("links"), 1, ["relaton"])
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: unknown column(s) ['relaton'] for table 'links'; valid columns: obs_id_a, obs_id_b, relation, note; the closest: relation
    """
    fields = tableschema.field_names(name)
    chosen = list(columns) if columns else preview_columns(name, df.head(max(rows, PREVIEW_SAMPLE)))
    unknown = [c for c in chosen if c not in fields]
    if unknown:
        raise TableError(f"unknown column(s) {unknown} for table {name!r}; valid columns: {', '.join(fields)}; the closest: {', '.join(closest(unknown[0], fields))}")
    shown = df[chosen].head(rows)
    body = shown.to_string(index=False, max_colwidth=CELL_WIDTH) if len(shown) else "  ".join(chosen)
    more = f" showing {len(chosen)} of {len(fields)} columns (--columns a,b,c chooses others)" if len(chosen) < len(fields) else ""
    return f"{body}\n[{len(df)} rows]{more}"
