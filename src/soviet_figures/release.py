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

``sf.load(name, release=PATH)`` reads a release directory or one of its zips, after
checking SHA256SUMS; a file whose hash differs is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, tableschema
from ._paths import datapackage_dir

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["build", "read_release_table", "ReleaseError", "parquet_bytes", "sqlite_bytes"]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class ReleaseError(ValueError):
    """A release is incomplete, unverifiable or tampered with."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def _csv_bytes() -> dict[str, bytes]:
    return {name: (datapackage_dir() / "data" / f"{name}.csv").read_bytes() for name in tableschema.table_names()}


def release_descriptor(csvs: dict[str, bytes]) -> dict[str, Any]:
    """The package descriptor with bytes and sha256 hash of every CSV resource."""
    from .derive import package_descriptor

    desc = package_descriptor()
    for res in desc["resources"]:
        data = csvs[res["name"]]
        res["bytes"] = len(data)
        res["hash"] = f"sha256:{_sha256(data)}"
    return desc


def _arrow_table(name: str, df: pd.DataFrame) -> Any:
    import pandas as pd
    import pyarrow as pa

    schema = tableschema.load_schema(name)
    fields = []
    for f in schema["fields"]:
        dtype = tableschema.pandas_dtypes(name)[f["name"]]
        if isinstance(dtype, pd.CategoricalDtype):
            t = pa.dictionary(pa.int32(), pa.string())
        else:
            t = {"Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_()}.get(dtype, pa.string())
        meta = {"description": f.get("description", ""), "type": f["type"]}
        enum = f.get("constraints", {}).get("enum")
        if enum:
            meta["enum"] = json.dumps(enum)
        fields.append(pa.field(f["name"], t, nullable=not f.get("constraints", {}).get("required", False), metadata=meta))
    arrow_schema = pa.schema(fields, metadata={"table_schema": json.dumps(schema, ensure_ascii=False), "soviet_figures_version": __version__})
    arrays = []
    for field in fields:
        col = df[field.name]
        if pa.types.is_dictionary(field.type):
            arrays.append(pa.DictionaryArray.from_arrays(
                pa.array(col.cat.codes.astype("int32"), mask=(col.cat.codes < 0).to_numpy(), type=pa.int32()),
                pa.array(list(col.cat.categories), type=pa.string())))
        else:
            arrays.append(pa.array(col.astype(object).where(col.notna(), None).tolist(), type=field.type))
    return pa.Table.from_arrays(arrays, schema=arrow_schema)


def parquet_bytes(name: str, df: pd.DataFrame) -> bytes:
    """One table as Parquet, with stable writer settings and its Table Schema as metadata."""
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(_arrow_table(name, df), buf, compression="zstd", compression_level=9, use_dictionary=True, write_statistics=True, version="2.6")
    return buf.getvalue()


def _sql_type(field: dict[str, Any]) -> str:
    return {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}.get(field["type"], "TEXT")


def sqlite_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """Every table in one SQLite database, with keys and an FTS5 index over observations."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(suffix=".sqlite")
    os.close(fd)
    os.unlink(tmp)
    try:
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA foreign_keys = ON")
        for name in tableschema.table_names():
            schema = tableschema.load_schema(name)
            cols = [
                f'"{f["name"]}" {_sql_type(f)}'
                + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
                + (" UNIQUE" if f.get("constraints", {}).get("unique") and [f["name"]] != schema["primaryKey"] else "")
                for f in schema["fields"]
            ]
            cols.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in schema["primaryKey"]) + ")")
            for fk in schema.get("foreignKeys", []):
                ref = fk["reference"]
                cols.append(f'FOREIGN KEY ({", ".join(fk["fields"])}) REFERENCES {ref["resource"]} ({", ".join(ref["fields"])})')
            con.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
        order = tableschema.table_names()  # referenced tables come first
        for name in order:
            df = frames[name]
            fields = tableschema.fields(name)
            rows = [tuple(_sql_value(v) for v in rec) for rec in df[[f["name"] for f in fields]].itertuples(index=False, name=None)]
            con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in fields)})', rows)
        con.execute("CREATE VIRTUAL TABLE observations_fts USING fts5(obs_id UNINDEXED, quote, description, content='observations')")
        con.execute("INSERT INTO observations_fts(rowid, obs_id, quote, description) SELECT rowid, obs_id, quote, description FROM observations")
        con.commit()
        con.execute("VACUUM")
        con.close()
        return Path(tmp).read_bytes()
    finally:
        Path(tmp).unlink(missing_ok=True)


