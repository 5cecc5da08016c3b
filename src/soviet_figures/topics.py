"""The derived tables: which observations each topic table holds and in what order, the years
a period spans, which rows to count, and which rows form a series — the derivation
``derive`` writes and ``validate`` checks.

* :func:`counted_ids` — the rows to count: in each group of rows that state one quantity
  (``same_quantity_as``) or dispute it (``disagrees_with``) only the first stated is counted,
  and a row that is ``part_of`` another of the same measure is not counted (its whole is).
  ``observations.counted`` is derived from it, so summing ``df[df.counted]`` by measure never
  counts a quantity twice.
* :func:`series_rows` — the ``series`` table: observations that form one series have the same
  subject, measure, unit and value kind, contexts of one family (``contexts.family``) and, for
  flows and durations, periods of one length (years with years, months with months). The rows
  a series counts give at least two periods and no period twice: one quantity has one value
  at a date, so a group that gives two is more than one quantity, and no series.

>>> topic_rows([{"topic": "membership", "measure": "party_members"}], {"topics": ["membership"], "measures": []})
[{'topic': 'membership', 'measure': 'party_members'}]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._cells import cell_str
from .text.periods import period_years

__all__ = ["topic_rows", "with_years", "counted_ids", "series_rows", "series_key", "with_counted"]


def topic_rows(observations: Iterable[Mapping[str, Any]], table: Mapping[str, Any]) -> list[Any]:
    """Rows of observations that belong to a topic table, in a historian's order: by
    subject, then year, period, measure and obs_id.

    Parameters
    ----------
    observations : rows of observations (dicts of cells)
    table : a definition from ``schemas/topics.json`` (``topics``, ``measures``)

    Examples
    --------
    >>> rows = [{"topic": "x", "measure": "m", "subject": "b", "year_start": "1930"}, {"topic": "y", "measure": "m", "subject": "a", "year_start": ""}]
    >>> [r["subject"] for r in topic_rows(rows, {"topics": [], "measures": ["m"]})]
    ['a', 'b']
    """
    topics, measures = set(table["topics"]), set(table["measures"])
    rows = [r for r in observations if r["topic"] in topics or r["measure"] in measures]
    return sorted(rows, key=_order) if rows and "subject" in rows[0] else rows


def _order(r: Mapping[str, Any]) -> tuple[Any, ...]:
    y = r.get("year_start") or ""
    return (str(r.get("subject", "")), str(y).zfill(4) if y else "9999", str(r.get("period", "")), str(r.get("measure", "")), str(r.get("obs_id", "")))


def with_years(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with ``year_start`` and ``year_end`` derived from ``period`` (a malformed period
    keeps the years it has: the validator reports it).

    Examples
    --------
    >>> with_years([{"period": "1933/1935", "year_start": "", "year_end": ""}])
    [{'period': '1933/1935', 'year_start': '1933', 'year_end': '1935'}]
    """
    out = []
    for r in rows:
        r = dict(r)
        try:
            a, b = period_years(r["period"]) if r.get("period") else ("", "")
        except ValueError:
            a, b = r.get("year_start", ""), r.get("year_end", "")
        r["year_start"], r["year_end"] = str(a), str(b)
        out.append(r)
    return out


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
        if not _one_quantity_over_time(rows):
            continue
        sid = _series_id(key, subject_ids)
        for r in sorted(rows, key=lambda r: (cell_str(r["period"]), cell_str(r["obs_id"]))):
            out.append({"series_id": sid, "obs_id": r["obs_id"]})
    return out


def _one_quantity_over_time(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the rows a would-be series counts give at least two periods, each once.

    One quantity has one value at a date (its restatements and disputes are not counted, and
    a part is not counted beside its whole). Two counted values at one date are two
    quantities: the shares of peasants and of workers in one fleet in 1928, the votes for
    and against at one meeting; a line through them would join unlike things. One counted
    period is one figure, restated or broken down, not a change over time.

    >>> _one_quantity_over_time([{"period": "1928", "counted": "true"}, {"period": "1928", "counted": "false"}, {"period": "1931", "counted": "true"}])
    True
    >>> _one_quantity_over_time([{"period": "1928", "counted": "true"}, {"period": "1928", "counted": "true"}, {"period": "1931", "counted": "true"}])
    False
    >>> _one_quantity_over_time([{"period": "1928", "counted": "true"}, {"period": "1931", "counted": "false"}])
    False
    """
    periods = [cell_str(r["period"]) for r in rows if cell_str(r.get("counted")) != "false"]
    return len(set(periods)) == len(periods) >= 2


def with_counted(observations: Sequence[Mapping[str, Any]], links: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Observations with ``counted`` derived from ``links`` (see :func:`counted_ids`).

    Examples
    --------
    >>> with_counted([{"obs_id": "a"}, {"obs_id": "b"}], [{"obs_id_a": "a", "obs_id_b": "b", "relation": "same_quantity_as"}])
    [{'obs_id': 'a', 'counted': 'true'}, {'obs_id': 'b', 'counted': 'false'}]
    """
    ids = [cell_str(o["obs_id"]) for o in observations]
    measure = {cell_str(o["obs_id"]): cell_str(o.get("measure")) for o in observations}
    pairs = [(cell_str(x["obs_id_a"]), cell_str(x["obs_id_b"]), cell_str(x["relation"])) for x in links]
    # a part un-counts itself only beside a whole of its own measure: the 143 expelled are
    # part of the 3,133 members, but no sum adds expulsions to members
    pairs = [(a, b, r) for a, b, r in pairs if r != "part_of" or measure.get(a) == measure.get(b)]
    keep = set(counted_ids(ids, pairs))
    return [{**o, "counted": "true" if cell_str(o["obs_id"]) in keep else "false"} for o in observations]
