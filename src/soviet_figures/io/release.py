"""Build and read releases: a folder that stands on its own, two zips, a SQLite database.

``soviet-figures build --out DIR`` writes, deterministically (the same commit gives
byte-identical files), flat file names only (a GitHub release holds no directories):

* ``datapackage.json`` and ``<table>.csv`` — the folder is itself a Frictionless Data
  Package: each resource points at its CSV beside it, with ``bytes``, ``hash`` and Table
  Schema, so ``frictionless validate DIR/datapackage.json`` checks sizes, hashes, types,
  constraints and foreign keys as the folder lies;
* ``soviet-figures-<version>-csv.zip`` — the same package zipped: ``datapackage.json`` +
  ``data/<table>.csv`` (valid once unzipped), with ``README.md``, ``LICENSE``, ``LICENSE-DATA.md``;
* ``soviet-figures-<version>-parquet.zip`` — ``data/<table>.parquet`` (each carrying its
  Table Schema in the file's key-value metadata), a ``datapackage.json`` describing them
  (format, bytes, hash, schema), with the README and the licences;
* ``soviet-figures-<version>.sqlite`` — every table with primary and foreign keys, and FTS5
  indexes Datasette detects (``content="<table>"``) over the text of observations,
  subjects, measures, contexts and documents;
* ``soviet-figures-<version>-datasette.json`` — that database's Datasette metadata (``datasette
  DB -m FILE``): titles, licence, table and column descriptions from the schemas, facets,
  sortable and label columns, full-text search tables;
* ``README.md`` (rendered from ``templates/release-README.md.j2``), ``LICENSE`` (MIT, the code),
  ``LICENSE-DATA.md`` (CC-BY-4.0, the data; the quotes are short quotations from works under
  copyright);
* ``SHA256SUMS`` — ``sha256sum -c`` format, for every file above.

Source texts never enter a release: only the tables are written.

``sf.load(name, release=PATH)`` reads a release folder (its newest CSV zip), the CSV zip,
the Parquet zip or the ``.sqlite``, after checking every file ``SHA256SUMS`` lists; a file
whose hash differs is refused.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from .. import __version__, tableschema
from .._paths import data_root
from ..errors import PackageError, ReleaseError, SovietFiguresError
from .descriptor import descriptor_json, package_descriptor
from .files import read_regular, regular_file_problem, sha256_file, sha256_hex, within, write_files
from .tables import arrow_for_parquet, read_csv_table, read_parquet_table, read_sqlite_table

__all__ = [
    "build", "read_release_table", "release_files", "parquet_bytes", "sqlite_bytes", "parse_sha256sums",
    "release_descriptor", "parquet_descriptor", "licence_files", "readme_text", "datasette_metadata", "FTS_COLUMNS",
]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_MAX_MEMBER_BYTES = 64 * 2**20  # a table of this package is under 1 MiB
_MAX_RELEASE_FILE_BYTES = 256 * 2**20
_STEM = re.compile(r"^soviet-figures-(\d+)\.(\d+)\.(\d+)(?:-(csv|parquet)\.zip|\.sqlite)$")
_LICENCES = ("LICENSE", "LICENSE-DATA.md")  # the code's licence (MIT), the data's (CC-BY-4.0)

#: The text columns of each table's full-text index (``<table>_fts``, FTS5, external content).
#: Topic tables are rows of observations: search observations and facet by topic.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": ("description", "quote", "subject", "place", "attributed_to", "cited_source", "note"),
    "subjects": ("name", "aliases", "name_ru", "description"),
    "measures": ("label", "definition"),
    "contexts": ("label", "description"),
    "documents": ("title", "subtitle", "title_en", "authors", "venue", "summary"),
}
_LABEL_COLUMNS = ("name", "label", "title")  # the first of these a table has names its rows in Datasette
_FACET_REFERENCES = ("documents", "measures")  # a foreign key into these (which work, what measure) is a facet


def _stem() -> str:
    return f"soviet-figures-{__version__}"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


def _csv_bytes(data_dir: Path) -> dict[str, bytes]:
    """Every table's file in ``data_dir``, each a regular file inside the package."""
    out = {}
    for name in tableschema.table_names():
        path = Path(data_dir) / f"{name}.csv"
        if not within(path, Path(data_dir).parent):
            raise PackageError(f"{path}: expected the table file inside the package, found a symbolic link leading outside it; keep the tables inside {Path(data_dir).parent} (nothing was written)")
        out[name] = read_regular(path, what="table file")
    return out


