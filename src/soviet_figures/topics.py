"""The derived tables: which observations each topic table holds and in what order, the years
a period spans, which rows to count, and which rows form a series — the derivation
``derive`` writes and ``validate`` checks.

* :func:`counted_ids` — the rows to count: in each group of rows that state one quantity
  (``same_quantity_as``) or dispute it (``disagrees_with``) only the first stated is counted,
  and a row that is ``part_of`` another of the same measure is not counted (its whole is).
  ``observations.counted`` is derived from it, so summing ``df[df.counted]`` by measure never
  counts a quantity twice.
* :func:`series_rows` — the ``series`` table: the figures that ``links`` declare one quantity
  at different dates (``same_series_as``), with their restatements and disputes. Figures of
  one series have the same subject, measure, unit and value kind, contexts of one family
  (``contexts.family``) and, for flows and durations, periods of one length (years with
  years, months with months); a series counts at least two dates and no date twice. Sharing
  these is not enough to make a series: one measure holds unlike things (one meeting's
  speakers, another's candidates), so the link says which figures are one quantity.

>>> topic_rows([{"topic": "membership", "measure": "party_members"}], {"topics": ["membership"], "measures": []})
[{'topic': 'membership', 'measure': 'party_members'}]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._cells import cell_str
from .text.periods import period_years

__all__ = ["topic_rows", "with_years", "counted_ids", "series_rows", "declared_groups", "series_problem", "series_key", "with_counted"]


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
# the relations that put two dated rows in one series: declared one quantity at two dates,
# or one figure restated or disputed
_SERIES = {"same_series_as", *_SAME}


class _Groups:
    """Rows joined into groups (union-find); each group is represented by its first row in
    the order given.

    >>> g = _Groups(["a", "b", "c"])
    >>> g.join("c", "b"); [g.first(x) for x in "abc"]
    ['a', 'b', 'b']
    """

    def __init__(self, ids: Sequence[str]) -> None:
        self.parent = {o: o for o in ids}
        self.order = {o: i for i, o in enumerate(ids)}

    def first(self, o: str) -> str:
        while self.parent[o] != o:
            self.parent[o] = self.parent[self.parent[o]]
            o = self.parent[o]
        return o

    def join(self, a: str, b: str) -> None:
        ra, rb = self.first(a), self.first(b)
        if ra != rb:
            first, second = (ra, rb) if self.order[ra] < self.order[rb] else (rb, ra)
            self.parent[second] = first


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
    groups = _Groups(obs_ids)
    parts = set()
    for a, b, relation in links:
        if a not in groups.parent or b not in groups.parent:
            continue
        if relation in _SAME:
            groups.join(a, b)
        elif relation == "part_of":
            parts.add(a)
    return [o for o in obs_ids if groups.first(o) == o and o not in parts]


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


def series_rows(observations: Sequence[Mapping[str, Any]], contexts: Sequence[Mapping[str, Any]], subjects: Sequence[Mapping[str, Any]],
                links: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the ``series`` table, by series and date: each group of
    :func:`declared_groups` that :func:`series_problem` finds nothing wrong with.

    Parameters
    ----------
    observations : rows of observations with ``counted`` derived
    contexts, subjects : rows of those tables (context families, subject ids)
    links : rows of ``links``

    Returns
    -------
    list of dict : ``series_id`` and ``obs_id``; the id is the key's parts joined by colons
        (subject id, measure, unit, kind, family, span), and a second series of one key
        gets ``:2``.

    Examples
    --------
    >>> obs = [{"obs_id": f"d-{i}", "subject": "S", "measure": "m", "unit": "persons", "value_kind": "level", "context": "c",
    ...         "period": p, "year_start": p[:4], "counted": "true"} for i, p in enumerate(["1930", "1929", "1931"])]
    >>> links = [{"obs_id_a": "d-0", "obs_id_b": "d-1", "relation": "same_series_as"}]
    >>> [(r["series_id"], r["obs_id"]) for r in series_rows(obs, [{"context_id": "c", "family": "f"}], [{"name": "S", "subject_id": "s"}], links)]
    [('s:m:persons:level:f', 'd-1'), ('s:m:persons:level:f', 'd-0')]
    """
    families = {cell_str(c["context_id"]): cell_str(c["family"]) for c in contexts}
    subject_ids = {cell_str(s["name"]): cell_str(s["subject_id"]) for s in subjects}
    by_key: dict[tuple[str, ...], list[list[Mapping[str, Any]]]] = {}
    for rows in declared_groups(observations, families, links):
        if series_problem(rows) is None:
            by_key.setdefault(series_key(rows[0], families), []).append(rows)
    out = []
    for key in sorted(by_key):
        for n, rows in enumerate(by_key[key], 1):
            sid = _series_id(key, subject_ids) + (f":{n}" if n > 1 else "")
            out += [{"series_id": sid, "obs_id": r["obs_id"]} for r in rows]
    return out


