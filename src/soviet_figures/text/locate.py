"""Find a quote and its figure in a source text, and turn them into offsets.

Quotes are matched after collapsing every whitespace run (spaces, no-break spaces, line
breaks) to one space, so a transcriber can copy a sentence across a line break. The figure
(``value_text``) is then looked up inside the quote's span of the *raw* text, and the raw
slice becomes the stored ``value_text`` so that ``text[char_start:char_end] == value_text``.

>>> text = "В 1936 г. отработали\\n996\\u00a0тыс. часов."
>>> loc = locate(text, "отработали 996 тыс. часов", "996 тыс.")
>>> (loc.char_start, loc.char_end, loc.line, loc.value_text == text[loc.char_start:loc.char_end])
(21, 29, 2, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import LocateError

__all__ = ["Located", "locate", "collapse", "normalised_index"]

_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Located:
    """Where a figure and its quote sit in a text.

    Parameters
    ----------
    char_start, char_end : the figure's span (``text[char_start:char_end] == value_text``)
    line : the figure's line, counted from 1
    value_text : the figure as printed
    quote_start, quote_end : the quote's span

    Examples
    --------
    >>> loc = locate("In 1937 the plant had 3,454 members.", "had 3,454 members", "3,454", None)
    >>> loc.char_start, loc.char_end, loc.line, loc.value_text
    (22, 27, 1, '3,454')
    """

    char_start: int
    char_end: int
    line: int
    value_text: str
    quote_start: int
    quote_end: int


def collapse(s: str) -> str:
    """Collapse whitespace runs to one space and strip.

    >>> collapse(" a\\n\\u00a0 b ")
    'a b'
    """
    return _WS.sub(" ", s).strip()


@dataclass(frozen=True)
class _Index:
    norm: str
    to_raw: tuple[int, ...]  # normalised offset -> raw offset (len(norm)+1 entries)


@lru_cache(maxsize=16)
def normalised_index(text: str) -> _Index:
    """Collapsed text plus a map from its offsets back to the raw text."""
    out: list[str] = []
    to_raw: list[int] = []
    pos = 0
    for m in _WS.finditer(text):
        out.append(text[pos : m.start()])
        to_raw.extend(range(pos, m.start()))
        out.append(" ")
        to_raw.append(m.start())
        pos = m.end()
    out.append(text[pos:])
    to_raw.extend(range(pos, len(text)))
    to_raw.append(len(text))
    return _Index("".join(out), tuple(to_raw))


def _raw_end(idx: _Index, norm_end: int, text: str) -> int:
    """Raw offset just after the normalised character at ``norm_end - 1``."""
    last = idx.to_raw[norm_end - 1]
    if idx.norm[norm_end - 1] == " ":
        m = _WS.match(text, last)
        return m.end() if m else last + 1
    return last + 1


def find_quote(text: str, quote: str, near: int | None = None) -> tuple[int, int]:
    """Raw span of ``quote`` in ``text``; it must occur once (or ``near`` picks the one)."""
    idx = normalised_index(text)
    q = collapse(quote)
    if len(q) < 1:
        raise LocateError("empty quote")
    starts = [m.start() for m in re.finditer(re.escape(q), idx.norm)]
    if not starts:
        raise LocateError(f"quote not found in the text: {q[:80]!r}")
    if len(starts) > 1:
        if near is None:
            raise LocateError(f"quote occurs {len(starts)} times in the text; lengthen it: {q[:80]!r}")
        starts = [min(starts, key=lambda s: abs(idx.to_raw[s] - near))]
    s = starts[0]
    return idx.to_raw[s], _raw_end(idx, s + len(q), text)


def _bounded(text: str, value_text: str) -> re.Pattern[str]:
    """``value_text`` as a pattern that matches only as a whole expression: not inside a word,
    not the second half of a hyphenated number word ("five" of "twenty-five"); digits may be
    glued to a unit ("800g")."""
    body = r"\s+".join(re.escape(part) for part in collapse(value_text).split(" "))
    left = r"(?<![^\W_])(?<![^\W\d_][-\u2010\u2011])"
    right = r"(?![^\W_])" if value_text[-1:].isalpha() else r"(?!\d)"
    return re.compile(left + body + right)


def locate(text: str, quote: str, value_text: str, occurrence: int | None = None, near: int | None = None) -> Located:
    """Place ``value_text`` inside ``quote`` in ``text``, as a whole expression.

    Parameters
    ----------
    text : the source text
    quote : a verbatim passage of ``text`` that contains the figure (whitespace may differ)
    value_text : the figure as printed
    occurrence : which appearance of ``value_text`` in the quote (1-based); required when
        it appears more than once
    near : an offset that picks among several appearances of the quote

    Raises
    ------
    LocateError : the quote is not in the text, the figure not in the quote (as a whole
        expression), or it appears several times and ``occurrence`` does not say which.

    Examples
    --------
    >>> text = "the slot extended by an extra ten minutes"
    >>> loc = locate(text, "slot extended by an extra ten minutes", "ten")
    >>> loc.char_start, text[loc.char_start - 6:loc.char_end]
    (30, 'extra ten')
    """
    qs, qe = find_quote(text, quote, near)
    region = text[qs:qe]
    spans = [(m.start(), m.end()) for m in _bounded(text, value_text).finditer(region)] if value_text.strip() else []
    if not spans:
        raise LocateError(f"value_text {value_text!r} is not inside the quote as a whole expression (not inside a word or half of a hyphenated number); copy the figure exactly")
    if occurrence is None:
        if len(spans) > 1:
            raise LocateError(f"value_text {value_text!r} occurs {len(spans)} times in the quote; say which with occurrence (1-{len(spans)})")
        occurrence = 1
    if occurrence < 1 or occurrence > len(spans):
        raise LocateError(f"value_text {value_text!r} occurs {len(spans)} times in the quote; occurrence {occurrence} is out of range")
    s, e = spans[occurrence - 1]
    start, end = qs + s, qs + e
    return Located(start, end, text.count("\n", 0, start) + 1, text[start:end], qs, qe)