def release_descriptor(csvs: dict[str, bytes], path_of: Callable[[str], str] = lambda name: f"data/{name}.csv") -> dict[str, Any]:
    """The package descriptor with ``path``, ``bytes`` and ``hash`` of every CSV resource.

    Parameters
    ----------
    csvs : each table's CSV bytes, by name
    path_of : a table's path in the descriptor: ``data/<table>.csv`` (the CSV zip) unless
        given (``<table>.csv`` for the release folder)

    Returns
    -------
    dict : the descriptor, every resource with its file's size and SHA-256.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> csvs = _csv_bytes(datapackage_dir() / "data")
    >>> res = release_descriptor(csvs, lambda name: f"{name}.csv")["resources"][0]
    >>> res["path"], res["bytes"] == len(csvs["documents"]), res["hash"][:7]
    ('documents.csv', True, 'sha256:')
    """
    desc = package_descriptor()
    for res in desc["resources"]:
        data = csvs[res["name"]]
        res["path"] = path_of(res["name"])
        res["bytes"] = len(data)
        res["hash"] = f"sha256:{sha256_hex(data)}"
    return desc


def parquet_descriptor(parquets: dict[str, bytes]) -> dict[str, Any]:
    """The descriptor of the Parquet zip: each resource ``data/<table>.parquet``, format
    ``parquet``, with its size, SHA-256 and Table Schema.

    Parameters
    ----------
    parquets : each table's Parquet bytes, by name

    Returns
    -------
    dict : the package descriptor of the Parquet files.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> names = tableschema.table_names()
    >>> res = parquet_descriptor({n: parquet_bytes(n, sf.load(n)) for n in names})["resources"][0]
    >>> res["path"], res["format"], res["mediatype"], "encoding" in res
    ('data/documents.parquet', 'parquet', 'application/vnd.apache.parquet', False)
    """
    desc = package_descriptor()
    for res in desc["resources"]:
        data = parquets[res["name"]]
        del res["encoding"]  # a binary format
        res.update({
            "path": f"data/{res['name']}.parquet", "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            "bytes": len(data), "hash": f"sha256:{sha256_hex(data)}",
        })
        res["schema"] = res.pop("schema")  # the schema stays last, as in the CSV descriptor
    return desc


def parquet_bytes(name: str, df: pd.DataFrame) -> bytes:
    """One table as Parquet, with stable writer settings and its Table Schema as metadata.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> parquet_bytes("links", sf.load("links"))[:4]
    b'PAR1'
    """
    metadata = {"table_schema": json.dumps(tableschema.load_schema(name), ensure_ascii=False), "soviet_figures_version": __version__}
    buf = io.BytesIO()
    pq.write_table(arrow_for_parquet(name, df, metadata), buf, compression="zstd", compression_level=9, use_dictionary=True, write_statistics=True, version="2.6")
    return buf.getvalue()


def _create_table(con: sqlite3.Connection, name: str, frame: pd.DataFrame) -> None:
    """``name`` as its schema declares it (types, NOT NULL, UNIQUE, keys), holding ``frame``."""
    schema = tableschema.load_schema(name)
    types = tableschema.column_types(name)
    cols = [
        f'"{f["name"]}" {types[f["name"]].sql}'
        + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
        + (" UNIQUE" if f.get("constraints", {}).get("unique") and [f["name"]] != schema["primaryKey"] else "")
        for f in schema["fields"]
    ]
    cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in schema["primaryKey"]) + ")")
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        cols.append(f'FOREIGN KEY ({", ".join(fk["fields"])}) REFERENCES {ref["resource"]} ({", ".join(ref["fields"])})')
    con.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
    df = frame[list(types)]
    rows = [tuple(_sql_value(v) for v in rec) for rec in df.itertuples(index=False, name=None)]
    con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in types)})', rows)


