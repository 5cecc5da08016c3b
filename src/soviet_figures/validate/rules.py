"""Layer 2b: the rules a Table Schema cannot say, on single cells, across a row's cells and
across tables. Each rule has an id (``rule`` in a finding) listed in
:mod:`soviet_figures.validate.catalogue` with what it checks and how to fix it.

>>> df = pd.DataFrame({"obs_id_a": ["b"], "obs_id_b": ["a"], "relation": ["same_quantity_as"], "note": ["=x"]}, dtype="string")
>>> [(i.column, i.rule) for i in cell_issues("links", df, "links.csv") + row_issues("links", df, "links.csv")]
[('note', 'no-formula'), ('obs_id_b', 'link-order')]
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import tableschema
from .._cells import cell_float, cell_str
from ..qualifiers import LOWER_BOUNDS, POINTS, UPPER_BOUNDS
from ..text.locate import collapse
from ..text.periods import period_years
from ..topics import declared_groups, series_key, series_problem
from .arithmetic import evaluate
from .report import Issue
from .structure import NUMBER_LIKE, arrow_strings, isin
from .values import unit_problem, value_problems

__all__ = ["cell_issues", "row_issues", "NON_NEGATIVE_UNITS"]

NON_NEGATIVE_UNITS = {"persons", "count", "items", "tonnes", "hours", "days", "months", "years", "roubles", "share", "ratio"}

# what a spreadsheet runs as a formula (OWASP's list: = + - @ tab CR)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NOT_FINITE = {"nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
# bidirectional marks, overrides and isolates, zero-width and other invisible format
# characters (soft hyphen, joiners, fillers, variation selectors, tags), BOM: invisible in a
# cell, they make one text look like another ("a\u200bb" prints as "ab")
_INVISIBLE = (r"[\x{00AD}\x{034F}\x{061C}\x{115F}\x{1160}\x{17B4}\x{17B5}\x{180E}\x{200B}-\x{200F}\x{202A}-\x{202E}"
              r"\x{2060}-\x{2064}\x{2066}-\x{206F}\x{3164}\x{FE00}-\x{FE0F}\x{FEFF}\x{FFA0}\x{FFF9}-\x{FFFB}\x{E0000}-\x{E007F}]")
# C0 and C1 controls but tab and LF (a CR anywhere makes the file's line ends refused), and the
# Unicode line and paragraph separators
_CONTROL = r"[\x00-\x08\x0B-\x1F\x7F-\x{9F}\x{2028}\x{2029}]"
# one word (letters, marks, digits) holding letters of two of the Latin, Cyrillic and Greek
# alphabets: a look-alike letter ("Zаvod" with a Cyrillic а) makes a new subject or id that
# prints like an existing one
_SCRIPTS = "Latin Cyrillic Greek".split()
_MIXED_SCRIPT = "|".join(rf"\p{{{a}}}[\pL\pM\pN]*\p{{{b}}}" for a in _SCRIPTS for b in _SCRIPTS if a != b)
# columns copied verbatim from the source text, which may itself mix alphabets (an OCR'd
# "Cделана"): the mixed-script rule does not apply to them
_VERBATIM = frozenset({"quote", "value_text", "text", "cited_source", "footnote", "aliases"})


def _row(i: Any) -> int:
    return int(i) + 1


def _num(series: pd.Series) -> pd.Series:
    """Numbers as Float64, a cell that is not a number → missing (its error is pandera's).

    >>> _num(pd.Series(["1.5", None, "x"], dtype="string")).tolist()
    [1.5, <NA>, <NA>]
    """
    cells = arrow_strings(series)
    try:  # pyarrow casts a clean column at C speed
        numbers = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # the cells of a plain number's shape still at C speed, only the odd ones by pandas
        plain = pc.fill_null(pc.match_substring_regex(cells, NUMBER_LIKE["number"]), True)
        numbers = pc.cast(pc.if_else(plain, cells, pa.scalar(None, pa.string())), pa.float64()).to_numpy(zero_copy_only=False)
        odd = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
        numbers[odd] = pd.to_numeric(series.iloc[odd], errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(numbers, index=series.index).astype("Float64")


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def cell_issues(name: str, data: pd.DataFrame | pa.Table, file: str) -> list[Issue]:
    """Rules on single cells: no spreadsheet formula, no invisible or control character and
    no word mixing alphabets in text (but in the columns copied verbatim from the source
    text), only finite numbers.

    ``data`` is a frame of strings or the pyarrow Table of strings it was made from.

    Examples
    --------
    >>> table = pa.table({"id": ["x", "@SUM(A1)", "-1+2"], "label": ["nan", "y", "a\\u202eb"], "percent_may_exceed_100": ["true", None, None]})
    >>> [(i.row, i.column, i.rule) for i in cell_issues("measures", table, "measures.csv")]
    [(2, 'id', 'no-formula'), (3, 'id', 'no-formula'), (3, 'label', 'no-invisible-character')]
    >>> [(i.column, i.rule) for i in cell_issues("subjects", pa.table({"name": ["Z\u0430vod", "Завод Zavod"]}), "subjects.csv")]
    [('name', 'mixed-script')]
    """
    is_table = isinstance(data, pa.Table)
    present = set(data.column_names if is_table else data.columns)
    texts = [f["name"] for f in tableschema.fields(name) if f["type"] == "string" and f["name"] in present]
    numbers = [f["name"] for f in tableschema.fields(name) if f["type"] in {"number", "integer"} and f["name"] in present]
    out: list[Issue] = []
    # each check runs once per table, over the distinct values of its columns laid end to end:
    # a pattern is compiled once per table, and a value repeated in many rows is tested once
    for columns, checks in ((texts, _TEXT_CHECKS), (numbers, _NUMBER_CHECKS)):
        if not columns:
            continue
        full = {c: pc.cast(data.column(c), pa.string()) if isinstance(data, pa.Table) else arrow_strings(data[c]) for c in columns}
        distinct = [_distinct_if_it_pays(full[c]) for c in columns]
        values = pa.concat_arrays([d.combine_chunks() if isinstance(d, pa.ChunkedArray) else d for d in distinct])
        starts = [0]
        for d in distinct:
            starts.append(starts[-1] + len(d))
        # one pass of a pattern any finding needs picks the few values the checks then test
        # (almost every value is clean: three passes over every value cost three times one)
        suspect_at = pc.indices_nonzero(pc.fill_null(pc.match_substring_regex(values, _TEXT_SUSPECT), False)) if checks is _TEXT_CHECKS else None
        suspects = values if suspect_at is None else pc.take(values, suspect_at)
        for test, rule, message, skip in checks:
            bad: dict[str, list[str]] = {}
            hits = pc.indices_nonzero(pc.fill_null(test(suspects), False))
            for pos in (hits if suspect_at is None else pc.take(suspect_at, hits)).to_pylist():
                col = columns[bisect.bisect_right(starts, pos) - 1]
                if col not in skip:
                    bad.setdefault(col, []).append(values[pos].as_py())
            for col, wrong in bad.items():
                cells = full[col]
                for at in pc.indices_nonzero(pc.fill_null(pc.is_in(cells, value_set=pa.array(wrong, pa.string())), False)).to_pylist():
                    value = str(cells[at].as_py())
                    row = at + 1 if is_table else _row(data.index[at])
                    out.append(Issue(file, row, col, rule, value if rule == "finite-number" else value[:60], message))
    return sorted(out, key=lambda i: (i.row or 0))


def _distinct_if_it_pays(cells: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A column's distinct values, or all its values where nearly all are distinct (ids,
    offsets, quotes): hashing those costs as much as the checks it would save. Judged on the
    first rows; either way every value is checked.

    >>> len(_distinct_if_it_pays(pa.array(["a", "b", "a", None]))), len(_distinct_if_it_pays(pa.array([str(i) for i in range(5000)])))
    (2, 5000)
    """
    return pc.drop_null(cells if _mostly_distinct(cells) else pc.unique(cells))


def _mostly_distinct(cells: pa.Array | pa.ChunkedArray) -> bool:
    """Whether nearly all of a long column's values differ, judged on its first rows.

    >>> _mostly_distinct(pa.array([str(i) for i in range(5000)])), _mostly_distinct(pa.array(["a"] * 5000)), _mostly_distinct(pa.array(["a", "b"]))
    (True, False, False)
    """
    head = cells.slice(0, _SAMPLE_ROWS)
    return len(head) >= _SAMPLE_ROWS and len(pc.unique(head)) > 0.9 * len(head)


_SAMPLE_ROWS = 2048
_Check = tuple[Callable[[Any], Any], str, str, frozenset[str]]
_TEXT_CHECKS: list[_Check] = [
    (lambda cells: pc.is_in(pc.utf8_slice_codeunits(cells, 0, 1), value_set=pa.array(_FORMULA)), "no-formula",
     "text starts like a spreadsheet formula (= + - @ tab); it would run in Excel or LibreOffice: reword the start", frozenset()),
    (lambda cells: pc.match_substring_regex(cells, _INVISIBLE), "no-invisible-character",
     "text holds an invisible character (zero-width, bidirectional control or BOM) that makes it look like other text: delete it", frozenset()),
    (lambda cells: pc.match_substring_regex(cells, _CONTROL), "no-control-character",
     "text holds a control character (or a Unicode line or paragraph separator): delete it", frozenset()),
    (lambda cells: pc.match_substring_regex(cells, _MIXED_SCRIPT), "mixed-script",
     "a word mixes Latin, Cyrillic or Greek letters (a look-alike letter, such as a Cyrillic о in a Latin name): retype the word in one alphabet", _VERBATIM),
]
# what every text check above needs to find: a value this pattern misses passes them all
_TEXT_SUSPECT = "|".join(["^[" + "".join("\\" + c if c in "-+" else c for c in _FORMULA) + "]", _INVISIBLE, _CONTROL, _MIXED_SCRIPT])
_NUMBER_CHECKS: list[_Check] = [
    (lambda cells: pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(cells)), value_set=pa.array(sorted(_NOT_FINITE))), "finite-number",
     "NaN and infinity are not figures; leave the cell empty if there is no value", frozenset()),
]


