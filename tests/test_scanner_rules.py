"""The scanner and the pre-classification rules, on real lines of the texts."""

from __future__ import annotations

import pytest

from soviet_figures.text.mention_rules import classify, running_heads
from soviet_figures.text.scanner import scan


def classified(text: str) -> list[tuple[str, str | None]]:
    return [(m.text, (classify(text, m, frozenset()) or (None, None))[0]) for m in scan(text)]


# (doc, a line as printed in the text, expected (mention, status) pairs)
REAL_LINES = [
    ("nktp-second-plenum", "в 1936 г. сверхурочно было отработано 996 тыс. часов. Это ",
     [("1936", "year"), ("996 тыс.", None)]),
    ("nktp-second-plenum", "промышленности СССР 25\u00a0— 29 июня 1936 г.",
     [("25", "date"), ("29", "date"), ("1936", "year")]),
    ("nktp-second-plenum", "вердловской области (ЦДООСО). Ф. 4. Оп. 13. Д. 329. Л 2\u00a0— 3; Оп. 14. ",
     [("4", "citation"), ("13", "citation"), ("329", "citation"), ("2", None), ("3", None), ("14", "citation")]),
    ("nktp-second-plenum", "рисутствующих (в зале находились более 300 человек) была награждена орденами13. Официальный",
     [("300", None), ("13", "footnote_marker")]),
    ("nktp-second-plenum", "ными видами технического обучения были охвачены около 10 млн человек (9 772,4 тыс.)21. ",
     [("10 млн", None), ("9 772,4 тыс.", None), ("21", "footnote_marker")]),
    ("nktp-second-plenum", "во второй половине 1935 — первой половине 1936 гг. носило общесоюзный характер ",
     [("половине", "date"), ("1935", "year"), ("половине", "date"), ("1936", "year")]),
    ("kokosalakis-2016", "81 TsGAIPD, f. 1012, op. 1, d. 549, ll. 207-211 ",
     [("81", "footnote_marker"), ("1012", "citation"), ("1", "citation"), ("549", "citation"), ("207", "citation"), ("211", "citation")]),
    ("kokosalakis-2016", "documenting instances of purportedly resistant activity.15 ",
     [("15", "footnote_marker")]),
    ("fitzpatrick-1979", "27. Stalin, \"Novaia obstanovka—novye zadachi khoziaistvennogo stroitel'stva\" (June 23, ",
     [("27", "footnote_marker"), ("23", "date")]),
    ("fitzpatrick-1979", "1931), Sochineniia, 13:66-67. ",
     [("1931", "year"), ("13", "citation"), ("66", "citation"), ("67", "citation")]),
    ("fitzpatrick-1979", "the years 1928-32, but excluded those",
     [("1928", "year"), ("32", "year")]),
    ("fitzpatrick-1979", "students who received their degrees in the last quarter of 1937, 57 percent of ",
     [("quarter", "date"), ("1937", "year"), ("57 percent", None)]),
    ("fitzpatrick-1979", "sible jobs. Third, the administrative apparats had to be purged of unreliable ",
     [("Third", "label")]),
    ("fitzpatrick-1979", "which over one hundred thousand workers and Communists from the factories ",
     [("one hundred thousand", None)]),
    ("fitzpatrick-1979", "the party as a whole. About twenty thousand Communists left the factory bench ",
     [("twenty thousand", None)]),
    ("fitzpatrick-1979", "Almost two-thirds of the cadres in ",
     [("two-thirds", None)]),
]


@pytest.mark.parametrize(("doc", "line", "expected"), REAL_LINES)
def test_rules_on_real_lines(doc, line, expected):
    assert classified(line) == expected


@pytest.mark.texts
def test_the_rule_test_lines_are_real_lines_of_the_texts(texts):
    for doc, line, _ in REAL_LINES:
        assert " ".join(line.split()) in " ".join(texts[doc].split()), line


