"""Layer 2 of validation: pandera schemas built from ``schemas/`` plus the semantic rules.

The pandera ``DataFrameSchema`` of a table comes from its Table Schema file through
``pandera.io.pandas_io.from_frictionless_schema`` (types, required, unique, enum, ranges,
patterns, lengths); this module only adjusts dtypes to pandas' nullable ones and adds the
rules a Table Schema cannot say (DESIGN.md, "Validation layers").

>>> import soviet_figures as sf
>>> s = sf.schema("observations")
>>> type(s).__name__, "value_text" in s.columns
('DataFrameSchema', True)
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import tableschema
from .report import Issue

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pandera.pandas as pa

__all__ = ["schema", "check_table", "period_years"]

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)?$")
NON_NEGATIVE_UNITS = {"persons", "count", "items", "tonnes", "hours", "days", "months", "years", "roubles", "share", "ratio"}


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table, built from its Table Schema file."""
    return _schema(name)


@lru_cache(maxsize=None)
def _schema(name: str) -> pa.DataFrameSchema:
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


def _pandera_issues(name: str, df: pd.DataFrame, file: str) -> tuple[list[Issue], pd.DataFrame | None]:
    import pandera.errors as pe

    df = df.copy()
    for col, dt in tableschema.pandas_dtypes(name).items():
        if dt == "boolean" and col in df.columns:  # Table Schema spells booleans true/false
            df[col] = df[col].map(lambda x: {"true": True, "false": False}.get(x, x) if isinstance(x, str) else x).astype(object)
    try:
        valid = schema(name).validate(df, lazy=True)
        return [], valid
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
            issues.append(Issue(file, row, None if column is None else str(column), f"schema:{check}", None if value is None else str(value), _explain(check)))
        return issues, None


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
    import pandas as pd

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
    context = context or {}
    issues, _ = _pandera_issues(name, df, file)
    issues += _cell_rules(name, df, file)
    if issues and any(i.rule == "columns" for i in issues):
        return issues  # no row rule makes sense on a frame with the wrong columns
    if name == "observations" or name in {t["name"] for t in tableschema.topic_tables()}:
        issues += _observation_rules(df, file, context)
    elif name == "mentions":
        issues += _mention_rules(df, file, context)
    elif name == "measures":
        issues += _measure_rules(df, file)
    elif name == "links":
        issues += _link_rules(df, file)
    elif name == "arithmetic":
        issues += _arithmetic_rules(df, file, context)
    return issues


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


def _cell_rules(name: str, df: pd.DataFrame, file: str) -> list[Issue]:
    """Rules on single cells: no spreadsheet formulas in text, only finite numbers."""
    out: list[Issue] = []
    for f in tableschema.fields(name):
        col = f["name"]
        if col not in df.columns:
            continue
        values = df[col]
        if f["type"] == "string":
            bad = values.astype("string").str.startswith(_FORMULA).fillna(False)
            for i in values.index[bad.astype(bool)]:
                out.append(Issue(file, _row(i), col, "no-formula", str(values.loc[i])[:60], "text starts like a spreadsheet formula (=, +, @); it would run in Excel or LibreOffice"))
        elif f["type"] in {"number", "integer"}:
            bad = values.astype("string").str.strip().str.lower().isin(_NOT_FINITE).fillna(False)
            for i in values.index[bad.astype(bool)]:
                out.append(Issue(file, _row(i), col, "finite-number", str(values.loc[i]), "NaN and infinity are not figures; leave the cell empty if there is no value"))
    return out


def _observation_rules(df: pd.DataFrame, file: str, ctx: dict[str, pd.DataFrame]) -> list[Issue]:
    from .locate import collapse

    out: list[Issue] = []
    v, lo, hi = _num(df["value"]), _num(df["value_low"]), _num(df["value_high"])
    q = df["qualifier"].astype("string")

    def flag(mask: pd.Series, column: str, rule: str, message: str, values: pd.Series | None = None) -> None:
        for i in mask[mask.fillna(False).astype(bool)].index:
            val = None if values is None else values.loc[i]
            out.append(Issue(file, _row(i), column, rule, None if _missing(val) else str(val), message))

    import pandas as pd

    prefixed = [isinstance(o, str) and isinstance(d, str) and o.startswith(d + "-") for o, d in zip(df["obs_id"], df["doc_id"])]
    flag(~pd.Series(prefixed, index=df.index), "obs_id", "obs-id-prefix", "obs_id must start with '<doc_id>-'", df["obs_id"])
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
        over = dict(zip(measures["id"], measures["percent_may_exceed_100"].astype("string").str.lower() == "true"))
        m = df["measure"].astype("string")
        known = m.isin(list(allowed))  # an unknown measure is a foreign-key error (layer 1)
        ok_unit = [(u in str(allowed.get(mm, "")).split("|")) if isinstance(mm, str) and isinstance(u, str) else True for mm, u in zip(m, unit)]
        flag(known & ~pd.Series(ok_unit, index=df.index), "unit", "unit-allowed", "unit not allowed for this measure (see measures.allowed_units)", unit)
        may_exceed = m.map(over).fillna(False).astype(bool)
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

    def plain(series: pd.Series) -> list[Any]:
        return series.astype(object).where(series.notna(), None).tolist()

    # one pass over plain Python lists; the parser and the period rules are cached per value
    columns = zip(
        df.index, plain(df["value_text"]), plain(df["quote"]), plain(df["period"]), plain(_num(df["year_start"])),
        plain(_num(df["year_end"])), plain(df["qualifier"]), plain(v), plain(lo), plain(hi), plain(df["doc_id"]),
    )
    for i, text, quote, period, ys, ye, qual, val, low, high, doc in columns:
        r = _row(i)
        if isinstance(text, str) and isinstance(quote, str) and _collapse(text) not in _collapse(quote):
            out.append(Issue(file, r, "quote", "quote-contains-value", quote[:80], "quote does not contain value_text"))
        if isinstance(period, str):
            try:
                a, b = _period_years_cached(period)
            except ValueError as exc:
                out.append(Issue(file, r, "period", "period-format", period, str(exc)))
            else:
                if not (1800 <= a <= 1991 and 1800 <= b <= 1991):
                    out.append(Issue(file, r, "period", "period-range", period, "period must lie within 1800-1991"))
                if ys is None or ye is None or int(ys) != a or int(ye) != b:
                    out.append(Issue(file, r, "year_start", "years-from-period", f"{ys}/{ye}", f"year_start/year_end must be {a}/{b}, derived from period"))
        elif not (ys is None and ye is None):
            out.append(Issue(file, r, "year_start", "years-from-period", f"{ys}/{ye}", "year_start/year_end must be empty when period is empty"))
        if isinstance(text, str):
            as_row = {"value_text": text, "qualifier": qual, "value": val, "value_low": low, "value_high": high}
            for problem in _value_problems_cached(text, qual, val, low, high, langs.get(doc)):
                col = "value_text" if "parse" in problem and "does not" in problem else problem.split(" ")[0]
                if col not in df.columns:
                    col = "value"
                out.append(Issue(file, r, col, "value-parses", str(as_row.get(col, text)), problem))
    return out


@lru_cache(maxsize=65536)
def _collapse(s: str) -> str:
    from .locate import collapse

    return collapse(s)


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
