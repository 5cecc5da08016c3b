"""Find every numeric expression in a source text (the completeness ledger's raw material).

A *mention* is one numeric expression as printed, with the words that belong to the number:

* ``digits`` — digits with their grouping and decimals, the scale word and the sign or unit
  word that follow them (``1,400,000``, ``41,2%``, ``996 тыс.``, ``9 772,4 тыс.``,
  ``1,5 млн``, ``20 percent``, ``25.06.1936``);
* ``words`` — a spelled-out number in English or Russian, in any inflection, a compound as
  one expression (``twenty-five``, ``one hundred and twenty``, ``двухсот пятидесяти``,
  ``тысячами``, ``полутора``), fractions and multiples (``two-thirds``, ``треть``,
  ``половина``, ``вдвое``, ``trebled``, ``twice``), vague quantities (``a few thousand``,
  ``сотни``, ``несколько тысяч``) and Russian compound adjectives that begin with a number
  (``двухлетнюю``, ``пятилетка``).

A range is two consecutive expressions (``15–20%`` is ``15`` and ``20%``; ``3-4 тыс.`` is
``3`` and ``4 тыс.``): an observation of a range spans both.

>>> [m.text for m in scan("In 1936, 996 тыс. hours and about twenty-five thousand men; half left, 41,2%.")]
['1936', '996 тыс.', 'twenty-five thousand', 'half', '41,2%']

The scanner never classifies; :mod:`soviet_figures.text.mention_rules` does that.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Mention", "scan", "line_starts", "line_of", "NUMBER_WORD"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One numeric expression: ``text[start:end] == self.text``.

    Parameters
    ----------
    start, end : its span in the text
    text : the expression as printed
    kind : ``"digits"`` or ``"words"``

    Examples
    --------
    >>> scan("In 1937 the plant had 3,454 members.")[1]
    Mention(start=22, end=27, text='3,454', kind='digits')
    """

    start: int
    end: int
    text: str
    kind: str  # "digits" | "words"


_SPACE = "[ \u00a0\u202f\u2009]"
_DIGITS = (
    rf"(?<![\d.,])\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?(?!\d)"  # 9 772,4 / 25 000
    # 1,200.15 (a grouped number, then up to three digits): 1,200 and its note marker 15
    r"|(?<![\d.,])\d{1,3}(?:,\d{3})+(?=\.\d{1,3}(?!\d))"
    r"|\d+(?:[.,]\d+)*"  # 1,400,000 / 41,2 / 13.55 / 25.06.1936
)
# scale words that follow digits ("996 тыс.", "1.5 million") and belong to the number
_SCALE = (  # lower case: "26\nThousands of workers" is a note marker and a new sentence
    r"тыс\.|тыс\b|тысяч(?:а|и|у|ей|ею|ам|ами|ах)?\b|млн\.?|миллион(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b|млрд\.?|миллиард\w*"
    r"|thousands?\b|millions?\b|billions?\b"
)
# the sign or unit word of a percentage
_PERCENT = r"%|per\s?cent\b|percent\b|процент(?:а|ов|ам|ами|ах|ом|у|е)?\b"

