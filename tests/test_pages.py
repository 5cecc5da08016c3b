"""Pages from footnote blocks, checked against what the article itself prints."""

from __future__ import annotations

import pytest

import soviet_figures as sf
from soviet_figures.text.pages import derive_pages, note_blocks, notes_and_markers


@pytest.mark.texts
def test_fitzpatrick_blocks_fit_the_printed_page_range(texts):
    text = texts["fitzpatrick-1979"]
    ledger = [dict(r._asdict()) for r in sf.load("mentions", doc_id="fitzpatrick-1979").itertuples()]
    entries, markers, heads, feet = notes_and_markers(text, ledger)
    assert heads == [(text.index("Elite 383") + len("Elite "), 383)]
    blocks = note_blocks(entries, markers + [(p, -1) for p, _ in heads])
    # 25 note blocks for pp. 377-401, and page 402 (the conclusion's end) has no notes
    assert len(blocks) == 25
    assert text[blocks[-1].last :].lstrip().startswith("107.")


@pytest.mark.texts
def test_pages_of_known_passages(texts):
    obs = sf.load("observations", doc_id="fitzpatrick-1979")
    text = texts["fitzpatrick-1979"]
    head = text.index("Stalin and the Making of a New Elite 383")
    # the first figure after the running head '... 383' and before that page's notes is on p. 383
    after_head = obs[(obs.char_start > head)].sort_values("char_start").iloc[0]
    assert after_head["page"] == 383
    # the article's first figure is on its first page
    assert obs.sort_values("char_start").iloc[0]["page"] == 377


@pytest.mark.texts
def test_thesis_pages_only_between_printed_page_numbers_that_agree(texts):
    obs = sf.load("observations", doc_id="kokosalakis-2016")
    text = texts["kokosalakis-2016"]
    start = text.index("\n64 \n") + 1  # printed page numbers stand alone after their notes
    end = text.index("\n94 \n") + 1
    inside = obs[(obs.char_start > start) & (obs.char_start < end)]
    outside = obs[(obs.char_start < start) | (obs.char_start > end)]
    assert outside["page"].isna().all()
    assert inside["page"].notna().mean() > 0.8
    assert inside["page"].dropna().between(65, 94).all()
    # the first figure after the foot of page 64 is on page 65
    assert inside.sort_values("char_start").iloc[0]["page"] == 65


@pytest.mark.texts
def test_documents_without_the_method_get_no_pages(texts):
    assert derive_pages(texts["nktp-second-plenum"], {"page_method": "Not established"}, [], []) == {}
    assert sf.load("observations", doc_id="nktp-second-plenum")["page"].isna().all()
