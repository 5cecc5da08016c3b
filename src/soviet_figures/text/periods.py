"""Periods: ISO 8601 dates and intervals at the precision a text gives.

>>> period_years("1935-05/1935-12"), period_years("1936")
((1935, 1935), (1936, 1936))
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["period_years", "PERIOD_FORMS"]

# \Z, not $: "$" also matches before a final newline ("1936\n" is not a period)
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)?\Z")
PERIOD_FORMS = "an ISO 8601 date or interval (1936, 1936-01, 1936-06-25, 1933/1935)"


@lru_cache(maxsize=65536)
def period_years(period: str) -> tuple[int, int]:
    """First and last year of an ISO 8601 period.

    Parameters
    ----------
    period : ``1936``, ``1936-01``, ``1936-06-25`` or an interval ``A/B`` of those

    Returns
    -------
    (int, int) : the first and the last year

    Raises
    ------
    ValueError : malformed, an impossible date, or an interval that ends before it starts.

    Examples
    --------
    >>> period_years("1933/1935")
    (1933, 1935)
    >>> period_years("1936\\n")
    Traceback (most recent call last):
    ...
    ValueError: not an ISO 8601 date or interval (1936, 1936-01, 1936-06-25, 1933/1935)
    """
    m = _PERIOD.match(period)
    if not m:
        raise ValueError(f"not {PERIOD_FORMS}")
    y1, m1, d1, y2, m2, d2 = m.groups()

    def check(y: str, mo: str | None, d: str | None) -> dt.date:
        return dt.date(int(y), int(mo or 1), int(d or 1))

    start = check(y1, m1, d1)
    end = check(y2, m2, d2) if y2 else start
    if end < start:
        raise ValueError("interval ends before it starts")
    return int(y1), int(y2 or y1)
