"""A static, offline site of the data: ``soviet-figures site --out DIR``.

* ``index.html`` — the tables with row counts, the documents with ledger coverage;
* ``<topic>.html`` — one page per topic table: the question it answers (``schemas/topics.json``)
  and the figures its recipe answers it with (charted over time where a subject and measure
  has two or more, else shown one by one), what the sources do not say, the charts of the
  series of its rows, figures side by side, and its rows (period, subject,
  measure, the figure as printed and as a number, unit, kind, context, quote, speaker, page,
  note; empty columns hidden; by date), sortable and filterable;
* ``doc-<doc_id>.html`` — one page per document: its figures in text order with quotes;
* ``search.html`` — one search across every figure of the package: the index is embedded in
  the page (the site works from ``file://``, where a page may not fetch another file), and
  the search box on every page sends its words there (``search.html?q=...``).

Every chart point and every row shows, on click (or Enter), the figure as printed, its quote
and its citation, with a link to its row. The charts (:mod:`soviet_figures.charts`) are
honest: a line joins only the points of one series of the ``series`` table, and only where
the series may have one.

The pages are rendered from the jinja2 templates in ``templates/`` (``base.html``,
``index.html``, ``topic.html``, ``document.html``, ``search.html``), autoescaped. Nothing is
fetched from the network: ``site.css`` and ``site.js`` are read at render time and inlined
into every page.

>>> [name for name, _ in COLUMNS][:4], dict(COLUMNS)["attributed_to"]
(['period', 'subject', 'measure', 'value_text'], 'speaker')
>>> _number(170557093.0), _number(0.5), _short({"doc_id": "x", "authors": "Лейбович, О. Л. (Leibovich, O. L.)", "year": None})
('170557093', '0.5', 'Leibovich')
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from . import __version__, tableschema
from .charts import KIND_TEXT, Chart, chart_svg, disputed_ids, over_time, profile_svg, profiles_of, series_descriptions, series_of
from .citation import format_citation
from .errors import PackageError
from .io.files import write_files
from .io.package import Package
from .loader import read_table
from .templating import asset, environment

__all__ = ["build_site", "recipe_rows", "recipe_searches", "COLUMNS"]

# the columns of a topic page's table: (field, heading)
COLUMNS = [
    ("period", "period"), ("subject", "subject"), ("measure", "measure"), ("value_text", "value_text"), ("value", "value"), ("unit", "unit"),
    ("value_kind", "value_kind"), ("context", "context"), ("quote", "quote"), ("attributed_to", "speaker"), ("page", "page"), ("note", "note"),
]


def _text(x: Any) -> str:
    """A cell as the page shows it: empty for a missing value, else ``str``."""
    return "" if x is None else str(x)


def _shown(r: dict[str, Any]) -> dict[str, str]:
    """A record with every value as page text (the templates escape it)."""
    return {k: _text(v) for k, v in r.items()}


def _json(data: Any) -> Markup:
    r"""``data`` as JSON for a ``<script>`` element: ``</`` is written ``<\/`` so that no value can close it."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"))


def _render(template: str, title: str, data: dict[str, Any], **context: Any) -> str:
    """One page: ``template`` (which extends ``base.html``) with CSS, JS and ``data`` inlined
    (``data`` becomes the JSON read by the page's script)."""
    return environment().get_template(template).render(
        title=title, version=__version__, css=Markup(asset("site.css")), js=Markup(asset("site.js")), payload=_json(data), **context
    )


def _records(df: Any) -> list[dict[str, Any]]:
    return [{k: (None if v is None or (not isinstance(v, str) and v != v) or str(v) == "<NA>" else v) for k, v in r.items()} for r in df.astype(object).to_dict("records")]


def _number(v: Any) -> str:
    """A value as a historian reads it: 3133, 0.5, 170557093 (never 1.7e+08)."""
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:.6g}"


