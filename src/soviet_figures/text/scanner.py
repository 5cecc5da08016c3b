"""Find every numeric mention in a source text (the completeness ledger's raw material).

A *mention* is a span of the text that looks like a number:

* ``digits`` — every run of digits, with the separators the texts print inside numbers
  (``1,400,000``, ``41,2``, ``13.55``, ``9 772,4``, ``25.06.1936``);
* ``words`` — a spelled-out number that contains a scale, fraction or multiple word
  (``twenty thousand``, ``two-thirds``, ``half``, ``тысячи``, ``треть``, ``вдвое``).

A scale word right after a digit run (``996 тыс.``, ``1.5 million``) belongs to that number
and is not a mention of its own.

>>> [m.text for m in scan("In 1936, 996 тыс. hours and about twenty thousand men; half left.")]
['1936', '996', 'twenty thousand', 'half']

The scanner never classifies; :mod:`soviet_figures.text.mention_rules` does that.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Mention", "scan", "line_starts", "line_of"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One numeric mention: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str
    kind: str  # "digits" | "words"


_SPACE_GROUP = "[ \u00a0\u202f\u2009]"
DIGITS = re.compile(
    rf"(?<![\d.,])\d{{1,3}}(?:{_SPACE_GROUP}\d{{3}})+(?:,\d+)?(?!\d)"  # 9 772,4 / 25 000
    r"|\d+(?:[.,]\d+)*"  # 1,400,000 / 41,2 / 13.55 / 25.06.1936
)
_WORD = re.compile(r"[^\W\d_]+")

_EN_NUMBER = set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety several few".split()
)
_RU_NUMBER = set(
    "один одна одно одного одной одну два две двух двум тремя три трёх трех четыре четырёх "
    "четырех пять пяти шесть шести семь семи восемь восьми девять девяти десять десяти "
    "двадцать двадцати тридцать тридцати сорок сорока пятьдесят пятидесяти шестьдесят "
    "семьдесят восемьдесят девяносто сто ста двести двухсот триста трёхсот пятьсот "
    "несколько нескольких".split()
)
_EN_KEY = set(
    "hundred hundreds thousand thousands million millions billion billions dozen dozens "
    "half halves third thirds quarter quarters fifths sixths sevenths eighths ninths tenths "
    "doubled tripled quadrupled twofold threefold fourfold fivefold tenfold".split()
)
# fifth .. tenth are fractions only after a number word ("one-tenth"), else ordinals.
_EN_KEY_AFTER_NUMBER = set("fifth sixth seventh eighth ninth tenth".split())
_RU_KEY = re.compile(
    r"^(?:тысяч[аиуеь]?|тысяч(?:ами|ам|ах|ей|ею)|тыс|миллион\w*|млн|миллиард\w*|млрд"
    r"|сотн[яиюе]|сотен|сотн(?:ями|ям|ях)|десятк[иаов]+|десятками"
    r"|половин\w*|треть|трети|третью|третей|четверть|четверти|четвертью"
    r"|полтора|полторы|полутора|вдвое|втрое|вчетверо|впятеро|вшестеро|вдесятеро)$"
)
_CONNECTORS = {"and", "of", "a", "с"}
_SCALE_AFTER_DIGITS = re.compile(
    r"[ \u00a0]*(?:тыс\.?|тысяч\w*|млн\.?|миллион\w*|млрд\.?|thousand|million|billion)",
    re.IGNORECASE,
)


def _is_key(word: str, previous_is_number: bool) -> bool:
    w = word.lower()
    if w in _EN_KEY or _RU_KEY.match(w):
        return True
    return previous_is_number and w in _EN_KEY_AFTER_NUMBER


def _is_number_word(word: str) -> bool:
    w = word.lower()
    return w in _EN_NUMBER or w in _RU_NUMBER


def _word_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Group runs of number words that contain a key word into mentions."""
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    absorbed = {start for start, _ in taken}  # starts of scale words glued to digits
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        word, start, end = tokens[i]
        if not (_is_number_word(word) or _is_key(word, False) or word.lower() == "a"):
            i += 1
            continue
        # extend a run: tokens separated only by whitespace or hyphens
        run = [tokens[i]]
        j = i + 1
        while j < len(tokens):
            gap = text[run[-1][2] : tokens[j][1]]
            if gap.strip(" \t\n\u00a0-\u2010\u2011") != "":
                break
            w = tokens[j][0]
            prev_num = _is_number_word(run[-1][0])
            if _is_number_word(w) or _is_key(w, prev_num) or w.lower() in _CONNECTORS:
                run.append(tokens[j])
                j += 1
            else:
                break
        # trim connectors at the edges ("a" may lead: "a half", "a third")
        while run and run[-1][0].lower() in _CONNECTORS:
            run.pop()
        while run and run[0][0].lower() in _CONNECTORS - {"a"}:
            run.pop(0)
        if run and run[0][0].lower() == "a" and (len(run) == 1 or not _is_key(run[1][0], False)):
            run.pop(0)
        keys = [
            k
            for k, t in enumerate(run)
            if _is_key(t[0], k > 0 and _is_number_word(run[k - 1][0]))
        ]
        if keys and run[0][1] not in absorbed:
            s, e = run[0][1], run[-1][2]
            if not any(a <= s < b for a, b in taken):
                out.append(Mention(s, e, text[s:e], "words"))
        i = max(j, i + 1)
    return out


def scan(text: str) -> list[Mention]:
    """Return every numeric mention in ``text``, in text order.

    >>> [(m.text, m.kind) for m in scan("250 — 300 часов, 41,2%, две трети")]
    [('250', 'digits'), ('300', 'digits'), ('41,2', 'digits'), ('две трети', 'words')]
    """
    digits = [Mention(m.start(), m.end(), m.group(), "digits") for m in DIGITS.finditer(text)]
    taken: list[tuple[int, int]] = []
    for d in digits:
        glued = _SCALE_AFTER_DIGITS.match(text, d.end)
        if glued:
            taken.append((glued.start() + len(glued.group()) - len(glued.group().lstrip(" \u00a0")), glued.end()))
    words = _word_mentions(text, taken)
    return sorted(digits + words, key=lambda m: (m.start, m.end))


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (line 1 begins at 0)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """1-based line number of ``offset`` given :func:`line_starts`.

    >>> line_of(line_starts("a\\nb\\nc"), 2)
    2
    """
    return bisect.bisect_right(starts, offset)
