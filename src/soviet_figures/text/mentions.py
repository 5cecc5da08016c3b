"""The completeness ledger's rows of one text (``mentions``), from the scanner's output.

For each mention the scanner finds, in order of precedence:

1. an observation whose ``value_text`` span overlaps it → ``observation`` (with ``obs_id``);
2. a person's earlier classification in the committed ledger → kept (ids are stable:
   ``<doc_id>:<char_start>-<char_end>``);
3. a deterministic rule (:mod:`soviet_figures.text.mention_rules`) → its status, reason ``rule:…``;
4. otherwise the status stays empty: unclassified, which validation reports.

>>> from soviet_figures.text.mentions import ledger_rows
>>> rows = ledger_rows("d", "Of 1,814 cells in 1936.", [], [{"obs_id": "d-0001", "char_start": 3, "char_end": 8}])
>>> [(r["text"], r["status"], r["obs_id"]) for r in rows]
[('1,814', 'observation', 'd-0001'), ('1936', 'year', '')]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._cells import cell_str as _str
from .mention_rules import classify, running_heads
from .scanner import Mention, line_starts, scan

__all__ = ["ledger_rows", "mention_id"]


def mention_id(doc_id: str, start: int, end: int) -> str:
    """The id of a mention: its document and its span.

    Parameters
    ----------
    doc_id : the document
    start, end : the mention's span in the text

    Returns
    -------
    str : ``"doc_id:start-end"``.

    Examples
    --------
    >>> mention_id("fitzpatrick-1979", 22, 27)
    'fitzpatrick-1979:22-27'
    """
    return f"{doc_id}:{start}-{end}"


def ledger_rows(
    doc_id: str,
    text: str,
    existing: Iterable[Mapping[str, Any]],
    observations: Iterable[Mapping[str, Any]],
    found: Sequence[Mention] | None = None,
    rules: bool = True,
) -> list[dict[str, Any]]:
    """The ledger rows of one document, keeping earlier classifications (``found``: the
    scanner's mentions of ``text``, if already computed; ``rules=False`` leaves to a person
    what no observation covers, when only coverage is asked).

    A classification is kept for the same mention (same id) and carried over to a mention
    whose span overlaps earlier ones that all agree (the scanner widened ``996`` to
    ``996 тыс.``); where they disagree the mention is left for a person to classify.

    Examples
    --------
    >>> old = [{"mention_id": "d:3-6", "status": "other", "reason": "an example", "char_start": 3, "char_end": 6}]
    >>> [(r["text"], r["status"], r["reason"]) for r in ledger_rows("d", "In 996 тыс. hours", old, [])]
    [('996 тыс.', 'other', 'an example')]
    """
    kept = {str(r["mention_id"]): r for r in existing}
    earlier = sorted((int(r["char_start"]), int(r["char_end"]), r) for r in kept.values() if _str(r.get("status")) not in {"", "observation"})
    earlier_starts = [s for s, _, _ in earlier]
    spans = sorted((int(o["char_start"]), int(o["char_end"]), str(o["obs_id"])) for o in observations)
    starts = [s for s, _, _ in spans]
    heads = running_heads(text) if rules else frozenset()
    lines = line_starts(text)
    out = []
    for m in (scan(text) if found is None else found):
        mid = mention_id(doc_id, m.start, m.end)
        status, obs_id, reason = "", "", ""
        # observations that start before the mention ends and end after it starts
        j = bisect.bisect_left(starts, m.end)
        covering = [o for s, e, o in spans[max(0, j - 50) : j] if s < m.end and m.start < e]
        carried = _carried(earlier, earlier_starts, m.start, m.end)
        if covering:
            status, obs_id = "observation", covering[0]
        elif mid in kept and _str(kept[mid].get("status")) not in {"", "observation"}:
            status, reason = _str(kept[mid]["status"]), _str(kept[mid].get("reason"))
        elif carried is not None:
            status, reason = carried
        elif rules:
            rule = classify(text, m, heads)
            if rule:
                status, reason = rule
        out.append({
            "mention_id": mid, "doc_id": doc_id, "char_start": m.start, "char_end": m.end,
            "line": bisect.bisect_right(lines, m.start), "text": m.text, "kind": m.kind,
            "status": status, "obs_id": obs_id, "reason": reason,
        })
    return out


def _carried(earlier: list[tuple[int, int, Mapping[str, Any]]], starts: list[int], start: int, end: int) -> tuple[str, str] | None:
    """The (status, reason) of the earlier classified mentions overlapping ``start``–``end``,
    if there are any and they agree on the status."""
    j = bisect.bisect_left(starts, end)
    over = [r for s, e, r in earlier[max(0, j - 20) : j] if s < end and start < e]
    statuses = {_str(r.get("status")) for r in over}
    if len(statuses) != 1:
        return None
    return statuses.pop(), "; ".join(dict.fromkeys(_str(r.get("reason")) for r in over))
