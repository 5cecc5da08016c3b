"""Charts of the figures, as SVG drawn here (no library): a series over time, and the
figures one document gives for a measure side by side.

Charts are honest: one chart per subject, measure and unit (never two subjects on one
line); the unit on the value axis; ranges drawn as bars from low to high, bounds as open
triangles pointing the way the bound goes, approximate values as open circles.

>>> svg = chart_svg("Members", "persons", [{"obs_id": "x-0001", "x": 1929, "x2": 1929, "value": 3133.0,
...     "low": None, "high": None, "qualifier": "exact", "value_text": "3133", "doc_id": "x"}])
>>> svg.count("<circle"), "persons" in svg
(1, True)
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Collection
from functools import partial
from typing import Any

from .qualifiers import POINTS, Qualifier

__all__ = ["SERIES_MEASURES", "README_CHART", "series_of", "chart_svg", "profiles_of", "profile_svg", "readme_chart"]

README_CHART = ("Krasnyi Putilovets (Kirov) plant party organisation", "party_members")

# measures whose rows for one subject form a series over time; generic measures ("count",
# "share", "duration" …) gather unlike quantities and are listed, never charted
SERIES_MEASURES = {
    "party_members", "party_full_members", "party_candidates", "party_admissions", "party_saturation",
    "primary_party_organisations", "komsomol_members", "party_members_examined", "party_members_expelled",
    "expulsion_rate", "persons_arrested", "persons_convicted", "persons_executed", "persons_repressed",
    "students", "persons_trained", "graduates", "promotees", "persons_mobilised", "workforce", "stakhanovites",
    "hires_and_quits", "labour_turnover", "overtime", "injuries", "output", "defective_output", "plan_target",
    "plan_fulfilment", "productivity", "wages", "military_personnel", "population",
}


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _tick(v: float) -> str:
    """An axis label: 220,000 rather than 2.2e+05; 0.55 rather than 0.5500."""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _num(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def series_of(rows: list[dict[str, Any]], limit: int = 6) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Chartable series: (title, unit, points), one per subject + measure + unit with 2+ dated points."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if r["year_start"] is None or r["measure"] not in SERIES_MEASURES:
            continue
        groups.setdefault((r["subject"], r["measure"], r["unit"]), []).append(r)
    out = []
    for (subject, measure, unit), pts in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(pts) < 2:
            continue
        points = [
            {"obs_id": p["obs_id"], "x": int(p["year_start"]), "x2": int(p["year_end"]), "value": _num(p["value"]), "low": _num(p["value_low"]),
             "high": _num(p["value_high"]), "qualifier": p["qualifier"], "value_text": p["value_text"], "doc_id": p["doc_id"]}
            for p in sorted(pts, key=lambda p: (p["year_start"], p["obs_id"]))
        ]
        out.append((f"{subject}: {measure.replace('_', ' ')}", unit, points))
        if len(out) == limit:
            break
    return out


def _at_x(x: float, scale: Callable[[float], float], v: float) -> tuple[float, float]:
    """The point of value ``v`` on a vertical value axis at ``x``."""
    return x, scale(v)


def _at_y(y: float, scale: Callable[[float], float], v: float) -> tuple[float, float]:
    """The point of value ``v`` on a horizontal value axis at ``y``."""
    return scale(v), y


def _mark(p: dict[str, Any], at: Callable[[float], tuple[float, float]], vertical: bool) -> str:
    """One figure's mark; ``at(v)`` gives the (x, y) of value v on a value axis that runs up
    (``vertical``) or right. A range is a bar from low to high; a bound is an open triangle
    pointing the way the bound goes; an approximate value an open circle; an exact one a dot."""
    tip = _e(f"{p['value_text']} ({p['qualifier']}) — {p['obs_id']}")
    attrs = f'class="pt" tabindex="0" data-obs="{_e(p["obs_id"])}"'
    if p["qualifier"] == "range" and p["low"] is not None and p["high"] is not None:
        (x1, y1), (x2, y2) = at(p["low"]), at(p["high"])
        x, y, w, h = (x1 - 6, y2, 12, max(y1 - y2, 2)) if vertical else (x1, y1 - 5, max(x2 - x1, 2), 10)
        return f'<g {attrs}><title>{tip}</title><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#1a5fb4" fill-opacity="0.35" stroke="#1a5fb4"/></g>'
    if p["value"] is None:
        return ""
    x, y = at(p["value"])
    q = Qualifier(p["qualifier"])
    if q.is_bound:
        sign = 1 if q.is_lower_bound else -1
        dx, dy = (0, -sign) if vertical else (sign, 0)  # towards larger values, or smaller
        px, py = -dy, dx
        pts = [(x + 7 * dx, y + 7 * dy), (x - 5 * dx + 6 * px, y - 5 * dy + 6 * py), (x - 5 * dx - 6 * px, y - 5 * dy - 6 * py)]
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        return f'<polygon {attrs} points="{points}" fill="#fff" stroke="#1a5fb4" stroke-width="2"><title>{tip}</title></polygon>'
    fill = "#fff" if p["qualifier"] == "approximate" else "#1a5fb4"
    return f'<circle {attrs} cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="#1a5fb4" stroke-width="2"><title>{tip}</title></circle>'


def chart_svg(title: str, unit: str, points: list[dict[str, Any]], width: int = 520, height: int = 260) -> str:
    """One series as SVG: x = year, y = value in ``unit``; ranges as bars, bounds as triangles."""
    left, right, top, bottom = 62, 14, 14, 36
    xs = [p["x"] for p in points] + [p["x2"] for p in points]
    ys = [v for p in points for v in (p["value"], p["low"], p["high"]) if v is not None]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y1 = max(ys) * 1.1 if ys and max(ys) > 0 else 1.0
    y0 = min(0.0, min(ys)) if ys else 0.0

    def X(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def Y(y: float) -> float:
        return top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">']
    parts.append(f'<line x1="{left}" y1="{Y(y0):.1f}" x2="{width - right}" y2="{Y(y0):.1f}" stroke="#444"/><line x1="{left}" y1="{top}" x2="{left}" y2="{Y(y0):.1f}" stroke="#444"/>')
    for k in range(5):
        yv = y0 + (y1 - y0) * k / 4
        parts.append(f'<text x="{left - 4}" y="{Y(yv) + 4:.1f}" font-size="10" text-anchor="end">{_tick(yv)}</text>')
    for year in range(math.ceil(x0), math.floor(x1) + 1):
        parts.append(f'<text x="{X(year):.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle">{year}</text>')
    parts.append(f'<text x="12" y="{top + (height - top - bottom) / 2:.0f}" font-size="11" transform="rotate(-90 12 {top + (height - top - bottom) / 2:.0f})" text-anchor="middle">{_e(unit)}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" font-size="11" text-anchor="middle">year</text>')
    exact = [p for p in points if p["qualifier"] in POINTS and p["value"] is not None]
    years = [(p["x"], p["x2"]) for p in points]
    # a line only where it is a series: one subject, one measure, one unit, one figure per period
    if len(exact) > 1 and len(set(years)) == len(years):
        d = " ".join(f"{X((p['x'] + p['x2']) / 2):.1f},{Y(p['value']):.1f}" for p in exact)
        parts.append(f'<polyline points="{d}" fill="none" stroke="#99c1f1" stroke-width="1.5"/>')
    for p in points:
        cx = X((p["x"] + p["x2"]) / 2)
        if p["x2"] != p["x"]:
            level = Y(p["value"] if p["value"] is not None else p["low"])
            parts.append(f'<line x1="{X(p["x"]):.1f}" x2="{X(p["x2"]):.1f}" y1="{level:.1f}" y2="{level:.1f}" stroke="#1a5fb4" stroke-opacity="0.4" stroke-width="4"/>')
        parts.append(_mark(p, partial(_at_x, cx, Y), vertical=True))
    parts.append("</svg>")
    return "".join(parts)


def readme_chart(observations: list[dict[str, str]]) -> str:
    """The chart README shows: the plant party organisation's membership (from CSV rows)."""
    subject, measure = README_CHART
    rows = []
    for r in observations:
        if r["subject"] == subject and r["measure"] == measure and r["year_start"]:
            rows.append({**r, "year_start": int(r["year_start"]), "year_end": int(r["year_end"])})
    (title, unit, points), = series_of(rows, limit=1)
    return chart_svg(title, unit, points, width=640, height=300) + "\n"


