"""A static, offline site of the data: ``soviet-figures site --out DIR``.

* ``index.html`` — the tables with row counts, the documents with ledger coverage;
* ``<topic>.html`` — one page per topic table: charts of its main series (SVG, drawn here,
  no library) and its rows, sortable and filterable;
* ``doc-<doc_id>.html`` — one page per document: its figures in text order with quotes.

Every chart point and every row shows, on click (or Enter), the figure as printed, its quote
and its citation, with a link to its row. Charts are honest: one chart per subject, measure
and unit (never two subjects on one line); the unit on the y axis; ranges drawn as bars from
low to high, bounds as open triangles pointing the way the bound goes, approximate values as
open circles. Nothing is fetched from the network: CSS and JavaScript are inline.

>>> svg = chart_svg("Members", "persons", [{"obs_id": "x-0001", "x": 1929, "x2": 1929, "value": 3133.0,
...     "low": None, "high": None, "qualifier": "exact", "value_text": "3133", "doc_id": "x"}])
>>> svg.count("<circle"), "persons" in svg
(1, True)
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from . import __version__, tableschema

__all__ = ["build_site", "chart_svg", "series_of", "profile_svg", "profiles_of", "readme_chart"]

README_CHART = ("Krasnyi Putilovets (Kirov) plant party organisation", "party_members")

CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header,main{max-width:1100px;margin:0 auto;padding:0 16px}
header{border-bottom:1px solid #ccc;margin-bottom:12px}
a{color:#1a5fb4}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee;cursor:pointer;position:sticky;top:0}
tr.sel{background:#fff3bf}
tr.obs{cursor:pointer}
.charts{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;background:#fff;border:1px solid #ddd;padding:6px}
figcaption{font-size:13px;font-weight:600}
svg .pt{cursor:pointer}
svg .pt:focus,svg .pt:hover{stroke:#e01b24;stroke-width:3}
#detail{position:fixed;right:12px;bottom:12px;max-width:420px;background:#fff;border:2px solid #1a5fb4;padding:10px;font-size:13px;display:none;box-shadow:0 2px 8px #0003}
#detail .v{font-size:18px;font-weight:700}
#filter{width:320px;padding:4px;margin:8px 0}
.quote{font-style:italic}
"""

JS = r"""
const DATA = JSON.parse(document.getElementById('obs-data').textContent);
function show(id){
  const r = DATA[id]; if(!r) return;
  const d = document.getElementById('detail');
  d.innerHTML = '';
  const v = document.createElement('div'); v.className='v'; v.textContent = r.value_text + ' (' + r.unit + ')'; d.appendChild(v);
  const desc = document.createElement('div'); desc.textContent = r.description; d.appendChild(desc);
  const q = document.createElement('p'); q.className='quote'; q.textContent = '“' + r.quote + '”'; d.appendChild(q);
  const c = document.createElement('p'); c.className='cite'; c.textContent = r.cite; d.appendChild(c);
  const a = document.createElement('a'); a.href = r.href; a.textContent = 'row ' + id; d.appendChild(a);
  d.style.display = 'block';
  document.querySelectorAll('tr.sel').forEach(t => t.classList.remove('sel'));
  const row = document.getElementById('obs-' + id); if(row) row.classList.add('sel');
}
document.querySelectorAll('[data-obs]').forEach(el => {
  el.addEventListener('click', () => show(el.dataset.obs));
  el.addEventListener('keydown', e => { if(e.key === 'Enter') show(el.dataset.obs); });
});
const f = document.getElementById('filter');
if(f){ f.addEventListener('input', () => {
  const t = f.value.toLowerCase();
  document.querySelectorAll('#rows tbody tr').forEach(tr => { tr.style.display = tr.textContent.toLowerCase().includes(t) ? '' : 'none'; });
});}
document.querySelectorAll('#rows th').forEach((th, i) => th.addEventListener('click', () => {
  const tb = document.querySelector('#rows tbody'); const rows = Array.from(tb.rows);
  const dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
  const key = r => { const s = r.cells[i].textContent; const n = parseFloat(s); return isNaN(n) ? s : n; };
  rows.sort((a, b) => { const x = key(a), y = key(b); return (x > y ? 1 : x < y ? -1 : 0) * dir; });
  rows.forEach(r => tb.appendChild(r));
}));
"""

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