def _create_search_index(con: sqlite3.Connection, name: str) -> None:
    """The FTS5 index ``<name>_fts`` over :data:`FTS_COLUMNS` of ``name``, reading its text
    from the table itself (external content, joined on rowid). ``content="<name>"`` in double
    quotes is the form Datasette recognises (it finds no index declared ``content='<name>'``)."""
    columns = FTS_COLUMNS[name]
    quoted = ", ".join(f'"{c}"' for c in columns)
    con.execute(f'CREATE VIRTUAL TABLE "{name}_fts" USING fts5({quoted}, content="{name}")')
    con.execute(f'INSERT INTO "{name}_fts"("{name}_fts") VALUES (\'rebuild\')')  # index every row of the table


def sqlite_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """Every table in one SQLite database, with keys and full-text indexes Datasette finds.

    Parameters
    ----------
    frames : every table of the package, by name, as typed DataFrames

    Returns
    -------
    bytes : the database file: each table as its schema declares it, and an FTS5 index
        ``<table>_fts`` over the text columns :data:`FTS_COLUMNS` names.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> data = sqlite_bytes({name: sf.load(name) for name in tableschema.table_names()})
    >>> data[:15]
    b'SQLite format 3'
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "release.sqlite"
        con = sqlite3.connect(path)
        con.execute("PRAGMA foreign_keys = ON")
        for name in tableschema.table_names():  # referenced tables come first
            _create_table(con, name, frames[name])
        for name in FTS_COLUMNS:
            _create_search_index(con, name)
        con.commit()
        con.execute("VACUUM")
        con.close()
        return path.read_bytes()


def _sqlite_or_refuse(frames: dict[str, pd.DataFrame]) -> bytes:
    """:func:`sqlite_bytes`, a key the tables break refused as a :class:`PackageError`."""
    try:
        return sqlite_bytes(frames)
    except sqlite3.Error as exc:
        raise PackageError(f"the tables cannot make the release database ({exc}): expected a valid package; run soviet-figures validate and fix what it reports (nothing was written)") from None


def _sql_value(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, bool):
        return int(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def licence_files() -> dict[str, bytes]:
    """The licence files a release carries: ``LICENSE`` (MIT, the code) and ``LICENSE-DATA.md``
    (CC-BY-4.0, the data, and what it does not cover: the quotes).

    Read from the source checkout's root, or in an installed wheel from ``soviet_figures/_data``
    (pyproject.toml force-includes them there, as it does ``datapackage/`` and ``schemas/``).

    Returns
    -------
    dict : each file's name and its bytes.

    Raises
    ------
    PackageError : a licence file is missing (an installation without them).

    Examples
    --------
    >>> sorted(licence_files())
    ['LICENSE', 'LICENSE-DATA.md']
    >>> b"CC-BY-4.0" in licence_files()["LICENSE-DATA.md"]
    True
    """
    out = {}
    for name in _LICENCES:
        path = data_root() / name
        problem = regular_file_problem(path)
        if problem:
            raise PackageError(f"{path}: expected the licence file {name} a release carries, but {problem}; reinstall soviet-figures (nothing was written)")
        out[name] = read_regular(path, 2**20, "licence file")
    return out


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def readme_text(here: str, rows: dict[str, int]) -> str:
    """The README of the release folder (``here="folder"``) or of its CSV or Parquet zip
    (``"csv"``, ``"parquet"``), from ``templates/release-README.md.j2``.

    Parameters
    ----------
    here : where the README lies: ``"folder"``, ``"csv"`` or ``"parquet"``
    rows : each table's row count, by name

    Returns
    -------
    str : Markdown: what the release is, its version, every table with its row count and
        description, how to load it (pandas, ``sf.load``, frictionless, Datasette), the
        licences and the copyright of the quotes, how to cite it.

    Examples
    --------
    >>> text = readme_text("folder", {name: 0 for name in tableschema.table_names()})
    >>> text.startswith("# Soviet figures"), "| `observations` | 0 |" in text
    (True, True)
    """
    from ..templating import environment  # imported here: jinja2 only for a build's README (0.02 s every sf.load and validate would pay)

    desc = package_descriptor()
    tables = [{"name": r["name"], "rows": rows[r["name"]], "description": _md_cell(r["description"])} for r in desc["resources"]]
    return environment().get_template("release-README.md.j2").render(
        here=here, version=__version__, stem=_stem(), title=desc["title"], description=desc["description"],
        tables=tables, searchable=list(FTS_COLUMNS),
    )


def _datasette_table(name: str) -> dict[str, Any]:
    """One table's Datasette metadata, from its schema."""
    schema = tableschema.load_schema(name)
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    references = {fk["fields"][0] for fk in schema.get("foreignKeys", []) if len(fk["fields"]) == 1 and fk["reference"]["resource"] in _FACET_REFERENCES}
    facets = [f["name"] for f in fields if f["name"] in references or "enum" in f.get("constraints", {})]
    label = next((c for c in _LABEL_COLUMNS if c in names), None)
    sortable = [f["name"] for f in fields if f["name"] in schema["primaryKey"] or f["type"] in {"integer", "number", "boolean"} or f["name"] in facets or f["name"] == label]
    table: dict[str, Any] = {
        "title": schema.get("title", name),
        "description": schema.get("description", ""),
        "columns": {f["name"]: f.get("description", "") for f in fields},
        "facets": facets,
        "sortable_columns": sortable,
    }
    if label:
        table["label_column"] = label
    if name in FTS_COLUMNS:
        table["fts_table"] = f"{name}_fts"
    return table


