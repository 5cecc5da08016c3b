"""Releases by version: downloaded once with pooch, checked against the hashes the package knows.

``releases.json`` (beside this package's modules) is the registry: for every release the
package knows, each file's name and SHA-256, ``{version: {file: sha256}}``. A published
release never changes, so only the current version's entry is ever rewritten (by
``soviet-figures derive``, from the release the tables make).

:func:`fetch_release` downloads a release's files from ``<address>/v<version>/<file>`` into
the cache (``SOVIET_FIGURES_CACHE``, else the user cache directory), refusing any file
whose SHA-256 differs from the registry's, and returns the folder: ``sf.load(name,
version=...)`` reads it. The address is ``SOVIET_FIGURES_RELEASES``, else the installed
package's ``Releases`` Project-URL.

>>> __version__ in known_releases()
True
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import PackageError, ReleaseError
from .files import read_regular, sha256_file, sha256_hex, write_files
from .release import release_files

__all__ = [
    "fetch_release", "known_releases", "releases_address", "release_hashes", "registry_text", "update_registry", "check_release_folder",
    "REGISTRY", "RELEASES_ENV", "CACHE_ENV",
]

REGISTRY = Path(__file__).resolve().parents[1] / "releases.json"
RELEASES_ENV = "SOVIET_FIGURES_RELEASES"
CACHE_ENV = "SOVIET_FIGURES_CACHE"

_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TIMEOUT_SECONDS = 60  # per request: a server that stops answering is reported, not waited on forever
_MAX_REGISTRY_BYTES = 2**20


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and bool(name) and name not in {".", ".."} and not any(c in name for c in "/\\") and all(ord(c) >= 32 for c in name)


def known_releases() -> dict[str, dict[str, str]]:
    """The registry: every release this package knows, each file's name and SHA-256.

    Returns
    -------
    dict : ``{version: {file name: sha256}}``, oldest version first.

    Raises
    ------
    PackageError : ``releases.json`` is missing or not such a registry (a damaged installation).

    Examples
    --------
    >>> entry = known_releases()[__version__]
    >>> "SHA256SUMS" in entry, all(len(digest) == 64 for digest in entry.values())
    (True, True)
    """
    try:
        registry: Any = json.loads(read_regular(REGISTRY, _MAX_REGISTRY_BYTES, "release registry"))
    except PackageError as exc:
        raise PackageError(f"{exc}; reinstall soviet-figures") from None
    except (ValueError, RecursionError):  # not JSON
        registry = None
    well_formed = isinstance(registry, dict) and all(
        isinstance(v, str) and _VERSION.fullmatch(v) and isinstance(files, dict) and files
        and all(_plain_name(n) and isinstance(h, str) and _SHA256.fullmatch(h) for n, h in files.items())
        for v, files in registry.items()
    )
    if not well_formed:
        raise PackageError(f"{REGISTRY}: expected the release registry, a JSON object {{version: {{file name: sha256}}}}, found something else; reinstall soviet-figures")
    return {v: dict(registry[v]) for v in sorted(registry, key=_version_key)}


def _known_files(version: object) -> dict[str, str]:
    """The registry's files of ``version``, a version refused unless well-formed and known."""
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        hint = " (without the leading v)" if isinstance(version, str) and _VERSION.fullmatch(version[1:]) and version[:1] in "vV" else ""
        raise ReleaseError(f"version={version!r}: expected a release version like {__version__!r}, three numbers separated by dots{hint}; soviet_figures.io.fetch.known_releases() lists them")
    releases = known_releases()
    if version not in releases:
        raise ReleaseError(f"release {version} is not one this package knows (soviet-figures {__version__} knows: {', '.join(releases)}); give one of them, or upgrade soviet-figures for newer releases")
    return releases[version]


def _project_urls() -> list[str]:
    """The installed package's ``Project-URL`` entries (``"label, url"``); none when it is not installed."""
    try:
        return importlib.metadata.metadata("soviet-figures").get_all("Project-URL") or []
    except importlib.metadata.PackageNotFoundError:
        return []


