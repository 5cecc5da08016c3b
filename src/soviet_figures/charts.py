"""Charts of the figures, as SVG drawn here (no library).

* :func:`series_of` — one chart per series of the ``series`` table (the counted figures of
  one subject, measure, unit, value kind and context family; disputed figures as hollow
  dashed marks that no line touches);
* :func:`over_time` — every figure of one subject and measure over time, each series its
  own group (a colour, a line of its own where it may have one), figures outside any series
  as marks only;
* :func:`profiles_of` — the figures one document gives for one measure of one kind in one
  context, side by side (not a time series);
* :func:`readme_chart` — the chart README shows.

Charts are honest. A line joins only the points of one series (one quantity at different
dates, as ``links`` declare it: :func:`soviet_figures.topics.declared_groups`), and only where joining
means something: levels, shares, rates and ratios; flows and durations only over periods
of one length; never changes or targets, never two figures of one period (parts, or
different quantities). The unit is on the value axis, which starts at 0 and has round
ticks. Ranges are bars from low to high, bounds open triangles pointing the way the bound
goes, approximate values open circles, a period a band from its start to its end.

In the SVG every series is a ``<g data-series="...">`` holding its marks (``data-obs``)
and its line; the line names the figures it joins (``data-joins``).

>>> pts = [{"obs_id": f"x-{i}", "subject": "Plant", "measure": "party_members", "unit": "persons", "value_kind": "level",
...         "context": "c", "period": p, "value": v, "value_low": None, "value_high": None, "qualifier": "exact",
...         "value_text": str(v), "doc_id": "x", "counted": "true"} for i, (p, v) in enumerate([("1929", 3133), ("1937-04-01", 3454)])]
>>> chart, = series_of(pts, [{"series_id": "plant:party_members", "obs_id": r["obs_id"]} for r in pts], labels={"party_members": "Party members"})
>>> chart.title, chart.groups[0].line
('Plant: Party members', ['x-0', 'x-1'])
>>> svg = chart_svg(chart)
>>> svg.count("<circle"), svg.count("<polyline"), 'data-series="plant:party_members"' in svg
(2, 1, True)
"""

from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import topics
from ._cells import cell_float, cell_str, is_missing
from .io.package import Package
from .qualifiers import POINTS, Qualifier

__all__ = [
    "README_CHART", "KIND_TEXT", "Group", "Chart", "period_span", "nice_ticks", "tick_label", "disputed_ids", "series_descriptions",
    "series_of", "over_time", "chart_svg", "profiles_of", "profile_svg", "readme_chart",
]

README_CHART = ("Krasnyi Putilovets (Kirov) plant party organisation", "party_members")

# what each value kind is, for a caption
KIND_TEXT = {
    "level": "level at a date", "flow": "flow over a period", "change": "change", "share": "share", "rate": "rate",
    "ratio": "ratio", "target": "target", "duration": "duration",
}
# kinds whose figures a line may join; flows and durations only over periods of one length
JOINED_KINDS = frozenset({"level", "share", "rate", "ratio"})
SPAN_KINDS = frozenset({"flow", "duration"})

COLOURS = ["#1a5fb4", "#c64600", "#26a269", "#813d9c", "#986a44", "#e01b24"]


@dataclass(frozen=True)
class Group:
    """The figures of one series in a chart (``series_id`` empty: figures outside any series).

    Parameters
    ----------
    series_id : the series' id, or ``""`` for figures outside any series
    label : the legend's name for the group
    points : the observation rows drawn
    line : the obs_ids the line joins, in order (empty: no line)

    Examples
    --------
    >>> g = Group("plant:party_members", "Party members", [{"obs_id": "x-0"}])
    >>> g.label, g.line
    ('Party members', [])
    """

    series_id: str
    label: str
    points: list[dict[str, Any]]
    line: list[str] = field(default_factory=list)  # the obs_ids the line joins, in order


@dataclass(frozen=True)
class Chart:
    """A chart: its title (names, never ids), unit, value kind, a note, and its groups.

    Parameters
    ----------
    title : the chart's title (names, never ids)
    unit : the unit of the value axis
    value_kind : the value kind of its figures (level, share, ...)
    groups : the :class:`Group` of each series drawn
    note : a note shown under the chart

    Examples
    --------
    >>> c = Chart("Plant: Party members", "persons", "level", [Group("s", "S", [{"obs_id": "x-0"}, {"obs_id": "x-1"}])])
    >>> c.obs_ids, c.note
    (['x-0', 'x-1'], '')
    """

    title: str
    unit: str
    value_kind: str
    groups: list[Group]
    note: str = ""

    @property
    def obs_ids(self) -> list[str]:
        """Every figure drawn, in order."""
        return [p["obs_id"] for g in self.groups for p in g.points]


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _counted(r: Mapping[str, Any]) -> bool:
    """``counted`` as a bool, whether the row holds ``"true"`` or True."""
    v = r.get("counted")
    if is_missing(v):
        return False
    return v.strip().lower() == "true" if isinstance(v, str) else bool(v)


