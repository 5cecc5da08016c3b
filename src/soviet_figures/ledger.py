"""Curating the completeness ledger (``mentions``): ``soviet-figures scan`` and ``classify``.

:func:`rescan` rebuilds a package's ledger from the texts, keeping every classification a
person made; :func:`classify_mentions` applies a reviewer's JSON Lines file. Both compute
the whole new ledger first and refuse before writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import tableschema
from .errors import WorksheetError
from .intake import read_jsonl, string_frame
from .io.package import Package
from .io.sources import read_source
from .text.mentions import ledger_rows
from .validate.runner import table_issues

__all__ = ["rescan", "classify_mentions", "Rescanned"]


@dataclass
class Rescanned:
    """The new ledger and, per document, ``(mentions, unclassified, no longer found)``.

    Parameters
    ----------
    rows : the rebuilt ``mentions`` rows
    counts : per doc_id, ``(mentions, unclassified, no longer found)``

    Examples
    --------
    >>> r = Rescanned(counts={"x-1990": (12, 3, 0)})
    >>> r.rows, r.counts["x-1990"][1]
    ([], 3)
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def rescan(pkg: Package, sources: Path, doc_id: str | None = None) -> Rescanned:
    """The package's ledger rebuilt from the texts (nothing is written).

    Every text is read and verified against ``documents.sha256`` before the ledger is
    rebuilt: a missing, empty-hashed or changed text stops the scan, so no document's
    classifications are lost to a text that cannot be read.

    Parameters
    ----------
    pkg : the package whose ledger is rebuilt
    sources : the directory of the source texts
    doc_id : rescan only this document (the others' rows are kept as they are)

    Returns
    -------
    Rescanned : the new ledger and the counts per document scanned.

    Raises
    ------
    WorksheetError : ``doc_id`` is not a document of the package.
    SourceError : a text is missing, unverifiable or changed.

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures.io.package import init_package
    >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
    >>> rescan(pkg, Path(tempfile.mkdtemp()))  # a package without documents
    Rescanned(rows=[], counts={})
    """
    docs = pkg.rows("documents")
    if doc_id is not None and doc_id not in {d["doc_id"] for d in docs}:
        raise WorksheetError(f"unknown doc_id {doc_id!r}; expected one of {', '.join(d['doc_id'] for d in docs)}")
    observations = pkg.rows("observations")
    existing = pkg.rows("mentions")
    out = Rescanned()
    for d in docs:
        mine = [r for r in existing if r["doc_id"] == d["doc_id"]]
        if doc_id and d["doc_id"] != doc_id:
            out.rows.extend(mine)
            continue
        text = read_source(sources, d["source_file"], d["sha256"])
        obs = [o for o in observations if o["doc_id"] == d["doc_id"] and o["char_start"] and o["char_end"]]
        rows = ledger_rows(d["doc_id"], text, mine, obs)
        dropped = {r["mention_id"] for r in mine} - {r["mention_id"] for r in rows}
        out.counts[d["doc_id"]] = (len(rows), sum(1 for r in rows if not r["status"]), len(dropped))
        out.rows.extend(rows)
    known = {d["doc_id"] for d in docs}
    out.rows.extend(r for r in existing if r["doc_id"] not in known)  # kept: the validator reports them
    return out


def classify_mentions(pkg: Package, file: Path, doc_id: str | None = None) -> tuple[list[dict[str, str]], int, list[str]]:
    """The ledger with a reviewer's classifications applied: ``(ledger, changed, problems)``.

    Each line of ``file`` is ``{"mention_id": …, "status": …, "reason": …}`` or, with
    ``doc_id``, ``{"start": char_start, …}``; ``text`` may be given to double-check.

    Parameters
    ----------
    pkg : the package whose ledger is classified (nothing is written)
    file : the reviewer's JSON Lines file
    doc_id : the document that ``start`` fields refer to

    Returns
    -------
    tuple : the whole ledger, the number of rows changed, and the problems (one string each).

    Raises
    ------
    WorksheetError : the file cannot be read, or ``doc_id`` is not a document.

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures.io.package import init_package
    >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
    >>> f = Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = f.write_text('{"mention_id": "x-m1", "status": "year"}\\n', encoding="utf-8")
    >>> classify_mentions(pkg, f)
    ([], 0, ['line 1: no mention x-m1 in the ledger (run scan first)'])
    """
    docs = {d["doc_id"] for d in pkg.rows("documents")}
    if doc_id is not None and doc_id not in docs:
        raise WorksheetError(f"unknown doc_id {doc_id!r}; expected one of {', '.join(sorted(docs))}")
    lines = read_jsonl(file, "classification file")
    ledger = pkg.rows("mentions")
    by_id = {r["mention_id"]: r for r in ledger}
    by_start = {(r["doc_id"], r["char_start"]): r for r in ledger}
    statuses = set(tableschema.enum("mentions", "status")) - {"observation"}
    problems: list[str] = []
    touched: list[tuple[int, dict[str, str]]] = []
    for c in lines:
        n = c["_line"]
        unknown = sorted(set(c) - {"mention_id", "doc_id", "start", "text", "status", "reason", "_line"})
        key = c.get("mention_id") or (doc_id or c.get("doc_id"), str(c.get("start", "")))
        row = by_id.get(c["mention_id"]) if isinstance(c.get("mention_id"), str) else by_start.get((doc_id or str(c.get("doc_id", "")), str(c.get("start", ""))))
        if unknown:
            problems.append(f"line {n}: fields {unknown} are not classification fields (mention_id or start, text, status, reason)")
        elif "mention_id" not in c and "start" not in c:
            problems.append(f"line {n}: expected a mention_id, or a start (with --doc DOC_ID or a doc_id field); found neither")
        elif "mention_id" not in c and not (doc_id or c.get("doc_id")):
            problems.append(f"line {n}: start {c.get('start')!r} needs its document: give --doc DOC_ID or a doc_id field")
        elif row is None:
            problems.append(f"line {n}: no mention {key} in the ledger (run scan first)")
        elif c.get("text") is not None and c["text"] != row["text"]:
            problems.append(f"line {n}: text {c['text']!r} differs from the ledger's {row['text']!r}")
        elif not isinstance(c.get("status"), str) or c["status"] not in statuses:
            problems.append(f"line {n}: status {c.get('status')!r} must be one of {sorted(statuses)}")
        elif c.get("reason") is not None and not isinstance(c.get("reason"), str):
            problems.append(f"line {n}: reason must be text")
        elif c["status"] == "other" and not c.get("reason"):
            problems.append(f"line {n}: status other needs a reason")
        elif row["status"] == "observation":
            problems.append(f"line {n}: {row['text']!r} (line {row['line']}) is covered by observation {row['obs_id']}; remove the observation first")
        else:
            row["status"], row["reason"] = c["status"], c.get("reason") or "reviewed"
            touched.append((n, row))
    # what the next validate would refuse in the rows changed, with the package as context
    frame = string_frame("mentions", [row for _, row in touched])
    context = {name: string_frame(name, pkg.rows(name)) for name in ("documents", "observations")}
    for issue in table_issues("mentions", frame, "classification", context):
        problems.append(f"line {touched[(issue.row or 1) - 1][0]}: [{issue.rule}] {issue.column or ''}: {issue.message}" + ("" if issue.value is None else f" (value: {issue.value[:60]!r})"))
    return ledger, len(touched), problems
