"""One series per quantity: which rows to count, which rows form a series, and ``sf.series``.

* :func:`counted_ids` — the rows to count: in each group of rows that state one quantity
  (``same_quantity_as``) or dispute it (``disagrees_with``) only the first stated is counted,
  and a row that is ``part_of`` another is not counted (its whole is). ``counted`` in
  ``observations`` is derived from it, so ``df[df.counted]`` never counts a quantity twice.
* :func:`series_rows` — the ``series`` table: observations that form one series have the same
  subject, measure, unit and value kind, contexts of one family (``contexts.family``) and, for
  flows, periods of one length (years with years, months with months); a series has at least
  two periods.
* :func:`series` — one series as a tidy frame.

>>> counted_ids(["a", "b", "c", "d"], [("a", "b", "same_quantity_as"), ("c", "d", "part_of")])
['a', 'd']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from . import tableschema
from ._cells import cell_str
from .errors import TableError
from .loader import load
from .lookup import closest, resolve_subject

__all__ = ["counted_ids", "series_rows", "series", "series_key"]

_SAME = {"same_quantity_as", "disagrees_with"}


def counted_ids(obs_ids: Sequence[str], links: Iterable[tuple[str, str, str]]) -> list[str]:
    """The obs_ids to count, in the order given.

    Parameters
    ----------
    obs_ids : every observation, in the package's order
    links : ``(obs_id_a, obs_id_b, relation)``; ``part_of`` means a is part of b

    Examples
    --------
    >>> counted_ids(["x-1", "x-2", "x-3"], [("x-2", "x-3", "disagrees_with"), ("x-1", "x-2", "same_quantity_as")])
    ['x-1']
    """
    parent = {o: o for o in obs_ids}

    def root(o: str) -> str:
        while parent[o] != o:
            parent[o] = parent[parent[o]]
            o = parent[o]
        return o

    parts = set()
    order = {o: i for i, o in enumerate(obs_ids)}
    for a, b, relation in links:
        if a not in parent or b not in parent:
            continue
        if relation in _SAME:
            ra, rb = root(a), root(b)
            if ra != rb:  # the group is represented by its first row
                first, second = (ra, rb) if order[ra] < order[rb] else (rb, ra)
                parent[second] = first
        elif relation == "part_of":
            parts.add(a)
    return [o for o in obs_ids if root(o) == o and o not in parts]


def _span(period: str) -> str:
    """How long a period is, for telling flows apart: day, month, year or years.

    >>> _span("1936-06-25"), _span("1936-06"), _span("1936"), _span("1928/1932"), _span("1935-05/1935-12")
    ('day', 'month', 'year', 'years', 'months')
    """
    if "/" in period:
        return "years" if re.fullmatch(r"\d{4}/\d{4}", period) else "months"
    return {4: "year", 7: "month", 10: "day"}.get(len(period), "other")


def series_key(row: Mapping[str, Any], families: Mapping[str, str]) -> tuple[str, ...]:
    """The key that rows of one series share.

    Examples
    --------
    >>> series_key({"subject": "S", "measure": "m", "unit": "persons", "value_kind": "flow", "context": "c", "period": "1929"}, {"c": "f"})
    ('S', 'm', 'persons', 'flow', 'f', 'year')
    """
    kind = cell_str(row["value_kind"])
    span = _span(cell_str(row["period"])) if kind in {"flow", "duration"} else ""
    return (cell_str(row["subject"]), cell_str(row["measure"]), cell_str(row["unit"]), kind, families.get(cell_str(row["context"]), ""), span)


def _series_id(key: tuple[str, ...], subject_ids: Mapping[str, str]) -> str:
    subject, measure, unit, kind, family, span = key
    return ":".join(p for p in (subject_ids.get(subject, subject), measure, unit, kind, family, span) if p)


def series_rows(observations: Sequence[Mapping[str, Any]], contexts: Sequence[Mapping[str, Any]], subjects: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the ``series`` table: every dated observation that has a series, by series
    and date.

    Examples
    --------
    >>> obs = [{"obs_id": f"d-{i}", "subject": "S", "measure": "m", "unit": "persons", "value_kind": "level", "context": "c",
    ...         "period": p, "year_start": p[:4], "counted": "true"} for i, p in enumerate(["1930", "1929", ""])]
    >>> [(r["series_id"], r["obs_id"]) for r in series_rows(obs, [{"context_id": "c", "family": "f"}], [{"name": "S", "subject_id": "s"}])]
    [('s:m:persons:level:f', 'd-1'), ('s:m:persons:level:f', 'd-0')]
    """
    families = {cell_str(c["context_id"]): cell_str(c["family"]) for c in contexts}
    subject_ids = {cell_str(s["name"]): cell_str(s["subject_id"]) for s in subjects}
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for r in observations:
        if cell_str(r.get("period")):
            groups.setdefault(series_key(r, families), []).append(r)
    out = []
    for key in sorted(groups):
        rows = groups[key]
        if len({cell_str(r["period"]) for r in rows}) < 2:
            continue
        sid = _series_id(key, subject_ids)
        for r in sorted(rows, key=lambda r: (cell_str(r["period"]), cell_str(r["obs_id"]))):
            out.append({"series_id": sid, "obs_id": r["obs_id"]})
    return out