def datasette_metadata() -> dict[str, Any]:
    """The Datasette metadata of the release database (``datasette DB.sqlite -m FILE``).

    Title, description and licence come from the package descriptor; each table's title,
    description and column descriptions from its schema; facets are the columns with a
    vocabulary and the foreign keys into documents and measures; sortable columns the keys,
    numbers, facets and the column naming a row (``label_column``: name, label or title).
    No source address is given: the project has no public one.

    Returns
    -------
    dict : the metadata, one database named as the ``.sqlite`` file's stem.

    Examples
    --------
    >>> meta = datasette_metadata()
    >>> tables = meta["databases"][f"soviet-figures-{__version__}"]["tables"]
    >>> meta["license"], tables["observations"]["fts_table"], tables["subjects"]["label_column"]
    ('CC-BY-4.0', 'observations_fts', 'name')
    """
    desc = package_descriptor()
    licence = desc["licenses"][0]
    return {
        "title": desc["title"],
        "description": desc["description"],
        "license": licence["name"],
        "license_url": licence["path"],
        "about": (
            f"soviet-figures {__version__}. Data CC-BY-4.0 (LICENSE-DATA.md); the quotes are short quotations "
            "from works under their authors' and publishers' copyright, not licensed by this project: cite the original work."
        ),
        "databases": {
            _stem(): {
                "title": f"{desc['title']} ({__version__})",
                "description": (
                    "Every table of the release, with primary and foreign keys; full-text search on "
                    + ", ".join(FTS_COLUMNS) + "."
                ),
                "tables": {name: _datasette_table(name) for name in tableschema.table_names()},
            }
        },
    }


