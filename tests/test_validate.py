"""The validator on the real package, on corrupted copies, and on malformed files."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from soviet_figures.cli import main
from soviet_figures.validate import validate

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTOR = ROOT / "datapackage" / "datapackage.json"


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.csv"))}


def rewrite(path: Path, change) -> None:
    """Apply ``change(rows)`` to a CSV's rows (dicts) and write it back in the package's style."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    change(rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


@pytest.mark.texts
def test_the_package_is_valid_with_all_four_layers(sources):
    before = digest(ROOT / "datapackage")
    report = validate(DESCRIPTOR, sources)
    assert report.as_text(limit=20) and report.ok, report.as_text(limit=20)
    assert report.layers == {"structure": "passed", "semantics": "passed", "provenance": "passed", "completeness": "passed"}
    assert digest(ROOT / "datapackage") == before  # validation never writes


def test_without_texts_the_text_layers_are_skipped_not_passed():
    report = validate(DESCRIPTOR, None)
    assert report.layers["provenance"].startswith("skipped")
    assert report.layers["completeness"].startswith("skipped")
    assert "provenance    skipped" in report.as_text()


def errors_for(descriptor: Path, sources: Path | None) -> list[str]:
    return [i.as_text() for i in validate(descriptor, sources).issues]


@pytest.mark.texts
def test_a_wrong_value_is_caught_with_its_row(package_copy, sources):
    obs = package_copy.parent / "data" / "observations.csv"
    rewrite(obs, lambda rows: rows[4].update(value=str(float(rows[4]["value"] or 0) + 1), value_low="", value_high="", qualifier="exact"))
    errs = errors_for(package_copy, sources)
    assert any("observations.csv: row 5, column value: [value-parses]" in e for e in errs), errs[:5]


@pytest.mark.texts
def test_a_wrong_offset_is_caught_with_its_row(package_copy, sources):
    obs = package_copy.parent / "data" / "observations.csv"
    rewrite(obs, lambda rows: rows[9].update(char_start=str(int(rows[9]["char_start"]) + 1), char_end=str(int(rows[9]["char_end"]) + 1)))
    errs = errors_for(package_copy, sources)
    assert any("row 10, column value_text: [text-at-offsets]" in e for e in errs), errs[:5]


@pytest.mark.texts
def test_a_quote_not_in_the_text_is_caught(package_copy, sources):
    obs = package_copy.parent / "data" / "observations.csv"
    rewrite(obs, lambda rows: rows[2].update(quote=rows[2]["quote"].replace(rows[2]["value_text"], rows[2]["value_text"] + " invented words")))
    errs = errors_for(package_copy, sources)
    assert any("row 3, column quote: [quote-at-offsets] quote is not in the text" in e for e in errs), errs[:5]


@pytest.mark.texts
def test_a_deleted_ledger_row_is_caught(package_copy, sources):
    ment = package_copy.parent / "data" / "mentions.csv"
    removed = {}
    rewrite(ment, lambda rows: removed.update(rows.pop(100)))
    errs = errors_for(package_copy, sources)
    assert any("[mention-missing]" in e and removed["mention_id"] in e for e in errs), errs[:5]


@pytest.mark.texts
def test_an_unclassified_mention_is_caught(package_copy, sources):
    ment = package_copy.parent / "data" / "mentions.csv"
    rewrite(ment, lambda rows: rows[7].update(status="", reason=""))
    errs = errors_for(package_copy, sources)
    assert any("mentions.csv: row 8, column status: [unclassified]" in e for e in errs), errs[:5]


def test_a_hand_edited_topic_table_is_caught(package_copy):
    topic = package_copy.parent / "data" / "party_membership.csv"
    rewrite(topic, lambda rows: rows.pop())
    errs = errors_for(package_copy, None)
    assert any("party_membership.csv" in e and "[derived-current]" in e for e in errs), errs[:5]


def test_semantic_rules_name_row_column_and_rule(package_copy):
    obs = package_copy.parent / "data" / "observations.csv"

    def damage(rows):
        rows[0].update(period="1936-13")
        rows[2].update(qualifier="range", value_low="", value_high="")

    rewrite(obs, damage)
    errs = errors_for(package_copy, None)
    assert any("row 1, column period: [period-format]" in e for e in errs)
    assert any("row 3, column qualifier: [qualifier-range]" in e for e in errs)


def test_key_errors_do_not_hide_the_semantic_ones(package_copy):
    obs = package_copy.parent / "data" / "observations.csv"
    rewrite(obs, lambda rows: (rows[1].update(obs_id=rows[0]["obs_id"]), rows[2].update(unit="furlongs")))
    report = validate(package_copy, None)
    assert report.layers["structure"] == "failed" and report.layers["semantics"] == "failed"
    assert any("row 2, column obs_id: [primary-key]" in i.as_text() for i in report.issues)
    assert any("row 3, column unit: [schema:isin" in i.as_text() for i in report.issues)


def test_a_file_that_cannot_be_read_stops_at_structure(package_copy):
    obs = package_copy.parent / "data" / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8") + "one,cell,too,few\n", encoding="utf-8")
    report = validate(package_copy, None)
    assert report.layers["structure"] == "failed" and report.layers["semantics"].startswith("skipped")
    assert any("[missing-cell]" in i.as_text() for i in report.issues)