def _sql_value(v: Any) -> Any:
    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, bool):
        return int(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def build(out: Path) -> list[Path]:
    """Write the release files into ``out``; return their paths."""
    from .loader import read_table

    out.mkdir(parents=True, exist_ok=True)
    csvs = _csv_bytes()
    frames = {name: read_table(name, data=data) for name, data in csvs.items()}
    desc = release_descriptor(csvs)
    desc_bytes = (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    stem = f"soviet-figures-{__version__}"
    files = {
        f"{stem}-csv.zip": _zip({"datapackage.json": desc_bytes, **{f"data/{n}.csv": b for n, b in csvs.items()}}),
        f"{stem}-parquet.zip": _zip({f"data/{n}.parquet": parquet_bytes(n, df) for n, df in frames.items()}),
        f"{stem}.sqlite": sqlite_bytes(frames),
        "datapackage.json": desc_bytes,
    }
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    sums = "".join(f"{_sha256(files[n])}  {n}\n" for n in sorted(files))
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8", newline="\n")
    written.append(out / "SHA256SUMS")
    return written


def _verified(path: Path) -> None:
    """Check ``path`` against the SHA256SUMS beside it."""
    sums_file = path.parent / "SHA256SUMS"
    if not sums_file.exists():
        raise ReleaseError(f"{sums_file}: missing; cannot verify {path.name}")
    sums = {}
    for line in sums_file.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        sums[name.strip()] = digest.strip()
    if path.name not in sums:
        raise ReleaseError(f"{path.name} is not listed in {sums_file}")
    if _sha256(path.read_bytes()) != sums[path.name]:
        raise ReleaseError(f"{path}: SHA-256 does not match SHA256SUMS — the file was changed or damaged; download the release again")


def read_release_table(name: str, release: str | Path) -> pd.DataFrame:
    """One table from a release directory or a release zip (CSV or Parquet), verified first."""
    from .loader import read_table

    release = Path(release)
    if release.is_dir():
        zips = sorted(release.glob("soviet-figures-*-csv.zip"))
        if not zips:
            raise ReleaseError(f"{release}: no soviet-figures-*-csv.zip in this directory")
        release = zips[-1]
    if not release.exists():
        raise ReleaseError(f"{release}: no such release file")
    _verified(release)
    with zipfile.ZipFile(release) as z:
        names = set(z.namelist())
        if f"data/{name}.csv" in names:
            data = z.read(f"data/{name}.csv")
            desc = json.loads(z.read("datapackage.json"))
            res = next((r for r in desc["resources"] if r["name"] == name), None)
            if res is None or res.get("hash") != f"sha256:{_sha256(data)}":
                raise ReleaseError(f"{release}: data/{name}.csv does not match the hash in its datapackage.json")
            return read_table(name, data=data)
        if f"data/{name}.parquet" in names:
            return parquet_to_frame(name, z.read(f"data/{name}.parquet"))
    raise ReleaseError(f"{release}: has no table {name!r}")


def parquet_to_frame(name: str, data: bytes) -> pd.DataFrame:
    """A Parquet table of a release as the DataFrame ``sf.load`` gives."""
    import pandas as pd
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    out = {}
    for col, dtype in tableschema.pandas_dtypes(name).items():
        values = table.column(col).to_pylist()
        out[col] = pd.Series(values, dtype=dtype if isinstance(dtype, str) else "object").astype(dtype)
    return pd.DataFrame(out)


def sqlite_to_frame(name: str, path: Path) -> pd.DataFrame:
    """A table of the release database as the DataFrame ``sf.load`` gives."""
    import pandas as pd

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cols = tableschema.field_names(name)
        rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}" ORDER BY rowid').fetchall()
    finally:
        con.close()
    out = {}
    dtypes = tableschema.pandas_dtypes(name)
    for i, col in enumerate(cols):
        values = [r[i] for r in rows]
        dtype = dtypes[col]
        if dtype == "boolean":
            values = [None if v is None else bool(v) for v in values]
        out[col] = pd.Series(values, dtype="object").astype(dtype)
    return pd.DataFrame(out)
