"""Shared fixtures: the source texts (read at run time, never committed) and package copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def sources_path() -> Path | None:
    env = os.environ.get("SOVIET_FIGURES_SOURCES")
    for candidate in (env, ROOT.parent / "shared" / "sources"):
        if candidate and Path(candidate, "SOURCES.md").exists():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def sources() -> Path:
    path = sources_path()
    if path is None:
        pytest.skip("source texts not available (set SOVIET_FIGURES_SOURCES)")
    return path


@pytest.fixture(scope="session")
def texts(sources: Path) -> dict[str, str]:
    import soviet_figures as sf

    docs = sf.documents()
    return {d.doc_id: (sources / d.source_file).read_text(encoding="utf-8") for d in docs.itertuples()}


@pytest.fixture()
def package_copy(tmp_path: Path) -> Path:
    """A writable copy of the data package; returns the path of its datapackage.json."""
    dest = tmp_path / "datapackage"
    shutil.copytree(ROOT / "datapackage", dest)
    return dest / "datapackage.json"