def declared_groups(observations: Sequence[Mapping[str, Any]], families: Mapping[str, str],
                    links: Iterable[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The groups of dated rows that ``links`` declare one series, each sorted by date.

    A series is declared, never guessed: ``same_series_as`` links join dated figures of one
    quantity at different dates, and the rows that restate or dispute one of them
    (``same_quantity_as``, ``disagrees_with``) join it too. Only rows of one
    :func:`series_key` join (``validate`` reports a link across keys, rule
    ``series-link``). Sharing a key is not enough without a link: one measure holds unlike
    things (one meeting's speakers, another's candidates).

    Parameters
    ----------
    observations : rows of observations (an undated row joins no series)
    families : context id → its family (``contexts.family``)
    links : rows of ``links``

    Returns
    -------
    list of lists of rows : one per declared group, in the order of its first row, each by
        date; :func:`series_problem` says whether it is a series.

    Examples
    --------
    >>> obs = [{"obs_id": f"d-{i}", "subject": "S", "measure": "m", "unit": "persons", "value_kind": "level", "context": "c",
    ...         "period": p} for i, p in enumerate(["1930", "1929", "1931"])]
    >>> [[r["obs_id"] for r in g] for g in declared_groups(obs, {}, [{"obs_id_a": "d-0", "obs_id_b": "d-2", "relation": "same_series_as"}])]
    [['d-0', 'd-2']]
    """
    dated = {cell_str(r["obs_id"]): r for r in observations if cell_str(r.get("period"))}
    groups = _Groups(list(dated))
    declared = []
    for link in links:
        a, b, relation = cell_str(link["obs_id_a"]), cell_str(link["obs_id_b"]), cell_str(link["relation"])
        if relation in _SERIES and a in dated and b in dated and series_key(dated[a], families) == series_key(dated[b], families):
            groups.join(a, b)
            if relation == "same_series_as":
                declared.append(a)
    members: dict[str, list[Mapping[str, Any]]] = {}
    for o, row in dated.items():
        members.setdefault(groups.first(o), []).append(row)
    firsts = sorted({groups.first(o) for o in declared}, key=groups.order.__getitem__)
    return [sorted(members[f], key=lambda r: (cell_str(r["period"]), cell_str(r["obs_id"]))) for f in firsts]


def series_problem(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """Why the rows of a declared series are no series, or None: it must count at least two
    dates, each once.

    One quantity has one value at a date (its restatements and disputes are not counted, and
    a part is not counted beside its whole). Two counted values at one date are two
    quantities: the shares of peasants and of workers in one fleet in 1928, the votes for
    and against at one meeting; a line through them would join unlike things. One counted
    date is one figure, restated or broken down, not a change over time.

    Parameters
    ----------
    rows : the rows of one group of :func:`declared_groups`, with ``counted``

    Returns
    -------
    str or None : the dates counted twice (with their obs_ids), or the one date counted;
        None for a series.

    Examples
    --------
    >>> rows = [{"obs_id": "a", "period": "1928", "counted": "true"}, {"obs_id": "b", "period": "1928", "counted": "false"}, {"obs_id": "c", "period": "1931", "counted": "true"}]
    >>> series_problem(rows) is None
    True
    >>> series_problem([*rows, {"obs_id": "d", "period": "1928", "counted": "true"}])
    'it counts 1928 twice (a, d)'
    >>> series_problem(rows[:2])
    'it counts one date only (1928)'
    """
    counted = [r for r in rows if cell_str(r.get("counted")).lower() != "false"]
    dates: dict[str, list[str]] = {}
    for r in counted:
        dates.setdefault(cell_str(r["period"]), []).append(cell_str(r["obs_id"]))
    twice = [f"{date} twice ({', '.join(ids)})" for date, ids in dates.items() if len(ids) > 1]
    if twice:
        return "it counts " + "; ".join(twice)
    if len(dates) < 2:
        return f"it counts one date only ({', '.join(dates) or 'none'})"
    return None


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