# English number words (any case)
_EN_CARDINAL = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_EN_SCALE = r"hundreds?|thousands?|millions?|billions?|dozens?|tens"
_EN_FRACTION = r"half|halves|thirds?|quarters?"
_EN_FRACTION_AFTER_NUMBER = r"fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?"
_EN_MULTIPLE = r"double|triple|treble|doubled|tripled|trebled|quadrupled|twofold|threefold|fourfold|fivefold|tenfold|twice|thrice|couple|decades"
_EN_AGES = r"(?:twen|thir|for|fif|six|seven|eigh|nine)ties"
# Russian number words in every inflection
_RU_WORD = (
    r"од(?:ин|на|но|ни|ного|ной|ному|ним|ном|ну|ною|них|ними)"
    r"|дв(?:а|е|ух|ум|умя|ое|оих|оим|оими)|тр(?:и|[её]х|[её]м|емя|ое|оих|оим|оими)"
    r"|четыр(?:е|[её]х|[её]м|ьмя)|четвер(?:о|ых|ым|ыми)"
    r"|(?:пят|шест|девят|десят)(?:ь|и|ью|еро|ерых|ерым)|сем(?:ь|и|ью|еро|ерых)|восем(?:ь|ью)|восьм(?:и|ью|еро|ерых)"
    r"|(?:один|две|три|четыр|пят|шест|сем|восем|девят)надцат(?:ь|и|ью)"
    r"|(?:двадцат|тридцат)(?:ь|и|ью)|сорок(?:а)?"
    r"|(?:пять|шесть|семь|восемь)десят|(?:пят|шест|сем|восьм)идесяти|(?:пят|шест|сем|восем)ьюдесятью|девяност[оа]"
    r"|ст[оа]|двести|дв(?:ух|ум)с(?:от|там|тами|тах)|двумястами|трист[аи]|тр[её]хс(?:от|там|тах)|тремястами"
    r"|четырест[аи]|четыр[её]хс(?:от|там|тах)|четырьмястами"
    r"|(?:пять|шесть|семь|восемь|девять)сот|(?:пят|шест|сем|восьм|девят)ис(?:от|там|тах)|(?:пят|шест|сем|восем|девят)ьюстами"
    r"|тысяч(?:а|и|у|ей|ею|ам|ами|ах)?|миллион(?:а|у|ом|е|ы|ов|ам|ами|ах)?|миллиард\w*"
    r"|сот(?:ня|ни|ню|ней|нею|ен|ням|нями|нях)|десят(?:ок|ка|ку|ком|ки|ков|кам|ками|ках)"
    r"|полтор(?:а|ы)|полутора|половин(?:а|ы|е|у|ой|ою)|трет(?:ь|и|ью|ей)|четверт(?:ь|и|ью)"
    r"|вдвое|втрое|вчетверо|впятеро|вшестеро|всемеро|ввосьмеро|вдевятеро|вдесятеро"
)
# Russian adjectives and nouns that begin with a number: двухлетнюю, трёхдневный, пятилетка
_RU_COMPOUND = (
    r"(?:одно|двух|тр[её]х|четыр[её]х|пяти|шести|семи|восьми|девяти|десяти|двенадцати|пятнадцати|двадцати|тридцати"
    r"|сорока|пятидесяти|ста|полутора|полу)"
    r"(?:лет|летн|дневн|месячн|часов|недельн|минутн|кратн|сменн|годичн|этажн)[а-яё]*"
    r"|пятилетк[а-яё]*|(?:двух|тр[её]х)сотлет[а-яё]*"
)
NUMBER_WORD = re.compile(
    rf"\b(?:(?:{_EN_CARDINAL}|{_EN_SCALE}|{_EN_FRACTION}|{_EN_MULTIPLE}|{_EN_AGES})\b|(?:{_RU_COMPOUND}|{_RU_WORD})(?![а-яёА-ЯЁ]|-\s*\n\s*[а-яё]))",
    re.IGNORECASE,
)
# the first three letters of every number word: a word that starts otherwise is skipped without
# trying the long pattern above (trying it at every position of a text costs half a second)
_FIRST_LETTERS = frozenset(
    "zer one two twe twi thr thi tho fou for fiv fif six sev eig nin ten ele hun mil bil doz dou hal qua tri tre cou dec "
    "оди одн дву два две дво три тре трё тро чет пят шес сем вос дев дес сор сот сто ста тыс мил пол "
    "вдв вде втр вче впя вше все вво".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_AFTER_NUMBER = re.compile(rf"(?:{_EN_FRACTION_AFTER_NUMBER})\b", re.IGNORECASE)
# what may join two number words into one expression: hyphens and white space (a line break
# too), and the connectors "and", "a"/"an" ("one and a half", "half a million") and "of"
# before a scale word ("tens of thousands")
_GAP = r"[ \t\u00a0\n\-\u2010\u2011]"
_JOIN = re.compile(rf"{_GAP}{{1,8}}((?:(?:and|a|an|of){_GAP}{{1,8}})*)", re.IGNORECASE)
_SCALE_WORD = re.compile(r"(?:hundreds?|thousands?|millions?|billions?|dozens?|тысяч\w*|миллион\w*)\b", re.IGNORECASE)
_VAGUE_LEAD = re.compile(r"(?:a[ \u00a0]+few|several|a[ \u00a0]+couple[ \u00a0]+of|несколько|нескольких|a)[ \u00a0]+\n?$", re.IGNORECASE)
_DIGIT_EXPR = re.compile(rf"(?:{_DIGITS})(?:[ \u00a0\u202f\u2009\n]{{0,6}}(?:{_SCALE}))?(?:{_SPACE}?(?:{_PERCENT}))?")
_WORD_PERCENT = re.compile(rf"{_SPACE}+(?:{_PERCENT})", re.IGNORECASE)


def _digit_mentions(text: str) -> list[Mention]:
    return [Mention(m.start(), m.end(), m.group(), "digits") for m in _DIGIT_EXPR.finditer(text)]


def _word_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Runs of number words joined by hyphens, spaces, "and", "a", "of": one mention each."""
    starts = [s for s, _ in taken]
    out: list[Mention] = []
    pos = 0
    for w in _WORD.finditer(text):
        if w.start() < pos or w.group()[:3].lower() not in _FIRST_LETTERS:
            continue
        m = NUMBER_WORD.match(text, w.start())
        if m is None or _inside(starts, taken, m.start()):
            continue
        end = m.end()
        while True:  # extend over the words that continue the number
            j = _JOIN.match(text, end)
            if j is None:
                break
            nxt = NUMBER_WORD.match(text, j.end()) or _AFTER_NUMBER.match(text, j.end())
            if nxt is None or ("of" in j.group(1).lower().split() and not _SCALE_WORD.match(text, j.end())):
                break
            end = nxt.end()
        start = m.start()
        lead = _VAGUE_LEAD.search(text, max(0, start - 24), start)
        if lead and (lead.group().strip().lower() != "a" or _leads_fraction(text[start:end])):
            start = lead.start()
        percent = _WORD_PERCENT.match(text, end)
        if percent:
            end = percent.end()
        out.append(Mention(start, end, text[start:end], "words"))
        pos = end
    return out


def _leads_fraction(words: str) -> bool:
    """Whether an article before ``words`` belongs to the number: "a third", "a couple", "a few"."""
    first = re.split(r"[\s\-]+", words.strip().lower())[0]
    return first in {"third", "quarter", "half", "couple", "dozen", "hundred", "thousand", "million"}


def _inside(starts: list[int], spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def scan(text: str) -> list[Mention]:
    """Every numeric expression in ``text``, in text order.

    Examples
    --------
    >>> [(m.text, m.kind) for m in scan("250 — 300 часов, 41,2%, две трети, двухлетнюю")]
    [('250', 'digits'), ('300', 'digits'), ('41,2%', 'digits'), ('две трети', 'words'), ('двухлетнюю', 'words')]
    >>> [m.text for m in scan("extended by twenty-five or thirty-five; one and a half million")]
    ['twenty-five', 'thirty-five', 'one and a half million']
    """
    digits = _digit_mentions(text)
    words = _word_mentions(text, [(m.start, m.end) for m in digits])
    return sorted(digits + words, key=lambda m: (m.start, m.end))


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (line 1 begins at 0).

    >>> line_starts("a\\nb")
    [0, 2]
    """
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """1-based line number of ``offset`` given :func:`line_starts`.

    >>> line_of(line_starts("a\\nb\\nc"), 2)
    2
    """
    return bisect.bisect_right(starts, offset)