def row_issues(name: str, df: pd.DataFrame, file: str, context: dict[str, pd.DataFrame] | None = None) -> list[Issue]:
    """Rules across the cells of a row and across tables (vectorised where they can be).

    Parameters
    ----------
    name : the table ``df`` holds
    df : its cells as strings (empty → missing)
    file : the file's name in findings
    context : the other tables (documents, measures, observations) for the rules that read
        them; a rule whose context is missing is not run.

    Examples
    --------
    >>> df = pd.DataFrame({"mention_id": ["d:1-3"], "doc_id": ["d"], "char_start": ["1"], "char_end": ["4"], "line": ["1"],
    ...     "text": ["12"], "kind": ["digits"], "status": ["other"], "obs_id": [None], "reason": [None]}, dtype="string")
    >>> [i.rule for i in row_issues("mentions", df, "mentions.csv")]
    ['mention-id', 'other-needs-reason', 'offsets-length']
    """
    context = context or {}
    if not set(tableschema.field_names(name)) <= set(df.columns):
        return []  # no row rule makes sense on a frame with missing columns
    if name == "observations" or name in tableschema.topic_names():
        return _observation_rules(df, file, context)
    rules: dict[str, Callable[[pd.DataFrame, str, dict[str, pd.DataFrame]], list[Issue]]] = {
        "mentions": _mention_rules, "measures": _measure_rules, "links": _link_rules, "arithmetic": _arithmetic_rules,
    }
    return rules[name](df, file, context) if name in rules else []