def _short(d: Mapping[str, Any]) -> str:
    """A document's short name: the first author's surname (in Latin letters if given) and the year."""
    authors = _text(d.get("authors"))
    latin = re.search(r"\(([^)]*)\)", authors)
    name = (latin.group(1) if latin else authors).split(",")[0].strip()
    return " ".join(x for x in (name, _text(d.get("year"))) if x) or _text(d["doc_id"])


@dataclass
class _Data:
    """Everything the pages are built from, read once."""

    docs: dict[str, dict[str, Any]]
    obs: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]
    cites: dict[str, str]
    labels: dict[str, str]
    contexts: dict[str, str]
    generic: set[str]
    series: list[dict[str, Any]]
    descriptions: dict[str, str]
    disputed: set[str]
    aliases: dict[str, str]
    subjects: dict[str, str]
    load: Callable[[str], Any]

    @classmethod
    def read(cls, package: Package | None = None) -> _Data:
        def load(name: str) -> Any:
            return read_table(name, package.path(name) if package is not None else None)

        docs = {d["doc_id"]: d for d in _records(load("documents"))}
        obs = _records(load("observations"))
        measures = _records(load("measures"))
        subjects = _records(load("subjects"))
        series, links = _records(load("series")), _records(load("links"))
        return cls(
            docs=docs, obs=obs, by_id={r["obs_id"]: r for r in obs},
            cites={r["obs_id"]: format_citation(r, docs[r["doc_id"]]) for r in obs},
            labels={m["id"]: m["label"] for m in measures},
            contexts={c["context_id"]: c["label"] for c in _records(load("contexts"))},
            generic={m["id"] for m in measures if m["topic"] == "other"},
            series=series,
            descriptions=series_descriptions(series, links),
            disputed=disputed_ids(obs, links),
            aliases={s["name"]: " ".join(_text(s.get(k)) for k in ("aliases", "name_ru")) for s in subjects},
            subjects={_fold(n): s["name"] for s in subjects for n in [s["name"], _text(s.get("name_ru")), *_text(s.get("aliases")).split("|")] if n.strip()},
            load=load,
        )

    def options(self) -> dict[str, Any]:
        return {"disputed": self.disputed, "labels": self.labels, "contexts": self.contexts}


def _figure(c: Chart, side_by_side: bool = False) -> dict[str, Any]:
    """A chart as the template shows it: its caption parts and its SVG."""
    kind = KIND_TEXT.get(c.value_kind, c.value_kind)
    return {"title": c.title, "unit": c.unit, "kind": kind, "note": c.note, "side_by_side": side_by_side,
            "svg": Markup(profile_svg(c) if side_by_side else chart_svg(c))}


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _call(node: ast.AST) -> tuple[str, list[Any], dict[str, Any]] | None:
    """``sf.<function>(<literals>)`` as (function, args, kwargs); None for anything else."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "sf"):
        return None
    try:
        return node.func.attr, [ast.literal_eval(a) for a in node.args], {str(k.arg): ast.literal_eval(k.value) for k in node.keywords}
    except (ValueError, TypeError, SyntaxError):
        return None


def _parse(line: str) -> list[ast.stmt]:
    """A recipe line's statements (none if it is not Python)."""
    try:
        return ast.parse(line).body
    except SyntaxError:
        return []


def _matches(r: Mapping[str, Any], column: str, wanted: Any, data: _Data) -> bool:
    if column == "subject":
        names = wanted if isinstance(wanted, list) else [wanted]
        return r["subject"] in {data.subjects.get(_fold(str(n)), str(n)) for n in names}
    if column == "counted":
        return bool(r["counted"]) == bool(wanted)
    return r.get(column) in wanted if isinstance(wanted, list) else r.get(column) == wanted


def _contains(line: str, name: str) -> list[tuple[str, str]]:
    """The ``name[name.<column>.str.contains("<text>")]`` filters of a recipe line."""
    out = []
    for node in (n for statement in _parse(line) for n in ast.walk(statement)):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == name and isinstance(node.slice, ast.Call):
            f = node.slice.func
            if (isinstance(f, ast.Attribute) and f.attr == "contains" and isinstance(f.value, ast.Attribute) and f.value.attr == "str"
                    and isinstance(f.value.value, ast.Attribute) and node.slice.args and isinstance(node.slice.args[0], ast.Constant)):
                out.append((f.value.value.attr, str(node.slice.args[0].value)))
    return out