def release_files(data_dir: Path) -> dict[str, bytes]:
    """The release's files by flat name (SHA256SUMS last), built from the tables in ``data_dir``.

    Parameters
    ----------
    data_dir : the package's ``data/`` directory

    Returns
    -------
    dict : each file's name and its bytes (nothing is written): the zips, the database and
        its Datasette metadata, ``datapackage.json``, ``README.md``, the licences, each
        table's CSV, and ``SHA256SUMS``.

    Raises
    ------
    TableError : a table cannot be read as its schema says.
    PackageError : the tables break a key, or a licence file is missing.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> files = release_files(datapackage_dir() / "data")
    >>> list(files)[-1], len(files) == 9 + len(tableschema.table_names())
    ('SHA256SUMS', True)
    """
    csvs = _csv_bytes(data_dir)
    frames = {name: read_csv_table(name, data, str(data_dir / f"{name}.csv")) for name, data in csvs.items()}
    parquets = {name: parquet_bytes(name, df) for name, df in frames.items()}
    rows = {name: len(df) for name, df in frames.items()}
    licences = licence_files()

    def enclosed(here: str, descriptor: dict[str, Any], tables: dict[str, bytes]) -> bytes:
        return _zip({"datapackage.json": descriptor_json(descriptor).encode("utf-8"), "README.md": readme_text(here, rows).encode("utf-8"), **licences, **tables})

    stem = _stem()
    files = {
        f"{stem}-csv.zip": enclosed("csv", release_descriptor(csvs), {f"data/{n}.csv": b for n, b in csvs.items()}),
        f"{stem}-parquet.zip": enclosed("parquet", parquet_descriptor(parquets), {f"data/{n}.parquet": b for n, b in parquets.items()}),
        f"{stem}.sqlite": _sqlite_or_refuse(frames),
        f"{stem}-datasette.json": descriptor_json(datasette_metadata()).encode("utf-8"),
        "datapackage.json": descriptor_json(release_descriptor(csvs, lambda name: f"{name}.csv")).encode("utf-8"),
        "README.md": readme_text("folder", rows).encode("utf-8"),
        **licences,
        **{f"{n}.csv": b for n, b in csvs.items()},
    }
    files["SHA256SUMS"] = "".join(f"{sha256_hex(files[n])}  {n}\n" for n in sorted(files)).encode("utf-8")
    return files


def build(out: Path, data_dir: Path) -> list[Path]:
    """Write the release files into ``out`` (created if needed); return their paths.

    Everything is built, and every target checked, before anything is written; each file
    is written atomically, ``SHA256SUMS`` last (an interrupted build leaves no checksum file
    that lists files not yet written).

    Parameters
    ----------
    out : the directory the release is written to
    data_dir : the package's ``data/`` directory

    Returns
    -------
    list of Path : the files written.

    Raises
    ------
    PackageError : ``out`` exists and is not a directory, or a file of the release cannot
        be written there (a directory in its place).

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures._paths import datapackage_dir
    >>> out = Path(tempfile.mkdtemp()) / "release"
    >>> written = [p.name for p in build(out, datapackage_dir() / "data")]
    >>> written[:6]  # doctest: +ELLIPSIS
    ['soviet-figures-...-csv.zip', 'soviet-figures-...-parquet.zip', 'soviet-figures-....sqlite', 'soviet-figures-...-datasette.json', 'datapackage.json', 'README.md']
    >>> written[-1], "observations.csv" in written
    ('SHA256SUMS', True)
    """
    out = Path(out)
    if os.path.lexists(out) and not out.is_dir():
        raise PackageError(f"{out}: expected a directory for the release, found {'a file' if out.is_file() else 'something that is not a directory'}; choose another --out (nothing was written)")
    if within(out, Path(data_dir).parent):  # its datapackage.json would replace the package's own
        raise PackageError(f"{out}: expected a directory outside the package {Path(data_dir).parent}, found one inside it; choose another --out (nothing was written)")
    files = release_files(data_dir)  # everything is built before anything is written
    for name in files:
        if (out / name).is_dir():
            raise PackageError(f"{out / name}: expected to write the release file {name}, found a directory; remove it or choose another --out (nothing was written)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"{out}: expected a directory for the release, but it cannot be created ({exc.strerror}); choose another --out") from None
    return write_files({out / name: data for name, data in files.items()})


_BSD_LINE = re.compile(r"SHA256 \((.+)\) = ([0-9A-Fa-f]{64})")
_GNU_LINE = re.compile(r"\\?([0-9A-Fa-f]{64}) (?: |\*)?(\S.*)")


def parse_sha256sums(text: str, where: str) -> dict[str, str]:
    """The digests of a ``SHA256SUMS`` file by file name, in any of ``sha256sum``'s forms:
    two spaces, one space, or a space and ``*`` (binary mode); upper- or lower-case hex;
    a ``./`` before the name; CRLF line ends; and the BSD form ``SHA256 (name) = hex``
    (``sha256sum --tag``, ``shasum -a 256 --tag``).

    Raises
    ------
    ReleaseError : a line in none of these forms, a name with a directory part, or one
        name listed twice with different digests.

    Examples
    --------
    >>> parse_sha256sums("AB" * 32 + " *a.zip\\n", "SHA256SUMS")
    {'a.zip': 'abababababababababababababababababababababababababababababababab'}
    >>> parse_sha256sums("SHA256 (./b.zip) = " + "0" * 64 + "\\r\\n", "SHA256SUMS")
    {'b.zip': '0000000000000000000000000000000000000000000000000000000000000000'}
    """
    sums: dict[str, str] = {}
    for n, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        bsd, gnu = _BSD_LINE.fullmatch(line), _GNU_LINE.fullmatch(line)
        name, digest = (bsd.group(1), bsd.group(2)) if bsd else (gnu.group(2), gnu.group(1)) if gnu else ("", "")
        name = name[2:] if name.startswith("./") else name
        if not name or "/" in name or "\\" in name or name in {".", ".."} or any(ord(c) < 32 for c in name):
            raise ReleaseError(f"{where}: line {n} is not '<sha256>  <file name>' (a plain name, no directory): {line[:80]!r}; download the release's SHA256SUMS again")
        if sums.get(name, digest.lower()) != digest.lower():
            raise ReleaseError(f"{where}: lists {name} twice with different digests (line {n}); download the release's SHA256SUMS again")
        sums[name] = digest.lower()
    return sums


def _verify_folder(folder: Path) -> dict[str, str]:
    """Check every file ``folder/SHA256SUMS`` lists (each hashed in chunks, bounded in
    size, before any is opened as a zip or a database); return the listed digests."""
    sums_file = folder / "SHA256SUMS"
    problem = regular_file_problem(sums_file)
    if problem:
        raise ReleaseError(f"{sums_file}: expected the release's checksum file but {problem}; download the release's SHA256SUMS with it")
    try:
        raw = read_regular(sums_file, 2**20, "SHA256SUMS")
    except PackageError as exc:
        raise ReleaseError(f"{exc}; download the release's SHA256SUMS again") from None
    sums = parse_sha256sums(raw.decode("utf-8", "replace"), str(sums_file))
    for name, digest in sums.items():
        try:
            found = sha256_file(folder / name, _MAX_RELEASE_FILE_BYTES, "release file")
        except PackageError as exc:
            raise ReleaseError(f"{exc}; SHA256SUMS lists it: download the whole release") from None
        if found != digest:
            raise ReleaseError(f"{folder / name}: SHA-256 does not match SHA256SUMS; the file was changed or damaged: download the release again")
    return sums


def _version_key(name: str) -> tuple[int, int, int, int]:
    m = _STEM.match(name)
    assert m is not None
    kind = {"csv": 2, "parquet": 1, None: 0}[m.group(4)]
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), kind


