"""Establish the printed page of a figure from the footnote blocks that end each page.

The texts are plain extractions without page markers, but their footnotes sit at the foot of
each page. So the text reads: body of page 1 (with note markers), note block 1, body of
page 2, note block 2, … A new block starts at a note entry when some note *marker* lies
between it and the previous entry (body text came between them).

A position inside a block, or after a marker that follows a block, has a certain page. A
position between the end of a block's last entry and the next page's first marker is
ambiguous (the rest of a note, or the top of the next page): it gets a page only when the
figure sits in that last note (its ``footnote`` is that note's number: the block's page), or
when its own note marker follows it before the next block (a body figure: the next page);
otherwise none.

The result is trusted only if it agrees with the anchors the text gives (a running head
"… 383", the publication's page range); :func:`pages_for` refuses otherwise.

>>> text = "Body a.1 more\\n1. Note one.\\nBody b.2 text\\n2. Note two.\\n"
>>> entries, markers = [(14, 1), (40, 2)], [(6, 1), (33, 2)]
>>> blocks = note_blocks(entries, markers)
>>> [page_of(p, blocks, markers, None, 10) for p in (0, 20, 35)]  # body, note 1 or body?, body
[10, None, 11]
>>> page_of(45, blocks, markers, 2, 10)  # a figure in note 2
11
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import PageError

__all__ = ["Block", "note_blocks", "page_of", "pages_for"]


@dataclass(frozen=True)
class Block:
    """A page-foot block of note entries (positions in the text).

    Parameters
    ----------
    first : position of the first note entry of the block
    last : position of the last note entry
    last_note : number of the last note

    Examples
    --------
    >>> Block(14, 30, 2).last_note
    2
    """

    first: int  # position of the first note entry of the block
    last: int  # position of the last note entry
    last_note: int  # number of the last note


def note_blocks(entries: Sequence[tuple[int, int]], markers: Sequence[tuple[int, int]]) -> list[Block]:
    """Group note entries (position, number) into page-foot blocks.

    Parameters
    ----------
    entries : (position, number) of each note entry
    markers : (position, number) of each note marker in the body

    Returns
    -------
    list of Block : one per page foot, in text order.

    Examples
    --------
    >>> note_blocks([(14, 1), (40, 2)], [(6, 1), (33, 2)])
    [Block(first=14, last=14, last_note=1), Block(first=40, last=40, last_note=2)]
    """
    entries = sorted(entries)
    marker_pos = sorted(p for p, _ in markers)
    blocks: list[Block] = []
    for pos, n in entries:
        if blocks:
            prev = blocks[-1]
            between = bisect.bisect_right(marker_pos, prev.last) < bisect.bisect_left(marker_pos, pos)
            if not between:
                blocks[-1] = Block(prev.first, pos, n)
                continue
        blocks.append(Block(pos, pos, n))
    return blocks


def page_of(
    pos: int,
    blocks: Sequence[Block],
    markers: Sequence[tuple[int, int]],
    footnote: int | None,
    first_page: int,
) -> int | None:
    """Page of a position, or None where the text does not settle it.

    Parameters
    ----------
    pos : the position in the text
    blocks : the note blocks (:func:`note_blocks`)
    markers : (position, number) of each note marker
    footnote : the note the figure sits in, if any
    first_page : the page of the first block

    Returns
    -------
    int or None : the page, or None where the position is ambiguous.

    Examples
    --------
    >>> markers = [(6, 1), (33, 2)]
    >>> blocks = note_blocks([(14, 1), (40, 2)], markers)
    >>> page_of(0, blocks, markers, None, 10), page_of(35, blocks, markers, None, 10)
    (10, 11)
    """
    marker_pos = sorted(p for p, _ in markers)
    firsts = [b.first for b in blocks]
    i = bisect.bisect_right(firsts, pos) - 1  # last block starting at or before pos
    if i < 0:
        return first_page
    b = blocks[i]
    if pos <= b.last:
        return first_page + i
    if bisect.bisect_right(marker_pos, pos) > bisect.bisect_right(marker_pos, b.last):
        return first_page + i + 1  # a marker of the next page came before pos
    if footnote is not None and footnote == b.last_note:
        return first_page + i  # inside the block's last note
    if footnote is not None:
        # a body figure whose own note marker follows it before the next block
        next_block = blocks[i + 1].first if i + 1 < len(blocks) else None
        for p, n in markers:
            if n == footnote and p > pos and (next_block is None or p < next_block):
                return first_page + i + 1
    return None


def pages_for(
    positions: Sequence[tuple[int, int | None]],
    entries: Sequence[tuple[int, int]],
    markers: Sequence[tuple[int, int]],
    heads: Sequence[tuple[int, int]],
    feet: Sequence[tuple[int, int]] = (),
    first_page: int | None = None,
    last_page: int | None = None,
) -> list[int | None]:
    """Pages for (position, footnote) pairs.

    ``heads`` are (position, page) of page numbers printed at the top of a page (a running
    head), ``feet`` of page numbers printed alone at the foot of a page, after its notes. Both
    also mark where a page body starts, like a note marker.

    When every anchor (and ``first_page``) agrees on the page of the first note block, every
    position is counted from there; with a known ``first_page`` they must agree and the blocks
    must fit ``last_page``, otherwise :class:`PageError`. Without a known range, disagreeing
    anchors (pages without notes, notes lost in extraction) leave pages only between two
    consecutive anchors that agree with each other; elsewhere the page stays None.

    Parameters
    ----------
    positions : (position, footnote) of each figure
    entries : (position, number) of each note entry
    markers : (position, number) of each note marker
    heads : (position, page) of each running head
    feet : (position, page) of each page number alone at a page foot
    first_page, last_page : the publication's page range, where known

    Returns
    -------
    list of int or None : the page of each position.

    Raises
    ------
    PageError : the anchors disagree with ``first_page``, or the blocks do not fit ``last_page``.

    Examples
    --------
    >>> entries, markers = [(14, 1), (40, 2)], [(6, 1), (33, 2)]
    >>> pages_for([(0, None), (35, None), (45, 2)], entries, markers, [], first_page=10)
    [10, 11, 11]
    >>> pages_for([(0, None)], entries, markers, [], first_page=10, last_page=20)
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PageError: 2 note blocks do not fit pages 10-20
    """
    all_markers = sorted(list(markers) + [(p, -1) for p, _ in heads] + [(p, -1) for p, _ in feet])
    blocks = note_blocks(entries, all_markers)
    firsts = [b.first for b in blocks]
    anchors = []  # (position, page, page the count from block 0 gives it)
    for pos, page in heads:
        counted = page_of(pos, blocks, all_markers, None, 0)
        if counted is not None:
            anchors.append((pos, page, counted))
    for pos, page in feet:
        anchors.append((pos, page, bisect.bisect_right(firsts, pos) - 1))
    anchors.sort()
    implied = {page - counted for _, page, counted in anchors}
    if first_page is not None:
        implied.add(first_page)
    if len(implied) == 1:
        first = implied.pop()
        if last_page is not None and last_page not in (first + len(blocks) - 1, first + len(blocks)):
            raise PageError(f"{len(blocks)} note blocks do not fit pages {first}-{last_page}")
        return [page_of(p, blocks, all_markers, fn, first) for p, fn in positions]
    if first_page is not None:
        raise PageError(f"page anchors disagree with the publication's first page {first_page}: {sorted(implied)}")
    spans = [
        (a[0], b[0], a[1] - a[2])
        for a, b in zip(anchors, anchors[1:])
        if a[1] - a[2] == b[1] - b[2]
    ]
    out: list[int | None] = []
    for p, fn in positions:
        span = next((s for s in spans if s[0] < p < s[1]), None)
        out.append(None if span is None else page_of(p, blocks, all_markers, fn, span[2]))
    return out


def notes_and_markers(text: str, ledger: Sequence[dict]) -> tuple[list[tuple[int, int]], ...]:
    """Note entries, note markers, running-head and foot page numbers, from the classified ledger."""
    entries: list[tuple[int, int]] = []
    markers: list[tuple[int, int]] = []
    heads: list[tuple[int, int]] = []
    feet: list[tuple[int, int]] = []
    for r in ledger:
        t = str(r["text"])
        if not t.isdigit():
            continue
        pos = int(r["char_start"])
        line_start = text.rfind("\n", 0, pos) + 1
        if r["status"] == "footnote_marker":
            (entries if text[line_start:pos].strip() == "" else markers).append((pos, int(t)))
        elif r["status"] == "page_number":
            line_end = text.find("\n", pos)
            alone = text[line_start:pos].strip() == "" and text[pos + len(t) : line_end].strip() == ""
            (feet if alone else heads).append((pos, int(t)))
    return entries, markers, heads, feet


METHOD_PREFIX = "footnote-blocks"


def page_range(pages: str | None) -> tuple[int | None, int | None]:
    """'377–402' → (377, 402); empty → (None, None).

    >>> page_range("377–402"), page_range("")
    ((377, 402), (None, None))
    """
    m = re.fullmatch(r"\s*(\d+)\s*[-–—]\s*(\d+)\s*", pages or "")
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def derive_pages(text: str, document: dict, ledger: Sequence[dict], observations: Sequence[dict]) -> dict[str, int | None]:
    """obs_id → page for a document whose ``page_method`` starts with 'footnote-blocks'."""
    if not str(document.get("page_method") or "").startswith(METHOD_PREFIX):
        return {}
    entries, markers, heads, feet = notes_and_markers(text, ledger)
    first, last = page_range(document.get("pages"))

    def note(x: object) -> int | None:
        return int(x) if isinstance(x, str) and x.isdigit() else None

    positions = [(int(o["char_start"]), note(o.get("footnote"))) for o in observations]
    pages = pages_for(positions, entries, markers, heads, feet, first, last)
    return {str(o["obs_id"]): p for o, p in zip(observations, pages)}
