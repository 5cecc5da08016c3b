"""Deterministic pre-classification of numeric mentions that are not figures.

Each rule looks at a mention in its context and either returns ``(status, reason)`` or
``None``. Rules are tried in order; the first that answers wins. A mention no rule answers
stays unclassified until a person (or an observation that covers it) classifies it.

Rules are deliberately conservative: a wrong "year" hides a figure, so a rule fires only
on shapes that are unambiguous in these texts (tested on real lines in ``tests/``).

>>> text = "В 1936 г. отработали 250 часов [Совет…, 1936. С. 425–438]."
>>> from soviet_figures.text.scanner import scan
>>> [(m.text, classify(text, m)) for m in scan(text)]  # doctest: +NORMALIZE_WHITESPACE
[('1936', ('year', 'rule:year')), ('250', None), ('1936', ('year', 'rule:year')),
 ('425', ('citation', 'rule:page-reference')), ('438', ('citation', 'rule:page-reference'))]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .scanner import Mention

__all__ = ["classify", "RULES", "running_heads"]

Result = tuple[str, str] | None

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]"
    r"|янв|февр?|апр|авг|сент?|окт|нояб?|дек)\b\.?"
)
_DAY_BEFORE_MONTH = re.compile(r"[ \u00a0]*(?:[-–—][ \u00a0]*\d{1,2}[ \u00a0]*)?" + _MONTHS, re.IGNORECASE)
_MONTH_BEFORE_DAY = re.compile(_MONTHS + r"[ \u00a0]*(?:\d{1,2}[ \u00a0]*[-–—][ \u00a0]*)?$", re.IGNORECASE)
_REF_ABBREV = re.compile(
    r"(?:(?<![^\W\d_])(?:f|op|d|l|ll|p|pp|vol|vols|no|nos|t|ch|c|s|ff|fol|Ф|Оп|оп|Д|Л|Лл|лл|С|с|Т|Вып|вып|Ч|ч|Р|P|Vol|No)\.+"
    r"|№)[ \u00a0]*$"
)
_REF_LIST = re.compile(r"(?:[\d]+[a-zа-я]?[ \u00a0]*(?:[-–—,;]|и|and)[ \u00a0\n]*)+$")


def _before(text: str, m: Mention, n: int = 80) -> str:
    return text[max(0, m.start - n) : m.start]


def _after(text: str, m: Mention, n: int = 80) -> str:
    return text[m.end : m.end + n]


def _int(m: Mention) -> int | None:
    return int(m.text) if m.kind == "digits" and m.text.isdigit() else None


def page_number(text: str, m: Mention, heads: frozenset[str] = frozenset()) -> Result:
    """A number alone on its line, or at the end of a running head, is a page number."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start : m.start].strip(), text[m.end : line_end].strip()
    if m.kind != "digits" or after:
        return None
    if before and before in heads:
        return ("page_number", "rule:running-head")
    return None


def year(text: str, m: Mention) -> Result:
    """Four-digit 1800–2029 numbers, decades (1930s, 1930-х) and year continuations (1931-32)."""
    value = _int(m)
    if value is None:
        return None
    after = _after(text, m, 12)
    if re.match(r"[ \u00a0]*(?:%|per ?cent|процент|тыс|тысяч|млн|чел|человек)", after, re.IGNORECASE):
        return None
    if len(m.text) == 4 and 1800 <= value <= 2029:
        return ("year", "rule:year")
    before = _before(text, m, 6)
    if len(m.text) == 2 and re.search(r"(?:1[89]\d\d)[-–/]$", before):
        return ("year", "rule:year-continuation")
    return None


def date(text: str, m: Mention) -> Result:
    """Day of month next to a month name: '25 June 1936', 'June 23, 1931', '25 — 29 июня'."""
    value = _int(m)
    if value is None or not 1 <= value <= 31 or len(m.text) > 2:
        return None
    if _DAY_BEFORE_MONTH.match(text, m.end):
        return ("date", "rule:day-of-month")
    if _MONTH_BEFORE_DAY.search(_before(text, m, 30)):
        return ("date", "rule:day-of-month")
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", m.text):
        return ("date", "rule:dotted-date")
    return None


