"""Does a row's value agree with the figure as printed? (``value-parses``)

The number parser (:func:`soviet_figures.text.numbers.parse`) reads ``value_text``; the
row's ``value``, ``value_low``, ``value_high`` and ``qualifier`` must be what it reads.
``soviet-figures add`` refuses a worksheet row that disagrees; the validator reports it.

>>> value_problems({"value_text": "41,2%", "value": 41.2, "qualifier": "exact"}, "ru")
[]
>>> value_problems({"value_text": "41,2%", "value": 4.12, "qualifier": "exact"}, "ru")
['value 4.12 but value_text parses to 41.2']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..errors import ParseError
from ..qualifiers import Qualifier
from ..text.numbers import parse

__all__ = ["value_problems", "unit_problem"]

# a fraction of one of these is a quantity in it ("half an hour": 0.5 hours), not a share
_MEASURE_UNITS = {"tonnes", "roubles", "hours", "days", "months", "years", "square_metres", "minutes", "kopecks", "grams", "kilograms", "kilocalories", "weeks", "kilometres"}
_UNIT_OF_HINT = {"percent": {"percent"}, "percentage_points": {"percentage_points"}, "ratio": {"ratio"}, "share": {"share"}}


def _num(x: Any) -> float | None:
    if x is None or x == "":
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def value_problems(row: Mapping[str, Any], lang: str | None) -> list[str]:
    """Disagreements between a row's value columns and what the parser reads.

    Parameters
    ----------
    row : ``value_text``, ``value``, ``value_low``, ``value_high``, ``qualifier``
    lang : the document's language (``ru`` reads ``41,2`` as 41.2)

    Returns
    -------
    list of str : one message per disagreement; empty when the row agrees.

    Examples
    --------
    >>> value_problems({"value_text": "over 1,000", "value": 1000, "value_low": 1000, "qualifier": "more_than"}, "en")
    []
    """
    try:
        p = parse(str(row.get("value_text", "")), lang)
    except ParseError as exc:
        return [f"value_text does not parse: {exc}"]
    out = []
    q = row.get("qualifier")
    low, high = p.low, p.high
    if p.qualifier is None and p.value is not None:  # the qualifier word sits outside value_text
        known = q if q in {x.value for x in Qualifier} else None
        _, low, high = Qualifier(known).stored(p.value) if known and known != "range" else (None, None, None)
    for col, parsed in (("value", p.value), ("value_low", low), ("value_high", high)):
        got = _num(row.get(col))
        if got is not None and math.isnan(got):
            out.append(f"{col} is not a number: {row.get(col)!r}")
        elif not _close(got, parsed):
            out.append(f"{col} {got} but value_text parses to {parsed}")
    if p.qualifier == "range" and q != "range":
        out.append(f"qualifier {q!r} but value_text is a range")
    elif p.qualifier is not None and p.qualifier != "range" and q != p.qualifier:
        out.append(f"qualifier {q!r} but value_text says {p.qualifier!r}")
    return out


def unit_problem(value_text: str, unit: str | None, lang: str | None) -> str | None:
    """Whether ``unit`` contradicts what the printed figure says it is: a percent sign or
    word (percent), a multiple (ratio), a bare fraction (share).

    Examples
    --------
    >>> unit_problem("20%", "persons", "en")
    "unit 'persons' but the printed figure '20%' is a percent"
    >>> unit_problem("треть", "percent", "ru")
    "unit 'percent' but the printed figure 'треть' is a share"
    >>> unit_problem("half an hour", "hours", "en") is None
    True
    """
    if not unit:
        return None
    try:
        hint = parse(value_text, lang).unit_hint
    except ParseError:
        return None  # value-parses says so
    if hint is None or unit in _UNIT_OF_HINT.get(hint, {unit}) or (hint == "share" and unit in _MEASURE_UNITS):
        return None
    return f"unit {unit!r} but the printed figure {value_text!r} is a {hint.replace('_', ' ')}"
