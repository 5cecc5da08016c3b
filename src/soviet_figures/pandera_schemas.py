"""The pandera schema of each table, read from its Table Schema file by pandera.

``build_schema`` has pandera's ``from_frictionless_schema`` read ``schemas/<table>.schema.json``
(types, required, unique, enum, ranges, patterns, lengths) and adjusts the dtypes to pandas'
nullable ones. That imports frictionless and has it check the descriptor: a third of a
second on every run of the validator. ``soviet-figures derive`` therefore stores each core
table's built schema in pandera's own JSON format (``schemas/pandera/<table>.json``), with
the pandera version and the digest of the Table Schema it was built from; ``schema`` uses a
stored one only when both still match, and builds it otherwise.

>>> import soviet_figures as sf
>>> s = sf.schema("observations")
>>> type(s).__name__, "value_text" in s.columns
('DataFrameSchema', True)
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tableschema
from ._paths import schemas_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandera.pandas as pa

__all__ = ["schema", "build_schema", "stored_schema", "stored_schema_path"]


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table: the stored one if current, else built (cached)."""
    return _schema(name)


@lru_cache(maxsize=None)
def _schema(name: str) -> pa.DataFrameSchema:
    stored = _stored(name)
    return build_schema(name) if stored is None else stored


def build_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table, read from its Table Schema by pandera's
    ``from_frictionless_schema``, with pandas' nullable dtypes.

    >>> build_schema("links") == schema("links")
    True
    """
    from pandera.io.pandas_io import from_frictionless_schema

    descriptor = tableschema.load_schema(name)
    descriptor = {k: v for k, v in descriptor.items() if k not in {"foreignKeys", "missingValues"}}
    built = from_frictionless_schema(descriptor)
    dtypes = tableschema.pandas_dtypes(name)
    updates: dict[str, dict[str, Any]] = {}
    for col, dt in dtypes.items():
        # vocabularies are checked with isin on strings: coercing to a fixed categorical
        # would silently turn an unknown value into a missing one
        updates[col] = {"dtype": "string" if not isinstance(dt, str) else dt}
    return built.update_columns(updates)


def stored_schema(name: str) -> dict[str, Any]:
    """What ``derive`` writes to ``schemas/pandera/<name>.json``."""
    import pandera

    return {
        "generated_by": f"soviet-figures derive, from schemas/{name}.schema.json; never edit",
        "pandera_version": pandera.__version__,
        "table_schema_sha256": _table_schema_digest(name),
        "schema": json.loads(build_schema(name).to_json()),
    }


def stored_schema_path(name: str) -> Path:
    """Where ``derive`` stores the pandera schema of ``name``.

    >>> stored_schema_path("observations").name
    'observations.json'
    """
    return schemas_dir() / "pandera" / f"{name}.json"


def _table_schema_digest(name: str) -> str:
    text = json.dumps(tableschema.load_schema(name), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored(name: str) -> pa.DataFrameSchema | None:
    """The stored schema of ``name`` if it was built by this pandera from this Table Schema."""
    import pandera
    from pandera.io.pandas_io import from_json

    try:
        stored = json.loads(stored_schema_path(name).read_text(encoding="utf-8"))
        if stored["pandera_version"] != pandera.__version__ or stored["table_schema_sha256"] != _table_schema_digest(name):
            return None
        return from_json(json.dumps(stored["schema"]))
    except (OSError, ValueError, KeyError, TypeError):  # absent or unreadable: build it
        return None
