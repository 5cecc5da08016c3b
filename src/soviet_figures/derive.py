"""Rebuild every derived file from its sources (``soviet-figures derive``).

Derived, never edited by hand:

* ``observations.year_start`` / ``year_end`` — from ``period``;
* the topic tables ``datapackage/data/<topic>.csv`` — filtered views of observations
  defined in ``schemas/topics.json``;
* ``schemas/<topic>.schema.json`` — the observations schema under the topic's title;
* ``datapackage/datapackage.json`` — resources and their schemas, from ``schemas/``;
* ``schemas/pandera/<table>.json`` — each core table's pandera schema, as pandera builds it
  from the Table Schema (stored so that the validator need not import frictionless);
* ``docs/codebook.md`` — the codebook (:mod:`soviet_figures.codebook`);
* ``docs/plant-party-membership.svg`` — the chart README shows (:mod:`soviet_figures.site`).

:func:`stale_files` says which committed files differ from what derive would write; the
validator and the tests use it.

>>> topic_rows([{"topic": "membership", "measure": "party_members"}], {"topics": ["membership"], "measures": []})
[{'topic': 'membership', 'measure': 'party_members'}]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__, tableschema
from ._paths import data_root
from .semantics import period_years

__all__ = ["derive", "stale_files", "topic_rows", "write_csv", "csv_text", "package_descriptor"]


def csv_text(fieldnames: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """RFC 4180 CSV, LF line ends, UTF-8, quoting only where needed."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(r.get(k)) for k in fieldnames})
    return buf.getvalue()


def _cell(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float):
        if x != x:
            return ""
        return repr(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(x)


def write_csv(path: Path, fieldnames: list[str], rows: Iterable[Mapping[str, Any]]) -> None:
    path.write_text(csv_text(fieldnames, rows), encoding="utf-8", newline="")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def topic_rows(observations: Iterable[Mapping[str, Any]], table: Mapping[str, Any]) -> list[Any]:
    """Rows of observations that belong to a topic table, in a historian's order."""
    topics, measures = set(table["topics"]), set(table["measures"])
    rows = [r for r in observations if r["topic"] in topics or r["measure"] in measures]
    return sorted(rows, key=_order) if rows and "subject" in rows[0] else rows


def _order(r: Mapping[str, Any]) -> tuple[Any, ...]:
    y = r.get("year_start") or ""
    return (str(r.get("subject", "")), str(y).zfill(4) if y else "9999", str(r.get("period", "")), str(r.get("measure", "")), str(r.get("obs_id", "")))


def with_years(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for r in rows:
        r = dict(r)
        try:
            a, b = period_years(r["period"]) if r.get("period") else ("", "")
        except ValueError:
            a, b = r.get("year_start", ""), r.get("year_end", "")  # the validator reports it
        r["year_start"], r["year_end"] = str(a), str(b)
        out.append(r)
    return out


def topic_schema(name: str) -> dict[str, Any]:
    schema = tableschema.load_schema(name)
    schema["x-derived-from"] = "observations.schema.json and topics.json (soviet-figures derive)"
    return schema


def package_descriptor() -> dict[str, Any]:
    """The datapackage.json of the package (resources with inline schemas)."""
    resources = []
    for name in tableschema.table_names():
        schema = tableschema.load_schema(name)
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.csv",
                "title": schema.get("title", name),
                "description": schema.get("description", ""),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "soviet-figures",
        "title": "Soviet figures: statistics quoted in five works on Soviet history, 1926-1941",
        "description": (
            "Every figure quoted as a fact in five works of scholarship on Soviet history (1926-1941), "
            "with the exact place it came from (quote, character offsets, line, the author's cited source). "
            "Topic tables are derived from observations; mentions is the completeness ledger."
        ),
        "version": __version__,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
        "keywords": ["Soviet history", "Communist Party", "purges", "Stakhanovism", "statistics"],
        "resources": resources,
    }


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def planned_files(root: Path | None = None, package: Path | None = None) -> dict[Path, str]:
    """Every derived file and the content derive would write to it.

    For the project's own package (``root``, default the installed one) that includes the
    topic schemas and datapackage.json; for someone else's ``package`` (a datapackage.json
    following these schemas) only its observations' years and its topic tables.
    """
    own = package is None
    root = root or data_root()
    data = root / "datapackage" / "data" if own else Path(package).parent / "data"
    obs_fields = tableschema.field_names("observations")
    observations = with_years(read_rows(data / "observations.csv")) if (data / "observations.csv").exists() else []
    planned: dict[Path, str] = {data / "observations.csv": csv_text(obs_fields, observations)}
    for table in tableschema.topic_tables():
        planned[data / f"{table['name']}.csv"] = csv_text(obs_fields, topic_rows(observations, table))
        if own:
            planned[root / "schemas" / f"{table['name']}.schema.json"] = _json(topic_schema(table["name"]))
    if own:
        from .codebook import codebook_text

        from .pandera_schemas import stored_schema

        for name in tableschema.CORE_TABLES:
            planned[root / "schemas" / "pandera" / f"{name}.json"] = _json(stored_schema(name))
        planned[root / "datapackage" / "datapackage.json"] = _json(package_descriptor())
        planned[root / "docs" / "codebook.md"] = codebook_text(data)
        from .site import readme_chart

        planned[root / "docs" / "plant-party-membership.svg"] = readme_chart(observations)
    return planned


def _current(path: Path, content: str, exact: bool = False) -> bool:
    """``path`` holds ``content``. Unless ``exact``, a stored pandera schema is also current
    when only the pandera version that wrote it differs: another version then builds the
    schema afresh (slower, the same checks), so a newer pandera does not make CI fail;
    ``derive`` still rewrites it (``exact``) so that the stored one is used again."""
    if not path.exists():
        return False
    old = path.read_text(encoding="utf-8")
    if old == content:
        return True
    if not exact and path.parent.name == "pandera" and path.parent.parent.name == "schemas":
        try:
            return _without_version(old) == _without_version(content)
        except ValueError:
            return False
    return False


def _without_version(text: str) -> dict[str, Any]:
    return {k: v for k, v in json.loads(text).items() if k != "pandera_version"}


def stale_files(root: Path | None = None, package: Path | None = None) -> list[Path]:
    """Derived files whose committed content differs from what derive would write."""
    return [path for path, content in planned_files(root, package).items() if not _current(path, content)]


def derive(root: Path | None = None, package: Path | None = None) -> list[Path]:
    """Write every derived file; return those that changed.

    The codebook counts the rows of the topic tables it describes, so a second pass writes
    it from the tables the first pass wrote.
    """
    changed: list[Path] = []
    for _ in range(2):
        for path, content in planned_files(root, package).items():
            if not _current(path, content, exact=True):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8", newline="")
                if path not in changed:
                    changed.append(path)
    return changed
