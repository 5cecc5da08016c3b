"""The number parser on what the texts print, and property-based round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soviet_figures.errors import ParseError
from soviet_figures.text.numbers import format_number, parse

# (printed, language, value, low, high, qualifier) — the forms the codebook's conventions name
CASES = [
    ("1,400,000", "en", 1400000, None, None, None),
    ("9 772,4 тыс.", "ru", 9772400, None, None, None),
    ("41,2%", "ru", 41.2, None, None, None),
    ("13.55%", "en", 13.55, None, None, None),
    ("1\u00a0430%", "ru", 1430, None, None, None),
    ("250\u00a0— 300", "ru", None, 250, 300, "range"),
    ("8–9 тыс. тонн", "ru", None, 8000, 9000, "range"),
    ("около 10 млн", "ru", 10_000_000, None, None, "approximate"),
    ("twenty thousand", "en", 20000, None, None, None),
    ("two thirds", "en", 0.667, None, None, None),
    ("two-thirds", "en", 0.667, None, None, None),
    ("half", "en", 0.5, None, None, None),
    ("тысячи", "ru", 2000, 2000, None, "at_least"),
    ("вдвое", "ru", 2, None, None, None),
    ("doubled", "en", 2, None, None, None),
    ("two hundred thirty-three thousand", "en", 233000, None, None, None),
    ("five-six thousand", "en", None, 5000, 6000, "range"),
    ("ninety to one hundred thousand", "en", None, 90000, 100000, "range"),
    ("one and a half million", "en", 1_500_000, None, None, None),
    ("half a million", "en", 500000, None, None, None),
    ("сто с лишним тысяч", "ru", 100000, 100000, None, "more_than"),
    ("800 тысячами", "ru", 800000, None, None, None),
    ("треть", "ru", 0.333, None, None, None),
    ("one-tenth", "en", 0.1, None, None, None),
    ("one in ten", "en", 0.1, None, None, None),
    ("over 1,000", "en", 1000, 1000, None, "more_than"),
    ("almost half", "en", 0.5, None, 0.5, "less_than"),
    ("в 2,5 раза", "ru", 2.5, None, None, None),
    ("tens of thousands", "en", 20000, 20000, None, "at_least"),
    ("three hundred and thirty-three", "en", 333, None, None, None),
    ("26.5 percent", "en", 26.5, None, None, None),
    ("одним-двумя", "ru", None, 1, 2, "range"),
    ("40-20 thousand", "en", None, 20000, 40000, "range"),
    ("седьмой десяток", "ru", None, 61, 70, "range"),
    ("a couple", "en", 2, None, None, None),
    ("hour-long", "en", 1, None, None, None),
    ("a week", "en", 1, None, None, None),
    ("two-and-a- half", "en", 2.5, None, None, None),
    ("four decades", "en", 40, None, None, None),
    ("3 out of 8.5 million", "en", 0.353, None, None, None),
    ("tens and hundreds of thousands", "en", 20000, 20000, None, "at_least"),
    ("late thirties", "en", None, 37, 39, "range"),
    ("четверо", "ru", 4, None, None, None),
]


@pytest.mark.parametrize(("text", "lang", "value", "low", "high", "qualifier"), CASES)
def test_printed_forms(text, lang, value, low, high, qualifier):
    p = parse(text, lang)
    assert (p.value, p.low, p.high, p.qualifier) == (value, low, high, qualifier)


@pytest.mark.parametrize("text", ["", "   ", "workers", "1,2,3,4", "abc 12", "12 workers of the plant"])
def test_rejects_what_is_not_one_figure(text):
    with pytest.raises(ParseError):
        parse(text, "en")


def test_russian_decimal_comma_is_not_a_thousands_separator():
    assert parse("1,500", "ru").value == 1.5
    assert parse("1,500", "en").value == 1500


@given(st.integers(min_value=0, max_value=10**9))
def test_integer_round_trip_english(n):
    assert parse(format_number(n, "en"), "en").value == n


@given(st.integers(min_value=0, max_value=10**9))
def test_integer_round_trip_russian(n):
    assert parse(format_number(n, "ru"), "ru").value == n


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=9))
def test_decimal_round_trip_russian_with_scale(whole, tenth):
    printed = format_number(whole + tenth / 10, "ru", 1) + " тыс."
    assert parse(printed, "ru").value == pytest.approx((whole + tenth / 10) * 1000, rel=1e-12)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_range_round_trip(a, b):
    lo, hi = sorted((a, a + b))
    p = parse(f"{format_number(lo, 'en')}–{format_number(hi, 'en')}", "en")
    assert (p.low, p.high, p.qualifier) == (lo, hi, "range")


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_never_raises_anything_but_parse_error(text):
    try:
        parse(text)
    except ParseError:
        pass
