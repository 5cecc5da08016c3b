"""The public API: tables, load, documents, schema, cite — on the real data."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pandas as pd
import pytest

import soviet_figures as sf
from soviet_figures import tableschema
from soviet_figures.errors import TableError
from soviet_figures.loader import read_table


def test_import_is_light_and_reads_no_data():
    code = (
        "import sys, soviet_figures; "
        "heavy = [m for m in ('pandas', 'pandera', 'frictionless', 'pyarrow') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_tables_lists_every_table_with_real_row_counts():
    t = sf.tables()
    assert t["name"].tolist() == tableschema.table_names()
    for row in t.itertuples():
        assert row.rows == len(sf.load(row.name))
    assert t.set_index("name").loc["documents", "rows"] == 5


def test_load_gives_typed_columns():
    df = sf.load("observations")
    assert isinstance(df["qualifier"].dtype, pd.CategoricalDtype)
    assert list(df["qualifier"].cat.categories) == tableschema.enum("observations", "qualifier")
    assert str(df["value"].dtype) == "Float64"
    assert str(df["char_start"].dtype) == "Int64"
    assert str(df["quote"].dtype).startswith("string")
    assert not any(str(t) == "object" for t in df.dtypes)


def test_load_filters_by_value_and_by_list():
    hours = sf.load("observations", unit="hours")
    assert len(hours) > 0 and set(hours["unit"]) == {"hours"}
    two = sf.load("observations", doc_id=["fitzpatrick-1979", "nktp-second-plenum"])
    assert set(two["doc_id"]) == {"fitzpatrick-1979", "nktp-second-plenum"}


def test_unknown_table_or_column_lists_the_valid_names():
    with pytest.raises(ValueError, match="valid tables: documents, measures"):
        sf.load("observation")
    with pytest.raises(ValueError, match="valid columns: obs_id"):
        sf.load("observations", colour="red")


def test_graduates_and_promotion_holds_fitzpatricks_rows():
    df = sf.load("graduates_and_promotion", doc_id="fitzpatrick-1979")
    assert len(df) > 10
    assert set(df["topic"]) <= {"education", "graduates", "promotion"}


def test_documents_metadata_is_not_guessed():
    docs = sf.documents().set_index("doc_id")
    assert docs.loc["fitzpatrick-1979", "doi"] == "10.2307/2496711"
    assert pd.isna(docs.loc["nktp-second-plenum", "authors"])  # not confirmed: empty
    assert pd.isna(docs.loc["elite-formation-egalitarianism", "year"])


def test_schema_is_pandera_built_from_the_table_schema():
    s = sf.schema("observations")
    assert list(s.columns) == tableschema.field_names("observations")
    s.validate(sf.load("observations").astype({c: "string" for c in ("topic", "qualifier", "unit")}))


def test_cite_gives_author_title_page_quote_and_obs_id():
    row = sf.load("observations", doc_id="fitzpatrick-1979").iloc[0]
    c = sf.cite(row["obs_id"])
    assert c.startswith("Sheila Fitzpatrick, “Stalin and the Making of a New Elite, 1928–1939,”")
    assert f"p. {row['page']}" in c and row["quote"] in c and c.endswith(f"{row['obs_id']}).")
    assert f"line {row['line']}" not in c and ".txt" not in c  # a paper needs the page, not our text file
    with pytest.raises(ValueError):
        sf.cite("no-such-0001")


def test_damaged_table_file_raises_a_clear_error(tmp_path):
    missing = tmp_path / "observations.csv"
    with pytest.raises(TableError, match="nothing is there"):
        read_table("observations", missing)
    good = ((tableschema.schemas_dir() / "observations.schema.json").parents[1] / "datapackage" / "data" / "observations.csv").read_bytes()
    truncated = tmp_path / "t.csv"
    truncated.write_bytes(good.split(b"\n")[0].rsplit(b",", 1)[0] + b"\n")
    with pytest.raises(TableError, match="missing columns: \\['note'\\]"):
        read_table("observations", truncated)
    cp1251 = tmp_path / "c.csv"
    cp1251.write_bytes(good.decode("utf-8").encode("cp1251", errors="replace"))
    with pytest.raises(TableError, match="UTF-8"):
        read_table("observations", cp1251)


def test_a_value_outside_a_vocabulary_is_refused_by_name(tmp_path):
    good = ((tableschema.schemas_dir() / "observations.schema.json").parents[1] / "datapackage" / "data" / "observations.csv").read_text(encoding="utf-8")
    header, first, rest = good.split("\n", 2)
    qualifier = header.split(",").index("qualifier")
    cells = next(csv.reader([first]))
    cells[qualifier] = "roughly"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    damaged = tmp_path / "observations.csv"
    damaged.write_text(header + "\n" + buf.getvalue() + rest, encoding="utf-8")
    with pytest.raises(TableError, match=r"column qualifier: values not in the vocabulary: \['roughly'\]"):
        read_table("observations", damaged)


@pytest.mark.parametrize("name", tableschema.table_names())
def test_the_schema_is_what_panderas_frictionless_reader_builds(name):
    """The fields go to pandera's field parser directly (frictionless's own descriptor parsing
    costs 0.4 s): the columns must be what ``from_frictionless_schema`` builds."""
    from pandera.io.pandas_io import from_frictionless_schema

    from soviet_figures.validate.schema import _from_table_schema

    descriptor = tableschema.load_schema(name)
    ours, theirs = _from_table_schema(descriptor), from_frictionless_schema(descriptor)

    def described(s):
        return {c: (str(col.dtype), col.nullable, col.unique, sorted((k.name, str(k.statistics)) for k in col.checks)) for c, col in s.columns.items()}

    assert described(ours) == described(theirs)
    assert ours.unique == theirs.unique