class _Flagger:
    """Collects findings of vectorised rules on an observations frame: ``flag(mask, …)``
    reports every row where ``mask`` holds. A row whose value cells are not numbers is
    pandera's finding; rules on values skip it rather than repeat it as "empty"."""

    def __init__(self, df: pd.DataFrame, file: str) -> None:
        self.df, self.file = df, file
        self.found: list[Issue] = []
        self.v, self.lo, self.hi = _num(df["value"]), _num(df["value_low"]), _num(df["value_high"])
        self.unreadable = (df["value"].notna() & self.v.isna()) | (df["value_low"].notna() & self.lo.isna()) | (df["value_high"].notna() & self.hi.isna())

    def flag(self, mask: pd.Series, column: str, rule: str, message: str, values: pd.Series | None = None) -> None:
        if column.startswith("value") or rule.startswith("qualifier"):
            mask = mask & ~self.unreadable
        for i in mask[mask.fillna(False).astype(bool)].index:
            val = None if values is None else values.loc[i]
            self.found.append(Issue(self.file, _row(i), column, rule, None if _missing(val) else str(val), message))


def _observation_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    f = _Flagger(df, file)
    f.flag(~_prefixed(df["obs_id"], df["doc_id"]), "obs_id", "obs-id-prefix", "obs_id must start with '<doc_id>-'", df["obs_id"])
    _value_order(f)
    _qualifier_columns(f, df["qualifier"].astype("string"))
    _unit_ranges(f, df["unit"].astype("string"))
    if ctx.get("measures") is not None:
        _measure_units(f, df, ctx["measures"])
    _offsets(f, df)
    langs = dict(zip(ctx["documents"]["doc_id"], ctx["documents"]["language"])) if ctx.get("documents") is not None else {}
    parsed = [i for i in _row_rules(df, file, f.v, f.lo, f.hi, langs) if not (i.rule == "value-parses" and i.row is not None and f.unreadable.iloc[i.row - 1])]
    return f.found + _quote_rule(df, file) + parsed