def dotted_date(text: str, m: Mention) -> Result:
    """25.06.1936 printed as one token."""
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.(?:1[89]|20)\d\d", m.text):
        return ("date", "rule:dotted-date")
    return None


def reference(text: str, m: Mention) -> Result:
    """Archival and bibliographic references: f./op./d./l., p./pp., С./Л./Ф., vol., no., №."""
    if m.kind != "digits":
        return None
    before = _before(text, m, 120)
    # walk back over a list of numbers ("ll. 12, 15-17"; "Л. 7, 17 - 18")
    lst = _REF_LIST.search(before)
    head = before[: lst.start()] if lst else before
    if _REF_ABBREV.search(head):
        return ("citation", "rule:page-reference")
    if re.search(r"\d+:$", head) or re.match(r":\d", _after(text, m, 2)):
        return ("citation", "rule:volume-page")  # Sochineniia, 13:66-67
    return None


def footnote_marker(text: str, m: Mention) -> Result:
    """Note numbers: glued to a word or punctuation ('workers.23', 'орденами13'),
    or opening a footnote line ('14 Within the context', '27. Stalin, ...')."""
    value = _int(m)
    if value is None or value > 999:
        return None
    prev = text[m.start - 1] if m.start else "\n"
    prev2 = text[m.start - 2] if m.start > 1 else "\n"
    nxt = text[m.end] if m.end < len(text) else "\n"
    glued_after = prev.isalpha() or prev in ".,;:)»”’\"" or (prev == "\u00a0" and prev2.isalpha())
    if glued_after and not prev.isdigit() and (nxt.isspace() or nxt in ".,;:)"):
        if prev == "." and prev2.isupper():  # "Л.12" is a leaf, not a note
            return None
        if prev.isalpha() and re.search(r"(?<![^\W\d_])(?:No|no|N|Nos)$", _before(text, m, 4)):
            return None
        return ("footnote_marker", "rule:attached-note-number")
    line_start = text.rfind("\n", 0, m.start) + 1
    if text[line_start : m.start].strip() == "" and re.match(
        r"\.?[ \u00a0]+[A-ZА-ЯЁ«\"“‘]", text[m.end : m.end + 4]
    ):
        return ("footnote_marker", "rule:note-line-number")
    return None


def ordinal_word(text: str, m: Mention) -> Result:
    """English 'third'/'quarter'/'half' used as an ordinal, a time reference or an idiom."""
    if m.kind != "words":
        return None
    w = m.text.lower()
    before = _before(text, m, 30).lower()
    after = _after(text, m, 40).lower()
    if w in {"half", "quarter", "third"} and re.search(r"(?:first|second|third|last|latter|former) +$", before):
        if re.match(r"[ \n]+of[ \n]+(?:the[ \n]+)?(?:\d{4}|year|decade|the[ \n]+\d{4})", after):
            return ("date", "rule:part-of-year")
    if re.match(r"половин\w*$", w) and re.search(r"(?:перв|втор)\w*[ \n]+$", before):
        return ("date", "rule:part-of-year")
    if w == "third" and re.search(r"\bthe +$", before) and not re.match(r" +of\b", after):
        return ("label", "rule:ordinal")
    if w == "third" and re.match(r",", after) and re.search(r"(?:^|[.!?] *|\n *)$", _before(text, m, 3)):
        return ("label", "rule:enumeration")
    if w == "half" and re.match(r"-heart", after):
        return ("other", "rule:idiom (half-hearted)")
    return None


_DETERMINER = r"(?:the|these|those|this|that|his|her|its|their|our|my|your|them|us|which|whom|many|several|few|its|all)"


