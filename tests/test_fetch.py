"""Releases by version: downloaded with pooch from a local HTTP server, checked against the
registry's hashes, read offline once cached; every failure a clean ReleaseError."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import soviet_figures as sf
from soviet_figures import __version__
from soviet_figures._paths import datapackage_dir
from soviet_figures.errors import ReleaseError
from soviet_figures.io import fetch
from soviet_figures.io.release import release_files


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server:
    """A folder served over HTTP on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, root: Path) -> None:
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return release_files(datapackage_dir() / "data")


def _serve_folder(root: Path, files: dict[str, bytes]) -> Path:
    folder = root / f"v{__version__}"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def server(built, tmp_path_factory) -> Iterator[_Server]:
    srv = _Server(_serve_folder(tmp_path_factory.mktemp("srv"), built))
    yield srv
    srv.stop()


@pytest.fixture()
def registry(built, tmp_path, monkeypatch) -> dict[str, str]:
    """The registry with this version's entry computed here (hashlib) from the served files:
    the committed entry is held to the release separately (test_the_committed_registry_...)."""
    entry = {name: hashlib.sha256(data).hexdigest() for name, data in built.items()}
    path = tmp_path / "releases.json"
    path.write_text(json.dumps({"0.0.1": {"SHA256SUMS": "0" * 64}, __version__: entry}), encoding="utf-8")
    monkeypatch.setattr(fetch, "REGISTRY", path)
    return entry


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("SOVIET_FIGURES_CACHE", str(path))
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def _made_by_the_libraries(name: str) -> bool:
    """The files whose bytes also depend on the installed libraries (pyarrow's Parquet writer and
    the pandas metadata it carries, the SQLite library's version in the database header) and
    SHA256SUMS, which lists their hashes: the release workflow checks those in its own build."""
    return name.endswith((".sqlite", "-parquet.zip")) or name == "SHA256SUMS"


def test_the_committed_registry_entry_is_the_release_the_tables_make(built):
    # fails after the tables or the release's files change until `soviet-figures derive` rewrites the entry
    expected = {name: hashlib.sha256(data).hexdigest() for name, data in built.items()}
    committed = fetch.known_releases()[__version__]
    stale = f"releases.json's entry for {__version__} is not the release the tables make: run soviet-figures derive (before {__version__} is published)"
    assert sorted(committed) == sorted(expected), stale
    assert {n: h for n, h in committed.items() if not _made_by_the_libraries(n)} == {n: h for n, h in expected.items() if not _made_by_the_libraries(n)}, stale
    assert sum(map(_made_by_the_libraries, committed)) == 3  # the rest is held to the tables byte for byte


def test_derive_rewrites_only_the_current_versions_registry_entry(built, tmp_path, monkeypatch):
    path = tmp_path / "releases.json"
    older = {"SHA256SUMS": "1" * 64, "soviet-figures-0.0.1.sqlite": "2" * 64}
    path.write_text(json.dumps({__version__: {"SHA256SUMS": "3" * 64}, "0.0.1": older}), encoding="utf-8")
    monkeypatch.setattr(fetch, "REGISTRY", path)
    assert fetch.update_registry(datapackage_dir() / "data") == [path]
    registry = json.loads(path.read_text(encoding="utf-8"))
    assert list(registry) == ["0.0.1", __version__]  # oldest first
    assert registry["0.0.1"] == older
    assert registry[__version__] == {name: hashlib.sha256(data).hexdigest() for name, data in built.items()}
    monkeypatch.setattr(fetch, "release_hashes", lambda data_dir: registry[__version__])  # the same release, not built a second time
    assert fetch.update_registry(datapackage_dir() / "data") == []  # already current: not written again


def test_first_download_fills_the_cache_and_loads_what_the_package_holds(server, registry, cache, monkeypatch):
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", server.url)
    folder = fetch.fetch_release(__version__)
    assert folder == cache / __version__
    assert {n: hashlib.sha256(b).hexdigest() for n, b in _files(folder).items()} == registry
    for name in ("observations", "documents"):
        pd.testing.assert_frame_equal(sf.load(name, version=__version__), sf.load(name))
    pd.testing.assert_frame_equal(sf.load("observations", version=__version__, subject="Kirov plant"), sf.load("observations", subject="Kirov plant"))


def test_a_cached_release_loads_with_the_server_gone(built, registry, cache, tmp_path, monkeypatch):
    own = _Server(_serve_folder(tmp_path / "srv", built))
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", own.url)
    fetch.fetch_release(__version__)
    own.stop()
    pd.testing.assert_frame_equal(sf.load("documents", version=__version__), sf.load("documents"))


def test_a_tampered_file_on_the_server_is_refused_and_not_kept(built, server, registry, cache, tmp_path, monkeypatch):
    name = next(n for n in built if n.endswith(".sqlite"))
    tampered = dict(built)
    tampered[name] = built[name][:-1] + bytes([built[name][-1] ^ 1])
    bad = _Server(_serve_folder(tmp_path / "srv", tampered))
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", bad.url)
    try:
        with pytest.raises(ReleaseError, match=rf"{name}: its SHA-256 is not the one .* knows .*was not kept") as caught:
            sf.load("documents", version=__version__)
    finally:
        bad.stop()
    assert "Traceback" not in str(caught.value)
    kept = _files(cache / __version__)
    assert name not in kept and set(kept) <= set(built)  # no tampered file, no half-written temporary one
    assert all(hashlib.sha256(data).hexdigest() == registry[n] for n, data in kept.items())
    # the same cache then takes the genuine release
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", server.url)
    pd.testing.assert_frame_equal(sf.load("documents", version=__version__), sf.load("documents"))