def _value_order(f: _Flagger) -> None:
    v, lo, hi = f.v, f.lo, f.hi
    f.flag(lo.notna() & v.notna() & (lo > v), "value_low", "low<=value", "value_low is greater than value", lo)
    f.flag(hi.notna() & v.notna() & (hi < v), "value_high", "value<=high", "value_high is less than value", hi)
    f.flag(lo.notna() & hi.notna() & (lo > hi), "value_low", "low<=high", "value_low is greater than value_high", lo)


def _qualifier_columns(f: _Flagger, q: pd.Series) -> None:
    """Which value columns each qualifier fills (:class:`~soviet_figures.qualifiers.Qualifier`)."""
    v, lo, hi = f.v, f.lo, f.hi
    f.flag((q == "range") & (v.notna() | lo.isna() | hi.isna()), "qualifier", "qualifier-range", "a range needs value empty and value_low, value_high set", q)
    f.flag(q.isin(sorted(LOWER_BOUNDS)) & (v.isna() | (lo != v).fillna(True) | hi.notna()), "value_low", "qualifier-bound", "more_than/at_least needs value set, value_low = value and value_high empty", lo)
    f.flag(q.isin(sorted(UPPER_BOUNDS)) & (v.isna() | (hi != v).fillna(True) | lo.notna()), "value_high", "qualifier-bound", "less_than/at_most needs value set, value_high = value and value_low empty", hi)
    f.flag(q.isin(sorted(POINTS)) & (v.isna() | lo.notna() | hi.notna()), "value", "qualifier-point", "exact/approximate needs value set and value_low, value_high empty", v)


def _unit_ranges(f: _Flagger, unit: pd.Series) -> None:
    v, lo, hi = f.v, f.lo, f.hi
    worst = v.fillna(hi).fillna(lo)
    f.flag(unit.isin(sorted(NON_NEGATIVE_UNITS)) & ((worst < 0) | (lo < 0)).fillna(False), "value", "non-negative", "counts, amounts, shares and ratios cannot be negative", worst)
    f.flag((unit == "share") & ((v > 1) | (hi > 1) | (lo > 1)).fillna(False), "value", "share<=1", "a share is a fraction between 0 and 1 (use unit percent for percentages)", worst)


def _measure_units(f: _Flagger, df: pd.DataFrame, measures: pd.DataFrame) -> None:
    """The unit must be one the measure allows; a percentage above 100 only where the
    measure says it may be."""
    unit = df["unit"].astype("string")
    allowed = dict(zip(measures["id"], measures["allowed_units"].fillna("")))
    exceeding = [i for i, x in zip(measures["id"], measures["percent_may_exceed_100"]) if str(x).lower() == "true"]
    m = df["measure"].astype("string")
    known = isin(m, pd.Series(list(allowed), dtype="string"))  # an unknown measure is a foreign-key error (layer 1)
    pairs = pd.Series([f"{k}|{u}" for k, units in allowed.items() for u in str(units).split("|")], dtype="string")
    joined = pd.Series(pc.binary_join_element_wise(arrow_strings(m), arrow_strings(unit), "|"), dtype=pd.ArrowDtype(pa.string()), index=m.index)
    ok_unit = m.isna() | unit.isna() | isin(joined, pairs)  # joined in pyarrow: pandas joins strings row by row
    f.flag(known & ~ok_unit.fillna(True).astype(bool), "unit", "unit-allowed", "unit not allowed for this measure (see measures.allowed_units)", unit)
    may_exceed = isin(m, pd.Series(exceeding, dtype="string"))
    biggest = pd.concat([f.v, f.lo, f.hi], axis=1).max(axis=1)
    smallest = pd.concat([f.v, f.lo, f.hi], axis=1).min(axis=1)
    f.flag((unit == "percent") & (((biggest > 100) & ~may_exceed) | (smallest < 0)).fillna(False), "value", "percent-range", "percent must lie within 0-100 for this measure", biggest)


