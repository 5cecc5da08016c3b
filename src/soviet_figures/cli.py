"""The ``soviet-figures`` command.

  soviet-figures tables                         list the tables with row counts
  soviet-figures show NAME [--rows N]           print the first rows of a table
  soviet-figures validate [CSV ...] [--sources DIR] [--package datapackage.json] [--format text|json|github]
  soviet-figures scan --sources DIR [--doc DOC_ID]   update the mentions ledger
  soviet-figures add WORKSHEET.jsonl --doc DOC_ID --sources DIR   append observations
  soviet-figures classify FILE.jsonl [--doc DOC_ID]   set status/reason of ledger mentions
  soviet-figures pages --sources DIR           fill page from footnote blocks (see documents.page_method)
  soviet-figures init DIR                      start your own package (then use --package DIR/datapackage.json)
  soviet-figures build --out DIR                write a release (deterministic)
  soviet-figures site --out DIR                 a static site: tables, charts, documents, quotes
  soviet-figures derive                         rebuild topic tables, schemas and datapackage.json
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["main"]


def _sources(value: str | None) -> Path | None:
    from ._paths import sources_dir

    return sources_dir(value)


def _required_sources(value: str | None, command: str) -> Path | None:
    """The sources directory a command cannot do without; None (after saying so) if not given."""
    sources = _sources(value)
    if sources is None:
        print(f"error: {command} needs the source texts: --sources DIR or SOVIET_FIGURES_SOURCES", file=sys.stderr)
    return sources


def cmd_tables(args: argparse.Namespace) -> int:
    from .loader import tables

    df = tables()
    width = max(len(n) for n in df["name"])
    for r in df.itertuples():
        print(f"{r.name:<{width}}  {r.rows:>6}  {r.description}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    import pandas as pd

    from .loader import load

    df = load(args.name)
    cols = [c for c in ("obs_id", "subject", "period", "measure", "value_text", "value", "unit", "description") if c in df.columns] or list(df.columns)
    with pd.option_context("display.max_colwidth", 60, "display.width", 200, "display.max_columns", 20):
        print(df[cols].head(args.rows).to_string(index=False))
    print(f"[{len(df)} rows]")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ._paths import datapackage_dir
    from .validate import validate

    descriptor = _PACKAGE if _PACKAGE else datapackage_dir() / "datapackage.json"
    sources = _sources(args.sources)
    if sources is not None and not sources.is_dir():
        print(f"error: --sources {sources} is not a directory", file=sys.stderr)
        return 2
    files = [Path(p) for p in args.paths] or None
    for f in files or []:
        if not f.exists():
            print(f"error: {f}: no such file", file=sys.stderr)
            return 2
    report = validate(descriptor, sources, files, use_frictionless=args.frictionless)
    if args.format == "json":
        print(report.as_json())
    elif args.format == "github":
        print(report.as_github())
    else:
        print(report.as_text())
    return 0 if report.ok else 1


_PACKAGE: Path | None = None  # set by --package: a data package other than the installed one


def _data_dir() -> Path:
    """The data directory the commands read and write (the installed package by default)."""
    from ._paths import datapackage_dir

    return (_PACKAGE.parent if _PACKAGE else datapackage_dir()) / "data"


def _load_package_rows(name: str) -> list[dict[str, str]]:
    from .derive import read_rows

    path = _data_dir() / f"{name}.csv"
    return read_rows(path) if path.exists() else []


def cmd_scan(args: argparse.Namespace) -> int:
    from . import tableschema
    from .derive import write_csv
    from .ledger import ledger_rows
    from .sources import SourceError, read_source

    sources = _required_sources(args.sources, "scan")
    if sources is None:
        return 2
    docs = _load_package_rows("documents")
    if args.doc and args.doc not in {d["doc_id"] for d in docs}:
        print(f"error: unknown doc_id {args.doc!r}; documents: {', '.join(d['doc_id'] for d in docs)}", file=sys.stderr)
        return 2
    observations = _load_package_rows("observations")
    existing = _load_package_rows("mentions")
    out: list[dict[str, object]] = []
    for d in docs:
        mine = [r for r in existing if r["doc_id"] == d["doc_id"]]
        if args.doc and d["doc_id"] != args.doc:
            out.extend(mine)
            continue
        try:
            text = read_source(sources, d["source_file"], d["sha256"])
        except SourceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        obs = [o for o in observations if o["doc_id"] == d["doc_id"] and o["char_start"] and o["char_end"]]
        rows = ledger_rows(d["doc_id"], text, mine, obs)
        dropped = {r["mention_id"] for r in mine} - {r["mention_id"] for r in rows}
        unclassified = sum(1 for r in rows if not r["status"])
        print(f"{d['doc_id']}: {len(rows)} mentions, {unclassified} unclassified" + (f", {len(dropped)} no longer found" if dropped else ""))
        out.extend(rows)
    write_csv(_data_dir() / "mentions.csv", tableschema.field_names("mentions"), out)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from . import tableschema
    from .derive import with_years, write_csv
    from .intake import place_rows, read_worksheet
    from .sources import SourceError, read_source

    sources = _required_sources(args.sources, "add")
    if sources is None:
        return 2
    docs = {d["doc_id"]: d for d in _load_package_rows("documents")}
    if args.doc not in docs:
        print(f"error: unknown doc_id {args.doc!r}; add its documents row first", file=sys.stderr)
        return 2
    doc = docs[args.doc]
    try:
        text = read_source(sources, doc["source_file"], doc["sha256"])
        rows = read_worksheet(args.worksheet)
    except (SourceError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    placed, problems = place_rows(text, doc["language"], rows)
    if problems and not args.force:
        for p in problems:
            print(f"{args.worksheet}: {p}", file=sys.stderr)
        print("nothing added (fix the worksheet, or --force to add the placed rows anyway)", file=sys.stderr)
        return 1
    fields = tableschema.field_names("observations")
    existing = _load_package_rows("observations")
    taken = {(r["doc_id"], r["char_start"], r["char_end"]) for r in existing}
    numbers = [int(r["obs_id"].rsplit("-", 1)[1]) for r in existing if r["doc_id"] == args.doc]
    next_n = max(numbers, default=0) + 1
    added = 0
    for r in sorted(placed, key=lambda r: r["char_start"]):
        if (args.doc, str(r["char_start"]), str(r["char_end"])) in taken:
            print(f"skipped {r['value_text']!r} at line {r['line']}: an observation already has that span", file=sys.stderr)
            continue
        r = {k: ("" if r.get(k) is None else r.get(k)) for k in fields if k in r or k in ("obs_id", "doc_id")}
        r["obs_id"], r["doc_id"] = f"{args.doc}-{next_n:04d}", args.doc
        unknown = [k for k in r if k not in fields]
        if unknown:
            print(f"error: unknown worksheet fields {unknown}", file=sys.stderr)
            return 2
        existing.append({k: str(r.get(k, "")) for k in fields})
        next_n += 1
        added += 1
    write_csv(_data_dir() / "observations.csv", fields, with_years(existing))
    print(f"{args.doc}: {added} observations added; now run soviet-figures scan and soviet-figures derive")
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    import json

    from . import tableschema
    from .derive import write_csv

    ledger = _load_package_rows("mentions")
    by_id = {r["mention_id"]: r for r in ledger}
    by_start = {(r["doc_id"], r["char_start"]): r for r in ledger}
    statuses = set(tableschema.enum("mentions", "status")) - {"observation"}
    problems, changed = [], 0
    for n, line in enumerate(Path(args.file).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        c = json.loads(line)
        row = by_id.get(c.get("mention_id", "")) or by_start.get((args.doc or c.get("doc_id", ""), str(c.get("start", ""))))
        if row is None:
            problems.append(f"line {n}: no mention {c.get('mention_id') or c.get('start')} in the ledger (run scan first)")
        elif c.get("text") is not None and c["text"] != row["text"]:
            problems.append(f"line {n}: text {c['text']!r} differs from the ledger's {row['text']!r}")
        elif c.get("status") not in statuses:
            problems.append(f"line {n}: status {c.get('status')!r} must be one of {sorted(statuses)}")
        elif c["status"] == "other" and not c.get("reason"):
            problems.append(f"line {n}: status other needs a reason")
        elif row["status"] == "observation":
            problems.append(f"line {n}: {row['text']!r} (line {row['line']}) is covered by observation {row['obs_id']}; remove the observation first")
        else:
            row["status"], row["reason"] = c["status"], c.get("reason") or "reviewed"
            changed += 1
    for p in problems:
        print(f"{args.file}: {p}", file=sys.stderr)
    if problems and not args.force:
        print("nothing changed", file=sys.stderr)
        return 1
    write_csv(_data_dir() / "mentions.csv", tableschema.field_names("mentions"), ledger)
    print(f"{changed} mention(s) classified")
    return 0


def cmd_pages(args: argparse.Namespace) -> int:
    from . import tableschema
    from .derive import write_csv
    from .pages import PageError, derive_pages
    from .sources import SourceError, read_source

    sources = _required_sources(args.sources, "pages")
    if sources is None:
        return 2
    observations = _load_package_rows("observations")
    ledger = _load_package_rows("mentions")
    for d in _load_package_rows("documents"):
        mine = [o for o in observations if o["doc_id"] == d["doc_id"]]
        try:
            text = read_source(sources, d["source_file"], d["sha256"])
            pages = derive_pages(text, d, [r for r in ledger if r["doc_id"] == d["doc_id"]], mine)
        except (SourceError, PageError) as exc:
            print(f"error: {d['doc_id']}: {exc}", file=sys.stderr)
            return 1
        if not pages:
            continue
        for o in mine:
            o["page"] = "" if pages[o["obs_id"]] is None else str(pages[o["obs_id"]])
        print(f"{d['doc_id']}: page established for {sum(p is not None for p in pages.values())} of {len(pages)} observations")
    write_csv(_data_dir() / "observations.csv", tableschema.field_names("observations"), observations)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    import json
    import shutil

    from . import tableschema
    from ._paths import datapackage_dir
    from .derive import package_descriptor, write_csv

    out = Path(args.dir)
    if (out / "datapackage.json").exists():
        print(f"error: {out / 'datapackage.json'} exists already; nothing changed", file=sys.stderr)
        return 1
    (out / "data").mkdir(parents=True, exist_ok=True)
    desc = package_descriptor()
    desc["name"], desc["title"] = out.resolve().name.lower().replace(" ", "-") or "my-figures", f"Figures transcribed following soviet-figures {desc['version']}"
    (out / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name in tableschema.table_names():
        if name == "measures":  # the shared vocabulary
            shutil.copyfile(datapackage_dir() / "data" / "measures.csv", out / "data" / "measures.csv")
        else:
            write_csv(out / "data" / f"{name}.csv", tableschema.field_names(name), [])
    print(f"created {out / 'datapackage.json'}: add your documents to data/documents.csv (see CONTRIBUTING.md)")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .release import build

    for path in build(Path(args.out)):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .site import build_site

    pages = build_site(Path(args.out))
    print(f"wrote {len(pages)} pages to {args.out}; open {Path(args.out) / 'index.html'}")
    return 0


def cmd_derive(args: argparse.Namespace) -> int:
    from .derive import derive

    changed = derive(package=_PACKAGE)
    for p in changed:
        print(f"wrote {p}")
    print(f"{len(changed)} derived file(s) changed")
    return 0


def main(argv: list[str] | None = None) -> int:
    from . import __version__

    ap = argparse.ArgumentParser(prog="soviet-figures", description="Figures quoted in five works on Soviet history, 1926-1941.")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    ap.add_argument("--package", dest="global_package", metavar="DATAPACKAGE_JSON", help="work on this data package instead of the installed one (your own transcriptions)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tables", help="list the tables with row counts")
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("show", help="print the first rows of a table")
    p.add_argument("name")
    p.add_argument("--rows", type=int, default=10)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("validate", help="check structure, semantics, provenance and completeness")
    p.add_argument("paths", nargs="*", help="CSV files to check in place of the package's tables")
    p.add_argument("--sources", help="directory of the source texts (else $SOVIET_FIGURES_SOURCES)")
    p.add_argument("--package", help="a datapackage.json following these schemas (default: the installed package)")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("--frictionless", action="store_true", help="also run frictionless's own (row by row) validation of the package")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("scan", help="find numeric mentions and update the ledger, keeping classifications")
    p.add_argument("--sources")
    p.add_argument("--doc", help="only this doc_id")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("add", help="append a worksheet's observations, offsets computed from the text")
    p.add_argument("worksheet")
    p.add_argument("--doc", required=True)
    p.add_argument("--sources")
    p.add_argument("--force", action="store_true", help="add the rows that could be placed despite problems")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("classify", help="classify ledger mentions from a JSON Lines file (status, reason)")
    p.add_argument("file")
    p.add_argument("--doc", help="doc_id for lines that give start offsets instead of mention_id")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("pages", help="fill observations.page from footnote blocks, for documents whose page_method says so")
    p.add_argument("--sources")
    p.set_defaults(func=cmd_pages)

    p = sub.add_parser("init", help="start your own data package following these schemas")
    p.add_argument("dir")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("build", help="write the release: CSV and Parquet zips, SQLite, datapackage.json, SHA256SUMS")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("site", help="write a static, offline site with charts and every figure's quote")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("derive", help="rebuild topic tables, topic schemas and datapackage.json")
    p.set_defaults(func=cmd_derive)

    args = ap.parse_args(argv)
    from .loader import TableError

    global _PACKAGE
    chosen = getattr(args, "package", None) or args.global_package
    _PACKAGE = Path(chosen).resolve() if chosen else None
    if _PACKAGE is not None and not _PACKAGE.is_file():
        print(f"error: --package {chosen}: no such datapackage.json", file=sys.stderr)
        return 2

    try:
        with _without_hypothesis():
            return int(args.func(args))
    except TableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (``validate | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the exit flush cannot fail again
        return 1


@contextmanager
def _without_hypothesis() -> Iterator[None]:
    """Run a command with hypothesis kept from being imported, unless it already is.

    pandera imports hypothesis when it is installed, only to generate data, which no
    command does; in a test environment that import (and the plugins hypothesis loads:
    trio's imports pytest) costs a fifth to a half of a second on every run of the
    validator. Without hypothesis installed, as in a user's ``pip install soviet-figures``,
    nothing changes. A process that has already imported hypothesis (a test session) keeps
    it, and the block is lifted when the command returns.

    >>> import sys
    >>> with _without_hypothesis():
    ...     pass
    >>> sys.modules.get("hypothesis", "importable") is not None  # the block is lifted
    True
    """
    if "hypothesis" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # import hypothesis → ImportError
    try:
        yield
    finally:
        if sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
