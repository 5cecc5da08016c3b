"""Run the four validation layers on a data package or on a contributor's CSV files.

>>> from soviet_figures._paths import datapackage_dir
>>> report = validate(datapackage_dir() / "datapackage.json", sources=None)
>>> report.layers["provenance"]
'skipped: no source texts (use --sources DIR or SOVIET_FIGURES_SOURCES)'

Nothing is ever written: validation only reads.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tableschema
from .report import Issue, Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

__all__ = ["validate", "table_of_file"]

_NO_TEXTS = "no source texts (use --sources DIR or SOVIET_FIGURES_SOURCES)"


def table_of_file(path: Path) -> str | None:
    """The table a CSV file holds, from its name: ``observations.csv``, ``my-book.observations.csv``."""
    stem = path.name[: -len(".csv")] if path.name.endswith(".csv") else path.stem
    for name in tableschema.table_names():
        if stem == name or stem.endswith(("." + name, "_" + name, "-" + name)):
            return name
    return None


def _read_tables(descriptor: Path, files: list[Path] | None, paths: dict[str, Path], labels: dict[str, str]) -> tuple[list[Issue], dict[str, pa.Table]]:
    """Structure findings and the tables read as Arrow strings: the package's, or ``files``
    in place of theirs (``paths`` and ``labels`` are updated to the files). No pandas here:
    this runs in a thread while the other one imports it."""
    from . import structure

    if not files:
        return structure.read_package(descriptor, structure.read_arrow)
    found: list[Issue] = []
    frames: dict[str, pa.Table] = {}
    given: set[str] = set()
    for f in files:
        table = table_of_file(f)
        if table is None:
            found.append(Issue(str(f), None, None, "table-name", None, f"cannot tell which table this file holds; name it <table>.csv or <anything>.<table>.csv (tables: {', '.join(tableschema.table_names())})"))
            continue
        issues, frame = structure.read_arrow(f, table)
        found += issues
        if frame is not None:
            frames[table] = frame
        paths[table], labels[table] = f, str(f)
        given.add(table)
    for name, p in paths.items():  # the package's own tables, as context for the files
        if name not in given and p.exists() and name in tableschema.table_names():
            frame = structure.read_arrow(p, name)[1]
            if frame is not None:
                frames[name] = frame
    return found, frames


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain values (missing → None) with their data row number ``_row``.

    >>> import pandas as pd
    >>> _records(pd.DataFrame({"a": ["x", None]}, dtype="string"))
    [{'a': 'x', '_row': 1}, {'a': None, '_row': 2}]
    """
    columns = {c: df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns}
    columns["_row"] = list(range(1, len(df) + 1))
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def _resource_paths(descriptor: Path) -> dict[str, Path]:
    with open(descriptor, encoding="utf-8") as f:
        desc = json.load(f)
    return {r["name"]: descriptor.parent / r["path"] for r in desc.get("resources", []) if "name" in r and "path" in r}


