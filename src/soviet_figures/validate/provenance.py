"""Layer 3 of validation: every figure is where its row says it is.

With the source texts present: the text's SHA-256 matches ``documents.sha256``;
``text[char_start:char_end] == value_text``; ``line`` is the line of ``char_start``; the
quote (whitespace collapsed) occurs in the text around the figure. The same for mentions.

>>> text = "Они отработали 250 — 300 часов."
>>> obs_issues = check_rows("observations.csv", text, [{"_row": 1, "value_text": "250 — 300",
...     "char_start": 15, "char_end": 24, "line": 1, "quote": "Они отработали 250 — 300 часов"}])
>>> obs_issues
[]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..text.locate import collapse
from ..text.scanner import line_starts
from .report import Issue

__all__ = ["check_rows", "quote_covers"]


_WS = re.compile(r"\s+")


def quote_covers(text: str, quote: str, start: int, end: int) -> bool | None:
    """Whether ``quote`` (whitespace runs matching any whitespace) occurs in ``text`` around
    ``start``–``end``: True; elsewhere in the text only: False; nowhere: None.

    A window around the figure is collapsed (one compiled pattern for every row, no pattern
    per quote) and the collapsed quote searched in it.

    >>> text = "They worked\\n250 —\\u00a0300 hours. 250 — 300 again."
    >>> quote_covers(text, "worked 250 — 300", 12, 21), quote_covers(text, "250 — 300 again", 12, 21)
    (True, False)
    """
    q = collapse(quote)
    if not q:
        return None
    reach = 4 * len(quote) + 200  # the raw quote's whitespace may be longer than the collapsed one
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    window = _WS.sub(" ", text[lo:hi])
    # the figure's place in the collapsed window: what precedes it, collapsed
    before = _WS.sub(" ", text[lo:start])
    figure = _WS.sub(" ", text[start:end])
    a = len(before)
    if before.endswith(" ") and figure.startswith(" "):
        a -= 1
    b = a + len(figure)
    hit = window.find(q)
    while hit != -1:
        if hit <= a and b <= hit + len(q):
            return True
        hit = window.find(q, hit + 1)
    return False if q in collapse(text) else None
def check_rows(file: str, text: str, rows: Iterable[Mapping[str, Any]], text_col: str = "value_text", quote: bool = True) -> list[Issue]:
    """Provenance findings for observation (``quote=True``) or mention rows of one text.

    Parameters
    ----------
    file : the table's file name in findings
    text : the source text
    rows : rows with ``_row``, ``char_start``, ``char_end``, ``line``, ``text_col`` (and ``quote``)
    text_col : the column that must equal the text at the offsets
    quote : also check that the quote occurs around the offsets

    Returns
    -------
    list of Issue : one per offset, line or quote that does not match the text.

    Examples
    --------
    >>> row = {"_row": 1, "char_start": 22, "char_end": 27, "line": 1, "value_text": "3,455", "quote": "had 3,454 members"}
    >>> [(i.rule, i.message) for i in check_rows("observations.csv", "In 1937 the plant had 3,454 members.", [row])]
    [('text-at-offsets', "text at 22-27 is '3,454'")]
    """
    out: list[Issue] = []
    starts = line_starts(text)
    for r in rows:
        row = r["_row"]
        try:
            cs, ce, line = int(r["char_start"]), int(r["char_end"]), int(r["line"])
        except (TypeError, ValueError):
            continue  # layer 2 reports unreadable offsets
        expected = str(r[text_col])
        if not (0 <= cs < ce <= len(text)):
            out.append(Issue(file, row, "char_end", "offsets-in-text", f"{cs}-{ce}", f"offsets lie outside the text (length {len(text)})"))
            continue
        if text[cs:ce] != expected:
            out.append(Issue(file, row, text_col, "text-at-offsets", expected, f"text at {cs}-{ce} is {text[cs:ce]!r}"))
        true_line = bisect.bisect_right(starts, cs)
        if line != true_line:
            out.append(Issue(file, row, "line", "line-of-offset", str(line), f"char_start {cs} is on line {true_line}"))
        if quote:
            q = str(r.get("quote") or "")
            covered = quote_covers(text, q, cs, ce)
            if not covered:
                where = "is in the text but not around char_start" if covered is False else "is not in the text"
                out.append(Issue(file, row, "quote", "quote-at-offsets", collapse(q)[:80], f"quote {where}"))
    return out