def one_of(text: str, m: Mention) -> Result:
    """'one of the …', 'один из' (one member of a group) and 'one' as a pronoun or in an
    idiom ('no one', 'one another', 'one could', 'on the one hand', 'one day') are not counts.

    >>> text = "He was one of the delegates; on the one hand, one could say so."
    >>> from soviet_figures.text.scanner import scan
    >>> [one_of(text, m) for m in scan(text)]
    [('other', 'rule:one-of (one member of a group, not a count)'), ('other', 'rule:idiom (on the one hand)'), ('other', 'rule:pronoun one')]
    """
    w = m.text.lower()
    if m.kind != "words" or w not in {"one", "один", "одна", "одно", "одного", "одной", "одним", "одном", "одному", "одну"}:
        return None
    before = " ".join(_before(text, m, 30).lower().split())
    after = " ".join(_after(text, m, 30).lower().split())
    if re.match(rf"of {_DETERMINER}\b", after) or re.match(r"(?:из|изо)\b", after):
        return ("other", "rule:one-of (one member of a group, not a count)")
    if re.search(r"\bon the$|\bthe$", before) and re.match(r"hand\b", after):
        return ("other", "rule:idiom (on the one hand)")
    if re.search(r"\bno$", before) or re.match(r"(?:another|could|should|must|might|may|can|would|cannot|suspects|wonders|finds|sees|notices)\b", after):
        return ("other", "rule:pronoun one")
    if re.match(r"day\b", after) and not re.search(r"\bin$|\bfor$|\bwithin$", before):
        return ("other", "rule:idiom (one day: once)")
    return None


def five_year_plan(text: str, m: Mention) -> Result:
    """'Five-Year Plan' and 'пятилетка' name a plan, not a count of years.

    >>> text = "the First Five-Year Plan and the second пятилетки"
    >>> from soviet_figures.text.scanner import scan
    >>> [five_year_plan(text, m) for m in scan(text)]
    [('label', 'rule:five-year-plan (the name of a plan)'), ('label', 'rule:five-year-plan (the name of a plan)')]
    """
    if m.kind != "words":
        return None
    w = m.text.lower()
    if re.match(r"пятилетк|пятилети", w):
        return ("label", "rule:five-year-plan (the name of a plan)")
    if w == "five" and re.match(r"[ \-\u2010\u2011\n]*year[ \n]+plan", _after(text, m, 20), re.IGNORECASE):
        return ("label", "rule:five-year-plan (the name of a plan)")
    return None


RULES: list[Callable[[str, Mention], Result]] = [
    dotted_date,
    reference,
    year,
    date,
    footnote_marker,
    ordinal_word,
    one_of,
    five_year_plan,
]


def running_heads(text: str) -> frozenset[str]:
    """Lines of the shape '<title words> <number>' repeated at least three times: page heads.

    >>> sorted(running_heads("Elite 383\\nx\\nElite 385\\nElite 387\\n"))
    ['Elite']
    """
    counts = Counter(
        m.group(1).strip()
        for m in re.finditer(r"^([^\d\n]{3,80}?)[ \u00a0]+\d{1,4}[ \u00a0]*$", text, re.MULTILINE)
    )
    return frozenset(h for h, n in counts.items() if n >= 3)


def classify(text: str, m: Mention, heads: Iterable[str] | None = None) -> Result:
    """Return ``(status, reason)`` for a mention a rule recognises, else ``None``.

    Parameters
    ----------
    text : the whole text the mention is in
    m : the mention (from :func:`~soviet_figures.text.scanner.scan`)
    heads : the text's running heads (default: found by :func:`running_heads`)

    Returns
    -------
    tuple or None : ``(status, reason)`` of the first rule that answers, else None.

    Examples
    --------
    >>> from soviet_figures.text.scanner import scan
    >>> text = "In 1937 the plant had 3,454 members."
    >>> [classify(text, m) for m in scan(text)]
    [('year', 'rule:year'), None]
    """
    result = page_number(text, m, frozenset(heads) if heads is not None else running_heads(text))
    if result:
        return result
    for rule in RULES:
        result = rule(text, m)
        if result:
            return result
    return None
