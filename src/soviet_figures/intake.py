"""Turn a transcriber's worksheet (JSON Lines) into observation rows with offsets
(``soviet-figures add``).

A worksheet row carries what a person decides — the figure as printed, the quote, meaning,
value — and never offsets: :func:`place_rows` finds the quote in the source text and
computes ``char_start``, ``char_end`` and ``line``. The value is checked against the number
parser, and the rows are checked by the validator's rules before anything is written.

Worksheet fields: ``value_text``, ``quote`` (verbatim, 20–400 characters, containing the
figure), optional ``occurrence`` (which appearance of ``value_text`` inside the quote,
1-based), and any column of ``observations`` but the ids, offsets, line and years.

>>> text = "Rabochie otrabotali 250 — 300 chasov v 1936 g."
>>> rows, problems = place_rows(text, "en", [{"value_text": "250 — 300",
...     "quote": "otrabotali 250 — 300 chasov", "value_low": 250, "value_high": 300,
...     "qualifier": "range"}])
>>> rows[0]["char_start"], rows[0]["line"], problems
(20, 1, [])
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import tableschema
from ._cells import cell_str
from .errors import LocateError, PackageError, WorksheetError
from .io.files import read_regular, utf8_text
from .io.package import Package
from .io.sources import read_source
from .text.locate import locate
from .topics import with_years
from .validate.issued import id_number
from .validate.runner import table_issues
from .validate.values import value_problems

__all__ = ["read_jsonl", "read_worksheet", "place_rows", "add_worksheet", "Added", "string_frame"]

# what a worksheet may set: the columns a person decides (offsets, line, ids and years are computed)
_COMPUTED = {"obs_id", "doc_id", "char_start", "char_end", "line", "year_start", "year_end", "counted"}
_MAX_WORKSHEET_BYTES = 16 * 2**20


def read_jsonl(path: str | Path, what: str = "worksheet") -> list[dict[str, Any]]:
    """Read a JSON Lines file: one JSON object a line, blank lines skipped.

    Lines end at ``\\n`` only: a U+2028 inside a JSON string is part of the string.

    Raises
    ------
    WorksheetError : not a regular file, not UTF-8, a BOM, a line that is not a JSON
        object (its line number is named).

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "w.jsonl"
    >>> _ = p.write_text('{"quote": "a\\u2028b"}\\n\\n', encoding="utf-8")
    >>> read_jsonl(p)
    [{'quote': 'a\\u2028b', '_line': 1}]
    """
    try:
        data = read_regular(path, _MAX_WORKSHEET_BYTES, what)
    except PackageError as exc:
        raise WorksheetError(str(exc)) from None
    text = utf8_text(data, str(path), WorksheetError)
    rows = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError: also an integer too long to convert
            reason = getattr(exc, "msg", None) or ("nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:80])
            raise WorksheetError(f"{path}: line {n}: expected one JSON object, found invalid JSON ({reason}); fix the line") from None
        if not isinstance(row, dict):
            raise WorksheetError(f"{path}: line {n}: expected a JSON object, found {type(row).__name__}")
        row["_line"] = n
        rows.append(row)
    return rows


def read_worksheet(path: str | Path) -> list[dict[str, Any]]:
    """A worksheet's rows; a field that is not a column of ``observations`` is refused.

    Parameters
    ----------
    path : the worksheet, a JSON Lines file

    Returns
    -------
    list of dict : one row per non-blank line, with its line number as ``_line``.

    Raises
    ------
    WorksheetError : as :func:`read_jsonl`, or an unknown or computed field.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "w.jsonl"
    >>> _ = p.write_text('{"quote": "120 workers", "value_text": "120"}\\n', encoding="utf-8")
    >>> read_worksheet(p)
    [{'quote': '120 workers', 'value_text': '120', '_line': 1}]
    >>> _ = p.write_text('{"obs_id": "x-0001"}\\n', encoding="utf-8")
    >>> read_worksheet(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    soviet_figures.errors.WorksheetError: ...: line 1: fields ['obs_id'] are not worksheet fields ...
    """
    rows = read_jsonl(path)
    allowed = (set(tableschema.field_names("observations")) - _COMPUTED) | {"occurrence"}
    for row in rows:
        unknown = sorted(k for k in row if k not in allowed and k != "_line")
        if unknown:
            raise WorksheetError(f"{path}: line {row['_line']}: fields {unknown} are not worksheet fields (expected some of {', '.join(sorted(allowed))}); offsets, line, ids and years are computed")
        bad = sorted(k for k, v in row.items() if k != "_line" and v is not None and not isinstance(v, (str, int, float)))
        if bad:
            raise WorksheetError(f"{path}: line {row['_line']}: fields {bad} hold a list or an object; expected text or a number")
        flags = sorted(k for k, v in row.items() if k != "_line" and isinstance(v, bool))
        if flags:
            raise WorksheetError(f"{path}: line {row['_line']}: fields {flags} hold true or false; expected text or a number (no observation column is a boolean)")
        huge = sorted(k for k, v in row.items() if k != "_line" and isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2**63)
        if huge:
            raise WorksheetError(f"{path}: line {row['_line']}: fields {huge} hold a number too large to be a figure (over 19 digits); expected the figure's value")
    return rows


def place_rows(text: str, lang: str | None, rows: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Locate each worksheet row in ``text``; return the placed rows and the problems.

    Parameters
    ----------
    text : the source text
    lang : the document's language (for the number parser)
    rows : worksheet rows (with ``_line``)

    Returns
    -------
    tuple : the placed rows (with ``char_start``, ``char_end`` and ``line``) and the
        problems (one string each: the worksheet line and what is wrong).

    Examples
    --------
    >>> rows = [{"_line": 1, "quote": "over 120 workers joined", "value_text": "120", "subject": "x", "measure": "party_members",
    ...          "unit": "persons", "value_kind": "level", "qualifier": "exact", "value": 120}]
    >>> placed, problems = place_rows("In 1930 over 120 workers\\njoined the party.", "en", rows)
    >>> placed[0]["char_start"], placed[0]["char_end"], placed[0]["line"], problems
    (13, 16, 1, [])
    """
    placed, problems = [], []
    for row in rows:
        where = f"worksheet line {row.get('_line', '?')}"
        try:
            occurrence = int(row["occurrence"]) if row.get("occurrence") not in (None, "") else None
            loc = locate(text, str(row.get("quote", "")), str(row.get("value_text", "")), occurrence)
        except (LocateError, ValueError, TypeError, OverflowError) as exc:
            problems.append(f"{where}: {exc}")
            continue
        out = {k: v for k, v in row.items() if not k.startswith("_") and k != "occurrence"}
        out.update(char_start=loc.char_start, char_end=loc.char_end, line=loc.line, value_text=loc.value_text)
        out["quote"] = " ".join(str(row["quote"]).split())
        for p in value_problems(out, lang):
            problems.append(f"{where} ({loc.value_text!r}): {p}")
        placed.append(out)
    return placed, problems


@dataclass
class Added:
    """What :func:`add_worksheet` did or would do.

    Parameters
    ----------
    rows : the new observations rows
    problems : what stopped rows from being added (one string each)
    documents : the documents rows, with the document's ``last_obs_id`` raised

    Examples
    --------
    >>> a = Added(problems=["worksheet line 1: not found"])
    >>> a.rows, a.problems
    ([], ['worksheet line 1: not found'])
    """

    rows: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    documents: list[dict[str, str]] = field(default_factory=list)  # with the document's last_obs_id raised

    def write(self, pkg: Package) -> list[Path]:
        """Write the new rows and the raised ``last_obs_id`` (nothing if no row is added).

        documents.csv is written first, then observations.csv, each atomically: an
        interruption between the two leaves last_obs_id ahead of the observations, which
        retires an id that was never used (the package stays valid, and no id can be
        issued twice); the other order would leave observations above their last_obs_id.

        Examples
        --------
        >>> Added().write(Package.open(None))  # nothing to add: nothing is written
        []
        """
        if not self.rows:
            return []
        return pkg.write_tables({"documents": self.documents, "observations": pkg.rows("observations") + self.rows})


def add_worksheet(pkg: Package, worksheet: Path, doc_id: str, sources: Path, force: bool = False) -> Added:
    """Append a worksheet's rows to ``pkg``'s observations, offsets computed from the text.

    Nothing is written when any row cannot be placed or would be refused by the validator
    (unless ``force``: then the rows that pass are added); ids continue after the highest
    id the document has had.

    Parameters
    ----------
    pkg : the package the rows are added to
    worksheet : the worksheet, a JSON Lines file
    doc_id : the document the rows quote
    sources : the directory of the source texts
    force : add the rows that pass even when others have problems

    Returns
    -------
    Added : the rows to add and the problems; nothing is written until :meth:`Added.write`.

    Raises
    ------
    WorksheetError : the worksheet cannot be read, or ``doc_id`` is not a document.
    SourceError : the document's text is missing or not the one transcribed.

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures.io.package import init_package
    >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
    >>> add_worksheet(pkg, Path("w.jsonl"), "nobody-2000", Path("."))
    Traceback (most recent call last):
    ...
    soviet_figures.errors.WorksheetError: unknown doc_id 'nobody-2000'; expected one of (none yet): add its documents row first
    """
    docs = {d["doc_id"]: d for d in pkg.rows("documents")}
    if doc_id not in docs:
        raise WorksheetError(f"unknown doc_id {doc_id!r}; expected one of {', '.join(docs) or '(none yet)'}: add its documents row first")
    doc = docs[doc_id]
    rows = read_worksheet(worksheet)
    text = read_source(sources, doc["source_file"], doc["sha256"])
    placed, problems = place_rows(text, doc["language"], rows)
    fields = tableschema.field_names("observations")
    existing = pkg.rows("observations")
    taken = {(r["doc_id"], r["char_start"], r["char_end"]): r["obs_id"] for r in existing}
    # ids continue after the highest ever issued (last_obs_id), not only the highest left:
    # the id of a removed figure is never issued again
    numbers = [id_number(r["obs_id"], doc_id) for r in existing if r["doc_id"] == doc_id] + [id_number(doc.get("last_obs_id"), doc_id)]
    next_n = max((n for n in numbers if n is not None), default=0) + 1
    result = Added(problems=problems)
    for r in sorted(placed, key=lambda r: r["char_start"]):
        span = (doc_id, str(r["char_start"]), str(r["char_end"]))
        if span in taken:
            result.problems.append(f"{r['value_text']!r} at line {r['line']}: {taken[span]} already has that span (a second figure from the same words is added by hand, with a note in each row naming the other)")
            continue
        row = {k: cell_str(r.get(k)) for k in fields}
        row["obs_id"], row["doc_id"] = f"{doc_id}-{next_n:04d}", doc_id
        row["counted"] = "true"  # a new row is linked to nothing yet; derive recomputes it from links
        taken[span] = row["obs_id"]
        result.rows.append(with_years([row])[0])
        next_n += 1
    if next_n > 9999:
        raise WorksheetError(f"{doc_id}: obs_ids would pass {doc_id}-9999 (the obs_id pattern has four digits); split the document into two documents rows")
    refused = _refusals(pkg, result.rows, doc_id)
    result.problems += [message for _, message in refused]
    if result.problems and not force:
        result.rows = []
    result.rows = [r for r in result.rows if r["obs_id"] not in {obs_id for obs_id, _ in refused}]
    highest = max((id_number(r["obs_id"], doc_id) or 0 for r in result.rows), default=0)
    result.documents = [dict(d, last_obs_id=f"{doc_id}-{highest:04d}") if d["doc_id"] == doc_id and highest > (id_number(d.get("last_obs_id"), doc_id) or 0) else d
                        for d in docs.values()]
    return result


def string_frame(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    """Rows of table ``name`` as the validator reads a file: every cell a string, empty → missing.

    Examples
    --------
    >>> string_frame("links", [{"obs_id_a": "a", "obs_id_b": "b", "relation": "same_quantity_as", "note": ""}])["note"].isna().tolist()
    [True]
    """
    return pd.DataFrame({c: pd.Series([r.get(c) or None for r in rows], dtype="string") for c in tableschema.field_names(name)})


def _refusals(pkg: Package, rows: list[dict[str, str]], doc_id: str) -> list[tuple[str, str]]:
    """What ``validate`` would refuse in the new ``rows`` (keys, schema, cell and row rules,
    with the package's other tables as context): ``(obs_id, message)`` each."""
    if not rows:
        return []
    frame = string_frame("observations", rows)
    documents = [dict(d, last_obs_id=rows[-1]["obs_id"]) if d["doc_id"] == doc_id else d for d in pkg.rows("documents")]
    context = {name: string_frame(name, pkg.rows(name)) for name in ("measures", "subjects")}
    context["documents"] = string_frame("documents", documents)
    out = []
    for i in table_issues("observations", frame, "new rows", context):
        row = rows[i.row - 1] if i.row else {"obs_id": "", "value_text": ""}
        out.append((row["obs_id"], f"new row {row['obs_id']} ({row['value_text']!r}): [{i.rule}] {i.column or ''}: {i.message}" + ("" if i.value is None else f" (value: {i.value[:60]!r})")))
    return out
