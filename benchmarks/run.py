"""Benchmarks, run with one command: ``python benchmarks/run.py [--sources DIR] [--rows N]``.

Reports ratios measured in the same run, on this machine:

* ``python -c "import soviet_figures"`` against ``python -c "import pandas"`` (target ≤ 1.15×);
* ``sf.load("observations")`` against ``pandas.read_csv`` and ``pyarrow.csv.read_csv`` of the
  same file (target ≤ 1.5× pandas);
* ``soviet-figures validate`` of the whole package with the texts (target < 3 s);
* validation of a synthetic observations file of N rows (default 200,000) against
  ``frictionless validate`` on the same file and schema (target ≥ 5× faster).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run_seconds(cmd: list[str], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def synthetic(path: Path, n: int) -> None:
    """n observation rows cycled from the real ones (ids made unique)."""
    with open(ROOT / "datapackage" / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        for i in range(n):
            r = dict(rows[i % len(rows)])
            r["obs_id"] = f"{r['doc_id']}-{i // 10000}-{i % 10000:04d}"
            w.writerow(r)


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
    t_load = best(lambda: sf.load("observations"), 20)
    t_read = best(lambda: pd.read_csv(path), 20)
    t_arrow = best(lambda: pacsv.read_csv(path), 20)
    print(f"sf.load('observations') {t_load*1000:.1f} ms vs pandas.read_csv {t_read*1000:.1f} ms: ratio {t_load/t_read:.2f}; vs pyarrow.csv.read_csv {t_arrow*1000:.1f} ms: ratio {t_load/t_arrow:.2f}")

    sfbin = str(Path(py).parent / "soviet-figures")
    if Path(a.sources).is_dir():
        t_val = run_seconds([sfbin, "validate", "--sources", a.sources], repeat=3)
        print(f"soviet-figures validate --sources (whole package, four layers): {t_val:.2f} s")
    else:
        print("soviet-figures validate: skipped (no source texts)")

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.observations.csv"
        synthetic(big, a.rows)
        schema = Path(tmp) / "observations.schema.json"
        import json

        from soviet_figures import tableschema

        desc = {k: v for k, v in tableschema.load_schema("observations").items() if k != "foreignKeys"}
        schema.write_text(json.dumps(desc), encoding="utf-8")
        env = {**os.environ, "SOVIET_FIGURES_MAX_BYTES": str(2**31)}
        t0 = time.perf_counter()
        ours = subprocess.run([sfbin, "validate", big.name, "--format", "json"], capture_output=True, text=True, cwd=tmp, env=env)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        theirs = subprocess.run([str(Path(py).parent / "frictionless"), "validate", big.name, "--schema", schema.name, "--json"], capture_output=True, text=True, cwd=tmp)
        t_fl = time.perf_counter() - t0
        n_ours = len(json.loads(ours.stdout)["errors"])
        n_theirs = sum(len(t["errors"]) for t in json.loads(theirs.stdout)["tasks"])
        print(f"validate {a.rows:,} synthetic rows ({big.stat().st_size / 1e6:.0f} MB): soviet-figures {t_ours:.2f} s ({n_ours} errors) "
              f"vs frictionless validate {t_fl:.2f} s ({n_theirs} errors): {t_fl/t_ours:.1f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
