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

import os
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
from ..io.files import read_regular, within
from ..io.sources import read_source
from ..text.pages import derive_pages
from ..text.scanner import scan
from ..topics import series_rows, topic_rows, with_counted, with_years
from . import provenance, structure
from .completeness import check_document as completeness_check
from .issued import issued_issues
from .report import Issue, Report
from .rules import cell_issues, row_issues
from .schema import schema_issues
from .spans import duplicate_span_issues, span_issues

__all__ = ["validate", "table_of_file", "table_issues", "find_package"]

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


def _leads_elsewhere(f: Path, root: Path) -> bool:
    """Whether ``f`` goes through a symbolic link to somewhere outside ``root`` and outside
    the directory ``f`` is in: such a file (a link committed to /etc/passwd or a CI secret)
    is never read, so no line of it is ever printed.

    >>> _leads_elsewhere(Path("/etc/hostname"), Path("/tmp"))
    False
    """
    if os.path.realpath(f) == os.path.abspath(f):
        return False
    return not (within(f, root) or within(f, Path(os.path.abspath(f)).parent))


def _read_files(files: list[Path], paths: Mapping[str, Path], labels: dict[str, str], root: Path) -> tuple[list[Issue], dict[str, pa.Table], dict[str, Path]]:
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
        if _leads_elsewhere(f, root):
            found.append(Issue(str(f), None, None, "not-a-file", None, f"expected a CSV file but it is a symbolic link to a file outside {root} and outside its own directory (not followed); give the file itself"))
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
    return found, frames, given


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
        report.add_layer("structure", [Issue(str(descriptor), None, None, "datapackage", None, str(exc).removeprefix(f"{descriptor}: "))])
        return _skip_rest(report, "the package descriptor must be fixed first")
    labels = {name: str(Path(descriptor.parent.name) / p.relative_to(descriptor.parent)) for name, p in paths.items()}
    report.files.update({labels[name]: p for name, p in paths.items()})
    report.files.update({str(f): Path(f) for f in files or []})

    if files:
        found, arrow, given = _read_files(files, paths, labels, descriptor.parent)
    else:
        found, arrow = structure.read_package(descriptor, structure.read_arrow)
        given = {}
    if use_frictionless and not files and not found:  # only files that read: frictionless would open a pipe and wait
        found += structure.frictionless_issues(descriptor)
    if found:  # later layers would only repeat what cannot be read
        report.add_layer("structure", found)
        return _skip_rest(report, "structure errors must be fixed first")
    frames = {name: structure.to_frame(table) for name, table in arrow.items()}
    report.add_layer("structure", structure.check_keys(frames, labels, only=set(given) or None))

    checked = sorted(given) if given else [n for n in frames if n not in tableschema.topic_names()]
    semantics = [Issue(labels[t], None, None, "no-rows", None, "the file has a header but no rows") for t in sorted(given) if frames[t].empty]
    for name in checked:
        semantics += _table_semantics(name, frames[name], labels[name], frames, arrow[name])
    semantics += _issued(frames, labels, set(checked))
    semantics += _derived_issues(descriptor, {**paths, **given}, frames, labels, own=not files, only=set(given) or None)
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
        expected = csv_text(tableschema.field_names("series"), series_rows(observations, plain["contexts"], plain["subjects"], plain.get("links", [])))
        if paths["series"].read_bytes().decode("utf-8", "replace") != expected:
            out.append(Issue(labels.get("series", str(paths["series"])), None, None, "derived-current", None, "series is not the derivation of observations, links, contexts and subjects; run soviet-figures derive (never edit it by hand)"))
    for table in wanted:
        path = paths[table["name"]]
        try:
            current = read_regular(path, what="topic table").decode("utf-8", "replace")
        except PackageError as exc:
            out.append(Issue(labels.get(table["name"], str(path)), None, None, "derived-current", None, f"{exc}; run soviet-figures derive"))
            continue
        if current != csv_text(obs_fields, topic_rows(observations, table)):
            out.append(Issue(labels.get(table["name"], str(path)), None, None, "derived-current", None, "topic table is not the derivation of observations; run soviet-figures derive (never edit it by hand)"))
    if own and descriptor.resolve() == (datapackage_dir() / "datapackage.json").resolve():
        if descriptor.read_text(encoding="utf-8") != descriptor_json(package_descriptor()):
            out.append(Issue(str(Path(descriptor.parent.name) / descriptor.name), None, None, "derived-current", None, "datapackage.json is not current with schemas/; run soviet-figures derive"))
    return out


