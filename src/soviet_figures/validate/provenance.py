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
from collections.abc import Iterable, Mapping
from typing import Any

from ..text.locate import collapse, normalised_index
from ..text.scanner import line_starts
from .report import Issue

__all__ = ["check_rows"]


def _norm_pos(to_raw: tuple[int, ...], raw: int) -> int:
    return bisect.bisect_left(to_raw, raw)


def check_rows(file: str, text: str, rows: Iterable[Mapping[str, Any]], text_col: str = "value_text", quote: bool = True) -> list[Issue]:
    """Provenance findings for observation (``quote=True``) or mention rows of one text."""
    out: list[Issue] = []
    starts = line_starts(text)
    idx = normalised_index(text) if quote else None
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
        if quote and idx is not None:
            q = collapse(str(r.get("quote", "")))
            a = _norm_pos(idx.to_raw, cs)
            window = idx.norm[max(0, a - len(q) - 2) : a + len(q) + 2]
            hit = window.find(q)
            found = False
            while hit != -1 and q:
                qs = max(0, a - len(q) - 2) + hit
                if idx.to_raw[qs] <= cs and ce <= idx.to_raw[min(qs + len(q), len(idx.to_raw) - 1)] + 1:
                    found = True
                    break
                hit = window.find(q, hit + 1)
            if not found:
                where = "is not in the text" if q not in idx.norm else "is in the text but not around char_start"
                out.append(Issue(file, row, "quote", "quote-at-offsets", q[:80], f"quote {where}"))
    return out
