"""Where a figure's span may sit (layer 3, with the texts) and which spans may repeat (layer 2).

* ``span-expression`` — an observation's offsets must cover whole numeric expressions as the
  scanner reads them (:func:`soviet_figures.text.scanner.scan`): one expression, or
  consecutive ones joined as a range or ratio ("250 — 300", "four or five", "3 out of 8.5
  million"), with at most unit words beside them ("four hours"). A span inside a word, half
  of a hyphenated number ("five" of "twenty-five"), or one that leaves the expression's scale
  word or percent sign outside ("996" of "996 тыс.") is refused, naming the expression it
  should have been. A time unit alone ("a week", "hour-long": one of it) is the one figure
  without a number word, and is accepted as such.
* ``duplicate-span`` — two observations of one document on the same span are refused unless
  each says in ``note`` which different quantity it reads from the same words (by naming the
  other's obs_id).

>>> from soviet_figures.text.scanner import scan
>>> text = "elect twenty-five full and five candidate members"
>>> rows = [{"_row": 1, "char_start": 13, "char_end": 17, "value_text": "five"}]
>>> [i.message[:60] for i in span_issues("o.csv", text, rows, scan(text))]
["the span cuts the text's numeric expression 'twenty-five' (l"]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .._cells import cell_str
from ..errors import ParseError
from ..text.numbers import parse
from ..text.scanner import Mention, line_of, line_starts, scan
from .report import Issue

__all__ = ["span_issues", "duplicate_span_issues"]

# what may stand between two expressions of one figure: a range or ratio connector
_CONNECTOR = re.compile(r"[\s\-–—‑]*(?:(?:to|or|или|до|in|out of|из|and|и|с лишним)[\s\-–—‑]*)?", re.IGNORECASE)


def _is_bare_unit(value_text: str) -> bool:
    """A time unit alone ("a week", "hour-long"): the parser reads 1 of it, and it holds no
    number word or digit of its own."""
    if scan(value_text):
        return False
    try:
        return parse(value_text).value == 1.0
    except ParseError:
        return False


def span_issues(file: str, text: str, rows: Iterable[Mapping[str, Any]], mentions: Sequence[Mention]) -> list[Issue]:
    """``span-expression`` findings for observation rows of one text.

    Parameters
    ----------
    file : the table's file in findings
    text : the source text
    rows : rows with ``_row``, ``char_start``, ``char_end``, ``value_text``
    mentions : the scanner's expressions of ``text``, in order

    Returns
    -------
    list of Issue : one per row whose span cuts a numeric expression.

    Examples
    --------
    >>> text = "In 1937 the plant had 3,454 members."
    >>> row = {"_row": 1, "char_start": 22, "char_end": 25, "value_text": "3,4"}
    >>> [(i.rule, i.value) for i in span_issues("observations.csv", text, [row], scan(text))]
    [('span-expression', '22-25')]
    """
    starts = [m.start for m in mentions]
    lines = line_starts(text)
    out = []
    for r in rows:
        try:
            cs, ce = int(r["char_start"]), int(r["char_end"])
        except (TypeError, ValueError):
            continue
        if not 0 <= cs < ce <= len(text):
            continue  # offsets-in-text says so
        j = bisect.bisect_left(starts, ce)
        over = [m for m in mentions[max(0, j - 40) : j] if m.start < ce and cs < m.end]
        problem = _span_problem(text, cs, ce, over, str(r.get("value_text") or ""))
        if problem:
            out.append(Issue(file, r["_row"], "char_start", "span-expression", f"{cs}-{ce}", f"{problem} (line {line_of(lines, cs)}); set value_text, char_start and char_end to the whole expression"))
    return out


def _span_problem(text: str, cs: int, ce: int, over: list[Mention], value_text: str) -> str | None:
    cut = [m for m in over if m.start < cs or m.end > ce]
    if cut:
        return f"the span cuts the text's numeric expression {cut[0].text!r}"
    if not over:
        if _is_bare_unit(value_text):
            return None
        word = re.search(r"\w*$", text[max(0, cs - 30):cs]).group() + text[cs:ce] + re.match(r"\w*", text[ce:ce + 30]).group()  # type: ignore[union-attr]
        return f"no numeric expression of the text lies at the span (it sits in {word!r})" if word != text[cs:ce] else "no numeric expression of the text lies at the span"
    if cs < over[0].start and text[cs - 1 : cs].isalnum():
        return "the span starts inside a word"
    if ce > over[-1].end and text[ce : ce + 1].isalnum():
        return "the span ends inside a word"
    for a, b in zip(over, over[1:]):
        if not _CONNECTOR.fullmatch(text[a.end : b.start]):
            return f"the span joins the expressions {a.text!r} and {b.text!r} with {text[a.end:b.start]!r}, not as one range or ratio"
    return None


def duplicate_span_issues(df: pd.DataFrame, file: str) -> list[Issue]:
    """``duplicate-span``: observations of one document on one span, unless each one's note
    names the other (saying which different quantity it reads from the same words).

    >>> df = pd.DataFrame({"obs_id": ["d-1", "d-2"], "doc_id": ["d", "d"], "char_start": ["5", "5"], "char_end": ["7", "7"], "note": [None, None]}, dtype="string")
    >>> [(i.row, i.rule) for i in duplicate_span_issues(df, "o.csv")]
    [(2, 'duplicate-span')]
    """
    keys = df[["doc_id", "char_start", "char_end"]]
    repeated = keys.duplicated(keep=False) & keys.notna().all(axis=1)
    out: list[Issue] = []
    if not repeated.any():
        return out
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for i in df.index[repeated]:
        groups.setdefault(tuple(keys.loc[i]), []).append(i)
    for members in groups.values():
        ids = {i: str(df.at[i, "obs_id"]) for i in members}
        notes = {i: cell_str(df.at[i, "note"]) for i in members}
        for i in members[1:]:
            first = members[0]
            notes_name_each_other = all(all(ids[k] in notes[j] for k in members if k != j) for j in (first, i))
            if not notes_name_each_other:
                out.append(Issue(file, int(i) + 1, "char_start", "duplicate-span", ids[i],
                                 f"{ids[first]} already has this span; a second figure from the same words needs a note in each row naming the other and saying which quantity it reads"))
    return out
