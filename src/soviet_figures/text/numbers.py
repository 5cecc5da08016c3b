"""Parse figures as the texts print them, in English and Russian, digits and words.

:func:`parse` turns a printed figure (``value_text``) into a :class:`Parsed` value:

>>> parse("9 772,4 тыс.", lang="ru").value
9772400.0
>>> parse("1,400,000").value
1400000.0
>>> p = parse("250 — 300"); (p.value, p.low, p.high, p.qualifier)
(None, 250.0, 300.0, 'range')
>>> parse("около 10 млн").value, parse("около 10 млн").qualifier
(10000000.0, 'approximate')
>>> parse("two thirds").value, parse("doubled").value, parse("вдвое").value
(0.667, 2.0, 2.0)

Conventions (the codebook repeats them):

* scale words multiply (тыс., тысяч, млн, thousand, million); "half a million" = 500000;
* fractions are shares rounded to three decimals (two thirds → 0.667, треть → 0.333);
* multiples are ratios (doubled, twofold, вдвое → 2; "в 2,5 раза" → 2.5);
* a range gives ``value=None`` and ``low``/``high``; a scale word on the upper end also
  applies to a bare lower end ("five-six thousand" → 5000–6000);
* "one in ten", "1 in 5" are shares (0.1, 0.2); a range printed high to low ("40-20 thousand")
  is stored low to high; "седьмой десяток" (the seventh ten) is 61–70; a time unit alone
  ("hour-long", "a week") is 1 of it; "a couple" is 2;
* decades of age are ranges: "thirties" 30–39, "early/mid/late thirties" 30–33 / 34–36 / 37–39;
* a vague plural of a scale word ("thousands", "тысячи", "tens of thousands",
  "several thousand") means at least two of that scale: ``value = low = 2 × scale``,
  qualifier ``at_least``;
* qualifier words in the printed text are reported in ``qualifier`` (about/около →
  approximate; over/более/свыше/"с лишним" → more_than; almost/nearly/почти/under/менее →
  less_than; at least/не менее → at_least; at most/up to/не более → at_most).

Russian decimal commas (``41,2``) and English thousands commas (``1,400``) are told apart by
``lang``; without it, a comma followed by exactly three digits is a thousands separator.

How it reads one: :func:`parse` normalises the text, strips qualifier and unit words
(``_prepare``), then tries the matchers in ``_MATCHERS`` in order — the n-th ten, a bare time
unit, a Russian adjective that begins with a number, decades of age, "one in ten", a whole number, a range, a single value — and the first
that answers wins, as the rules in :mod:`soviet_figures.text.mention_rules` do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..errors import ParseError
from ..qualifiers import Qualifier

__all__ = ["Parsed", "parse", "format_number"]


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed figure. For ranges ``value`` is None; for bounds ``low``/``high`` repeat it.

    Parameters
    ----------
    value : the figure (None for a range)
    low, high : a range's ends, or a bound repeated
    qualifier : the qualifier word's meaning (None: no qualifier word in the text)
    unit_hint : ``percent``, ``ratio``, ``share`` or None

    Examples
    --------
    >>> parse("about 3,454", "en")
    Parsed(value=3454.0, low=None, high=None, qualifier='approximate', unit_hint=None)
    >>> Parsed(None, 10.0, 12.0).value is None
    True
    """

    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None  # None means "no qualifier word in the text"
    unit_hint: str | None = None  # percent | ratio | share | None


_WS = re.compile(r"[\s\u00a0\u202f\u2009\u00ad]+")

