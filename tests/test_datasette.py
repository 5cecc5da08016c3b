"""The release database as Datasette serves it: search filters, metadata describes.

One server on the built release (``datasette serve DB -m METADATA``), started once for the
module and always stopped.
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from datasette.utils import detect_fts, tilde_encode

from soviet_figures import __version__, tableschema
from soviet_figures._paths import datapackage_dir
from soviet_figures.io.release import FTS_COLUMNS, build

STEM = f"soviet-figures-{__version__}"
WORD = "Komsomol"  # in quotes, descriptions and subjects: a search must narrow the table


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release")
    build(out, datapackage_dir() / "data")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(release / f"{STEM}.sqlite"), "-m", str(release / f"{STEM}-datasette.json"), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"datasette exited ({proc.returncode}): {proc.stdout.read() if proc.stdout else ''}")
            try:
                _get(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("datasette did not answer within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _table_url(base: str, table: str, **params: str) -> str:
    return f"{base}/{tilde_encode(STEM)}/{table}.json?{urllib.parse.urlencode(params)}"


def test_datasette_finds_every_search_index_in_the_database_itself(release):
    """Found from the database alone (no metadata): content="<table>" in double quotes."""
    con = sqlite3.connect(f"file:{release / f'{STEM}.sqlite'}?mode=ro", uri=True)
    try:
        assert {table: detect_fts(con, table) for table in FTS_COLUMNS} == {table: f"{table}_fts" for table in FTS_COLUMNS}
    finally:
        con.close()


def test_search_filters_observations(server, release):
    found = _get(_table_url(server, "observations", _search=WORD, _shape="objects", _size="max"))
    everything = _get(_table_url(server, "observations", _shape="objects", _size="1"))
    con = sqlite3.connect(f"file:{release / f'{STEM}.sqlite'}?mode=ro", uri=True)
    try:
        direct = con.execute("SELECT count(*) FROM observations_fts WHERE observations_fts MATCH ?", (f'"{WORD}"',)).fetchone()[0]
        total = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    finally:
        con.close()
    rows = found["rows"]
    assert 0 < len(rows) == found["filtered_table_rows_count"] == direct < total == everything["filtered_table_rows_count"]
    word = re.compile(rf"(?<![^\W_]){WORD}(?![^\W_])", re.IGNORECASE)
    for row in rows:
        assert any(word.search(row[c] or "") for c in FTS_COLUMNS["observations"]), row["obs_id"]
    assert any(word.search(row["quote"]) for row in rows)


def test_search_works_on_every_indexed_table(server):
    for table, columns in FTS_COLUMNS.items():
        found = _get(_table_url(server, table, _search="party", _shape="objects", _size="max"))
        everything = _get(_table_url(server, table, _size="1"))
        assert 0 < found["filtered_table_rows_count"] < everything["filtered_table_rows_count"], table
        for row in found["rows"]:
            assert any("party" in (row[c] or "").lower() for c in columns), (table, row)


def test_metadata_describes_the_tables_and_columns_from_the_schemas(server):
    meta = _get(f"{server}/-/metadata.json")
    assert meta["license"] == "CC-BY-4.0" and meta["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "source_url" not in json.dumps(meta)  # the project has no public address yet
    tables = meta["databases"][STEM]["tables"]
    assert list(tables) == tableschema.table_names()
    for name, table in tables.items():
        schema = tableschema.load_schema(name)
        assert table["description"] == schema["description"] and table["title"] == schema["title"]
        assert table["columns"] == {f["name"]: f["description"] for f in schema["fields"]}
        assert set(table["facets"]) <= set(table["sortable_columns"]) <= set(table["columns"])
    assert tables["observations"]["facets"] == ["doc_id", "topic", "measure", "value_kind", "qualifier", "unit"]
    assert (tables["subjects"]["label_column"], tables["measures"]["label_column"], tables["documents"]["label_column"]) == ("name", "label", "title")


def test_datasette_applies_facets_and_labels(server):
    page = _get(_table_url(server, "observations", _size="1", _labels="on", _shape="objects"))
    assert set(page["facet_results"]) == {"doc_id", "topic", "measure", "value_kind", "qualifier", "unit"}
    row = page["rows"][0]
    measures = _get(_table_url(server, "measures", id=row["measure"]["value"], _shape="objects"))["rows"]
    assert row["measure"]["label"] == measures[0]["label"]  # a foreign key shows the label of its row
