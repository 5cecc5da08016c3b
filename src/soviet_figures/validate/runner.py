"""Run the four validation layers on a data package or on a contributor's CSV files.

1. **structure** — bytes, header, row shape, keys (:mod:`.structure`);
2. **semantics** — the pandera schemas (:mod:`.schema`) and the rules (:mod:`.rules`),
   the topic tables as the exact derivation of observations;
3. **provenance** — each figure is where its row says in the source text (:mod:`.provenance`);
4. **completeness** — the ledger holds every numeric mention, all classified (:mod:`.completeness`).

Layers 3 and 4 need the source texts; without them they are reported as skipped, never as
passed. Nothing is ever written: validation only reads.

>>> from soviet_figures._paths import datapackage_dir
>>> report = validate(datapackage_dir() / "datapackage.json", sources=None)
>>> report.layers["provenance"]
'skipped: no source texts (use --sources DIR or SOVIET_FIGURES_SOURCES)'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import tableschema
from .._paths import datapackage_dir
from ..errors import PackageError, PageError, SourceError
from ..io.csvfile import csv_text
from ..io.descriptor import descriptor_json, package_descriptor, resource_paths
from ..io.sources import read_source
from ..text.pages import derive_pages
from ..text.scanner import scan
from ..topics import series_rows, topic_rows, with_counted, with_years
from . import provenance, structure
from .completeness import check_document as completeness_check
from .report import Issue, Report
from .rules import cell_issues, row_issues
from .schema import schema_issues
from .spans import duplicate_span_issues, span_issues

__all__ = ["validate", "table_of_file"]

_NO_TEXTS = "no source texts (use --sources DIR or SOVIET_FIGURES_SOURCES)"


def table_of_file(path: Path) -> str | None:
    """The table a CSV file holds, from its name: ``observations.csv``, ``my-book.observations.csv``.

    Examples
    --------
    >>> table_of_file(Path("my-book.observations.csv")), table_of_file(Path("notes.csv"))
    ('observations', None)
    """
    stem = path.name[: -len(".csv")] if path.name.endswith(".csv") else path.stem
    for name in tableschema.table_names():
        if stem == name or stem.endswith(("." + name, "_" + name, "-" + name)):
            return name
    return None


def _read_files(files: list[Path], paths: Mapping[str, Path], labels: dict[str, str]) -> tuple[list[Issue], dict[str, pa.Table], set[str]]:
    """Structure findings and Arrow tables of a contributor's ``files``, with the package's
    own tables (``paths``) as context for the tables they do not give."""
    found: list[Issue] = []
    frames: dict[str, pa.Table] = {}
    given: dict[str, Path] = {}
    for f in files:
        table = table_of_file(f)
        if table is None:
            found.append(Issue(str(f), None, None, "table-name", None, f"cannot tell which table this file holds; name it <table>.csv or <anything>.<table>.csv (tables: {', '.join(tableschema.table_names())})"))
            continue
        if table in given:
            found.append(Issue(str(f), None, None, "table-name", None, f"{given[table]} already holds table {table}; give one file per table (validate the other in a second run)"))
            continue
        issues, frame = structure.read_arrow(f, table)
        found += issues
        if frame is not None:
            frames[table] = frame
        given[table], labels[table] = f, str(f)
    for name, p in paths.items():  # the package's own tables, as context for the files
        if name not in given and name in tableschema.table_names() and p.is_file():
            frame = structure.read_arrow(p, name)[1]
            if frame is not None:
                frames[name] = frame
    return found, frames, set(given)


def validate(descriptor: Path, sources: Path | None, files: list[Path] | None = None, use_frictionless: bool = False) -> Report:
    """Validate the package at ``descriptor``; with ``files``, those CSVs replace its tables.

    Parameters
    ----------
    descriptor : the package's ``datapackage.json``
    sources : the directory of the source texts, or None (layers 3 and 4 are then skipped)
    files : a contributor's CSV files, each named after the table it holds
        (``observations.csv``, ``my-book.observations.csv``); only their rows are checked,
        the package's other tables serve as context
    use_frictionless : also run frictionless's own, row-by-row validation of the package

    Returns
    -------
    Report : the findings of each layer (file, row, column, rule, value, message) and
        which layers passed, failed or were skipped, with the reason.

    Examples
    --------
    >>> report = validate(datapackage_dir() / "datapackage.json", sources=None)
    >>> report.ok, report.layers["structure"]
    (True, 'passed')
    """
    report = Report()
    descriptor = Path(descriptor)
    try:
        paths = resource_paths(descriptor)
    except PackageError as exc:
        report.add_layer("structure", [Issue(str(descriptor), None, None, "datapackage", None, str(exc))])
        return _skip_rest(report, "the package descriptor must be fixed first")
    labels = {name: str(Path(descriptor.parent.name) / p.relative_to(descriptor.parent)) for name, p in paths.items()}

    if files:
        found, arrow, given = _read_files(files, paths, labels)
    else:
        found, arrow = structure.read_package(descriptor, structure.read_arrow)
        given = set()
    if use_frictionless and not files:
        found += structure.frictionless_issues(descriptor)
    if found:  # later layers would only repeat what cannot be read
        report.add_layer("structure", found)
        return _skip_rest(report, "structure errors must be fixed first")
    frames = {name: structure.to_frame(table) for name, table in arrow.items()}
    report.add_layer("structure", structure.check_keys(frames, labels, only=given or None))

    checked = sorted(given) if given else [n for n in frames if n not in tableschema.topic_names()]
    semantics = [Issue(labels[t], None, None, "no-rows", None, "the file has a header but no rows") for t in sorted(given) if frames[t].empty]
    for name in checked:
        semantics += schema_issues(name, frames[name], labels[name]) + cell_issues(name, arrow[name], labels[name])
        semantics += row_issues(name, frames[name], labels[name], frames)
        if name == "observations" or name in tableschema.topic_names():
            semantics += duplicate_span_issues(frames[name], labels[name])
    semantics += _derived_issues(descriptor, paths, frames, labels, own=not files, only=given or None)
    report.add_layer("semantics", semantics)

    if sources is None:
        return _skip_rest(report, _NO_TEXTS)
    # against the texts: every table given (a topic-table file too), or the whole package
    placed = [t for t in ("observations", *sorted(tableschema.topic_names())) if t in frames and (t in given if given else t == "observations")]
    complete = not given or "mentions" in given
    prov, comp = _text_layers(sources, frames, labels, placed, mentions=complete or "mentions" in given, completeness=complete)
    report.add_layer("provenance", prov)
    if complete:
        report.add_layer("completeness", comp)
    else:
        report.add_layer("completeness", [], skipped="no mentions file among the files given")
    return report


def _skip_rest(report: Report, why: str) -> Report:
    for layer in ("semantics", "provenance", "completeness"):
        if layer not in report.layers:
            report.add_layer(layer, [], skipped=why)
    return report


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain values (missing → None) with their data row number ``_row``.

    >>> _records(pd.DataFrame({"a": ["x", None]}, dtype="string"))
    [{'a': 'x', '_row': 1}, {'a': None, '_row': 2}]
    """
    columns = {c: df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns}
    columns["_row"] = list(range(1, len(df) + 1))
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def _int(x: Any) -> int | None:
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def _text_layers(sources: Path, frames: dict[str, pd.DataFrame], labels: dict[str, str], placed: list[str], mentions: bool, completeness: bool) -> tuple[list[Issue], list[Issue]]:
    """Provenance findings of the ``placed`` tables' rows (and of the ledger, with
    ``mentions``), and, with ``completeness``, the ledger against the scanner and the pages
    against the footnote blocks; document by document."""
    prov: list[Issue] = []
    comp: list[Issue] = []
    docs = {d["doc_id"]: d for d in _records(frames["documents"])} if "documents" in frames else {}
    ledger = _records(frames["mentions"]) if "mentions" in frames else []
    rows = {t: _records(frames[t]) for t in set(placed) | ({"observations"} & set(frames) if completeness else set())}
    for doc_id, d in docs.items():
        try:
            text = read_source(Path(sources), d["source_file"], d["sha256"])
        except SourceError as exc:
            prov.append(Issue(labels["documents"], d["_row"], "sha256" if "sha256" in str(exc).lower() else "source_file", "source-text", d["source_file"], str(exc)))
            continue
        doc_ment = [r for r in ledger if r["doc_id"] == doc_id]
        expressions = scan(text)
        if mentions:
            prov += provenance.check_rows(labels.get("mentions", "mentions.csv"), text, doc_ment, text_col="text", quote=False)
        for table in placed:
            mine = [r for r in rows[table] if r["doc_id"] == doc_id]
            prov += provenance.check_rows(labels.get(table, f"{table}.csv"), text, mine)
            prov += span_issues(labels.get(table, f"{table}.csv"), text, mine, expressions)
        if "observations" in rows:
            obs = [r for r in rows["observations"] if r["doc_id"] == doc_id and _int(r.get("char_start")) is not None and _int(r.get("char_end")) is not None]
            if completeness:
                comp += completeness_check(labels.get("mentions", "mentions.csv"), doc_id, text, doc_ment, obs, expressions)
            if "observations" in placed:
                prov += _page_issues(labels, d, text, doc_ment, obs)
    return prov, comp


