"""Layer 2a: the pandera schema of each table, read from its Table Schema by pandera.

pandera's Frictionless reader (``FrictionlessFieldParser``, what ``from_frictionless_schema``
uses) turns each field of ``schemas/<table>.schema.json`` into a column: type, required,
unique, enum, ranges, patterns, lengths. The fields are handed to it as they stand in the
file, without frictionless's own descriptor parsing (importing and running frictionless costs
0.4 s, a third of a validator run); a test holds the result equal to
``from_frictionless_schema``'s. The dtypes are then set to pandas' nullable ones. Each
schema is built once per process and kept in memory.

>>> import soviet_figures as sf
>>> s = sf.schema("observations")
>>> type(s).__name__, "value_text" in s.columns
('DataFrameSchema', True)
"""

from __future__ import annotations

import math
from functools import lru_cache, partial
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pandera.errors as pe
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.io.pandas_io import FrictionlessFieldParser, deserialize_schema

from .. import tableschema
from .report import Issue
from .structure import NUMBER_LIKE, arrow_strings

__all__ = ["schema", "schema_issues"]


@lru_cache(maxsize=None)
def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a table, built by pandera from its Table Schema.

    Parameters
    ----------
    name : a table of the package (``sf.tables()`` lists them)

    Returns
    -------
    pandera.DataFrameSchema : columns with pandas' nullable dtypes and the Table Schema's
        constraints as checks. Vocabularies are checked with ``isin`` on strings (a fixed
        categorical would silently turn an unknown value into a missing one).

    Raises
    ------
    TableError : ``name`` is not a table.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> sorted(sf.schema("links").columns)
    ['note', 'obs_id_a', 'obs_id_b', 'relation']
    """
    descriptor = tableschema.load_schema(name)
    built = _from_table_schema(descriptor)
    key = descriptor.get("primaryKey", [])
    updates: dict[str, dict[str, Any]] = {}
    for col, kind in tableschema.column_types(name).items():
        updates[col] = {"dtype": "string" if not isinstance(kind.pandas, str) else kind.pandas,
                        "checks": [_whole_string(c) for c in built.columns[col].checks]}
        if [col] == key:  # a repeated key is layer 1's finding (primary-key): said once, not again here
            updates[col]["unique"] = False
    return built.update_columns(updates)


def _fullmatch(series: pd.Series, pattern: str) -> pd.Series:
    return series.str.fullmatch(pattern, na=False)


def _whole_string(check: pa.Check) -> pa.Check:
    """A ``str_matches`` check that holds the whole cell to the pattern.

    pandera checks a Table Schema pattern as ``^pattern$`` with ``str.match``, and ``$``
    also matches before a final newline: ``"nktp-second-plenum-0001\n"`` would pass as an
    obs_id (and print like the real one). The check returned uses ``fullmatch``, which
    leaves nothing of the cell over, whatever backs the strings (Python's ``re`` or
    pyarrow's RE2); its name and message stay pandera's. Other checks are returned as they are.

    Examples
    --------
    >>> c = _whole_string(pa.Check.str_matches("^[a-z]+$"))
    >>> c(pd.Series(["ab", "ab\\n", "ab\\r\\n"], dtype="string")).check_output.tolist()
    [True, False, False]
    """
    if check.name != "str_matches":
        return check
    pattern = (check.statistics or {})["pattern"]
    return pa.Check(partial(_fullmatch, pattern=pattern), name="str_matches", error=f"str_matches('{pattern}')",
                    statistics={"pattern": pattern})


def _from_table_schema(descriptor: dict[str, Any]) -> pa.DataFrameSchema:
    """What pandera's ``from_frictionless_schema`` builds from ``descriptor``, with the
    fields given to pandera's field parser directly (see the module's docstring)."""
    keys = descriptor.get("primaryKey", [])
    keys = [keys] if isinstance(keys, str) else list(keys)
    columns = {}
    for f in descriptor["fields"]:
        field = SimpleNamespace(name=f["name"], type=f.get("type", "any"), constraints=f.get("constraints", {}),
                                description=f.get("description", ""), title=f.get("title", ""))
        columns[f["name"]] = FrictionlessFieldParser(field, keys).to_pandera_column()
    return deserialize_schema({"columns": columns, "index": None, "checks": None, "coerce": True, "strict": True,
                               "unique": None if len(keys) == 1 else keys})


def schema_issues(name: str, df: pd.DataFrame, file: str) -> list[Issue]:
    """What the pandera schema of ``name`` finds in ``df`` (strings, empty → NA).

    The numeric cells pandera cannot coerce are found first, vectorised
    (:func:`_uncoercible_cells`), reported under pandera's own rule and emptied, so that
    pandera does not search for them by coercing every cell of the column in Python
    (seconds on a large file) and runs the column's other checks on the rest instead of
    giving up on it. Each cell gets pandera's verdict on that cell alone (a property test
    holds it to that).

    Examples
    --------
    >>> df = pd.DataFrame({"obs_id_a": ["a"], "obs_id_b": ["b"], "relation": ["same"], "note": ["x"]}, dtype="string")
    >>> [(i.column, i.rule) for i in schema_issues("links", df, "links.csv")]
    [('relation', "schema:isin(['same_quantity_as', 'disagrees_with', 'part_of', 'same_series_as'])")]
    """
    df = _booleans(name, df)
    found: list[Issue] = []
    emptied: set[tuple[int, str]] = set()
    for col, (rule, cells) in _uncoercible_cells(name, df).items():
        df.loc[df.index[[pos for pos, _ in cells]], col] = pd.NA
        for pos, value in cells:
            row = int(df.index[pos]) + 1
            found.append(Issue(file, row, col, f"schema:{rule}", value, _explain(rule)))
            emptied.add((row, col))
    return found + _pandera_findings(name, df, file, emptied)


def _booleans(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with Table Schema's ``true``/``false`` as Python booleans."""
    df = df.copy()
    for col, kind in tableschema.column_types(name).items():
        if kind.pandas == "boolean" and col in df.columns:
            cells = df[col].astype(object)
            cells[(df[col] == "true").fillna(False).to_numpy(dtype=bool)] = True
            cells[(df[col] == "false").fillna(False).to_numpy(dtype=bool)] = False
            df[col] = cells
    return df


