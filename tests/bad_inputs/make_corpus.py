"""Write the bad-input corpus: malformed transcription files and the error each must give.

Run from the project root: ``python tests/bad_inputs/make_corpus.py``. Each case starts from
three real observation rows (or the real documents/mentions/measures rows) and breaks one
thing. ``expected.json`` maps file name → the rule, row and column the validator must name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "datapackage" / "data"


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def text(fields: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


OBS_FIELDS, OBS = read("observations")
BASE = [dict(r) for r in OBS if r["doc_id"] == "nktp-second-plenum" and r["qualifier"] == "exact" and r["value"]][5:8]
GOOD = text(OBS_FIELDS, BASE)
cases: dict[str, tuple[bytes, dict[str, object]]] = {}


def obs_case(name: str, change, rule: str, row: int | None, column: str | None) -> None:
    rows = [dict(r) for r in BASE]
    change(rows)
    cases[f"{name}.observations.csv"] = (text(OBS_FIELDS, rows).encode("utf-8"), {"rule": rule, "row": row, "column": column})


def raw_case(name: str, data: bytes, rule: str, row: int | None = None, column: str | None = None) -> None:
    cases[name] = (data, {"rule": rule, "row": row, "column": column})


raw_case("cp1251.observations.csv", GOOD.encode("cp1251", errors="replace"), "encoding", 1)
raw_case("utf16.observations.csv", GOOD.encode("utf-16"), "encoding")
raw_case("bom.observations.csv", b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "encoding")
raw_case("crlf.observations.csv", GOOD.replace("\n", "\r\n").encode("utf-8"), "line-ends")
raw_case("empty.observations.csv", b"", "empty-file")
raw_case("nul-bytes.observations.csv", GOOD.encode("utf-8")[:300] + b"\x00\x00" + GOOD.encode("utf-8")[300:], "encoding", 1)
raw_case("header-only.observations.csv", (",".join(OBS_FIELDS) + "\n").encode(), "no-rows")
raw_case("unterminated-quote.observations.csv", (GOOD.rstrip("\n") + '\n' + ",".join(BASE[0].values()).replace(BASE[0]["description"], '"' + BASE[0]["description"][:20]) + "\n").encode(), "missing-cell", 4)
missing = [f for f in OBS_FIELDS if f != "unit"]
raw_case("missing-column.observations.csv", text(missing, [{k: r[k] for k in missing} for r in BASE]).encode(), "missing-label", None, "unit")
extra = OBS_FIELDS + ["comment"]
raw_case("extra-column.observations.csv", text(extra, [{**r, "comment": "x"} for r in BASE]).encode(), "extra-label", None, "comment")
dup_header = ",".join(OBS_FIELDS + ["unit"]) + "\n" + "".join(",".join(json.dumps(v) if "," in v or '"' in v else v for v in list(r.values()) + [r["unit"]]) + "\n" for r in BASE)
raw_case("duplicated-column.observations.csv", dup_header.encode(), "duplicate-label", None, "unit")

obs_case("non-numeric-value", lambda r: r[0].update(value="много"), "schema:coerce_dtype", 1, "value")
obs_case("nan-value", lambda r: r[0].update(value="NaN"), "finite-number", 1, "value")
obs_case("inf-value", lambda r: r[1].update(value="inf"), "finite-number", 2, "value")
obs_case("negative-count", lambda r: r[0].update(value="-150", value_text=r[0]["value_text"]), "non-negative", 1, "value")
obs_case("percent-over-100", lambda r: r[2].update(unit="percent", measure="party_saturation", value="996000"), "percent-range", 3, "value")
obs_case("share-over-1", lambda r: r[2].update(unit="share", measure="share", value="996000"), "share<=1", 3, "value")
obs_case("low-above-high", lambda r: r[1].update(value_low="300", value_high="250"), "low<=high", 2, "value_low")
obs_case("qualifier-inconsistent", lambda r: r[0].update(qualifier="range"), "qualifier-range", 1, "qualifier")
obs_case("malformed-period", lambda r: r[0].update(period="1936-13"), "period-format", 1, "period")
obs_case("period-out-of-range", lambda r: r[0].update(period="1750", year_start="1750", year_end="1750"), "schema:in_range", 1, "year_start")
obs_case("period-backwards", lambda r: r[0].update(period="1937/1936", year_start="1937", year_end="1936"), "period-format", 1, "period")
obs_case("years-not-from-period", lambda r: r[0].update(year_start="1935"), "years-from-period", 1, "year_start")
obs_case("unknown-doc-id", lambda r: r[1].update(doc_id="no-such-doc", obs_id="no-such-doc-0001"), "foreign-key", 2, "doc_id")
obs_case("unknown-measure", lambda r: r[1].update(measure="vodka_consumption"), "foreign-key", 2, "measure")
obs_case("unit-not-allowed", lambda r: r[1].update(unit="tonnes"), "unit-allowed", 2, "unit")
obs_case("unknown-unit", lambda r: r[1].update(unit="furlongs"), "schema:isin", 2, "unit")
obs_case("duplicate-obs-id", lambda r: r[2].update(obs_id=r[0]["obs_id"]), "primary-key", 3, "obs_id")
obs_case("bad-obs-id", lambda r: r[0].update(obs_id="Obs 1"), "schema:str_matches", 1, "obs_id")
obs_case("missing-description", lambda r: r[0].update(description=""), "schema:not_nullable", 1, "description")
obs_case("value-not-from-text", lambda r: r[2].update(value=str(float(r[2]["value"]) * 10)), "value-parses", 3, "value")
obs_case("offsets-past-end", lambda r: r[0].update(char_start="9999990", char_end=str(9999990 + len(r[0]["value_text"]))), "offsets-in-text", 1, "char_end")
obs_case("offsets-reversed", lambda r: r[0].update(char_end=str(int(r[0]["char_start"]) - 1)), "offsets-order", 1, "char_end")
obs_case("value-text-not-at-offsets", lambda r: r[1].update(char_start=str(int(r[1]["char_start"]) + 3), char_end=str(int(r[1]["char_end"]) + 3)), "text-at-offsets", 2, "value_text")
obs_case("wrong-line", lambda r: r[1].update(line=str(int(r[1]["line"]) + 1)), "line-of-offset", 2, "line")
obs_case("quote-not-in-text", lambda r: r[2].update(quote=r[2]["quote"] + " и ещё выдуманные слова"), "quote-at-offsets", 3, "quote")
obs_case("quote-without-value", lambda r: r[2].update(quote="совсем другая цитата без числа в ней"), "quote-contains-value", 3, "quote")
obs_case("formula-in-text", lambda r: r[0].update(description='=HYPERLINK("http://example.com","click")'), "no-formula", 1, "description")

doc_fields, docs = read("documents")
bad_docs = [dict(d) for d in docs]
bad_docs[1]["sha256"] = "0" * 64
raw_case("wrong-sha256.documents.csv", text(doc_fields, bad_docs).encode(), "source-text", 2, "sha256")
m_fields, ment = read("mentions")
bad_m = [dict(m) for m in ment[:3]]
bad_m[1]["status"] = "guess"
raw_case("unknown-status.mentions.csv", text(m_fields, bad_m).encode(), "schema:isin", 2, "status")
me_fields, meas = read("measures")
bad_me = [dict(m) for m in meas]
bad_me[0]["allowed_units"] = "persons|souls"
raw_case("unknown-unit.measures.csv", text(me_fields, bad_me).encode(), "unit-vocabulary", 1, "allowed_units")

# a series is declared by same_series_as links, and a link must join one quantity at two dates
l_fields, _ = read("links")


def links_case(name: str, pairs: list[tuple[str, str]], row: int) -> None:
    rows = [{"obs_id_a": a, "obs_id_b": b, "relation": "same_series_as", "note": "declared one series"} for a, b in pairs]
    raw_case(f"{name}.links.csv", text(l_fields, rows).encode(), "series-link", row, "relation")


# the plant's truancy rate (absenteeism) and the speakers at a meeting (speeches)
links_case("series-across-measures", [("kokosalakis-2016-0042", "kokosalakis-2016-0197")], 1)
# machine-builders and women as shares of the Leningrad workforce, both in 1928
links_case("series-one-date", [("kokosalakis-2016-0065", "kokosalakis-2016-0072")], 1)
# each link joins two dates, but together they put both 1928 shares in one series
links_case("series-date-twice", [("kokosalakis-2016-0065", "kokosalakis-2016-0066"), ("kokosalakis-2016-0066", "kokosalakis-2016-0072")], 1)

# the guarantees: a figure's span, unit and uniqueness (each a real row, broken one way)
BY_ID = {r["obs_id"]: r for r in OBS}


def span_case(name: str, obs_id: str, start: int, end: int, value_text: str, rule: str, column: str, **more: str) -> None:
    """A real row whose span is moved to ``start``–``end`` (value_text and value changed to match)."""
    row = {**BY_ID[obs_id], "char_start": str(start), "char_end": str(end), "value_text": value_text, **more}
    cases[f"{name}.observations.csv"] = (text(OBS_FIELDS, [row]).encode("utf-8"), {"rule": rule, "row": 1, "column": column})


thousand = next(r for r in OBS if r["value_text"] == "996 тыс.")  # 996 thousand hours: "тыс." dropped
span_case("scale-word-dropped", thousand["obs_id"], int(thousand["char_start"]), int(thousand["char_start"]) + 3, "996", "span-expression", "char_start", value="996")
percent = next(r for r in OBS if r["value_text"] == "57 percent")  # "percent" dropped
span_case("sign-dropped", percent["obs_id"], int(percent["char_start"]), int(percent["char_start"]) + 2, "57", "span-expression", "char_start")
ten = BY_ID["kokosalakis-2016-0196"]  # the "ten" inside "extended", before the figure
start = int(ten["char_start"]) - len("ten ded by an extra ")
span_case("span-inside-a-word", "kokosalakis-2016-0196", start, start + 3, "ten", "span-expression", "char_start")
five = BY_ID["kokosalakis-2016-0210"]  # "five" of "twenty-five", not the "five" that follows
start = int(five["char_start"]) - len("five full and ")
span_case("half-of-a-hyphenated-number", "kokosalakis-2016-0210", start, start + 4, "five", "span-expression", "char_start")
span_case("unit-contradicts-the-figure", percent["obs_id"], int(percent["char_start"]), int(percent["char_end"]), percent["value_text"], "unit-from-text", "unit", unit="persons", measure="party_members")
copied = dict(BY_ID["kokosalakis-2016-0045"])
cases["duplicate-row.observations.csv"] = (text(OBS_FIELDS, [copied, {**copied, "obs_id": "kokosalakis-2016-9999"}]).encode("utf-8"), {"rule": "duplicate-span", "row": 2, "column": "char_start"})



def main() -> None:
    """Write the corpus (only when run as a script: importing this module writes nothing)."""
    for old in HERE.glob("*.csv"):
        old.unlink()
    expected = {}
    for name, (data, exp) in sorted(cases.items()):
        (HERE / name).write_bytes(data)
        expected[name] = exp
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases written")


if __name__ == "__main__":
    main()