def profiles_of(rows: list[dict[str, Any]], charted: Collection[str], generic: Collection[str] = frozenset(), limit: int = 8) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Figures one document gives for one measure and unit, side by side (not a time series);
    ``generic`` measures (topic ``other`` in measures: count, share, duration …) gather unlike
    quantities and are not charted."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if r["obs_id"] in charted or r["measure"] in generic:
            continue
        groups.setdefault((r["doc_id"], r["measure"], r["unit"]), []).append(r)
    out = []
    for (doc_id, measure, unit), pts in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if not 2 <= len(pts) <= 14:
            continue
        points = [
            {"obs_id": p["obs_id"], "label": f"{p['subject']}{' ' + str(p['period']) if p['period'] else ''}", "value": _num(p["value"]),
             "low": _num(p["value_low"]), "high": _num(p["value_high"]), "qualifier": p["qualifier"], "value_text": p["value_text"]}
            for p in sorted(pts, key=lambda p: p["char_start"])
        ]
        out.append((f"{doc_id}: {measure.replace('_', ' ')}", unit, points))
        if len(out) == limit:
            break
    return out


def profile_svg(title: str, unit: str, points: list[dict[str, Any]], width: int = 520) -> str:
    """One measure across subjects as a dot plot: a row per figure, x = value in ``unit``."""
    left, right, top, row_h = 230, 16, 10, 22
    height = top + row_h * len(points) + 34
    vals = [v for p in points for v in (p["value"], p["low"], p["high"]) if v is not None]
    x0, x1 = min(0.0, min(vals)), (max(vals) * 1.1 if max(vals) > 0 else 1.0)

    def X(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(title)}">']
    base = top + row_h * len(points)
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#444"/>')
    for k in range(5):
        xv = x0 + (x1 - x0) * k / 4
        parts.append(f'<text x="{X(xv):.1f}" y="{base + 13}" font-size="10" text-anchor="middle">{_tick(xv)}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" font-size="11" text-anchor="middle">{_e(unit)}</text>')
    for i, p in enumerate(points):
        cy = top + row_h * i + row_h / 2
        label = p["label"] if len(p["label"]) <= 38 else p["label"][:37] + "…"
        parts.append(f'<text x="{left - 6}" y="{cy + 4:.1f}" font-size="10" text-anchor="end">{_e(label)}</text>')
        parts.append(_mark(p, partial(_at_y, cy, X), vertical=False))
    parts.append("</svg>")
    return "".join(parts)