_QUALIFIER_PREFIXES: list[tuple[str, str]] = [
    # longest first
    ("just under", "less_than"), ("just over", "more_than"), ("more than", "more_than"),
    ("less than", "less_than"), ("fewer than", "less_than"), ("at least", "at_least"),
    ("at most", "at_most"), ("no more than", "at_most"), ("no less than", "at_least"),
    ("not less than", "at_least"), ("not more than", "at_most"), ("up to", "at_most"),
    ("in excess of", "more_than"), ("upwards of", "more_than"), ("well over", "more_than"),
    ("не менее", "at_least"), ("не более", "at_most"), ("не меньше", "at_least"),
    ("не больше", "at_most"), ("более чем", "more_than"), ("менее чем", "less_than"),
    ("about", "approximate"), ("around", "approximate"), ("approximately", "approximate"),
    ("roughly", "approximate"), ("some", "approximate"), ("circa", "approximate"),
    ("c.", "approximate"), ("ca.", "approximate"), ("over", "more_than"), ("above", "more_than"),
    ("almost", "less_than"), ("nearly", "less_than"), ("under", "less_than"),
    ("около", "approximate"), ("примерно", "approximate"), ("приблизительно", "approximate"),
    ("порядка", "approximate"), ("почти", "less_than"), ("более", "more_than"),
    ("свыше", "more_than"), ("больше", "more_than"), ("менее", "less_than"),
    ("меньше", "less_than"), ("до", "at_most"),
]
_QUALIFIER_SUFFIXES: list[tuple[str, str]] = [
    ("с лишним", "more_than"), ("с небольшим", "more_than"), ("odd", "more_than"),
    ("or more", "at_least"), ("and more", "at_least"), ("и более", "at_least"),
    ("или более", "at_least"), ("plus", "more_than"),
]

_UNIT_WORDS: dict[str, str | None] = {
    "%": "percent", "percent": "percent", "per cent": "percent", "процент": "percent",
    "процента": "percent", "процентов": "percent", "percentage points": "percentage_points",
    "п.п.": "percentage_points", "раз": "ratio", "раза": "ratio", "times": "ratio",
    "fold": "ratio", "тонн": None, "тонны": None, "тонна": None, "т.": None, "т": None,
    "tonnes": None, "tons": None, "руб.": None, "руб": None, "рублей": None, "рубля": None,
    "roubles": None, "rubles": None, "часов": None, "часа": None, "час": None, "ч.": None,
    "hours": None, "hour": None, "дней": None, "дня": None, "days": None, "лет": None,
    "года": None, "год": None, "years": None, "year": None, "человек": None, "чел.": None,
    "persons": None, "people": None, "months": None, "месяцев": None, "месяца": None,
    "weeks": None, "week": None, "недель": None, "недели": None, "неделя": None, "неделю": None,
    "minutes": None, "minute": None, "минут": None, "минуты": None, "kilometres": None,
    "kilometers": None, "km": None, "км": None, "километров": None, "day": None, "month": None,
    "день": None, "месяц": None, "долларов": None,
}
# a time unit alone is one of it: "hour-long", "a week", "день"
_BARE_UNITS = {"hour", "day", "week", "month", "year", "час", "день", "неделю", "неделя", "месяц", "год"}

_SCALES: dict[str, int] = {
    "hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000,
    "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
    "dozen": 12, "dozens": 12, "decade": 10, "decades": 10,
    "сто": 100, "сотни": 100, "сотен": 100, "сотня": 100, "сотнями": 100,
    "тыс": 1000, "тыс.": 1000, "тысяча": 1000, "тысячи": 1000, "тысяч": 1000, "тысячу": 1000,
    "тысячами": 1000, "тысячам": 1000, "тысячах": 1000, "тысячей": 1000,
    "млн": 10**6, "млн.": 10**6, "миллион": 10**6, "миллиона": 10**6, "миллионов": 10**6,
    "миллионы": 10**6, "миллионами": 10**6,
    "млрд": 10**9, "млрд.": 10**9, "миллиард": 10**9, "миллиарда": 10**9, "миллиардов": 10**9,
}
_VAGUE_PLURALS = {
    "hundreds", "thousands", "millions", "billions", "dozens", "сотни", "сотен", "сотнями",
    "тысячи", "тысячами", "тысячам", "тысячах", "миллионы", "миллионами",
    "десятки", "десятков", "десятками", "tens", "decades",
}
_VAGUE_QUANTIFIERS = {"several", "a few", "few", "some", "несколько", "нескольких", "many"}