def recipe_rows(recipe: list[str], data: _Data) -> list[dict[str, Any]]:
    """The observations a topic's recipe (``schemas/topics.json``) answers its question with.

    The recipe's first line names them: ``x = sf.series(subject, measures)`` (the subject's
    dated figures of those measures, counted or disputing a counted one) or
    ``x = sf.load("observations", column=value, ...)``; a later ``x[x.column.str.contains(text)]``
    narrows them. The recipe is read, never run; a recipe of another form names none.

    Parameters
    ----------
    recipe : the lines of a topic's ``recipe``
    data : the package's tables, read once

    Returns
    -------
    list of dict : the observations, in the package's order

    Examples
    --------
    >>> data = _Data.read()
    >>> rows = recipe_rows(['s = sf.series("Kirov plant party organisation", ["party_members"])'], data)
    >>> sorted({r["measure"] for r in rows}), all(r["period"] for r in rows)
    (['party_members'], True)
    >>> recipe_rows(["len(sf.search('stakhanov'))"], data)
    []
    """
    tree = _parse(recipe[0]) if recipe else []
    if not (len(tree) == 1 and isinstance(tree[0], ast.Assign) and isinstance(tree[0].targets[0], ast.Name)):
        return []
    name, call = tree[0].targets[0].id, _call(tree[0].value)
    if call is None:
        return []
    function, args, kwargs = call
    if function == "series" and args:
        kwargs = {"subject": args[0], **({"measure": args[1]} if len(args) > 1 else {}), **kwargs}
        rows = [r for r in data.obs if r["period"] and (r["counted"] or r["obs_id"] in data.disputed)]
    elif function == "load" and args == ["observations"]:
        rows = list(data.obs)
    else:
        return []
    rows = [r for r in rows if all(_matches(r, k, v, data) for k, v in kwargs.items())]
    for line in recipe[1:]:
        for column, text in _contains(line, name):
            rows = [r for r in rows if text in _text(r.get(column))]
    return rows


def recipe_searches(recipe: list[str]) -> list[str]:
    """The words a topic's recipe searches for (``sf.search("...")``), for links to the search page.

    Parameters
    ----------
    recipe : the lines of a topic's ``recipe``

    Returns
    -------
    list of str : each search's words, in order

    Examples
    --------
    >>> recipe_searches(['n = sf.load("observations")', 'sf.search("stakhanov").groupby("doc_id").size()', "not python ("])
    ['stakhanov']
    """
    out = []
    for line in recipe:
        for node in (n for statement in _parse(line) for n in ast.walk(statement)):
            call = _call(node)
            if call and call[0] == "search" and call[1] and isinstance(call[1][0], str):
                out.append(call[1][0])
    return out


def _answer(t: Mapping[str, Any], data: _Data) -> tuple[list[Chart], list[dict[str, str]]]:
    """The figures that answer a topic's question (those its recipe names): charts over time
    where a subject and measure has two counted figures or more of one unit and kind, the
    other figures one by one, by date.

    Examples
    --------
    >>> charts, cards = _answer({"recipe": ['s = sf.series("Kirov plant party organisation", ["party_members", "party_members_examined"])']}, _Data.read())
    >>> [c.title for c in charts], sorted({c["measure"] for c in cards})
    (['Krasnyi Putilovets (Kirov) plant party organisation: Party members and candidates'], ['party_members_examined'])
    """
    rows = recipe_rows(list(t.get("recipe", [])), data)
    pairs = list(dict.fromkeys((r["subject"], r["measure"]) for r in rows))
    charts = [c for subject, measure in pairs for c in over_time(rows, data.series, subject, measure, descriptions=data.descriptions, **data.options())]
    drawn = {o for c in charts for o in c.obs_ids}
    cards = []
    for r in rows:
        if r["obs_id"] not in drawn:
            status = "disputes the counted figure" if r["obs_id"] in data.disputed else "" if r["counted"] else "not counted: repeats or is part of another figure"
            cards.append({**_shown(r), "measure_label": data.labels.get(r["measure"], r["measure"]), "status": status})
    cards.sort(key=lambda c: (c["year_start"] or "9999", c["period"], c["obs_id"]))
    return charts, cards


