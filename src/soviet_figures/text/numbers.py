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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..errors import ParseError
from ..qualifiers import Qualifier

__all__ = ["Parsed", "parse", "format_number"]


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed figure. For ranges ``value`` is None; for bounds ``low``/``high`` repeat it."""

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


def _words_to_decimal(text: str) -> tuple[Decimal, bool]:
    """Spelled-out number → (value, vague). Raises ParseError on a word it does not know."""
    tokens = [t.lower().strip(",") for t in _tokens(text)]
    tokens = [t for t in tokens if t not in {"and", "и", "с"}]
    if not tokens:
        raise ParseError("no number in text")
    vague = False
    if tokens[0] in _VAGUE_QUANTIFIERS or " ".join(tokens[:2]) in _VAGUE_QUANTIFIERS:
        tokens = tokens[2:] if " ".join(tokens[:2]) in _VAGUE_QUANTIFIERS else tokens[1:]
        vague = True
        if not tokens:
            raise ParseError("a quantifier without a number")
    # "tens/hundreds of thousands", "десятки тысяч"
    if tokens[0] in _VAGUE_PLURALS:
        scale = Decimal(_SCALES.get(tokens[0], 10))
        rest = tokens[1:]
        if "of" in rest:  # "tens and hundreds of thousands": the lowest plural, then the scale
            rest = rest[len(rest) - rest[::-1].index("of") :]
        for t in rest:
            if t not in _SCALES:
                raise ParseError(f"unknown word {t!r} after {tokens[0]!r}")
            scale *= _SCALES[t]
        return 2 * scale, True
    if tokens == ["a", "couple"]:
        return Decimal(2), False
    if len(tokens) == 1 and tokens[0] in _MULTIPLES:
        return Decimal(_MULTIPLES[tokens[0]]), False
    total = Decimal(0)
    current = Decimal(0)
    seen_number = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in {"a", "an"} and i > 0 and tokens[i - 1] in _FRACTIONS:
            i += 1  # "half a million"
            continue
        if t in _EN_UNITS or t in _RU_UNITS:
            n = _EN_UNITS.get(t, _RU_UNITS.get(t))
            # "a half", "one and a half": a fraction after a unit word adds to what came before
            if i + 1 < len(tokens) and tokens[i + 1] in _FRACTIONS and t in {"a", "an", "one"} and seen_number:
                current += _FRACTIONS[tokens[i + 1]]
                i += 2
                continue
            if current and not ((n < 10 and current % 10 == 0) or (n < 100 and current % 100 == 0)):
                raise ParseError(f"{t!r} cannot follow {current}: a range without a separator?")
            current += n
            seen_number = True
        elif t in _ONE_AND_HALF:
            current += Decimal("1.5")
            seen_number = True
        elif t in _FRACTIONS:
            frac = _FRACTIONS[t]
            current = (current or Decimal(1)) * frac
            seen_number = True
        elif t in _SCALES and t not in {"сто"}:
            scale = _SCALES[t]
            if t in _VAGUE_PLURALS and not seen_number:
                return 2 * Decimal(scale), True
            if scale == 100:
                current = (current or Decimal(1)) * 100
            else:
                total += (current or Decimal(1)) * scale
                current = Decimal(0)
            seen_number = True
        elif t == "сто":
            current += 100
            seen_number = True
        elif t == "of" and i + 1 < len(tokens) and tokens[i + 1] in _SCALES:
            pass
        else:
            raise ParseError(f"unknown word {t!r}")
        i += 1
    if vague:
        return 2 * (total + current), True
    return total + current, False


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


def parse(text: str, lang: str | None = None) -> Parsed:
    """Parse a printed figure. Raises :class:`ParseError` with the reason if it cannot.

    >>> parse("1 430%", lang="ru")
    Parsed(value=1430.0, low=None, high=None, qualifier=None, unit_hint='percent')
    >>> parse("8–9 тыс. тонн", lang="ru")
    Parsed(value=None, low=8000.0, high=9000.0, qualifier='range', unit_hint=None)
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    norm = _norm(text)
    if not norm:
        raise ParseError("empty text")
    if len(norm) > 120:
        raise ParseError("too long to be one figure")
    core, qualifier, unit_hint = _strip_affixes(norm)
    if not core:
        raise ParseError(f"no number in {text!r}")
    lowered = core.lower()
    if lowered in _FRACTIONS or (
        unit_hint is None and any(t in _FRACTIONS for t in _tokens(lowered)) and not any(t in _SCALES for t in _tokens(lowered))
    ):
        unit_hint = unit_hint or "share"
    if lowered in _MULTIPLES:
        unit_hint = unit_hint or "ratio"
    # "седьмой десяток": the n-th ten, (n-1)*10+1 .. n*10
    tens = re.fullmatch(r"(перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)\w*\s+десят\w*", lowered)
    if tens:
        n = ["перв", "втор", "трет", "четв", "пят", "шест", "седьм", "восьм", "девят", "десят"].index(
            next(k for k in ["перв", "втор", "трет", "четв", "пят", "шест", "седьм", "восьм", "девят", "десят"] if tens.group(1).startswith(k))) + 1
        return Parsed(None, float((n - 1) * 10 + 1), float(n * 10), "range", unit_hint)
    bare = re.fullmatch(r"(?:(?:a|an|one)\s+)?(\w+)(?:-long)?", lowered)
    if bare and bare.group(1) in _BARE_UNITS:
        return Parsed(1.0, None, None, qualifier, unit_hint)
    # "in their late thirties": decades of age (early = 0-3, mid = 4-6, late = 7-9)
    decade = re.fullmatch(r"(?:(early|mid|late)[- ])?(twenties|thirties|forties|fifties|sixties|seventies)", core.lower())
    if decade:
        base = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70}[decade.group(2)]
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9), None: (0, 9)}[decade.group(1)]
        return Parsed(None, float(base + lo), float(base + hi), "range", unit_hint)
    # "one in ten", "1 in 5": a share
    ratio = re.fullmatch(r"(.+?)\s+(?:in|out of|из)\s+(.+)", core, flags=re.IGNORECASE)
    if ratio:
        try:
            num, _, num_scale = _core(ratio.group(1), lang)
            den, _, den_scale = _core(ratio.group(2), lang)
        except ParseError:
            pass
        else:
            if num_scale == 1 and den_scale > 1 and num * den_scale <= den:
                num *= den_scale  # "3 out of 8.5 million": the scale word serves both
            if den == 0:
                raise ParseError(f"{text!r} divides by zero")
            v = _as_float(num / den)
            unit_hint = unit_hint or "share"
            return _point(v, qualifier, unit_hint)
    # a whole number first ("thirty-three", "one-tenth"), then ranges ("five-six thousand")
    try:
        whole: tuple[Decimal, bool, int] | None = _core(core, lang)
    except ParseError:
        whole = None
    for sep in ([] if whole else _RANGE_SEP.finditer(core)):
        left, right = core[: sep.start()].strip(), core[sep.end():].strip()
        if not left or not right:
            continue
        try:
            lo, lo_vague, lo_scale = _core(left, lang)
            hi, hi_vague, hi_scale = _core(right, lang)
        except ParseError:
            continue
        if lo_scale == 1 and hi_scale > 1 and lo * hi_scale <= hi * 10 and lo < hi:
            lo *= hi_scale
        if lo_vague or hi_vague:
            continue
        lo, hi = min(lo, hi), max(lo, hi)  # "40-20 thousand" is printed high to low
        return Parsed(None, _as_float(lo), _as_float(hi), "range", unit_hint)
    value, vague, _ = whole if whole else _core(core, lang)
    v = _as_float(value)
    if unit_hint == "share" and v > 1:
        unit_hint = None  # "two and a half" has a fraction word but is not a share
    return _point(v, "at_least" if vague else qualifier, unit_hint)


def format_number(value: float, style: str = "en", decimals: int = 0) -> str:
    """Print a number the way one of the texts would (used by the round-trip tests).

    >>> format_number(9772.4, "ru", 1), format_number(1400000, "en"), format_number(1430, "ru")
    ('9 772,4', '1,400,000', '1 430')
    """
    s = f"{value:,.{decimals}f}"
    if style == "ru":
        s = s.replace(",", " ").replace(".", ",")
    return s
