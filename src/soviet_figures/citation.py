"""Human-readable citations for observations.

>>> import soviet_figures as sf
>>> print(sf.cite(sf.load("observations", doc_id="fitzpatrick-1979").obs_id[0]))  # doctest: +ELLIPSIS
Fitzpatrick, Sheila (1979). "Stalin and the Making of a New Elite, 1928–1939". Slavic Review 38, no. 3 (September 1979), p. 377, line 29 of 004_b6c5f666673edc7d.txt: "...over one hundred thousand workers..." [fitzpatrick-1979-0001]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._cells import cell_str as _s
from .errors import TableError
from .loader import load

__all__ = ["cite", "format_citation"]


def cite(obs_id: str) -> str:
    """The citation of one observation: author, year, title, venue, page, note, line and quote.

    Parameters
    ----------
    obs_id : the observation's id (``observations.obs_id``)

    Returns
    -------
    str : author, year, title, venue, page, note, line of the text file, the quote and the obs_id.

    Raises
    ------
    TableError : no observation has this id.

    Examples
    --------
    >>> cite("kokosalakis-2016-0045").startswith("Kokosalakis, Yiannis (2016).")
    True
    """
    if not isinstance(obs_id, str):
        raise TableError(f"expected an obs_id (a string) such as kokosalakis-2016-0045, found {type(obs_id).__name__}; cite one observation at a time")
    obs = load("observations")
    obs = obs[obs["obs_id"] == obs_id]  # not a filter of load: an unknown id is this function's error, not a warning
    if obs.empty:
        raise TableError(f"no observation {obs_id!r}; expected an obs_id such as kokosalakis-2016-0045 (sf.load('observations').obs_id)")
    row = obs.iloc[0]
    return format_citation(row, load("documents", doc_id=row["doc_id"]).iloc[0])


def format_citation(row: Mapping[str, Any] | pd.Series, doc: Mapping[str, Any] | pd.Series) -> str:
    """The citation of an observation row given its document row (for many rows at once).

    Parameters
    ----------
    row : an ``observations`` row (needs page, footnote, line, quote, obs_id)
    doc : its ``documents`` row (needs authors, year, title, summary, venue, source_file)

    Returns
    -------
    str : the same text :func:`cite` returns, without loading any table.

    Examples
    --------
    >>> doc = {"authors": "Doe, Jane", "year": 1990, "title": "Grain", "summary": "", "venue": "", "source_file": "a.txt"}
    >>> row = {"page": 5, "footnote": None, "line": 12, "quote": "ten tons", "obs_id": "doe-1990-0001"}
    >>> format_citation(row, doc)
    'Doe, Jane (1990). "Grain". p. 5, line 12 of a.txt: "ten tons" [doe-1990-0001]'
    """
    authors = _s(doc["authors"]) or "Unknown author"
    year = f" ({_s(doc['year'])})" if _s(doc["year"]) else ""
    title = f'"{_s(doc["title"])}"' if _s(doc["title"]) else f"[title not confirmed; {_s(doc['summary']).split(':')[0].split('. ')[0]}]"
    venue = f" {_s(doc['venue'])}," if _s(doc["venue"]) else ""
    where = ", ".join(
        part
        for part in (
            f"p. {_s(row['page'])}" if _s(row["page"]) else "",
            f"n. {_s(row['footnote'])}" if _s(row["footnote"]) else "",
            f"line {_s(row['line'])} of {_s(doc['source_file'])}",
        )
        if part
    )
    return f'{authors}{year}. {title}.{venue} {where}: "{_s(row["quote"])}" [{_s(row["obs_id"])}]'
