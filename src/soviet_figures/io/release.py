"""Build and read releases: CSV and Parquet zips, a SQLite database, datapackage.json, SHA256SUMS.

``soviet-figures build --out DIR`` writes, deterministically (the same commit gives
byte-identical files):

* ``soviet-figures-<version>-csv.zip`` — ``datapackage.json`` + ``data/<table>.csv``;
* ``soviet-figures-<version>-parquet.zip`` — ``data/<table>.parquet``, each carrying its Table
  Schema (field descriptions, units) in the file's key-value metadata;
* ``soviet-figures-<version>.sqlite`` — every table with primary and foreign keys, and an
  FTS5 index ``observations_fts`` over quotes and descriptions;
* ``datapackage.json`` — the package descriptor with ``bytes`` and ``hash`` per resource;
* ``SHA256SUMS`` — ``sha256sum -c`` format, for every file above.

Source texts never enter a release: only the tables are written.

``sf.load(name, release=PATH)`` reads a release directory or one of its files after
checking every file ``SHA256SUMS`` lists; a file whose hash differs is refused.
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
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from .. import __version__, tableschema
from ..errors import PackageError, ReleaseError, SovietFiguresError
from .descriptor import descriptor_json, package_descriptor
from .files import read_regular, regular_file_problem, sha256_file, sha256_hex, within, write_files
from .tables import arrow_for_parquet, read_csv_table, read_parquet_table, read_sqlite_table

__all__ = ["build", "read_release_table", "release_files", "parquet_bytes", "sqlite_bytes", "parse_sha256sums"]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_MAX_MEMBER_BYTES = 64 * 2**20  # a table of this package is under 1 MiB
_MAX_RELEASE_FILE_BYTES = 256 * 2**20
_STEM = re.compile(r"^soviet-figures-(\d+)\.(\d+)\.(\d+)(?:-(csv|parquet)\.zip|\.sqlite)$")


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


def release_descriptor(csvs: dict[str, bytes]) -> dict[str, Any]:
    """The package descriptor with ``bytes`` and ``hash`` of every CSV resource."""
    desc = package_descriptor()
    for res in desc["resources"]:
        data = csvs[res["name"]]
        res["bytes"] = len(data)
        res["hash"] = f"sha256:{sha256_hex(data)}"
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


def sqlite_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """Every table in one SQLite database, with keys and an FTS5 index over observations.

    Parameters
    ----------
    frames : every table of the package, by name, as typed DataFrames

    Returns
    -------
    bytes : the database file.

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
            df = frames[name][list(types)]
            rows = [tuple(_sql_value(v) for v in rec) for rec in df.itertuples(index=False, name=None)]
            con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in types)})', rows)
        con.execute("CREATE VIRTUAL TABLE observations_fts USING fts5(obs_id UNINDEXED, quote, description, content='observations')")
        con.execute("INSERT INTO observations_fts(rowid, obs_id, quote, description) SELECT rowid, obs_id, quote, description FROM observations")
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


def release_files(data_dir: Path) -> dict[str, bytes]:
    """The release's files by name (SHA256SUMS last), built from the tables in ``data_dir``.

    Parameters
    ----------
    data_dir : the package's ``data/`` directory

    Returns
    -------
    dict : each file's name and its bytes (nothing is written).

    Raises
    ------
    TableError : a table cannot be read as its schema says.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> files = release_files(datapackage_dir() / "data")
    >>> list(files)[-1], len(files)
    ('SHA256SUMS', 5)
    """
    csvs = _csv_bytes(data_dir)
    frames = {name: read_csv_table(name, data, str(data_dir / f"{name}.csv")) for name, data in csvs.items()}
    desc_bytes = descriptor_json(release_descriptor(csvs)).encode("utf-8")
    stem = f"soviet-figures-{__version__}"
    files = {
        f"{stem}-csv.zip": _zip({"datapackage.json": desc_bytes, **{f"data/{n}.csv": b for n, b in csvs.items()}}),
        f"{stem}-parquet.zip": _zip({f"data/{n}.parquet": parquet_bytes(n, df) for n, df in frames.items()}),
        f"{stem}.sqlite": _sqlite_or_refuse(frames),
        "datapackage.json": desc_bytes,
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
    >>> sorted(p.name for p in build(out, datapackage_dir() / "data"))  # doctest: +ELLIPSIS
    ['SHA256SUMS', 'datapackage.json', 'soviet-figures-...-csv.zip', 'soviet-figures-...-parquet.zip', 'soviet-figures-....sqlite']
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
    kind = "CSV" if "datapackage.json" in members else "Parquet" if any(m.endswith(".parquet") for m in members) else None
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
