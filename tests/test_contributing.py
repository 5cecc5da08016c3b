"""CONTRIBUTING.md's steps, end to end, on a document this test writes itself; and the CI files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from soviet_figures.cli import main

ROOT = Path(__file__).resolve().parents[1]

TEXT = (
    "Отчёт завода за 1934 г.\n"
    "В 1934 г. на заводе работало 12 400 рабочих, из них 1 860 коммунистов (15%).\n"
    "Сверхурочно отработано около 40 тыс. часов1. Лучшим был цех 7.\n"
    "\n"
    "1 Архив завода. Ф. 12. Оп. 3. Д. 45. Л. 6.\n"
)


def run(*argv: str) -> int:
    return main(list(argv))


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, data: list[dict[str, str]]) -> None:
    fields = list(data[0]) if data else next(csv.reader(open(path, encoding="utf-8")))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fields, lineterminator="\n")
    w.writeheader()
    w.writerows(data)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.fixture()
def contributed(tmp_path, capsys):
    """A package made by following CONTRIBUTING.md step by step."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "zavod.txt").write_text(TEXT, encoding="utf-8")
    pkg = tmp_path / "my-figures" / "datapackage.json"
    assert run("init", str(pkg.parent)) == 0
    P = ("--package", str(pkg))
    # 2. documents row with the text's SHA-256
    write_rows(pkg.parent / "data" / "documents.csv", [{
        "doc_id": "zavod-1934", "title": "Отчёт завода", "subtitle": "", "title_en": "Plant report", "authors": "", "year": "",
        "venue": "", "doc_type": "article", "language": "ru", "pages": "", "url": "", "doi": "", "catalogue_record": "",
        "source_file": "zavod.txt", "sha256": hashlib.sha256(TEXT.encode()).hexdigest(), "rights": "",
        "summary": "A test document.", "page_method": "", "last_obs_id": ""}])
    # 2b. the subject its figures are about
    write_rows(pkg.parent / "data" / "subjects.csv", [{
        "subject_id": "zavod", "name": "Zavod", "kind": "enterprise", "place": "", "aliases": "завод",
        "name_ru": "завод", "description": "The plant of the report."}])
    # 2c. the contexts its figures belong to
    write_rows(pkg.parent / "data" / "contexts.csv", [{
        "context_id": "zavod-report-1934", "label": "The plant's report for 1934", "kind": "setting", "period": "1934",
        "family": "plant-party-life", "description": "The plant's annual report for 1934."}])
    # 3. scan
    assert run(*P, "scan", "--sources", str(sources), "--doc", "zavod-1934") == 0
    # 4. worksheet and add
    worksheet = tmp_path / "zavod.jsonl"
    base = {"topic": "workforce", "subject": "Zavod", "place": "", "period": "1934", "footnote": "", "value_kind": "level", "context": "zavod-report-1934",
            "cited_source": "", "attributed_to": "", "note": "", "value_low": None, "value_high": None}
    figures = [
        {**base, "value_text": "12 400", "quote": "на заводе работало 12 400 рабочих", "measure": "workforce",
         "unit": "persons", "value": 12400, "qualifier": "exact", "description": "Workers of the plant in 1934."},
        {**base, "value_text": "1 860", "quote": "из них 1 860 коммунистов", "measure": "party_members", "topic": "membership",
         "unit": "persons", "value": 1860, "qualifier": "exact", "description": "Communists among the plant's workers in 1934."},
        {**base, "value_text": "15%", "quote": "1 860 коммунистов (15%)", "measure": "party_saturation", "topic": "membership",
         "unit": "percent", "value": 15, "qualifier": "exact", "value_kind": "share", "description": "Party saturation of the plant's workforce in 1934."},
        {**base, "value_text": "40 тыс.", "quote": "Сверхурочно отработано около 40 тыс. часов", "measure": "overtime",
         "topic": "labour_conditions", "unit": "hours", "value": 40000, "qualifier": "approximate", "footnote": "1", "value_kind": "flow",
         "cited_source": "Архив завода. Ф. 12. Оп. 3. Д. 45. Л. 6.", "description": "Overtime hours at the plant in 1934."},
    ]
    worksheet.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in figures), encoding="utf-8")
    assert run(*P, "add", str(worksheet), "--doc", "zavod-1934", "--sources", str(sources)) == 0
    # 5. scan again
    assert run(*P, "scan", "--sources", str(sources), "--doc", "zavod-1934") == 0
    # 6. classify what is left
    capsys.readouterr()
    assert run("validate", "--package", str(pkg), "--sources", str(sources)) == 1
    left = [r for r in rows(pkg.parent / "data" / "mentions.csv") if not r["status"]]
    assert [r["text"] for r in left] == ["7"]  # years, the note marker and the archive reference
    cls = tmp_path / "cls.jsonl"                 # were classified by the rules
    cls.write_text("", encoding="utf-8")
    for r in left:
        with open(cls, "a", encoding="utf-8") as f:
            f.write(json.dumps({"start": int(r["char_start"]), "text": r["text"], "status": "label", "reason": "shop number"}) + "\n")
    assert run(*P, "classify", str(cls), "--doc", "zavod-1934") == 0
    # 7. derive; 8. validate
    assert run(*P, "derive") == 0
    capsys.readouterr()
    assert run("validate", "--package", str(pkg), "--sources", str(sources)) == 0
    out = capsys.readouterr().out
    assert "completeness  passed" in out and "result        valid" in out
    return pkg, sources


