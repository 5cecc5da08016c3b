"""The ``soviet-figures`` command: parse the arguments, call one function, print, and map
errors to exit codes (0 done, 1 refused or invalid, 2 usage). Every refusal is a
:class:`~soviet_figures.errors.SovietFiguresError` printed as one message, never a traceback.

  soviet-figures tables                         list the tables with row counts
  soviet-figures show NAME [--rows N] [--columns a,b,c]   print the first rows of a table
  soviet-figures export NAME --format csv|parquet|json [--out FILE] [--filter COLUMN=VALUE ...] [--release PATH]
  soviet-figures validate [CSV ...] [--sources DIR] [--package datapackage.json] [--format text|json|github]
  soviet-figures scan --sources DIR [--doc DOC_ID]   update the mentions ledger
  soviet-figures add WORKSHEET.jsonl --doc DOC_ID --sources DIR   append observations
  soviet-figures classify FILE.jsonl [--doc DOC_ID]   set status/reason of ledger mentions
  soviet-figures pages --sources DIR           fill page from footnote blocks (see documents.page_method)
  soviet-figures init DIR                      start your own package (then use --package DIR/datapackage.json)
  soviet-figures build --out DIR                write a release (deterministic)
  soviet-figures fetch VERSION [--list]         download a published release into the cache, hashes checked
  soviet-figures site --out DIR                 a static site: tables, charts, documents, quotes
  soviet-figures derive                         rebuild topic tables, schemas and datapackage.json
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import pyarrow as pa

from . import __version__, tableschema
from ._paths import datapackage_dir, sources_dir
from .errors import PackageError, SovietFiguresError
from .intake import add_worksheet
from .io import EXPORT_FORMATS
from .io.package import Package, init_package
from .ledger import classify_mentions, rescan
from .validate import validate
from .validate.runner import find_package

__all__ = ["main"]


class UsageError(SovietFiguresError):
    """The command line asks for something that cannot be (exit 2)."""


def _sources(value: str | None, command: str, required: bool) -> Path | None:
    """The sources directory (``--sources``, else ``SOVIET_FIGURES_SOURCES``)."""
    sources = sources_dir(value)
    if sources is None and required:
        raise UsageError(f"{command} needs the source texts: give --sources DIR or set SOVIET_FIGURES_SOURCES")
    if sources is not None and not sources.is_dir():
        raise UsageError(f"--sources {sources}: expected the directory of the source texts, found {'a file' if sources.is_file() else 'something else' if os.path.lexists(sources) else 'nothing'}")
    return sources


def cmd_tables(args: argparse.Namespace, pkg: Package) -> int:
    width = max(len(n) for n in tableschema.table_names())
    counts = {name: len(pkg.rows(name, strict=False)) for name in tableschema.table_names()}  # every table read before anything is printed
    for name, n in counts.items():
        print(f"{name:<{width}}  {n:>6}  {tableschema.load_schema(name).get('description', '')}")
    return 0


def cmd_show(args: argparse.Namespace, pkg: Package) -> int:
    from .exporting import check_table, table_preview  # imported here: the loader, releases and Parquet, which validate does not need (0.04 s)
    from .loader import read_table  # imported here: the loader, releases and Parquet, which validate does not need (0.04 s)

    check_table(args.name)
    if args.rows < 0:
        raise UsageError(f"--rows {args.rows}: expected a number of rows, 0 or more (every row: soviet-figures export {args.name} --format csv)")
    columns = [c.strip() for c in args.columns.split(",")] if args.columns is not None else None
    if columns is not None and not all(columns):
        raise UsageError(f"--columns {args.columns!r}: expected column names separated by commas, e.g. --columns {','.join(tableschema.field_names(args.name)[:3])}")
    print(table_preview(args.name, read_table(args.name, pkg.path(args.name)), args.rows, columns))
    return 0


def cmd_export(args: argparse.Namespace, pkg: Package) -> int:
    from .exporting import check_table, export_table, typed_filters, write_export  # imported here: the loader, releases and Parquet, which validate does not need (0.04 s)

    check_table(args.name)
    if not pkg.installed and args.release is None:
        raise UsageError(f"export reads the installed package or a release, not --package {pkg.descriptor}: "
                         "build a release of your package (soviet-figures --package ... build --out DIR), then export --release DIR")
    if args.out is None and args.format == "parquet" and sys.stdout.isatty():
        raise UsageError("--format parquet is binary: expected --out FILE or a pipe (| ...), found a terminal; nothing was written")
    with warnings.catch_warnings(record=True) as caught:  # a filter that keeps no row: said on stderr, the export still made
        warnings.simplefilter("always")
        data = export_table(args.name, args.format, typed_filters(args.name, args.filter), args.release)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    if args.out is None:
        _write_stdout(data, binary=args.format == "parquet")
        return 0
    protected = [pkg.descriptor.parent] + ([Path(args.release)] if args.release else [])  # nothing exported over the tables read
    path = write_export(data, args.out, protected)
    print(f"wrote {path} ({len(data):,} bytes)")
    return 0


def _write_stdout(data: bytes, binary: bool) -> None:
    """``data`` on standard output: as bytes when it has a binary buffer (a pipe, a file),
    else as text (``contextlib.redirect_stdout``), where binary data is refused."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        if binary:
            raise UsageError("--format parquet is binary, but standard output takes only text here; give --out FILE")
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _filter_argument(text: str) -> tuple[str, str]:
    """``COLUMN=VALUE`` split at the first ``=`` (the value may hold more)."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: expected COLUMN=VALUE, e.g. --filter doc_id=fitzpatrick-1979")
    return column.strip(), value


def cmd_validate(args: argparse.Namespace, pkg: Package | None) -> int:
    sources = _sources(args.sources, "validate", required=False)
    files = [Path(p) for p in args.paths]
    chosen = getattr(args, "package", None) or args.global_package
    if files and not chosen:
        # the files' own package (the pre-commit hook in a contributor's repository), else the installed one
        chosen = find_package(files)
    # the descriptor is read by the validator itself: a broken one is a finding (rule datapackage)
    descriptor = Path(chosen) if chosen is not None else datapackage_dir() / "datapackage.json"
    report = validate(descriptor, sources, files or None, use_frictionless=args.frictionless)
    print({"json": report.as_json, "github": report.as_github}.get(args.format, report.as_text)())
    return 0 if report.ok else 1


def cmd_scan(args: argparse.Namespace, pkg: Package) -> int:
    result = rescan(pkg, _required(args, "scan"), args.doc)
    for doc_id, (n, unclassified, dropped) in result.counts.items():
        print(f"{doc_id}: {n} mentions, {unclassified} unclassified" + (f", {dropped} no longer found" if dropped else ""))
    pkg.write("mentions", result.rows)
    return 0


def cmd_add(args: argparse.Namespace, pkg: Package) -> int:
    result = add_worksheet(pkg, Path(args.worksheet), args.doc, _required(args, "add"), force=args.force)
    for p in result.problems:
        print(f"{args.worksheet}: {p}", file=sys.stderr)
    if result.problems and not args.force:
        print("nothing added (fix the worksheet, or --force to add the rows that pass)", file=sys.stderr)
        return 1
    result.write(pkg)
    print(f"{args.doc}: {len(result.rows)} observations added; now run soviet-figures scan and soviet-figures derive")
    return 0


def cmd_classify(args: argparse.Namespace, pkg: Package) -> int:
    ledger, changed, problems = classify_mentions(pkg, Path(args.file), args.doc)
    for p in problems:
        print(f"{args.file}: {p}", file=sys.stderr)
    if problems and not args.force:
        print("nothing changed", file=sys.stderr)
        return 1
    pkg.write("mentions", ledger)
    print(f"{changed} mention(s) classified")
    return 0


def cmd_pages(args: argparse.Namespace, pkg: Package) -> int:
    from .derive import fill_pages  # imported here: derive brings jinja2 and the charts, which validate does not need

    for doc_id, (paged, total) in fill_pages(pkg, _required(args, "pages")).items():
        print(f"{doc_id}: page established for {paged} of {total} observations")
    return 0


def cmd_init(args: argparse.Namespace, pkg: Package | None) -> int:
    created = init_package(Path(args.dir))
    print(f"created {created}: add your documents to data/documents.csv (see CONTRIBUTING.md)")
    return 0


def cmd_fetch(args: argparse.Namespace, pkg: Package | None) -> int:
    from .io.fetch import fetch_release, known_releases  # imported here: the loader, releases and Parquet, which validate does not need (0.04 s)

    if args.list:
        for version, files in known_releases().items():
            print(f"{version}  {len(files)} files")
        return 0
    if not args.version:
        raise UsageError("fetch expected a VERSION such as 0.1.0, found none; give one, or --list for the versions this package knows")
    folder = fetch_release(args.version)
    print(f"{folder}: release {args.version}, every file checked against the hashes this package knows; "
          f"read it with sf.load(name, version={args.version!r}) or soviet-figures export NAME --release {folder}")
    return 0


def _require_valid(pkg: Package, command: str, out: Path) -> None:
    """Refuse to publish (a release, a site) into ``out`` a package the validator refuses
    (structure and semantics; the text layers need the texts). A ``--out`` that cannot be a
    directory is refused first, without validating."""
    if os.path.lexists(out) and not out.is_dir():
        raise PackageError(f"{out}: expected a directory for the {'release' if command == 'build' else 'site'}, found {'a file' if out.is_file() else 'something that is not a directory'}; choose another --out (nothing was written)")
    report = validate(pkg.descriptor, None)
    if not report.ok:
        raise PackageError(f"{command} expected a valid package, found {len(report.issues)} error(s), the first: {report.issues[0].as_text()}; "
                           "run soviet-figures validate and fix them (nothing was written)")


def cmd_build(args: argparse.Namespace, pkg: Package) -> int:
    if args.tag is not None and args.tag != f"v{__version__}":
        raise UsageError(f"--tag {args.tag}: expected v{__version__}, the package's version; tag the commit v{__version__}, "
                         "or set the version (soviet_figures/__init__.py) and run soviet-figures derive first (nothing was written)")
    _require_valid(pkg, "build", Path(args.out))
    from .io.fetch import check_release_folder  # imported here: only build --tag checks a release against the registry
    from .io.release import build  # imported here: only build writes Parquet and SQLite

    for path in build(Path(args.out), pkg.data_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    if args.tag is not None:  # the release to publish must be exactly the one sf.load(version=...) accepts
        checked = check_release_folder(Path(args.out), __version__)
        print(f"{len(checked)} files equal the registry's entry for {__version__} (releases.json): ready to publish as {args.tag}")
    return 0


def cmd_site(args: argparse.Namespace, pkg: Package) -> int:
    _require_valid(pkg, "site", Path(args.out))
    from .site import build_site  # imported here: the site brings jinja2 and the charts (0.1 s for every other command)

    pages = build_site(Path(args.out), None if pkg.installed else pkg)
    print(f"wrote {len(pages)} pages to {args.out}; open {Path(args.out) / 'index.html'}")
    return 0


def cmd_derive(args: argparse.Namespace, pkg: Package) -> int:
    from .derive import derive  # imported here: derive brings jinja2 and the charts, which validate does not need

    changed = derive(pkg)
    for p in changed:
        print(f"wrote {p}")
    print(f"{len(changed)} derived file(s) changed")
    return 0


def _required(args: argparse.Namespace, command: str) -> Path:
    sources = _sources(args.sources, command, required=True)
    assert sources is not None
    return sources


def parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    ap = argparse.ArgumentParser(prog="soviet-figures", description="Figures quoted in five works on Soviet history, 1926-1941.")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    ap.add_argument("--package", dest="global_package", metavar="DATAPACKAGE_JSON", help="work on this data package instead of the installed one (your own transcriptions)")
    sub = ap.add_subparsers(dest="command", required=True)

    def command(name: str, func: object, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help)
        p.set_defaults(func=func)
        if name not in {"init", "fetch"}:
            p.add_argument("--package", help="a datapackage.json following these schemas (default: the installed package)")
        return p

    command("tables", cmd_tables, "list the tables with row counts")
    p = command("show", cmd_show, "print the first rows of a table")
    p.add_argument("name")
    p.add_argument("--rows", type=int, default=10, help="how many rows (default 10; 0: the header only)")
    p.add_argument("--columns", metavar="A,B,C", help="the columns to print (default: the key and what says what a row is)")
    p = command("export", cmd_export, "write a table, whole or filtered, as CSV, Parquet or JSON (to standard output or --out)")
    p.add_argument("name")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.add_argument("--filter", metavar="COLUMN=VALUE", type=_filter_argument, action="append", default=[],
                   help="keep the rows whose COLUMN equals VALUE (subject: any name or alias); repeat for more: "
                        "several values of one column are one-of, different columns all apply")
    p.add_argument("--release", metavar="PATH", help="read the table from a release (folder, zip or .sqlite), verified first")
    p = command("validate", cmd_validate, "check structure, semantics, provenance and completeness")
    p.add_argument("paths", nargs="*", help="CSV files to check in place of the package's tables")
    p.add_argument("--sources", help="directory of the source texts (else $SOVIET_FIGURES_SOURCES)")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("--frictionless", action="store_true", help="also run frictionless's own (row by row) validation of the package")
    p = command("scan", cmd_scan, "find numeric mentions and update the ledger, keeping classifications")
    p.add_argument("--sources")
    p.add_argument("--doc", help="only this doc_id")
    p = command("add", cmd_add, "append a worksheet's observations, offsets computed from the text")
    p.add_argument("worksheet")
    p.add_argument("--doc", required=True)
    p.add_argument("--sources")
    p.add_argument("--force", action="store_true", help="add the rows that pass despite problems with others")
    p = command("classify", cmd_classify, "classify ledger mentions from a JSON Lines file (status, reason)")
    p.add_argument("file")
    p.add_argument("--doc", help="doc_id for lines that give start offsets instead of mention_id")
    p.add_argument("--force", action="store_true")
    p = command("pages", cmd_pages, "fill observations.page from footnote blocks, for documents whose page_method says so")
    p.add_argument("--sources")
    p = command("init", cmd_init, "start your own data package following these schemas")
    p.add_argument("dir")
    p = command("fetch", cmd_fetch, "download a published release by version into the cache, checked against known hashes")
    p.add_argument("version", nargs="?", help="the release's version, e.g. 0.1.0")
    p.add_argument("--list", action="store_true", help="list the versions this package knows, with their file counts")
    p = command("build", cmd_build, "write the release: CSV and Parquet zips, SQLite, datapackage.json, SHA256SUMS")
    p.add_argument("--out", required=True)
    p.add_argument("--tag", metavar="vX.Y.Z", help="publishing: refuse unless the tag is v + the package's version and every built file equals the registry's entry for it")
    p = command("site", cmd_site, "write a static, offline site with charts and every figure's quote")
    p.add_argument("--out", required=True)
    command("derive", cmd_derive, "rebuild topic tables, topic schemas and datapackage.json")
    return ap


def _use_system_allocator() -> None:
    """Have pyarrow allocate through the C library's ``malloc`` rather than its bundled
    mimalloc, unless ``ARROW_DEFAULT_MEMORY_POOL`` names a pool.

    A command is one short process that parses a file into a few hundred MB of buffers and
    exits. Measured on ``validate`` of 200,000 rows (benchmarks/, 8 interleaved runs):
    mimalloc spends 0.5 s in the kernel against 0.35 s for ``malloc``, and the run takes
    2.07 s against 1.92 s (about 15 % more peak memory); on the package itself the two are
    equal. Only the command line does this: importing ``soviet_figures`` leaves the
    allocator of the importing program alone.

    Examples
    --------
    >>> import os, pyarrow
    >>> _use_system_allocator()
    >>> pyarrow.default_memory_pool().backend_name == os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "system")
    True
    """
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit status.

    Examples
    --------
    >>> main(["show", "no-such-table"])
    1
    """
    _use_system_allocator()
    args = parser().parse_args(argv)
    try:
        chosen = getattr(args, "package", None) or args.global_package
        pkg = None if args.command in {"init", "validate", "fetch"} else Package.open(chosen)
        status = int(args.func(args, pkg))
        sys.stdout.flush()  # a reader that went away (``| head``) is met here, not at exit with a traceback
        return status
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SovietFiguresError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (``export ... | head``): stop quietly, as the Python docs' "Note on SIGPIPE" says
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the exit flush cannot fail again
        return 0
    except OSError as exc:  # a full disk, a file-size limit, a permission: nothing was half-written
        print(f"error: {exc.strerror or exc} ({exc.filename or 'writing'}); no file was left half-written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except (RecursionError, MemoryError) as exc:
        print(f"error: the input is too deeply nested or too large to read ({type(exc).__name__}); nothing was changed: check the file", file=sys.stderr)
        return 1
    except Exception as exc:  # a refusal the code did not foresee: one line, never a traceback
        if os.environ.get("SOVIET_FIGURES_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {str(exc)[:300]}; no file was left half-written (files are written atomically). "
              "This is a bug: please report it with the command you ran (SOVIET_FIGURES_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