def _choose(release: Path) -> Path:
    """The release file to read: ``release`` itself, or in a folder the newest version's
    CSV zip (then Parquet zip, then database), by version order, not text order."""
    if release.is_dir():
        candidates = [p for p in release.iterdir() if _STEM.match(p.name)]
        if not candidates:
            raise ReleaseError(f"{release}: expected a release folder with soviet-figures-<version>-csv.zip, -parquet.zip or .sqlite, found none; run soviet-figures build or download a release")
        return release / max((p.name for p in candidates), key=_version_key)
    problem = regular_file_problem(release)
    if problem:
        raise ReleaseError(f"{release}: expected a release folder or file but {problem}; give the folder holding the release files and SHA256SUMS")
    return release


def _zip_member(z: zipfile.ZipFile, member: str, where: str) -> bytes:
    """One member's bytes, its size bounded twice: by what the zip declares, and by what
    actually inflates (a zip can lie about the size)."""
    infos = [i for i in z.infolist() if i.filename == member]
    if len(infos) != 1:
        raise ReleaseError(f"{where}: holds {member} {len(infos)} times; expected once: not a release of this package")
    info = infos[0]
    if info.file_size > _MAX_MEMBER_BYTES:
        raise ReleaseError(f"{where}: {member} would inflate to {info.file_size:,} bytes; expected a table under {_MAX_MEMBER_BYTES // 2**20} MiB: not a release of this package")
    with z.open(info) as f:
        data = f.read(_MAX_MEMBER_BYTES + 1)
    if len(data) > _MAX_MEMBER_BYTES:
        raise ReleaseError(f"{where}: {member} inflates past {_MAX_MEMBER_BYTES // 2**20} MiB; not a release of this package")
    return data