# --- periods -------------------------------------------------------------------------------

def _edge(part: str, end: bool) -> dt.date:
    """The first day of an ISO date at its precision, or (``end``) the day after its last."""
    bits = [int(b) for b in part.split("-")]
    if len(bits) == 1:
        return dt.date(bits[0] + end, 1, 1)
    if len(bits) == 2:
        year, month = bits
        return dt.date(year + month // 12, month % 12 + 1, 1) if end else dt.date(year, month, 1)
    day = dt.date(*bits)
    return day + dt.timedelta(days=1) if end else day


def _dates(period: str) -> tuple[dt.date, dt.date]:
    a, _, b = period.partition("/")
    return _edge(a, False), _edge(b or a, True)


def _year(d: dt.date) -> float:
    first = dt.date(d.year, 1, 1)
    return d.year + (d - first).days / (dt.date(d.year + 1, 1, 1) - first).days


def period_span(period: str) -> tuple[float, float]:
    """A period as the years it covers, ``[start, end)`` in fractional years.

    Parameters
    ----------
    period : an ISO 8601 date or interval at any precision (``1929``, ``1929-10``, ``1937-04-01``, ``1928/1932``)

    Returns
    -------
    (float, float) : the start and the end (exclusive): ``1929`` covers 1929.0 to 1930.0

    Examples
    --------
    >>> period_span("1929"), period_span("1928/1932")
    ((1929.0, 1930.0), (1928.0, 1933.0))
    >>> [round(x, 3) for x in period_span("1929-10/1929-11")]
    [1929.748, 1929.915]
    """
    start, end = _dates(period)
    return _year(start), _year(end)


def _one_length(periods: Sequence[str]) -> bool:
    """Whether periods are of one length (a month and a month, five years and five years).

    >>> _one_length(["1928/1932", "1933/1937"]), _one_length(["1928/1931", "1931/1932"]), _one_length(["1936-01", "1936-02"])
    (True, False, True)
    """
    days = [(end - start).days for start, end in map(_dates, periods)]
    return max(days) - min(days) <= max(3, 0.03 * max(days))


# --- axes ----------------------------------------------------------------------------------

def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round ticks covering ``lo`` to ``hi``: steps of 1, 2, 2.5 or 5 × 10^k, about ``count`` of them.

    Parameters
    ----------
    lo, hi : the smallest and largest value to cover (``lo`` is 0 for counts)
    count : at most this many steps

    Returns
    -------
    list of float : from a multiple of the step at or below ``lo`` to one at or above ``hi``

    Examples
    --------
    >>> nice_ticks(0, 3454)
    [0.0, 1000.0, 2000.0, 3000.0, 4000.0]
    >>> nice_ticks(0, 0.77)
    [0.0, 0.2, 0.4, 0.6, 0.8]
    >>> nice_ticks(0, 370000)
    [0.0, 100000.0, 200000.0, 300000.0, 400000.0]
    """
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    span = hi - lo
    power = 10.0 ** math.floor(math.log10(span / count))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if span / (m * power) <= count)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    digits = max(0, -math.floor(math.log10(step)) + 2)
    return [round(k * step, digits) for k in range(first, last + 1)]


def tick_label(v: float, step: float) -> str:
    """An axis label with the decimals the step needs and no more: 220,000; 0.25; 2.5; 5.

    Parameters
    ----------
    v : the tick's value
    step : the distance between ticks (it says how many decimals the labels need)

    Returns
    -------
    str : thousands separated by commas, no trailing zeros

    Examples
    --------
    >>> [tick_label(v, 2.5) for v in (0, 2.5, 5.0)], tick_label(220000.0, 20000.0), tick_label(0.4, 0.2)
    (['0', '2.5', '5'], '220,000', '0.4')
    """
    decimals = max(0, -math.floor(math.log10(step)) + 1) if step < 1 or step % 1 else 0
    text = f"{v:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- which figures -------------------------------------------------------------------------

def series_descriptions(series_rows: Iterable[Mapping[str, Any]], links: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """What each series is, in words: the note of the first ``same_series_as`` link that
    declares it (say which quantity, and why its figures are one), for its chart's caption
    or legend, since two series may share subject, measure, unit and kind.

    Parameters
    ----------
    series_rows : rows of the ``series`` table (series_id, obs_id)
    links : rows of the ``links`` table

    Returns
    -------
    dict : series_id → description

    Examples
    --------
    >>> series_descriptions([{"series_id": "s", "obs_id": "a"}, {"series_id": "s", "obs_id": "b"}],
    ...                     [{"obs_id_a": "a", "obs_id_b": "b", "relation": "same_series_as", "note": "Women's share, 1928 and 1932."}])
    {'s': "Women's share, 1928 and 1932."}
    """
    sid_of = {cell_str(s["obs_id"]): cell_str(s["series_id"]) for s in series_rows}
    out: dict[str, str] = {}
    for link in links:
        sid = sid_of.get(cell_str(link["obs_id_a"]))
        if cell_str(link["relation"]) == "same_series_as" and sid and sid not in out:
            out[sid] = cell_str(link["note"])
    return out


def disputed_ids(observations: Iterable[Mapping[str, Any]], links: Iterable[Mapping[str, Any]]) -> set[str]:
    """The figures that dispute a counted one: not counted, not a repeat of a counted figure,
    and ``disagrees_with`` a counted figure (or a repeat of one). Drawn hollow, never joined.

    Parameters
    ----------
    observations : rows with ``obs_id`` and ``counted`` (``"true"``/``"false"`` or bool)
    links : rows of the ``links`` table (obs_id_a, obs_id_b, relation)

    Returns
    -------
    set of str : the obs_ids of the disputing figures

    Examples
    --------
    >>> obs = [{"obs_id": "a", "counted": "true"}, {"obs_id": "b", "counted": "false"}, {"obs_id": "c", "counted": "false"}]
    >>> links = [{"obs_id_a": "a", "obs_id_b": "b", "relation": "disagrees_with"}, {"obs_id_a": "a", "obs_id_b": "c", "relation": "same_quantity_as"},
    ...          {"obs_id_a": "c", "obs_id_b": "b", "relation": "disagrees_with"}]
    >>> sorted(disputed_ids(obs, links))
    ['b']
    """
    counted = {cell_str(r["obs_id"]): _counted(r) for r in observations}
    pairs = [(cell_str(x["obs_id_a"]), cell_str(x["obs_id_b"]), cell_str(x["relation"])) for x in links]
    parent = {o: o for o in counted}

    def root(o: str) -> str:
        while parent[o] != o:
            o = parent[o]
        return o

    for a, b, relation in pairs:
        if relation == "same_quantity_as" and a in parent and b in parent:
            parent[root(b)] = root(a)
    holds_counted = {root(o) for o, c in counted.items() if c}
    out = set()
    for a, b, relation in pairs:
        if relation != "disagrees_with" or a not in parent or b not in parent:
            continue
        for x, y in ((a, b), (b, a)):
            if root(x) not in holds_counted and root(y) in holds_counted:
                out.add(x)
    return out


def _point(r: Mapping[str, Any], disputed: bool) -> dict[str, Any]:
    period = cell_str(r.get("period"))
    x, x2 = period_span(period) if period else (math.nan, math.nan)
    return {
        "obs_id": cell_str(r["obs_id"]), "period": period, "x": x, "x2": x2, "value": cell_float(r.get("value")), "low": cell_float(r.get("value_low")),
        "high": cell_float(r.get("value_high")), "qualifier": cell_str(r.get("qualifier")), "value_text": cell_str(r.get("value_text")),
        "doc_id": cell_str(r.get("doc_id")), "subject": cell_str(r.get("subject")), "description": cell_str(r.get("description")), "disputed": disputed,
    }


def _line(points: Sequence[dict[str, Any]], kind: str) -> list[str]:
    """The obs_ids a series' line joins (none if it may not have one).

    >>> pts = [{"obs_id": i, "period": p, "qualifier": "exact", "value": 1.0, "disputed": False} for i, p in (("a", "1928/1931"), ("b", "1931/1932"))]
    >>> _line(pts, "flow"), _line(pts, "level"), _line(pts, "change")
    ([], ['a', 'b'], [])
    """
    if kind not in JOINED_KINDS | SPAN_KINDS:
        return []
    counted = [p for p in points if not p["disputed"]]
    periods = [p["period"] for p in counted]
    if len(set(periods)) != len(periods):  # two figures of one period: parts, or different quantities
        return []
    if kind in SPAN_KINDS and not _one_length(periods):
        return []
    joined = [p["obs_id"] for p in counted if p["qualifier"] in POINTS and p["value"] is not None]
    return joined if len(joined) > 1 else []


def _names(values: Iterable[str], names: Mapping[str, str] | None) -> str:
    """Labels of ids (context labels), each once, in order."""
    seen: list[str] = []
    for v in values:
        label = (names or {}).get(v, v)
        if label and label not in seen:
            seen.append(label)
    return "; ".join(seen)


def _label(measure: str, labels: Mapping[str, str] | None) -> str:
    return (labels or {}).get(measure) or measure.replace("_", " ").capitalize()


def _chart(groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]], disputed: Collection[str], labels: Mapping[str, str] | None,
           contexts: Mapping[str, str] | None, descriptions: Mapping[str, str] | None = None) -> Chart:
    """A chart of groups of rows of one subject, measure, unit and kind; a series' group is
    named by its description, and its contexts."""
    first = groups[0][1][0]
    kind = cell_str(first["value_kind"])
    out = []
    for sid, rows in groups:
        points = sorted((_point(r, cell_str(r["obs_id"]) in disputed and not _counted(r)) for r in rows), key=lambda p: (p["x"], p["x2"], p["obs_id"]))
        label = _names((cell_str(r.get("context")) for r in rows), contexts) if sid else "figures outside any series"
        if sid and (descriptions or {}).get(sid):
            label = f"{(descriptions or {})[sid]} ({label})"
        out.append(Group(sid, label, points, _line(points, kind) if sid else []))
    note = out[0].label if len(out) == 1 else ""
    return Chart(f"{cell_str(first['subject'])}: {_label(cell_str(first['measure']), labels)}", cell_str(first["unit"]), kind, out, note)


def series_of(rows: Iterable[Mapping[str, Any]], series_rows: Iterable[Mapping[str, Any]], *, disputed: Collection[str] = frozenset(),
              labels: Mapping[str, str] | None = None, contexts: Mapping[str, str] | None = None, descriptions: Mapping[str, str] | None = None,
              limit: int | None = None) -> list[Chart]:
    """One chart per series of the ``series`` table that has two counted figures.

    Parameters
    ----------
    rows : observations (dicts of cells: obs_id, subject, measure, unit, value_kind, context,
        period, value, value_low, value_high, qualifier, value_text, doc_id, counted)
    series_rows : rows of the ``series`` table (series_id, obs_id): the only grouping used
    disputed : obs_ids that dispute a counted figure (:func:`disputed_ids`): drawn hollow, never joined
    labels : measure id → label (``measures.label``), for titles
    contexts : context id → label (``contexts.label``), for notes
    descriptions : series id → what the series is (:func:`series_descriptions`), for notes and legends
    limit : at most this many charts (the largest first)

    Returns
    -------
    list of Chart : the counted figures of each series, and those that dispute them

    Examples
    --------
    >>> rows = [{"obs_id": f"g-{i}", "subject": "Graduates", "measure": "graduates", "unit": "persons", "value_kind": "flow", "context": "c",
    ...          "period": p, "value": v, "qualifier": "exact", "value_text": str(v), "doc_id": "g", "counted": True}
    ...         for i, (p, v) in enumerate([("1928/1932", 170000), ("1933/1937", 370000), ("1928/1931", 10000)])]
    >>> chart, = series_of(rows, [{"series_id": "s", "obs_id": "g-0"}, {"series_id": "s", "obs_id": "g-1"}])
    >>> chart.title, chart.obs_ids, chart.groups[0].line
    ('Graduates: Graduates', ['g-0', 'g-1'], ['g-0', 'g-1'])
    """
    by_id = {cell_str(r["obs_id"]): r for r in rows}
    members: dict[str, list[Mapping[str, Any]]] = {}
    for s in series_rows:
        r = by_id.get(cell_str(s["obs_id"]))
        if r is not None and (_counted(r) or cell_str(r["obs_id"]) in disputed):
            members.setdefault(cell_str(s["series_id"]), []).append(r)
    charts = [_chart([(sid, rs)], disputed, labels, contexts, descriptions) for sid, rs in members.items() if sum(map(_counted, rs)) >= 2]
    charts.sort(key=lambda c: (-len(c.obs_ids), c.title, c.groups[0].series_id))
    return charts[:limit]


def over_time(rows: Iterable[Mapping[str, Any]], series_rows: Iterable[Mapping[str, Any]], subject: str, measure: str, *,
              disputed: Collection[str] = frozenset(), labels: Mapping[str, str] | None = None, contexts: Mapping[str, str] | None = None,
              descriptions: Mapping[str, str] | None = None) -> list[Chart]:
    """Every dated figure of one subject and measure: a chart per unit and value kind with two
    figures or more, each series of the ``series`` table a group of its own.

    Figures of different context families or period lengths stay in different groups, each
    with its own line where it may have one; figures outside any series are marks only.

    Parameters
    ----------
    rows, series_rows, disputed, labels, contexts, descriptions : as for :func:`series_of`
    subject : the subject's name (``observations.subject``)
    measure : the measure's id

    Returns
    -------
    list of Chart : the largest first; empty when no unit and kind has two counted figures

    Examples
    --------
    >>> rows = [{"obs_id": f"m-{i}", "subject": "Plant", "measure": "party_members", "unit": "persons", "value_kind": "level", "context": c,
    ...          "period": p, "value": v, "qualifier": "exact", "value_text": str(v), "doc_id": "m", "counted": "true"}
    ...         for i, (p, v, c) in enumerate([("1926", 2000, "a"), ("1929", 3133, "b"), ("1937", 3454, "b")])]
    >>> chart, = over_time(rows, [{"series_id": "s:b", "obs_id": "m-1"}, {"series_id": "s:b", "obs_id": "m-2"}], "Plant", "party_members")
    >>> [(g.series_id, [p["obs_id"] for p in g.points], g.line) for g in chart.groups]
    [('s:b', ['m-1', 'm-2'], ['m-1', 'm-2']), ('', ['m-0'], [])]
    """
    sid_of = {cell_str(s["obs_id"]): cell_str(s["series_id"]) for s in series_rows}
    kinds: dict[tuple[str, str], dict[str, list[Mapping[str, Any]]]] = {}
    for r in rows:
        oid = cell_str(r["obs_id"])
        if r["subject"] == subject and r["measure"] == measure and cell_str(r.get("period")) and (_counted(r) or oid in disputed):
            kinds.setdefault((cell_str(r["unit"]), cell_str(r["value_kind"])), {}).setdefault(sid_of.get(oid, ""), []).append(r)
    charts = []
    for groups in kinds.values():
        if sum(_counted(r) for rs in groups.values() for r in rs) >= 2:
            ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", -len(kv[1]), kv[0]))
            charts.append(_chart(ordered, disputed, labels, contexts, descriptions))
    return sorted(charts, key=lambda c: -len(c.obs_ids))


# --- drawing -------------------------------------------------------------------------------

def _at_x(x: float, scale: Callable[[float], float], v: float) -> tuple[float, float]:
    """The point of value ``v`` on a vertical value axis at ``x``."""
    return x, scale(v)


def _at_y(y: float, scale: Callable[[float], float], v: float) -> tuple[float, float]:
    """The point of value ``v`` on a horizontal value axis at ``y``."""
    return scale(v), y


def _mark(p: dict[str, Any], at: Callable[[float], tuple[float, float]], vertical: bool, colour: str = COLOURS[0]) -> str:
    """One figure's mark; ``at(v)`` gives the (x, y) of value v on a value axis that runs up
    (``vertical``) or right. A range is a bar from low to high; a bound is an open triangle
    pointing the way the bound goes; an approximate value an open circle; an exact one a dot;
    a figure that disputes a counted one is hollow with a dashed outline."""
    tip = _e(f"{p['value_text']} ({p['qualifier'].replace('_', ' ')}{', disputes the counted figure' if p['disputed'] else ''}) — {p['obs_id']}")
    attrs = f'class="pt{" disputed" if p["disputed"] else ""}" tabindex="0" data-obs="{_e(p["obs_id"])}"'
    dash = ' stroke-dasharray="3 2"' if p["disputed"] else ""
    if p["qualifier"] == "range" and p["low"] is not None and p["high"] is not None:
        (x1, y1), (x2, y2) = at(p["low"]), at(p["high"])
        x, y, w, h = (x1 - 6, y2, 12, max(y1 - y2, 2)) if vertical else (x1, y1 - 5, max(x2 - x1, 2), 10)
        fill = 'fill="#fff"' if p["disputed"] else f'fill="{colour}" fill-opacity="0.35"'
        return f'<g {attrs}><title>{tip}</title><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" {fill} stroke="{colour}"{dash}/></g>'
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
        return f'<polygon {attrs} points="{points}" fill="#fff" stroke="{colour}" stroke-width="2"{dash}><title>{tip}</title></polygon>'
    fill = "#fff" if p["qualifier"] == "approximate" or p["disputed"] else colour
    return f'<circle {attrs} cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{colour}" stroke-width="2"{dash}><title>{tip}</title></circle>'


def _value_ticks(points: Iterable[dict[str, Any]]) -> list[float]:
    """Round ticks for the values (and range ends) of ``points``, from 0 unless a value is negative."""
    vals = [v for p in points for v in (p["value"], p["low"], p["high"]) if v is not None]
    return nice_ticks(min([0.0, *vals]), max([0.0, *vals]))


def _year_labels(y0: int, y1: int) -> list[int]:
    """The years to label on a time axis from ``y0`` to ``y1`` (exclusive): every one, or every 2nd, 5th, 10th."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (y1 - y0) / s <= 12)
    return [y for y in range(y0, y1) if y % step == 0]


def _legend(groups: Sequence[Group], left: int, top: int, room: int) -> list[str]:
    """A colour and a label per group (its contexts), cut to ``room`` characters."""
    out = []
    for i, g in enumerate(groups):
        label = g.label if len(g.label) <= room else g.label[: room - 1] + "…"
        y = top + 12 * i
        out.append(f'<circle cx="{left + 5}" cy="{y - 4}" r="4" fill="{COLOURS[i % len(COLOURS)]}"/><text x="{left + 14}" y="{y}" font-size="10">{_e(label)}</text>')
    return out


def _group_svg(g: Group, colour: str, X: Callable[[float], float], Y: Callable[[float], float]) -> str:
    """One series: its period bands, its line (if it has one) and its marks, in one ``<g data-series>``."""
    parts = [f'<g class="series" data-series="{_e(g.series_id)}">']
    for p in g.points:
        level = p["value"] if p["value"] is not None else p["low"]
        if p["x2"] - p["x"] > 1 / 12 and level is not None:
            parts.append(f'<line x1="{X(p["x"]):.1f}" x2="{X(p["x2"]):.1f}" y1="{Y(level):.1f}" y2="{Y(level):.1f}" stroke="{colour}" stroke-opacity="0.3" stroke-width="4"/>')
    if g.line:
        at = {p["obs_id"]: p for p in g.points}
        d = " ".join(f"{X((at[o]['x'] + at[o]['x2']) / 2):.1f},{Y(at[o]['value']):.1f}" for o in g.line)
        parts.append(f'<polyline points="{d}" data-joins="{_e(" ".join(g.line))}" fill="none" stroke="{colour}" stroke-opacity="0.5" stroke-width="1.5"/>')
    for p in g.points:
        parts.append(_mark(p, partial(_at_x, X((p["x"] + p["x2"]) / 2), Y), vertical=True, colour=colour))
    parts.append("</g>")
    return "".join(parts)


def chart_svg(chart: Chart, width: int = 520, height: int = 260) -> str:
    """A chart over time as SVG: x = time (a figure at the middle of its period, a band across
    it), y = value in the chart's unit from 0 with round ticks; each group a ``<g data-series>``.

    Parameters
    ----------
    chart : a chart from :func:`series_of` or :func:`over_time`
    width, height : the SVG's size in pixels (a legend of several groups adds to the height)

    Returns
    -------
    str : the SVG element

    Examples
    --------
    >>> p = {"obs_id": "x-1", "period": "1929", "x": 1929.0, "x2": 1930.0, "value": 3133.0, "low": None, "high": None,
    ...      "qualifier": "approximate", "value_text": "about 3133", "disputed": False}
    >>> svg = chart_svg(Chart("Plant: Party members", "persons", "level", [Group("s", "", [p])]))
    >>> 'fill="#fff"' in svg, ">3,000<" in svg, "<polyline" in svg
    (True, True, False)
    """
    points = [p for g in chart.groups for p in g.points]
    legend = len(chart.groups) > 1
    left, right, top, bottom = 64, 20, 14 + (12 * len(chart.groups) + 4 if legend else 0), 36
    height += top - 14
    x0, x1 = math.floor(min(p["x"] for p in points)), math.ceil(max(p["x2"] for p in points))
    ticks = _value_ticks(points)
    y0, y1 = ticks[0], ticks[-1]

    def X(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def Y(y: float) -> float:
        return top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(chart.title)}">']
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{Y(t):.1f}" y2="{Y(t):.1f}" stroke="#e6e6e6"/>')
        parts.append(f'<text x="{left - 4}" y="{Y(t) + 4:.1f}" font-size="10" text-anchor="end">{tick_label(t, ticks[1] - ticks[0])}</text>')
    parts.append(f'<line x1="{left}" y1="{Y(y0):.1f}" x2="{width - right}" y2="{Y(y0):.1f}" stroke="#444"/><line x1="{left}" y1="{top}" x2="{left}" y2="{Y(y0):.1f}" stroke="#444"/>')
    for year in range(x0, x1 + 1):
        parts.append(f'<line x1="{X(year):.1f}" x2="{X(year):.1f}" y1="{Y(y0):.1f}" y2="{Y(y0) + 4:.1f}" stroke="#444"/>')
    for year in _year_labels(x0, x1):
        parts.append(f'<text x="{X(year + 0.5):.1f}" y="{height - bottom + 15}" font-size="10" text-anchor="middle">{year}</text>')
    mid = top + (height - top - bottom) / 2
    parts.append(f'<text x="12" y="{mid:.0f}" font-size="11" transform="rotate(-90 12 {mid:.0f})" text-anchor="middle">{_e(chart.unit)}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" font-size="11" text-anchor="middle">year (a band spans a period)</text>')
    if legend:
        parts += _legend(chart.groups, left, 16, int((width - left - 14) / 5.4))
    for i, g in enumerate(chart.groups):
        parts.append(_group_svg(g, COLOURS[i % len(COLOURS)], X, Y))
    parts.append("</svg>")
    return "".join(parts)


# --- side by side --------------------------------------------------------------------------

def _distinct(texts: Sequence[str], suffix: bool = True) -> list[str]:
    """Each text without the words all of them begin with (and, with ``suffix``, end with).

    >>> _distinct(["Members expelled for drunkenness in 1929.", "Members expelled for concealing their class in 1929."])
    ['drunkenness', 'concealing their class']
    >>> _distinct(["Members expelled for drunkenness in 1929.", "Members expelled for theft in 1929."], suffix=False)
    ['drunkenness in 1929', 'theft in 1929']
    >>> _distinct(["Pay guaranteed (in some sectors) to workers.", "Pay guaranteed (in other sectors) to workers."], suffix=False)
    ['(in some sectors) to workers', '(in other sectors) to workers']
    """
    words = [t.rstrip(".").split() for t in texts]
    head = 0
    while all(len(w) > head for w in words) and len({w[head] for w in words}) == 1:
        head += 1
    while head and " ".join(words[0][:head]).count("(") > " ".join(words[0][:head]).count(")"):
        head -= 1  # never cut inside brackets
    tail = 0
    while suffix and all(len(w) > head + tail for w in words) and len({w[-1 - tail] for w in words}) == 1:
        tail += 1
    return [" ".join(w[head: len(w) - tail]) for w in words]


def _common_words(texts: Sequence[str]) -> int:
    """How many words all ``texts`` begin with."""
    return len(texts[0].split()) - len(_distinct(texts, suffix=False)[0].split()) if texts else 0


def _profile_labels(points: Sequence[dict[str, Any]], with_subject: bool) -> tuple[list[str], str]:
    """A label per figure, distinct as drawn (wrapped, perhaps cut), and what all share.

    Each figure is labelled by its subject (unless the title has it) and period; where those
    repeat, by its description (without the words all those descriptions begin with, when
    they are three or more; and if the descriptions cut short are still alike, by the words
    that tell them apart). A subject and period all share is said once (returned second).

    >>> pts = [{"subject": "S", "period": "1929", "description": d} for d in ("Expelled for drunkenness.", "Expelled for theft.")]
    >>> _profile_labels(pts, with_subject=False)
    (['Expelled for drunkenness.', 'Expelled for theft.'], '1929')
    """
    base = [" ".join(x for x in ((p["subject"] if with_subject else ""), p["period"] or "undated") if x) for p in points]
    common = ""
    if len(points) > 1 and len(set(base)) == 1:
        common, base = base[0], [""] * len(points)
    out = list(base)
    for label in set(base):
        same = [i for i, b in enumerate(base) if b == label]
        if len(same) > 1:
            texts = [points[i]["description"] for i in same]
            if _common_words(texts) >= 3:  # a long common beginning hides what differs
                texts = [t[:1].upper() + t[1:] for t in _distinct(texts, suffix=False)]
            full = [f"{label}: {t}" if label else t for t in texts]
            if len({tuple(_wrap(f)) for f in full}) < len(full):
                full = [f"{label}: {t}" if label else t for t in _distinct(texts)]
            for i, f in zip(same, full):
                out[i] = f
    drawn = [tuple(_wrap(x)) for x in out]
    for i, d in enumerate(drawn):  # still alike as drawn (identical descriptions): number them
        if drawn.count(d) > 1:
            out[i] = f"({drawn[: i + 1].count(d)}) {out[i]}"
    return out, common


def _wrap(label: str, width: int = 44, lines: int = 3) -> list[str]:
    """A label in at most ``lines`` lines of ``width`` characters; the last one ends in … if cut."""
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def profiles_of(rows: Iterable[Mapping[str, Any]], charted: Collection[str], generic: Collection[str] = frozenset(), *,
                disputed: Collection[str] = frozenset(), labels: Mapping[str, str] | None = None, contexts: Mapping[str, str] | None = None,
                documents: Mapping[str, str] | None = None, limit: int = 8) -> list[Chart]:
    """Figures one document gives for one measure, unit and value kind in one context, side by
    side (not a time series): counted figures and those that dispute them, two to fourteen.

    Parameters
    ----------
    rows : observations (as for :func:`series_of`, with description and char_start)
    charted : obs_ids already charted over time (left out here)
    generic : measures that gather unlike quantities (never charted)
    disputed, labels, contexts : as for :func:`series_of`
    documents : doc_id → a short name (author, year) for the note
    limit : at most this many charts (the largest first)

    Returns
    -------
    list of Chart : each with one group (``series_id`` empty) whose points carry a ``label``

    Examples
    --------
    >>> rows = [{"obs_id": f"e-{i}", "doc_id": "k", "subject": "Plant", "measure": "expelled", "unit": "persons", "value_kind": "flow",
    ...          "context": "purge", "period": "1929", "value": v, "qualifier": "exact", "value_text": str(v), "counted": "true",
    ...          "char_start": i, "description": d} for i, (v, d) in enumerate([(13, "Expelled for drunkenness."), (18, "Expelled for concealing origin.")])]
    >>> chart, = profiles_of(rows, charted=set())
    >>> chart.title, chart.note, [p["label"] for p in chart.groups[0].points]
    ('Plant: Expelled', '1929; purge; as k gives them', ['Expelled for drunkenness.', 'Expelled for concealing origin.'])
    """
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for r in rows:
        oid = cell_str(r["obs_id"])
        if oid in charted or r["measure"] in generic or not (_counted(r) or oid in disputed):
            continue
        if cell_float(r.get("value")) is None and cell_float(r.get("value_low")) is None:
            continue
        key = tuple(cell_str(r[k]) for k in ("doc_id", "measure", "unit", "value_kind", "context"))
        groups.setdefault(key, []).append(r)
    out = []
    for (doc_id, measure, unit, kind, context), rs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if not 2 <= sum(map(_counted, rs)) <= 14:
            continue
        points = [_point(r, cell_str(r["obs_id"]) in disputed and not _counted(r)) for r in sorted(rs, key=lambda r: int(cell_float(r.get("char_start")) or 0))]
        subjects = {p["subject"] for p in points}
        names, common = _profile_labels(points, with_subject=len(subjects) > 1)
        for p, label in zip(points, names):
            p["label"] = label
        title = f"{subjects.pop()}: {_label(measure, labels)}" if len(subjects) == 1 else _label(measure, labels)
        note = "; ".join(x for x in (common, (contexts or {}).get(context, context), f"as {(documents or {}).get(doc_id, doc_id)} gives them") if x)
        out.append(Chart(title, unit, kind, [Group("", "", points)], note))
        if len(out) == limit:
            break
    return out


def profile_svg(chart: Chart, width: int = 620) -> str:
    """Figures side by side as a dot plot: a row per figure, x = value in the chart's unit
    from 0 with round ticks; labels wrapped, never cut into duplicates.

    Parameters
    ----------
    chart : a chart from :func:`profiles_of`
    width : the SVG's width in pixels (the height follows from the labels)

    Returns
    -------
    str : the SVG element

    Examples
    --------
    >>> pts = [{"obs_id": f"x-{i}", "label": f"Shop {i}", "value": v, "low": None, "high": None, "qualifier": "exact",
    ...         "value_text": str(v), "disputed": False} for i, v in enumerate([2.0, 7.0])]
    >>> svg = profile_svg(Chart("Shops", "persons", "level", [Group("", "", pts)]))
    >>> svg.count("<circle"), ">Shop 1<" in svg, ">8<" in svg
    (2, True, True)
    """
    points = chart.groups[0].points
    left, right, top, bottom = 270, 28, 10, 34
    wrapped = [_wrap(p["label"]) for p in points]
    rows_h = [max(22, 12 * len(w) + 8) for w in wrapped]
    height = top + sum(rows_h) + bottom
    ticks = _value_ticks(points)
    x0, x1 = ticks[0], ticks[-1]

    def X(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(chart.title)}">']
    base = top + sum(rows_h)
    for t in ticks:
        parts.append(f'<line x1="{X(t):.1f}" x2="{X(t):.1f}" y1="{top}" y2="{base}" stroke="#e6e6e6"/>')
        parts.append(f'<text x="{X(t):.1f}" y="{base + 13}" font-size="10" text-anchor="middle">{tick_label(t, ticks[1] - ticks[0])}</text>')
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#444"/>')
    parts.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" font-size="11" text-anchor="middle">{_e(chart.unit)}</text>')
    parts.append('<g class="series" data-series="">')
    y = top
    for p, lines, h in zip(points, wrapped, rows_h):
        cy = y + h / 2
        first = cy + 4 - 6 * (len(lines) - 1)
        spans = "".join(f'<tspan x="{left - 8}" y="{first + 12 * k:.1f}">{_e(line)}</tspan>' for k, line in enumerate(lines))
        parts.append(f'<text font-size="10" text-anchor="end">{spans}</text>')
        parts.append(_mark(p, partial(_at_y, cy, X), vertical=False))
        y += h
    parts.append("</g></svg>")
    return "".join(parts)


# --- README --------------------------------------------------------------------------------

def readme_chart(observations: list[dict[str, str]]) -> str:
    """The chart README shows: the plant party organisation's membership over time, each
    series of it (by context family) a group of its own.

    Parameters
    ----------
    observations : rows of observations as dicts of strings, with ``counted``, ``value_kind``
        and ``context`` (as ``derive`` computes them)

    Returns
    -------
    str : the SVG, ending in a newline

    Examples
    --------
    >>> from soviet_figures.io.package import Package
    >>> svg = readme_chart(Package.open(None).rows("observations"))
    >>> svg.startswith("<svg"), 'aria-label="Krasnyi Putilovets (Kirov) plant party organisation: Party members' in svg
    (True, True)
    """
    pkg = Package.open(None)
    contexts = pkg.rows("contexts")
    links = pkg.rows("links")
    members = topics.series_rows(observations, contexts, pkg.rows("subjects"), links)
    chart, *_ = over_time(
        observations, members, *README_CHART, disputed=disputed_ids(observations, links),
        labels={m["id"]: m["label"] for m in pkg.rows("measures")}, contexts={c["context_id"]: c["label"] for c in contexts},
        descriptions=series_descriptions(members, links),
    )
    return chart_svg(chart, width=640, height=300) + "\n"
