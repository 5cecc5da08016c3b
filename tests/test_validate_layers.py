"""The validator's schema layer (pandera with a vectorised precheck) and its quote rule."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet_figures import tableschema
from soviet_figures._paths import datapackage_dir
from soviet_figures.io.csvfile import read_table_rows
from soviet_figures.text.locate import collapse
from soviet_figures.validate import rules, schema
from soviet_figures.validate.structure import arrow_strings

WHITESPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(WHITESPACE + "ab5я"), max_size=6), st.text(alphabet=st.sampled_from(WHITESPACE + "ab5я"), max_size=14)), max_size=6))
def test_the_quote_rule_is_the_collapsed_containment_test(pairs):
    """The plain test first, the collapsed one only where it fails: the same verdicts."""
    df = pd.DataFrame({"value_text": [v for v, _ in pairs], "quote": [q for _, q in pairs]}, dtype="string")
    flagged = [i.row for i in rules._quote_rule(df, "o.csv")]
    assert flagged == [n for n, (v, q) in enumerate(pairs, 1) if collapse(v) not in collapse(q)]


NUMERIC = [f["name"] for f in tableschema.fields("observations") if f["type"] in {"number", "integer"}]
REAL_ROW = {k: (v if v != "" else None) for k, v in read_table_rows(datapackage_dir() / "data" / "observations.csv", "observations")[0].items()}
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
    def frame(rows_):
        # the other columns hold a real row's cells (obs_ids made unique), so that pandera
        # spends its time on the numeric cells under test, not on reporting empty required ones
        columns = {c: pd.Series([REAL_ROW[c]] * len(rows_), dtype="string") for c in tableschema.field_names("observations")}
        columns["obs_id"] = pd.Series([f"{REAL_ROW['obs_id']}{n}" for n in range(len(rows_))], dtype="string")
        for c in NUMERIC:
            columns[c] = pd.Series([r[c] for r in rows_], dtype="string")
        return pd.DataFrame(columns)

    def numeric(issues, row=None):
        return {(row or i.row, i.column, i.rule) for i in issues
                if i.column in NUMERIC and not str(i.value).startswith("TypeError(")}

    found = numeric(schema.schema_issues("observations", frame(rows), "o.csv"))
    alone = set()
    for n, r in enumerate(rows, 1):
        alone |= numeric(schema._pandera_findings("observations", schema._booleans("observations", frame([r])), "o.csv"), row=n)
    assert found == alone


def test_the_number_precheck_finds_what_pandera_finds_in_a_column_with_a_bad_cell():
    columns = {c: pd.Series([None] * 4, dtype="string") for c in tableschema.field_names("observations")}
    columns["value"] = pd.Series(["1.5", "12x", None, "3e2"], dtype="string")
    columns["year_start"] = pd.Series(["1936", "1700", "19x6", "1937"], dtype="string")
    df = pd.DataFrame(columns)
    pre = sorted((i.row or 0, str(i.column), i.rule, str(i.value)) for i in schema.schema_issues("observations", df, "o.csv"))
    plain = sorted((i.row or 0, str(i.column), i.rule, str(i.value)) for i in schema._pandera_findings("observations", df, "o.csv"))
    assert (2, "value", "schema:coerce_dtype('Float64')", "12x") in pre
    assert (3, "year_start", "schema:coerce_dtype('Int64')", "19x6") in pre
    assert (2, "year_start", "schema:in_range(1800, 1991)", "1700") in pre  # the column's checks still run
    # without the precheck pandera also runs the failed column's checks on its strings,
    # which yields only TypeErrors; every real finding of its own is found with it
    assert {f for f in plain if not f[3].startswith("TypeError(")} <= set(pre)
    assert not [f for f in pre if f[3].startswith("TypeError(")]


def test_the_quote_rule_flags_exactly_the_rows_whose_quote_lacks_the_value():
    df = pd.DataFrame({
        "value_text": ["12", "12", "7", None, "7", "12"],
        "quote": ["has 12\nmen", "no number", "has 7", "has 7", None, "no number"],
    }, dtype="string")
    assert [(i.row, i.rule) for i in rules._quote_rule(df, "o.csv")] == [(2, "quote-contains-value"), (6, "quote-contains-value")]


def test_the_quote_rule_flags_the_same_rows_whether_quotes_repeat_or_not():
    """Quotes that repeat are tested once per (value_text, quote) pair; quotes that differ
    row by row are tested row by row: the same rows are flagged either way."""
    real = pd.read_csv(datapackage_dir() / "data" / "observations.csv", dtype="string", keep_default_na=False).replace("", pd.NA)
    repeated = pd.concat([real[["value_text", "quote"]]] * 5, ignore_index=True)
    repeated.loc[10, "value_text"] = "987654"  # not in its quote
    repeated.loc[2000, "quote"] = "a quote without the figure"
    repeated.loc[3001, "quote"] = pd.NA  # missing: another rule's finding
    distinct = repeated.copy()
    distinct["quote"] = distinct["quote"] + pd.Series([f" [{i}]" for i in range(len(distinct))], dtype="string")
    assert not rules._mostly_distinct(arrow_strings(repeated["quote"])) and rules._mostly_distinct(arrow_strings(distinct["quote"]))
    expected = [n for n, (v, q) in enumerate(zip(repeated["value_text"], repeated["quote"]), 1)
                if v is not pd.NA and q is not pd.NA and collapse(v) not in collapse(q)]
    assert 11 in expected and 2001 in expected and 3002 not in expected
    assert [i.row for i in rules._quote_rule(repeated, "o.csv")] == expected
    assert [i.row for i in rules._quote_rule(distinct, "o.csv")] == expected
    # every value distinct too: each row tested on its own
    numbered = distinct.copy()
    numbered["value_text"] = pd.Series([f"[{i}]" for i in range(len(numbered))], dtype="string")
    numbered.loc[10, "value_text"] = "[no such]"
    assert rules._mostly_distinct(arrow_strings(numbered["value_text"]))
    expected_numbered = [n for n, (v, q) in enumerate(zip(numbered["value_text"], numbered["quote"]), 1)
                         if v is not pd.NA and q is not pd.NA and collapse(v) not in collapse(q)]
    assert 11 in expected_numbered
    assert [i.row for i in rules._quote_rule(numbered, "o.csv")] == expected_numbered


def test_a_row_longer_than_a_parse_block_is_still_read():
    from soviet_figures.validate.structure import _parse_strings

    long_cell = "x" * (6 << 20)  # longer than the 4 MiB blocks the file is parsed in
    table = _parse_strings(f'a,b\n1,"{long_cell}"\n2,"y\nz"\n'.encode(), ["a", "b"])
    assert table.column("b").to_pylist() == [long_cell, "y\nz"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("=+-@\t\r\n\x00\x01\x7f\x85\u00ad\u200b\u202e\u2028\ufeff aZоЯαΩ5.,"), max_size=8), min_size=1, max_size=20))
def test_the_text_checks_prefilter_misses_nothing_any_check_flags(values):
    """cell_issues tests only the values one pattern picks: every value any text check flags
    must be among them."""
    cells = pa.array(values, pa.string())
    suspect = pc.fill_null(pc.match_substring_regex(cells, rules._TEXT_SUSPECT), False).to_pylist()
    for test, rule, _message, _skip in rules._TEXT_CHECKS:
        flagged = pc.fill_null(test(cells), False).to_pylist()
        assert all(s for s, f in zip(suspect, flagged) if f), (rule, [v for v, s, f in zip(values, suspect, flagged) if f and not s])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a-0001", "a-0004", "a-b-0002", "a-b-0009", "b-9", "b-0x1", "c-1-0005", "c-1-0006", "a-", "zz-0001"]),
                          st.sampled_from(["a", "a-b", "b", "c-1", "z", None])), max_size=12),
       st.lists(st.sampled_from([None, "a-0003", "a-b-0002", "b-0001", "c-1-0005", "x"]), min_size=4, max_size=4))
def test_obs_id_issued_flags_exactly_the_ids_above_their_documents_last(rows, lasts):
    """The vectorised rule against its definition, row by row: an obs_id <doc_id>-<number> of a
    document whose last_obs_id is given (empty: none issued yet) is flagged when its number
    is above that last_obs_id's."""
    from soviet_figures.validate.issued import id_number, issued_issues

    docs = pd.DataFrame({"doc_id": ["a", "a-b", "b", "c-1"], "last_obs_id": lasts}, dtype="string")
    obs = pd.DataFrame({"obs_id": [r[0] for r in rows], "doc_id": [r[1] for r in rows]}, dtype="string")
    limits = {d: (0 if v is None else id_number(v, d)) for d, v in zip(docs["doc_id"], lasts)}
    expected = [n for n, (obs_id, doc) in enumerate(rows, 1)
                if doc in limits and limits[doc] is not None and (id_number(obs_id, doc) or 0) > limits[doc]]
    found = [i.row for i in issued_issues(obs, docs, "o.csv", "d.csv") if i.file == "o.csv"]
    assert found == expected
