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
from pathlib import Path
from typing import Any

from . import __version__, tableschema
from .charts import chart_svg, profile_svg, profiles_of, series_of
from .citation import format_citation
from .loader import load

__all__ = ["build_site"]

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


def _records(df: Any) -> list[dict[str, Any]]:
    return [{k: (None if v is None or (not isinstance(v, str) and v != v) or str(v) == "<NA>" else v) for k, v in r.items()} for r in df.astype(object).to_dict("records")]


def build_site(out: Path) -> list[Path]:
    """Write the site into ``out``; return the pages written."""
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
