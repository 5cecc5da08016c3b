"""``sf.series``: one quantity over time, each quantity counted once.

The ``series`` table and ``observations.counted`` are derived by ``soviet-figures derive``
(:func:`soviet_figures.topics.series_rows`, :func:`soviet_figures.topics.counted_ids`);
this module reads them.

>>> import soviet_figures as sf
>>> int(sf.series("Kirov plant party organisation", "party_members")["year_start"].iloc[0])
1926
"""

from __future__ import annotations

import pandas as pd

from . import tableschema
from .errors import TableError
from .loader import load
from .lookup import resolve_subject
from .names import closest

__all__ = ["series"]

def series(subject: str | None = None, measure: str | list[str] | None = None, *, unit: str | None = None,
           value_kind: str | None = None, context: str | None = None, series_id: str | None = None) -> pd.DataFrame:
    """One quantity over time: the counted dated figures that match, by date, each with the
    series it belongs to.

    A series is one quantity at different dates, as ``same_series_as`` links declare it
    (the ``series`` table). A figure that matches but belongs to no declared series has
    ``series_id`` missing: it may count something else (one meeting's speakers beside
    another's), so draw a line only through the rows of one ``series_id``.

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
        ``doc_id``, ``series_id`` (missing outside a declared series) and ``disagrees``
        (True for a figure that disputes a counted one: shown, never counted). Each
        quantity is counted once.

    Raises
    ------
    TableError : nothing matches; the message names the closest subjects or measures.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> s = sf.series("Kirov plant party organisation", "party_members")
    >>> s[["period", "value", "qualifier"]].values.tolist()[:2]
    [['1926-05-27', 2000.0, 'exact'], ['1927-09/1928-05', 2000.0, 'more_than']]
    >>> bool(sf.series("Kirov plant party organisation", "speeches")["series_id"].isna().all())  # one meeting's speakers, another's: no line
    True
    """
    obs = load("observations")
    members = load("series")
    links = load("links")
    rows = obs[obs["period"].notna()].merge(members, on="obs_id", how="left")
    if series_id is not None:
        rows = rows[rows["series_id"] == series_id]
    if subject is not None:
        rows = rows[rows["subject"] == resolve_subject(subject)]
    for col, wanted in (("measure", measure), ("unit", unit), ("value_kind", value_kind), ("context", context)):
        if wanted is not None:
            wanted_list = wanted if isinstance(wanted, list) else [wanted]
            rows = rows[rows[col].isin(wanted_list).fillna(False).astype(bool)]
    if rows.empty:
        hint = closest(str(measure), tableschema.enum("observations", "measure") or sorted(obs["measure"].astype(str).unique())) if measure else []
        raise TableError(f"no series matches subject={subject!r} measure={measure!r}; a series is one quantity at two or more dates, declared by same_series_as links"
                         + (f"; closest measures: {', '.join(hint)}" if hint else "") + "; sf.load('series') lists them")
    disputed = set(links.loc[links["relation"] == "disagrees_with", ["obs_id_a", "obs_id_b"]].to_numpy().ravel())
    rows = rows[rows["counted"].fillna(False).astype(bool) | rows["obs_id"].isin(disputed)].copy()
    rows["disagrees"] = ~rows["counted"].fillna(False).astype(bool)
    columns = ["period", "year_start", "year_end", "value", "value_low", "value_high", "qualifier", "unit", "measure", "context", "obs_id", "doc_id", "series_id", "disagrees"]
    return rows.sort_values(["period", "obs_id"])[columns].reset_index(drop=True)
