"""Rebuild every derived file from its sources (``soviet-figures derive``), and fill pages
from footnote blocks (``soviet-figures pages``).

Derived, never edited by hand:

* ``observations.year_start`` / ``year_end`` — from ``period``;
* ``observations.counted`` — from ``links`` (:func:`soviet_figures.topics.counted_ids`);
* ``datapackage/data/series.csv`` — the observations that form one series
  (:func:`soviet_figures.topics.series_rows`);
* the topic tables ``datapackage/data/<topic>.csv`` — filtered views of observations
  defined in ``schemas/topics.json`` (:mod:`soviet_figures.topics`);
* ``schemas/<topic>.schema.json`` — the observations schema under the topic's title;
* ``datapackage/datapackage.json`` — resources and their schemas, from ``schemas/``;
* ``docs/codebook.md`` — the codebook (:mod:`soviet_figures.codebook`);
* ``docs/plant-party-membership.svg`` — the chart README shows (:mod:`soviet_figures.charts`);
* ``src/soviet_figures/releases.json`` — the current version's entry of the release registry:
  the SHA-256 of every file of the release the derived tables make
  (:func:`soviet_figures.io.fetch.update_registry`); other versions' entries are never touched.

:func:`stale_files` says which committed files differ from what derive would write; the
tests use it.

>>> stale_files()
[]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import tableschema
from ._paths import data_root
from .charts import readme_chart
from .codebook import codebook_text
from .errors import PackageError
from .io.descriptor import descriptor_json, package_descriptor
from .io.fetch import update_registry
from .io.files import read_regular, write_files
from .io.package import Package
from .io.sources import read_source
from .text.pages import derive_pages
from .topics import series_rows, topic_rows, with_counted, with_years
from .validate.catalogue import rules_markdown

__all__ = ["derive", "stale_files", "planned_files", "fill_pages"]


def _topic_schema(name: str) -> dict[str, Any]:
    schema = tableschema.load_schema(name)
    schema["x-derived-from"] = "observations.schema.json and topics.json (soviet-figures derive)"
    return schema


def planned_files(pkg: Package | None = None) -> dict[Path, str]:
    """Every derived file and the content derive would write to it.

    For the installed package that includes the topic schemas, datapackage.json, the
    codebook and README's chart; for someone else's package only its observations' years
    and its topic tables.

    Parameters
    ----------
    pkg : the package (default: the installed one)

    Returns
    -------
    dict : each derived file's path and the text derive would write to it.

    Raises
    ------
    TableError : the package's observations cannot be read as they are (nothing is derived
        from a table that would be misread).

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures.io.package import init_package
    >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
    >>> sorted(p.name for p in planned_files(pkg))[:3]
    ['graduates_and_promotion.csv', 'labour_and_injuries.csv', 'observations.csv']
    """
    pkg = pkg or Package.open(None)
    observations = with_counted(with_years(pkg.rows("observations")), pkg.rows("links"))
    planned: dict[Path, str] = {pkg.path("observations"): pkg.text("observations", observations)}
    series = series_rows(observations, pkg.rows("contexts"), pkg.rows("subjects"), pkg.rows("links"))
    planned[pkg.path("series")] = pkg.text("series", series)
    for table in tableschema.topic_tables():
        planned[pkg.path(table["name"])] = pkg.text(table["name"], topic_rows(observations, table))
    if pkg.installed:
        root = data_root()
        for table in tableschema.topic_tables():
            planned[root / "schemas" / f"{table['name']}.schema.json"] = descriptor_json(_topic_schema(table["name"]))
        planned[root / "datapackage" / "datapackage.json"] = descriptor_json(package_descriptor())
        planned[root / "docs" / "codebook.md"] = codebook_text(pkg.data_dir, observations, series)
        planned[root / "docs" / "plant-party-membership.svg"] = readme_chart(observations)
        planned[root / "docs" / "validation-rules.md"] = rules_markdown()
    return planned


def _current(path: Path, content: str) -> bool:
    if not path.is_file():
        return False
    try:
        return read_regular(path, what="derived file") == content.encode("utf-8")
    except PackageError:  # too large to be current
        return False


def stale_files(pkg: Package | None = None) -> list[Path]:
    """Derived files whose committed content differs from what derive would write.

    Examples
    --------
    >>> [p.name for p in stale_files()]
    []
    """
    return [path for path, content in planned_files(pkg).items() if not _current(path, content)]


def derive(pkg: Package | None = None) -> list[Path]:
    """Write every derived file that changed (atomically); return those written.

    Everything is computed before anything is written; the codebook counts the rows of
    the topic tables it describes and is computed from the new ones. For the installed
    package, the release registry's entry for the current version is then computed from the
    release the tables now on disk make, and written if it changed.

    Parameters
    ----------
    pkg : the package (default: the installed one)

    Returns
    -------
    list of Path : the files written (empty when every derived file is current).

    Raises
    ------
    TableError : the package's observations cannot be read as they are.

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures.io.package import init_package
    >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
    >>> derive(pkg)
    []
    """
    pkg = pkg or Package.open(None)
    changed = {path: content for path, content in planned_files(pkg).items() if not _current(path, content)}
    for path in changed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # write_files says what is in the way, before anything is written
    # every target is checked before the first is written; observations.csv comes first, so
    # an interruption leaves topic tables older than it, which validate reports and derive redoes
    written = write_files(changed)
    # the registry last: the release it describes is built from the tables just written
    return written + (update_registry(pkg.data_dir) if pkg.installed else [])


def fill_pages(pkg: Package, sources: Path) -> dict[str, tuple[int, int]]:
    """Set ``observations.page`` from the footnote blocks and write the observations.

    Only documents whose ``page_method`` derives pages are changed.

    Parameters
    ----------
    pkg : the package whose observations are changed
    sources : the directory of the source texts

    Returns
    -------
    dict : per document, ``(pages established, observations)``.

    Raises
    ------
    SourceError : a text is missing or changed.
    PageError : a document's pages cannot be established reliably.

    Examples
    --------
    >>> import tempfile
    >>> from soviet_figures.io.package import init_package
    >>> pkg = Package.open(init_package(Path(tempfile.mkdtemp()) / "p"))
    >>> fill_pages(pkg, Path(tempfile.mkdtemp()))  # a package without documents
    {}
    """
    observations = pkg.rows("observations")
    ledger = pkg.rows("mentions")
    counts = {}
    for d in pkg.rows("documents"):
        mine = [o for o in observations if o["doc_id"] == d["doc_id"]]
        text = read_source(sources, d["source_file"], d["sha256"])
        pages = derive_pages(text, d, [r for r in ledger if r["doc_id"] == d["doc_id"]], mine)
        if not pages:
            continue
        for o in mine:
            o["page"] = "" if pages[o["obs_id"]] is None else str(pages[o["obs_id"]])
        counts[d["doc_id"]] = (sum(p is not None for p in pages.values()), len(pages))
    pkg.write("observations", observations)
    return counts