SHOWN = ["obs_id", "subject", "period", "measure", "value_text", "value", "value_low", "value_high", "qualifier", "unit", "description"]


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _page(title: str, body: str, data: dict[str, Any]) -> str:
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width\"><title>{_e(title)} — soviet-figures</title>"
        f"<style>{CSS}</style></head><body><header><p><a href=\"index.html\">soviet-figures {__version__}</a></p>"
        f"<h1>{_e(title)}</h1></header><main>{body}</main><div id=\"detail\" role=\"dialog\"></div>"
        f"<script type=\"application/json\" id=\"obs-data\">{payload}</script><script>{JS}</script></body></html>\n"
    )


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


def _mark(p: dict[str, Any], at: Any, vertical: bool) -> str:
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
    if p["qualifier"] in {"more_than", "at_least", "less_than", "at_most"}:
        sign = 1 if p["qualifier"] in {"more_than", "at_least"} else -1
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
    exact = [p for p in points if p["qualifier"] in {"exact", "approximate"} and p["value"] is not None]
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
        parts.append(_mark(p, lambda v, cx=cx: (cx, Y(v)), vertical=True))
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


def profiles_of(rows: list[dict[str, Any]], charted: set[str], generic: set[str] = frozenset(), limit: int = 8) -> list[tuple[str, str, list[dict[str, Any]]]]:
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
        parts.append(_mark(p, lambda v, cy=cy: (X(v), cy), vertical=False))
    parts.append("</svg>")
    return "".join(parts)


def _records(df: Any) -> list[dict[str, Any]]:
    return [{k: (None if v is None or (not isinstance(v, str) and v != v) or str(v) == "<NA>" else v) for k, v in r.items()} for r in df.astype(object).to_dict("records")]


