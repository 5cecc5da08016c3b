"""Layer 2 of validation: the pandera schemas (:mod:`soviet_figures.pandera_schemas`)
plus the rules a Table Schema cannot say (DESIGN.md, "Validation layers").

>>> import pandas as pd
>>> df = pd.DataFrame({"obs_id_a": ["b"], "obs_id_b": ["a"], "relation": ["same"], "note": ["x"]}, dtype="string")
>>> [i.rule for i in check_table("links", df, "links.csv")]
["schema:isin(['same_quantity_as', 'disagrees_with'])", 'link-order']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import tableschema
from .pandera_schemas import schema
from .report import Issue
from .structure import arrow_strings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

__all__ = ["prepare", "check_table", "schema_issues", "rule_issues", "cell_issues", "row_issues", "period_years"]

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)?$")
NON_NEGATIVE_UNITS = {"persons", "count", "items", "tonnes", "hours", "days", "months", "years", "roubles", "share", "ratio"}


def prepare(names: list[str], pandas_ready: Callable[[], None] | None = None) -> None:
    """Import pandera and build the schemas of ``names`` ahead of use.

    ``validate`` runs this while pyarrow reads the files in another thread: the import and
    pandera's first validation (which registers its check backends) take about as long as
    reading a large file, and only one of the two needs the interpreter.

    ``pandas_ready`` is called once pandas is imported (and before pandera is), so that the
    reading thread can go on with pandas while this one imports pandera.

    >>> prepare(["measures"])
    """
    import pandas as pd

    from . import arithmetic, intake, structure  # noqa: F401  (the rules' imports, in this thread)

    structure.to_frame(structure._parse_strings(b"a\n1\n", ["a"]))  # pyarrow's pandas glue
    if pandas_ready is not None:
        pandas_ready()
    import pandera.errors as pe

    names = [n for n in names if n in tableschema.table_names()]
    for name in names:
        schema(name)
    if names:  # the first validation imports pandera's backends: do it on an empty frame
        empty = pd.DataFrame({c: pd.Series([], dtype="string") for c in tableschema.field_names(names[0])})
        try:
            schema(names[0]).validate(empty, lazy=True)
        except pe.SchemaErrors:  # a warm-up only: findings come from the real frames
            pass


def period_years(period: str) -> tuple[int, int]:
    """First and last year of an ISO 8601 period; ValueError if malformed or impossible.

    >>> period_years("1935-05/1935-12"), period_years("1936")
    ((1935, 1935), (1936, 1936))
    """
    import datetime as dt

    m = _PERIOD.match(period)
    if not m:
        raise ValueError("not an ISO 8601 date or interval (1936, 1936-01, 1936-06-25, 1933/1935)")
    y1, m1, d1, y2, m2, d2 = m.groups()

    def check(y: str, mo: str | None, d: str | None) -> dt.date:
        return dt.date(int(y), int(mo or 1), int(d or 1))

    start = check(y1, m1, d1)
    end = check(y2, m2, d2) if y2 else start
    if end < start:
        raise ValueError("interval ends before it starts")
    return int(y1), int(y2 or y1)


def _row(i: int) -> int:
    return int(i) + 1


def _pandera_issues(name: str, df: pd.DataFrame, file: str, precheck: bool = True) -> tuple[list[Issue], pd.DataFrame | None]:
    """pandera's findings for ``df``, as Issues (and the validated frame, if it passed).

    With ``precheck``, the numeric cells pandera cannot coerce are found first, vectorised
    (:func:`_uncoercible_cells`), reported under pandera's own rule and emptied, so that
    pandera does not look for them itself by coercing every cell of the column in Python
    (seconds on a large file), and runs the column's other checks on the rest instead of
    giving up on it. Each cell then gets pandera's verdict on that cell alone (a property
    test holds it to that); without ``precheck`` pandera may miss the row of a bad cell or
    the range of the others.
    """
    import pandas as pd
    import pandera.errors as pe

    df = df.copy()
    for col, dt in tableschema.pandas_dtypes(name).items():
        if dt == "boolean" and col in df.columns:  # Table Schema spells booleans true/false
            df[col] = df[col].map(lambda x: {"true": True, "false": False}.get(x, x) if isinstance(x, str) else x).astype(object)
    found: list[Issue] = []
    emptied: set[tuple[int, str]] = set()
    if precheck:
        for col, (rule, cells) in _uncoercible_cells(name, df).items():
            positions = [pos for pos, _ in cells]
            df.iloc[positions, df.columns.get_loc(col)] = pd.NA
            for pos, value in cells:
                found.append(Issue(file, _row(df.index[pos]), col, f"schema:{rule}", value, _explain(rule)))
                emptied.add((_row(df.index[pos]), col))
    try:
        valid = schema(name).validate(df, lazy=True)
        return found, None if found else valid
    except pe.SchemaErrors as exc:
        issues = []
        fc = exc.failure_cases
        for rec in fc.to_dict("records"):
            idx = rec.get("index")
            row = None if idx is None or (isinstance(idx, float) and math.isnan(idx)) else _row(idx)
            check = str(rec.get("check"))
            column = rec.get("column")
            value = rec.get("failure_case")
            if check == "column_in_dataframe" or check == "column_in_schema":
                issues.append(Issue(file, None, str(value), "columns", None, f"{check.replace('_', ' ')}: {value!r}"))
                continue
            if (row, column) in emptied:  # an emptied cell is not also a missing required one
                continue
            issues.append(Issue(file, row, None if column is None else str(column), f"schema:{check}", None if _missing(value) else str(value), _explain(check)))
        # a cell that cannot be coerced also fails pandera's dtype check: say it once
        uncoercible = {(i.row, i.column) for i in issues if i.rule.startswith("schema:coerce_dtype")}
        return found + [i for i in issues if not (i.rule.startswith("schema:dtype(") and (i.row, i.column) in uncoercible)], None


# cells of these shapes pyarrow always casts to float64 / int64 (what pandas' astype of an
# Arrow string column does, and so pandera's coercion); any other cell is cast on its own
_NUMBER_LIKE = {
    "number": r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$",
    "integer": r"^-?\d{1,18}$",  # pyarrow refuses '+3'; more digits may overflow int64
}


def _uncoercible_cells(name: str, df: pd.DataFrame) -> dict[str, tuple[str, list[tuple[int, str]]]]:
    """The cells of numeric columns that pandera's coercion refuses, by column: pandera's
    check name and the (position, value) of each cell.

    pandera coerces a column of Arrow strings with pandas' ``astype``, which is pyarrow's
    cast; when that fails it looks for the failing cells by trying each cell in Python.
    Here a column that casts whole has none; otherwise each cell that does not look like a
    number is cast on its own, and every cell that fails is one (with its row, even where
    pandera's own search finds none: ``' 7 '``, ``'1_000'``).

    >>> import pandas as pd
    >>> from soviet_figures import tableschema
    >>> cols = {c: pd.Series([None, None, None], dtype="string") for c in tableschema.field_names("observations")}
    >>> cols["value"] = pd.Series(["1.5", "12x", " 7 "], dtype="string")
    >>> _uncoercible_cells("observations", pd.DataFrame(cols))
    {'value': ("coerce_dtype('Float64')", [(1, '12x'), (2, ' 7 ')])}
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = schema(name).columns
    out: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for f in tableschema.fields(name):
        col = f["name"]
        if f["type"] not in _NUMBER_LIKE or col not in df.columns or col not in columns or str(df[col].dtype) not in {"string", "str"}:
            continue
        target = pa.float64() if f["type"] == "number" else pa.int64()
        cells = arrow_strings(df[col])
        if _casts(cells, target):
            continue
        shaped = pc.fill_null(pc.match_substring_regex(cells, _NUMBER_LIKE[f["type"]]), False)
        candidates = pc.indices_nonzero(pc.and_(cells.is_valid(), pc.invert(shaped))).to_pylist()
        if not _casts(pc.filter(cells, shaped), target):  # a number's shape refused (not expected)
            candidates = range(len(cells))
        bad = [pos for pos in candidates if not _casts(cells.slice(pos, 1), target)]
        if bad:
            out[col] = (f"coerce_dtype('{columns[col].dtype}')", [(pos, cells[pos].as_py()) for pos in bad])
    return out


def _casts(cells: Any, target: Any) -> bool:
    """Whether pyarrow casts every cell of ``cells`` to ``target``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.cast(cells, target)
        return True
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False


def _explain(check: str) -> str:
    if check.startswith("isin"):
        return "value not in the controlled vocabulary"
    if check.startswith("coerce_dtype"):
        return f"cannot be read as {check[len('coerce_dtype'):].strip('()')}"
    if "not_nullable" in check:
        return "required value is empty"
    if "field_uniqueness" in check or "unique" in check:
        return "duplicate value in a unique column"
    return f"fails {check}"


def _num(series: pd.Series) -> pd.Series:
    """Numbers as Float64, a cell that is not a number → missing (its error is pandera's).

    >>> import pandas as pd
    >>> _num(pd.Series(["1.5", None, "x"], dtype="string")).tolist()
    [1.5, <NA>, <NA>]
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # pyarrow casts a clean column at C speed; any odd cell falls back to pandas
        cast = pc.cast(arrow_strings(series), pa.float64())
        return pd.Series(cast.to_numpy(zero_copy_only=False), index=series.index).astype("Float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(series, errors="coerce").astype("Float64")


def check_table(
    name: str,
    df: pd.DataFrame,
    file: str,
    context: dict[str, pd.DataFrame] | None = None,
) -> list[Issue]:
    """All layer-2 findings for one table read as strings (``dtype=str``, empty → NA).

    ``context`` holds the other tables (documents, measures, observations) for the rules that
    need them; a rule whose context is missing is not run.
    """
    return schema_issues(name, df, file) + rule_issues(name, df, file, context)


def schema_issues(name: str, df: pd.DataFrame, file: str) -> list[Issue]:
    """What the pandera schema of ``name`` finds in ``df`` (strings, empty → NA).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"obs_id_a": ["a"], "obs_id_b": ["b"], "relation": ["same"], "note": ["x"]}, dtype="string")
    >>> [(i.column, i.rule) for i in schema_issues("links", df, "links.csv")]
    [('relation', "schema:isin(['same_quantity_as', 'disagrees_with'])")]
    """
    return _pandera_issues(name, df, file)[0]


def rule_issues(name: str, df: pd.DataFrame, file: str, context: dict[str, pd.DataFrame] | None = None) -> list[Issue]:
    """The rules a Table Schema cannot say: ``cell_issues`` then ``row_issues``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"obs_id_a": ["b"], "obs_id_b": ["a"], "relation": ["same_quantity_as"], "note": ["=x"]}, dtype="string")
    >>> [(i.column, i.rule) for i in rule_issues("links", df, "links.csv")]
    [('note', 'no-formula'), ('obs_id_b', 'link-order')]
    """
    return cell_issues(name, df, file) + row_issues(name, df, file, context)


def cell_issues(name: str, data: pd.DataFrame | pa.Table, file: str) -> list[Issue]:
    """Rules on single cells: no spreadsheet formulas in text, only finite numbers.

    ``data`` is a frame of strings or the pyarrow Table of strings it was made from (the
    validator passes the Table: the rules are pyarrow's, so no column is converted).
    """
    return _cell_rules(name, data, file)


def row_issues(name: str, df: pd.DataFrame, file: str, context: dict[str, pd.DataFrame] | None = None) -> list[Issue]:
    """Rules across the cells of a row and across tables (pandas and pyarrow, vectorised).

    ``validate`` runs them in its reading thread while the other runs pandera
    (:mod:`soviet_figures.pipeline`). ``context`` holds the other tables.
    """
    context = context or {}
    if not set(tableschema.field_names(name)) <= set(df.columns):
        return []  # no row rule makes sense on a frame with missing columns
    if name == "observations" or name in {t["name"] for t in tableschema.topic_tables()}:
        return _observation_rules(df, file, context)
    if name == "mentions":
        return _mention_rules(df, file, context)
    if name == "measures":
        return _measure_rules(df, file)
    if name == "links":
        return _link_rules(df, file)
    if name == "arithmetic":
        return _arithmetic_rules(df, file, context)
    return []


def _link_rules(df: pd.DataFrame, file: str) -> list[Issue]:
    out = []
    for i, a, b in zip(df.index, df["obs_id_a"], df["obs_id_b"]):
        if isinstance(a, str) and isinstance(b, str) and not a < b:
            out.append(Issue(file, _row(i), "obs_id_b", "link-order", b, "obs_id_a must be the lower id and differ from obs_id_b"))
    return out


def _arithmetic_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    """Operands must be observations; ``agrees`` must be what the numbers give."""
    from .arithmetic import evaluate

    out = []
    obs = ctx.get("observations")
    known = set(obs["obs_id"]) if obs is not None else None
    for i, kind, result, operands, agrees in zip(df.index, df["kind"], df["result"], df["operands"], df["agrees"]):
        ids = str(operands).split(";") if isinstance(operands, str) else []
        missing = [o for o in ids if known is not None and o not in known]
        if missing:
            out.append(Issue(file, _row(i), "operands", "foreign-key", ";".join(missing), "operand is not an obs_id of observations"))
            continue
        if obs is None or not isinstance(result, str) or result not in known:
            continue
        verdict = evaluate(str(kind), obs.set_index("obs_id"), result, ids)
        stated = str(agrees).lower() == "true"
        if verdict.agrees != stated:
            out.append(Issue(file, _row(i), "agrees", "arithmetic", str(agrees), f"the figures give {verdict.explain}; agrees must be {str(verdict.agrees).lower()}"))
    return out


_FORMULA = ("=", "+", "@", "\t", "\r")
_NOT_FINITE = {"nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def _cell_rules(name: str, data: pd.DataFrame | pa.Table, file: str) -> list[Issue]:
    """Rules on single cells: no spreadsheet formulas in text, only finite numbers.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["=1+1"], "label": ["x"], "topic": ["other"]}, dtype="string")
    >>> [(i.row, i.column, i.rule) for i in _cell_rules("measures", df, "measures.csv")]
    [(1, 'id', 'no-formula')]
    >>> import pyarrow as pa
    >>> table = pa.table({"id": ["x", "@SUM(A1)"], "label": ["nan", "y"], "percent_may_exceed_100": ["true", None]})
    >>> [(i.row, i.column, i.rule) for i in _cell_rules("measures", table, "measures.csv")]
    [(2, 'id', 'no-formula')]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    out: list[Issue] = []
    is_table = isinstance(data, pa.Table)
    present = set(data.column_names if is_table else data.columns)
    formula_starts = pa.array(_FORMULA)
    not_finite = pa.array(sorted(_NOT_FINITE))
    for f in tableschema.fields(name):
        col = f["name"]
        if col not in present:
            continue
        cells = pc.cast(data.column(col), pa.string()) if is_table else arrow_strings(data[col])
        if f["type"] == "string":  # the first character, once per cell, against the set
            bad = pc.is_in(pc.utf8_slice_codeunits(cells, 0, 1), value_set=formula_starts)
            rule, message = "no-formula", "text starts like a spreadsheet formula (=, +, @); it would run in Excel or LibreOffice"
        elif f["type"] in {"number", "integer"}:
            bad = pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(cells)), value_set=not_finite)
            rule, message = "finite-number", "NaN and infinity are not figures; leave the cell empty if there is no value"
        else:
            continue
        for pos in pc.indices_nonzero(pc.fill_null(bad, False)).to_pylist():
            value = str(cells[pos].as_py())
            row = pos + 1 if is_table else _row(data.index[pos])
            out.append(Issue(file, row, col, rule, value[:60] if rule == "no-formula" else value, message))
    return out


def _observation_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    import pandas as pd

    from .structure import isin

    out: list[Issue] = []
    v, lo, hi = _num(df["value"]), _num(df["value_low"]), _num(df["value_high"])
    q = df["qualifier"].astype("string")
    # a value cell that is not a number is pandera's finding (coerce_dtype); the rules on
    # values would only repeat it with a misleading "empty", so they skip that row
    unreadable = (df["value"].notna() & v.isna()) | (df["value_low"].notna() & lo.isna()) | (df["value_high"].notna() & hi.isna())

    def flag(mask: pd.Series, column: str, rule: str, message: str, values: pd.Series | None = None) -> None:
        if column.startswith("value") or rule.startswith("qualifier"):
            mask = mask & ~unreadable
        for i in mask[mask.fillna(False).astype(bool)].index:
            val = None if values is None else values.loc[i]
            out.append(Issue(file, _row(i), column, rule, None if _missing(val) else str(val), message))

    flag(~_prefixed(df["obs_id"], df["doc_id"]), "obs_id", "obs-id-prefix", "obs_id must start with '<doc_id>-'", df["obs_id"])
    flag(lo.notna() & v.notna() & (lo > v), "value_low", "low<=value", "value_low is greater than value", lo)
    flag(hi.notna() & v.notna() & (hi < v), "value_high", "value<=high", "value_high is less than value", hi)
    flag(lo.notna() & hi.notna() & (lo > hi), "value_low", "low<=high", "value_low is greater than value_high", lo)
    is_range = q == "range"
    flag(is_range & (v.notna() | lo.isna() | hi.isna()), "qualifier", "qualifier-range", "a range needs value empty and value_low, value_high set", q)
    bound_low = q.isin(["more_than", "at_least"])
    flag(bound_low & (v.isna() | (lo != v).fillna(True) | hi.notna()), "value_low", "qualifier-bound", "more_than/at_least needs value set, value_low = value and value_high empty", lo)
    bound_high = q.isin(["less_than", "at_most"])
    flag(bound_high & (v.isna() | (hi != v).fillna(True) | lo.notna()), "value_high", "qualifier-bound", "less_than/at_most needs value set, value_high = value and value_low empty", hi)
    point = q.isin(["exact", "approximate"])
    flag(point & (v.isna() | lo.notna() | hi.notna()), "value", "qualifier-point", "exact/approximate needs value set and value_low, value_high empty", v)

    unit = df["unit"].astype("string")
    worst = v.fillna(hi).fillna(lo)
    flag(unit.isin(list(NON_NEGATIVE_UNITS)) & ((worst < 0) | (lo < 0)).fillna(False), "value", "non-negative", "counts, amounts, shares and ratios cannot be negative", worst)
    flag((unit == "share") & ((v > 1) | (hi > 1) | (lo > 1)).fillna(False), "value", "share<=1", "a share is a fraction between 0 and 1 (use unit percent for percentages)", worst)
    measures = ctx.get("measures")
    if measures is not None:
        allowed = dict(zip(measures["id"], measures["allowed_units"].fillna("")))
        exceeding = [i for i, x in zip(measures["id"], measures["percent_may_exceed_100"]) if str(x).lower() == "true"]
        m = df["measure"].astype("string")
        known = isin(m, pd.Series(list(allowed), dtype="string"))  # an unknown measure is a foreign-key error (layer 1)
        pairs = pd.Series([f"{k}|{u}" for k, units in allowed.items() for u in str(units).split("|")], dtype="string")
        ok_unit = m.isna() | unit.isna() | isin(m + "|" + unit, pairs)
        flag(known & ~ok_unit.fillna(True).astype(bool), "unit", "unit-allowed", "unit not allowed for this measure (see measures.allowed_units)", unit)
        may_exceed = isin(m, pd.Series(exceeding, dtype="string"))
        biggest = pd.concat([v, lo, hi], axis=1).max(axis=1)
        smallest = pd.concat([v, lo, hi], axis=1).min(axis=1)
        flag((unit == "percent") & (((biggest > 100) & ~may_exceed) | (smallest < 0)).fillna(False), "value", "percent-range", "percent must lie within 0-100 for this measure", biggest)
    documents = ctx.get("documents")
    langs: dict[str, str] = {}
    if documents is not None:
        langs = dict(zip(documents["doc_id"], documents["language"]))

    cs, ce = _num(df["char_start"]), _num(df["char_end"])
    flag((ce <= cs).fillna(False), "char_end", "offsets-order", "char_end must be greater than char_start", df["char_end"])
    vt = df["value_text"].astype("string")
    flag(((ce - cs) != vt.str.len()).fillna(False), "char_end", "offsets-length", "char_end - char_start must equal the length of value_text", df["char_end"])
    out += _quote_rule(df, file)
    out += [i for i in _row_rules(df, file, v, lo, hi, langs) if not (i.rule == "value-parses" and unreadable.loc[i.row - 1])]
    return out


def _prefixed(obs_id: pd.Series, doc_id: pd.Series) -> pd.Series:
    """Whether each obs_id starts with its doc_id and a hyphen (missing: False), by one
    pyarrow ``starts_with`` per document.

    >>> import pandas as pd
    >>> _prefixed(pd.Series(["a-0001", "b-0001", "a-0002", None]), pd.Series(["a", "a", None, "a"])).tolist()
    [True, False, False, False]
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    ids, docs = arrow_strings(obs_id), arrow_strings(doc_id)
    ok = pa.array(np.zeros(len(ids), dtype=bool))
    for d in pc.unique(pc.drop_null(docs)).to_pylist():
        ok = pc.or_(ok, pc.fill_null(pc.and_(pc.equal(docs, d), pc.starts_with(ids, d + "-")), False))
    return pd.Series(ok.to_numpy(zero_copy_only=False), index=obs_id.index)


def _quote_rule(df: pd.DataFrame, file: str) -> list[Issue]:
    """Each quote contains its value_text, whitespace collapsed in both.

    A value found in its quote as it stands is found collapsed too (collapsing maps the
    whitespace inside the match as it maps the same whitespace in the quote), so only the
    rows where the plain test fails are collapsed and tested again.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"value_text": ["12", "12\\n men", "7"], "quote": ["has 12", "has 12 men", "no"]}, dtype="string")
    >>> [(i.row, i.rule) for i in _quote_rule(df, "o.csv")]
    [(3, 'quote-contains-value')]
    """
    from .locate import collapse

    out = []
    texts = df["value_text"].to_numpy(dtype=object, na_value=None).tolist()
    quotes = df["quote"].to_numpy(dtype=object, na_value=None).tolist()
    for pos, (text, quote) in enumerate(zip(texts, quotes)):
        if text is not None and quote is not None and text not in quote and collapse(text) not in collapse(quote):
            i = df.index[pos]
            out.append(Issue(file, _row(i), "quote", "quote-contains-value", quote[:80], "quote does not contain value_text"))
    return out


# the columns the per-row rules read: rows equal on all of them get the same findings
_ROW_RULE_COLUMNS = ["value_text", "period", "year_start", "year_end", "qualifier", "value", "value_low", "value_high", "doc_id"]


def _row_rules(df: pd.DataFrame, file: str, v: pd.Series, lo: pd.Series, hi: pd.Series, langs: dict[str, str]) -> list[Issue]:
    """Rules that need Python per row (the period, the number parser), run once per distinct
    combination of the cells they read and reported on every row that has it.
    """
    import numpy as np

    groups = df[_ROW_RULE_COLUMNS].groupby(_ROW_RULE_COLUMNS, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(groups, return_index=True)  # the first row of each group, by group
    one = df[_ROW_RULE_COLUMNS].iloc[first]  # only the columns read: taking every column costs more than the rules

    def plain(series: pd.Series) -> list[Any]:
        return series.astype(object).where(series.notna(), None).tolist()

    findings: dict[int, list[tuple[str, str, str | None, str]]] = {}
    columns = zip(
        groups[first], plain(one["value_text"]), plain(one["period"]), plain(_num(one["year_start"])),
        plain(_num(one["year_end"])), plain(one["qualifier"]), plain(v.iloc[first]), plain(lo.iloc[first]), plain(hi.iloc[first]), plain(one["doc_id"]),
    )
    for group, text, period, ys, ye, qual, val, low, high, doc in columns:
        found: list[tuple[str, str, str | None, str]] = []
        if isinstance(period, str):
            try:
                a, b = _period_years_cached(period)
            except ValueError as exc:
                found.append(("period", "period-format", period, str(exc)))
            else:
                if not (1800 <= a <= 1991 and 1800 <= b <= 1991):
                    found.append(("period", "period-range", period, "period must lie within 1800-1991"))
                if ys is None or ye is None or int(ys) != a or int(ye) != b:
                    found.append(("year_start", "years-from-period", f"{ys}/{ye}", f"year_start/year_end must be {a}/{b}, derived from period"))
        elif not (ys is None and ye is None):
            found.append(("year_start", "years-from-period", f"{ys}/{ye}", "year_start/year_end must be empty when period is empty"))
        if isinstance(text, str):
            as_row = {"value_text": text, "qualifier": qual, "value": val, "value_low": low, "value_high": high}
            for problem in _value_problems_cached(text, qual, val, low, high, langs.get(doc)):
                col = "value_text" if "parse" in problem and "does not" in problem else problem.split(" ")[0]
                if col not in df.columns:
                    col = "value"
                found.append((col, "value-parses", str(as_row.get(col, text)), problem))
        if found:
            findings[int(group)] = found
    out: list[Issue] = []
    if findings:
        for pos in np.flatnonzero(np.isin(groups, list(findings))):
            out += [Issue(file, _row(df.index[pos]), col, rule, value, message) for col, rule, value, message in findings[int(groups[pos])]]
    return out


@lru_cache(maxsize=65536)
def _period_years_cached(period: str) -> tuple[int, int]:
    return period_years(period)


@lru_cache(maxsize=65536)
def _value_problems_cached(text: str, qualifier: Any, value: Any, low: Any, high: Any, lang: str | None) -> tuple[str, ...]:
    from .intake import value_problems

    row = {"value_text": text, "qualifier": qualifier, "value": value, "value_low": low, "value_high": high}
    return tuple(value_problems(row, lang))


def _missing(x: Any) -> bool:
    """None, NaN or pandas.NA."""
    import pandas as pd

    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


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
    text = df["text"].astype("string")
    length = _num(df["char_end"]) - _num(df["char_start"])
    for i in df.index[(length != text.str.len()).fillna(False)]:
        out.append(Issue(file, _row(i), "char_end", "offsets-length", str(df.at[i, "char_end"]), "char_end - char_start must equal the length of text"))
    return out


def _measure_rules(df: pd.DataFrame, file: str) -> list[Issue]:
    out: list[Issue] = []
    units = set(tableschema.enum("observations", "unit"))
    for i, row in df.iterrows():
        allowed = str(row["allowed_units"]).split("|") if isinstance(row["allowed_units"], str) else []
        bad = [u for u in allowed if u not in units]
        if bad:
            out.append(Issue(file, _row(i), "allowed_units", "unit-vocabulary", "|".join(bad), "unknown unit(s)"))
        if isinstance(row["default_unit"], str) and row["default_unit"] not in allowed:
            out.append(Issue(file, _row(i), "default_unit", "default-unit-allowed", row["default_unit"], "default_unit must be one of allowed_units"))
    return out