_EN_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_RU_UNITS = {
    "ноль": 0, "один": 1, "одним": 1, "одному": 1, "одном": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "одну": 1,
    "два": 2, "две": 2, "двух": 2, "двум": 2, "двумя": 2, "три": 3, "трёх": 3, "трех": 3,
    "тремя": 3, "трём": 3, "четыре": 4, "четырёх": 4, "четырех": 4, "пять": 5, "пяти": 5,
    "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9,
    "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11, "двенадцать": 12,
    "пятнадцать": 15, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30,
    "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "ста": 100, "двести": 200,
    "двухсот": 200, "триста": 300, "трёхсот": 300, "четыреста": 400, "пятьсот": 500,
    "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    # collective numerals: двое рабочих, четверо инструкторов
    "двое": 2, "двоих": 2, "трое": 3, "троих": 3, "четверо": 4, "четверых": 4, "пятеро": 5,
    "пятерых": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "девятеро": 9, "десятеро": 10,
}
_FRACTIONS: dict[str, Decimal] = {
    "half": Decimal(1) / 2, "halves": Decimal(1) / 2, "third": Decimal(1) / 3,
    "thirds": Decimal(1) / 3, "quarter": Decimal(1) / 4, "quarters": Decimal(1) / 4,
    "fifth": Decimal(1) / 5, "fifths": Decimal(1) / 5, "sixth": Decimal(1) / 6, "sixths": Decimal(1) / 6,
    "seventh": Decimal(1) / 7, "sevenths": Decimal(1) / 7, "eighth": Decimal(1) / 8, "eighths": Decimal(1) / 8,
    "ninth": Decimal(1) / 9, "ninths": Decimal(1) / 9, "tenth": Decimal(1) / 10,
    "tenths": Decimal(1) / 10,
    "половина": Decimal(1) / 2, "половины": Decimal(1) / 2, "половину": Decimal(1) / 2,
    "половиной": Decimal(1) / 2, "половине": Decimal(1) / 2, "треть": Decimal(1) / 3,
    "трети": Decimal(1) / 3, "третью": Decimal(1) / 3, "четверть": Decimal(1) / 4,
    "четверти": Decimal(1) / 4, "четвертью": Decimal(1) / 4,
}
_MULTIPLES = {
    "doubled": 2, "double": 2, "twofold": 2, "tripled": 3, "threefold": 3, "quadrupled": 4,
    "couple": 2, "fourfold": 4, "fivefold": 5, "tenfold": 10, "twice": 2, "thrice": 3, "trebled": 3,
    "treble": 3, "halved": 0.5,
    "вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вшестеро": 6, "вдесятеро": 10,
}
_ONE_AND_HALF = {"полтора", "полторы", "полутора"}

_DIGITS = re.compile(
    r"(?P<num>\d{1,3}(?:(?P<sep>[ ,])\d{3})(?:(?P=sep)\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
)
_RANGE_SEP = re.compile(r"\s*(?:[-–—‑]|\bto\b|\bor\b|\bили\b|\bдо\b)\s*")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _digits_to_decimal(num: str, lang: str | None) -> Decimal:
    s = num.replace(" ", "")
    if "," in s and "." in s:  # 1,400.5
        s = s.replace(",", "")
    elif "," in s:
        parts = s.split(",")
        thousands = all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3
        if lang == "ru" or not thousands or (lang is None and len(parts) == 2 and len(parts[0]) == 0):
            if len(parts) != 2:
                raise ParseError(f"cannot read {num!r}: more than one decimal comma")
            s = parts[0] + "." + parts[1]
        else:
            s = "".join(parts)
    elif s.count(".") > 1:
        raise ParseError(f"cannot read {num!r}: more than one decimal point")
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise ParseError(f"cannot read {num!r}") from exc


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s\-‑]+", text) if t]