def _offsets(f: _Flagger, df: pd.DataFrame) -> None:
    cs, ce = _num(df["char_start"]), _num(df["char_end"])
    f.flag((ce <= cs).fillna(False), "char_end", "offsets-order", "char_end must be greater than char_start", df["char_end"])
    vt = df["value_text"].astype("string")
    f.flag(((ce - cs) != vt.str.len()).fillna(False), "char_end", "offsets-length", "char_end - char_start must equal the length of value_text", df["char_end"])


def _prefixed(obs_id: pd.Series, doc_id: pd.Series) -> pd.Series:
    """Whether each obs_id starts with its doc_id and a hyphen (missing: False), by one
    pyarrow ``starts_with`` per document.

    >>> _prefixed(pd.Series(["a-0001", "b-0001", "a-0002", None]), pd.Series(["a", "a", None, "a"])).tolist()
    [True, False, False, False]
    """
    ids, docs = arrow_strings(obs_id), arrow_strings(doc_id)
    ok = pa.array(np.zeros(len(ids), dtype=bool))
    for d in pc.unique(pc.drop_null(docs)).to_pylist():
        ok = pc.or_(ok, pc.fill_null(pc.and_(pc.equal(docs, d), pc.starts_with(ids, d + "-")), False))
    return pd.Series(ok.to_numpy(zero_copy_only=False), index=obs_id.index)


def _quote_rule(df: pd.DataFrame, file: str) -> list[Issue]:
    """Each quote contains its value_text, whitespace collapsed in both.

    A value found in its quote as it stands is found collapsed too, so only the rows where
    the plain test fails are collapsed and tested again.

    >>> df = pd.DataFrame({"value_text": ["12", "12\\n men", "7"], "quote": ["has 12", "has 12 men", "no"]}, dtype="string")
    >>> [(i.row, i.rule) for i in _quote_rule(df, "o.csv")]
    [(3, 'quote-contains-value')]
    """
    texts, quotes = arrow_strings(df["value_text"]), arrow_strings(df["quote"])
    if not _mostly_distinct(quotes):  # quotes repeat (a figure's rows, a file built from copies): each pair is tested once
        pairs = pa.table({"value_text": texts, "quote": quotes}).group_by(["value_text", "quote"]).aggregate([])
        failing = {q for t, q in zip(pairs["value_text"].to_pylist(), pairs["quote"].to_pylist()) if not _quote_holds(t, q)}
        candidates: pa.Array | None = pc.indices_nonzero(pc.fill_null(pc.is_in(quotes, value_set=pa.array(sorted(failing), pa.string())), False))
    elif not _mostly_distinct(texts):  # every quote differs, the values repeat: each value sought at once in its rows' quotes
        candidates = pa.array(_plain_misses(texts, quotes), pa.int64())
    else:
        candidates = None
    if candidates is not None:  # only the rows a plain search missed are tested in Python
        texts, quotes = pc.take(texts, candidates), pc.take(quotes, candidates)
    rows = range(len(texts)) if candidates is None else candidates.to_pylist()
    return [Issue(file, _row(df.index[pos]), "quote", "quote-contains-value", quote[:80], "quote does not contain value_text")
            for pos, text, quote in zip(rows, texts.to_numpy(zero_copy_only=False).tolist(), quotes.to_numpy(zero_copy_only=False).tolist())
            if not _quote_holds(text, quote)]


