"""Benchmarks, run with one command: ``python benchmarks/run.py [--sources DIR] [--rows N]``.

Reports ratios measured in the same run, on this machine:

* ``python -c "import soviet_figures"`` against ``python -c "import pandas"`` (target ≤ 1.15×);
* ``sf.load("observations")`` against ``pandas.read_csv`` and ``pyarrow.csv.read_csv`` of the
  same file (target ≤ 1.5× pandas);
* ``soviet-figures validate`` of the whole package with the texts (target < 3 s);
* validation of a synthetic observations file of N rows (default 200,000) against
  ``frictionless validate`` on the same file and schema (target ≥ 5× faster): clean (the
  real rows repeated), clean with no two rows alike, and with an error in every 1,000th row
  (every error frictionless reports must be reported).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_seconds(cmd: list[str], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def synthetic(path: Path, n: int, corrupt_every: int = 0, distinct: bool = False) -> None:
    """n observation rows cycled from the real ones (ids made unique); with ``corrupt_every``,
    every such row gets one error frictionless also finds (a type, a vocabulary, a required
    cell, a range, a pattern), in turn; with ``distinct``, every quote ends in its row number,
    so that no two rows are alike."""
    with open(ROOT / "datapackage" / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    corruptions = [("value", "12x"), ("qualifier", "roughly"), ("doc_id", ""), ("year_start", "1700"), ("obs_id", "BAD ID {i}")]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        for i in range(n):
            r = dict(rows[i % len(rows)])
            r["obs_id"] = f"{r['doc_id']}-{i // 10000}-{i % 10000:04d}"
            if distinct:
                r["quote"] += f" [{i}]"
            if corrupt_every and i % corrupt_every == corrupt_every - 1:
                column, bad = corruptions[(i // corrupt_every) % len(corruptions)]
                r[column] = bad.format(i=i)
            w.writerow(r)


def missed_errors(ours: str, theirs: str) -> tuple[int, int, int]:
    """Error counts (ours, frictionless's) and how many of frictionless's cells we do not
    flag; frictionless's rows count the header, and a row error (no field) needs any of ours
    on that row."""
    import json

    mine = [(e["row"], e["column"]) for e in json.loads(ours)["errors"] if e["row"] is not None]
    found = {(e["rowNumber"] - 1, e.get("fieldName")) for t in json.loads(theirs)["tasks"] for e in t["errors"] if e.get("rowNumber")}
    rows = {row for row, _ in mine}
    missed = [c for c in found if c not in set(mine) and not (c[1] is None and c[0] in rows)]
    return len(mine), len(found), len(missed)


def interleaved_best(fns: list, repeat: int) -> list[float]:
    """Best time of each function over ``repeat`` rounds that call them in turn (so that a
    slow spell of a shared machine hits them alike; such a machine only ever adds time, so
    the best run is the least disturbed)."""
    best_times = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best_times[i] = min(best_times[i], time.perf_counter() - t)
    return best_times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", default=os.environ.get("SOVIET_FIGURES_SOURCES", str(ROOT.parent / "shared" / "sources")))
    ap.add_argument("--rows", type=int, default=200_000)
    a = ap.parse_args()
    py = sys.executable
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")

    t_pandas = run_seconds([py, "-c", "import pandas"])
    t_sf = run_seconds([py, "-c", "import soviet_figures"])
    t_base = run_seconds([py, "-c", "pass"])
    print(f"import soviet_figures {t_sf*1000:.0f} ms vs import pandas {t_pandas*1000:.0f} ms (python itself {t_base*1000:.0f} ms): ratio {t_sf/t_pandas:.2f}")

    import pandas as pd
    import pyarrow.csv as pacsv

    import soviet_figures as sf

    path = ROOT / "datapackage" / "data" / "observations.csv"
    sf.load("observations")  # warm the schema cache, as a session would
    t_load, t_read, t_arrow = interleaved_best([lambda: sf.load("observations"), lambda: pd.read_csv(path), lambda: pacsv.read_csv(path)], 100)
    print(f"sf.load('observations') {t_load*1000:.1f} ms vs pandas.read_csv {t_read*1000:.1f} ms: ratio {t_load/t_read:.2f}; vs pyarrow.csv.read_csv {t_arrow*1000:.1f} ms: ratio {t_load/t_arrow:.2f}")

    sfbin = str(Path(py).parent / "soviet-figures")
    if Path(a.sources).is_dir():
        t_val = run_seconds([sfbin, "validate", "--sources", a.sources], repeat=3)
        print(f"soviet-figures validate --sources (whole package, four layers): {t_val:.2f} s")
    else:
        print("soviet-figures validate: skipped (no source texts)")

    with tempfile.TemporaryDirectory() as tmp:
        import json

        from soviet_figures import tableschema

        schema = Path(tmp) / "observations.schema.json"
        desc = {k: v for k, v in tableschema.load_schema("observations").items() if k != "foreignKeys"}
        schema.write_text(json.dumps(desc), encoding="utf-8")
        env = {**os.environ, "SOVIET_FIGURES_MAX_BYTES": str(2**31)}
        frictionless = str(Path(py).parent / "frictionless")
        for label, corrupt_every, distinct in (("clean", 0, False), ("clean, no two rows alike", 0, True), ("with errors", 1000, False)):
            big = Path(tmp) / f"big-{corrupt_every}-{distinct}.observations.csv"
            synthetic(big, a.rows, corrupt_every, distinct)
            done: dict[str, subprocess.CompletedProcess] = {}

            def run(key: str, cmd: list[str], **kwargs) -> None:
                done[key] = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, **kwargs)

            t_ours, t_fl = interleaved_best([
                lambda: run("ours", [sfbin, "validate", big.name, "--format", "json"], env=env),
                lambda: run("theirs", [frictionless, "validate", big.name, "--schema", schema.name, "--json"]),
            ], 5)
            ours, theirs = done["ours"], done["theirs"]
            n_ours, n_theirs, missed = missed_errors(ours.stdout, theirs.stdout)
            print(f"validate {a.rows:,} synthetic rows, {label} ({big.stat().st_size / 1e6:.0f} MB): soviet-figures {t_ours:.2f} s "
                  f"vs frictionless validate {t_fl:.2f} s (best of 5 runs each, in turn): {t_fl / t_ours:.1f}x faster; "
                  f"errors {n_ours} vs {n_theirs}, every frictionless error reported too: {'yes' if not missed else f'NO, {missed} missed'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
