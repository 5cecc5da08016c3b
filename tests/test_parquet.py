"""The release's Parquet files read back, by any reader, as ``sf.load`` gives the tables:
plain ``pandas.read_parquet`` (numpy backend, no arguments) gets the nullable dtypes from
the ``pandas`` metadata, Arrow readers get plain Arrow types, and the files are byte-stable."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import soviet_figures as sf
from soviet_figures import tableschema
from soviet_figures.io.release import parquet_bytes
from soviet_figures.io.tables import read_parquet_table

TABLES = tableschema.table_names()


@pytest.fixture(scope="module")
def written() -> dict[str, tuple[pd.DataFrame, bytes]]:
    return {name: (sf.load(name), parquet_bytes(name, sf.load(name))) for name in TABLES}


@pytest.mark.parametrize("name", TABLES)
def test_pandas_read_parquet_gives_the_dtypes_and_values_load_gives(written, name):
    df, data = written[name]
    back = pd.read_parquet(io.BytesIO(data))
    assert back.dtypes.to_dict() == df.dtypes.to_dict()
    pd.testing.assert_frame_equal(back, df, check_exact=True)


def test_nullable_integers_stay_integers_where_a_cell_is_missing(written):
    df, data = written["observations"]
    assert df["year_start"].isna().any() and df["page"].isna().any()  # the case that came back as float64
    back = pd.read_parquet(io.BytesIO(data))
    assert str(back["year_start"].dtype) == "Int64" and str(back["page"].dtype) == "Int64"
    assert str(back["value"].dtype) == "Float64" and str(back["counted"].dtype) == "boolean"
    assert isinstance(back["unit"].dtype, pd.CategoricalDtype)
    assert list(back["unit"].cat.categories) == tableschema.enum("observations", "unit")
    assert back["obs_id"].dtype == pd.StringDtype("pyarrow")


@pytest.mark.parametrize("name", TABLES)
def test_writing_twice_gives_the_same_bytes(written, name):
    df, data = written[name]
    assert parquet_bytes(name, df.copy()) == data


@pytest.mark.parametrize("name", ["observations", "mentions", "documents"])
def test_arrow_readers_see_plain_types_the_table_schema_and_descriptions(written, name):
    _, data = written[name]
    schema = pq.read_schema(io.BytesIO(data))
    assert json.loads(schema.metadata[b"table_schema"]) == tableschema.load_schema(name)
    assert json.loads(schema.metadata[b"pandas"])["index_columns"] == []
    for field in tableschema.fields(name):
        arrow = schema.field(field["name"])
        assert arrow.metadata[b"description"].decode("utf-8") == field.get("description", "")
        vocabulary = field.get("constraints", {}).get("enum")
        expected = pa.dictionary(pa.int32(), pa.string()) if vocabulary else {
            "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}.get(field["type"], pa.string())
        assert arrow.type == expected, field["name"]


@pytest.mark.parametrize("name", ["observations", "links"])
def test_the_package_reader_still_reads_them(written, name):
    df, data = written[name]
    pd.testing.assert_frame_equal(read_parquet_table(name, data, f"{name}.parquet"), df, check_exact=True)


def test_a_filtered_frame_keeps_its_dtypes(written):
    df = sf.load("observations", doc_id="nktp-second-plenum")
    back = pd.read_parquet(io.BytesIO(parquet_bytes("observations", df)))
    assert len(back) == len(df) > 0
    pd.testing.assert_frame_equal(back, df, check_exact=True)