def _plain_misses(texts: pa.Array | pa.ChunkedArray, quotes: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The rows whose quote lacks their value_text as it stands, found value by value: the
    quotes sorted by value once, then one vectorised search per distinct value over its
    slice of them (a slice copies nothing).

    >>> _plain_misses(pa.array(["12", "12", "7", None]), pa.array(["has 12", "no", "7 men", "x"])).tolist()
    [1]
    """
    texts, quotes = (a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in (texts, quotes))
    encoded = pc.dictionary_encode(texts)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")  # the rows of each value together
    ordered_codes, ordered_quotes = codes[order], pc.take(quotes, pa.array(order))
    starts = np.flatnonzero(np.r_[True, ordered_codes[1:] != ordered_codes[:-1]])
    misses = [np.empty(0, dtype=np.int64)]
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(order)]):
        code = int(ordered_codes[start])
        if code < 0:  # no value_text: another rule's finding
            continue
        found = pc.match_substring(ordered_quotes.slice(start, end - start), encoded.dictionary[code].as_py())
        misses.append(order[start:end][~pc.fill_null(found, True).to_numpy(zero_copy_only=False)])
    return np.sort(np.concatenate(misses))


def _quote_holds(text: str | None, quote: str | None) -> bool:
    """The rule on one row: a missing cell is another rule's finding, never this one's."""
    return text is None or quote is None or text in quote or collapse(text) in collapse(quote)


# the columns the per-row rules read: rows equal on all of them get the same findings
_ROW_RULE_COLUMNS = ["value_text", "period", "year_start", "year_end", "qualifier", "value", "value_low", "value_high", "doc_id", "unit"]
_Finding = tuple[str, str, "str | None", str]


def _period_findings(period: Any, ys: Any, ye: Any) -> list[_Finding]:
    if not isinstance(period, str):
        return [] if ys is None and ye is None else [("year_start", "years-from-period", f"{ys}/{ye}", "year_start/year_end must be empty when period is empty")]
    try:
        a, b = period_years(period)
    except ValueError as exc:
        return [("period", "period-format", period, str(exc))]
    found: list[_Finding] = []
    if not (1800 <= a <= 1991 and 1800 <= b <= 1991):
        found.append(("period", "period-range", period, "period must lie within 1800-1991"))
    if ys is None or ye is None or int(ys) != a or int(ye) != b:
        found.append(("year_start", "years-from-period", f"{ys}/{ye}", f"year_start/year_end must be {a}/{b}, derived from period"))
    return found


@lru_cache(maxsize=65536)
def _value_findings(text: str, qualifier: Any, value: Any, low: Any, high: Any, lang: str | None, unit: str | None = None) -> tuple[_Finding, ...]:
    row = {"value_text": text, "qualifier": qualifier, "value": value, "value_low": low, "value_high": high}
    found: list[_Finding] = []
    contradiction = unit_problem(text, unit, lang)
    if contradiction:
        found.append(("unit", "unit-from-text", unit, contradiction))
    for problem in value_problems(row, lang):
        col = "value_text" if "parse" in problem and "does not" in problem else problem.split(" ")[0]
        col = col if col in row else "value"
        found.append((col, "value-parses", str(row.get(col, text)), problem))
    return tuple(found)


def _row_rules(df: pd.DataFrame, file: str, v: pd.Series, lo: pd.Series, hi: pd.Series, langs: dict[str, str]) -> list[Issue]:
    """Rules that need Python per row (the period, the number parser), run once per distinct
    combination of the cells they read and reported on every row that has it."""
    groups = df[_ROW_RULE_COLUMNS].groupby(_ROW_RULE_COLUMNS, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(groups, return_index=True)
    one = df[_ROW_RULE_COLUMNS].iloc[first]

    def plain(series: pd.Series) -> list[Any]:
        return series.astype(object).where(series.notna(), None).tolist()

    findings: dict[int, list[_Finding]] = {}
    columns = zip(
        groups[first], plain(one["value_text"]), plain(one["period"]), plain(_num(one["year_start"])),
        plain(_num(one["year_end"])), plain(one["qualifier"]), plain(v.iloc[first]), plain(lo.iloc[first]), plain(hi.iloc[first]), plain(one["doc_id"]),
        plain(one["unit"]),
    )
    for group, text, period, ys, ye, qual, val, low, high, doc, unit in columns:
        found = _period_findings(period, ys, ye)
        if isinstance(text, str):
            found += _value_findings(text, qual, val, low, high, langs.get(doc), unit)
        if found:
            findings[int(group)] = found
    out: list[Issue] = []
    if findings:
        for pos in np.flatnonzero(np.isin(groups, list(findings))):
            out += [Issue(file, int(pos) + 1, col, rule, value, message) for col, rule, value, message in findings[int(groups[pos])]]
    return out


def _mention_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    out: list[Issue] = []
    expected = df["doc_id"].astype("string") + ":" + df["char_start"].astype("string") + "-" + df["char_end"].astype("string")
    for i in df.index[(df["mention_id"].astype("string") != expected).fillna(True)]:
        out.append(Issue(file, _row(i), "mention_id", "mention-id", str(df.at[i, "mention_id"]), f"mention_id must be {expected.loc[i]}"))
    status = df["status"].astype("string")
    for i in df.index[((status == "observation") & df["obs_id"].isna()).fillna(False)]:
        out.append(Issue(file, _row(i), "obs_id", "mention-obs", None, "status observation needs obs_id"))
    for i in df.index[((status != "observation") & df["obs_id"].notna()).fillna(False)]:
        out.append(Issue(file, _row(i), "obs_id", "mention-obs", str(df.at[i, "obs_id"]), "obs_id is set but status is not observation"))
    for i in df.index[((status == "other") & df["reason"].isna()).fillna(False)]:
        out.append(Issue(file, _row(i), "reason", "other-needs-reason", None, "status other needs a reason"))
    length = _num(df["char_end"]) - _num(df["char_start"])
    for i in df.index[(length != df["text"].astype("string").str.len()).fillna(False)]:
        out.append(Issue(file, _row(i), "char_end", "offsets-length", str(df.at[i, "char_end"]), "char_end - char_start must equal the length of text"))
    return out


def _measure_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    out: list[Issue] = []
    units = set(tableschema.enum("observations", "unit"))
    for i, allowed_units, default in zip(df.index, df["allowed_units"], df["default_unit"]):
        allowed = str(allowed_units).split("|") if isinstance(allowed_units, str) else []
        bad = [u for u in allowed if u not in units]
        if bad:
            out.append(Issue(file, _row(i), "allowed_units", "unit-vocabulary", "|".join(bad), "unknown unit(s)"))
        if isinstance(default, str) and default not in allowed:
            out.append(Issue(file, _row(i), "default_unit", "default-unit-allowed", default, "default_unit must be one of allowed_units"))
    return out


def _link_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    """Pairs are ordered (the lower id first) except ``part_of`` (the part first); a part
    lies within its whole: the same unit, and no larger; a ``same_series_as`` link joins two
    dated figures of one series key at two dates, and the figures a series' links join
    count each date once."""
    out = []
    obs = ctx.get("observations")
    usable = obs is not None and set(tableschema.field_names("observations")) <= set(obs.columns) and obs["obs_id"].is_unique
    records = [{str(k): (None if _missing(v) else v) for k, v in r.items()} for r in obs.to_dict("records")] if usable and obs is not None else []
    rows = {r["obs_id"]: r for r in records}
    contexts = ctx.get("contexts")
    families = {} if contexts is None else {cell_str(c): cell_str(f) for c, f in zip(contexts["context_id"], contexts["family"])}
    sound: list[tuple[int, str]] = []  # same_series_as links whose two rows may be one series
    for i, a, b, relation in zip(df.index, df["obs_id_a"], df["obs_id_b"], df["relation"]):
        if not (isinstance(a, str) and isinstance(b, str)):
            continue
        if relation != "part_of" and not a < b:
            out.append(Issue(file, _row(i), "obs_id_b", "link-order", b, "obs_id_a must be the lower id and differ from obs_id_b"))
        elif relation == "part_of" and a == b:
            out.append(Issue(file, _row(i), "obs_id_b", "link-order", b, "a figure cannot be part of itself"))
        elif a not in rows or b not in rows:  # an unknown id is a foreign-key finding (layer 1)
            continue
        elif relation == "part_of":
            problem = _part_problem(rows[a], rows[b])
            if problem:
                out.append(Issue(file, _row(i), "obs_id_a", "part-within-whole", a, f"{problem}; check the link or the figures"))
        elif relation == "same_series_as":
            problem = _series_link_problem(rows[a], rows[b], families)
            if problem:
                out.append(Issue(file, _row(i), "relation", "series-link", relation, problem))
            else:
                sound.append((_row(i), a))
    return out + _declared_series_issues(df, file, records, families, sound)


def _declared_series_issues(df: pd.DataFrame, file: str, records: list[dict[str, Any]], families: dict[str, str], sound: list[tuple[int, str]]) -> list[Issue]:
    """``series-link`` on the ``sound`` links (row, obs_id_a) whose two rows may be one
    series, but whose series as a whole counts a date twice or one date only."""
    if not sound:
        return []
    links = [{"obs_id_a": a, "obs_id_b": b, "relation": r} for a, b, r in zip(df["obs_id_a"], df["obs_id_b"], df["relation"])]
    problem_of = {}
    for group in declared_groups(records, families, links):
        problem = series_problem(group)
        for r in group:
            problem_of[cell_str(r["obs_id"])] = problem
    return [Issue(file, row, "relation", "series-link", "same_series_as",
                  f"the figures this link joins (with the series' other links, and the rows that restate or dispute them) form no series: "
                  f"{problem_of[a]}, and one quantity has one value at a date; remove the link that joins two figures of one date, "
                  "or mark a figure stated twice same_quantity_as")
            for row, a in sound if problem_of.get(a)]


def _series_link_problem(x: Mapping[str, Any], y: Mapping[str, Any], families: dict[str, str]) -> str | None:
    """Why two rows joined by ``same_series_as`` cannot be one series: a row without a
    date, one date, or a different series key.

    >>> row = {"subject": "S", "measure": "m", "unit": "persons", "value_kind": "level", "context": "c", "period": "1929"}
    >>> _series_link_problem(row, {**row, "period": "1930", "unit": "percent"}, {"c": "f"})
    "figures of one series share subject, measure, unit, value kind, context family (and for flows and durations the length of their periods); these differ in unit 'persons' against 'percent': correct the rows, or remove the link"
    """
    px, py = cell_str(x["period"]), cell_str(y["period"])
    if not px or not py:
        return "a series joins dated figures: give both rows their period, or remove the link"
    if px == py:
        return ("the two figures are at one date, and one quantity has one value at a date: link them same_quantity_as "
                "or disagrees_with if they state one figure, or remove the link")
    parts = ("subject", "measure", "unit", "value kind", "context family", "length of period")
    differ = [f"{name} {p!r} against {q!r}" for name, p, q in zip(parts, series_key(x, families), series_key(y, families)) if p != q]
    if differ:
        return ("figures of one series share subject, measure, unit, value kind, context family (and for flows and durations "
                f"the length of their periods); these differ in {'; '.join(differ)}: correct the rows, or remove the link")
    return None


def _part_problem(part: Mapping[str, Any], whole: Mapping[str, Any]) -> str | None:
    """Why ``part`` cannot be part of ``whole``: another unit, or a larger value."""
    if str(part["unit"]) != str(whole["unit"]):
        return f"the part is in {part['unit']} and the whole in {whole['unit']}"
    low = next((x for x in (cell_float(part[c]) for c in ("value", "value_low")) if x is not None), None)
    high = next((x for x in (cell_float(whole[c]) for c in ("value", "value_high")) if x is not None), None)
    if low is not None and high is not None and low > high and str(whole["qualifier"]) not in {"more_than", "at_least"}:
        return f"the part ({part['value_text']}) is larger than the whole ({whole['value_text']})"
    return None


def _arithmetic_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    """Operands must be observations; ``agrees`` must be what the numbers give."""
    out = []
    obs = ctx.get("observations")
    known = set(obs["obs_id"]) if obs is not None else None
    # one row per id (a repeated id is a primary-key finding, and nothing to compute with)
    indexed = obs.set_index("obs_id") if obs is not None and obs["obs_id"].is_unique else None
    for i, kind, result, operands, agrees in zip(df.index, df["kind"], df["result"], df["operands"], df["agrees"]):
        ids = str(operands).split(";") if isinstance(operands, str) else []
        missing = [o for o in ids if known is not None and o not in known]
        if missing:
            out.append(Issue(file, _row(i), "operands", "foreign-key", ";".join(missing), "operand is not an obs_id of observations"))
            continue
        if indexed is None or known is None or not isinstance(result, str) or result not in known:
            continue
        cells = indexed.loc[[result, *ids], ["value", "value_low", "value_high"]].to_numpy().ravel()
        if any(cell_float(x) is None and not _missing(x) for x in cells):
            continue  # a figure whose value is no number: pandera's finding, nothing to compute
        verdict = evaluate(str(kind), indexed, result, ids)
        if verdict.agrees != (str(agrees).lower() == "true"):
            out.append(Issue(file, _row(i), "agrees", "arithmetic", str(agrees), f"the figures give {verdict.explain}; agrees must be {str(verdict.agrees).lower()}"))
    return out
