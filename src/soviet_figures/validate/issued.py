"""The rule that keeps obs_ids from being issued twice: ``obs-id-issued``.

``documents.last_obs_id`` is the highest obs_id ever issued for a document; ``soviet-figures
add`` continues after it and raises it, so the id of a figure that was removed stays retired
(README: "obs_ids are never reused"). The rule holds every obs_id of a document at or below
its ``last_obs_id``: an id above it was not issued by ``add`` and may be one that was issued
before and retired. An empty ``last_obs_id`` means no id has been issued yet.

>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["d"], "last_obs_id": ["d-0002"]}, dtype="string")
>>> obs = pd.DataFrame({"obs_id": ["d-0001", "d-0003"], "doc_id": ["d", "d"]}, dtype="string")
>>> [(i.row, i.column, i.rule) for i in issued_issues(obs, docs, "observations.csv", "documents.csv")]
[(2, 'obs_id', 'obs-id-issued')]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .report import Issue
from .structure import arrow_strings

__all__ = ["issued_issues", "id_number"]

_NUMBER = re.compile(r"[0-9]{1,9}")


def id_number(obs_id: object, doc_id: str) -> int | None:
    """The number of ``<doc_id>-<number>``, or None if ``obs_id`` is not of that form.

    Examples
    --------
    >>> id_number("a-b-0012", "a-b"), id_number("a-b-0012", "a"), id_number(None, "a")
    (12, None, None)
    """
    if not isinstance(obs_id, str) or not obs_id.startswith(doc_id + "-"):
        return None
    tail = obs_id[len(doc_id) + 1:]
    return int(tail) if _NUMBER.fullmatch(tail) else None


def issued_issues(observations: pd.DataFrame | None, documents: pd.DataFrame | None, obs_label: str, doc_label: str,
                  on: str = "observations") -> list[Issue]:
    """Findings of ``obs-id-issued``.

    Parameters
    ----------
    observations, documents : the tables as strings (empty → missing); a rule whose table is
        missing is not run
    obs_label, doc_label : their files' names in findings
    on : ``"observations"``: report each obs_id above its document's ``last_obs_id`` (and a
        ``last_obs_id`` of the wrong form, on documents); ``"documents"``: report on the
        documents rows only (when only documents.csv is checked)

    Returns
    -------
    list of Issue : one per obs_id above its ``last_obs_id``, or per documents row whose
        ``last_obs_id`` is not of the form ``<doc_id>-NNNN`` or (``on="documents"``) is below
        an obs_id of the document.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["d"], "last_obs_id": ["d-0001"]}, dtype="string")
    >>> obs = pd.DataFrame({"obs_id": ["d-0001", "d-0002"], "doc_id": ["d", "d"]}, dtype="string")
    >>> [(i.file, i.row, i.column) for i in issued_issues(obs, docs, "o.csv", "d.csv", on="documents")]
    [('d.csv', 1, 'last_obs_id')]
    """
    if documents is None or "last_obs_id" not in documents.columns or "doc_id" not in documents.columns:
        return []
    out: list[Issue] = []
    last: dict[str, int] = {}
    for pos, (doc_id, value) in enumerate(zip(documents["doc_id"].tolist(), documents["last_obs_id"].tolist())):
        if not isinstance(doc_id, str):
            continue
        if value is None or value is pd.NA:
            last[doc_id] = 0
            continue
        number = id_number(value, doc_id)
        if number is None:
            out.append(Issue(doc_label, int(documents.index[pos]) + 1, "last_obs_id", "obs-id-issued", str(value),
                             f"last_obs_id must be an obs_id of this document, {doc_id}-NNNN (the highest ever issued), or empty before the first"))
            continue
        last[doc_id] = number
    if observations is None or not {"obs_id", "doc_id"} <= set(observations.columns):
        return out
    doc_rows = {d: i for i, d in enumerate(documents["doc_id"].tolist()) if isinstance(d, str)}
    ids = pd.Series(observations["obs_id"]).astype("string")
    id_cells, doc_cells = arrow_strings(observations["obs_id"]), arrow_strings(observations["doc_id"])
    # vectorised (pyarrow): the rows grouped by doc_id once, then each document's ids alone:
    # their numbers, those above the limit (every id is read once, whatever the documents)
    codes = pc.dictionary_encode(doc_cells).combine_chunks() if isinstance(doc_cells, pa.ChunkedArray) else pc.dictionary_encode(doc_cells)
    for code, doc_id in enumerate(codes.dictionary.to_pylist()):
        if doc_id not in last:
            continue
        rows = pc.indices_nonzero(pc.fill_null(pc.equal(codes.indices, code), False))
        mine_ids = pc.take(id_cells, rows)
        tails = pc.utf8_slice_codeunits(mine_ids, len(doc_id) + 1)
        mine = pc.fill_null(pc.and_(pc.starts_with(mine_ids, doc_id + "-"), pc.match_substring_regex(tails, r"^[0-9]{1,9}$")), False)
        numbered = pc.cast(pc.if_else(mine, tails, pa.scalar(None, pa.string())), pa.int64())
        local = pc.indices_nonzero(pc.fill_null(pc.greater(numbered, last[doc_id]), False))
        if not len(local):
            continue
        above = np.asarray(pc.take(rows, local).to_numpy(zero_copy_only=False), dtype=np.int64)
        above_numbers = np.asarray(pc.take(numbered, local).to_numpy(zero_copy_only=False), dtype=np.int64)
        shown_value = documents["last_obs_id"].iloc[doc_rows[doc_id]]
        shown = "empty" if shown_value is None or shown_value is pd.NA else str(shown_value)
        if on == "documents":
            highest = str(ids.iloc[int(above[int(np.argmax(above_numbers))])])
            out.append(Issue(doc_label, doc_rows[doc_id] + 1, "last_obs_id", "obs-id-issued", None if shown == "empty" else shown,
                             f"last_obs_id is {shown} but observations has {highest}; set it to the highest obs_id ever issued for {doc_id}"))
            continue
        values = ids.iloc[above].tolist()
        for at, value in zip(above.tolist(), values):
            out.append(Issue(obs_label, at + 1, "obs_id", "obs-id-issued", str(value),
                             f"obs_id is above documents.last_obs_id of {doc_id} ({shown}), so it was not issued by soviet-figures add and may be a retired id; "
                             "add the figure with soviet-figures add (ids are never reused), or raise last_obs_id if the id was never issued before"))
    return sorted(out, key=lambda i: (i.file, i.row or 0))