def build_site(out: Path) -> list[Path]:
    """Write the site into ``out``; return the pages written."""
    from .citation import format_citation
    from .loader import load

    out.mkdir(parents=True, exist_ok=True)
    docs = {d["doc_id"]: d for d in _records(load("documents"))}
    obs = _records(load("observations"))
    mentions = _records(load("mentions"))
    cites = {r["obs_id"]: format_citation(r, docs[r["doc_id"]]) for r in obs}
    generic = {m["id"] for m in _records(load("measures")) if m["topic"] == "other"}
    written = []

    def detail(rows: list[dict[str, Any]], page: str) -> dict[str, Any]:
        return {r["obs_id"]: {"value_text": r["value_text"], "unit": r["unit"], "description": r["description"], "quote": r["quote"],
                              "cite": cites[r["obs_id"]], "href": f"{page}#obs-{r['obs_id']}"} for r in rows}

    def rows_table(rows: list[dict[str, Any]]) -> str:
        head = "".join(f"<th>{_e(c)}</th>" for c in SHOWN)
        body = "".join(
            f'<tr class="obs" id="obs-{_e(r["obs_id"])}" data-obs="{_e(r["obs_id"])}" tabindex="0">' + "".join(f"<td>{_e(r[c])}</td>" for c in SHOWN) + "</tr>"
            for r in rows
        )
        return f'<input id="filter" placeholder="filter rows…" aria-label="filter rows"><table id="rows"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    # index
    topic_names = {t["name"] for t in tableschema.topic_tables()}

    def table_cell(n: str) -> str:
        return f'<a href="{n}.html">{_e(n)}</a>' if n in topic_names else _e(n)

    t_rows = "".join(
        f"<tr><td>{table_cell(n)}</td><td>{len(load(n))}</td><td>{_e(tableschema.load_schema(n).get('description', ''))}</td></tr>"
        for n in tableschema.table_names()
    )
    d_rows = ""
    for doc_id, d in docs.items():
        mine = [m for m in mentions if m["doc_id"] == doc_id]
        classified = sum(1 for m in mine if m["status"])
        n_obs = sum(1 for r in obs if r["doc_id"] == doc_id)
        cover = f"{100 * classified / len(mine):.0f}%" if mine else "–"
        d_rows += f'<tr><td><a href="doc-{_e(doc_id)}.html">{_e(doc_id)}</a></td><td>{_e(d["authors"] or "author not confirmed")}</td><td>{_e(d["title"] or d["summary"][:90])}</td><td>{n_obs}</td><td>{len(mine)}</td><td>{cover}</td></tr>'
    body = (
        "<p>Every figure quoted as a fact in five works on Soviet history, 1926–1941, with the sentence it came from. "
        "Click a point or a row to see its quote and citation.</p>"
        f"<h2>Tables</h2><table><thead><tr><th>table</th><th>rows</th><th>what it is</th></tr></thead><tbody>{t_rows}</tbody></table>"
        f"<h2>Documents</h2><table><thead><tr><th>document</th><th>authors</th><th>title</th><th>figures</th><th>numeric mentions</th><th>ledger coverage</th></tr></thead><tbody>{d_rows}</tbody></table>"
    )
    (out / "index.html").write_text(_page("Figures quoted in five works on Soviet history, 1926–1941", body, {}), encoding="utf-8")
    written.append(out / "index.html")
    # topic pages
    for t in tableschema.topic_tables():
        rows = _records(load(t["name"]))
        page = f"{t['name']}.html"
        series = series_of(rows)
        charted = {p["obs_id"] for _, _, pts in series for p in pts}
        charts = "".join(
            f"<figure><figcaption>{_e(title)} ({_e(unit)})</figcaption>{chart_svg(title, unit, pts)}</figure>" for title, unit, pts in series
        ) + "".join(
            f"<figure><figcaption>{_e(title)} ({_e(unit)}), side by side</figcaption>{profile_svg(title, unit, pts)}</figure>"
            for title, unit, pts in profiles_of(rows, charted, generic)
        )
        legend = ("<p>Over time: one chart per subject, measure and unit. Side by side: the figures one document gives for one measure. "
                  "● exact · ○ approximate · △ ▷ more than / at least · ▽ ◁ less than / at most · bar = range; a horizontal band spans a period.</p>")
        body = f"<p>{_e(t['description'])}</p><p><em>Question it answers:</em> {_e(t['question'])}</p><h2>Charts</h2>{legend}<div class=\"charts\">{charts}</div><h2>Rows ({len(rows)})</h2>{rows_table(rows)}"
        (out / page).write_text(_page(t["title"], body, detail(rows, page)), encoding="utf-8")
        written.append(out / page)
    # document pages
    for doc_id, d in docs.items():
        rows = sorted((r for r in obs if r["doc_id"] == doc_id), key=lambda r: r["char_start"])
        page = f"doc-{doc_id}.html"
        items = "".join(
            f'<li id="obs-{_e(r["obs_id"])}" data-obs="{_e(r["obs_id"])}" tabindex="0"><b>{_e(r["value_text"])}</b> — {_e(r["description"])} '
            f'<span class="quote">“{_e(r["quote"])}”</span> <small>(line {r["line"]}{", p. " + str(r["page"]) if r["page"] else ""})</small></li>'
            for r in rows
        )
        body = f"<p>{_e(d['summary'])}</p><ol>{items}</ol>"
        (out / page).write_text(_page(d["title"] or doc_id, body, detail(rows, page)), encoding="utf-8")
        written.append(out / page)
    return written