def releases_address() -> str:
    """The address under which a release's files are at ``v<version>/<file>`` (no final slash).

    ``SOVIET_FIGURES_RELEASES`` when set, else the installed package's Project-URL labelled
    ``Releases``.

    Returns
    -------
    str : an ``http://`` or ``https://`` address.

    Raises
    ------
    ReleaseError : no address is known, or it is not an http(s) address.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"SOVIET_FIGURES_RELEASES": "https://example.org/releases/"}):
    ...     releases_address()
    'https://example.org/releases'
    """
    address = os.environ.get(RELEASES_ENV, "").strip()
    origin = RELEASES_ENV
    if not address:
        labelled = [entry.split(",", 1) for entry in _project_urls() if "," in entry]
        address = next((url.strip() for label, url in labelled if label.strip().lower() == "releases"), "")
        origin = "the package's Releases Project-URL"
    if not address:
        raise ReleaseError(
            f"no release address is known: this installation of soviet-figures names none and {RELEASES_ENV} is not set; "
            f"set {RELEASES_ENV} to the address under which a release's files are at v<version>/<file> "
            "(or build a release with soviet-figures build and read it with sf.load(name, release=FOLDER))"
        )
    parts = urlsplit(address)
    if parts.scheme not in {"http", "https"} or not parts.netloc or any(c in address for c in "{} "):
        raise ReleaseError(f"{origin}={address!r}: expected an http:// or https:// address under which a release's files are at v<version>/<file>; set {RELEASES_ENV} to such an address")
    return address.rstrip("/")


def fetch_release(version: str) -> Path:
    """Download release ``version`` into the cache (once) and return its folder.

    Every file of the release is fetched from ``<address>/v<version>/<file>``
    (:func:`releases_address`) into ``$SOVIET_FIGURES_CACHE/<version>/`` (default: the
    user cache directory, e.g. ``~/.cache/soviet-figures/<version>/``) and checked against
    the SHA-256 this package knows for it (:func:`known_releases`) before it is kept: a file
    that differs is deleted and refused. Files already in the cache with the right hash are
    not downloaded again, so a release fetched once is read offline.

    Parameters
    ----------
    version : a release version, e.g. ``"0.1.0"``

    Returns
    -------
    Path : the folder holding the release's files and its ``SHA256SUMS``
        (``sf.load(name, release=folder)`` reads it).

    Raises
    ------
    ReleaseError : a malformed or unknown version (the message lists the known ones), no
        release address, a download that fails, or a file whose hash differs.

    Examples
    --------
    >>> fetch_release("v0.1.0")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.ReleaseError: version='v0.1.0': expected a release version like '...', three numbers separated by dots (without the leading v); ...
    >>> fetch_release("999.0.0")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.ReleaseError: release 999.0.0 is not one this package knows (soviet-figures ... knows: ...); give one of them, or upgrade soviet-figures for newer releases
    """
    files = _known_files(version)
    base_url = releases_address() + "/v{version}/"
    import pooch  # imported here: pooch (and requests) cost about 10 ms, which sf.load without version= must not pay

    cache = pooch.create(
        path=pooch.os_cache("soviet-figures"), base_url=base_url, version=version, env=CACHE_ENV,
        registry={name: f"sha256:{digest}" for name, digest in files.items()},
    )
    downloader = pooch.HTTPDownloader(progressbar=False, timeout=_TIMEOUT_SECONDS)
    for name in files:
        url = cache.get_url(name)
        try:
            cache.fetch(name, downloader=downloader)
        except ValueError:  # pooch: the downloaded file's hash differs (it deleted the download)
            raise ReleaseError(
                f"{url}: its SHA-256 is not the one soviet-figures {__version__} knows for {name} of release {version}; "
                "the file on the server was changed or damaged on the way, and was not kept: try again, and if it persists report it (do not use that file)"
            ) from None
        except OSError as exc:  # requests' errors (no connection, 404, timeout) are OSErrors; so is a cache that cannot be written
            raise ReleaseError(
                f"{url}: could not get {name} of release {version} into {cache.abspath} ({exc}); "
                f"check your connection and that {RELEASES_ENV} (or the Releases address) holds v{version}/, or set {CACHE_ENV} to a writable folder"
            ) from None
    return Path(cache.abspath)