def _strip_quantifier(tokens: list[str]) -> tuple[list[str], bool]:
    """Drop a leading vague quantifier → (the rest, whether there was one).

    >>> _strip_quantifier(["a", "few", "thousand"])
    (['thousand'], True)
    """
    two = " ".join(tokens[:2])
    if tokens[0] not in _VAGUE_QUANTIFIERS and two not in _VAGUE_QUANTIFIERS:
        return tokens, False
    rest = tokens[2:] if two in _VAGUE_QUANTIFIERS else tokens[1:]
    if not rest:
        raise ParseError("a quantifier without a number")
    return rest, True


def _vague_plural(tokens: list[str]) -> Decimal:
    """"tens/hundreds of thousands", "десятки тысяч": two of the scale the words make.

    >>> _vague_plural(["tens", "of", "thousands"])
    Decimal('20000')
    """
    scale = Decimal(_SCALES.get(tokens[0], 10))
    rest = tokens[1:]
    if "of" in rest:  # "tens and hundreds of thousands": the lowest plural, then the scale
        rest = rest[len(rest) - rest[::-1].index("of") :]
    for t in rest:
        if t not in _SCALES:
            raise ParseError(f"unknown word {t!r} after {tokens[0]!r}")
        scale *= _SCALES[t]
    return 2 * scale


def _add_unit(t: str, nxt: str | None, current: Decimal, seen_number: bool) -> tuple[Decimal, int]:
    """Add a unit word ("three", "двух") to ``current`` → (current, tokens used).

    >>> _add_unit("three", None, Decimal(20), True), _add_unit("a", "half", Decimal(2), True)
    ((Decimal('23'), 1), (Decimal('2.5'), 2))
    """
    n = _EN_UNITS[t] if t in _EN_UNITS else _RU_UNITS[t]
    # "a half", "one and a half": a fraction after a unit word adds to what came before
    if nxt in _FRACTIONS and t in {"a", "an", "one"} and seen_number:
        return current + _FRACTIONS[nxt], 2
    if current and not ((n < 10 and current % 10 == 0) or (n < 100 and current % 100 == 0)):
        raise ParseError(f"{t!r} cannot follow {current}: a range without a separator?")
    return current + n, 1


def _add_word(t: str, nxt: str | None, total: Decimal, current: Decimal) -> tuple[Decimal, Decimal, bool]:
    """Fold a word that is not a unit into (total, current) → (total, current, was a number).

    >>> _add_word("thousand", None, Decimal(0), Decimal(5))
    (Decimal('5000'), Decimal('0'), True)
    """
    if t in _ONE_AND_HALF:
        return total, current + Decimal("1.5"), True
    if t in _FRACTIONS:
        return total, (current or Decimal(1)) * _FRACTIONS[t], True
    if t == "сто":
        return total, current + 100, True
    if t in _SCALES:
        scale = _SCALES[t]
        if scale == 100:
            return total, (current or Decimal(1)) * 100, True
        return total + (current or Decimal(1)) * scale, Decimal(0), True
    if t == "of" and nxt in _SCALES:
        return total, current, False
    raise ParseError(f"unknown word {t!r}")


def _sum_words(tokens: list[str]) -> tuple[Decimal, bool]:
    """Add up number words left to right → (value, vague).

    >>> _sum_words(["two", "hundred", "thirty", "three", "thousand"])
    (Decimal('233000'), False)
    """
    total = current = Decimal(0)
    seen_number = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t in {"a", "an"} and i > 0 and tokens[i - 1] in _FRACTIONS:
            i += 1  # "half a million"
            continue
        if t in _EN_UNITS or t in _RU_UNITS:
            current, used = _add_unit(t, nxt, current, seen_number)
            seen_number = True
            i += used
            continue
        if t in _VAGUE_PLURALS and t in _SCALES and not seen_number:
            return 2 * Decimal(_SCALES[t]), True  # "of thousands"
        total, current, counted = _add_word(t, nxt, total, current)
        seen_number = seen_number or counted
        i += 1
    return total + current, False


