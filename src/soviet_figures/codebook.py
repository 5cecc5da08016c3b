"""Generate ``docs/codebook.md``: what a historian reads before trusting a column.

Built from ``schemas/`` (every table and column with type, constraints and meaning),
``measures`` and ``subjects`` (each with its definition and row count), ``documents`` (full
reference and coverage) and ``schemas/topics.json`` (what each topic table holds and a
question it answers), laid out by the template ``templates/codebook.md.j2`` (not escaped: it
is Markdown; table cells are escaped here by ``_cell``). ``soviet-figures derive`` rewrites
it; a test fails when it is stale.

>>> text = codebook_text()
>>> text.startswith("# Codebook") and "## Tables and columns" in text
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import __version__, tableschema
from ._paths import datapackage_dir
from .io.csvfile import read_rows
from .templating import environment
from .topics import topic_rows

__all__ = ["codebook_text"]


def _rows(data: Path, name: str) -> list[dict[str, str]]:
    path = data / f"{name}.csv"
    return read_rows(path) if path.exists() else []


def _cell(s: object) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _constraints(field: Mapping[str, Any]) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of: " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    for k, label in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤")):
        if k in c:
            parts.append(f"{label} {c[k]}")
    return "; ".join(parts)


def _tables(data: Path, derived: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Each core table with its row count (a table in ``derived`` counted as it will be
    written, the others as they are on disk), keys and columns, for the template."""
    tables = []
    for name in tableschema.CORE_TABLES:
        schema = tableschema.load_schema(name)
        keys = [f"primary key: {', '.join(schema.get('primaryKey', []))}"]
        keys += [f"`{', '.join(fk['fields'])}` → `{fk['reference']['resource']}.{', '.join(fk['reference']['fields'])}`" for fk in schema.get("foreignKeys", [])]
        tables.append({
            "name": name,
            "rows": len(derived[name]) if name in derived else len(_rows(data, name)),
            "description": schema.get("description", ""),
            "keys": "; ".join(keys),
            "fields": [{"name": f["name"], "type": f["type"], "constraints": _cell(_constraints(f)), "meaning": _cell(f.get("description", ""))} for f in schema["fields"]],
        })
    return tables


def _documents(data: Path, obs: list[dict[str, Any]], ment: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Each document with its full reference, observation and ledger counts, for the template."""
    documents = []
    for d in _rows(data, "documents"):
        mine = [m for m in ment if m["doc_id"] == d["doc_id"]]
        status = Counter(m["status"] or "unclassified" for m in mine)
        rows = [r for r in obs if r["doc_id"] == d["doc_id"]]
        ref = ", ".join(x for x in (d["authors"] or "author not confirmed", f"\"{d['title']}\"" if d["title"] else "title not confirmed", d["venue"], d["year"], f"pp. {d['pages']}" if d["pages"] else "", f"doi:{d['doi']}" if d["doi"] else "") if x)
        documents.append({
            **d,
            "reference": ref,
            "observations": len(rows),
            "paged": sum(1 for r in rows if r["page"]),
            "mentions": len(mine),
            "classified": sum(v for k, v in status.items() if k != "unclassified"),
            "statuses": ", ".join(f"{k} {v}" for k, v in sorted(status.items())),
        })
    return documents


def codebook_text(data: Path | None = None, observations: list[dict[str, Any]] | None = None,
                  series: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The codebook as Markdown, rendered from ``templates/codebook.md.j2``.

    Parameters
    ----------
    data : Path, optional
        The package's ``data`` directory (default: the installed one).
    observations : list of dict, optional
        The observations to describe (default: read from ``data``); the topic tables are
        counted as derived from them.
    series : list of dict, optional
        The rows of the ``series`` table as ``derive`` will write them (default: read from
        ``data``), so that one run of ``derive`` counts what it writes.

    Returns
    -------
    str
        The Markdown text, ending with one newline: what ``docs/codebook.md`` holds.

    Examples
    --------
    >>> text = codebook_text(observations=[])
    >>> "| `party_membership` | 0 |" in text
    True
    """
    data = data or datapackage_dir() / "data"
    obs = observations if observations is not None else _rows(data, "observations")
    ment = _rows(data, "mentions")
    used = Counter(r["measure"] for r in obs)
    per_subject = Counter(r["subject"] for r in obs)
    topic_tables = [
        {"name": t["name"], "rows": len(topic_rows(obs, t)), "selection": ", ".join(f"`{x}`" for x in t["topics"] + t["measures"]),
         "description": _cell(t["description"]), "question": _cell(t["question"]), "raw_question": t["question"],
         "recipe": t.get("recipe", []), "answer": t.get("answer", ""), "unanswered": t.get("unanswered", [])}
        for t in tableschema.topic_tables()
    ]
    measures = [
        {"id": m["id"], "label": _cell(m["label"]), "topic": m["topic"],
         "units": ", ".join([m["default_unit"]] + [u for u in m["allowed_units"].split("|") if u != m["default_unit"]]),
         "percent_may_exceed_100": m["percent_may_exceed_100"], "rows": used[m["id"]], "definition": _cell(m["definition"])}
        for m in _rows(data, "measures")
    ]
    subjects = [
        {"subject_id": s["subject_id"], "name": _cell(s["name"]), "kind": s["kind"], "place": _cell(s["place"]), "rows": per_subject[s["name"]],
         "aliases": _cell("; ".join(x for x in [s["aliases"], s["name_ru"]] if x)), "description": _cell(s["description"])}
        for s in _rows(data, "subjects")
    ]
    text = environment().get_template("codebook.md.j2").render(
        version=__version__, tables=_tables(data, {"observations": obs} | ({} if series is None else {"series": series})), topic_tables=topic_tables, measures=measures, subjects=subjects, documents=_documents(data, obs, ment)
    )
    return text.rstrip() + "\n"
