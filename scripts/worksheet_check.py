"""Check a transcription worksheet against a source text, before it is merged.

Usage:
  python scripts/worksheet_check.py --doc 001_cefcb9d34187e0ee.txt --lines 1-370 \
      --obs work/001a.obs.jsonl --classified work/001a.cls.jsonl [--dump-mentions FILE]

Prints every problem (quote not found, value disagreeing with the parser, unknown
vocabulary) and every numeric mention in the line range that is neither covered by an
observation, nor classified in the --classified file, nor pre-classified by a rule.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from soviet_figures.intake import place_rows, read_worksheet  # noqa: E402
from soviet_figures.rules import classify, running_heads  # noqa: E402
from soviet_figures.scanner import scan  # noqa: E402

TOPICS = set(
    "membership expulsions repression education graduates promotion workforce "
    "labour_conditions injuries production plan finance party_activity population military other".split()
)
UNITS = set(
    "persons percent percentage_points ratio share count tonnes roubles hours days months years items".split()
)
QUALIFIERS = set("exact approximate more_than at_least less_than at_most range".split())
STATUSES = set("observation year date citation footnote_marker label page_number duplicate other".split())
PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
LANG = {"000": "ru", "001": "ru"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", required=True)
    ap.add_argument("--lines", required=True)
    ap.add_argument("--obs", required=True)
    ap.add_argument("--classified")
    ap.add_argument("--dump-mentions")
    ap.add_argument("--sources", default=os.environ.get("SOVIET_FIGURES_SOURCES", str(ROOT.parent / "shared" / "sources")))
    a = ap.parse_args()
    text = (Path(a.sources) / a.doc).read_text(encoding="utf-8")
    lang = LANG.get(a.doc[:3], "en")
    lo, hi = (int(x) for x in a.lines.split("-"))
    measures = {r["id"]: r for r in csv.DictReader(open(ROOT / "datapackage/data/measures.csv", encoding="utf-8"))}
    extra = Path(a.obs).with_suffix("").with_suffix(".measures.jsonl")
    if extra.exists():
        for line in extra.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                measures[r["id"]] = r
    rows = read_worksheet(a.obs) if Path(a.obs).exists() else []
    placed, problems = place_rows(text, lang, rows)
    for r in placed:
        where = f"obs {r['value_text']!r} line {r['line']}"
        if not lo <= r["line"] <= hi:
            problems.append(f"{where}: outside your line range")
        if r.get("topic") not in TOPICS:
            problems.append(f"{where}: topic {r.get('topic')!r} not in {sorted(TOPICS)}")
        m = measures.get(r.get("measure"))
        if m is None:
            problems.append(f"{where}: measure {r.get('measure')!r} undefined (add it to the .measures.jsonl file)")
        elif r.get("unit") not in str(m.get("allowed_units", "")).split("|"):
            problems.append(f"{where}: unit {r.get('unit')!r} not allowed for {m['id']} ({m.get('allowed_units')})")
        if r.get("unit") not in UNITS:
            problems.append(f"{where}: unit {r.get('unit')!r} not in {sorted(UNITS)}")
        if r.get("qualifier") not in QUALIFIERS:
            problems.append(f"{where}: qualifier {r.get('qualifier')!r} not in {sorted(QUALIFIERS)}")
        if r.get("period") and not PERIOD.match(str(r["period"])):
            problems.append(f"{where}: period {r['period']!r} is not ISO 8601 (1936, 1936-01, 1933/1935)")
        if not (20 <= len(r.get("quote", "")) <= 400):
            problems.append(f"{where}: quote must be 20-400 characters")
        for col in ("description", "subject"):
            if not r.get(col):
                problems.append(f"{where}: {col} is empty")
    seen = {}
    for r in placed:
        key = (r["char_start"], r["char_end"])
        if key in seen:
            problems.append(f"obs {r['value_text']!r} line {r['line']}: same span as another row")
        seen[key] = r
    cls = {}
    if a.classified and Path(a.classified).exists():
        for n, line in enumerate(Path(a.classified).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            c = json.loads(line)
            if c.get("status") not in STATUSES - {"observation"}:
                problems.append(f"classified line {n}: status {c.get('status')!r} invalid")
            if c.get("status") == "other" and not c.get("reason"):
                problems.append(f"classified line {n}: status other needs a reason")
            if text[c["start"] : c["start"] + len(c["text"])] != c["text"]:
                problems.append(f"classified line {n}: text {c['text']!r} is not at offset {c['start']}")
            cls[c["start"]] = c
    heads = running_heads(text)
    counts: dict[str, int] = {}
    unclassified = []
    dump = []
    for m in scan(text):
        line = text.count("\n", 0, m.start) + 1
        if not lo <= line <= hi:
            continue
        covering = [r for r in placed if r["char_start"] < m.end and m.start < r["char_end"]]
        rule = classify(text, m, heads)
        if covering:
            status = "observation"
        elif m.start in cls:
            status = cls[m.start]["status"]
        elif rule:
            status = rule[0]
        else:
            status = None
            ctx = text[max(0, m.start - 60) : m.end + 40].replace("\n", " ")
            unclassified.append(f"  start={m.start} line={line} {m.text!r}: ...{ctx}...")
        counts[str(status)] = counts.get(str(status), 0) + 1
        dump.append({"start": m.start, "end": m.end, "line": line, "text": m.text, "kind": m.kind,
                     "status": status, "rule": rule[1] if rule and not covering and m.start not in cls else None,
                     "context": text[max(0, m.start - 70) : m.end + 50].replace("\n", " ")})
    if a.dump_mentions:
        Path(a.dump_mentions).write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dump), encoding="utf-8")
    print(f"observations placed: {len(placed)} of {len(rows)}")
    print(f"mentions in lines {lo}-{hi}: {sum(counts.values())} by status: {dict(sorted(counts.items()))}")
    print(f"problems: {len(problems)}")
    for p in problems:
        print("  " + p)
    print(f"unclassified mentions: {len(unclassified)}")
    for u in unclassified:
        print(u)
    return 1 if problems or unclassified else 0


if __name__ == "__main__":
    raise SystemExit(main())