def test_scale_word_and_percent_sign_after_digits_are_part_of_the_number():
    assert [m.text for m in scan("996 тыс. часов, 800 тысячами рабочих, 1.5 million, 41,2%, 20 percent")] == [
        "996 тыс.", "800 тысячами", "1.5 million", "41,2%", "20 percent"]


def test_every_number_word_is_a_mention_and_a_compound_is_one():
    assert [m.text for m in scan("three deputies, two hundred and twenty delegates, doubled, вдвое, the rest")] == [
        "three", "two hundred and twenty", "doubled", "вдвое"]
    assert [m.text for m in scan("двухсот пятидесяти рабочих, тысячами, полутора, twenty-five, two-thirds")] == [
        "двухсот пятидесяти", "тысячами", "полутора", "twenty-five", "two-thirds"]


def test_a_word_inside_another_is_no_mention():
    assert [m.text for m in scan("extended, often, someone, стахановцы, ста-\nхановцы, сорокаградусный")] == []


def test_a_grouped_number_and_its_note_marker_are_two_mentions():
    assert [m.text for m in scan("some 1,200.15 New")] == ["1,200", "15"]


def test_running_heads_become_page_numbers():
    text = "Elite 383\nbody 12 men\nElite 385\nElite 387\n"
    heads = running_heads(text)
    statuses = [(m.text, (classify(text, m, heads) or (None,))[0]) for m in scan(text)]
    assert statuses == [("383", "page_number"), ("12", None), ("385", "page_number"), ("387", "page_number")]


@pytest.mark.texts
def test_every_scanned_span_slices_back_to_its_text(texts):
    for text in texts.values():
        for m in scan(text):
            assert text[m.start : m.end] == m.text


def test_every_word_the_scanner_counts_as_a_number_the_parser_reads():
    """The scanner's number words and the parser's lexicon must not drift apart."""
    from soviet_figures.text.numbers import parse

    words = ("one two three twelve twenty ninety hundred thousands millions dozen half thirds quarter doubled "
             "trebled twice couple tens decades").split()
    words_ru = ("один одна двух двумя три трёх четыре пяти семь десяти двадцать тридцати сорок пятьдесят ста двести "
                "двухсот триста пятьсот тысячи тысячами миллиона сотни десятки половина треть четверть полтора "
                "полутора вдвое втрое вдесятеро двое четверо двухлетнюю пятидневной").split()
    for word in words:
        assert scan(word) and parse(word, "en").value is not None, word
    for word in words_ru:
        assert scan(word) and parse(word, "ru").value is not None, word
    assert parse("one-tenth", "en").value == 0.1


def test_the_first_letter_filter_lets_every_number_word_through():
    """The scanner skips words whose first letters no number word has; every form the
    parser knows (and the scanner's own word pattern matches) must pass that filter."""
    from soviet_figures.text import numbers, scanner

    lexicon = set(numbers._EN_UNITS) | set(numbers._RU_UNITS) | set(numbers._SCALES) | set(numbers._FRACTIONS) | set(numbers._MULTIPLES) | set(numbers._ONE_AND_HALF)
    lexicon |= {"twenties", "thirties", "forties", "fifties", "sixties", "seventies", "двухлетнюю", "пятилетка", "полуторамесячный", "тысячами", "двухсот", "пятидесяти"}
    for word in sorted(lexicon):
        m = scanner.NUMBER_WORD.fullmatch(word)
        if m and word[0].isalpha():
            assert word[:3].lower() in scanner._FIRST_LETTERS, word


@pytest.mark.texts
def test_the_first_letter_filter_changes_nothing_on_the_texts(texts):
    from soviet_figures.text import scanner

    for text in texts.values():
        fast = [m for m in scan(text) if m.kind == "words"]
        taken = [(m.start, m.end) for m in scanner._digit_mentions(text)]
        starts = [s for s, _ in taken]
        slow = [m.start() for m in scanner.NUMBER_WORD.finditer(text) if not scanner._inside(starts, taken, m.start())]
        assert all(any(f.start <= s < f.end for s in slow) for f in fast)  # each mention holds a number word
        assert all(any(f.start <= s < f.end for f in fast) for s in slow)  # each number word is in a mention
