"""A table's file (CSV, Parquet, or a table of the release database) as the typed
DataFrame ``sf.load`` gives: one conversion, whatever the format.

Every format is parsed to Arrow with the schema's types, then each column becomes its
pandas array straight from the Arrow buffers; a value outside a column's vocabulary, a
missing or extra column, or a cell of the wrong type is a :class:`TableError`, never a
silent NaN.

>>> from soviet_figures._paths import datapackage_dir
>>> df = read_csv_table("measures", (datapackage_dir() / "data" / "measures.csv").read_bytes())
>>> str(df["topic"].dtype), str(df["id"].dtype)
('category', 'string')
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .. import tableschema
from ..errors import TableError

__all__ = ["read_csv_table", "frame_from_arrow", "read_parquet_table", "read_sqlite_table", "arrow_for_parquet"]

_MAX_PARQUET_BYTES = 256 * 2**20  # a table of this package is under 1 MiB
_MAX_SQLITE_SECONDS = 30.0  # reading a table of the release database takes well under a second
_MASKED = {"Int64": "IntegerArray", "Float64": "FloatingArray", "boolean": "BooleanArray"}


def read_csv_table(name: str, data: bytes, where: str | None = None) -> pd.DataFrame:
    """Parse one table's CSV bytes with the types its schema declares.

    Parameters
    ----------
    name : the table
    data : the CSV file's bytes
    where : the file's name in messages

    Raises
    ------
    TableError : not UTF-8, a header other than the schema's, or a cell its type refuses.

    Examples
    --------
    >>> read_csv_table("links", b"obs_id_a,obs_id_b,relation,note\\na,b,same,\\n")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: links.csv: column relation: values not in the vocabulary: ['same']; expected one of same_quantity_as, disagrees_with, part_of, same_series_as
    """
    where = where or f"{name}.csv"
    expected = tableschema.field_names(name)
    if data.startswith(b"\xef\xbb\xbf"):
        raise TableError(f"{where}: starts with a byte-order mark; expected UTF-8 without BOM: save it again without the BOM")
    try:
        first_line = data[: data.find(b"\n")] if b"\n" in data else data
        header = next(csv.reader(io.StringIO(first_line.decode("utf-8"))), [])
    except UnicodeDecodeError:
        raise TableError(f"{where}: expected UTF-8 text, found bytes that are not; reinstall the package or rebuild the release") from None
    except csv.Error as exc:  # a CR in the header line
        raise TableError(f"{where}: expected a CSV header line, found one that cannot be read ({exc}); save the file with LF line ends") from None
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        raise TableError(
            f"{where}: expected the columns of schemas/{name}.schema.json"
            + (f"; missing columns: {missing}" if missing else "")
            + (f"; unexpected columns: {extra}" if extra else "")
            + ("; columns out of order" if not missing and not extra else "")
        )
    types = tableschema.column_types(name)
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(block_size=max(1 << 20, len(data) + 1)),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: t.arrow for c, t in types.items()}, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True, true_values=["true"], false_values=["false"],
            ),
        )
    except pa.ArrowException as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        if "invalid UTF8" in first:
            raise TableError(f"{where}: expected UTF-8 text ({first})") from None
        raise TableError(f"{where}: cannot be read with its schema's types ({first})") from None
    return frame_from_arrow(name, table, where)


def frame_from_arrow(name: str, table: pa.Table, where: str) -> pd.DataFrame:
    """An Arrow table holding ``name``'s columns (in the schema's types, or a dictionary or
    string for a vocabulary) as the typed DataFrame.

    Examples
    --------
    >>> frame_from_arrow("links", pa.table({"obs_id_a": ["a"], "obs_id_b": ["b"], "relation": ["disagrees_with"], "note": [None]}), "x")["relation"].tolist()
    ['disagrees_with']
    """
    types = tableschema.column_types(name)
    if table.column_names != list(types):
        missing = [c for c in types if c not in table.column_names]
        extra = [c for c in table.column_names if c not in types]
        raise TableError(f"{where}: expected the columns of schemas/{name}.schema.json"
                         + (f"; missing columns: {missing}" if missing else "") + (f"; unexpected columns: {extra[:10]}" if extra else "")
                         + ("; columns out of order or repeated" if not missing and not extra else ""))
    columns = {}
    for column, kind in types.items():
        arr = table.column(column)
        if pa.types.is_dictionary(arr.type):
            arr = arr.cast(pa.string())
        if arr.type != kind.arrow and not (pa.types.is_null(arr.type) or (pa.types.is_integer(arr.type) and pa.types.is_floating(kind.arrow))):
            raise TableError(f"{where}: column {column} holds {arr.type}, expected {kind.arrow}")
        try:
            cast = arr.cast(kind.arrow)
        except pa.ArrowException as exc:
            raise TableError(f"{where}: column {column} cannot be read as {kind.arrow} ({str(exc)[:120]})") from None
        columns[column] = _to_pandas(column, cast, kind, where)
    return pd.DataFrame(columns, copy=False)


def _to_pandas(column: str, arr: Any, kind: tableschema.ColumnType, where: str) -> Any:
    """One Arrow column as the pandas array of its dtype, built directly from its buffers
    (pyarrow's general ``to_pandas`` costs as much again as parsing on a table this size)."""
    if kind.vocabulary:
        codes = pc.index_in(arr, value_set=_vocabulary(kind.vocabulary))
        if codes.null_count != arr.null_count:
            bad = sorted(set(pc.filter(arr, pc.and_(pc.is_valid(arr), pc.is_null(codes))).to_pylist()))
            raise TableError(f"{where}: column {column}: values not in the vocabulary: {bad[:5]}; expected one of {', '.join(kind.vocabulary)}")
        return pd.Categorical.from_codes(pc.fill_null(codes, -1).to_numpy().astype(np.int32), dtype=kind.pandas, validate=False)
    if isinstance(kind.pandas, str) and kind.pandas in _MASKED:
        values = pc.fill_null(arr, False if kind.pandas == "boolean" else 0).to_numpy()
        return getattr(pd.arrays, _MASKED[kind.pandas])(values, pc.is_null(arr).to_numpy())
    return kind.pandas.__from_arrow__(arr)


@lru_cache(maxsize=None)
def _vocabulary(values: tuple[str, ...]) -> pa.Array:
    return pa.array(list(values), pa.string())


def read_parquet_table(name: str, data: bytes, where: str) -> pd.DataFrame:
    """A release's Parquet file of ``name`` as the typed DataFrame.

    Parameters
    ----------
    name : the table
    data : the Parquet file's bytes
    where : the file's name, for messages

    Returns
    -------
    DataFrame : the table, typed as ``sf.load`` types it.

    Raises
    ------
    TableError : not Parquet, or columns, types or vocabularies other than the schema's.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> buf = io.BytesIO()
    >>> pq.write_table(arrow_for_parquet("documents", sf.load("documents"), {}), buf)
    >>> read_parquet_table("documents", buf.getvalue(), "documents.parquet").equals(sf.load("documents"))
    True
    >>> read_parquet_table("documents", b"not parquet", "x.parquet")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: x.parquet: expected a Parquet file ...
    """
    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
        inflated = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if inflated > _MAX_PARQUET_BYTES:  # decompressed size is bounded before anything is decompressed
            raise TableError(f"{where}: would decompress to {inflated:,} bytes; expected a table under {_MAX_PARQUET_BYTES // 2**20} MiB: not a release of this package")
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise TableError(f"{where}: expected a Parquet file ({first}); download the release again") from None
    return frame_from_arrow(name, table.replace_schema_metadata(None), where)


def read_sqlite_table(name: str, path: Path) -> pd.DataFrame:
    """A table of the release database as the typed DataFrame (the file is opened read-only).

    Parameters
    ----------
    name : the table
    path : the release's ``.sqlite`` file

    Returns
    -------
    DataFrame : the table, typed as ``sf.load`` types it.

    Raises
    ------
    TableError : not a database, or the table or one of its columns is missing.

    Examples
    --------
    >>> import tempfile
    >>> import soviet_figures as sf
    >>> from soviet_figures.io.release import sqlite_bytes
    >>> p = Path(tempfile.mkdtemp()) / "r.sqlite"
    >>> _ = p.write_bytes(sqlite_bytes({n: sf.load(n) for n in tableschema.table_names()}))
    >>> read_sqlite_table("documents", p).equals(sf.load("documents"))
    True
    """
    types = tableschema.column_types(name)
    deadline = time.monotonic() + _MAX_SQLITE_SECONDS
    try:  # read-only and immutable: opening it never writes a journal or WAL file beside it
        con = sqlite3.connect(f"file:{urllib.parse.quote(str(Path(path).resolve()))}?mode=ro&immutable=1", uri=True)
        try:
            # a query is interrupted past the deadline: a view over an endless recursive query cannot hang the reader
            con.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
            kind = con.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            if kind is None or kind[0] != "table":
                raise TableError(f"{path}: expected a table {name} in the database, found {'nothing' if kind is None else 'a ' + str(kind[0])}; download the release again")
            quoted = ", ".join(f'"{c}"' for c in types)
            rows = con.execute(f'SELECT {quoted} FROM "{name}" ORDER BY rowid').fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise TableError(f"{path}: expected a SQLite database with table {name} and its columns ({exc}); download the release again") from None
    arrays = []
    for i, (column, kind) in enumerate(types.items()):
        values = [r[i] for r in rows]
        if kind.arrow == pa.bool_():
            odd = [v for v in values if v not in (None, 0, 1) or isinstance(v, float)]
            if odd:
                raise TableError(f"{path}: table {name}, column {column}: expected 0, 1 or NULL for a boolean, found {odd[0]!r}; download the release again")
            values = [None if v is None else bool(v) for v in values]
        try:
            arrays.append(pa.array(values, type=kind.arrow))
        except (pa.ArrowException, OverflowError) as exc:
            raise TableError(f"{path}: table {name}, column {column}: expected {kind.arrow} ({str(exc)[:200]}); download the release again") from None
    return frame_from_arrow(name, pa.Table.from_arrays(arrays, names=list(types)), str(path))


def arrow_for_parquet(name: str, df: pd.DataFrame, metadata: dict[str, str]) -> pa.Table:
    """The typed DataFrame of ``name`` as the Arrow table a release's Parquet file holds.

    Vocabularies become dictionaries of the whole vocabulary, each field carries its
    description, and ``metadata`` goes on the schema together with the ``pandas`` key
    (what ``pyarrow.Table.from_pandas`` writes, derived from the schema's dtypes): a plain
    ``pandas.read_parquet`` then gives the dtypes ``sf.load`` gives (``Int64``, ``Float64``,
    ``boolean``, ``string``, ``category``), not float64 for a column with a missing integer.
    The Arrow types stay plain, so DuckDB, Polars or R read the file as before.

    Parameters
    ----------
    name : the table
    df : its typed DataFrame (as ``sf.load`` gives it)
    metadata : key-value metadata for the Arrow schema

    Returns
    -------
    pyarrow.Table : the table as written to Parquet.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> t = arrow_for_parquet("documents", sf.load("documents"), {"version": "x"})
    >>> t.num_rows, list(t.schema.metadata), t.schema.metadata[b"version"]
    (5, [b'version', b'pandas'], b'x')
    >>> str(t.to_pandas()["year"].dtype)
    'Int64'
    """
    fields = []
    for f in tableschema.fields(name):
        kind = tableschema.column_types(name)[f["name"]]
        meta = {"description": f.get("description", ""), "type": f["type"]}
        if kind.vocabulary:
            meta["enum"] = json.dumps(list(kind.vocabulary), ensure_ascii=False)
        fields.append(pa.field(f["name"], kind.stored, nullable=not f.get("constraints", {}).get("required", False), metadata=meta))
    arrays = []
    for field in fields:
        col = df[field.name]
        if pa.types.is_dictionary(field.type):
            codes = col.cat.codes.to_numpy().astype("int32")
            arrays.append(pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0, type=pa.int32()), pa.array(list(col.cat.categories), type=pa.string())))
        else:
            arrays.append(pa.array(col.astype(object).where(col.notna(), None).tolist(), type=field.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata={**metadata, "pandas": _pandas_metadata(name)}))


@lru_cache(maxsize=None)
def _pandas_metadata(name: str) -> str:
    """The ``pandas`` schema metadata of ``name``'s typed DataFrame, from its schema alone
    (an empty frame of its dtypes): the same for every frame of the table, so a rebuild
    writes the same bytes."""
    empty = pd.DataFrame({column: pd.Series([], dtype=dtype) for column, dtype in tableschema.pandas_dtypes(name).items()})
    return pa.Schema.from_pandas(empty, preserve_index=False).metadata[b"pandas"].decode("utf-8")