def _words_to_decimal(text: str) -> tuple[Decimal, bool]:
    """Spelled-out number → (value, vague). Raises ParseError on a word it does not know."""
    tokens = [t.lower().strip(",") for t in _tokens(text)]
    tokens = [t for t in tokens if t not in {"and", "и", "с"}]
    if not tokens:
        raise ParseError("no number in text")
    tokens, vague = _strip_quantifier(tokens)
    if tokens[0] in _VAGUE_PLURALS:
        return _vague_plural(tokens), True
    if tokens == ["a", "couple"]:
        return Decimal(2), False
    if len(tokens) == 1 and tokens[0] in _MULTIPLES:
        return Decimal(_MULTIPLES[tokens[0]]), False
    value, plural = _sum_words(tokens)
    if plural:
        return value, True  # a bare vague plural is already "at least two of the scale"
    if vague:
        return 2 * value, True
    return value, False


def _core(text: str, lang: str | None) -> tuple[Decimal, bool, int]:
    """Number core → (value, vague, scale of the last scale word or 1)."""
    text = text.strip()
    if text and text[0] in "0123456789":
        dm = _DIGITS.match(text)
        assert dm is not None
        value = _digits_to_decimal(dm.group("num"), lang)
        rest = text[dm.end():].strip()
        scale = 1
        if rest:
            for word in _tokens(rest):
                w = word.lower()
                if w not in _SCALES:
                    raise ParseError(f"unexpected {word!r} after the digits")
                scale *= _SCALES[w]
        return value * scale, False, scale
    value, vague = _words_to_decimal(text)
    last = _tokens(text)[-1].lower() if text else ""
    return value, vague, _SCALES.get(last, 1)


def _strip_affixes(text: str) -> tuple[str, str | None, str | None]:
    """Remove qualifier words and unit words; return (core, qualifier, unit_hint)."""
    qualifier = None
    unit_hint = None
    low = text.lower()
    changed = True
    while changed:
        changed = False
        for word, q in _QUALIFIER_PREFIXES:
            if low.startswith(word + " ") or (word.endswith(".") and low.startswith(word)):
                text = text[len(word):].strip()
                low = text.lower()
                qualifier = qualifier or q
                changed = True
                break
    # units and suffixes, repeatedly from the right
    changed = True
    while changed:
        changed = False
        for word, q in _QUALIFIER_SUFFIXES:
            if low.endswith(" " + word):
                text = text[: -len(word)].strip()
                low = text.lower()
                qualifier = qualifier or q
                changed = True
        for word, hint in sorted(_UNIT_WORDS.items(), key=lambda kv: -len(kv[0])):
            if low.endswith(word) and (word == "%" or low.endswith(" " + word) or low.endswith("-" + word)):
                text = text[: -len(word)].rstrip(" -")
                low = text.lower()
                unit_hint = unit_hint or hint
                changed = True
                break
    # "в 2 раза": the preposition goes with the ratio
    if unit_hint == "ratio" and low.startswith("в "):
        text = text[2:].strip()
    # "с лишним" sits inside "сто с лишним тысяч"
    if " с лишним " in f" {low} ":
        text = re.sub(r"\s*с лишним\s*", " ", text, flags=re.IGNORECASE).strip()
        qualifier = qualifier or "more_than"
    return text, qualifier, unit_hint


def _as_float(d: Decimal) -> float:
    return float(round(d, 3)) if d != d.to_integral_value() else float(d)


def _point(value: float, qualifier: str | None, unit_hint: str | None) -> Parsed:
    """A single figure with its qualifier's bound columns (see :class:`Qualifier`)."""
    stored = Qualifier(qualifier).stored(value) if qualifier else (value, None, None)
    return Parsed(*stored, qualifier=qualifier, unit_hint=unit_hint)