def series(subject: str | None = None, measure: str | list[str] | None = None, *, unit: str | None = None,
           value_kind: str | None = None, context: str | None = None, series_id: str | None = None) -> pd.DataFrame:
    """One quantity over time: the counted figures of the series that match, by date.

    Parameters
    ----------
    subject : a subject's name or any alias (``"Kirov plant"``)
    measure : a measure, or a list of measures to put on one line
    unit, value_kind, context : narrow the match
    series_id : one series of the ``series`` table

    Returns
    -------
    pandas.DataFrame : ``period``, ``year_start``, ``year_end``, ``value``, ``value_low``,
        ``value_high``, ``qualifier``, ``unit``, ``measure``, ``context``, ``obs_id``,
        ``doc_id``, ``series_id`` and ``disagrees`` (True for a figure that disputes a
        counted one: shown, never counted). Each quantity is counted once.

    Raises
    ------
    TableError : nothing matches; the message names the closest subjects or measures.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> s = sf.series("Kirov plant party organisation", "party_members")
    >>> s[["period", "value"]].head(2).to_string(index=False)
    'period  value\\n  1926 2000.0'
    """
    obs = load("observations")
    members = load("series")
    links = load("links")
    chosen = members if series_id is None else members[members["series_id"] == series_id]
    rows = obs[obs["obs_id"].isin(chosen["obs_id"])].merge(chosen, on="obs_id")
    if subject is not None:
        rows = rows[rows["subject"] == resolve_subject(subject)]
    for col, wanted in (("measure", measure), ("unit", unit), ("value_kind", value_kind), ("context", context)):
        if wanted is not None:
            wanted_list = wanted if isinstance(wanted, list) else [wanted]
            rows = rows[rows[col].isin(wanted_list).fillna(False).astype(bool)]
    if rows.empty:
        hint = closest(str(measure), tableschema.enum("observations", "measure") or sorted(obs["measure"].astype(str).unique())) if measure else []
        raise TableError(f"no series matches subject={subject!r} measure={measure!r}; a series needs two dated figures"
                         + (f"; closest measures: {', '.join(hint)}" if hint else "") + "; sf.load('series') lists them")
    disputed = set(links.loc[links["relation"] == "disagrees_with", ["obs_id_a", "obs_id_b"]].to_numpy().ravel())
    rows = rows[rows["counted"].fillna(False).astype(bool) | rows["obs_id"].isin(disputed)].copy()
    rows["disagrees"] = ~rows["counted"].fillna(False).astype(bool)
    columns = ["period", "year_start", "year_end", "value", "value_low", "value_high", "qualifier", "unit", "measure", "context", "obs_id", "doc_id", "series_id", "disagrees"]
    return rows.sort_values(["period", "obs_id"])[columns].reset_index(drop=True)
