"""Derived files are exactly their derivation; the ledger is stable under re-scanning."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import soviet_figures as sf
from soviet_figures import derive, tableschema
from soviet_figures.derive import planned_files, stale_files
from soviet_figures.text.mentions import ledger_rows

ROOT = Path(__file__).resolve().parents[1]


def test_no_derived_file_is_stale():
    assert stale_files() == []


def test_one_run_of_derive_counts_the_series_it_writes_in_the_codebook(monkeypatch):
    """The codebook's row count of ``series`` is that of the series derive writes in the same
    run, not of the file on disk (which it is about to replace)."""
    real = derive.series_rows
    monkeypatch.setattr(derive, "series_rows", lambda *a: real(*a)[:3])
    planned = {p.name: text for p, text in planned_files().items()}
    assert planned["series.csv"].count("\n") == 4  # header and three rows
    assert "### `series` (3 rows)" in planned["codebook.md"]


def test_each_topic_table_is_exactly_its_filter_of_observations():
    obs = sf.load("observations")
    for t in tableschema.topic_tables():
        expected = obs[obs["topic"].isin(t["topics"]) | obs["measure"].isin(t["measures"])]
        table = sf.load(t["name"])
        assert sorted(table["obs_id"]) == sorted(expected["obs_id"]), t["name"]
        assert len(table) > 0, f"{t['name']} is empty"


@pytest.mark.texts
def test_rescanning_reproduces_the_committed_ledger(texts):
    with open(ROOT / "datapackage" / "data" / "mentions.csv", encoding="utf-8", newline="") as f:
        committed = list(csv.DictReader(f))
    with open(ROOT / "datapackage" / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        observations = list(csv.DictReader(f))
    for doc_id, text in texts.items():
        mine = [r for r in committed if r["doc_id"] == doc_id]
        again = ledger_rows(doc_id, text, mine, [o for o in observations if o["doc_id"] == doc_id])
        assert [{k: str(v) for k, v in r.items()} for r in again] == mine, doc_id


def test_rescanning_keeps_human_classifications_and_ids():
    text = "Of the 1,814 organisations 17 had over 1,000 members."
    first = ledger_rows("d", text, [], [])
    first[1]["status"], first[1]["reason"] = "other", "checked by hand"
    again = ledger_rows("d", text, first, [])
    assert [r["mention_id"] for r in again] == [r["mention_id"] for r in first]
    assert (again[1]["status"], again[1]["reason"]) == ("other", "checked by hand")


def test_ledger_covers_every_document_completely():
    m = sf.load("mentions")
    assert set(m["doc_id"]) == set(sf.documents()["doc_id"])
    assert m["status"].notna().all()