def _zip_descriptor(z: zipfile.ZipFile, where: str) -> dict[str, Any]:
    """The ``datapackage.json`` of a CSV zip as a dict with a ``resources`` list."""
    try:
        desc = json.loads(_zip_member(z, "datapackage.json", where).decode("utf-8"))
    except (ValueError, RecursionError):
        desc = None
    if not isinstance(desc, dict) or not isinstance(desc.get("resources"), list):
        raise ReleaseError(f"{where}: its datapackage.json is not a package descriptor (a JSON object with resources); download the release again")
    return desc


def _read_zip_table(name: str, z: zipfile.ZipFile, where: str) -> pd.DataFrame:
    members = z.namelist()
    if f"data/{name}.csv" in members:
        if "datapackage.json" not in members:
            raise ReleaseError(f"{where}: has no datapackage.json; expected the CSV zip of a release: download it again")
        data = _zip_member(z, f"data/{name}.csv", where)
        res = next((r for r in _zip_descriptor(z, where)["resources"] if isinstance(r, dict) and r.get("name") == name), None)
        if res is None or res.get("hash") != f"sha256:{sha256_hex(data)}":
            raise ReleaseError(f"{where}: data/{name}.csv does not match the hash in its datapackage.json; download the release again")
        return read_csv_table(name, data, f"{where}:data/{name}.csv")
    if f"data/{name}.parquet" in members:
        return read_parquet_table(name, _zip_member(z, f"data/{name}.parquet", where), f"{where}:data/{name}.parquet")
    kind = "Parquet" if any(m.endswith(".parquet") for m in members) else "CSV" if "datapackage.json" in members else None
    if kind is None:
        raise ReleaseError(f"{where}: holds neither datapackage.json nor Parquet tables; expected a CSV or Parquet zip of a release: download it again")
    raise ReleaseError(f"{where}: has no table {name!r}; expected data/{name}.csv or data/{name}.parquet in this {kind} zip: download the release again")


def read_release_table(name: str, release: str | Path) -> pd.DataFrame:
    """One table from a release folder or one of its files, every listed file verified first.

    Parameters
    ----------
    name : the table
    release : a release folder (the newest version in it is read), its CSV or Parquet zip,
        or its ``.sqlite`` database; ``SHA256SUMS`` must sit beside the file.

    Raises
    ------
    ReleaseError : no release there, a checksum that differs, a file that is not what its
        name says, or a table missing from it.

    Returns
    -------
    DataFrame : the table, typed as ``sf.load`` types it.

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures._paths import datapackage_dir
    >>> out = Path(tempfile.mkdtemp()) / "release"
    >>> _ = build(out, datapackage_dir() / "data")
    >>> read_release_table("documents", out).shape[0]
    5
    """
    if not isinstance(release, (str, os.PathLike)) or not str(release):
        raise ReleaseError(f"release={release!r}: expected the path of a release folder or file (a str or Path); give the folder holding SHA256SUMS")
    release = _choose(Path(release))
    sums = _verify_folder(release.parent)
    if release.name not in sums:
        raise ReleaseError(f"{release.name} is not listed in {release.parent / 'SHA256SUMS'}; expected a file of the release")
    where = str(release)
    try:
        with open(release, "rb") as f:
            magic = f.read(16)
        if magic == b"SQLite format 3\x00":
            return read_sqlite_table(name, release)
        if release.suffix == ".sqlite":
            raise ReleaseError(f"{where}: expected a SQLite database, found another kind of file; download the release again")
        with zipfile.ZipFile(release) as z:
            return _read_zip_table(name, z, where)
    except ReleaseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError):
        # not a zip, damaged, encrypted, or compressed with a method zipfile cannot read
        raise ReleaseError(f"{where}: expected a zip file or a SQLite database of a release, found a file that is neither or is damaged; download the release again") from None
    except (SovietFiguresError, OSError, ValueError) as exc:
        message = str(exc) if str(exc).startswith(where) else f"{where}: {exc}"
        raise ReleaseError(message if "download" in message else f"{message}; download the release again") from None
