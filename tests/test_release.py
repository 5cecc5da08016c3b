"""Releases: deterministic, lossless, verified on reading, and free of the source texts."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import soviet_figures as sf
from soviet_figures import __version__, tableschema
from soviet_figures._paths import datapackage_dir
from soviet_figures.errors import ReleaseError
from soviet_figures.io.release import build
from soviet_figures.io.tables import read_parquet_table, read_sqlite_table

ROOT = Path(__file__).resolve().parents[1]
STEM = f"soviet-figures-{__version__}"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release")
    build(out, datapackage_dir() / "data")
    return out


def test_building_twice_gives_byte_identical_files(release, tmp_path):
    build(tmp_path, datapackage_dir() / "data")
    names = sorted(p.name for p in release.iterdir())
    assert names == sorted(["SHA256SUMS", "datapackage.json", f"{STEM}-csv.zip", f"{STEM}-parquet.zip", f"{STEM}.sqlite"])
    for name in names:
        assert (release / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_every_resource_has_bytes_and_hash(release):
    desc = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(release / f"{STEM}-csv.zip") as z:
        for res in desc["resources"]:
            data = z.read(res["path"])
            assert res["bytes"] == len(data)
            assert res["hash"].startswith("sha256:")


@pytest.mark.parametrize("name", tableschema.table_names())
def test_every_format_reads_back_to_what_load_gives(release, name):
    expected = sf.load(name)
    pd.testing.assert_frame_equal(sf.load(name, release=release), expected)
    with zipfile.ZipFile(release / f"{STEM}-parquet.zip") as z:
        pd.testing.assert_frame_equal(read_parquet_table(name, z.read(f"data/{name}.parquet"), name), expected)
    pd.testing.assert_frame_equal(read_sqlite_table(name, release / f"{STEM}.sqlite"), expected)


def test_parquet_carries_the_table_schema(release):
    with zipfile.ZipFile(release / f"{STEM}-parquet.zip") as z:
        data = z.read("data/observations.parquet")
    import io

    schema = pq.read_schema(io.BytesIO(data))
    table_schema = json.loads(schema.metadata[b"table_schema"])
    assert [f["name"] for f in table_schema["fields"]] == tableschema.field_names("observations")
    assert b"description" in schema.field("unit").metadata
    assert b"percent" in schema.field("unit").metadata[b"enum"]


def test_sqlite_has_foreign_keys_and_full_text_search(release):
    import sqlite3

    con = sqlite3.connect(release / f"{STEM}.sqlite")
    fks = con.execute("PRAGMA foreign_key_list(observations)").fetchall()
    assert {fk[2] for fk in fks} == {"documents", "measures", "subjects", "contexts"}
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    hits = con.execute("SELECT obs_id FROM observations_fts WHERE observations_fts MATCH 'overtime'").fetchall()
    assert hits
    con.close()


def test_a_tampered_release_is_refused(release, tmp_path):
    for p in release.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    z = tmp_path / f"{STEM}-csv.zip"
    data = bytearray(z.read_bytes())
    data[len(data) // 2] ^= 0xFF
    z.write_bytes(bytes(data))
    with pytest.raises(ReleaseError, match="does not match SHA256SUMS"):
        sf.load("observations", release=tmp_path)
    (tmp_path / "SHA256SUMS").unlink()
    with pytest.raises(ReleaseError, match="SHA256SUMS: expected the release.s checksum file but nothing is there"):
        sf.load("observations", release=z)


def _windows(texts: dict[str, str]) -> list[str]:
    rng = random.Random(1)
    out = []
    for text in texts.values():
        for _ in range(25):
            i = rng.randrange(0, len(text) - 300)
            out.append(text[i : i + 300])
    return out


def _members(path: Path) -> dict[str, bytes]:
    if path.suffix in {".zip", ".whl"}:
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist()}
    if path.name.endswith(".tar.gz"):
        with tarfile.open(path) as t:
            return {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
    return {path.name: path.read_bytes()}


def _assert_no_source_text(paths: list[Path], texts: dict[str, str]) -> None:
    windows = [w.encode("utf-8") for w in _windows(texts)]
    full = {t.encode("utf-8") for t in texts.values()}
    for path in paths:
        for name, data in _members(path).items():
            assert not name.endswith(".txt") or ".dist-info/" in name, f"{path.name} contains {name}"
            assert data not in full
            for w in windows:
                assert w not in data, f"{path.name}:{name} contains a passage of a source text"


@pytest.mark.texts
def test_no_source_text_in_the_release(release, texts):
    _assert_no_source_text(sorted(release.iterdir()), texts)


@pytest.mark.texts
def test_no_source_text_in_the_wheel_or_sdist(tmp_path, texts):
    for kind in ("wheel", "sdist"):
        subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "-t", kind, "-d", str(tmp_path)],
            cwd=ROOT, check=True, capture_output=True,
        )
    built = sorted(tmp_path.iterdir())
    assert any(p.suffix == ".whl" for p in built) and any(p.name.endswith(".tar.gz") for p in built)
    wheel = next(p for p in built if p.suffix == ".whl")
    assert any(n.endswith("_data/datapackage/data/observations.csv") for n in _members(wheel))
    _assert_no_source_text(built, texts)
