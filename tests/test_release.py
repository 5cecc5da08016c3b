"""Releases: deterministic, lossless, verified on reading, and free of the source texts."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import sqlite3
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
from soviet_figures.io.release import FTS_COLUMNS, build, release_files

ROOT = Path(__file__).resolve().parents[1]
STEM = f"soviet-figures-{__version__}"
TABLES = tableschema.table_names()
# what a release holds: written out here, not taken from the code that builds it
RELEASE_FILES = sorted([
    "SHA256SUMS", "datapackage.json", "README.md", "LICENSE", "LICENSE-DATA.md",
    f"{STEM}-csv.zip", f"{STEM}-parquet.zip", f"{STEM}.sqlite", f"{STEM}-datasette.json",
    *(f"{name}.csv" for name in TABLES),
])
ZIP_EXTRAS = ["datapackage.json", "README.md", "LICENSE", "LICENSE-DATA.md"]


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release")
    build(out, datapackage_dir() / "data")
    return out


@pytest.fixture(scope="module")
def expected() -> dict[str, pd.DataFrame]:
    return {name: sf.load(name) for name in TABLES}


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_building_twice_gives_byte_identical_files(release, tmp_path):
    build(tmp_path, datapackage_dir() / "data")
    names = sorted(p.name for p in release.iterdir())
    assert names == RELEASE_FILES
    for name in names:
        assert (release / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_release_files_are_flat_and_sha256sums_comes_last(release):
    files = release_files(datapackage_dir() / "data")  # what io.fetch publishes and hashes
    assert list(files)[-1] == "SHA256SUMS"
    assert sorted(files) == RELEASE_FILES and not any("/" in n or "\\" in n for n in files)
    lines = [line.split("  ", 1) for line in (release / "SHA256SUMS").read_text().splitlines()]  # sha256sum's format
    assert [name for _, name in lines] == sorted(n for n in RELEASE_FILES if n != "SHA256SUMS")
    for digest, name in lines:
        assert digest == hashlib.sha256((release / name).read_bytes()).hexdigest(), name


def _assert_resources_match(desc: dict, files: dict[str, bytes], path_of) -> None:
    assert [r["name"] for r in desc["resources"]] == TABLES
    for res in desc["resources"]:
        data = files[path_of(res["name"])]
        assert res["path"] == path_of(res["name"])
        assert res["bytes"] == len(data), res["name"]
        assert res["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}", res["name"]
        assert res["schema"] == tableschema.load_schema(res["name"])


def test_every_descriptor_gives_the_path_bytes_and_hash_of_its_files(release):
    folder = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    _assert_resources_match(folder, {p.name: p.read_bytes() for p in release.iterdir()}, lambda n: f"{n}.csv")
    csv_zip = _zip_members(release / f"{STEM}-csv.zip")
    _assert_resources_match(json.loads(csv_zip["datapackage.json"]), csv_zip, lambda n: f"data/{n}.csv")
    parquet_zip = _zip_members(release / f"{STEM}-parquet.zip")
    parquet_desc = json.loads(parquet_zip["datapackage.json"])
    _assert_resources_match(parquet_desc, parquet_zip, lambda n: f"data/{n}.parquet")
    assert {(r["format"], r["mediatype"]) for r in parquet_desc["resources"]} == {("parquet", "application/vnd.apache.parquet")}
    for name in TABLES:  # the folder's CSVs are the package's, byte for byte
        assert (release / f"{name}.csv").read_bytes() == csv_zip[f"data/{name}.csv"] == (datapackage_dir() / "data" / f"{name}.csv").read_bytes()


def test_every_zip_holds_its_descriptor_readme_and_licences(release):
    for kind, suffix in (("csv", "csv"), ("parquet", "parquet")):
        members = _zip_members(release / f"{STEM}-{kind}.zip")
        assert sorted(members) == sorted(ZIP_EXTRAS + [f"data/{n}.{suffix}" for n in TABLES])
        assert members["LICENSE"] == (ROOT / "LICENSE").read_bytes() == (release / "LICENSE").read_bytes()
        assert members["LICENSE-DATA.md"] == (ROOT / "LICENSE-DATA.md").read_bytes() == (release / "LICENSE-DATA.md").read_bytes()
        assert f"data/<table>.{suffix}" in members["README.md"].decode("utf-8")


@pytest.mark.parametrize("where", ["folder", "csv", "parquet"])
def test_the_readme_says_what_the_release_is_and_how_to_use_and_cite_it(release, expected, where):
    path = release / "README.md" if where == "folder" else None
    text = path.read_text(encoding="utf-8") if path else _zip_members(release / f"{STEM}-{where}.zip")["README.md"].decode("utf-8")
    assert f"Version {__version__}." in text
    for name in TABLES:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        assert f"| {len(expected[name])} |" in row and tableschema.load_schema(name)["description"][:40] in row
    for needle in ("pd.read_", "sf.load(", "frictionless validate datapackage.json", f"datasette {STEM}.sqlite -m {STEM}-datasette.json",
                   "CC-BY-4.0", "MIT", "under their authors' and publishers' copyright", "## How to cite", "`LICENSE-DATA.md`"):
        assert needle in text, needle


def _frictionless(descriptor: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "frictionless", "validate", "--json", descriptor.name], cwd=descriptor.parent, stdout=subprocess.PIPE, text=True)


def _report(run: subprocess.Popen) -> dict:
    out, _ = run.communicate(timeout=120)
    return json.loads(out)


def _tampered_copy(release: Path, into: Path) -> Path:
    """The folder with a CSV changed behind its hash, and another with a doc_id no document
    has (its hash updated): frictionless must report both."""
    into.mkdir()
    keep = ["documents", "measures", "subjects", "contexts", "observations", "links"]  # observations and what it references
    desc = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] in keep]
    for name in keep:
        (into / f"{name}.csv").write_bytes((release / f"{name}.csv").read_bytes())
    links = into / "links.csv"
    links.write_bytes(links.read_bytes().replace(b"same_quantity_as", b"disagrees_with", 1))
    obs = into / "observations.csv"
    data = obs.read_bytes().replace(b",kokosalakis-2016,", b",no-such-document,", 1)
    obs.write_bytes(data)
    res = next(r for r in desc["resources"] if r["name"] == "observations")
    res["bytes"], res["hash"] = len(data), f"sha256:{hashlib.sha256(data).hexdigest()}"
    (into / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    return into / "datapackage.json"


def test_frictionless_validates_the_folder_as_it_lies_and_the_csv_zip_unzipped(release, tmp_path):
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(release / f"{STEM}-csv.zip") as z:
        z.extractall(unzipped)
    runs = {  # in parallel: each takes seconds
        "folder": _frictionless(release / "datapackage.json"),
        "unzipped": _frictionless(unzipped / "datapackage.json"),
        "tampered": _frictionless(_tampered_copy(release, tmp_path / "tampered")),
    }
    reports = {name: _report(run) for name, run in runs.items()}
    for name in ("folder", "unzipped"):
        assert reports[name]["valid"], (name, reports[name]["errors"], [t["errors"][:3] for t in reports[name]["tasks"]])
        assert [t["name"] for t in reports[name]["tasks"]] == TABLES
    errors = {(t["name"], e["type"]) for t in reports["tampered"]["tasks"] for e in t["errors"]}
    assert ("links", "hash-count") in errors and ("observations", "foreign-key") in errors, errors


FORMS = {
    "folder": lambda r: r,
    "csv zip": lambda r: r / f"{STEM}-csv.zip",
    "parquet zip": lambda r: r / f"{STEM}-parquet.zip",
    "sqlite": lambda r: r / f"{STEM}.sqlite",
}


@pytest.mark.parametrize("form", FORMS)
def test_every_form_of_the_release_loads_every_table_as_load_gives_it(release, expected, form):
    where = FORMS[form](release)
    for name in TABLES:
        pd.testing.assert_frame_equal(sf.load(name, release=where), expected[name], obj=f"{form}: {name}")


@pytest.mark.parametrize("form", [f for f in FORMS if f != "folder"])
def test_every_form_is_refused_when_another_file_of_the_release_is_damaged(release, tmp_path, form):
    for p in release.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    readme = tmp_path / "README.md"  # not a file load reads: still checked
    readme.write_bytes(readme.read_bytes() + b" ")
    with pytest.raises(ReleaseError, match="README.md: SHA-256 does not match SHA256SUMS"):
        sf.load("documents", release=FORMS[form](tmp_path))


def test_parquet_carries_the_table_schema(release):
    with zipfile.ZipFile(release / f"{STEM}-parquet.zip") as z:
        data = z.read("data/observations.parquet")
    schema = pq.read_schema(io.BytesIO(data))
    table_schema = json.loads(schema.metadata[b"table_schema"])
    assert [f["name"] for f in table_schema["fields"]] == tableschema.field_names("observations")
    assert b"description" in schema.field("unit").metadata
    assert b"percent" in schema.field("unit").metadata[b"enum"]


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # leaves no journal beside the release


def test_sqlite_has_foreign_keys_and_full_text_search(release):
    con = _read_only(release / f"{STEM}.sqlite")
    fks = con.execute("PRAGMA foreign_key_list(observations)").fetchall()
    assert {fk[2] for fk in fks} == {"documents", "measures", "subjects", "contexts"}
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    text = " || ' ' || ".join(f"coalesce(o.{c}, '')" for c in FTS_COLUMNS["observations"])
    hits = con.execute(f"SELECT {text} FROM observations_fts f JOIN observations o ON o.rowid = f.rowid WHERE observations_fts MATCH 'overtime'").fetchall()
    assert hits and all("overtime" in t.lower() for (t,) in hits)
    con.close()


@pytest.mark.parametrize("table", list(FTS_COLUMNS))
def test_each_search_index_finds_exactly_the_rows_whose_text_holds_the_word(release, expected, table):
    """The index agrees with the rows it indexes (their rowids survived VACUUM): a word of the
    last row finds the rows holding it as a whole word in the indexed columns, no more, no fewer."""
    columns = list(FTS_COLUMNS[table])
    key = tableschema.load_schema(table)["primaryKey"][0]
    df = expected[table]
    text = df[columns].astype(object).where(df[columns].notna(), "").astype(str).agg(" ".join, axis=1)
    word = max(re.findall(r"[A-Za-z]{4,}", text.iloc[-1]), key=len)
    holding = {k for k, t in zip(df[key], text) if re.search(rf"(?<![^\W_]){word}(?![^\W_])", t, re.IGNORECASE)}
    con = _read_only(release / f"{STEM}.sqlite")
    found = {r[0] for r in con.execute(f'SELECT t."{key}" FROM "{table}_fts" f JOIN "{table}" t ON t.rowid = f.rowid WHERE "{table}_fts" MATCH ?', (f'"{word}"',))}
    con.close()
    assert df[key].iloc[-1] in found and found == holding, word


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
    members = _members(wheel)
    assert any(n.endswith("_data/datapackage/data/observations.csv") for n in members)
    # an installed wheel builds a release with its licences: they are where licence_files() looks
    assert members["soviet_figures/_data/LICENSE"] == (ROOT / "LICENSE").read_bytes()
    assert members["soviet_figures/_data/LICENSE-DATA.md"] == (ROOT / "LICENSE-DATA.md").read_bytes()
    _assert_no_source_text(built, texts)
