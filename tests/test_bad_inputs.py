"""The bad-input corpus: every malformed file is refused with file, row, column and rule,
without a traceback, and left byte-identical."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from soviet_figures.cli import main

HERE = Path(__file__).resolve().parent / "bad_inputs"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_enough():
    assert len(EXPECTED) >= 30
    assert sorted(EXPECTED) == sorted(p.name for p in HERE.glob("*.csv"))


# the rules of the layers that read the source texts
TEXT_RULES = {"text-at-offsets", "line-of-offset", "offsets-in-text", "quote-at-offsets", "source-text", "span-expression"}
NO_TEXT = sorted(n for n in EXPECTED if EXPECTED[n]["rule"] not in TEXT_RULES)
WITH_TEXT = sorted(n for n in EXPECTED if EXPECTED[n]["rule"] in TEXT_RULES)


@pytest.mark.parametrize("name", NO_TEXT)
def test_each_bad_file_is_refused_precisely(name, capsys):
    _refused_precisely(name, [], capsys)


@pytest.mark.texts
@pytest.mark.parametrize("name", WITH_TEXT)
def test_each_bad_file_for_the_text_layers_is_refused_precisely(name, sources, capsys):
    _refused_precisely(name, ["--sources", str(sources)], capsys)


@functools.cache
def _validated(name: str, *extra: str) -> tuple[int, dict, bool]:
    """The exit status and JSON report of ``validate`` on one bad file, and whether the file
    was left byte-identical: each file is validated once for all the tests that read it."""
    path = HERE / name
    before = path.read_bytes()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["validate", str(path), *extra, "--format", "json"])
    return code, json.loads(out.getvalue()), path.read_bytes() == before


def _refused_precisely(name: str, extra: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, report, unchanged = _validated(name, *extra)
    assert code == 1
    exp = EXPECTED[name]
    hits = [e for e in report["errors"] if e["rule"].startswith(exp["rule"])]
    assert hits, f"expected rule {exp['rule']}, got {[e['rule'] for e in report['errors']][:8]}"
    assert any(
        e["file"].endswith(name) and e["row"] == exp["row"] and (exp["column"] is None or e["column"] == exp["column"])
        for e in hits
    ), hits[:3]
    assert unchanged


@pytest.mark.texts
def test_no_traceback_on_the_command_line(sources):
    for name in ("unterminated-quote.observations.csv", "utf16.observations.csv", "offsets-past-end.observations.csv"):
        done = subprocess.run(
            [sys.executable, "-m", "soviet_figures.cli", "validate", str(HERE / name), "--sources", str(sources)],
            capture_output=True, text=True,
        )
        assert done.returncode == 1
        assert "Traceback" not in done.stdout + done.stderr
        assert name in done.stdout


def test_a_50_mb_file_is_refused_unchanged(tmp_path, capsys):
    big = tmp_path / "huge.observations.csv"
    row = (HERE / "value-not-from-text.observations.csv").read_text(encoding="utf-8").splitlines()[1] + "\n"
    header = (HERE / "value-not-from-text.observations.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
    with open(big, "w", encoding="utf-8") as f:
        f.write(header)
        while f.tell() < 50 * 2**20:
            f.write(row * 1000)
    size = big.stat().st_size
    assert main(["validate", str(big)]) == 1
    out = capsys.readouterr().out
    assert "huge.observations.csv" in out and "[file-too-large]" in out
    assert big.stat().st_size == size


def _frictionless_errors(path: Path, table: str) -> list[tuple[int | None, str | None, str]]:
    from frictionless import Resource, Schema

    from soviet_figures import tableschema

    descriptor = {k: v for k, v in tableschema.load_schema(table).items() if k != "foreignKeys"}
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(descriptor), format="csv", encoding="utf-8")
    report = resource.validate()
    out = []
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            out.append((None if row is None else row - 1, getattr(err, "field_name", None) or getattr(err, "label", None), err.type))
    return out


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n]["rule"] not in {"encoding", "line-ends", "empty-file"}))
def test_every_error_frictionless_reports_is_reported(name, capsys):
    """frictionless is the oracle: each (row, column) it flags, the validator flags too."""
    from soviet_figures.validate import table_of_file

    path = HERE / name
    theirs = _frictionless_errors(path, table_of_file(path))
    ours = _validated(name)[1]["errors"]
    for row, column, kind in theirs:
        if row is None:  # a header error (frictionless matches labels by position, we by name)
            assert any(e["row"] is None for e in ours), (kind, column, ours[:3])
        elif any(e["row"] is None and e["rule"].endswith("-label") for e in ours):
            continue  # a header error: frictionless reads cells by position, so every later
            # cell error follows from the missing or extra column we name once
        else:
            assert any(e["row"] == row and (column is None or e["column"] in (None, column)) for e in ours), (kind, row, column, ours[:3])


def test_a_file_with_many_kinds_of_error_gets_every_one_frictionless_finds(tmp_path, capsys):
    """Errors of several layers in one file: key errors do not hide the cell errors."""
    import csv

    with open(HERE.parents[1] / "datapackage" / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)[:120]
    corruptions = [("value", "12x"), ("qualifier", "roughly"), ("doc_id", ""), ("year_start", "1700"), ("obs_id", "BAD ID"), ("obs_id", rows[0]["obs_id"]), ("char_start", "-3")]
    for n, (column, bad) in enumerate(corruptions):
        rows[10 * n + 5][column] = bad
    path = tmp_path / "mixed.observations.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    theirs = _frictionless_errors(path, "observations")
    assert len({row for row, _, _ in theirs}) == len(corruptions)  # the oracle sees each one
    assert main(["validate", str(path), "--format", "json"]) == 1
    ours = json.loads(capsys.readouterr().out)["errors"]
    for row, column, kind in theirs:
        assert any(e["row"] == row and (column is None or e["column"] in (None, column)) for e in ours), (kind, row, column)


def test_a_value_that_is_not_a_number_is_reported_once(capsys):
    """Not also as a dtype failure, an 'empty' value or a value that does not parse."""
    path = HERE / "non-numeric-value.observations.csv"
    assert main(["validate", str(path), "--format", "json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["row"], e["column"], e["rule"]) for e in errors] == [(1, "value", "schema:coerce_dtype('Float64')")]