def validate(
    descriptor: Path,
    sources: Path | None,
    files: list[Path] | None = None,
    use_frictionless: bool = False,
) -> Report:
    """Validate the package at ``descriptor``; with ``files``, those CSVs replace its tables."""
    from . import completeness, pipeline, provenance, structure
    from .sources import SourceError, read_source

    report = Report()
    descriptor = Path(descriptor)
    try:
        paths = _resource_paths(descriptor)
    except (OSError, ValueError) as exc:
        report.add_layer("structure", [Issue(str(descriptor), None, None, "datapackage", None, f"cannot read the package descriptor: {exc}")])
        return report
    labels = {name: str(Path(descriptor.parent.name) / p.relative_to(descriptor.parent)) for name, p in paths.items()}

    # --- layers 1 and 2, reading in one thread while pandera is imported in this one
    given = {t for t in map(table_of_file, files or []) if t is not None}
    read = partial(_read_tables, descriptor, files, paths, labels)
    checked = pipeline.check_tables(read, labels, given, tables=pipeline.semantic_tables(list(given or paths), given))
    found, frames = checked.structure, checked.frames
    frictionless_found = structure.frictionless_issues(descriptor) if use_frictionless and not files else []
    report.add_layer("structure", found + frictionless_found)
    if not checked.readable or frictionless_found:  # later layers would only repeat what cannot be read
        for layer in ("semantics", "provenance", "completeness"):
            report.add_layer(layer, [], skipped="structure errors must be fixed first")
        return report

    found = [Issue(labels[t], None, None, "no-rows", None, "the file has a header but no rows") for t in sorted(given) if frames[t].empty]
    for table_found in checked.semantics.values():
        found += table_found
    found += _derived_issues(descriptor, frames, labels, own=not files, only=given or None)
    report.add_layer("semantics", found)

    # --- layers 3 and 4 need the texts
    if sources is None:
        report.add_layer("provenance", [], skipped=_NO_TEXTS)
        report.add_layer("completeness", [], skipped=_NO_TEXTS)
        return report
    docs = frames.get("documents")
    obs = _records(frames["observations"]) if "observations" in frames else []
    ment = _records(frames["mentions"]) if "mentions" in frames else []
    prov: list[Issue] = []
    comp: list[Issue] = []
    texts: dict[str, str] = {}
    doc_rows = {d["doc_id"]: d for d in (_records(docs) if docs is not None else [])}
    for d in doc_rows.values():
        try:
            texts[d["doc_id"]] = read_source(Path(sources), d["source_file"], d["sha256"])
        except SourceError as exc:
            prov.append(Issue(labels["documents"], d["_row"], "sha256" if "SHA-256" in str(exc) else "source_file", "source-text", d["source_file"], str(exc)))
    for doc_id, text in texts.items():
        doc_obs = [r for r in obs if r["doc_id"] == doc_id]
        doc_ment = [r for r in ment if r["doc_id"] == doc_id]
        prov += provenance.check_rows(labels.get("observations", "observations.csv"), text, doc_obs)
        prov += provenance.check_rows(labels.get("mentions", "mentions.csv"), text, doc_ment, text_col="text", quote=False)
        placed = [r for r in doc_obs if _int(r.get("char_start")) is not None and _int(r.get("char_end")) is not None]
        comp += completeness.check_document(labels.get("mentions", "mentions.csv"), doc_id, text, doc_ment, placed)
        prov += _page_issues(labels, doc_rows[doc_id], text, doc_ment, placed)
    report.add_layer("provenance", prov)
    if files and "mentions" not in given:
        report.add_layer("completeness", [], skipped="no mentions file among the files given")
    else:
        report.add_layer("completeness", comp)
    return report


def _page_issues(labels: dict[str, str], doc: dict[str, Any], text: str, ledger: list[dict[str, Any]], obs: list[dict[str, Any]]) -> list[Issue]:
    """Pages of documents whose page_method derives them must equal the derivation."""
    from .pages import PageError, derive_pages

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


def _int(x: Any) -> int | None:
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def _derived_issues(descriptor: Path, frames: dict[str, Any], labels: dict[str, str], own: bool, only: set[str] | None = None) -> list[Issue]:
    """Topic tables must be exactly their derivation from observations."""
    from .derive import _json, csv_text, package_descriptor, topic_rows, with_years
    from ._paths import datapackage_dir

    out: list[Issue] = []
    paths = _resource_paths(descriptor)
    wanted = [t for t in tableschema.topic_tables() if (only is None or t["name"] in only) and paths.get(t["name"]) and paths[t["name"]].exists()]
    if "observations" not in frames or not (wanted or own):
        return out
    obs_fields = tableschema.field_names("observations")
    observations = with_years([{k: ("" if v is None else v) for k, v in r.items() if k != "_row"} for r in _records(frames["observations"])])
    for table in wanted:  # checking a contributor's files: only the topic tables they gave
        path = paths[table["name"]]
        if path.read_text(encoding="utf-8") != csv_text(obs_fields, topic_rows(observations, table)):
            out.append(Issue(labels.get(table["name"], str(path)), None, None, "derived-current", None, "topic table is not the derivation of observations; run soviet-figures derive (never edit it by hand)"))
    if own and descriptor.resolve() == (datapackage_dir() / "datapackage.json").resolve():
        if descriptor.read_text(encoding="utf-8") != _json(package_descriptor()):
            out.append(Issue(labels.get("", "datapackage/datapackage.json"), None, None, "derived-current", None, "datapackage.json is not current with schemas/; run soviet-figures derive"))
    return out