@dataclass(frozen=True, slots=True)
class _Context:
    """A figure prepared for the matchers: the number core with its qualifier and unit hint."""

    core: str  # the figure without qualifier and unit words, case kept
    lowered: str  # ``core.lower()``
    qualifier: str | None
    unit_hint: str | None
    lang: str | None
    text: str  # the text as given to :func:`parse`, for error messages


def _unit_hint(lowered: str, unit_hint: str | None) -> str | None:
    """A unit word's hint, else "share" for fraction words and "ratio" for multiples.

    >>> _unit_hint("two thirds", None), _unit_hint("doubled", None), _unit_hint("half", "percent")
    ('share', 'ratio', 'percent')
    """
    tokens = _tokens(lowered)
    if lowered in _FRACTIONS or (
        unit_hint is None and any(t in _FRACTIONS for t in tokens) and not any(t in _SCALES for t in tokens)
    ):
        unit_hint = unit_hint or "share"
    if lowered in _MULTIPLES and lowered != "couple":  # "a couple" is two of something, not a multiple
        unit_hint = unit_hint or "ratio"
    return unit_hint


def _prepare(text: str, lang: str | None) -> _Context:
    """Normalise the text, strip qualifier and unit words, and work out the unit hint.

    >>> _prepare("около 10 млн", "ru")  # doctest: +NORMALIZE_WHITESPACE
    _Context(core='10 млн', lowered='10 млн', qualifier='approximate', unit_hint=None,
             lang='ru', text='около 10 млн')
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    foreign = next((ch for ch in text if ch.isdecimal() and not ("0" <= ch <= "9")), None)
    if foreign is not None:  # Python's \d and Decimal read them, so "1٥٠" would pass as 150
        raise ParseError(f"cannot read {text!r}: expected the digits 0-9 only, found {foreign!r} (U+{ord(foreign):04X}); "
                         "retype the figure with 0-9 if that is what the text prints (a look-alike digit is refused, alone or mixed)")
    norm = _norm(text)
    if not norm:
        raise ParseError("empty text")
    if len(norm) > 120:
        raise ParseError("too long to be one figure")
    core, qualifier, unit_hint = _strip_affixes(norm)
    if not core:
        raise ParseError(f"no number in {text!r}")
    lowered = core.lower()
    return _Context(core, lowered, qualifier, _unit_hint(lowered, unit_hint), lang, text)


_NTH_STEMS = ("перв", "втор", "трет", "четв", "пят", "шест", "седьм", "восьм", "девят", "десят")
_NTH_TEN = re.compile(r"(перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)\w*\s+десят\w*")
_BARE_UNIT = re.compile(r"(?:(?:a|an|one)\s+)?(\w+)(?:-long)?")
_AGE_DECADE = re.compile(r"(?:(early|mid|late)[- ])?(twenties|thirties|forties|fifties|sixties|seventies)")
_DECADE_BASE = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70}
_DECADE_PART = {"early": (0, 3), "mid": (4, 6), "late": (7, 9), None: (0, 9)}
_COMPOUND_PREFIX = {
    "одно": 1, "двух": 2, "трех": 3, "трёх": 3, "четырех": 4, "четырёх": 4, "пяти": 5, "шести": 6, "семи": 7,
    "восьми": 8, "девяти": 9, "десяти": 10, "двенадцати": 12, "пятнадцати": 15, "двадцати": 20, "тридцати": 30,
    "сорока": 40, "пятидесяти": 50, "ста": 100, "полутора": 1.5, "полу": 0.5,
}
# Russian adjectives that begin with a number: двухлетнюю (two-year), пятидневной (five-day)
_COMPOUND = re.compile(
    "(" + "|".join(sorted(_COMPOUND_PREFIX, key=len, reverse=True)) + ")"
    r"(?:лет|летн|дневн|месячн|часов|недельн|минутн|кратн|сменн|годичн|этажн)\w*"
)
_ONE_IN = re.compile(r"(.+?)\s+(?:in|out of|из)\s+(.+)", re.IGNORECASE)


def _nth_ten(ctx: _Context) -> Parsed | None:
    """"седьмой десяток", the n-th ten: (n-1)*10+1 .. n*10.

    >>> _nth_ten(_prepare("седьмой десяток", "ru"))
    Parsed(value=None, low=61.0, high=70.0, qualifier='range', unit_hint=None)
    """
    tens = _NTH_TEN.fullmatch(ctx.lowered)
    if not tens:
        return None
    n = next(i for i, stem in enumerate(_NTH_STEMS, 1) if tens.group(1).startswith(stem))
    return Parsed(None, float((n - 1) * 10 + 1), float(n * 10), "range", ctx.unit_hint)


def _bare_unit(ctx: _Context) -> Parsed | None:
    """A time unit alone is one of it ("hour-long", "day", "one month").

    >>> _bare_unit(_prepare("hour-long", "en"))
    Parsed(value=1.0, low=None, high=None, qualifier=None, unit_hint=None)
    """
    bare = _BARE_UNIT.fullmatch(ctx.lowered)
    if not bare or bare.group(1) not in _BARE_UNITS:
        return None
    return _point(1.0, ctx.qualifier, ctx.unit_hint)


def _compound(ctx: _Context) -> Parsed | None:
    """A Russian adjective that begins with a number is that number ("двухлетнюю": 2).

    >>> _compound(_prepare("пятидневной", "ru")).value
    5.0
    """
    m = _COMPOUND.fullmatch(ctx.lowered)
    if not m:
        return None
    return _point(float(_COMPOUND_PREFIX[m.group(1)]), ctx.qualifier, ctx.unit_hint)


def _age_decade(ctx: _Context) -> Parsed | None:
    """Decades of age: "thirties" 30–39; early = 0–3, mid = 4–6, late = 7–9.

    >>> _age_decade(_prepare("late thirties", "en"))
    Parsed(value=None, low=37.0, high=39.0, qualifier='range', unit_hint=None)
    """
    decade = _AGE_DECADE.fullmatch(ctx.lowered)
    if not decade:
        return None
    base = _DECADE_BASE[decade.group(2)]
    lo, hi = _DECADE_PART[decade.group(1)]
    return Parsed(None, float(base + lo), float(base + hi), "range", ctx.unit_hint)


def _one_in(ctx: _Context) -> Parsed | None:
    """"one in ten", "3 out of 8.5 million": a share (a scale word on the whole serves both).

    >>> _one_in(_prepare("one in ten", "en"))
    Parsed(value=0.1, low=None, high=None, qualifier=None, unit_hint='share')
    """
    ratio = _ONE_IN.fullmatch(ctx.core)
    if not ratio:
        return None
    try:
        num, _, num_scale = _core(ratio.group(1), ctx.lang)
        den, _, den_scale = _core(ratio.group(2), ctx.lang)
    except ParseError:
        return None
    if num_scale == 1 and den_scale > 1 and num * den_scale <= den:
        num *= den_scale  # "3 out of 8.5 million": the scale word serves both
    if den == 0:
        raise ParseError(f"{ctx.text!r} divides by zero")
    return _point(_as_float(num / den), ctx.qualifier, ctx.unit_hint or "share")


def _single(ctx: _Context) -> Parsed:
    """One value with its qualifier; the last matcher, it raises :class:`ParseError` if it cannot.

    >>> _single(_prepare("over 1,000", "en"))
    Parsed(value=1000.0, low=1000.0, high=None, qualifier='more_than', unit_hint=None)
    """
    value, vague, _ = _core(ctx.core, ctx.lang)
    v = _as_float(value)
    # "two and a half" has a fraction word but is not a share
    unit_hint = None if ctx.unit_hint == "share" and v > 1 else ctx.unit_hint
    return _point(v, "at_least" if vague else ctx.qualifier, unit_hint)


def _whole_number(ctx: _Context) -> Parsed | None:
    """The core read as one number, before any range split ("thirty-three", "one-tenth").

    >>> _whole_number(_prepare("thirty-three", "en")).value
    33.0
    """
    try:
        return _single(ctx)
    except ParseError:
        return None


def _range(ctx: _Context) -> Parsed | None:
    """Two numbers around a range separator, stored low to high ("40-20 thousand").

    >>> _range(_prepare("five-six thousand", "en"))
    Parsed(value=None, low=5000.0, high=6000.0, qualifier='range', unit_hint=None)
    """
    for sep in _RANGE_SEP.finditer(ctx.core):
        left, right = ctx.core[: sep.start()].strip(), ctx.core[sep.end() :].strip()
        if not left or not right:
            continue
        try:
            lo, lo_vague, lo_scale = _core(left, ctx.lang)
            hi, hi_vague, hi_scale = _core(right, ctx.lang)
        except ParseError:
            continue
        if lo_vague or hi_vague:
            continue
        if lo_scale == 1 and hi_scale > 1 and lo * hi_scale <= hi * 10 and lo < hi:
            lo *= hi_scale  # "five-six thousand": the upper end's scale word serves both
        lo, hi = min(lo, hi), max(lo, hi)  # "40-20 thousand" is printed high to low
        return Parsed(None, _as_float(lo), _as_float(hi), "range", ctx.unit_hint)
    return None


# Tried in order by :func:`parse`; the first that answers wins (as ``mention_rules.RULES``).
_MATCHERS: list[Callable[[_Context], Parsed | None]] = [
    _nth_ten, _bare_unit, _compound, _age_decade, _one_in, _whole_number, _range, _single,
]


def parse(text: str, lang: str | None = None) -> Parsed:
    """Parse a printed figure.

    The text is normalised, its qualifier and unit words are stripped, and the matchers in
    ``_MATCHERS`` are tried in order on what remains; the first that answers wins.

    Parameters
    ----------
    text : str
        The figure as printed (``value_text``), e.g. ``"около 10 млн"`` or ``"five-six thousand"``.
    lang : str or None
        ``"ru"`` or ``"en"``: tells a Russian decimal comma from an English thousands comma.

    Returns
    -------
    Parsed
        The value (or ``low``/``high`` for a range), the qualifier word's meaning and a unit hint.

    Raises
    ------
    ParseError
        With the reason, if the text is not one figure this parser can read.

    Examples
    --------
    >>> parse("1 430%", lang="ru")
    Parsed(value=1430.0, low=None, high=None, qualifier=None, unit_hint='percent')
    >>> parse("8–9 тыс. тонн", lang="ru")
    Parsed(value=None, low=8000.0, high=9000.0, qualifier='range', unit_hint=None)
    """
    if isinstance(text, str) and (lang is None or isinstance(lang, str)):
        return _parse_cached(text, lang)  # the validator asks about each figure more than once
    return _parse(text, lang)


@lru_cache(maxsize=8192)
def _parse_cached(text: str, lang: str | None) -> Parsed:
    return _parse(text, lang)


def _parse(text: str, lang: str | None) -> Parsed:
    ctx = _prepare(text, lang)
    for matcher in _MATCHERS:
        parsed = matcher(ctx)
        if parsed is not None:
            return parsed
    raise ParseError(f"cannot read {text!r}")  # pragma: no cover - _single answers or raises


def format_number(value: float, style: str = "en", decimals: int = 0) -> str:
    """Print a number the way one of the texts would (used by the round-trip tests).

    >>> format_number(9772.4, "ru", 1), format_number(1400000, "en"), format_number(1430, "ru")
    ('9 772,4', '1,400,000', '1 430')
    """
    s = f"{value:,.{decimals}f}"
    if style == "ru":
        s = s.replace(",", " ").replace(".", ",")
    return s
