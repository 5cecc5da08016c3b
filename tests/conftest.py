"""Shared fixtures: the source texts (read at run time, never committed) and package copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def sources_path() -> Path | None:
    """The directory ``SOVIET_FIGURES_SOURCES`` names, when it holds the documents' texts
    (the only way the tests reach them: nothing outside the repository is looked for)."""
    env = os.environ.get("SOVIET_FIGURES_SOURCES")
    if not env:
        return None
    import soviet_figures as sf

    return Path(env) if all((Path(env) / name).is_file() for name in sf.documents()["source_file"]) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reads the source texts must say so with ``@pytest.mark.texts``: public CI
    without the texts runs ``-m "not texts"`` and nothing is skipped behind its back."""
    unmarked = [item.nodeid for item in items
                if {"sources", "texts"} & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("texts") is None]
    if unmarked:
        raise pytest.UsageError("these tests read the source texts but are not marked @pytest.mark.texts: " + ", ".join(unmarked[:5]))


@pytest.fixture(scope="session")
def sources() -> Path:
    path = sources_path()
    if path is None:
        if os.environ.get("SOVIET_FIGURES_SOURCES"):
            pytest.fail(f"SOVIET_FIGURES_SOURCES={os.environ['SOVIET_FIGURES_SOURCES']} does not hold every document's text (documents.source_file)")
        pytest.skip("marked texts: needs the source texts (set SOVIET_FIGURES_SOURCES, or deselect with -m 'not texts')")
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
