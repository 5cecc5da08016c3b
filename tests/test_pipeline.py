"""The validator's two threads and its stored pandera schemas (see soviet_figures.pipeline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandera
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet_figures import pandera_schemas, semantics, tableschema

HERE = Path(__file__).resolve().parent

# run in a fresh interpreter, so that every import is a first import
PROBE = r"""
import json, sys, threading
imports = {}
def hook(event, args):
    if event == "import":
        imports.setdefault(threading.current_thread().name, []).append(args[0])
sys.addaudithook(hook)
from soviet_figures.cli import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
hypothesis_during = "hypothesis" in sys.modules
import hypothesis  # noqa: E402,F401  (the command's block on it is lifted when it returns)
print(json.dumps({"codes": codes, "imports": imports, "hypothesis_during": hypothesis_during}))
"""


def _probe(runs: list[list[str]]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(runs)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_reading_thread_imports_nothing(sources):
    """No module is first imported by two threads at once: the reading thread imports none."""
    bad = HERE / "bad_inputs"
    result = _probe([
        ["validate", "--sources", str(sources), "--format", "json"],
        ["validate", str(bad / "negative-count.observations.csv"), "--format", "json"],
        ["validate", str(bad / "unterminated-quote.observations.csv"), "--format", "json"],
        ["validate", str(HERE.parent / "datapackage" / "data" / "workforce.csv"), "--format", "json"],
    ])
    assert result["codes"] == [0, 1, 1, 0]
    assert len(result["imports"]["MainThread"]) > 100  # the hook saw the main thread's imports
    assert {name: mods for name, mods in result["imports"].items() if name != "MainThread"} == {}


def test_the_validator_does_not_import_frictionless_when_the_stored_schemas_fit():
    stored = {json.loads(pandera_schemas.stored_schema_path(n).read_text(encoding="utf-8"))["pandera_version"] for n in tableschema.CORE_TABLES}
    result = _probe([["validate", "--format", "json"]])
    imported = {m for mods in result["imports"].values() for m in mods}
    assert result["codes"] == [0]
    # with another pandera the stored schemas are not used: frictionless builds them
    assert ("frictionless" in imported) == (stored != {pandera.__version__})


def test_the_command_line_keeps_pandera_from_importing_hypothesis():
    """pandera imports hypothesis, if installed, only to generate data; the command line
    spares that import (a test environment has hypothesis; a user's install need not)."""
    result = _probe([["validate", str(HERE / "bad_inputs" / "non-numeric-value.observations.csv"), "--format", "json"]])
    assert result["codes"] == [1]
    assert result["hypothesis_during"] is False
    assert any(m.startswith("pandera") for mods in result["imports"].values() for m in mods)


@pytest.mark.parametrize("name", tableschema.CORE_TABLES)
def test_a_stored_pandera_schema_is_what_pandera_builds_or_is_not_used(name):
    stored = json.loads(pandera_schemas.stored_schema_path(name).read_text(encoding="utf-8"))
    if stored["pandera_version"] == pandera.__version__:
        assert pandera_schemas._stored(name) == pandera_schemas.build_schema(name)
    else:
        assert pandera_schemas._stored(name) is None


def _clear_schema_caches() -> None:
    for cached in (tableschema._read, tableschema._schema, tableschema.pandas_dtypes, tableschema.topic_tables):
        cached.cache_clear()


def test_a_stored_schema_of_an_edited_table_schema_is_not_used(tmp_path, monkeypatch):
    """A contributor edits schemas/*.schema.json and forgets derive: the edit still counts."""
    import shutil

    schemas = tmp_path / "schemas"
    shutil.copytree(pandera_schemas.stored_schema_path("links").parents[1], schemas)
    descriptor = json.loads((schemas / "links.schema.json").read_text(encoding="utf-8"))
    note = next(f for f in descriptor["fields"] if f["name"] == "note")
    note.setdefault("constraints", {})["maxLength"] = 5
    (schemas / "links.schema.json").write_text(json.dumps(descriptor), encoding="utf-8")
    monkeypatch.setattr(tableschema, "schemas_dir", lambda: schemas)
    monkeypatch.setattr(pandera_schemas, "schemas_dir", lambda: schemas)
    _clear_schema_caches()
    try:
        assert pandera_schemas.stored_schema_path("links").exists()
        assert pandera_schemas._stored("links") is None
        assert "str_length" in repr(pandera_schemas.build_schema("links").columns["note"].checks)
    finally:
        monkeypatch.undo()
        _clear_schema_caches()


WHITESPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(WHITESPACE + "ab5я"), max_size=6), st.text(alphabet=st.sampled_from(WHITESPACE + "ab5я"), max_size=14)), max_size=6))
def test_the_quote_rule_is_the_collapsed_containment_test(pairs):
    """The plain test first, the collapsed one only where it fails: the same verdicts."""
    import pandas as pd

    from soviet_figures.locate import collapse

    df = pd.DataFrame({"value_text": [v for v, _ in pairs], "quote": [q for _, q in pairs]}, dtype="string")
    flagged = [i.row for i in semantics._quote_rule(df, "o.csv")]
    assert flagged == [n for n, (v, q) in enumerate(pairs, 1) if collapse(v) not in collapse(q)]


