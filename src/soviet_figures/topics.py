"""The topic tables: which observations each holds, in what order, and the years a period
spans — the derivation ``derive`` writes and ``validate`` checks.

>>> topic_rows([{"topic": "membership", "measure": "party_members"}], {"topics": ["membership"], "measures": []})
[{'topic': 'membership', 'measure': 'party_members'}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .text.periods import period_years

__all__ = ["topic_rows", "with_years"]


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
