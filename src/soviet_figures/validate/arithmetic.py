"""Recompute the arithmetic a text states between its figures (the ``arithmetic`` table).

A stated result agrees when it lies within the rounding the text uses: half a unit of the
last printed digit of the result (41.2% → ±0.05; "5%" → ±0.5), widened by the result's own
qualifier (a result "less than 5%" agrees with anything below 5.5) and by the operands'
ranges and bounds (an "about" total contributes ±1 % of itself).

>>> import pandas as pd
>>> obs = pd.DataFrame({"value": [143.0, 3133.0, 5.0], "value_low": [None] * 3, "value_high": [None, None, 5.0],
...     "qualifier": ["exact", "exact", "less_than"], "value_text": ["143", "3133", "5%"], "unit": ["persons", "persons", "percent"]},
...     index=["p", "t", "r"])
>>> evaluate("percent_of", obs, "r", ["p", "t"])
Verdict(agrees=True, explain='100 x 143 / 3133 = 4.564 against a stated 5% (less_than)')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..qualifiers import Qualifier

__all__ = ["Verdict", "evaluate"]


@dataclass(frozen=True)
class Verdict:
    """Whether a stated result follows from its operands, and the arithmetic shown.

    Parameters
    ----------
    agrees : the stated result lies within what the operands give
    explain : the formula, its result and the stated figure

    Examples
    --------
    >>> Verdict(True, "60 + 40 = 100 against a stated 100").agrees
    True
    """

    agrees: bool
    explain: str


def _bounds(row: Any) -> tuple[float, float]:
    """The interval a row's value may stand for (an approximate value: ±1 % of itself).

    >>> _bounds({"qualifier": "at_least", "value": "20", "value_low": "20", "value_high": None})
    (20.0, inf)
    """
    v, lo, hi = (None if _na(row[c]) else float(row[c]) for c in ("value", "value_low", "value_high"))
    return Qualifier(str(row["qualifier"])).interval(v, lo, hi, approximate=0.01)


def _na(x: Any) -> bool:
    try:
        return x is None or bool(x != x) or str(x) == "<NA>"
    except (TypeError, ValueError):
        return True


def _rounding(value_text: str) -> float:
    """Half a unit of the last printed decimal digit: '41,2%' → 0.05, '5%' → 0.5."""
    m = re.search(r"\d+(?:[.,](\d+))?\s*%?\s*$", str(value_text).strip())
    if m and m.group(1) and not re.search(r"\d[ ,]\d{3}(?!\d)", str(value_text)):
        return 0.5 * 10 ** -len(m.group(1))
    return 0.5


def evaluate(kind: str, obs: Any, result: str, operands: list[str]) -> Verdict:
    """Does the stated ``result`` follow from the ``operands``?

    Parameters
    ----------
    kind : ``sum_of``, ``percent_of``, ``share_of`` or ``ratio_of``
    obs : observations indexed by obs_id (value, value_low, value_high, qualifier, value_text)
    result : the obs_id of the stated result
    operands : the obs_ids it is computed from

    Returns
    -------
    Verdict : whether it agrees, and the arithmetic shown.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"value": [60.0, 40.0, 100.0], "value_low": [None] * 3, "value_high": [None] * 3,
    ...                     "qualifier": ["exact"] * 3, "value_text": ["60", "40", "100"]}, index=["a", "b", "c"])
    >>> evaluate("sum_of", obs, "c", ["a", "b"])
    Verdict(agrees=True, explain='60 + 40 = 100 against a stated 100')
    """
    parts = [_bounds(obs.loc[o]) for o in operands]
    if kind == "sum_of":
        lo, hi = sum(p[0] for p in parts), sum(p[1] for p in parts)
        formula = " + ".join(str(obs.loc[o, "value_text"]) for o in operands)
    else:
        (a_lo, a_hi), (b_lo, b_hi) = parts[0], parts[1]
        scale = 100.0 if kind == "percent_of" else 1.0
        candidates = [scale * x / y for x in (a_lo, a_hi) for y in (b_lo, b_hi) if y not in (0, math.inf, -math.inf) and x not in (math.inf, -math.inf)]
        if any(x in (math.inf, -math.inf) for x in (a_lo, a_hi)):
            candidates += [math.inf if a_hi == math.inf else -math.inf]
        lo, hi = min(candidates), max(candidates)
        sign = {"percent_of": "100 x ", "share_of": "", "ratio_of": ""}[kind]
        formula = f"{sign}{obs.loc[operands[0], 'value_text']} / {obs.loc[operands[1], 'value_text']}"
    r_lo, r_hi = _bounds(obs.loc[result])
    text = str(obs.loc[result, "value_text"])
    if re.search(r"\d", text):
        tol = _rounding(text)
    else:  # words: "two-thirds" is a share to about ±0.05; "trebled", "thirty-three" are whole numbers
        tol = 0.05 if str(obs.loc[result, "unit"]) == "share" else 0.5
    if kind == "sum_of":
        tol = max(tol, 0.5)
    agrees = lo <= r_hi + tol and hi >= r_lo - tol
    got = f"{lo:.4g}" if lo == hi else f"{lo:.4g}..{hi:.4g}"
    q = str(obs.loc[result, "qualifier"])
    return Verdict(agrees, f"{formula} = {got} against a stated {obs.loc[result, 'value_text']}" + (f" ({q})" if q != "exact" else ""))