NUMERIC = [f["name"] for f in tableschema.fields("observations") if f["type"] in {"number", "integer"}]
CELL = st.one_of(
    st.none(),
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["12x", " 7 ", "1e5", "1_000", "1.", ".5", "+3", "--1", "4,5", "٣", "1 000", "nan", "0x10", "9" * 25]),
    st.text(alphabet=st.sampled_from(" +-.,e5٣x_"), min_size=1, max_size=5),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries({c: CELL for c in NUMERIC}), min_size=1, max_size=6))
def test_the_vectorised_number_precheck_gives_each_cell_panderas_verdict_on_it(rows):
    """Cells pandera cannot coerce are found before pandera runs, so that it need not try
    every cell in Python. Each numeric cell must get exactly pandera's own verdict on that
    cell alone (its row alone in a frame), the coercion error placed on its row."""
    import pandas as pd

    def frame(rows_):
        columns = {c: pd.Series([None] * len(rows_), dtype="string") for c in tableschema.field_names("observations")}
        for c in NUMERIC:
            columns[c] = pd.Series([r[c] for r in rows_], dtype="string")
        return pd.DataFrame(columns)

    def numeric(issues, row=None):
        return {(row or i.row, i.column, i.rule) for i in issues
                if i.column in NUMERIC and not str(i.value).startswith("TypeError(")}

    found = numeric(semantics._pandera_issues("observations", frame(rows), "o.csv")[0])
    alone = set()
    for n, r in enumerate(rows, 1):
        alone |= numeric(semantics._pandera_issues("observations", frame([r]), "o.csv", precheck=False)[0], row=n)
    assert found == alone


def test_the_number_precheck_finds_what_pandera_finds_in_a_column_with_a_bad_cell():
    import pandas as pd

    columns = {c: pd.Series([None] * 4, dtype="string") for c in tableschema.field_names("observations")}
    columns["value"] = pd.Series(["1.5", "12x", None, "3e2"], dtype="string")
    columns["year_start"] = pd.Series(["1936", "1700", "19x6", "1937"], dtype="string")
    df = pd.DataFrame(columns)
    pre, plain = (sorted((i.row or 0, str(i.column), i.rule, str(i.value)) for i in semantics._pandera_issues("observations", df, "o.csv", precheck=flag)[0]) for flag in (True, False))
    assert (2, "value", "schema:coerce_dtype('Float64')", "12x") in pre
    assert (3, "year_start", "schema:coerce_dtype('Int64')", "19x6") in pre
    assert (2, "year_start", "schema:in_range(1800, 1991)", "1700") in pre  # the column's checks still run
    # without the precheck pandera also runs the failed column's checks on its strings,
    # which yields only TypeErrors; every real finding of its own is found with it
    assert {f for f in plain if not f[3].startswith("TypeError(")} <= set(pre)
    assert not [f for f in pre if f[3].startswith("TypeError(")]


def test_the_quote_rule_flags_exactly_the_rows_whose_quote_lacks_the_value():
    import pandas as pd

    df = pd.DataFrame({
        "value_text": ["12", "12", "7", None, "7", "12"],
        "quote": ["has 12\nmen", "no number", "has 7", "has 7", None, "no number"],
    }, dtype="string")
    assert [(i.row, i.rule) for i in semantics._quote_rule(df, "o.csv")] == [(2, "quote-contains-value"), (6, "quote-contains-value")]