def _cell(r: Mapping[str, Any], key: str, data: _Data) -> tuple[str, str]:
    """A table cell: (text shown, sort key)."""
    v = r.get(key)
    if key == "measure":
        return data.labels.get(_text(v), _text(v)), _text(v)
    if key == "context":
        return data.contexts.get(_text(v), _text(v)), _text(v)
    if key == "value":
        if v is None and r.get("value_low") is not None and r.get("value_high") is not None:
            return f"{_number(r['value_low'])}–{_number(r['value_high'])}", _text(r["value_low"])
        return ("", "") if v is None else (_number(v), _text(v))
    if key == "period":
        return _text(v), f"{_text(r.get('year_start')) or '9999'} {_text(v)}"
    return _text(v), _text(v)


def _table(rows: list[dict[str, Any]], data: _Data) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """A topic's rows by date (year_start, then period), with the columns that are not empty
    throughout."""
    ordered = sorted(rows, key=lambda r: (r["year_start"] if r["year_start"] is not None else 9999, _text(r["period"]), r["obs_id"]))
    cells = [{"obs_id": r["obs_id"], "cells": {k: _cell(r, k, data) for k, _ in COLUMNS}} for r in ordered]
    columns = [(k, h) for k, h in COLUMNS if any(c["cells"][k][0] for c in cells)]
    return columns, cells


def _topic_page(t: Mapping[str, Any], data: _Data, detail: Any) -> str:
    """A topic page: its question and the figures that answer it, the series of its rows,
    figures side by side, and its rows."""
    rows = _records(data.load(t["name"]))
    page = f"{t['name']}.html"
    answer, cards = _answer(t, data)
    ids = {r["obs_id"] for r in rows}
    in_answer = {g.series_id for c in answer for g in c.groups}
    touched = {s["series_id"] for s in data.series if s["obs_id"] in ids} - in_answer
    charts = series_of(data.obs, [s for s in data.series if s["series_id"] in touched], limit=12, descriptions=data.descriptions, **data.options())
    charted = {o for c in answer + charts for o in c.obs_ids} | {c["obs_id"] for c in cards}
    documents = {d: _short(v) for d, v in data.docs.items()}
    profiles = profiles_of(rows, charted, data.generic, documents=documents, **data.options())
    shown = ids | charted | {o for c in profiles for o in c.obs_ids}
    columns, table = _table(rows, data)
    return _render(
        "topic.html", t["title"], detail(shown, page, ids), table=t, answer=[_figure(c) for c in answer], cards=cards,
        searches=[(q, f"search.html?q={quote(q)}") for q in recipe_searches(list(t.get("recipe", [])))],
        charts=[_figure(c) for c in charts], profiles=[_figure(c, side_by_side=True) for c in profiles], columns=columns, rows=table,
    )


def _search_index(data: _Data) -> list[dict[str, str]]:
    """Every figure, compactly: what a search matches and what a result shows."""
    out = []
    for r in data.obs:
        d = data.docs[r["doc_id"]]
        extra = [data.aliases.get(r["subject"], ""), data.labels.get(r["measure"], ""), data.contexts.get(_text(r["context"]), ""),
                 _text(r["attributed_to"]), _text(r["place"]), _short(d), _text(d.get("title")), _text(d.get("title_en"))]
        out.append({
            "id": r["obs_id"], "v": _text(r["value_text"]), "u": _text(r["unit"]), "p": _text(r["period"]), "s": _text(r["subject"]),
            "d": _text(r["description"]), "q": _text(r["quote"]), "x": " ".join(x for x in extra if x), "doc": _short(d),
            "href": f"doc-{r['doc_id']}.html#obs-{r['obs_id']}",
        })
    return out


