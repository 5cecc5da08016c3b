"""Read the Table Schema files in ``schemas/`` — the one source of truth for columns.

Everything that needs a column list, a type or a vocabulary asks this module.

>>> [f["name"] for f in fields("measures")][:3]
['id', 'label', 'topic']
>>> enum("observations", "qualifier")[:2]
['exact', 'approximate']
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._paths import schemas_dir

__all__ = ["CORE_TABLES", "load_schema", "fields", "field_names", "enum", "topic_tables", "table_names", "pandas_dtypes"]

CORE_TABLES = ("documents", "measures", "subjects", "observations", "mentions", "links", "arithmetic")


@lru_cache(maxsize=None)
def topic_tables() -> tuple[dict[str, Any], ...]:
    """The topic-table definitions of ``schemas/topics.json``."""
    with open(schemas_dir() / "topics.json", encoding="utf-8") as f:
        return tuple(json.load(f)["tables"])


def table_names() -> list[str]:
    """Every table of the package: the core tables, then the topic tables."""
    return list(CORE_TABLES) + [t["name"] for t in topic_tables()]


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    path = schemas_dir() / f"{name}.schema.json"
    return path.read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """The Table Schema of a table as a dict (a fresh copy each call).

    Topic tables have the observations schema with their own title and description.
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
    if name not in CORE_TABLES:
        raise ValueError(f"unknown table {name!r}; valid tables: {', '.join(table_names())}")
    return json.loads(_read(name))


def fields(name: str) -> list[dict[str, Any]]:
    """The fields of a table's schema (shared: do not change them)."""
    return _schema(name)["fields"]


def field_names(name: str) -> list[str]:
    return [f["name"] for f in _schema(name)["fields"]]


def enum(table: str, column: str) -> list[str]:
    for f in fields(table):
        if f["name"] == column:
            return list(f.get("constraints", {}).get("enum", []))
    raise ValueError(f"table {table!r} has no column {column!r}")


@lru_cache(maxsize=None)
def pandas_dtypes(name: str) -> dict[str, Any]:
    """pandas dtypes for a table: categoricals for vocabularies, nullable ints/floats/strings.

    The dict is cached: do not change it.
    """
    import pandas as pd

    out: dict[str, Any] = {}
    for f in fields(name):
        values = f.get("constraints", {}).get("enum")
        if values:
            out[f["name"]] = pd.CategoricalDtype(values)
        elif f["type"] == "integer":
            out[f["name"]] = "Int64"
        elif f["type"] == "number":
            out[f["name"]] = "Float64"
        elif f["type"] == "boolean":
            out[f["name"]] = "boolean"
        else:
            out[f["name"]] = pd.StringDtype("pyarrow")  # Arrow-backed: read and kept without copies
    return out


def schema_path(name: str) -> Path:
    return schemas_dir() / f"{name}.schema.json"