def _page_issues(labels: dict[str, str], doc: dict[str, Any], text: str, ledger: list[dict[str, Any]], obs: list[dict[str, Any]]) -> list[Issue]:
    """Pages of documents whose page_method derives them must equal the derivation."""
    try:
        pages = derive_pages(text, doc, ledger, obs)
    except PageError as exc:
        return [Issue(labels["documents"], doc["_row"], "page_method", "pages-derivable", doc["doc_id"], str(exc))]
    out = []
    for o in obs:
        if o["obs_id"] in pages:
            want = "" if pages[o["obs_id"]] is None else str(pages[o["obs_id"]])
            if str(o.get("page") or "") != want:
                out.append(Issue(labels.get("observations", "observations.csv"), o["_row"], "page", "page-from-notes", str(o.get("page") or ""), f"the footnote blocks give page {want or 'none (not established)'}; run soviet-figures pages"))
    return out


def _derived_issues(descriptor: Path, paths: Mapping[str, Path], frames: dict[str, pd.DataFrame], labels: dict[str, str], own: bool, only: set[str] | None = None) -> list[Issue]:
    """Topic tables must be exactly their derivation from observations."""
    out: list[Issue] = []
    wanted = [t for t in tableschema.topic_tables() if (only is None or t["name"] in only) and t["name"] in paths and paths[t["name"]].is_file()]
    if "observations" not in frames or not (wanted or own):
        return out
    obs_fields = tableschema.field_names("observations")
    plain = {name: [{k: ("" if v is None else v) for k, v in r.items() if k != "_row"} for r in _records(frames[name])] for name in ("observations", "links", "contexts", "subjects") if name in frames}
    observations = with_years(plain["observations"])
    if "links" in frames:
        counted = with_counted(observations, plain["links"])
        for row, (o, c) in enumerate(zip(observations, counted), 1):
            if str(o.get("counted") or "") != c["counted"]:
                out.append(Issue(labels.get("observations", "observations.csv"), row, "counted", "derived-current", str(o.get("counted") or ""), f"counted is derived from links and must be {c['counted']}; run soviet-figures derive"))
        observations = counted
    if own and "series" in paths and paths["series"].is_file() and "contexts" in frames and "subjects" in frames:
        expected = csv_text(tableschema.field_names("series"), series_rows(observations, plain["contexts"], plain["subjects"]))
        if paths["series"].read_bytes().decode("utf-8", "replace") != expected:
            out.append(Issue(labels.get("series", str(paths["series"])), None, None, "derived-current", None, "series is not the derivation of observations, contexts and subjects; run soviet-figures derive (never edit it by hand)"))
    for table in wanted:
        path = paths[table["name"]]
        if path.read_bytes().decode("utf-8", "replace") != csv_text(obs_fields, topic_rows(observations, table)):
            out.append(Issue(labels.get(table["name"], str(path)), None, None, "derived-current", None, "topic table is not the derivation of observations; run soviet-figures derive (never edit it by hand)"))
    if own and descriptor.resolve() == (datapackage_dir() / "datapackage.json").resolve():
        if descriptor.read_text(encoding="utf-8") != descriptor_json(package_descriptor()):
            out.append(Issue(str(Path(descriptor.parent.name) / descriptor.name), None, None, "derived-current", None, "datapackage.json is not current with schemas/; run soviet-figures derive"))
    return out
