"""Property-based round trips: generated tables survive CSV → Parquet → SQLite unchanged;
the scanner never raises and its spans slice back to the text."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soviet_figures import tableschema
from soviet_figures.io.csvfile import csv_text
from soviet_figures.io.release import parquet_bytes, sqlite_bytes
from soviet_figures.io.tables import read_csv_table, read_parquet_table, read_sqlite_table
from soviet_figures.loader import read_table
from soviet_figures.text.scanner import scan

# letters, digits, punctuation, symbols and spaces of any script, and line breaks inside cells
TEXT = st.text(alphabet=st.one_of(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), st.just("\n")), max_size=40)
REAL = {"doc_id": sorted(read_table("documents")["doc_id"]), "measure": sorted(read_table("measures")["id"]),
        "subject": sorted(read_table("subjects")["name"]), "context": sorted(read_table("contexts")["context_id"])}


def column_strategy(field: dict) -> st.SearchStrategy:
    """Values for one column, from its Table Schema field (type, enum, required)."""
    enum = field.get("constraints", {}).get("enum")
    if field["name"] in REAL:  # foreign keys: real ids, so SQLite can enforce them
        base = st.sampled_from(REAL[field["name"]])
    elif enum:
        base = st.sampled_from(enum)
    elif field["type"] == "integer":
        base = st.integers(min_value=-(2**53), max_value=2**53)
    elif field["type"] == "number":
        base = st.floats(allow_nan=False, allow_infinity=False, width=64)
    elif field["type"] == "boolean":
        base = st.booleans()
    else:
        base = TEXT.filter(lambda s: s != "" and not s.startswith(("=", "+", "@", "\t")))
    if field.get("constraints", {}).get("required"):
        return base
    return st.one_of(st.none(), base)


@st.composite
def frames(draw, name: str) -> dict[str, list]:
    fields = tableschema.fields(name)
    n = draw(st.integers(min_value=0, max_value=6))
    columns = {f["name"]: draw(st.lists(column_strategy(f), min_size=n, max_size=n)) for f in fields}
    return columns


def as_loaded(name: str, columns: dict[str, list]) -> pd.DataFrame:
    """The generated table written as the package writes CSV, read back as sf.load would."""
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())] if columns else []
    data = csv_text(tableschema.field_names(name), rows).encode("utf-8")
    return read_csv_table(name, data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(frames("observations"))
def test_observations_survive_csv_parquet_sqlite(tmp_path_factory, columns):
    df = as_loaded("observations", columns)
    pd.testing.assert_frame_equal(read_parquet_table("observations", parquet_bytes("observations", df), "observations.parquet"), df)
    frames_ = {name: read_csv_table(name, csv_text(tableschema.field_names(name), []).encode()) for name in tableschema.table_names()}
    for name in ("documents", "measures", "subjects", "contexts"):
        frames_[name] = read_table(name)
    frames_["observations"] = df.drop_duplicates("obs_id")
    db = tmp_path_factory.mktemp("db") / "t.sqlite"
    db.write_bytes(sqlite_bytes(frames_))
    pd.testing.assert_frame_equal(read_sqlite_table("observations", db), frames_["observations"].reset_index(drop=True))


@settings(max_examples=300)
@given(st.text())
def test_scanner_never_raises_and_spans_slice_back(text):
    for m in scan(text):
        assert text[m.start : m.end] == m.text
        assert m.kind in {"digits", "words"}