def test_a_value_outside_the_vocabulary_names_the_cell(package_copy):
    obs = package_copy.parent / "data" / "observations.csv"
    rewrite(obs, lambda rows: rows[1].update(unit="furlongs"))
    report = validate(package_copy, None)
    assert report.layers["structure"] == "passed"
    assert any("row 2, column unit: [schema:isin" in i.as_text() and "furlongs" in i.as_text() for i in report.issues)


def test_frictionless_itself_agrees_the_package_is_valid():
    report = validate(DESCRIPTOR, None, use_frictionless=True)
    assert report.ok, report.as_text(limit=10)


@pytest.mark.texts
def test_a_wrong_sha256_refuses_the_text(package_copy, sources):
    docs = package_copy.parent / "data" / "documents.csv"
    rewrite(docs, lambda rows: rows[0].update(sha256="0" * 64))
    errs = errors_for(package_copy, sources)
    assert any("documents.csv: row 1, column sha256: [source-text]" in e and "does not match" in e for e in errs)


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        (lambda b: b.decode("utf-8").encode("cp1251", errors="replace"), "[encoding]"),
        (lambda b: b"\xef\xbb\xbf" + b, "[encoding]"),
        (lambda b: b.decode("utf-8").encode("utf-16"), "[encoding]"),
        (lambda b: b.replace(b"\n", b"\r\n"), "[line-ends]"),
        (lambda b: b"", "[empty-file]"),
    ],
)
def test_malformed_contributor_files_are_refused_and_left_unchanged(tmp_path, payload, rule, capsys):
    good = (ROOT / "datapackage" / "data" / "observations.csv").read_bytes()
    bad = tmp_path / "my-book.observations.csv"
    bad.write_bytes(payload(good))
    before = bad.read_bytes()
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert rule in out and "my-book.observations.csv" in out
    assert bad.read_bytes() == before


def test_missing_column_in_a_contributor_file(tmp_path, capsys):
    good = (ROOT / "datapackage" / "data" / "observations.csv").read_text(encoding="utf-8")
    bad = tmp_path / "observations.csv"
    rows = list(csv.reader(io.StringIO(good)))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([r[:-1] for r in rows])
    bad.write_text(buf.getvalue(), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert "note" in capsys.readouterr().out


@pytest.mark.texts
def test_cli_exit_status_and_layers(sources, capsys):
    assert main(["validate", "--sources", str(sources)]) == 0
    out = capsys.readouterr().out
    for layer in ("structure", "semantics", "provenance", "completeness"):
        assert f"{layer:<13} passed" in out
    assert main(["validate", "--sources", str(sources), "--format", "json"]) == 0
    assert '"valid": true' in capsys.readouterr().out


@pytest.mark.texts
def test_a_wrong_page_is_caught(package_copy, sources):
    obs = package_copy.parent / "data" / "observations.csv"

    def damage(rows):
        row = next(r for r in rows if r["doc_id"] == "fitzpatrick-1979" and r["page"])
        row["page"] = str(int(row["page"]) + 1)

    rewrite(obs, damage)
    errs = errors_for(package_copy, sources)
    assert any("column page: [page-from-notes]" in e for e in errs), errs[:5]


@pytest.mark.texts
def test_a_contributors_clean_file_validates_clean(tmp_path, sources, capsys):
    mine = tmp_path / "my-book.observations.csv"
    mine.write_bytes((ROOT / "datapackage" / "data" / "observations.csv").read_bytes())
    assert main(["validate", str(mine), "--sources", str(sources)]) == 0, capsys.readouterr().out


def test_the_non_negative_units_are_units_of_the_vocabulary():
    from soviet_figures import tableschema
    from soviet_figures.validate.rules import NON_NEGATIVE_UNITS

    assert NON_NEGATIVE_UNITS <= set(tableschema.enum("observations", "unit"))


def test_a_linked_figure_that_is_no_number_is_pandera_s_finding_not_a_crash(package_copy):
    """A part_of link to a row whose value cannot be read: the value is reported where it
    is, and the link rules skip it rather than fail."""
    links = package_copy.parent / "data" / "links.csv"
    with open(links, encoding="utf-8", newline="") as f:
        part = next(r["obs_id_a"] for r in csv.DictReader(f) if r["relation"] == "part_of")
    rewrite(package_copy.parent / "data" / "observations.csv", lambda rows: next(r for r in rows if r["obs_id"] == part).update(value="many"))
    report = validate(package_copy, None)
    assert [(i.column, i.rule) for i in report.issues if i.file.endswith("observations.csv") and i.value == "many"] == [("value", "schema:coerce_dtype('Float64')")]
    assert not [i for i in report.issues if i.file.endswith("links.csv")]


def test_a_series_link_across_quantities_is_refused_in_the_package(package_copy):
    """A same_series_as link that joins the plant's truancy rate to a meeting's speakers."""
    links = package_copy.parent / "data" / "links.csv"
    rewrite(links, lambda rows: rows.append({"obs_id_a": "kokosalakis-2016-0042", "obs_id_b": "kokosalakis-2016-0197", "relation": "same_series_as", "note": "x"}))
    report = validate(package_copy, None)
    found = [(i.row, i.column, i.rule) for i in report.issues if i.file.endswith("links.csv")]
    assert found == [(168, "relation", "series-link")]
