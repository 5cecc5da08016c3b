"""Load the package's tables as typed pandas DataFrames.

>>> import soviet_figures as sf
>>> df = sf.load("observations", doc_id="nktp-second-plenum")
>>> str(df["qualifier"].dtype), str(df["value"].dtype), str(df["char_start"].dtype)
('category', 'Float64', 'Int64')
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tableschema
from ._paths import datapackage_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TableError", "read_table", "load", "tables", "documents"]


class TableError(ValueError):
    """A table file is missing, damaged, or does not match its schema's columns."""


def read_table(name: str, path: str | Path | None = None, data: bytes | None = None) -> pd.DataFrame:
    """Read one table's CSV with the dtypes its schema declares.

    ``data`` (bytes of the CSV) takes precedence over ``path``; by default the installed
    ``datapackage/data/<name>.csv`` is read.
    """
    import pandas as pd

    dtypes = tableschema.pandas_dtypes(name)
    expected = list(dtypes)
    if data is None:
        path = Path(path) if path is not None else datapackage_dir() / "data" / f"{name}.csv"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise TableError(f"{path}: table file is missing (reinstall the package or rebuild the release)") from None
    where = str(path) if path is not None else f"{name}.csv"
    try:
        first_line = data[: data.find(b"\n")] if b"\n" in data[:65536] else data[:65536]
        header = next(csv.reader(io.StringIO(first_line.decode("utf-8"))), [])
    except UnicodeDecodeError:
        raise TableError(f"{where}: not UTF-8 text") from None
    except StopIteration:
        header = []
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        raise TableError(
            f"{where}: header does not match schemas/{name}.schema.json"
            + (f"; missing columns: {missing}" if missing else "")
            + (f"; unexpected columns: {extra}" if extra else "")
            + ("; columns out of order" if not missing and not extra else "")
        )
    try:
        return _read_arrow(name, data)
    except (ValueError, TypeError, KeyError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        if "invalid UTF8" in str(exc):
            raise TableError(f"{where}: not UTF-8 text ({str(exc).splitlines()[0]})") from None
        raise TableError(f"{where}: cannot be read with its schema's types ({str(exc).splitlines()[0]})") from None


def _read_arrow(name: str, data: bytes) -> pd.DataFrame:
    """Parse with pyarrow using the schema's types; vocabularies become pandas categoricals."""
    import pandas as pd
    import pyarrow.csv as pacsv

    plan = _plan(name)
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(block_size=max(1 << 20, len(data) + 1)),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={column: arrow_type for column, arrow_type, _, _ in plan}, null_values=[""],
            strings_can_be_null=True, quoted_strings_can_be_null=True, true_values=["true"], false_values=["false"],
        ),
    )
    columns = {column: _to_pandas(column, table.column(column), kind, dtype) for column, _, kind, dtype in plan}
    return pd.DataFrame(columns, copy=False)


@lru_cache(maxsize=None)
def _plan(name: str) -> tuple[tuple[str, Any, str, Any], ...]:
    """Per column of ``name``: its Arrow type when parsed, how it becomes pandas, its dtype
    (for a category, with its vocabulary as an Arrow array)."""
    import pandas as pd
    import pyarrow as pa

    arrow_types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    dtypes = tableschema.pandas_dtypes(name)
    plan = []
    for f in tableschema.fields(name):
        dtype = dtypes[f["name"]]
        if isinstance(dtype, pd.CategoricalDtype):
            kind = "category"
            dtype = (dtype, pa.array(list(dtype.categories), pa.string()))  # with its Arrow vocabulary
        elif isinstance(dtype, str) and dtype in _MASKED:
            kind = dtype
        else:
            kind, dtype = "other", pd.api.types.pandas_dtype(dtype)
        plan.append((f["name"], arrow_types.get(f["type"], pa.string()), kind, dtype))
    return tuple(plan)


_MASKED = {"Int64": "IntegerArray", "Float64": "FloatingArray", "boolean": "BooleanArray"}


def _to_pandas(column: str, arr: Any, kind: str, dtype: Any) -> Any:
    """One Arrow column as the pandas array of ``dtype``, built directly from its buffers
    (pyarrow's general ``to_pandas`` costs as much again as parsing on a table this size).

    >>> import pyarrow as pa
    >>> _to_pandas("value", pa.chunked_array([[1.5, None]]), "Float64", "Float64").tolist()
    [1.5, <NA>]
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "category":
        # codes into the whole vocabulary, so the categories are the schema's, in its order
        dtype, vocabulary = dtype
        codes = pc.index_in(arr, value_set=vocabulary)
        if codes.null_count != arr.null_count:
            unknown = pc.and_(pc.is_valid(arr), pc.is_null(codes))
            bad = sorted(set(pc.filter(arr, unknown).to_pylist()))
            raise ValueError(f"column {column}: values not in the vocabulary: {bad[:5]}")
        return pd.Categorical.from_codes(pc.fill_null(codes, -1).to_numpy().astype(np.int32), dtype=dtype, validate=False)
    if kind in _MASKED:
        values = pc.fill_null(arr, False if kind == "boolean" else 0).to_numpy()
        return getattr(pd.arrays, _MASKED[kind])(values, pc.is_null(arr).to_numpy())
    return dtype.__from_arrow__(arr)


def tables() -> pd.DataFrame:
    """Every table with its row count and description.

    >>> import soviet_figures as sf
    >>> list(sf.tables().columns)
    ['name', 'rows', 'description']
    """
    import pandas as pd

    rows = []
    for name in tableschema.table_names():
        path = datapackage_dir() / "data" / f"{name}.csv"
        n = max(sum(1 for _ in _records(path)) - 1, 0) if path.exists() else 0
        rows.append({"name": name, "rows": n, "description": tableschema.load_schema(name).get("description", "")})
    return pd.DataFrame(rows).astype({"name": "string", "rows": "Int64", "description": "string"})


def _records(path: Path) -> Iterable[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.reader(f)


def load(name: str, release: str | Path | None = None, **filters: Any) -> pd.DataFrame:
    """Load a table; keyword filters keep rows whose column equals a value (or is in a list).

    >>> import soviet_figures as sf
    >>> sf.load("observations", unit="hours").unit.unique().tolist()
    ['hours']
    >>> sf.load("nope")
    Traceback (most recent call last):
    ...
    ValueError: unknown table 'nope'; valid tables: documents, measures, subjects, observations, mentions, links, arithmetic, party_membership, party_expulsions, graduates_and_promotion, labour_and_injuries, production_and_plans, workforce
    """
    valid = tableschema.table_names()
    if name not in valid:
        raise ValueError(f"unknown table {name!r}; valid tables: {', '.join(valid)}")
    columns = tableschema.field_names(name)
    unknown = [c for c in filters if c not in columns]
    if unknown:
        raise ValueError(f"unknown column(s) {unknown} for table {name!r}; valid columns: {', '.join(columns)}")
    if release is not None:
        from .release import read_release_table

        df = read_release_table(name, release)
    else:
        df = read_table(name)
    if not filters:
        return df
    for col, wanted in filters.items():
        if isinstance(wanted, (list, tuple, set, frozenset)):
            df = df[df[col].isin(list(wanted)).fillna(False).astype(bool)]
        else:
            df = df[(df[col] == wanted).fillna(False).astype(bool)]
    return df.reset_index(drop=True)


def documents() -> pd.DataFrame:
    """The documents table (one row per source work)."""
    return load("documents")
