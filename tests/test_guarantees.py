"""The guarantees of the ledger and of ``add``: a figure is placed only as a whole numeric
expression of the text, once. Each case uses a small text of its own (no source texts)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from soviet_figures.cli import main
from soviet_figures.io.csvfile import write_rows
from soviet_figures.text.scanner import scan

TEXT = (
    "Bakaev's fifteen-minute slot was extended by an extra ten minutes.\n"
    "The meeting elected twenty-five full and five candidate members, five of them women; 996 тыс. hours; 41,2% of them.\n"
)


@pytest.fixture()
def package(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "t.txt").write_text(TEXT, encoding="utf-8")
    pkg = tmp_path / "pkg" / "datapackage.json"
    assert main(["init", str(pkg.parent)]) == 0
    write_rows(pkg.parent / "data" / "documents.csv", "documents", [{
        "doc_id": "t", "doc_type": "article", "language": "en", "source_file": "t.txt",
        "sha256": hashlib.sha256(TEXT.encode()).hexdigest(), "summary": "A test text."}])
    write_rows(pkg.parent / "data" / "subjects.csv", "subjects", [{"subject_id": "m", "name": "Meeting", "kind": "event", "description": "The meeting."}])
    write_rows(pkg.parent / "data" / "contexts.csv", "contexts", [{"context_id": "meeting", "label": "The meeting", "kind": "meeting", "family": "plant-party-life", "description": "The meeting of the test text."}])
    return pkg, sources


def _add(pkg: Path, sources: Path, tmp_path: Path, *rows: dict[str, object]) -> int:
    ws = tmp_path / "w.jsonl"
    base = {"topic": "party_activity", "measure": "speaking_time", "subject": "Meeting", "description": "A figure of the test text.", "qualifier": "exact",
            "value_kind": "duration", "context": "meeting"}
    ws.write_text("".join(json.dumps({**base, **r}, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return main(["--package", str(pkg), "add", str(ws), "--doc", "t", "--sources", str(sources)])


def _digest(pkg: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((pkg.parent / "data").glob("*.csv"))}


def test_the_scanner_reads_whole_expressions():
    assert [m.text for m in scan(TEXT)] == ["fifteen", "ten", "twenty-five", "five", "five", "996 тыс.", "41,2%"]


@pytest.mark.parametrize(("row", "says"), [
    ({"value_text": "ten", "quote": "slot was extended by an", "unit": "minutes", "value": 10}, "not inside the quote as a whole expression"),
    ({"value_text": "five", "quote": "elected twenty-five full", "unit": "persons", "value": 5, "measure": "party_bureau_members", "value_kind": "level"}, "not inside the quote as a whole expression"),
    ({"value_text": "five", "quote": "and five candidate members, five of them", "unit": "persons", "value": 5, "measure": "party_bureau_members", "value_kind": "level"}, "occurs 2 times"),
], ids=["inside-a-word", "half-of-a-hyphenated-number", "ambiguous-without-occurrence"])
def test_add_refuses_a_figure_that_is_not_a_whole_expression(package, tmp_path, capsys, row, says):
    pkg, sources = package
    before = _digest(pkg)
    assert _add(pkg, sources, tmp_path, row) == 1
    assert says in capsys.readouterr().err
    assert _digest(pkg) == before


def test_add_places_the_figure_that_occurrence_names(package, tmp_path):
    pkg, sources = package
    row = {"value_text": "five", "quote": "elected twenty-five full and five candidate members, five of them", "occurrence": 1, "unit": "persons", "value": 5, "measure": "party_bureau_members", "value_kind": "level"}
    assert _add(pkg, sources, tmp_path, row) == 0
    obs = (pkg.parent / "data" / "observations.csv").read_text(encoding="utf-8")
    start = TEXT.index("and five") + 4
    assert f",{start},{start + 4}," in obs


def test_add_refuses_a_worksheet_with_the_same_row_twice(package, tmp_path, capsys):
    pkg, sources = package
    before = _digest(pkg)
    row = {"value_text": "ten", "quote": "by an extra ten minutes", "unit": "minutes", "value": 10}
    assert _add(pkg, sources, tmp_path, row, row) == 1
    assert "already has that span" in capsys.readouterr().err
    assert _digest(pkg) == before


def test_add_refuses_a_figure_whose_unit_contradicts_it(package, tmp_path, capsys):
    pkg, sources = package
    row = {"value_text": "41,2%", "quote": "hours; 41,2% of them", "unit": "persons", "value": 41.2, "measure": "party_saturation", "topic": "membership", "value_kind": "share"}
    assert _add(pkg, sources, tmp_path, row) == 1
    assert "unit-from-text" in capsys.readouterr().err