def release_hashes(data_dir: Path) -> dict[str, str]:
    """Each file of the release the tables in ``data_dir`` make, and its SHA-256.

    Parameters
    ----------
    data_dir : the package's ``data/`` directory

    Returns
    -------
    dict : ``{file name: sha256}``, in the order :func:`release_files` gives them.

    Raises
    ------
    TableError : a table cannot be read as its schema says.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> list(release_hashes(datapackage_dir() / "data"))[-1]
    'SHA256SUMS'
    """
    return {name: sha256_hex(data) for name, data in release_files(data_dir).items()}


def registry_text(entry: dict[str, str]) -> str:
    """``releases.json`` with ``entry`` as the current version's entry, every other version's
    entry as it is (a published release never changes).

    Parameters
    ----------
    entry : ``{file name: sha256}`` of the current version's release (:func:`release_hashes`)

    Returns
    -------
    str : the registry as JSON (versions oldest first, file names sorted), with a final newline.

    Raises
    ------
    PackageError : the present registry is damaged.

    Examples
    --------
    >>> text = registry_text({"SHA256SUMS": "0" * 64})
    >>> json.loads(text)[__version__], list(json.loads(text)) == list(known_releases())
    ({'SHA256SUMS': '0000000000000000000000000000000000000000000000000000000000000000'}, True)
    """
    registry = known_releases() if REGISTRY.exists() else {}
    registry[__version__] = entry
    ordered = {v: dict(sorted(registry[v].items())) for v in sorted(registry, key=_version_key)}
    return json.dumps(ordered, indent=2) + "\n"


def update_registry(data_dir: Path) -> list[Path]:
    """Rewrite ``releases.json`` (atomically) if its entry for the current version is not the
    release the tables in ``data_dir`` make; every other version's entry stays as it is.

    ``soviet-figures derive`` runs it after writing the derived tables.

    Parameters
    ----------
    data_dir : the installed package's ``data/`` directory

    Returns
    -------
    list of Path : ``[REGISTRY]`` when it was written, else empty.

    Raises
    ------
    PackageError : the present registry is damaged, or cannot be written.
    TableError : a table cannot be read as its schema says.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> from soviet_figures._paths import datapackage_dir
    >>> with mock.patch(f"{__name__}.REGISTRY", Path(tempfile.mkdtemp()) / "releases.json"):
    ...     [p.name for p in update_registry(datapackage_dir() / "data")]
    ['releases.json']
    """
    text = registry_text(release_hashes(data_dir))
    if REGISTRY.is_file() and read_regular(REGISTRY, _MAX_REGISTRY_BYTES, "release registry") == text.encode("utf-8"):
        return []
    return write_files({REGISTRY: text})


def check_release_folder(folder: Path, version: str) -> list[str]:
    """Check that ``folder`` holds exactly the files the registry lists for ``version``,
    each with its SHA-256 (the release workflow runs it before publishing).

    Parameters
    ----------
    folder : a built release (``soviet-figures build --out folder``)
    version : the version it is published as

    Returns
    -------
    list of str : the file names checked.

    Raises
    ------
    ReleaseError : an unknown version, a file missing or extra, or a hash that differs.

    Examples
    --------
    >>> import tempfile
    >>> check_release_folder(Path(tempfile.mkdtemp()), __version__)
    Traceback (most recent call last):
    ...
    soviet_figures.errors.ReleaseError: ...: lacks files the registry lists for release ...: ...; build the release again (soviet-figures build)
    """
    files = _known_files(version)
    present = sorted(p.name for p in Path(folder).iterdir())
    missing, extra = [n for n in files if n not in present], [n for n in present if n not in files]
    if missing:
        raise ReleaseError(f"{folder}: lacks files the registry lists for release {version}: {', '.join(missing)}; build the release again (soviet-figures build)")
    if extra:
        raise ReleaseError(f"{folder}: holds files the registry does not list for release {version}: {', '.join(extra)}; publish only the built release (remove them), or run soviet-figures derive and commit releases.json")
    differ = [n for n, digest in files.items() if sha256_file(Path(folder) / n, 2**30, "release file") != digest]
    if differ:
        raise ReleaseError(f"{folder}: {', '.join(differ)} differ from the SHA-256 the registry holds for release {version}; run soviet-figures derive and commit releases.json before tagging (a published release never changes)")
    return list(files)