def _refuse_non_directory(out: Path) -> None:
    """Raise :class:`PackageError` when ``out`` exists and is not a directory."""
    if os.path.lexists(out) and not out.is_dir():
        found = "a file" if out.is_file() else "something that is not a directory (a broken link, a pipe or a device)"
        raise PackageError(f"{out}: expected a directory for the site, found {found}; choose another --out")


def _index_page(data: _Data) -> str:
    mentions = _records(data.load("mentions"))
    topic_names = {t["name"] for t in tableschema.topic_tables()}
    tables = [
        {"name": n, "topic": n in topic_names, "rows": len(data.load(n)), "description": tableschema.load_schema(n).get("description", "")}
        for n in tableschema.table_names()
    ]
    documents = []
    for doc_id, d in data.docs.items():
        mine = [m for m in mentions if m["doc_id"] == doc_id]
        classified = sum(1 for m in mine if m["status"])
        documents.append({
            **_shown(d),
            "figures": sum(1 for r in data.obs if r["doc_id"] == doc_id),
            "mentions": len(mine),
            "coverage": f"{100 * classified / len(mine):.0f}%" if mine else "–",
        })
    return _render("index.html", "Figures quoted in five works on Soviet history, 1926–1941", {}, tables=tables, documents=documents)


def _pages(data: _Data) -> dict[str, str]:
    """Every page of the site, rendered."""

    def detail(ids: Iterable[str], page: str, here: set[str]) -> dict[str, Any]:
        out = {}
        for o in sorted(ids):
            r = data.by_id[o]
            href = f"{page}#obs-{o}" if o in here else f"doc-{r['doc_id']}.html#obs-{o}"
            out[o] = {"value_text": r["value_text"], "unit": r["unit"], "description": r["description"], "quote": r["quote"], "cite": data.cites[o], "href": href}
        return out

    pages = {"index.html": _index_page(data)}
    for t in tableschema.topic_tables():
        pages[f"{t['name']}.html"] = _topic_page(t, data, detail)
    for doc_id, d in data.docs.items():
        rows = sorted((r for r in data.obs if r["doc_id"] == doc_id), key=lambda r: r["char_start"])
        page = f"doc-{doc_id}.html"
        ids = {r["obs_id"] for r in rows}
        pages[page] = _render("document.html", d["title"] or doc_id, detail(ids, page, ids), document=_shown(d), rows=[_shown(r) for r in rows])
    pages["search.html"] = _render("search.html", "Search every figure", {}, index=_json(_search_index(data)), count=len(data.obs))
    return pages


def build_site(out: str | os.PathLike[str], package: Package | None = None) -> list[Path]:
    """Write the static site of ``package`` (default: the installed one) into ``out``.

    Every page is rendered before anything is written; each is then written atomically.
    ``out`` is created (with its parents) when it does not exist.

    Parameters
    ----------
    out : str or os.PathLike
        The site's directory; existing pages in it are replaced.
    package : Package or None
        The data package to show (``--package``); the installed one by default.

    Returns
    -------
    list of Path
        The pages written: ``index.html``, one page per topic table, one per document, and
        ``search.html``.

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
    pages = _pages(_Data.read(package))
    for name in pages:  # a page's name comes from a doc_id: it must not leave --out
        if not re.fullmatch(r"[A-Za-z0-9_-]+\.html", name):
            raise PackageError(f"{name!r}: expected a page name made of a doc_id (letters, digits, - and _), found one that is not; fix documents.doc_id (soviet-figures validate names the row); nothing was written")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"{out}: expected a directory for the site, but it cannot be created ({exc.strerror}); choose another --out") from None
    return write_files({out / name: text for name, text in pages.items()})  # every target checked first
