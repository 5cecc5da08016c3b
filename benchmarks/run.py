"""Benchmarks, run with one command: ``python benchmarks/run.py [--sources DIR] [--before PATH]``.

Every line is a ratio measured in this one run, on this machine, against what a user gets
from ``pip install soviet-figures``: the command-line tools are timed from a runtime-only
virtualenv, ``benchmarks/.venv-runtime`` (created once with ``python -m venv`` and
``pip install -e <repo root>``, no extras, so no hypothesis; delete it to rebuild). The
measurements, each timed as the median of interleaved runs (the order rotates every round,
so that a slow spell of a shared machine hits every side alike):

1. ``python -c "import soviet_figures"`` against ``python -c "import pandas"``, fresh
   interpreters (target ≤ 1.15×);
2. ``sf.load("observations")`` against ``pandas.read_csv`` of the same file, and against
   ``pyarrow.csv.read_csv`` for information (target ≤ 1.5× pandas);
3. ``soviet-figures validate FILE`` against ``frictionless validate FILE --schema S`` on
   synthetic observation files of ``--rows`` rows (default 200,000), with the same Table
   Schema (target ≥ 5× faster): clean (the real rows repeated, ids and spans made
   unique), clean with no two rows alike, and with an error in every 1,000th row (every
   error frictionless reports must be reported by us too). Both sides check structure and
   schema only, never the source texts: ours runs without ``SOVIET_FIGURES_SOURCES`` and
   without ``--sources``, and the benchmark stops if our report does not say provenance and
   completeness were skipped. Ours also checks the foreign keys and the rules across cells,
   which frictionless does not: the comparison can only be to our disadvantage;
4. ``soviet-figures validate --sources DIR`` (the whole package, all four layers) against
   ``frictionless validate datapackage/datapackage.json`` (structure and schema only), at
   least 7 pairs (target ≤ 1.2×); also, for information, the same command run by the
   interpreter running this script (the development virtualenv, where pandera imports
   hypothesis) on this checkout's code. The texts come from ``--sources``,
   else ``SOVIET_FIGURES_SOURCES``; without them measurement 4
   is reported as skipped, never as passed.

``--before PATH`` adds a column for another checkout (``git worktree add /tmp/sf-before
b5f4fef``): its own runtime virtualenv, ``PATH/.venv-runtime``, is created the same way and
its ``import``, ``sf.load`` and command line are measured in the same rounds (measurement 3
with this checkout's package as context, so that both validate the same rows against the
same tables). ``--pairs N`` sets the rounds of measurements 3 and 4 (default 7; the
imports get at least 15). ``--profile`` then shows where the time of one measurement-4 run
goes: the imports by package (``-X importtime``) and the run by step (cProfile). A run
with ``--before`` takes seven to eight minutes on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import hashlib
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_VENV = ROOT / "benchmarks" / ".venv-runtime"
OBSERVATIONS = ROOT / "datapackage" / "data" / "observations.csv"
VERSIONS = ("soviet-figures", "pandas", "pyarrow", "pandera", "frictionless", "numpy", "hypothesis")


# -- the things timed -------------------------------------------------------------------


@dataclass
class Job:
    """One side of a measurement: a command run in a fresh process, timed each round."""

    name: str
    cmd: list[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    times: list[float] = field(default_factory=list)
    last: subprocess.CompletedProcess[str] | None = None

    def run(self) -> None:
        t = time.perf_counter()
        self.last = subprocess.run(self.cmd, cwd=self.cwd, env=self.env, capture_output=True, text=True)
        self.times.append(time.perf_counter() - t)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def spread(self, unit: float = 1.0, fmt: str = ".2f") -> str:
        return f"median {self.median / unit:{fmt}}, {min(self.times) / unit:{fmt}}–{max(self.times) / unit:{fmt}} over {len(self.times)}"


def interleave(jobs: Sequence[Job], rounds: int, warmup: bool = False) -> None:
    """Run every job once per round, the order rotated by one each round; with ``warmup``, a
    first untimed round (compiled bytecode, the page cache)."""
    if warmup:
        for job in jobs:
            job.run()
            job.times.clear()
    for r in range(rounds):
        k = r % len(jobs)
        for job in [*jobs[k:], *jobs[:k]]:
            job.run()


def interleaved_calls(fns: Sequence[Callable[[], object]], rounds: int) -> list[float]:
    """Median time of each in-process call over ``rounds`` rounds, the order rotated."""
    times: list[list[float]] = [[] for _ in fns]
    for r in range(rounds):
        for i in [(r + j) % len(fns) for j in range(len(fns))]:
            t = time.perf_counter()
            fns[i]()
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


@dataclass
class Row:
    """One line of the results table: ours against theirs, and the target."""

    what: str
    ours: str
    theirs: str
    ratio: float | None  # ours / theirs, or theirs / ours with ``faster``
    target: float | None = None
    faster: bool = False
    before: str = ""
    note: str = ""

    def met(self, ratio: float | None = None) -> str:
        ratio = self.ratio if ratio is None else ratio
        if ratio is None:
            return "skipped"
        if self.target is None:
            return "(information)"
        ok = ratio >= self.target if self.faster else ratio <= self.target
        return "met" if ok else "NOT MET"

    def shown(self, ratio: float | None = None) -> str:
        ratio = self.ratio if ratio is None else ratio
        if ratio is None:
            return "—"
        return f"{ratio:.2f}× faster" if self.faster else f"{ratio:.2f}×"

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        return f"≥ {self.target:g}× faster" if self.faster else f"≤ {self.target:g}×"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def s(seconds: float) -> str:
    return f"{seconds:.2f} s"


# -- the environment --------------------------------------------------------------------


def runtime_venv(checkout: Path, venv: Path) -> Path:
    """The ``bin`` directory of a runtime-only virtualenv with ``checkout`` installed
    (editable, no extras), created or brought up to date with its ``pyproject.toml``."""
    stamp = venv / ".installed-pyproject-sha256"
    want = hashlib.sha256((checkout / "pyproject.toml").read_bytes()).hexdigest()
    if not (venv / "bin" / "python").exists():
        print(f"creating {venv} (python -m venv)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not stamp.exists() or stamp.read_text() != want:
        print(f"installing {checkout} into {venv} (pip install -e, no extras)", flush=True)
        pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", str(checkout)], capture_output=True, text=True)
        if pip.returncode:
            raise SystemExit(f"pip install -e {checkout} failed:\n{pip.stdout}{pip.stderr}")
        stamp.write_text(want)
    return venv / "bin"


def versions(python: Path | str) -> dict[str, str]:
    code = "import importlib.metadata as m, json, sys\nv = {}\nfor d in sys.argv[1:]:\n    try: v[d] = m.version(d)\n    except m.PackageNotFoundError: v[d] = 'not installed'\nprint(json.dumps(v))"
    out = subprocess.run([str(python), "-c", code, *VERSIONS], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name"))
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.machine()}, {platform.platform()}, Python {platform.python_version()}"


def checkout_state(path: Path) -> str:
    """The commit of a checkout and whether its code or data differ from it (read-only git)."""
    git = ["git", "--no-optional-locks", "-C", str(path)]
    head = subprocess.run([*git, "log", "-1", "--format=%h (%cd)", "--date=iso"], capture_output=True, text=True).stdout.strip()
    if not head:
        return "not a git checkout (an export: say which commit it is)"
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "src", "schemas", "datapackage"], capture_output=True, text=True).stdout.split("\n")
    changed = [line[3:] for line in dirty if line.strip()]
    return head + (f"; working tree differs in {', '.join(changed)}" if changed else "; working tree clean (src, schemas, datapackage)")


def without_texts() -> dict[str, str]:
    """This environment without the variables that would change what is checked, or how the
    command line runs as a user gets it (``ARROW_DEFAULT_MEMORY_POOL`` would override the
    allocator it chooses)."""
    return {k: v for k, v in os.environ.items() if k not in ("SOVIET_FIGURES_SOURCES", "PYTHONPATH", "ARROW_DEFAULT_MEMORY_POOL")}


# -- measurement 2 and the profile, run inside the venv's own interpreter ---------------


def child_load(rounds: int) -> None:
    """Print the medians of sf.load, pandas.read_csv and pyarrow.csv.read_csv (JSON)."""
    import pandas as pd
    import pyarrow.csv as pacsv

    import soviet_figures as sf
    from soviet_figures._paths import datapackage_dir

    path = datapackage_dir() / "data" / "observations.csv"
    sf.load("observations")  # the schema cache is warm, as in a session
    load, read, arrow = interleaved_calls([lambda: sf.load("observations"), lambda: pd.read_csv(path), lambda: pacsv.read_csv(path)], rounds)
    print(json.dumps({"load": load, "read_csv": read, "arrow": arrow, "rows": len(sf.load("observations"))}))


def child_profile(out: str, sources: str) -> None:
    """Import the command line (timed), then run ``validate --sources`` under cProfile."""
    t = time.perf_counter()
    from soviet_figures import cli

    imported = time.perf_counter() - t
    profile = cProfile.Profile()
    t = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        stdout, sys.stdout = sys.stdout, devnull
        try:
            profile.runcall(cli.main, ["validate", "--sources", sources])
        finally:
            sys.stdout = stdout
    ran = time.perf_counter() - t
    profile.dump_stats(out)
    print(json.dumps({"import": imported, "run": ran}))


# -- the measurements -------------------------------------------------------------------


def measure_imports(py: Path, before_py: Path | None, rounds: int) -> list[Row]:
    ours = Job("import soviet_figures", [str(py), "-c", "import soviet_figures"])
    theirs = Job("import pandas", [str(py), "-c", "import pandas"])
    bare = Job("python itself", [str(py), "-c", "pass"])
    jobs = [ours, theirs, bare]
    old = Job("before: import soviet_figures", [str(before_py), "-c", "import soviet_figures"]) if before_py else None
    if old:
        jobs.append(old)
    interleave(jobs, rounds, warmup=True)
    for job in jobs:
        print(f"  {job.name}: {job.spread(1e-3, '.0f')} ms")
    row = Row("1. import soviet_figures vs import pandas", ms(ours.median), ms(theirs.median), ours.median / theirs.median, 1.15)
    if old:
        row.before = f"{ms(old.median)}: {row.shown(old.median / theirs.median)} ({row.met(old.median / theirs.median)})"
    return [row]


def measure_load(py: Path, before_py: Path | None, rounds: int) -> list[Row]:
    def child(python: Path) -> dict[str, float]:
        out = subprocess.run([str(python), __file__, "--child-load", str(rounds)], capture_output=True, text=True, check=True, env=without_texts())
        return json.loads(out.stdout)

    new = child(py)
    old = child(before_py) if before_py else None
    print(f"  sf.load {ms(new['load'])}, pandas.read_csv {ms(new['read_csv'])}, pyarrow.csv.read_csv {ms(new['arrow'])} ({new['rows']} rows; medians of {rounds} rounds)")
    rows = [
        Row("2. sf.load(\"observations\") vs pandas.read_csv", ms(new["load"]), ms(new["read_csv"]), new["load"] / new["read_csv"], 1.5),
        Row("   sf.load(\"observations\") vs pyarrow.csv.read_csv", ms(new["load"]), ms(new["arrow"]), new["load"] / new["arrow"]),
    ]
    if old:
        print(f"  before: sf.load {ms(old['load'])}, pandas.read_csv {ms(old['read_csv'])}, pyarrow.csv.read_csv {ms(old['arrow'])} ({old['rows']} rows)")
        for row, key in zip(rows, ("read_csv", "arrow")):
            ratio = old["load"] / old[key]
            row.before = f"{ms(old['load'])} vs {ms(old[key])}: {row.shown(ratio)} ({row.met(ratio)})"
    return rows


def synthetic(path: Path, n: int, corrupt_every: int = 0, distinct: bool = False) -> None:
    """n observation rows cycled from the real ones (ids made unique, and each copy's span
    moved past the texts' ends, so that no two rows claim the same words); with
    ``corrupt_every``, every such row gets one error frictionless also finds (a type, a
    vocabulary, a required cell, a range, a pattern), in turn; with ``distinct``, every quote
    ends in its row number, so that no two rows are alike."""
    import csv

    with open(OBSERVATIONS, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    assert fields is not None
    corruptions = [("value", "12x"), ("qualifier", "roughly"), ("doc_id", ""), ("year_start", "1700"), ("obs_id", "BAD ID {i}")]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        for i in range(n):
            r = dict(rows[i % len(rows)])
            r["obs_id"] = f"{r['doc_id']}-{i // 10000}-{i % 10000:04d}"
            for column in ("char_start", "char_end"):
                if r[column].isdigit():
                    r[column] = str(int(r[column]) + (i // len(rows)) * 10**7)
            if distinct:
                r["quote"] += f" [{i}]"
            if corrupt_every and i % corrupt_every == corrupt_every - 1:
                column, bad = corruptions[(i // corrupt_every) % len(corruptions)]
                r[column] = bad.format(i=i)
            w.writerow(r)


def error_cells(ours: str, theirs: str) -> tuple[int, int, int, dict[str, str]]:
    """Error counts (ours, frictionless's), how many of frictionless's cells we do not flag,
    and our layers; frictionless's rows count the header, and a row error (no field) needs
    any of ours on that row."""
    report = json.loads(ours)
    mine = {(e["row"], e["column"]) for e in report["errors"] if e["row"] is not None}
    found = {(e["rowNumber"] - 1, e.get("fieldName")) for t in json.loads(theirs)["tasks"] for e in t["errors"] if e.get("rowNumber")}
    rows = {row for row, _ in mine}
    missed = [c for c in found if c not in mine and not (c[1] is None and c[0] in rows)]
    return len(report["errors"]), len(found), len(missed), report["layers"]


def layer_summary(layers: dict[str, str]) -> str:
    return ", ".join(f"{k} {v.split(':')[0]}" for k, v in layers.items())


def schema_summary(schema: dict) -> str:
    from collections import Counter

    types = Counter(f.get("type", "string") for f in schema["fields"])
    constraints = Counter(k for f in schema["fields"] for k in f.get("constraints", {}))
    return (f"{len(schema['fields'])} fields ({', '.join(f'{n} {t}' for t, n in types.most_common())}); "
            f"constraints {', '.join(f'{k} ×{n}' for k, n in constraints.most_common())}; primaryKey {schema.get('primaryKey')}")


def measure_synthetic(bins: Path, before_bins: Path | None, n: int, rounds: int) -> list[Row]:
    schema = json.loads((ROOT / "schemas" / "observations.schema.json").read_text(encoding="utf-8"))
    foreign = [fk["fields"][0] for fk in schema.pop("foreignKeys", [])]
    env = {**without_texts(), "SOVIET_FIGURES_MAX_BYTES": str(2**31)}
    print("  what each side checks (no source texts on either side):")
    print(f"  - frictionless validate FILE --schema observations.schema.json --json: bytes and encoding, header, row shape, "
          f"each cell's type and constraints, primary key; the schema: {schema_summary(schema)}; "
          f"foreignKeys removed ({', '.join(foreign)}: frictionless cannot resolve them for a lone file)")
    print("  - soviet-figures validate FILE --format json, environment without SOVIET_FIGURES_SOURCES, no --sources: layer 1 "
          "structure (bytes and encoding, header, row shape, primary and unique keys, foreign keys against the package's other "
          "tables) and layer 2 semantics (pandera's checks of the same Table Schema, and the rules across cells and rows); "
          "layers 3 and 4 need the texts and must report skipped (checked below). Ours checks more than frictionless, never less.")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "observations.schema.json").write_text(json.dumps(schema), encoding="utf-8")
        for label, corrupt_every, distinct in (("clean", 0, False), ("clean, no two rows alike", 0, True), ("an error every 1,000th row", 1000, False)):
            big = Path(tmp) / f"big-{corrupt_every}-{int(distinct)}.observations.csv"
            synthetic(big, n, corrupt_every, distinct)
            ours = Job("soviet-figures", [str(bins / "soviet-figures"), "validate", big.name, "--format", "json"], Path(tmp), env)
            theirs = Job("frictionless", [str(bins / "frictionless"), "validate", big.name, "--schema", "observations.schema.json", "--json"], Path(tmp), env)
            jobs = [ours, theirs]
            old = None
            if before_bins:  # the same file; this checkout's package as the context tables
                old = Job("before", [str(before_bins / "soviet-figures"), "validate", big.name, "--format", "json", "--package", str(ROOT / "datapackage" / "datapackage.json")], Path(tmp), env)
                jobs.append(old)
            interleave(jobs, rounds)
            assert ours.last is not None and theirs.last is not None
            n_ours, n_theirs, missed, layers = error_cells(ours.last.stdout, theirs.last.stdout)
            if not all(layers[layer].startswith("skipped") for layer in ("provenance", "completeness")):
                raise SystemExit(f"measurement 3 is not structure and schema only: our layers were {layers}")
            print(f"  {n:,} rows, {label} ({big.stat().st_size / 1e6:.0f} MB):")
            print(f"    ours: {ours.spread()} s; layers {layer_summary(layers)}; {n_ours} errors")
            print(f"    frictionless: {theirs.spread()} s; {n_theirs} errors; every one reported by us too: {'yes' if not missed else f'NO, {missed} missed'}")
            row = Row(f"3. validate {n:,} rows, {label}", s(ours.median), s(theirs.median), theirs.median / ours.median, 5, faster=True,
                      note=f"errors {n_ours} vs {n_theirs}" + ("" if not missed else f", {missed} MISSED"))
            if old and old.last is not None:
                o_ours, _, o_missed, o_layers = error_cells(old.last.stdout, theirs.last.stdout)
                print(f"    before: {old.spread()} s; layers {layer_summary(o_layers)}; {o_ours} errors; "
                      f"every frictionless error reported: {'yes' if not o_missed else f'NO, {o_missed} missed'}")
                ratio = theirs.median / old.median
                row.before = f"{s(old.median)}: {row.shown(ratio)} ({row.met(ratio)})"
            rows.append(row)
    return rows


def outcome(job: Job) -> str:
    """The last line of a validation's output, for the record (valid or how many errors)."""
    assert job.last is not None
    lines = [line for line in job.last.stdout.splitlines() if line.strip()]
    if job.name.startswith("frictionless"):
        return "valid" if job.last.returncode == 0 else "INVALID"
    return lines[-1].replace("result", "").strip() if lines else f"exit {job.last.returncode}"


def measure_package(bins: Path, dev_python: str | None, before: Path | None, before_bins: Path | None, sources: Path | None, rounds: int) -> list[Row]:
    title = "4. validate --sources, whole package, vs frictionless validate datapackage.json"
    if sources is None:
        print("  skipped: no source texts (give --sources DIR or set SOVIET_FIGURES_SOURCES)")
        return [Row(title, "skipped", "—", None, 1.2, note="no source texts")]
    env = without_texts()
    ours = Job("soviet-figures (runtime venv)", [str(bins / "soviet-figures"), "validate", "--sources", str(sources)], ROOT, env)
    theirs = Job("frictionless", [str(bins / "frictionless"), "validate", "datapackage/datapackage.json"], ROOT, env)
    jobs = [ours, theirs]
    dev = old = old_theirs = None
    if dev_python:  # this interpreter's packages (hypothesis among them), this checkout's code
        main = "import sys; from soviet_figures.cli import main; sys.exit(main(sys.argv[1:]))"
        dev = Job("soviet-figures (development venv, hypothesis installed)", [dev_python, "-c", main, "validate", "--sources", str(sources)], ROOT, {**env, "PYTHONPATH": str(ROOT / "src")})
        jobs.append(dev)
    if before and before_bins:
        old = Job("before: soviet-figures", [str(before_bins / "soviet-figures"), "validate", "--sources", str(sources)], before, env)
        old_theirs = Job("frictionless, before's package", [str(before_bins / "frictionless"), "validate", "datapackage/datapackage.json"], before, env)
        jobs += [old, old_theirs]
    print(f"  ours: soviet-figures validate --sources {sources} (structure, semantics, provenance, completeness); "
          "theirs: frictionless validate datapackage/datapackage.json (each table's bytes, header, row shape, types, constraints, primary and foreign keys)")
    interleave(jobs, rounds, warmup=True)
    for job in jobs:
        print(f"  {job.name}: {job.spread()} s; {outcome(job)}")
    rows = [Row(title, s(ours.median), s(theirs.median), ours.median / theirs.median, 1.2, note=f"ours: {outcome(ours)}")]
    if old and old_theirs:
        ratio = old.median / old_theirs.median
        rows[0].before = f"{s(old.median)} vs {s(old_theirs.median)}: {rows[0].shown(ratio)} ({rows[0].met(ratio)})"
    if dev:
        rows.append(Row("   the same, development venv (hypothesis installed; information)", s(dev.median), s(theirs.median), dev.median / theirs.median))
    return rows


# what the validator's steps are, by the function the runner calls (runner.validate and
# runner._text_layers): each direct call's time goes to one part, so the parts add up
PARTS = {
    "read_package": "structure: read and parse every table", "_read_files": "structure: read and parse every table",
    "resource_paths": "structure: read and parse every table", "check_keys": "structure: keys",
    "schema_issues": "semantics: pandera schemas", "cell_issues": "semantics: rules", "row_issues": "semantics: rules",
    "duplicate_span_issues": "semantics: rules", "_derived_issues": "semantics: topic tables and descriptor re-derived",
    "scan": "scanning the texts (text.scanner.scan)", "check_rows": "provenance: quotes, offsets, spans",
    "span_issues": "provenance: quotes, offsets, spans", "_page_issues": "provenance: pages from footnote blocks",
    "read_source": "texts read and hashed", "check_document": "completeness: the ledger against the scanner's mentions",
    "_records": "rows as Python records, per document", "<listcomp>": "rows as Python records, per document",
    "<dictcomp>": "rows as Python records, per document",
}


def profile(bins: Path, sources: Path) -> None:
    """Where one measurement-4 run's time goes: the imports (``-X importtime``, by package)
    and the run itself (cProfile; each call the runner makes, attributed to one part)."""
    py = str(bins / "python")
    print("\nwhere the time of `soviet-figures validate --sources` goes (one run, runtime venv):")
    imports = subprocess.run([py, "-X", "importtime", "-c", "import soviet_figures.cli"], capture_output=True, text=True, env=without_texts()).stderr
    by_package: dict[str, int] = {}
    for line in imports.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, _, name = line[len("import time:"):].split("|")
            top = name.strip().split(".")[0]
            by_package[top] = by_package.get(top, 0) + int(own)
    total = sum(by_package.values())
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:8]
    print(f"  import soviet_figures.cli (-X importtime, self times by package): {total / 1e6:.2f} s: " + ", ".join(f"{k} {v / 1e6:.2f}" for k, v in top))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "validate.prof"
        wall = json.loads(subprocess.run([py, __file__, "--child-profile", str(out), str(sources)], capture_output=True, text=True, check=True, env=without_texts(), cwd=ROOT).stdout)
        stats = pstats.Stats(str(out)).stats
    parts: dict[str, float] = {}
    validate_total = 0.0
    for (filename, _, func), (_, _, _, ct, callers) in stats.items():
        if filename.replace(os.sep, "/").endswith("soviet_figures/cli.py") and func == "cmd_validate":
            validate_total = ct
        for (caller_file, _, caller), (_, _, _, caller_ct) in callers.items():
            if caller_file.replace(os.sep, "/").endswith("validate/runner.py") and caller in ("validate", "_text_layers") and func != "_text_layers":
                part = PARTS.get(func, f"other: {func}")
                parts[part] = parts.get(part, 0.0) + caller_ct
    print(f"  wall: import of the command line {wall['import']:.2f} s, then the run {wall['run']:.2f} s under cProfile "
          "(cProfile slows Python-heavy code most: read the shares, not the seconds):")
    others = sorted((k for k in parts if k.startswith("other: ") and parts[k] >= 0.01), key=lambda k: -parts[k])
    named = [k for k in dict.fromkeys(PARTS.values()) if k in parts]
    for part in named:
        print(f"    {part:<58} {parts[part]:6.2f} s  {100 * parts[part] / wall['run']:4.0f}%")
    rest = wall["run"] - sum(parts.get(k, 0.0) for k in named)
    print(f"    {'the rest (' + ''.join(k[7:] + ', ' for k in others[:3]) + 'the CLI, printing)':<58} {rest:6.2f} s  {100 * rest / wall['run']:4.0f}%")
    if validate_total:
        print(f"    (the command's validate took {validate_total:.2f} s of the {wall['run']:.2f} s)")


# -- main -------------------------------------------------------------------------------


def print_table(rows: list[Row], before: bool) -> None:
    head = ["measurement", "ours", "theirs", "ratio", "target", "result", *(["before (ours vs theirs: ratio)"] if before else []), "note"]
    lines = [[r.what, r.ours, r.theirs, r.shown(), r.target_text(), r.met(), *([r.before or "—"] if before else []), r.note] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    for line in [head, ["-" * w for w in widths], *lines]:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())


def default_sources() -> str | None:
    return os.environ.get("SOVIET_FIGURES_SOURCES") or None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sources", default=default_sources(), help="the source texts (else $SOVIET_FIGURES_SOURCES)")
    ap.add_argument("--before", type=Path, help="another checkout (e.g. a git worktree of b5f4fef) measured alongside, with its own PATH/.venv-runtime")
    ap.add_argument("--rows", type=int, default=200_000, help="rows of the synthetic files (measurement 3)")
    ap.add_argument("--pairs", type=int, default=7, help="rounds of measurements 3 and 4 (at least 7 for the record)")
    ap.add_argument("--profile", action="store_true", help="also profile one run of measurement 4")
    ap.add_argument("--child-load", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-profile", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_load:
        child_load(a.child_load)
        return 0
    if a.child_profile:
        child_profile(*a.child_profile)
        return 0

    started = time.perf_counter()
    sources = Path(a.sources) if a.sources and Path(a.sources).is_dir() else None
    bins = runtime_venv(ROOT, RUNTIME_VENV)
    before_bins = runtime_venv(a.before.resolve(), a.before.resolve() / ".venv-runtime") if a.before else None
    dev = versions(sys.executable)
    dev_python = sys.executable if "not installed" not in (dev["pandera"], dev["frictionless"]) else None

    print(f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: python {' '.join(sys.argv)}")
    print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"measured: {ROOT}, commit {checkout_state(ROOT)}")
    if a.before:
        print(f"before:   {a.before}, commit {checkout_state(a.before)}")
    for label, python in (("runtime venv", bins / "python"), ("before's runtime venv", before_bins / "python" if before_bins else None)):
        if python:
            v = versions(python)
            print(f"{label} ({python}): " + ", ".join(f"{k} {v[k]}" for k in VERSIONS))
            if v["hypothesis"] != "not installed":
                print(f"  WARNING: hypothesis is installed in {python.parent.parent}; a user's install has none")
    print(f"this interpreter ({sys.executable}; the information line of measurement 4, with {ROOT / 'src'} first on the path): " + ", ".join(f"{k} {dev[k]}" for k in VERSIONS[1:]))
    print(f"source texts: {sources or 'none (measurement 4 skipped)'}\n")

    rows: list[Row] = []
    print("1. import, fresh interpreters of the runtime venv:", flush=True)
    rows += measure_imports(bins / "python", before_bins / "python" if before_bins else None, max(15, a.pairs))
    print("2. sf.load('observations') vs the readers, in the runtime venv's interpreter:", flush=True)
    rows += measure_load(bins / "python", before_bins / "python" if before_bins else None, 500)
    print(f"4. the whole package, {a.pairs} rounds:", flush=True)
    package_rows = measure_package(bins, dev_python, a.before.resolve() if a.before else None, before_bins, sources, a.pairs)
    print(f"3. {a.rows:,} synthetic observation rows, {a.pairs} rounds:", flush=True)
    rows += measure_synthetic(bins, before_bins, a.rows, a.pairs)
    rows += package_rows

    print(f"\nresults (medians; load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {time.perf_counter() - started:.0f} s):")
    print_table(rows, before=bool(a.before))
    if a.profile and sources:
        profile(bins, sources)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