def _issued(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], checked: set[str]) -> list[Issue]:
    """``obs-id-issued`` on the checked tables: on observations rows when observations is
    checked, else on documents rows when documents is."""
    on = "observations" if "observations" in checked else "documents" if "documents" in checked else None
    if on is None:
        return []
    return issued_issues(frames.get("observations"), frames.get("documents"), labels.get("observations", "observations.csv"),
                         labels.get("documents", "documents.csv"), on=on)


def _table_semantics(name: str, frame: pd.DataFrame, label: str, frames: Mapping[str, pd.DataFrame], cells: pa.Table | None = None) -> list[Issue]:
    """The semantics layer's rules on one table (``cells``: its Arrow table, when at hand,
    for the cell rules' speed): what ``validate`` and :func:`table_issues` both run."""
    found = schema_issues(name, frame, label) + cell_issues(name, frame if cells is None else cells, label)
    found += row_issues(name, frame, label, dict(frames))
    if name == "observations" or name in tableschema.topic_names():
        found += duplicate_span_issues(frame, label)
    return found


def table_issues(name: str, frame: pd.DataFrame, label: str, context: Mapping[str, pd.DataFrame]) -> list[Issue]:
    """What ``validate`` would refuse in the rows of ``frame`` (table ``name``, cells as
    strings, empty → missing), with ``context`` the package's other tables: keys, the
    pandera schema, the cell rules, the row rules and ``obs-id-issued``.

    ``add`` and ``classify`` run it on the rows they would write and refuse them first, so
    that they never write what the next ``validate`` refuses.

    Examples
    --------
    >>> import pandas as pd
    >>> links = pd.DataFrame({"obs_id_a": ["b"], "obs_id_b": ["a"], "relation": ["same_quantity_as"], "note": ["-x"]}, dtype="string")
    >>> sorted(i.rule for i in table_issues("links", links, "new rows", {}))
    ['link-order', 'no-formula']
    """
    frames = {**context, name: frame}
    labels = {n: label if n == name else f"{n}.csv" for n in frames}
    found = structure.check_keys(frames, labels, only={name}) + _table_semantics(name, frame, label, frames)
    found += _issued(frames, labels, {name})
    return found


def find_package(files: list[Path]) -> Path | None:
    """The ``datapackage.json`` the ``files`` belong to: the nearest one in their directory
    or a directory above it (not above the root of a git repository), or None if there is none.

    This is how ``validate FILE ...`` without ``--package`` (the pre-commit hook) checks a
    contributor's files against the contributor's own package rather than the installed one.

    Raises
    ------
    PackageError : the files belong to two different packages.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> find_package([datapackage_dir() / "data" / "observations.csv"]) == datapackage_dir() / "datapackage.json"
    True
    """
    found: dict[Path, list[Path]] = {}
    for f in files:
        here = Path(os.path.abspath(f)).parent
        for directory in (here, *here.parents):
            if os.path.lexists(directory / "datapackage.json"):
                found.setdefault(directory / "datapackage.json", []).append(f)
                break
            if os.path.lexists(directory / ".git"):
                break
    if len(found) > 1:
        listed = "; ".join(f"{d} ({', '.join(str(f) for f in fs[:3])})" for d, fs in found.items())
        raise PackageError(f"expected files of one data package, found files of {len(found)}: {listed}; validate each package's files in its own run, or give --package")
    return next(iter(found), None)
