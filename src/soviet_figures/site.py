"""A static, offline site of the data: ``soviet-figures site --out DIR``.

* ``index.html`` — the tables with row counts, the documents with ledger coverage;
* ``<topic>.html`` — one page per topic table: charts of its main series (SVG, drawn by
  :mod:`soviet_figures.charts`, no library) and its rows, sortable and filterable;
* ``doc-<doc_id>.html`` — one page per document: its figures in text order with quotes.

Every chart point and every row shows, on click (or Enter), the figure as printed, its quote
and its citation, with a link to its row. Charts are honest: one chart per subject, measure
and unit (never two subjects on one line); the unit on the y axis; ranges drawn as bars from
low to high, bounds as open triangles pointing the way the bound goes, approximate values as
open circles.

The pages are rendered from the jinja2 templates in ``templates/`` (``base.html``,
``index.html``, ``topic.html``, ``document.html``), autoescaped. Nothing is fetched from the
network: ``site.css`` and ``site.js`` are read at render time and inlined into every page.

>>> svg = chart_svg("Members", "persons", [{"obs_id": "x-0001", "x": 1929, "x2": 1929, "value": 3133.0,
...     "low": None, "high": None, "qualifier": "exact", "value_text": "3133", "doc_id": "x"}])
>>> svg.count("<circle"), "persons" in svg
(1, True)
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from . import __version__, tableschema
from .charts import chart_svg, profile_svg, profiles_of, series_of
from .citation import format_citation
from .errors import PackageError
from .io.files import write_files
from .io.package import Package
from .loader import read_table
from .templating import asset, environment

__all__ = ["build_site"]

SHOWN = ["obs_id", "subject", "period", "measure", "value_text", "value", "value_low", "value_high", "qualifier", "unit", "description"]


def _text(x: Any) -> str:
    """A cell as the page shows it: empty for a missing value, else ``str``."""
    return "" if x is None else str(x)


def _shown(r: dict[str, Any]) -> dict[str, str]:
    """A record with every value as page text (the templates escape it)."""
    return {k: _text(v) for k, v in r.items()}


def _render(template: str, title: str, data: dict[str, Any], **context: Any) -> str:
    r"""One page: ``template`` (which extends ``base.html``) with CSS, JS and ``data`` inlined.

    ``data`` becomes the JSON read by the page's script; ``</`` is written ``<\/`` so that no
    value can close the ``<script>`` element.
    """
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return environment().get_template(template).render(
        title=title, version=__version__, css=Markup(asset("site.css")), js=Markup(asset("site.js")), payload=Markup(payload), **context
    )


def _records(df: Any) -> list[dict[str, Any]]:
    return [{k: (None if v is None or (not isinstance(v, str) and v != v) or str(v) == "<NA>" else v) for k, v in r.items()} for r in df.astype(object).to_dict("records")]


def _refuse_non_directory(out: Path) -> None:
    """Raise :class:`PackageError` when ``out`` exists and is not a directory."""
    if os.path.lexists(out) and not out.is_dir():
        found = "a file" if out.is_file() else "something that is not a directory (a broken link, a pipe or a device)"
        raise PackageError(f"{out}: expected a directory for the site, found {found}; choose another --out")


def build_site(out: str | os.PathLike[str], package: Package | None = None) -> list[Path]:
    """Write the static site of ``package`` (default: the installed one) into ``out``.

    Every page is rendered before anything is written; each is then written atomically.
    ``out`` is created (with its parents) when it does not exist.

    Parameters
    ----------
    out : str or os.PathLike
        The site's directory; existing pages in it are replaced.
    package : Package or None
        A data package following these schemas (``--package``); None for the installed one.

    Returns
    -------
    list of Path
        The pages written: ``index.html``, one page per topic table, one per document.

    Raises
    ------
    PackageError
        When ``out`` exists and is not a directory, or cannot be created. Nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> taken = Path(tempfile.mkdtemp()) / "site"
    >>> _ = taken.write_text("not a directory")
    >>> build_site(taken)
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: .../site: expected a directory for the site, found a file; choose another --out
    """
    out = Path(out)
    _refuse_non_directory(out)

    def load(name: str) -> Any:
        return read_table(name, package.path(name) if package is not None else None)

    docs = {d["doc_id"]: d for d in _records(load("documents"))}
    obs = _records(load("observations"))
    mentions = _records(load("mentions"))
    cites = {r["obs_id"]: format_citation(r, docs[r["doc_id"]]) for r in obs}
    generic = {m["id"] for m in _records(load("measures")) if m["topic"] == "other"}
    pages: dict[str, str] = {}

    def detail(rows: list[dict[str, Any]], page: str) -> dict[str, Any]:
        return {r["obs_id"]: {"value_text": r["value_text"], "unit": r["unit"], "description": r["description"], "quote": r["quote"],
                              "cite": cites[r["obs_id"]], "href": f"{page}#obs-{r['obs_id']}"} for r in rows}

    # index
    topic_names = {t["name"] for t in tableschema.topic_tables()}
    tables = [
        {"name": n, "topic": n in topic_names, "rows": len(load(n)), "description": tableschema.load_schema(n).get("description", "")}
        for n in tableschema.table_names()
    ]
    documents = []
    for doc_id, d in docs.items():
        mine = [m for m in mentions if m["doc_id"] == doc_id]
        classified = sum(1 for m in mine if m["status"])
        documents.append({
            **_shown(d),
            "figures": sum(1 for r in obs if r["doc_id"] == doc_id),
            "mentions": len(mine),
            "coverage": f"{100 * classified / len(mine):.0f}%" if mine else "–",
        })
    pages["index.html"] = _render("index.html", "Figures quoted in five works on Soviet history, 1926–1941", {}, tables=tables, documents=documents)
    # topic pages
    for t in tableschema.topic_tables():
        rows = _records(load(t["name"]))
        page = f"{t['name']}.html"
        series = series_of(rows)
        charted = {p["obs_id"] for _, _, pts in series for p in pts}
        charts = [{"title": title, "unit": unit, "side_by_side": False, "svg": Markup(chart_svg(title, unit, pts))} for title, unit, pts in series]
        charts += [
            {"title": title, "unit": unit, "side_by_side": True, "svg": Markup(profile_svg(title, unit, pts))}
            for title, unit, pts in profiles_of(rows, charted, generic)
        ]
        pages[page] = _render("topic.html", t["title"], detail(rows, page), table=t, charts=charts, columns=SHOWN, rows=[_shown(r) for r in rows])
    # document pages
    for doc_id, d in docs.items():
        rows = sorted((r for r in obs if r["doc_id"] == doc_id), key=lambda r: r["char_start"])
        page = f"doc-{doc_id}.html"
        pages[page] = _render("document.html", d["title"] or doc_id, detail(rows, page), document=_shown(d), rows=[_shown(r) for r in rows])
    # write
    for name in pages:  # a page's name comes from a doc_id: it must not leave --out
        if not re.fullmatch(r"[A-Za-z0-9_-]+\.html", name):
            raise PackageError(f"{name!r}: expected a page name made of a doc_id (letters, digits, - and _), found one that is not; fix documents.doc_id (soviet-figures validate names the row); nothing was written")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"{out}: expected a directory for the site, but it cannot be created ({exc.strerror}); choose another --out") from None
    return write_files({out / name: text for name, text in pages.items()})  # every target checked first