def test_following_contributing_gives_a_valid_package(contributed):
    pkg, _ = contributed
    obs = rows(pkg.parent / "data" / "observations.csv")
    assert [(o["obs_id"], o["value"], o["line"]) for o in obs] == [
        ("zavod-1934-0001", "12400", "2"), ("zavod-1934-0002", "1860", "2"), ("zavod-1934-0003", "15", "2"), ("zavod-1934-0004", "40000", "3")]
    assert TEXT[int(obs[3]["char_start"]) : int(obs[3]["char_end"])] == "40 тыс."


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda o, m: o[0].update(value="12500"), "row 1, column value: [value-parses]"),
        (lambda o, m: o[1].update(char_start=str(int(o[1]["char_start"]) - 1), char_end=str(int(o[1]["char_end"]) - 1)), "row 2, column value_text: [text-at-offsets]"),
        (lambda o, m: o[2].update(quote="из них 1 860 коммунистов (15%) и 3 000 комсомольцев"), "row 3, column quote: [quote-at-offsets]"),
        (lambda o, m: m[0].update(status="", reason=""), "row 1, column status: [unclassified]"),
    ],
)
def test_the_validator_catches_each_kind_of_mistake(contributed, damage, expected, capsys):
    pkg, sources = contributed
    o_path, m_path = pkg.parent / "data" / "observations.csv", pkg.parent / "data" / "mentions.csv"
    o, m = rows(o_path), rows(m_path)
    damage(o, m)
    write_rows(o_path, o)
    write_rows(m_path, m)
    capsys.readouterr()
    assert run("validate", "--package", str(pkg), "--sources", str(sources)) == 1
    out = capsys.readouterr().out
    assert expected in out, out


def test_github_annotations(contributed, capsys):
    pkg, sources = contributed
    o_path = pkg.parent / "data" / "observations.csv"
    o = rows(o_path)
    o[0].update(value="12500")
    write_rows(o_path, o)
    capsys.readouterr()
    assert run("validate", "--package", str(pkg), "--sources", str(sources), "--format", "github") == 1
    out = capsys.readouterr().out
    assert re.search(r"^::error file=.*observations\.csv,line=2,col=1,title=value-parses \(value\)::", out, re.M), out


def _commands(run_block: str) -> list[list[str]]:
    out = []
    for line in run_block.splitlines():
        for part in re.split(r"&&|;", line):
            if part.strip():
                out.append(shlex.split(part.strip()))
    return out


def test_every_command_the_workflows_and_hooks_run_exists():
    from soviet_figures.cli import main as cli

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    runs = []
    for wf in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(wf.read_text())["jobs"].values():
            runs += [s["run"] for s in job["steps"] if "run" in s]
    runs += [h["entry"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())]
    assert runs
    for block in runs:
        for cmd in _commands(block):
            if cmd[0] == "cd":
                continue
            if cmd[0] == "soviet-figures":
                with pytest.raises(SystemExit) as exc:
                    cli([*cmd[1:], "--help"])
                assert exc.value.code == 0, cmd
            elif cmd[:3] == ["python", "-m", "pip"]:
                extra = re.search(r"\[(\w+)\]", " ".join(cmd))
                assert extra is None or extra.group(1) in extras, cmd
            elif cmd[:3] == ["python", "-m", "pytest"]:
                pass
            else:
                assert shutil.which(cmd[0]), f"{cmd[0]} is not installed"