def test_a_cached_file_changed_later_is_never_read(built, registry, cache, tmp_path, monkeypatch):
    own = _Server(_serve_folder(tmp_path / "srv", built))
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", own.url)
    folder = fetch.fetch_release(__version__)
    name = next(n for n in built if n.endswith("-csv.zip"))
    (folder / name).write_bytes(b"changed")
    assert fetch.fetch_release(__version__) == folder  # the server is up: downloaded again
    assert (folder / name).read_bytes() == built[name]
    (folder / name).write_bytes(b"changed")
    own.stop()
    with pytest.raises(ReleaseError, match=rf"could not get {name} of release {__version__}"):
        sf.load("documents", version=__version__)


def test_an_unknown_version_is_refused_with_the_known_ones(cache):
    with pytest.raises(ReleaseError, match=r"release 9\.9\.9 is not one this package knows \(soviet-figures .* knows: (.*, )?" + __version__.replace(".", r"\.")):
        sf.load("documents", version="9.9.9")
    assert not cache.exists()


@pytest.mark.parametrize("version", ["v0.1.0", "0.1", "0.1.0.1", "../0.1.0", "01.1.0", "", 1.0])
def test_a_malformed_version_is_refused(version, cache):
    with pytest.raises(ReleaseError, match=r"expected a release version like '\d+\.\d+\.\d+', three numbers"):
        fetch.fetch_release(version)  # type: ignore[arg-type]


def test_no_release_address_is_a_clean_refusal(registry, cache, monkeypatch):
    monkeypatch.delenv("SOVIET_FIGURES_RELEASES", raising=False)
    monkeypatch.setattr(fetch, "_project_urls", lambda: ["Homepage, https://example.org/"])
    with pytest.raises(ReleaseError, match="no release address is known.*set SOVIET_FIGURES_RELEASES"):
        sf.load("documents", version=__version__)
    assert not cache.exists()


def test_the_releases_project_url_is_the_default_address(monkeypatch):
    monkeypatch.delenv("SOVIET_FIGURES_RELEASES", raising=False)
    monkeypatch.setattr(fetch, "_project_urls", lambda: ["Homepage, https://example.org/", "Releases, https://example.org/download/"])
    assert fetch.releases_address() == "https://example.org/download"
    for odd in ("ftp://example.org/x", "example.org/x", "https://example.org/{x}"):
        monkeypatch.setenv("SOVIET_FIGURES_RELEASES", odd)
        with pytest.raises(ReleaseError, match="expected an http:// or https:// address"):
            fetch.releases_address()


def test_a_server_that_is_down_is_a_clean_refusal(built, registry, cache, tmp_path, monkeypatch):
    gone = _Server(tmp_path / "empty")
    gone.stop()  # nothing listens on its port any more
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", gone.url)
    with pytest.raises(ReleaseError, match=rf"could not get .* of release {__version__} .*check your connection") as caught:
        sf.load("documents", version=__version__)
    assert "Traceback" not in str(caught.value)
    assert not any(p.is_file() for p in cache.rglob("*"))


def test_a_release_missing_on_the_server_is_a_clean_refusal(server, registry, cache, monkeypatch):
    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", server.url + "/elsewhere")
    with pytest.raises(ReleaseError, match=r"404"):
        fetch.fetch_release(__version__)


def test_release_and_version_together_are_refused(tmp_path):
    with pytest.raises(ReleaseError, match="both given"):
        sf.load("documents", release=tmp_path, version=__version__)


def test_a_built_release_is_checked_against_the_registry(built, registry, tmp_path):
    folder = _serve_folder(tmp_path, built) / f"v{__version__}"
    assert fetch.check_release_folder(folder, __version__) == list(registry)
    name = next(iter(built))
    (folder / name).write_bytes(b"other")
    with pytest.raises(ReleaseError, match=f"{name} differ from the SHA-256 the registry holds"):
        fetch.check_release_folder(folder, __version__)
    (folder / name).unlink()
    with pytest.raises(ReleaseError, match=f"lacks files the registry lists for release {__version__}: {name}"):
        fetch.check_release_folder(folder, __version__)


def test_the_fetch_command_downloads_lists_and_refuses(server, registry, cache, monkeypatch, capsys):
    from soviet_figures.cli import main

    monkeypatch.setenv("SOVIET_FIGURES_RELEASES", server.url)
    assert main(["fetch", __version__]) == 0
    assert str(cache / __version__) in capsys.readouterr().out
    assert sorted(p.name for p in (cache / __version__).iterdir()) == sorted(registry)
    assert main(["fetch", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["0.0.1  1 files", f"{__version__}  {len(registry)} files"]
    assert main(["fetch", "9.9.9"]) == 1
    err = capsys.readouterr().err
    assert "9.9.9" in err and __version__ in err and "Traceback" not in err
    assert main(["fetch"]) == 2


def test_build_with_a_tag_refuses_a_wrong_tag_and_checks_the_registry(registry, tmp_path, monkeypatch, capsys):
    from soviet_figures.cli import main

    assert main(["build", "--out", str(tmp_path / "wrong"), "--tag", "v9.9.9"]) == 2
    assert f"expected v{__version__}" in capsys.readouterr().err
    assert not (tmp_path / "wrong").exists()  # refused before anything was written
    assert main(["build", "--out", str(tmp_path / "ok"), "--tag", f"v{__version__}"]) == 0
    assert f"{len(registry)} files equal the registry's entry" in capsys.readouterr().out
    changed = dict(registry, **{"README.md": "0" * 64})
    monkeypatch.setattr(fetch, "REGISTRY", tmp_path / "changed.json")
    (tmp_path / "changed.json").write_text(json.dumps({__version__: changed}), encoding="utf-8")
    assert main(["build", "--out", str(tmp_path / "differs"), "--tag", f"v{__version__}"]) == 1
    assert "README.md" in capsys.readouterr().err
