"""Read the Table Schema files in ``schemas/`` — the one source of truth for columns.

Everything that needs a column list, a type or a vocabulary asks this module, and the
one map from a Table Schema type to its pandas, Arrow and SQLite types lives here.

>>> [f["name"] for f in fields("measures")][:3]
['id', 'label', 'topic']
>>> enum("observations", "qualifier")[:2]
['exact', 'approximate']
>>> column_types("observations")["value"].sql, str(column_types("observations")["unit"].pandas)[:8]
('REAL', 'category')
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import pyarrow as pa

from ._paths import schemas_dir
from .errors import TableError

__all__ = [
    "CORE_TABLES", "ColumnType", "load_schema", "fields", "field_names", "enum", "topic_tables",
    "topic_names", "table_names", "column_types", "pandas_dtypes", "check_table_name",
]

CORE_TABLES = ("documents", "measures", "subjects", "contexts", "observations", "mentions", "links", "arithmetic", "series")


@dataclass(frozen=True)
class ColumnType:
    """How one column is held in each format.

    ``pandas`` is the dtype ``sf.load`` gives; ``arrow`` the type its cells are parsed to;
    ``stored`` the type in Parquet (a dictionary for a vocabulary); ``sql`` the SQLite type.

    Parameters
    ----------
    pandas : the pandas dtype
    arrow : the Arrow type cells are parsed to
    stored : the Arrow type stored in Parquet
    sql : the SQLite column type
    vocabulary : the column's controlled vocabulary, if any

    Examples
    --------
    >>> t = column_types("observations")["value"]
    >>> t.pandas, t.sql
    ('Float64', 'REAL')
    """

    pandas: Any
    arrow: pa.DataType
    stored: pa.DataType
    sql: str
    vocabulary: tuple[str, ...] = ()


# Table Schema type → (pandas dtype, Arrow type, SQLite type); anything else is a string
_BY_TYPE: dict[str, tuple[Any, pa.DataType, str]] = {
    "integer": ("Int64", pa.int64(), "INTEGER"),
    "number": ("Float64", pa.float64(), "REAL"),
    "boolean": ("boolean", pa.bool_(), "INTEGER"),
}
_STRING = (pd.StringDtype("pyarrow"), pa.string(), "TEXT")  # Arrow-backed: read without copies


@lru_cache(maxsize=None)
def topic_tables() -> tuple[dict[str, Any], ...]:
    """The topic-table definitions of ``schemas/topics.json``.

    Examples
    --------
    >>> topic_tables()[0]["name"]
    'party_membership'
    """
    with open(schemas_dir() / "topics.json", encoding="utf-8") as f:
        return tuple(json.load(f)["tables"])


def topic_names() -> frozenset[str]:
    """The names of the topic tables (derived views of observations).

    Returns
    -------
    frozenset of str : the names of ``schemas/topics.json``'s tables.

    Examples
    --------
    >>> "party_membership" in topic_names(), "observations" in topic_names()
    (True, False)
    """
    return frozenset(t["name"] for t in topic_tables())


def table_names() -> list[str]:
    """Every table of the package: the core tables, then the topic tables.

    Examples
    --------
    >>> table_names()[:2]
    ['documents', 'measures']
    """
    return list(CORE_TABLES) + [t["name"] for t in topic_tables()]


def check_table_name(name: object) -> str:
    """``name`` if it is a table of the package, else a :class:`TableError` listing them.

    Examples
    --------
    >>> check_table_name("links")
    'links'
    """
    valid = table_names()
    if not isinstance(name, str) or name not in valid:
        raise TableError(f"unknown table {name!r}; valid tables: {', '.join(valid)}")
    return name


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    return (schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """The Table Schema of a table as a dict (a fresh copy each call).

    Topic tables have the observations schema with their own title and description.

    Examples
    --------
    >>> load_schema("workforce")["title"]
    'Workforce'
    """
    return copy.deepcopy(_schema(name))


@lru_cache(maxsize=None)
def _schema(name: str) -> dict[str, Any]:
    topics = {t["name"]: t for t in topic_tables()}
    if name in topics:
        schema = json.loads(_read("observations"))
        schema["title"] = topics[name]["title"]
        schema["description"] = topics[name]["description"]
        return schema
    check_table_name(name)
    result: dict[str, Any] = json.loads(_read(name))
    return result


def fields(name: str) -> list[dict[str, Any]]:
    """The fields of a table's schema (shared: do not change them).

    Parameters
    ----------
    name : a table of the package

    Returns
    -------
    list of dict : the Table Schema field descriptors, in column order.

    Raises
    ------
    TableError : ``name`` is not a table of the package.

    Examples
    --------
    >>> f = fields("links")[0]
    >>> f["name"], f["type"]
    ('obs_id_a', 'string')
    """
    result: list[dict[str, Any]] = _schema(name)["fields"]
    return result


def field_names(name: str) -> list[str]:
    """The column names of a table, in order.

    Examples
    --------
    >>> field_names("links")
    ['obs_id_a', 'obs_id_b', 'relation', 'note']
    """
    return [f["name"] for f in _schema(name)["fields"]]


def enum(table: str, column: str) -> list[str]:
    """The controlled vocabulary of a column (empty if it has none).

    Parameters
    ----------
    table : a table of the package
    column : one of its columns

    Returns
    -------
    list of str : the values the column may hold (empty if it has none).

    Raises
    ------
    TableError : the table has no such column.

    Examples
    --------
    >>> enum("mentions", "status")[:3]
    ['observation', 'year', 'date']
    >>> enum("links", "note")
    []
    """
    for f in fields(table):
        if f["name"] == column:
            return list(f.get("constraints", {}).get("enum", []))
    raise TableError(f"table {table!r} has no column {column!r}; columns: {', '.join(field_names(table))}")


@lru_cache(maxsize=None)
def column_types(name: str) -> dict[str, ColumnType]:
    """Each column's :class:`ColumnType` (cached: do not change it)."""
    out: dict[str, ColumnType] = {}
    for f in fields(name):
        vocabulary = f.get("constraints", {}).get("enum")
        if vocabulary:
            out[f["name"]] = ColumnType(pd.CategoricalDtype(vocabulary), pa.string(), pa.dictionary(pa.int32(), pa.string()), "TEXT", tuple(vocabulary))
        else:
            pandas, arrow, sql = _BY_TYPE.get(f["type"], _STRING)
            out[f["name"]] = ColumnType(pandas, arrow, arrow, sql)
    return out


def pandas_dtypes(name: str) -> dict[str, Any]:
    """pandas dtypes for a table: categoricals for vocabularies, nullable ints/floats/strings.

    Examples
    --------
    >>> pandas_dtypes("links")["relation"].categories.tolist()
    ['same_quantity_as', 'disagrees_with', 'part_of', 'same_series_as']
    """
    return {col: t.pandas for col, t in column_types(name).items()}
