"""The hostile-input corpus: every command and the Python API treat their input as hostile.

Each case gives one entry point (``validate`` on files and on packages, ``add``, ``classify``,
``scan``, ``pages``, ``init``, ``derive``, ``show``, ``tables``, ``build``, ``site``, the
pre-commit hook, ``sf.load``, ``sf.load(release=…)``, ``sf.cite``, ``sf.parse``) one hostile
input of one class, and asserts:

* the exit status (or the exception class, a :class:`SovietFiguresError`);
* the rule and the location (file, row, column) or the key words of the message;
* no traceback, no "this is a bug" message (the command line's last resort), no hang (every
  command runs with a hard timeout);
* the SHA-256 of every file of the package it ran against — and of every other file in the
  test's directory — is unchanged after a refused command.

Case ids read ``<entry point>-<class>-<what>``, so a failure says which class broke. The
classes are those of issue 17:

``lost`` (data lost or changed: interrupted writes, BOM, unknown columns, extra cells, init
over files, scan on an unverifiable text), ``accepted`` (wrong input accepted: trailing
newlines, formulas, invisible characters, mixed alphabets, look-alike digits, retired ids,
rows the validator refuses, paths leaving their directory, releases off their schema),
``crash`` (traceback or hang: FIFOs, directories, malformed descriptors and JSON, huge cells,
zip bombs, catastrophic patterns, files where directories belong), ``misreported`` (wrong
line, unescaped annotations, SHA256SUMS variants, U+2028, unknown document).

Nothing here needs the source texts: the package the commands run on is a tiny one of our own,
made with ``soviet-figures init`` from a text this module writes (as ``test_contributing.py``
does), or a copy of the real package (``package_copy``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors as pe
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

import soviet_figures as sf
from soviet_figures import __version__
from soviet_figures.cli import main
from soviet_figures.errors import PackageError, ParseError, ReleaseError, SovietFiguresError, TableError, WorksheetError
from soviet_figures.intake import read_jsonl
from soviet_figures.io import files as io_files
from soviet_figures.io.release import build, parse_sha256sums

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60  # seconds: a hang fails the case instead of hanging CI
STEM = f"soviet-figures-{__version__}"

TEXT = (
    "Отчёт завода за 1934 г.\n"
    "В 1934 г. на заводе работало 12 400 рабочих, из них 1 860 коммунистов (15%).\n"
    "Сверхурочно отработано около 40 тыс. часов. Рост выработки составил 1٥٠% к плану.\n"
)
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
DOC = "zavod-1934"
BASE = {"topic": "workforce", "subject": "Zavod", "place": "", "period": "1934", "footnote": "", "cited_source": "",
        "attributed_to": "", "note": "", "value_low": None, "value_high": None, "value_kind": "level", "context": "zavod-report-1934"}
FIGURES = [
    {**BASE, "value_text": "12 400", "quote": "на заводе работало 12 400 рабочих", "measure": "workforce", "unit": "persons",
     "value": 12400, "qualifier": "exact", "description": "Workers of the plant in 1934."},
    {**BASE, "value_text": "1 860", "quote": "из них 1 860 коммунистов", "measure": "party_members", "topic": "membership",
     "unit": "persons", "value": 1860, "qualifier": "exact", "description": "Communists among the plant's workers in 1934."},
]
# a figure not yet in the package: the worksheets of the add cases start from it
NEW = {**BASE, "value_kind": "share", "value_text": "15%", "quote": "1 860 коммунистов (15%)", "measure": "party_saturation", "topic": "membership",
       "unit": "percent", "value": 15, "qualifier": "exact", "description": "Party saturation of the plant's workforce in 1934."}


# --- running a command: in-process, in a thread with a timeout ---------------------------

@dataclass
class Ran:
    code: int | None
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def _in_thread(func: Callable[[], Any], timeout: float, what: str) -> dict[str, Any]:
    """``func()`` in a daemon thread: ``{"value": …}`` or ``{"raised": exception}``; a hang fails the test."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = func()
        except BaseException as exc:  # noqa: BLE001 - the caller decides what an exception means
            result["raised"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{what}hangs (over {timeout} s)")
    return result


def cli(*argv: object, timeout: float = TIMEOUT) -> Ran:
    """``soviet-figures ARGV`` in this process, in a daemon thread: a hang fails the test."""
    out, err = io.StringIO(), io.StringIO()
    command = f"soviet-figures {' '.join(map(str, argv))}"

    def run() -> Any:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                return main([str(a) for a in argv])
            except SystemExit as exc:
                return exc.code

    result = _in_thread(run, timeout, f"{command} ")
    if "raised" in result:  # a traceback is what the test looks for
        exc = result["raised"]
        pytest.fail(f"{command} raised {type(exc).__name__}: {exc} (a traceback)")
    return Ran(result.get("value"), out.getvalue(), err.getvalue())


def call(func: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    """``func()`` in a daemon thread with a timeout; returns its value or the exception it raised."""
    result = _in_thread(func, timeout, "")
    return result.get("raised", result.get("value"))


def snapshot(directory: Path) -> dict[str, str]:
    """Every entry under ``directory``: the SHA-256 of each regular file, the kind of the rest."""
    found = {}
    for root, dirs, names in os.walk(directory):
        for name in dirs + names:
            p = Path(root) / name
            rel = str(p.relative_to(directory))
            if p.is_symlink():
                found[rel] = "link:" + os.readlink(p)
            elif p.is_dir():
                found[rel] = "dir"
            elif p.is_file():
                found[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                found[rel] = "special"
    return found


def assert_clean(ran: Ran) -> None:
    assert "Traceback" not in ran.text, ran.text
    assert "This is a bug" not in ran.text, ran.text


def assert_words(text: str, words: tuple[str, ...]) -> None:
    for w in words:
        assert w.lower() in text.lower(), f"{w!r} not in:\n{text[-3000:]}"


# --- the tiny package: init, a document, a subject, two figures, every mention classified --

def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    fields = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in fields})
    path.write_text(buf.getvalue(), encoding="utf-8")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid tiny package and its text, made once; tests work on copies (:func:`ctx`)."""
    base = tmp_path_factory.mktemp("hostile-template")
    (base / "sources").mkdir()
    (base / "sources" / "zavod.txt").write_text(TEXT, encoding="utf-8")
    pkg = base / "pkg" / "datapackage.json"
    assert cli("init", pkg.parent).code == 0
    _write_csv(pkg.parent / "data" / "documents.csv", [{
        "doc_id": DOC, "title": "Отчёт завода", "subtitle": "", "title_en": "Plant report", "doc_type": "article", "language": "ru",
        "source_file": "zavod.txt", "sha256": SHA, "summary": "A test document.", "last_obs_id": ""}])
    _write_csv(pkg.parent / "data" / "subjects.csv", [{
        "subject_id": "zavod", "name": "Zavod", "kind": "enterprise", "aliases": "завод", "name_ru": "завод",
        "description": "The plant of the report."}])
    _write_csv(pkg.parent / "data" / "contexts.csv", [{
        "context_id": "zavod-report-1934", "label": "The plant's report for 1934", "kind": "setting", "period": "1934",
        "family": "plant-party-life", "description": "The plant's annual report for 1934."}])
    P, S = ("--package", pkg), ("--sources", base / "sources")
    assert cli(*P, "scan", *S).code == 0
    ran = cli(*P, "add", _jsonl(base / "w.jsonl", FIGURES), "--doc", DOC, *S)
    assert ran.code == 0, ran.text
    assert cli(*P, "scan", *S).code == 0
    left = [r for r in _rows(pkg.parent / "data" / "mentions.csv") if not r["status"]]
    cls = _jsonl(base / "c.jsonl", [{"mention_id": r["mention_id"], "status": "other", "reason": "not a figure of the test"} for r in left])
    assert cli(*P, "classify", cls).code == 0
    assert cli(*P, "derive").code == 0
    ran = cli("validate", "--package", pkg, *S)
    assert ran.code == 0 and "result        valid" in ran.out, ran.text
    (base / "w.jsonl").unlink()
    (base / "c.jsonl").unlink()
    return base


@dataclass
class Ctx:
    """One test's copy of the tiny package, its sources, and helpers to break them."""

    tmp: Path

    @property
    def pkg(self) -> Path:
        return self.tmp / "pkg" / "datapackage.json"

    @property
    def data(self) -> Path:
        return self.tmp / "pkg" / "data"

    @property
    def src(self) -> Path:
        return self.tmp / "sources"

    @property
    def P(self) -> tuple[str, str]:
        return ("--package", str(self.pkg))

    @property
    def S(self) -> tuple[str, str]:
        return ("--sources", str(self.src))

    def rows(self, table: str) -> list[dict[str, str]]:
        return _rows(self.data / f"{table}.csv")

    def table_file(self, table: str, rows: list[dict[str, str]], where: Path | None = None, name: str | None = None) -> Path:
        """Write ``rows`` of ``table`` as CSV (the schema's header) to ``where`` (default: the package)."""
        path = (where or self.data) / (name or f"{table}.csv")
        buf = io.StringIO()
        w = csv.DictWriter(buf, list(rows[0]) if rows else sf.schema(table).columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        return path

    def changed(self, table: str, **cells: str) -> list[dict[str, str]]:
        """The table's rows with the first row's ``cells`` replaced."""
        rows = self.rows(table)
        rows[0].update(cells)
        return rows

    def contribution(self, table: str, file_name: str | None = None, /, **cells: str) -> Path:
        """A contributor's file of ``table`` outside any package, the first row changed."""
        return self.table_file(table, self.changed(table, **cells), self.tmp / "files", file_name)

    def worksheet(self, *rows: Any, name: str = "w.jsonl") -> Path:
        return _jsonl(self.tmp / name, list(rows))

    def raw(self, name: str, data: bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def fifo(self, path: Path) -> Path:
        if path.exists():
            path.unlink()
        os.mkfifo(path)
        return path

    def prepend(self, path: Path, data: bytes) -> Path:
        path.write_bytes(data + path.read_bytes())
        return path


@pytest.fixture(autouse=True)
def _no_texts_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cases give ``--sources`` (the tiny package's own text) where they need a text;
    none reads the real texts through ``SOVIET_FIGURES_SOURCES``."""
    monkeypatch.delenv("SOVIET_FIGURES_SOURCES", raising=False)


@pytest.fixture()
def ctx(template: Path, tmp_path: Path) -> Ctx:
    shutil.copytree(template, tmp_path, dirs_exist_ok=True, symlinks=True)
    (tmp_path / "files").mkdir()
    return Ctx(tmp_path)


# --- the command-line cases ---------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    argv: Callable[[Ctx], list[Any]]  # breaks something in the copy, returns the command line
    code: int
    words: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # what must never be printed (a symlink target's content)


def case(id: str, code: int, *words: str, absent: tuple[str, ...] = ()) -> Callable[[Callable[[Ctx], list[Any]]], Case]:
    def wrap(argv: Callable[[Ctx], list[Any]]) -> Case:
        return Case(id, argv, code, words, absent)
    return wrap


def validate_file(table: str, /, **cells: str) -> Callable[[Ctx], list[Any]]:
    """``validate --package PKG FILE`` on a contributor's ``table`` file with ``cells`` changed."""
    return lambda c: ["validate", *c.P, c.contribution(table, None, **cells)]


def validate_raw(name: str, data: Callable[[Ctx], bytes]) -> Callable[[Ctx], list[Any]]:
    return lambda c: ["validate", *c.P, c.raw(f"files/{name}", data(c))]


def _csv_bytes(c: Ctx, table: str = "observations") -> bytes:
    return (c.data / f"{table}.csv").read_bytes()


def _link_out(c: Ctx, name: str) -> Path:
    (c.tmp / "files" / "sub").mkdir(exist_ok=True)
    link = c.tmp / "files" / "sub" / name
    link.symlink_to("/etc/passwd")
    return link


def _multiline(c: Ctx) -> Path:
    rows = c.rows("observations")
    rows[0]["note"] = "a note\nover\nthree lines"
    rows[1]["obs_id"] = rows[1]["obs_id"] + "\n"
    return c.table_file("observations", rows, c.tmp / "files")


VALIDATE_FILES = [
    # trailing newlines and other anchored-pattern escapes
    Case("validate-accepted-obs-id-trailing-newline", validate_file("observations", obs_id=f"{DOC}-0001\n"), 1, ("row 1, column obs_id: [schema:str_matches",)),
    Case("validate-accepted-obs-id-trailing-crlf", validate_file("observations", obs_id=f"{DOC}-0001\r\n"), 1, ("[line-ends]",)),
    Case("validate-accepted-period-trailing-newline", validate_file("observations", period="1934\n"), 1, ("row 1, column period: [schema:str_matches",)),
    Case("validate-accepted-language-trailing-newline", validate_file("documents", language="ru\n"), 1, ("row 1, column language: [schema:str_matches",)),
    Case("validate-accepted-doc-id-trailing-newline", validate_file("documents", doc_id=f"{DOC}\n"), 1, ("row 1, column doc_id: [schema:str_matches",)),
    Case("validate-accepted-sha256-trailing-newline", validate_file("documents", sha256=SHA + "\n"), 1, ("row 1, column sha256: [schema:str_matches",)),
    Case("validate-accepted-subject-id-trailing-newline", validate_file("subjects", subject_id="zavod\n"), 1, ("row 1, column subject_id: [schema:str_matches",)),
    Case("validate-accepted-last-obs-id-trailing-newline", validate_file("documents", last_obs_id=f"{DOC}-0002\n"), 1, ("row 1, column last_obs_id: [schema:str_matches",)),
    # formulas, invisible and control characters, mixed alphabets
    Case("validate-accepted-formula-minus", validate_file("observations", description="-2+3 workers of the plant"), 1, ("row 1, column description: [no-formula]",)),
    Case("validate-accepted-formula-equals", validate_file("observations", note='=HYPERLINK("http://x","y")'), 1, ("row 1, column note: [no-formula]",)),
    Case("validate-accepted-formula-plus", validate_file("subjects", description="+1 the plant"), 1, ("row 1, column description: [no-formula]",)),
    Case("validate-accepted-formula-at", validate_file("documents", summary="@SUM(A1:A9)"), 1, ("row 1, column summary: [no-formula]",)),
    Case("validate-accepted-formula-tab", validate_file("observations", place="\t=1"), 1, ("row 1, column place: [no-formula]",)),
    Case("validate-accepted-bidi-override", validate_file("observations", description="Workers \u202eof the plant"), 1, ("row 1, column description: [no-invisible-character]",)),
    Case("validate-accepted-bidi-isolate", validate_file("observations", note="x\u2067y"), 1, ("row 1, column note: [no-invisible-character]",)),
    Case("validate-accepted-zero-width-space", validate_file("subjects", name="Za\u200bvod"), 1, ("row 1, column name: [no-invisible-character]",)),
    Case("validate-accepted-zero-width-joiner", validate_file("observations", place="Mos\u200dcow"), 1, ("row 1, column place: [no-invisible-character]",)),
    Case("validate-accepted-soft-hyphen", validate_file("observations", subject="Za\u00advod"), 1, ("row 1, column subject: [no-invisible-character]",)),
    Case("validate-accepted-arabic-letter-mark", validate_file("observations", note="a\u061cb"), 1, ("row 1, column note: [no-invisible-character]",)),
    Case("validate-accepted-tag-character", validate_file("observations", note="a\U000e0041b"), 1, ("row 1, column note: [no-invisible-character]",)),
    Case("validate-accepted-line-separator", validate_file("observations", note="a\u2028b"), 1, ("row 1, column note: [no-control-character]",)),
    Case("validate-accepted-c1-control", validate_file("observations", note="a\x85b"), 1, ("row 1, column note: [no-control-character]",)),
    Case("validate-accepted-bell", validate_file("documents", title="a\x07b"), 1, ("row 1, column title: [no-control-character]",)),
    Case("validate-accepted-mixed-script-subject", validate_file("observations", subject="Z\u0430vod"), 1, ("row 1, column subject: [mixed-script]",)),
    Case("validate-accepted-mixed-script-subject-name", validate_file("subjects", name="Zav\u043ed"), 1, ("row 1, column name: [mixed-script]",)),
    Case("validate-accepted-mixed-script-greek", validate_file("observations", place="M\u03bfscow"), 1, ("row 1, column place: [mixed-script]",)),
    Case("validate-accepted-mixed-script-cyrillic-word", validate_file("subjects", name_ru="зaвод"), 1, ("row 1, column name_ru: [mixed-script]",)),
    Case("validate-accepted-look-alike-digits", validate_file("observations", value_text="12 4٠٠"), 1, ("row 1, column value_text", "0-9")),
    Case("validate-accepted-retired-obs-id", validate_file("observations", obs_id=f"{DOC}-0007"), 1, ("row 1, column obs_id: [obs-id-issued]",)),
    Case("validate-accepted-last-obs-id-other-document", validate_file("documents", last_obs_id="other-doc-0009"), 1, ("row 1, column last_obs_id: [obs-id-issued]",)),
    Case("validate-accepted-last-obs-id-below-ids", validate_file("documents", last_obs_id=f"{DOC}-0001"), 1, ("row 1, column last_obs_id: [obs-id-issued]",)),
    Case("validate-accepted-unknown-subject", validate_file("observations", subject="Nowhere"), 1, ("row 1, column subject: [foreign-key]",)),
    Case("validate-accepted-unknown-unit", validate_file("observations", unit="furlongs"), 1, ("row 1, column unit: [schema:isin",)),
    # files that are not what they claim
    Case("validate-crash-fifo", lambda c: ["validate", *c.P, c.fifo(c.tmp / "files" / "observations.csv")], 1, ("[not-a-file]", "not a regular file")),
    Case("validate-crash-directory", lambda c: ["validate", *c.P, (c.tmp / "files" / "observations.csv").mkdir() or c.tmp / "files" / "observations.csv"], 1, ("[not-a-file]", "directory")),
    Case("validate-crash-missing", lambda c: ["validate", *c.P, c.tmp / "files" / "observations.csv"], 1, ("[file-missing]",)),
    Case("validate-accepted-symlink-outside", lambda c: ["validate", *c.P, _link_out(c, "observations.csv")], 1, ("[not-a-file]", "symbolic link"), absent=("root:",)),
    Case("validate-crash-dangling-symlink", lambda c: ["validate", *c.P, (c.tmp / "files" / "observations.csv").symlink_to(c.tmp / "files" / "nowhere.csv") or c.tmp / "files" / "observations.csv"], 1, ("[not-a-file]", "link to nothing")),
    Case("validate-lost-bom", validate_raw("observations.csv", lambda c: b"\xef\xbb\xbf" + _csv_bytes(c)), 1, ("[encoding]", "byte-order mark")),
    Case("validate-crash-utf16", validate_raw("observations.csv", lambda c: _csv_bytes(c).decode().encode("utf-16")), 1, ("[encoding]",)),
    Case("validate-crash-cp1251", validate_raw("observations.csv", lambda c: _csv_bytes(c).decode().encode("cp1251")), 1, ("[encoding]", "row 1")),
    Case("validate-crash-nul", validate_raw("observations.csv", lambda c: _csv_bytes(c).replace(b"Zavod", b"Za\x00od", 1)), 1, ("[encoding]", "NUL")),
    Case("validate-crash-crlf", validate_raw("observations.csv", lambda c: _csv_bytes(c).replace(b"\n", b"\r\n")), 1, ("[line-ends]",)),
    Case("validate-crash-empty", validate_raw("observations.csv", lambda c: b""), 1, ("[empty-file]",)),
    Case("validate-accepted-header-only", validate_raw("observations.csv", lambda c: _csv_bytes(c).split(b"\n")[0] + b"\n"), 1, ("[no-rows]",)),
    Case("validate-lost-unknown-column", validate_raw("observations.csv", lambda c: _csv_bytes(c).replace(b",note\n", b",note,comment\n", 1)), 1, ("column comment: [extra-label]",)),
    Case("validate-lost-extra-cell", validate_raw("observations.csv", lambda c: _csv_bytes(c).replace(b"\n", b",extra\n", 2).replace(b",extra\n", b"\n", 1)), 1, ("row 1: [extra-cell]",)),
    Case("validate-lost-blank-line", validate_raw("observations.csv", lambda c: _csv_bytes(c).replace(b"\n", b"\n\n", 2).replace(b"\n\n", b"\n", 1)), 1, ("row 2: [blank-row]",)),
    Case("validate-crash-unterminated-quote", validate_raw("observations.csv", lambda c: _csv_bytes(c) + b'x,"unterminated\n'), 1, ("row 3: [missing-cell]",)),
    Case("validate-crash-over-the-size-limit", lambda c: ["validate", *c.P, _sparse(c.tmp / "files" / "observations.csv", io_files.MAX_TABLE_BYTES + 1)], 1, ("[file-too-large]",)),
    Case("validate-crash-cell-over-128kb", validate_file("observations", quote="на заводе работало 12 400 рабочих " + "ж" * 200_000), 1, ("row 1, column quote: [schema:str_length",)),
    Case("validate-accepted-unnamed-file", lambda c: ["validate", *c.P, c.contribution("observations", "notes.csv")], 1, ("[table-name]", "cannot tell which table")),
    Case("validate-accepted-two-files-one-table", lambda c: ["validate", *c.P, c.contribution("observations", "a.observations.csv"), c.contribution("observations", "b.observations.csv", subject="Z\u0430vod")], 1, ("[table-name]", "already holds table observations")),
    Case("validate-accepted-topic-table-provenance", lambda c: ["validate", *c.P, *c.S, c.contribution("workforce", "mine.workforce.csv", char_start="1", char_end="7")], 1, ("mine.workforce.csv: row 1, column value_text: [text-at-offsets]",)),
    Case("validate-accepted-topic-table-derivation", lambda c: ["validate", *c.P, c.contribution("workforce", "workforce.csv", value="99")], 1, ("[value-parses]",)),
    Case("validate-misreported-github-line-after-multiline-cell", lambda c: ["validate", *c.P, _multiline(c), "--format", "github"], 1, ("observations.csv,line=5,col=1,title=schema%3Astr_matches",)),
    Case("validate-misreported-github-property-escapes", lambda c: ["validate", *c.P, c.contribution("observations", "a,b.observations.csv", obs_id="x"), "--format", "github"], 1, ("file=", "a%2Cb.observations.csv,line=2", "title=schema%3Astr_matches")),
]


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def descriptor(text: str | bytes) -> Callable[[Ctx], list[Any]]:
    """``validate --package`` on a package whose datapackage.json is ``text``."""
    def argv(c: Ctx) -> list[Any]:
        c.pkg.write_bytes(text if isinstance(text, bytes) else text.encode())
        return ["validate", *c.P]
    return argv


def resource_path(path: Any) -> Callable[[Ctx], list[Any]]:
    """``validate --package`` on a package whose observations resource has ``path``."""
    def argv(c: Ctx) -> list[Any]:
        desc = json.loads(c.pkg.read_text())
        next(r for r in desc["resources"] if r["name"] == "observations")["path"] = path
        c.pkg.write_text(json.dumps(desc))
        return ["validate", *c.P]
    return argv


def in_package(change: Callable[[Ctx], Any], *command: str) -> Callable[[Ctx], list[Any]]:
    """``change`` the package's files, then run ``command`` on it (``--package`` added)."""
    def argv(c: Ctx) -> list[Any]:
        change(c)
        return [*c.P, *command]
    return argv


def _pattern(c: Ctx) -> None:
    desc = json.loads(c.pkg.read_text())
    obs = next(r for r in desc["resources"] if r["name"] == "observations")
    next(f for f in obs["schema"]["fields"] if f["name"] == "description")["constraints"]["pattern"] = "(a+)+$"
    c.pkg.write_text(json.dumps(desc))
    rows = c.rows("observations")
    rows[0]["description"] = "a" * 40 + "!"
    c.table_file("observations", rows)


def _link_table_out(c: Ctx) -> None:
    (c.data / "observations.csv").unlink()
    (c.data / "observations.csv").symlink_to("/etc/passwd")


VALIDATE_PACKAGES = [
    Case("validate-crash-descriptor-list", descriptor("[]"), 1, ("[datapackage]", "found a list")),
    Case("validate-crash-descriptor-string", descriptor('"resources"'), 1, ("[datapackage]", "found a string")),
    Case("validate-crash-descriptor-null", descriptor("null"), 1, ("[datapackage]", "found null")),
    Case("validate-crash-descriptor-number", descriptor("12"), 1, ("[datapackage]", "found a number")),
    Case("validate-crash-descriptor-deep", descriptor("[" * 100_000 + "]" * 100_000), 1, ("[datapackage]", "nested too deeply")),
    Case("validate-crash-descriptor-deep-object", descriptor('{"resources": ' + '{"a":' * 100_000 + "1" + "}" * 100_001), 1, ("[datapackage]", "nested too deeply")),
    Case("validate-crash-descriptor-syntax", descriptor('{"resources": [}'), 1, ("[datapackage]", "syntax error")),
    Case("validate-crash-descriptor-not-utf8", descriptor(b'{"resources": [], "title": "\xe9"}'), 1, ("[datapackage]", "UTF-8")),
    Case("validate-crash-descriptor-empty", descriptor(""), 1, ("[datapackage]", "expected JSON")),
    Case("validate-crash-descriptor-resources-object", descriptor('{"resources": {}}'), 1, ("[datapackage]", "without a resources list")),
    Case("validate-crash-descriptor-resource-string", descriptor('{"resources": ["observations"]}'), 1, ("[datapackage]", "resource 1 is not an object")),
    Case("validate-crash-descriptor-resource-twice", descriptor('{"resources": [{"name": "links", "path": "data/links.csv"}, {"name": "links", "path": "data/links.csv"}]}'), 1, ("[datapackage]", "appears twice")),
    Case("validate-crash-resource-path-null", resource_path(None), 1, ("[datapackage]", "has path None")),
    Case("validate-crash-resource-path-list", resource_path(["data/observations.csv"]), 1, ("[datapackage]", "has path [")),
    Case("validate-crash-resource-path-number", resource_path(3), 1, ("[datapackage]", "has path 3")),
    Case("validate-accepted-resource-path-absolute", resource_path("/etc/passwd"), 1, ("[datapackage]", "expected a relative path"), absent=("root:",)),
    Case("validate-accepted-resource-path-dotdot", resource_path("../../../../etc/passwd"), 1, ("[datapackage]", "expected a relative path"), absent=("root:",)),
    Case("validate-accepted-resource-path-url", resource_path("https://example.com/observations.csv"), 1, ("[datapackage]", "expected a relative path")),
    Case("validate-crash-resource-path-nul", resource_path("data/obs\u0000.csv"), 1, ("[datapackage]", "expected a relative path")),
    Case("validate-crash-resource-path-not-csv", resource_path("data"), 1, ("[datapackage]", "expected a CSV file")),
    Case("validate-crash-table-is-a-directory", in_package(lambda c: ((c.data / "links.csv").unlink(), (c.data / "links.csv").mkdir()), "validate"), 1, ("links.csv: [not-a-file]", "directory")),
    Case("validate-accepted-resource-symlink-outside", in_package(_link_table_out, "validate"), 1, ("[datapackage]", "leads outside the package"), absent=("root:",)),
    Case("validate-crash-descriptor-is-directory", lambda c: ["validate", "--package", c.pkg.parent], 1, ("[datapackage]", "it is a directory")),
    Case("validate-crash-descriptor-is-fifo", lambda c: ["validate", "--package", c.fifo(c.pkg)], 1, ("[datapackage]", "not a regular file")),
    Case("validate-crash-descriptor-missing", lambda c: ["validate", "--package", c.tmp / "nowhere" / "datapackage.json"], 1, ("[datapackage]", "nothing is there")),
    Case("validate-crash-table-fifo", in_package(lambda c: c.fifo(c.data / "observations.csv"), "validate"), 1, ("observations.csv: [not-a-file]",)),
    Case("validate-lost-table-bom", in_package(lambda c: c.prepend(c.data / "documents.csv", b"\xef\xbb\xbf"), "validate"), 1, ("documents.csv: [encoding]",)),
    Case("validate-accepted-retired-id-in-package", in_package(lambda c: c.table_file("observations", c.changed("observations", obs_id=f"{DOC}-0003")), "validate"), 1, ("row 1, column obs_id: [obs-id-issued]",)),
    Case("validate-crash-table-fifo-frictionless", in_package(lambda c: c.fifo(c.data / "links.csv"), "validate", "--frictionless"), 1, ("links.csv: [not-a-file]",)),
    Case("validate-crash-table-over-the-limit-frictionless", in_package(lambda c: _sparse(c.data / "links.csv", io_files.MAX_TABLE_BYTES + 1), "validate", "--frictionless"), 1, ("links.csv: [file-too-large]",)),
    Case("validate-accepted-resource-declares-other-schema", in_package(_pattern, "validate"), 1, ("[datapackage]", "constraints other than")),
]


def _add_after(change: Callable[[Ctx], Any]) -> Callable[[Ctx], list[Any]]:
    """``change`` the package or its text, then ``add`` the new figure."""
    def argv(c: Ctx) -> list[Any]:
        change(c)
        return [*c.P, "add", c.worksheet(NEW), "--doc", DOC, *c.S]
    return argv


def _classify_after(change: Callable[[Ctx], Any]) -> Callable[[Ctx], list[Any]]:
    """``change`` the package, then ``classify`` a mention."""
    def argv(c: Ctx) -> list[Any]:
        change(c)
        return [*c.P, "classify", c.worksheet({"start": 3, "status": "year"}, name="c.jsonl"), "--doc", DOC]
    return argv


def _run_after(change: Callable[[Ctx], Any], command: str, *extra: str) -> Callable[[Ctx], list[Any]]:
    """``change`` the package or its text, then run ``command`` with ``--sources``."""
    def argv(c: Ctx) -> list[Any]:
        change(c)
        return [*c.P, command, *extra, *c.S]
    return argv


def _worksheet(**cells: Any) -> Callable[[Ctx], list[Any]]:
    """``add`` of a one-row worksheet: the new figure with ``cells`` changed."""
    return lambda c: [*c.P, "add", c.worksheet({**NEW, **cells}), "--doc", DOC, *c.S]


def _worksheet_file(data: Callable[[Ctx], Path]) -> Callable[[Ctx], list[Any]]:
    return lambda c: [*c.P, "add", data(c), "--doc", DOC, *c.S]


def _documents(**cells: str) -> Callable[[Ctx], None]:
    return lambda c: c.table_file("documents", c.changed("documents", **cells))


def _text(data: bytes, sha: str | None = None) -> Callable[[Ctx], None]:
    """The source text replaced by ``data``, documents.sha256 set to its hash (or ``sha``)."""
    def change(c: Ctx) -> None:
        (c.src / "zavod.txt").write_bytes(data)
        c.table_file("documents", c.changed("documents", sha256=hashlib.sha256(data).hexdigest() if sha is None else sha))
    return change


def _document_twice(c: Ctx) -> None:
    rows = c.rows("documents")
    c.table_file("documents", [*rows, dict(rows[0], title="a second row")])


def _source_fifo(c: Ctx) -> None:
    c.fifo(c.src / "zavod.txt")


def _source_link_out(c: Ctx) -> None:
    (c.src / "zavod.txt").unlink()
    (c.src / "zavod.txt").symlink_to("/etc/passwd")


def _table_change(table: str, change: Callable[[bytes], bytes]) -> Callable[[Ctx], None]:
    def apply(c: Ctx) -> None:
        path = c.data / f"{table}.csv"
        path.write_bytes(change(path.read_bytes()))
    return apply


def _bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def _unknown_column(data: bytes) -> bytes:
    header, rest = data.split(b"\n", 1)
    return header + b",comment\n" + b"".join(line + b",x\n" for line in rest.split(b"\n") if line)


def _extra_cell(data: bytes) -> bytes:
    header, rest = data.split(b"\n", 1)
    lines = rest.split(b"\n")
    lines[0] += b",surplus"
    return header + b"\n" + b"\n".join(lines)


ADD = [
    Case("add-crash-worksheet-fifo", _worksheet_file(lambda c: c.fifo(c.tmp / "w.jsonl")), 1, ("not a regular file",)),
    Case("add-crash-worksheet-directory", _worksheet_file(lambda c: (c.tmp / "w.jsonl").mkdir() or c.tmp / "w.jsonl"), 1, ("directory",)),
    Case("add-crash-worksheet-missing", _worksheet_file(lambda c: c.tmp / "w.jsonl"), 1, ("nothing is there",)),
    Case("add-crash-worksheet-bom", _worksheet_file(lambda c: c.raw("w.jsonl", b"\xef\xbb\xbf" + json.dumps(NEW).encode())), 1, ("byte-order mark",)),
    Case("add-crash-worksheet-cp1251", _worksheet_file(lambda c: c.raw("w.jsonl", json.dumps(NEW, ensure_ascii=False).encode("cp1251"))), 1, ("expected UTF-8",)),
    Case("add-crash-worksheet-malformed", _worksheet_file(lambda c: c.raw("w.jsonl", json.dumps(NEW).encode() + b"\n{oops\n")), 1, ("line 2", "invalid JSON")),
    Case("add-crash-worksheet-list-line", _worksheet_file(lambda c: c.raw("w.jsonl", b"[1, 2]\n")), 1, ("line 1", "expected a JSON object")),
    Case("add-crash-worksheet-deep", _worksheet_file(lambda c: c.raw("w.jsonl", b'{"note": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")), 1, ("line 1", "nested too deeply")),
    Case("add-crash-worksheet-integer-too-long", _worksheet_file(lambda c: c.raw("w.jsonl", b'{"value": ' + b"9" * 5000 + b"}\n")), 1, ("line 1", "invalid JSON")),
    Case("add-lost-worksheet-unknown-field", _worksheet(comment="x"), 1, ("['comment'] are not worksheet fields",)),
    Case("add-accepted-worksheet-computed-field", _worksheet(obs_id=f"{DOC}-0001"), 1, ("['obs_id'] are not worksheet fields",)),
    Case("add-crash-worksheet-list-value", _worksheet(value=[15]), 1, ("['value'] hold a list",)),
    Case("add-crash-worksheet-huge-number", _worksheet(value=10**400), 1, ("['value'] hold a number too large",)),
    Case("add-accepted-worksheet-boolean-value", _worksheet(value=True), 1, ("['value'] hold true or false",)),
    Case("add-accepted-worksheet-boolean-text", _worksheet(place=False), 1, ("['place'] hold true or false",)),
    Case("add-accepted-worksheet-infinite-value", lambda c: [*c.P, "add", c.raw("w.jsonl", json.dumps({**NEW, "value": 0})[:-1].replace('"value": 0', '"value": Infinity').encode() + b"}\n"), "--doc", DOC, *c.S], 1, ("[finite-number] value",)),
    Case("add-crash-worksheet-infinite-occurrence", lambda c: [*c.P, "add", c.raw("w.jsonl", json.dumps(NEW)[:-1].encode() + b', "occurrence": Infinity}\n'), "--doc", DOC, *c.S], 1, ("worksheet line 1",)),
    Case("add-accepted-short-quote", _worksheet(quote="коммунистов (15%)"), 1, ("[schema:str_length", "quote")),
    Case("add-accepted-formula", _worksheet(description="-Party saturation of the plant."), 1, ("[no-formula] description",)),
    Case("add-accepted-bidi", _worksheet(description="Party \u202esaturation of the plant."), 1, ("[no-invisible-character] description",)),
    Case("add-accepted-mixed-script-subject", _worksheet(subject="Z\u0430vod"), 1, ("[mixed-script] subject",)),
    Case("add-accepted-unknown-subject", _worksheet(subject="Nowhere"), 1, ("[foreign-key] subject",)),
    Case("add-accepted-unknown-measure", _worksheet(measure="no_such_measure"), 1, ("[foreign-key] measure",)),
    Case("add-accepted-unit-not-allowed", _worksheet(unit="tonnes"), 1, ("[unit-allowed] unit",)),
    Case("add-accepted-period-newline", _worksheet(period="1934\n"), 1, ("[schema:str_matches", "period")),
    Case("add-accepted-look-alike-digits", lambda c: [*c.P, "add", c.worksheet({**NEW, "value_text": "1٥٠%", "quote": "Рост выработки составил 1٥٠% к плану", "value": 150, "measure": "plan_fulfilment", "topic": "production", "unit": "percent"}), "--doc", DOC, *c.S], 1, ("0-9",)),
    Case("add-accepted-control-character", _worksheet(note="a\x0bb"), 1, ("[no-control-character] note",)),
    Case("add-accepted-carriage-return", _worksheet(note="a\rb"), 1, ("[no-control-character] note",)),
    Case("add-misreported-unknown-doc", lambda c: [*c.P, "add", c.worksheet(NEW), "--doc", "no-such-doc", *c.S], 1, ("unknown doc_id 'no-such-doc'",)),
    Case("add-crash-source-fifo", _add_after(_source_fifo), 1, ("not a regular file",)),
    Case("add-accepted-source-file-traversal", _add_after(_documents(source_file="../../../../etc/passwd")), 1, ("leaves it",), absent=("root:",)),
    Case("add-accepted-source-symlink-outside", _add_after(_source_link_out), 1, ("leaves it",), absent=("root:",)),
    Case("add-accepted-empty-sha256", _add_after(_documents(sha256="")), 1, ("documents.sha256 is empty",)),
    Case("add-accepted-changed-text", _add_after(_text(TEXT.encode() + b"x\n", sha=SHA)), 1, ("does not match documents.sha256",)),
    Case("add-lost-observations-bom", _add_after(_table_change("observations", _bom)), 1, ("observations.csv", "byte-order mark")),
    Case("add-lost-observations-unknown-column", _add_after(_table_change("observations", _unknown_column)), 1, ("observations.csv", "not in the schema ['comment']")),
    Case("add-lost-observations-extra-cell", _add_after(_table_change("observations", _extra_cell)), 1, ("observations.csv: row 1 has",)),
    Case("add-lost-documents-unknown-column", _add_after(_table_change("documents", _unknown_column)), 1, ("documents.csv", "not in the schema ['comment']")),
    Case("add-crash-observations-fifo", _add_after(lambda c: c.fifo(c.data / "observations.csv")), 1, ("not a regular file",)),
    Case("add-crash-observations-offset-not-a-number", _add_after(lambda c: c.table_file("observations", c.changed("observations", char_start="5e3"))), 1, ("row 1, column char_start: expected an integer",)),
    Case("add-lost-document-twice", _add_after(_document_twice), 1, ("doc_id 'zavod-1934' repeats an earlier row",)),
    Case("add-lost-observation-id-twice", _add_after(lambda c: c.table_file("observations", [*c.rows("observations"), c.rows("observations")[0]])), 1, ("obs_id 'zavod-1934-0001' repeats",)),
    Case("add-crash-sources-is-a-fifo", lambda c: [*c.P, "add", c.worksheet(NEW), "--doc", DOC, "--sources", c.fifo(c.tmp / "s")], 2, ("expected the directory of the source texts, found something else",)),
    Case("add-crash-sources-is-a-file", lambda c: [*c.P, "add", c.worksheet(NEW), "--doc", DOC, "--sources", c.src / "zavod.txt"], 2, ("expected the directory of the source texts",)),
]


def _classify(lines: list[Any] | None = None, raw: bytes | None = None, doc: str | None = None) -> Callable[[Ctx], list[Any]]:
    def argv(c: Ctx) -> list[Any]:
        path = c.raw("c.jsonl", raw) if raw is not None else c.worksheet(*(lines or []), name="c.jsonl")
        return [*c.P, "classify", path, *(["--doc", doc] if doc else [])]
    return argv


def _a_mention(c: Ctx) -> dict[str, str]:
    return next(r for r in c.rows("mentions") if r["status"] == "other")


def _classify_first(**fields: Any) -> Callable[[Ctx], list[Any]]:
    """classify the first mention classified ``other`` with ``fields``."""
    def argv(c: Ctx) -> list[Any]:
        line = {"mention_id": _a_mention(c)["mention_id"], "status": "label", "reason": "shop number", **fields}
        return [*c.P, "classify", c.worksheet({k: v for k, v in line.items() if v is not ...}, name="c.jsonl")]
    return argv


CLASSIFY = [
    Case("classify-crash-missing-file", lambda c: [*c.P, "classify", c.tmp / "c.jsonl"], 1, ("nothing is there",)),
    Case("classify-crash-fifo", lambda c: [*c.P, "classify", c.fifo(c.tmp / "c.jsonl")], 1, ("not a regular file",)),
    Case("classify-crash-directory", lambda c: [*c.P, "classify", c.tmp], 1, ("directory",)),
    Case("classify-crash-malformed-json", _classify(raw=b'{"mention_id": "x", "status": \n'), 1, ("line 1", "invalid JSON")),
    Case("classify-crash-cp1251", _classify(raw='{"mention_id": "x", "reason": "год"}\n'.encode("cp1251")), 1, ("expected UTF-8",)),
    Case("classify-crash-bom", _classify(raw=b'\xef\xbb\xbf{"mention_id": "x"}\n'), 1, ("byte-order mark",)),
    Case("classify-crash-deep-json", _classify(raw=b'{"reason": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"), 1, ("nested too deeply",)),
    Case("classify-crash-number-line", _classify(raw=b"42\n"), 1, ("expected a JSON object",)),
    Case("classify-misreported-unknown-doc", _classify([{"start": 3, "status": "year"}], doc="no-such-doc"), 1, ("unknown doc_id 'no-such-doc'",)),
    Case("classify-crash-status-list", _classify_first(status=["year"]), 1, ("line 1: status ['year'] must be one of",)),
    Case("classify-crash-status-object", _classify_first(status={"a": 1}), 1, ("line 1: status",)),
    Case("classify-accepted-unknown-status", _classify_first(status="guess"), 1, ("status 'guess' must be one of",)),
    Case("classify-accepted-other-without-reason", _classify_first(status="other", reason=...), 1, ("status other needs a reason",)),
    Case("classify-accepted-reason-formula", _classify_first(reason="=cmd|' /C calc'!A0"), 1, ("line 1: [no-formula] reason",)),
    Case("classify-accepted-reason-minus-formula", _classify_first(reason="-2+3"), 1, ("line 1: [no-formula] reason",)),
    Case("classify-accepted-reason-bidi", _classify_first(reason="shop \u202enumber"), 1, ("line 1: [no-invisible-character] reason",)),
    Case("classify-accepted-reason-carriage-return", _classify_first(reason="shop\rnumber"), 1, ("line 1: [no-control-character] reason",)),
    Case("classify-accepted-reason-mixed-script", _classify_first(reason="shop n\u0443mber"), 1, ("line 1: [mixed-script] reason",)),
    Case("classify-accepted-reason-not-text", _classify_first(reason=5), 1, ("reason must be text",)),
    Case("classify-accepted-unknown-mention", _classify([{"mention_id": "zavod-1934:0-1", "status": "year"}]), 1, ("no mention zavod-1934:0-1",)),
    Case("classify-lost-unknown-field", _classify_first(comment="x"), 1, ("['comment'] are not classification fields",)),
    Case("classify-accepted-neither-id-nor-start", _classify([{"status": "year"}]), 1, ("expected a mention_id, or a start",)),
    Case("classify-accepted-start-without-doc", _classify([{"start": 3, "status": "year"}]), 1, ("needs its document",)),
    Case("classify-accepted-text-differs", _classify_first(text="99"), 1, ("differs from the ledger",)),
    Case("classify-accepted-observation-mention", lambda c: [*c.P, "classify", c.worksheet({"mention_id": next(r for r in c.rows("mentions") if r["status"] == "observation")["mention_id"], "status": "year"}, name="c.jsonl")], 1, ("is covered by observation",)),
    Case("classify-lost-mention-twice", _classify_after(lambda c: c.table_file("mentions", [*c.rows("mentions"), c.rows("mentions")[0]])), 1, ("repeats an earlier row",)),
    Case("classify-lost-mentions-bom", _classify_after(_table_change("mentions", _bom)), 1, ("mentions.csv", "byte-order mark")),
    Case("classify-lost-mentions-unknown-column", _classify_after(_table_change("mentions", _unknown_column)), 1, ("mentions.csv", "not in the schema ['comment']")),
    Case("classify-lost-mentions-extra-cell", _classify_after(_table_change("mentions", _extra_cell)), 1, ("mentions.csv: row 1 has",)),
]


SCAN = [
    Case("scan-lost-empty-sha256", _run_after(_documents(sha256=""), "scan"), 1, ("documents.sha256 is empty",)),
    Case("scan-lost-empty-text", _run_after(_text(b""), "scan"), 1, ("found an empty file",)),
    Case("scan-lost-blank-text", _run_after(_text(b"\n \n"), "scan"), 1, ("only white space",)),
    Case("scan-accepted-source-file-traversal", _run_after(_documents(source_file="../../../../etc/passwd"), "scan"), 1, ("leaves it",), absent=("root:",)),
    Case("scan-accepted-source-file-absolute", _run_after(_documents(source_file="/etc/passwd"), "scan"), 1, ("leaves it",), absent=("root:",)),
    Case("scan-accepted-source-symlink-outside", _run_after(_source_link_out, "scan"), 1, ("leaves it",), absent=("root:",)),
    Case("scan-crash-source-fifo", _run_after(_source_fifo, "scan"), 1, ("not a regular file",)),
    Case("scan-crash-source-directory", _run_after(lambda c: ((c.src / "zavod.txt").unlink(), (c.src / "zavod.txt").mkdir()), "scan"), 1, ("directory",)),
    Case("scan-crash-source-not-utf8", _run_after(_text(TEXT.encode("cp1251", "replace")), "scan"), 1, ("not UTF-8",)),
    Case("scan-accepted-changed-text", _run_after(_text(TEXT.encode() + b"1 2 3\n", sha=SHA), "scan"), 1, ("does not match documents.sha256",)),
    Case("scan-misreported-unknown-doc", _run_after(lambda c: None, "scan", "--doc", "no-such-doc"), 1, ("unknown doc_id 'no-such-doc'",)),
    Case("scan-lost-mentions-unknown-column", _run_after(_table_change("mentions", _unknown_column), "scan"), 1, ("mentions.csv", "not in the schema ['comment']")),
    Case("scan-lost-mentions-extra-cell", _run_after(_table_change("mentions", _extra_cell), "scan"), 1, ("mentions.csv: row 1 has",)),
    Case("scan-lost-mentions-bom", _run_after(_table_change("mentions", _bom), "scan"), 1, ("mentions.csv", "byte-order mark")),
    Case("scan-lost-document-twice", _run_after(_document_twice, "scan"), 1, ("doc_id 'zavod-1934' repeats an earlier row",)),
    Case("scan-crash-mentions-offset-not-a-number", _run_after(_table_change("mentions", lambda b: b.replace(b",16,20,", b',1"9,20,', 1)), "scan"), 1, ("row 1, column char_start: expected an integer",)),
    Case("scan-crash-observations-line-not-a-number", _run_after(lambda c: c.table_file("observations", c.changed("observations", line="two")), "scan"), 1, ("row 1, column line: expected an integer",)),
    Case("scan-crash-no-sources", lambda c: [*c.P, "scan", "--sources", c.tmp / "nowhere"], 2, ("expected the directory of the source texts",)),
]

PAGES = [
    Case("pages-crash-source-fifo", _run_after(_source_fifo, "pages"), 1, ("not a regular file",)),
    Case("pages-lost-empty-text", _run_after(_text(b""), "pages"), 1, ("empty file",)),
    Case("pages-lost-observations-bom", _run_after(_table_change("observations", _bom), "pages"), 1, ("byte-order mark",)),
    Case("pages-lost-observations-unknown-column", _run_after(_table_change("observations", _unknown_column), "pages"), 1, ("not in the schema ['comment']",)),
    Case("pages-crash-mentions-fifo", _run_after(lambda c: c.fifo(c.data / "mentions.csv"), "pages"), 1, ("not a regular file",)),
    Case("pages-accepted-source-file-traversal", _run_after(_documents(source_file="../../etc/passwd"), "pages"), 1, ("leaves it",), absent=("root:",)),
]


INIT = [
    Case("init-crash-onto-a-file", lambda c: ["init", c.raw("taken", b"mine")], 1, ("found a file",)),
    Case("init-crash-onto-a-fifo", lambda c: ["init", c.fifo(c.tmp / "taken")], 1, ("expected a directory for the new package",)),
    Case("init-lost-existing-package", lambda c: ["init", c.pkg.parent], 1, ("exists already",)),
    Case("init-lost-existing-tables", lambda c: ["init", (c.pkg.unlink(), c.pkg.parent)[1]], 1, ("documents.csv exists already",)),
    Case("init-lost-existing-dangling-link", lambda c: ["init", _dangling_table(c)], 1, ("exists already",)),
    Case("init-crash-data-is-a-file", lambda c: ["init", _dir_with(c, "new", "data", file=True)], 1, ("expected a directory for the tables", "found a file")),
    Case("init-accepted-data-is-a-link", lambda c: ["init", _dir_with(c, "new2", "data", link=True)], 1, ("found a symbolic link",)),
]


def _dangling_table(c: Ctx) -> Path:
    d = c.tmp / "fresh"
    (d / "data").mkdir(parents=True)
    (d / "data" / "links.csv").symlink_to(c.tmp / "nowhere.csv")
    return d


def _dir_with(c: Ctx, name: str, entry: str, file: bool = False, link: bool = False) -> Path:
    d = c.tmp / name
    d.mkdir()
    if file:
        (d / entry).write_text("x")
    if link:
        (d / entry).symlink_to(c.tmp / "files")
    return d


def _topic_dir(c: Ctx) -> None:
    rows = c.rows("observations")
    rows[0]["year_start"] = ""  # derive has something to write
    c.table_file("observations", rows)
    (c.data / "workforce.csv").unlink()
    (c.data / "workforce.csv").mkdir()


DERIVE = [
    Case("derive-lost-observations-bom", in_package(_table_change("observations", _bom), "derive"), 1, ("observations.csv", "byte-order mark")),
    Case("derive-lost-observations-unknown-column", in_package(_table_change("observations", _unknown_column), "derive"), 1, ("not in the schema ['comment']",)),
    Case("derive-lost-observations-extra-cell", in_package(_table_change("observations", _extra_cell), "derive"), 1, ("observations.csv: row 1 has",)),
    Case("derive-lost-observations-missing-column", in_package(_table_change("observations", lambda b: b.replace(b",note\n", b"\n", 1)), "derive"), 1, ("missing ['note']",)),
    Case("derive-lost-observations-cp1251", in_package(_table_change("observations", lambda b: b.decode().encode("cp1251")), "derive"), 1, ("expected UTF-8",)),
    Case("derive-lost-observations-blank-line", in_package(_table_change("observations", lambda b: b.replace(b"\n", b"\n\n", 2).replace(b"\n\n", b"\n", 1)), "derive"), 1, ("row 2 has 0 cells",)),
    Case("derive-crash-observations-fifo", in_package(lambda c: c.fifo(c.data / "observations.csv"), "derive"), 1, ("not a regular file",)),
    Case("derive-crash-observations-directory", in_package(lambda c: ((c.data / "observations.csv").unlink(), (c.data / "observations.csv").mkdir()), "derive"), 1, ("directory",)),
    Case("derive-crash-topic-table-is-a-directory", in_package(_topic_dir, "derive"), 1, ("workforce.csv: expected a file to write", "nothing was written")),
    Case("derive-crash-descriptor-deep", in_package(lambda c: c.pkg.write_text("[" * 100_000 + "]" * 100_000), "derive"), 1, ("nested too deeply",)),
    Case("derive-crash-descriptor-list", in_package(lambda c: c.pkg.write_text("[]"), "derive"), 1, ("found a list",)),
    Case("derive-crash-observations-value-not-a-number", in_package(lambda c: c.table_file("observations", c.changed("observations", value="12 400")), "derive"), 1, ("row 1, column value: expected a number",)),
    Case("derive-lost-two-tables-one-file", in_package(lambda c: _repoint(c, "workforce", "data/observations.csv"), "derive"), 1, ("name the same file",)),
    Case("derive-lost-table-over-the-descriptor", in_package(lambda c: _repoint(c, "workforce", "datapackage.json"), "derive"), 1, ("expected a CSV file",)),
    Case("derive-lost-table-over-a-text", in_package(lambda c: _repoint(c, "workforce", "../sources/zavod.txt"), "derive"), 1, ("expected a relative path inside the package",)),
]


def _repoint(c: Ctx, table: str, path: str) -> None:
    """The descriptor names ``path`` as the file of ``table``."""
    desc = json.loads(c.pkg.read_text())
    next(r for r in desc["resources"] if r["name"] == table)["path"] = path
    c.pkg.write_text(json.dumps(desc))


def _unlisted_link_out(c: Ctx) -> None:
    """links.csv, a symbolic link to /etc/passwd, and a descriptor that does not list links."""
    desc = json.loads(c.pkg.read_text())
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "links"]
    c.pkg.write_text(json.dumps(desc))
    (c.data / "links.csv").unlink()
    (c.data / "links.csv").symlink_to("/etc/passwd")

SHOW_TABLES = [
    Case("show-crash-unknown-table", lambda c: [*c.P, "show", "no-such-table"], 1, ("unknown table 'no-such-table'; valid tables",)),
    Case("show-crash-table-name-path", lambda c: [*c.P, "show", "../../etc/passwd"], 1, ("unknown table",), absent=("root:",)),
    Case("show-crash-negative-rows", lambda c: [*c.P, "show", "observations", "--rows", "-3"], 2, ("--rows -3",)),
    Case("show-crash-table-fifo", in_package(lambda c: c.fifo(c.data / "observations.csv"), "show", "observations"), 1, ("not a regular file",)),
    Case("show-lost-table-bom", in_package(_table_change("observations", _bom), "show", "observations"), 1, ("observations.csv", "byte-order mark")),
    Case("show-crash-cr-in-header", in_package(_table_change("observations", lambda b: b.replace(b"obs_id,", b"obs_id\r,", 1)), "show", "observations"), 1, ("cannot be read",)),
    Case("show-accepted-out-of-vocabulary", in_package(_table_change("observations", lambda b: b.replace(b",persons,", b",furlongs,", 1)), "show", "observations"), 1, ("column unit: values not in the vocabulary: ['furlongs']",)),
    Case("show-accepted-unlisted-table-link-outside", in_package(_unlisted_link_out, "show", "links"), 1, ("leading outside",), absent=("root:",)),
    Case("tables-accepted-unlisted-table-link-outside", in_package(_unlisted_link_out, "tables"), 1, ("leading outside",), absent=("root:",)),
    Case("show-crash-descriptor-deep", in_package(lambda c: c.pkg.write_text("[" * 100_000 + "]" * 100_000), "show", "documents"), 1, ("nested too deeply",)),
    Case("tables-crash-table-fifo", in_package(lambda c: c.fifo(c.data / "links.csv"), "tables"), 1, ("not a regular file",), absent=("documents  ",)),
    Case("tables-lost-table-extra-cell", in_package(_table_change("documents", _extra_cell), "tables"), 1, ("documents.csv: row 1 has",)),
    Case("tables-crash-descriptor-string", in_package(lambda c: c.pkg.write_text('"x"'), "tables"), 1, ("found a string",)),
    Case("tables-crash-descriptor-missing", lambda c: ["--package", c.tmp / "none" / "datapackage.json", "tables"], 1, ("nothing is there",)),
]

BUILD_SITE = [
    Case("build-crash-out-is-a-file", lambda c: [*c.P, "build", "--out", c.raw("out", b"x")], 1, ("expected a directory for the release, found a file",)),
    Case("build-crash-out-is-a-fifo", lambda c: [*c.P, "build", "--out", c.fifo(c.tmp / "out")], 1, ("expected a directory for the release",)),
    Case("build-crash-target-is-a-directory", lambda c: [*c.P, "build", "--out", _out_with_dir(c, "SHA256SUMS")], 1, ("SHA256SUMS", "found a directory", "nothing was written")),
    Case("build-crash-table-fifo", in_package(lambda c: c.fifo(c.data / "links.csv"), "build", "--out", "OUT"), 1, ("not a regular file",)),
    Case("build-accepted-table-out-of-vocabulary", in_package(_table_change("observations", lambda b: b.replace(b",persons,", b",furlongs,", 1)), "build", "--out", "OUT"), 1, ("build expected a valid package", "[schema:isin", "nothing was written")),
    Case("build-lost-out-is-the-package", lambda c: [*c.P, "build", "--out", c.pkg.parent], 1, ("outside the package", "nothing was written")),
    Case("build-lost-out-inside-the-package", lambda c: [*c.P, "build", "--out", c.data], 1, ("outside the package",)),
    Case("site-accepted-doc-id-leaving-out", in_package(lambda c: _doc_id(c, "../../escaped"), "site", "--out", "OUT"), 1, ("site expected a valid package", "nothing was written")),
    Case("site-crash-out-is-a-file", lambda c: ["site", "--out", c.raw("site", b"x")], 1, ("expected a directory for the site, found a file",)),
    Case("site-crash-out-is-a-fifo", lambda c: ["site", "--out", c.fifo(c.tmp / "site")], 1, ("expected a directory for the site",)),
]


def _doc_id(c: Ctx, doc_id: str) -> None:
    """The document renamed in documents.csv and in the rows that name it."""
    for table in ("documents", "observations", "mentions"):
        c.table_file(table, [dict(r, doc_id=doc_id) for r in c.rows(table)])


def _out_with_dir(c: Ctx, name: str) -> Path:
    (c.tmp / "out" / name).mkdir(parents=True)
    return c.tmp / "out"


def _out(cases: list[Case]) -> list[Case]:
    out = []
    for k in cases:
        def argv(c: Ctx, inner: Callable[[Ctx], list[Any]] = k.argv) -> list[Any]:
            return [c.tmp / "out" if a == "OUT" else a for a in inner(c)]
        out.append(Case(k.id, argv, k.code, k.words, k.absent))
    return out


CLI_CASES = VALIDATE_FILES + VALIDATE_PACKAGES + ADD + CLASSIFY + SCAN + PAGES + INIT + DERIVE + SHOW_TABLES + _out(BUILD_SITE)


@pytest.mark.parametrize("k", CLI_CASES, ids=[k.id for k in CLI_CASES])
def test_each_command_refuses_cleanly_and_changes_nothing(k: Case, ctx: Ctx) -> None:
    argv = k.argv(ctx)
    before = snapshot(ctx.tmp)
    ran = cli(*argv)
    assert ran.code == k.code, ran.text
    assert_clean(ran)
    assert_words(ran.text, k.words)
    for secret in k.absent:
        assert secret not in ran.text, ran.text
    after = snapshot(ctx.tmp)
    changed = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
    assert not changed, f"a refused command changed {changed}"


# the cases written as tests of their own, by the same kind of id
STANDALONE = [
    "add-lost-file-size-limit-between-two-tables", "validate-crash-catastrophic-pattern-frictionless",
    "hook-misreported-checks-the-installed-package", "show-accepted-package-ignored", "tables-accepted-package-ignored",
    "site-accepted-package-ignored", "add-accepted-retired-id-reissued", "add-accepted-force-writes-refused-rows",
    "add-misreported-u2028-splits-a-worksheet-line", "derive-crash-cell-over-128kb", "show-crash-cell-over-128kb",
    "validate-misreported-github-line-after-multiline-cell-physical", "release-accepted-text-order-picks-0.9.0",
    "schema-accepted-trailing-lf-python-strings", "schema-accepted-trailing-lf-arrow-strings",
    "schema-accepted-trailing-crlf-python-strings", "schema-accepted-trailing-crlf-arrow-strings",
    "validate-accepted-real-package-ids-issued",
]


def corpus_ids() -> list[str]:
    """Every case of the corpus by its id ``<entry point>-<class>-<what>``."""
    return ([k.id for k in CLI_CASES + HOOK + API_CASES] + [r[0] for r in REAL] + ACCEPTED_IDS + STANDALONE
            + [f"{w}-lost-full-disk" for w in WRITERS])


def test_the_corpus_covers_every_entry_point_and_class() -> None:
    ids = corpus_ids()
    assert len(set(ids)) == len(ids) >= 150
    entries = {i.split("-")[0] for i in ids}
    assert entries >= {"validate", "add", "classify", "scan", "pages", "init", "derive", "show", "tables", "build", "site", "hook",
                       "load", "release", "cite", "parse"}
    assert {i.split("-")[1] for i in ids} == {"lost", "accepted", "crash", "misreported"}


def test_crash_a_catastrophic_pattern_does_not_hang_frictionless(ctx: Ctx) -> None:
    """``--frictionless`` on a package whose descriptor declares ``(a+)+$``: frictionless is
    given the contract's schemas, never the descriptor's, and the descriptor's own schema is
    reported. Run in a separate process: a regular expression cannot be interrupted in this one."""
    _pattern(ctx)
    before = snapshot(ctx.tmp)
    done = subprocess.run([sys.executable, "-m", "soviet_figures.cli", "validate", "--package", str(ctx.pkg), "--frictionless"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "[datapackage]" in done.stdout and "constraints other than schemas/observations.schema.json" in done.stdout
    assert snapshot(ctx.tmp) == before


# --- interrupted writes: every writer writes atomically --------------------------------------

class _Full(io.RawIOBase):
    """A file that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, fd: int, room: int) -> None:
        self.f = os.fdopen(fd, "wb")
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        if len(data) > self.room:
            self.f.write(data[: self.room])
            self.f.flush()
            self.room = 0
            raise OSError(28, "No space left on device")
        self.room -= len(data)
        return self.f.write(data)

    def fileno(self) -> int:
        return self.f.fileno()

    def close(self) -> None:
        self.f.close()
        super().close()


class _OsWithAFullDisk:
    """``os`` for :mod:`soviet_figures.io.files` only, whose files fill up after ``room`` bytes."""

    def __init__(self, room: int) -> None:
        self.room = room

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> _Full:
        return _Full(fd, self.room)


def _full_disk(monkeypatch: pytest.MonkeyPatch, room: int = 40) -> None:
    monkeypatch.setattr(io_files, "os", _OsWithAFullDisk(room))


def _writer_argv(c: Ctx, writer: str) -> list[Any]:
    if writer == "add":
        return [*c.P, "add", c.worksheet(NEW), "--doc", DOC, *c.S]
    if writer == "classify":
        return [*c.P, "classify", c.worksheet({"mention_id": _a_mention(c)["mention_id"], "status": "label", "reason": "shop"}, name="c.jsonl")]
    if writer == "scan":
        return [*c.P, "scan", *c.S]
    if writer == "derive":
        rows = c.rows("observations")
        rows[0]["year_start"] = ""
        c.table_file("observations", rows)
        return [*c.P, "derive"]
    if writer == "pages":
        return [*c.P, "pages", *c.S]
    if writer == "init":
        return ["init", c.tmp / "new"]
    if writer == "build":
        return [*c.P, "build", "--out", c.tmp / "files"]
    if writer == "site":
        return [*c.P, "site", "--out", c.tmp / "files"]
    raise AssertionError(writer)


WRITERS = ["add", "classify", "scan", "derive", "pages", "init", "build", "site"]


@pytest.mark.parametrize("writer", WRITERS)
def test_lost_a_full_disk_leaves_every_file_whole(writer: str, ctx: Ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupted write (a full disk, a file-size limit) leaves each file old or new,
    never cut mid-row, and no temporary file behind."""
    argv = _writer_argv(ctx, writer)
    before = snapshot(ctx.tmp)
    _full_disk(monkeypatch)
    ran = cli(*argv)
    assert ran.code == 1, ran.text
    assert_clean(ran)
    assert "No space left on device" in ran.err and "no file was left half-written" in ran.err
    after = snapshot(ctx.tmp)
    new = sorted(set(after) - set(before) - {"new", "new/data"})
    assert not new, f"left behind: {new}"
    assert {n: h for n, h in after.items() if n in before} == before


def test_lost_a_file_size_limit_between_two_tables_keeps_the_package_valid(ctx: Ctx) -> None:
    """The kernel's own limit (RLIMIT_FSIZE), in a separate process, set so that ``add``
    writes documents.csv (small) and fails on observations.csv (large): observations.csv is
    whole and unchanged, last_obs_id is ahead of it (an id retired, never reused), and the
    package is still valid."""
    argv = [str(a) for a in [*ctx.P, "add", ctx.worksheet(NEW), "--doc", DOC, *ctx.S]]
    observations = (ctx.data / "observations.csv").read_bytes()
    size = len(observations)
    assert (ctx.data / "documents.csv").stat().st_size < size
    script = (
        f"import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({size}, {size})); "
        "from soviet_figures.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "File too large" in done.stderr and "half-written" in done.stderr
    assert (ctx.data / "observations.csv").read_bytes() == observations
    assert ctx.rows("documents")[0]["last_obs_id"] == f"{DOC}-0003"
    assert not [p for p in ctx.data.iterdir() if p.name.endswith(".tmp")]
    ran = cli("validate", *ctx.P, *ctx.S)
    assert ran.code == 0, ran.text
    ran = cli(*ctx.P, "add", ctx.worksheet(NEW), "--doc", DOC, *ctx.S)
    assert ran.code == 0 and ctx.rows("observations")[-1]["obs_id"] == f"{DOC}-0004", ran.text


# --- the pre-commit hook ------------------------------------------------------------------

def _hook() -> dict[str, Any]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def _hook_argv(*files: Path) -> list[str]:
    """What pre-commit runs: the entry, then the staged files its ``files`` pattern matches."""
    hook = _hook()
    entry = hook["entry"].split()
    assert entry[0] == "soviet-figures"
    return entry[1:] + [str(f) for f in files if re.search(hook["files"], str(f))]


def test_accepted_the_hook_passes_the_files() -> None:
    hook = _hook()
    assert hook["pass_filenames"] is True and hook["files"] == "\\.csv$"


def test_accepted_the_hook_checks_a_contributors_files_against_their_package(ctx: Ctx) -> None:
    """The tiny package's observations name its own document and subject: valid against it,
    invalid against the installed package, so exit 0 proves the contributor's package is used."""
    ran = cli(*_hook_argv(ctx.data / "observations.csv", ctx.data / "mentions.csv", ctx.tmp / "notes.txt"))
    assert ran.code == 0, ran.text
    assert_clean(ran)


HOOK = [
    Case("hook-accepted-bad-contributor-file", lambda c: _hook_argv(_changed_in_place(c, subject="Z\u0430vod")), 1, ("observations.csv: row 1, column subject: [mixed-script]",)),
    Case("hook-accepted-retired-id", lambda c: _hook_argv(_changed_in_place(c, obs_id=f"{DOC}-0005")), 1, ("row 1, column obs_id: [obs-id-issued]",)),
    Case("hook-accepted-files-of-two-packages", lambda c: _hook_argv(c.data / "observations.csv", ROOT / "datapackage" / "data" / "links.csv"), 1, ("expected files of one data package",)),
    Case("hook-crash-fifo-among-files", lambda c: _hook_argv(c.fifo(c.data / "links.csv")), 1, ("[not-a-file]",)),
    Case("hook-accepted-csv-that-is-no-table", lambda c: _hook_argv(c.raw("pkg/notes.csv", b"a,b\n1,2\n")), 1, ("[table-name]",)),
    Case("hook-accepted-symlink-outside", lambda c: _hook_argv(_link_table_out(c) or c.data / "observations.csv"), 1, ("[datapackage]", "leads outside"), absent=("root:",)),
]


def _changed_in_place(c: Ctx, **cells: str) -> Path:
    return c.table_file("observations", c.changed("observations", **cells))


@pytest.mark.parametrize("k", HOOK, ids=[k.id for k in HOOK])
def test_the_hook_refuses_cleanly_and_changes_nothing(k: Case, ctx: Ctx) -> None:
    test_each_command_refuses_cleanly_and_changes_nothing(k, ctx)


# --- the real package (a copy) --------------------------------------------------------------

def _bom_on(table: str) -> Callable[[Path], None]:
    def change(data: Path) -> None:
        path = data / f"{table}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return change


def _repeated(data: Path) -> None:
    """A row repeated: its obs_id twice."""
    rows = _rows(data / "observations.csv")
    rows.append(dict(rows[0]))
    Ctx(data).table_file("observations", rows, data)


REAL: list[tuple[str, Callable[[Path], None], Callable[[Path], list[Any]], int, tuple[str, ...]]] = [
    ("derive-lost-real-observations-bom", _bom_on("observations"), lambda d: ["--package", d, "derive"], 1, ("byte-order mark",)),
    ("validate-accepted-real-repeated-id", _repeated, lambda d: ["validate", "--package", d], 1, ("[primary-key]",)),
    ("validate-accepted-real-id-above-last", lambda data: _documents_last(data, "fitzpatrick-1979-0100"), lambda d: ["validate", "--package", d], 1, ("column obs_id: [obs-id-issued]",)),
    ("show-lost-real-documents-bom", _bom_on("documents"), lambda d: ["--package", d, "show", "documents"], 1, ("byte-order mark",)),
    ("tables-lost-real-mentions-bom", _bom_on("mentions"), lambda d: ["--package", d, "tables"], 1, ("byte-order mark",)),
]


def _documents_last(data: Path, last: str) -> None:
    rows = _rows(data / "documents.csv")
    next(r for r in rows if r["doc_id"] == "fitzpatrick-1979")["last_obs_id"] = last
    Ctx(data).table_file("documents", rows, data)


@pytest.mark.parametrize(("id", "change", "argv", "code", "words"), REAL, ids=[r[0] for r in REAL])
def test_on_a_copy_of_the_real_package(id: str, change: Callable[[Path], None], argv: Callable[[Path], list[Any]], code: int,
                                       words: tuple[str, ...], package_copy: Path) -> None:
    change(package_copy.parent / "data")
    before = snapshot(package_copy.parent)
    ran = cli(*argv(package_copy))
    assert ran.code == code, ran.text
    assert_clean(ran)
    assert_words(ran.text, words)
    assert snapshot(package_copy.parent) == before


def test_accepted_the_real_package_stays_valid_and_its_ids_issued() -> None:
    ran = cli("validate")
    assert ran.code == 0, ran.text
    docs = sf.load("documents")
    obs = sf.load("observations")
    for doc_id, last in zip(docs["doc_id"], docs["last_obs_id"]):
        assert max(obs.loc[obs["doc_id"] == doc_id, "obs_id"]) <= last


# --- what must be accepted (and was refused or misread) --------------------------------------

def test_accepted_site_honours_package(ctx: Ctx) -> None:
    ran = cli(*ctx.P, "site", "--out", ctx.tmp / "site")
    assert ran.code == 0, ran.text
    assert (ctx.tmp / "site" / f"doc-{DOC}.html").is_file()
    assert not list((ctx.tmp / "site").glob("doc-fitzpatrick*"))


def test_accepted_show_and_tables_honour_package(ctx: Ctx) -> None:
    ran = cli(*ctx.P, "show", "documents")
    assert ran.code == 0 and DOC in ran.out and "[1 rows]" in ran.out, ran.text
    ran = cli("show", "documents", "--package", ctx.pkg)
    assert ran.code == 0 and DOC in ran.out, ran.text
    ran = cli(*ctx.P, "tables")
    counts = {line.split()[0]: int(line.split()[1]) for line in ran.out.splitlines()}
    assert counts["documents"] == 1 and counts["observations"] == 2 and counts["subjects"] == 1, ran.out


def test_accepted_add_never_reissues_a_retired_id(ctx: Ctx) -> None:
    """Remove the last figure, add another: it gets a new id, and last_obs_id rises with it."""
    rows = ctx.rows("observations")
    ctx.table_file("observations", rows[:-1])
    ran = cli(*ctx.P, "add", ctx.worksheet(NEW), "--doc", DOC, *ctx.S)
    assert ran.code == 0, ran.text
    ids = [r["obs_id"] for r in ctx.rows("observations")]
    assert ids == [f"{DOC}-0001", f"{DOC}-0003"]
    assert ctx.rows("documents")[0]["last_obs_id"] == f"{DOC}-0003"


def test_accepted_add_with_force_writes_only_the_rows_that_pass(ctx: Ctx) -> None:
    bad = {**NEW, "value_text": "40 тыс.", "quote": "Сверхурочно отработано около 40 тыс. часов", "measure": "overtime",
           "topic": "labour_conditions", "unit": "hours", "value": 40000, "qualifier": "approximate", "subject": "Nowhere",
           "description": "Overtime hours at the plant in 1934."}
    ran = cli(*ctx.P, "add", ctx.worksheet(NEW, bad), "--doc", DOC, *ctx.S, "--force")
    assert ran.code == 0, ran.text
    assert "[foreign-key] subject" in ran.err
    added = [r for r in ctx.rows("observations") if r["obs_id"] > f"{DOC}-0002"]
    assert [r["value_text"] for r in added] == ["15%"]
    assert ctx.rows("documents")[0]["last_obs_id"] == added[0]["obs_id"]
    ran = cli("validate", *ctx.P)
    assert "[obs-id-issued]" not in ran.text and "foreign-key" not in ran.text, ran.text


def test_accepted_a_worksheet_keeps_u2028_inside_a_string(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_bytes(b'{"quote": "a\xe2\x80\xa8b", "note": "c\xe2\x80\xa9d"}\n{"quote": "x"}\n')
    rows = read_jsonl(path)
    assert [r["_line"] for r in rows] == [1, 2]
    assert rows[0]["quote"] == "a\u2028b" and rows[0]["note"] == "c\u2029d"


def test_accepted_a_cell_over_128kb_is_kept_whole(ctx: Ctx) -> None:
    """A 200 KB note is no refusal: derive and show read it, and keep it byte for byte."""
    big = "запись " * 30_000
    rows = ctx.rows("observations")
    rows[0]["note"] = big
    rows[0]["year_start"] = ""
    ctx.table_file("observations", rows)
    ran = cli(*ctx.P, "derive")
    assert ran.code == 0, ran.text
    assert ctx.rows("observations")[0]["note"] == big
    assert ctx.rows("workforce")[0]["note"] == big
    ran = cli(*ctx.P, "show", "observations")
    assert ran.code == 0, ran.text


def test_misreported_github_line_numbers_are_physical(ctx: Ctx) -> None:
    path = _multiline(ctx)
    ran = cli("validate", *ctx.P, path, "--format", "github")
    lines = [line for line in ran.out.splitlines() if line.startswith("::error")]
    assert len(lines) == 1 and ",line=5," in lines[0], ran.out  # data row 2 starts on line 5


# --- the Python API ------------------------------------------------------------------------

@dataclass(frozen=True)
class ApiCase:
    id: str
    prepare: Callable[[Path], Callable[[], Any]]  # given a release folder of the tiny package: breaks it, returns the call
    error: type[BaseException]
    words: tuple[str, ...] = ()


def _load(table: str, release: Callable[[Path], Any]) -> Callable[[Path], Callable[[], Any]]:
    """``sf.load(table, release=…)`` on what ``release`` makes of the release folder."""
    def prepare(r: Path) -> Callable[[], Any]:
        where = release(r)
        return lambda: sf.load(table, release=where)
    return prepare


@pytest.fixture(scope="session")
def release_template(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-release")
    build(out, template / "pkg" / "data")
    return out


@pytest.fixture()
def release(release_template: Path, tmp_path: Path) -> Path:
    out = tmp_path / "release"
    shutil.copytree(release_template, out)
    return out


def _resum(folder: Path) -> None:
    """Rewrite SHA256SUMS for the files now in ``folder`` (a tamperer who rewrites it too)."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "SHA256SUMS")
    (folder / "SHA256SUMS").write_text("".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in names))


def _rezip(path: Path, replace: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    for name, data in replace.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    members.update(add or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    _resum(path.parent)


def _parquet(release: Path, table: str, change: Callable[[pa.Table], pa.Table]) -> Path:
    zpath = release / f"{STEM}-parquet.zip"
    with zipfile.ZipFile(zpath) as z:
        t = pq.read_table(io.BytesIO(z.read(f"data/{table}.parquet")))
    buf = io.BytesIO()
    pq.write_table(change(t), buf)
    _rezip(zpath, {f"data/{table}.parquet": buf.getvalue()})
    return zpath


def _set(column: str, values: list[Any], type: pa.DataType | None = None) -> Callable[[pa.Table], pa.Table]:
    def change(t: pa.Table) -> pa.Table:
        i = t.column_names.index(column)
        return t.set_column(i, column, pa.array(values * t.num_rows if len(values) == 1 else values, type=type or pa.string()))
    return change


def _csv_zip(release: Path, table: str, change: Callable[[bytes], bytes]) -> Path:
    """Change a table in the CSV zip and the hash its datapackage.json gives (and SHA256SUMS)."""
    zpath = release / f"{STEM}-csv.zip"
    with zipfile.ZipFile(zpath) as z:
        data = change(z.read(f"data/{table}.csv"))
        desc = json.loads(z.read("datapackage.json"))
    next(r for r in desc["resources"] if r["name"] == table)["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    _rezip(zpath, {f"data/{table}.csv": data, "datapackage.json": json.dumps(desc).encode()})
    return zpath


def _bomb(release: Path) -> Path:
    zpath = release / f"{STEM}-csv.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", b"{}")
        with z.open("data/observations.csv", "w", force_zip64=True) as f:
            block = b"\0" * 2**20
            for _ in range(80):
                f.write(block)
    _resum(release)
    return zpath


def _only(release: Path, keep: str) -> Path:
    for p in release.iterdir():
        if p.name not in {keep, "SHA256SUMS"}:
            p.unlink()
    _resum(release)
    return release / keep


def _garbage(release: Path, name: str, data: bytes) -> Path:
    (release / name).write_bytes(data)
    _resum(release)
    return release / name


def _sums(release: Path, text: str) -> Path:
    (release / "SHA256SUMS").write_text(text)
    return release


def _other_file_damaged(release: Path) -> Path:
    with open(release / f"{STEM}.sqlite", "r+b") as f:
        f.seek(200)
        f.write(b"\xff")
    return release / f"{STEM}-csv.zip"


API_CASES = [
    ApiCase("load-crash-unknown-table", lambda r: lambda: sf.load("no-such-table"), TableError, ("unknown table",)),
    ApiCase("load-crash-table-not-a-string", lambda r: lambda: sf.load(123), TableError, ("unknown table 123",)),
    ApiCase("load-crash-filter-dict", lambda r: lambda: sf.load("observations", doc_id={"a": 1}), TableError, ("expected a value or a list of values",)),
    ApiCase("load-crash-filter-nested-list", lambda r: lambda: sf.load("observations", doc_id=[["x"]]), TableError, ("found list",)),
    ApiCase("load-accepted-filter-outside-vocabulary", lambda r: lambda: sf.load("observations", qualifier="roughly"), TableError, ("not in the vocabulary",)),
    ApiCase("load-crash-unknown-column-filter", lambda r: lambda: sf.load("observations", colour="red"), TableError, ("unknown column(s) ['colour']",)),
    ApiCase("release-crash-not-a-path", _load("documents", lambda r: 123), ReleaseError, ("expected the path of a release",)),
    ApiCase("release-crash-empty-folder", _load("documents", lambda r: _empty(r)), ReleaseError, ("found none",)),
    ApiCase("release-crash-fifo", _load("documents", lambda r: (os.mkfifo(r / "x.zip"), r / "x.zip")[1]), ReleaseError, ("not a regular file",)),
    ApiCase("release-crash-sums-fifo", _load("documents", lambda r: ((r / "SHA256SUMS").unlink(), os.mkfifo(r / "SHA256SUMS"), r)[2]), ReleaseError, ("not a regular file",)),
    ApiCase("release-misreported-sums-missing", _load("documents", lambda r: ((r / "SHA256SUMS").unlink(), r)[1]), ReleaseError, ("expected the release's checksum file",)),
    ApiCase("release-accepted-file-not-listed", _load("documents", lambda r: _sums(r, "") / f"{STEM}-csv.zip"), ReleaseError, ("is not listed in",)),
    ApiCase("release-accepted-listed-file-missing", _load("documents", lambda r: ((r / "datapackage.json").unlink(), r)[1]), ReleaseError, ("SHA256SUMS lists it",)),
    ApiCase("release-accepted-other-file-damaged", _load("documents", lambda r: _other_file_damaged(r)), ReleaseError, (".sqlite: SHA-256 does not match",)),
    ApiCase("release-misreported-sums-with-a-path", _load("documents", lambda r: _sums(r, "0" * 64 + "  ../etc/passwd\n")), ReleaseError, ("line 1 is not",)),
    ApiCase("release-misreported-sums-listed-twice", _load("documents", lambda r: _sums(r, "0" * 64 + "  a\n" + "1" * 64 + "  a\n")), ReleaseError, ("twice",)),
    ApiCase("release-crash-garbage-zip", _load("documents", lambda r: _garbage(r, f"{STEM}-csv.zip", b"PK\x03\x04 not really a zip")), ReleaseError, ("neither or is damaged",)),
    ApiCase("release-crash-zip-without-descriptor", _load("documents", lambda r: (_rezip(r / f"{STEM}-csv.zip", {"datapackage.json": None}), r / f"{STEM}-csv.zip")[1]), ReleaseError, ("has no datapackage.json",)),
    ApiCase("release-crash-zip-descriptor-deep", _load("documents", lambda r: (_rezip(r / f"{STEM}-csv.zip", {"datapackage.json": b"[" * 100_000 + b"]" * 100_000}), r / f"{STEM}-csv.zip")[1]), ReleaseError, ("not a package descriptor",)),
    ApiCase("release-crash-zip-descriptor-list", _load("documents", lambda r: (_rezip(r / f"{STEM}-csv.zip", {"datapackage.json": b"[]"}), r / f"{STEM}-csv.zip")[1]), ReleaseError, ("not a package descriptor",)),
    ApiCase("release-crash-zip-without-tables", _load("documents", lambda r: _garbage(r, f"{STEM}-csv.zip", _zip_of({"readme.txt": b"hi"}))), ReleaseError, ("holds neither datapackage.json nor Parquet",)),
    ApiCase("release-crash-zip-bomb", _load("observations", lambda r: _bomb(r)), ReleaseError, ("would inflate to",)),
    ApiCase("release-crash-zip-duplicate-member", _load("observations", lambda r: _garbage(r, f"{STEM}-csv.zip", _duplicate_zip(r))), ReleaseError, ("2 times",)),
    ApiCase("release-crash-garbage-sqlite", _load("documents", lambda r: _garbage(r, f"{STEM}.sqlite", b"not a database at all")), ReleaseError, ("expected a SQLite database",)),
    ApiCase("release-crash-sqlite-missing-table", _load("documents", lambda r: _garbage(r, f"{STEM}.sqlite", _sqlite_without_tables(r))), ReleaseError, ("expected a table documents in the database, found nothing",)),
    ApiCase("release-crash-parquet-missing-column", _load("observations", lambda r: _parquet(r, "observations", lambda t: t.drop_columns(["unit"]))), ReleaseError, ("missing columns: ['unit']",)),
    ApiCase("release-accepted-parquet-unit-out-of-vocabulary", _load("observations", lambda r: _parquet(r, "observations", _set("unit", ["furlongs"]))), ReleaseError, ("values not in the vocabulary: ['furlongs']",)),
    ApiCase("release-accepted-parquet-qualifier-out-of-vocabulary", _load("observations", lambda r: _parquet(r, "observations", _set("qualifier", ["roughly"]))), ReleaseError, ("values not in the vocabulary: ['roughly']",)),
    ApiCase("release-accepted-parquet-negative-offset", _load("observations", lambda r: _parquet(r, "observations", _set("char_start", [-5], pa.int64()))), ReleaseError, ("breaks its schema", "char_start")),
    ApiCase("release-accepted-parquet-obs-id-newline", _load("observations", lambda r: _parquet(r, "observations", _set("obs_id", [f"{DOC}-0001\n", f"{DOC}-0002"]))), ReleaseError, ("breaks its schema", "obs_id")),
    ApiCase("release-crash-parquet-garbage", _load("links", lambda r: (_rezip(r / f"{STEM}-parquet.zip", {"data/links.parquet": b"PAR1 garbage PAR1"}), r / f"{STEM}-parquet.zip")[1]), ReleaseError, ("expected a Parquet file",)),
    ApiCase("release-crash-parquet-wrong-type", _load("observations", lambda r: _parquet(r, "observations", _set("value", ["many"]))), ReleaseError, ("column value holds string",)),
    ApiCase("release-accepted-csv-unit-out-of-vocabulary", _load("observations", lambda r: _csv_zip(r, "observations", lambda b: b.replace(b",persons,", b",furlongs,", 1))), ReleaseError, ("values not in the vocabulary: ['furlongs']",)),
    ApiCase("release-accepted-csv-negative-line", _load("observations", lambda r: _csv_zip(r, "observations", _negative_line)), ReleaseError, ("breaks its schema", "line")),
    ApiCase("release-accepted-csv-missing-column", _load("links", lambda r: _csv_zip(r, "links", lambda b: b.replace(b",note", b"", 1))), ReleaseError, ("missing columns: ['note']",)),
    ApiCase("release-accepted-csv-hash-differs", _load("links", lambda r: _csv_zip_no_hash(r)), ReleaseError, ("does not match the hash in its datapackage.json",)),
    ApiCase("release-crash-sqlite-endless-view", _load("documents", lambda r: _garbage(r, f"{STEM}.sqlite", _sqlite_endless_view(r))), ReleaseError, ("found a view",)),
    ApiCase("release-accepted-sqlite-boolean", _load("measures", lambda r: _garbage(r, f"{STEM}.sqlite", _sqlite_bool(r))), ReleaseError, ("expected 0, 1 or NULL",)),
    ApiCase("cite-crash-unknown", lambda r: lambda: sf.cite("no-such-obs"), TableError, ("no observation 'no-such-obs'",)),
    ApiCase("cite-accepted-trailing-newline", lambda r: lambda: sf.cite("kokosalakis-2016-0045\n"), TableError, ("no observation",)),
    ApiCase("cite-accepted-a-list", lambda r: lambda: sf.cite(["kokosalakis-2016-0045"]), TableError, ("expected an obs_id",)),
    ApiCase("parse-accepted-mixed-arabic-indic-digits", lambda r: lambda: sf.parse("1٥٠%"), ParseError, ("expected the digits 0-9",)),
    ApiCase("parse-accepted-arabic-indic-digits", lambda r: lambda: sf.parse("١٥٠%"), ParseError, ("expected the digits 0-9",)),
    ApiCase("parse-accepted-fullwidth-digits", lambda r: lambda: sf.parse("１５０", "ru"), ParseError, ("expected the digits 0-9",)),
    ApiCase("parse-accepted-devanagari-digit", lambda r: lambda: sf.parse("12 ४00", "ru"), ParseError, ("expected the digits 0-9",)),
    ApiCase("parse-crash-not-text", lambda r: lambda: sf.parse(None), ParseError, ("expected text",)),
    ApiCase("parse-crash-huge", lambda r: lambda: sf.parse("1" * 1_000_000), ParseError, ("too long",)),
    ApiCase("schema-crash-unknown-table", lambda r: lambda: sf.schema("no-such-table"), TableError, ("unknown table",)),
]


def _empty(r: Path) -> Path:
    (r / "empty").mkdir()
    return r / "empty"


def _zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    return buf.getvalue()


def _duplicate_zip(r: Path) -> bytes:
    with zipfile.ZipFile(r / f"{STEM}-csv.zip") as z:
        members = {n: z.read(n) for n in z.namelist()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        for n, d in members.items():
            z.writestr(n, d)
        z.writestr("data/observations.csv", members["data/observations.csv"])
    return buf.getvalue()


def _scratch_db(r: Path, statements: list[str], from_release: bool = True) -> bytes:
    """The bytes of a SQLite database after ``statements``: a copy of the release's database,
    or (``from_release=False``) an empty one."""
    path = r / "scratch.db"
    if from_release:
        path.write_bytes((r / f"{STEM}.sqlite").read_bytes())
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _sqlite_without_tables(r: Path) -> bytes:
    return _scratch_db(r, ["CREATE TABLE other (x)"], from_release=False)


def _sqlite_endless_view(r: Path) -> bytes:
    return _scratch_db(r, [
        "PRAGMA foreign_keys = OFF", "DROP TABLE documents",
        "CREATE VIEW documents AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS doc_id, '' AS title FROM c",
    ])


def _sqlite_bool(r: Path) -> bytes:
    return _scratch_db(r, ["UPDATE measures SET percent_may_exceed_100 = 'maybe' WHERE rowid = 1"])


def _negative_line(data: bytes) -> bytes:
    header, rest = data.decode().split("\n", 1)
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    rows[0]["line"] = "-4"
    buf = io.StringIO()
    w = csv.DictWriter(buf, header.split(","), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def _csv_zip_no_hash(r: Path) -> Path:
    zpath = r / f"{STEM}-csv.zip"
    with zipfile.ZipFile(zpath) as z:
        data = z.read("data/links.csv")
    _rezip(zpath, {"data/links.csv": data + b"a,b,same_quantity_as,x\n"})
    return zpath


@pytest.mark.parametrize("k", API_CASES, ids=[k.id for k in API_CASES])
def test_the_api_refuses_with_its_own_errors(k: ApiCase, release: Path) -> None:
    thunk = k.prepare(release)
    before = snapshot(release)
    got = call(thunk)
    assert isinstance(got, k.error), f"expected {k.error.__name__}, got {type(got).__name__}: {got}"
    assert isinstance(got, SovietFiguresError)
    assert_words(str(got), k.words)
    assert snapshot(release) == before  # reading a release writes nothing (no journal beside the database)


def test_accepted_sha256sums_variants() -> None:
    digest = hashlib.sha256(b"x").hexdigest()
    for text in (f"{digest}  a.zip\n", f"{digest} *a.zip\n", f"{digest.upper()}  a.zip\n", f"{digest} a.zip\n",
                 f"{digest}  a.zip\r\n", f"{digest}  ./a.zip\n", f"SHA256 (a.zip) = {digest}\n", f"\n# comment\n{digest}  a.zip"):
        assert parse_sha256sums(text, "SHA256SUMS") == {"a.zip": digest}, text


ACCEPTED_IDS = [
    "release-misreported-sums-binary-marker", "release-misreported-sums-upper-case", "release-misreported-sums-single-space",
    "release-misreported-sums-bsd-tag", "release-misreported-sums-crlf",
]


@pytest.mark.parametrize("variant", ACCEPTED_IDS)
def test_accepted_a_release_whose_sha256sums_is_a_variant(variant: str, release: Path) -> None:
    lines = (release / "SHA256SUMS").read_text().splitlines()
    form = {
        "release-misreported-sums-binary-marker": lambda d, n: f"{d} *{n}\n",
        "release-misreported-sums-upper-case": lambda d, n: f"{d.upper()}  {n}\n",
        "release-misreported-sums-single-space": lambda d, n: f"{d} {n}\n",
        "release-misreported-sums-bsd-tag": lambda d, n: f"SHA256 ({n}) = {d}\n",
        "release-misreported-sums-crlf": lambda d, n: f"{d}  {n}\r\n",
    }[variant]
    (release / "SHA256SUMS").write_text("".join(form(*line.split("  ", 1)) for line in lines), newline="")
    got = call(lambda: sf.load("documents", release=release))
    assert isinstance(got, pd.DataFrame), got
    assert got["doc_id"].tolist() == [DOC]


def test_accepted_a_release_folder_is_read_by_version_order(release: Path, tmp_path: Path, template: Path) -> None:
    """With 0.9.0 and 0.10.0 side by side, 0.10.0 is read (not the text order's 0.9.0)."""
    older = tmp_path / "older" / "data"
    shutil.copytree(template / "pkg" / "data", older)
    Ctx(tmp_path).table_file("documents", [dict(_rows(older / "documents.csv")[0], title="the older title")], older)
    old_build = tmp_path / "old"
    build(old_build, older)
    for p in list(release.iterdir()):
        if p.name.startswith(STEM):
            p.rename(release / p.name.replace(__version__, "0.10.0"))
    for p in old_build.iterdir():
        if p.name.startswith(STEM):
            shutil.copy(p, release / p.name.replace(__version__, "0.9.0"))
    _resum(release)
    got = call(lambda: sf.load("documents", release=release))
    assert isinstance(got, pd.DataFrame), got
    assert got["title"].tolist() == ["Отчёт завода"]  # 0.10.0's, not 0.9.0's "the older title"


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_accepted_the_public_schema_holds_patterns_to_the_whole_cell(storage: str, end: str) -> None:
    obs = sf.load("observations").head(3).astype({"obs_id": pd.StringDtype(storage)})
    sf.schema("observations").validate(obs, lazy=True)  # the real cells pass
    obs.loc[0, "obs_id"] = obs.loc[0, "obs_id"] + end
    with pytest.raises(pe.SchemaErrors) as exc:
        sf.schema("observations").validate(obs, lazy=True)
    assert [(c, k.startswith("str_matches")) for c, k in zip(exc.value.failure_cases["column"], exc.value.failure_cases["check"])] == [("obs_id", True)]


def test_refusals_are_sovietfigureserrors_with_what_to_do(ctx: Ctx) -> None:
    """The message of a refusal says what was expected, what was found and what to do."""
    for func, error in [
        (lambda: sf.load("documents", release=ctx.tmp), ReleaseError),
        (lambda: read_jsonl(ctx.tmp), WorksheetError),
        (lambda: io_files.read_regular(ctx.tmp), PackageError),
    ]:
        got = call(func)
        assert isinstance(got, error), got
        assert "expected" in str(got) and ";" in str(got), str(got)