def _pandera_findings(name: str, df: pd.DataFrame, file: str, emptied: set[tuple[int, str]] = frozenset()) -> list[Issue]:  # type: ignore[assignment]
    """pandera's own findings on ``df`` as Issues; a cell in ``emptied`` (already reported
    as uncoercible) is not reported again as a missing required value."""
    try:
        schema(name).validate(df, lazy=True)
        return []
    except pe.SchemaErrors as exc:
        issues = []
        for rec in exc.failure_cases.to_dict("records"):
            idx = rec.get("index")
            row = None if idx is None or (isinstance(idx, float) and math.isnan(idx)) else int(idx) + 1
            check, column, value = str(rec.get("check")), rec.get("column"), rec.get("failure_case")
            if check in {"column_in_dataframe", "column_in_schema"}:
                issues.append(Issue(file, None, str(value), "columns", None, f"{check.replace('_', ' ')}: {value!r}"))
                continue
            if (row, column) in emptied:
                continue
            shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            issues.append(Issue(file, row, None if column is None else str(column), f"schema:{check}", shown, _explain(check)))
        # a cell that cannot be coerced also fails pandera's dtype check: say it once
        uncoercible = {(i.row, i.column) for i in issues if i.rule.startswith("schema:coerce_dtype")}
        return [i for i in issues if not (i.rule.startswith("schema:dtype(") and (i.row, i.column) in uncoercible)]


def _uncoercible_cells(name: str, df: pd.DataFrame) -> dict[str, tuple[str, list[tuple[int, str]]]]:
    """The cells of numeric columns that pandera's coercion refuses, by column: pandera's
    check name and the (position, value) of each cell.

    >>> cols = {c: pd.Series([None, None, None], dtype="string") for c in tableschema.field_names("observations")}
    >>> cols["value"] = pd.Series(["1.5", "12x", " 7 "], dtype="string")
    >>> _uncoercible_cells("observations", pd.DataFrame(cols))
    {'value': ("coerce_dtype('Float64')", [(1, '12x'), (2, ' 7 ')])}
    """
    columns = schema(name).columns
    out: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    for f in tableschema.fields(name):
        col = f["name"]
        if f["type"] not in NUMBER_LIKE or col not in df.columns or col not in columns or str(df[col].dtype) not in {"string", "str"}:
            continue
        target = pyarrow.float64() if f["type"] == "number" else pyarrow.int64()
        cells = arrow_strings(df[col])
        if _casts(cells, target):
            continue
        shaped = pc.fill_null(pc.match_substring_regex(cells, NUMBER_LIKE[f["type"]]), False)
        candidates = pc.indices_nonzero(pc.and_(cells.is_valid(), pc.invert(shaped))).to_pylist()
        if not _casts(pc.filter(cells, shaped), target):  # a number's shape refused (not expected)
            candidates = range(len(cells))
        bad = [pos for pos in candidates if not _casts(cells.slice(pos, 1), target)]
        if bad:
            out[col] = (f"coerce_dtype('{columns[col].dtype}')", [(pos, cells[pos].as_py()) for pos in bad])
    return out


def _casts(cells: Any, target: Any) -> bool:
    """Whether pyarrow casts every cell of ``cells`` to ``target``."""
    try:
        pc.cast(cells, target)
        return True
    except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError):
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
