"""Turn a transcriber's worksheet (JSON Lines) into observation rows with offsets.

A worksheet row carries what a person decides — the figure as printed, the quote, meaning,
value — and never offsets: :func:`place_rows` finds the quote in the source text and
computes ``char_start``, ``char_end`` and ``line`` (``soviet-figures add``). It also checks
the value against :func:`soviet_figures.numbers.parse` and reports what it cannot place.

Worksheet fields: ``value_text``, ``quote`` (verbatim, 20–400 characters, containing the
figure), optional ``occurrence`` (which appearance of ``value_text`` inside the quote,
1-based), ``topic``, ``measure``, ``description``, ``subject``, ``place``, ``period``,
``value``, ``value_low``, ``value_high``, ``qualifier``, ``unit``, ``page``, ``footnote``,
``cited_source``, ``attributed_to``, ``note``.

>>> text = "Rabochie otrabotali 250 — 300 chasov v 1936 g."
>>> rows, problems = place_rows(text, "en", [{"value_text": "250 — 300",
...     "quote": "otrabotali 250 — 300 chasov", "value_low": 250, "value_high": 300,
...     "qualifier": "range"}])
>>> rows[0]["char_start"], rows[0]["line"], problems
(20, 1, [])
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .locate import LocateError, locate
from .numbers import ParseError, parse

__all__ = ["read_worksheet", "place_rows", "value_problems"]


def read_worksheet(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON Lines worksheet; blank lines are skipped, a broken line is an error."""
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not valid JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise ValueError(f"{path}:{n}: expected a JSON object")
        row["_line"] = n
        rows.append(row)
    return rows


def _num(x: Any) -> float | None:
    if x is None or x == "":
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return math.nan
    return f


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def value_problems(row: dict[str, Any], lang: str | None) -> list[str]:
    """Disagreements between the row's value columns and what the parser reads.

    >>> value_problems({"value_text": "41,2%", "value": 41.2, "qualifier": "exact"}, "ru")
    []
    >>> value_problems({"value_text": "41,2%", "value": 4.12, "qualifier": "exact"}, "ru")
    ['value 4.12 but value_text parses to 41.2']
    """
    try:
        p = parse(str(row.get("value_text", "")), lang)
    except ParseError as exc:
        return [f"value_text does not parse: {exc}"]
    out = []
    q = row.get("qualifier")
    low, high = p.low, p.high
    if p.qualifier is None and p.value is not None:  # the qualifier word sits outside value_text
        low = p.value if q in {"more_than", "at_least"} else None
        high = p.value if q in {"less_than", "at_most"} else None
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


def place_rows(text: str, lang: str | None, rows: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Locate each worksheet row in ``text``; return placed rows and problems (one string each)."""
    placed, problems = [], []
    for row in rows:
        where = f"worksheet line {row.get('_line', '?')}"
        try:
            loc = locate(text, str(row.get("quote", "")), str(row.get("value_text", "")), int(row.get("occurrence") or 1))
        except (LocateError, ValueError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        out = {k: v for k, v in row.items() if not k.startswith("_") and k != "occurrence"}
        out.update(char_start=loc.char_start, char_end=loc.char_end, line=loc.line, value_text=loc.value_text)
        out["quote"] = " ".join(str(row["quote"]).split())
        for p in value_problems(out, lang):
            problems.append(f"{where} ({loc.value_text!r}): {p}")
        placed.append(out)
    return placed, problems
