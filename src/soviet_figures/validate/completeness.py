"""Layer 4 of validation: the ledger accounts for every numeric mention.

With the texts present, the scanner's mentions must equal the committed ``mentions`` rows,
every mention must be classified, a mention covered by an observation must say so, and an
``observation`` mention must point at the observation that covers it.

>>> from soviet_figures.text.mentions import ledger_rows
>>> text = "In 1936 the plant had 1,814 workers."
>>> rows = ledger_rows("d", text, [], [])
>>> [i.message for i in check_document("mentions.csv", "d", text, rows, [])]
["mention '1,814' (line 1) is not classified"]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._cells import cell_str as _s
from ..text.mentions import ledger_rows
from ..text.scanner import Mention
from .report import Issue

__all__ = ["check_document", "coverage"]


def check_document(
    file: str,
    doc_id: str,
    text: str,
    ledger: Sequence[Mapping[str, Any]],
    observations: Sequence[Mapping[str, Any]],
    found: Sequence[Mention] | None = None,
) -> list[Issue]:
    """Completeness findings for one document's ledger rows.

    Parameters
    ----------
    file : the ledger's file name in findings
    doc_id : the document
    text : its source text
    ledger : its ``mentions`` rows (each with ``_row``)
    observations : its observations rows
    found : the scanner's mentions of ``text``, if already computed

    Returns
    -------
    list of Issue : mentions missing from the ledger, rows the text no longer has, ...

    Examples
    --------
    >>> issues = check_document("mentions.csv", "x", "In 1937 the plant had 3,454 members.", [], [])
    >>> [(i.rule, i.value) for i in issues]
    [('mention-missing', 'x:3-7'), ('mention-missing', 'x:22-27')]
    """
    out: list[Issue] = []
    # only which mentions exist and which an observation covers is compared: no rules needed
    expected = {r["mention_id"]: r for r in ledger_rows(doc_id, text, [], observations, found, rules=False)}
    committed = {str(r["mention_id"]): r for r in ledger}
    for mid, e in expected.items():
        if mid not in committed:
            out.append(Issue(file, None, "mention_id", "mention-missing", mid, f"scanner finds {e['text']!r} (line {e['line']}) but the ledger has no row for it; run soviet-figures scan"))
    for mid, r in committed.items():
        row = r.get("_row")
        if mid not in expected:
            out.append(Issue(file, row, "mention_id", "mention-unknown", mid, "the ledger has a mention the scanner does not find; run soviet-figures scan"))
            continue
        e = expected[mid]
        status = _s(r.get("status"))
        if e["status"] == "observation":
            if status != "observation" or _s(r.get("obs_id")) != e["obs_id"]:
                out.append(Issue(file, row, "status", "mention-covered", status, f"mention {e['text']!r} (line {e['line']}) lies inside observation {e['obs_id']} so its status must be observation with that obs_id; run soviet-figures scan"))
        elif status == "observation":
            out.append(Issue(file, row, "obs_id", "mention-not-covered", _s(r.get("obs_id")), f"mention {e['text']!r} (line {e['line']}) says observation but no observation covers it"))
        elif not status:
            out.append(Issue(file, row, "status", "unclassified", e["text"], f"mention {e['text']!r} (line {e['line']}) is not classified"))
    return out


def coverage(ledger: Sequence[Mapping[str, Any]]) -> float:
    """Share of ledger rows that are classified.

    >>> coverage([{"status": "year"}, {"status": ""}])
    0.5
    """
    if not ledger:
        return 1.0
    return sum(1 for r in ledger if _s(r.get("status"))) / len(ledger)



