"""Load the package's tables as typed pandas DataFrames.

>>> import soviet_figures as sf
>>> df = sf.load("observations", doc_id="nktp-second-plenum")
>>> str(df["qualifier"].dtype), str(df["value"].dtype), str(df["char_start"].dtype)
('category', 'Float64', 'Int64')
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from . import tableschema
from ._paths import datapackage_dir
from .errors import PackageError, ReleaseError, TableError
from .io.csvfile import read_rows
from .io.fetch import fetch_release
from .io.files import read_regular
from .io.release import read_release_table
from .io.tables import read_csv_table
from .names import closest, fold, subject_names

__all__ = ["read_table", "load", "tables", "documents", "EmptyResultWarning"]


def read_table(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """One table's CSV file read with the dtypes its schema declares.

    Parameters
    ----------
    name : the table
    path : its CSV file (default: the installed ``datapackage/data/<name>.csv``)

    Raises
    ------
    TableError : the file is missing or damaged, or does not hold the schema's columns.

    Examples
    --------
    >>> read_table("measures").shape[1]
    7
    """
    tableschema.check_table_name(name)
    path = Path(path) if path is not None else datapackage_dir() / "data" / f"{name}.csv"
    try:
        data = read_regular(path, what="table file")
    except PackageError as exc:
        raise TableError(f"{exc} (reinstall the package or rebuild the release)") from None
    return read_csv_table(name, data, str(path))


def tables() -> pd.DataFrame:
    """Every table with its row count and description.

    Returns
    -------
    pandas.DataFrame : columns ``name``, ``rows``, ``description``, one row per table
        (the core tables, then the topic tables).

    Examples
    --------
    >>> import soviet_figures as sf
    >>> t = sf.tables()
    >>> list(t.columns), int(t.set_index("name").loc["documents", "rows"])
    (['name', 'rows', 'description'], 5)
    """
    rows = []
    for name in tableschema.table_names():
        path = datapackage_dir() / "data" / f"{name}.csv"
        n = len(read_rows(path)) if path.exists() else 0
        rows.append({"name": name, "rows": n, "description": tableschema.load_schema(name).get("description", "")})
    return pd.DataFrame(rows).astype({"name": "string", "rows": "Int64", "description": "string"})


def load(name: str, release: str | Path | None = None, version: str | None = None, **filters: Any) -> pd.DataFrame:
    """Load a table as a typed DataFrame, optionally from a release and filtered.

    Parameters
    ----------
    name : a table of the package (``sf.tables()`` lists them)
    release : read the table from a release instead of the installed package: a release
        folder (its newest version is read), its CSV or Parquet zip, or its ``.sqlite``
        database. Every file its ``SHA256SUMS`` lists is verified first.
    version : read the table from the published release of this version (e.g. ``"0.1.0"``),
        downloaded once into the cache (``SOVIET_FIGURES_CACHE``, else the user cache
        directory) from ``SOVIET_FIGURES_RELEASES`` (else the package's ``Releases`` address)
        and checked against the SHA-256 of every
        file this package knows for that release (:func:`soviet_figures.io.fetch.fetch_release`);
        later calls read the cache without the network. Not together with ``release``.
    **filters : ``column=value`` keeps the rows whose cell equals ``value``;
        ``column=[a, b]`` (a list, tuple or set) keeps the rows whose cell is one of them.
        Filters combine with AND; missing cells never match. ``subject`` takes a subject's
        name or any of its aliases (``subject="Kirov plant"``); a value outside a column's
        vocabulary is refused with the closest ones, and a filter that leaves no row warns
        (:class:`EmptyResultWarning`) naming the closest values present.

    Returns
    -------
    pandas.DataFrame : categoricals for controlled vocabularies, nullable ``Int64`` and
        ``Float64`` numbers, Arrow-backed strings; the index runs from 0.

    Raises
    ------
    TableError : an unknown table or column (the message lists the valid ones), or a
        damaged table file.
    ReleaseError : a release that is incomplete, changed, or not a release; an unknown or
        malformed ``version`` (the message lists the known ones), no release address, a
        download that fails, or ``release`` and ``version`` both given.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> sf.load("observations", unit="hours").unit.unique().tolist()
    ['hours']
    >>> len(sf.load("observations", doc_id=["fitzpatrick-1979", "leibovich-heroic-discourse"])) > 100
    True
    >>> len(sf.load("observations", subject="Kirov plant")) == len(sf.load("observations", subject="Krasnyi Putilovets (Kirov) plant"))
    True
    >>> sf.load("nope")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.TableError: unknown table 'nope'; valid tables: documents, measures, subjects, contexts, observations, mentions, links, arithmetic, series, party_membership, party_expulsions, graduates_and_promotion, labour_and_injuries, production_and_plans, workforce

    A published release by its version (downloaded once; a version the package does not know
    is refused before anything is downloaded):

    >>> sf.load("documents", version="999.0.0")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.ReleaseError: release 999.0.0 is not one this package knows (soviet-figures ... knows: ...); give one of them, or upgrade soviet-figures for newer releases
    """
    tableschema.check_table_name(name)
    columns = tableschema.field_names(name)
    unknown = [c for c in filters if c not in columns]
    if unknown:
        raise TableError(f"unknown column(s) {unknown} for table {name!r}; valid columns: {', '.join(columns)}")
    for col, wanted in filters.items():
        _check_filter(name, col, wanted)
    if version is not None:
        if release is not None:
            raise ReleaseError(f"release={release!r} and version={version!r} both given: expected one of them (a release on disk, or a published release by its version); drop one")
        release = fetch_release(version)
    df = _checked_release_table(name, release) if release is not None else read_table(name)
    if not filters:
        return df
    for col, wanted in filters.items():
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        values = [_known_value(name, col, v, release) for v in values]
        kept = df[df[col].isin(values).fillna(False).astype(bool)]
        if kept.empty and not df.empty:
            present = sorted({str(x) for x in df[col].dropna().unique()})
            warnings.warn(f"no row of {name} has {col} {values if len(values) > 1 else values[0]!r}; the closest values: {', '.join(closest(str(values[0]), present)) or '(none)'}", EmptyResultWarning, stacklevel=2)
        df = kept
    return df.reset_index(drop=True)


_SCALARS = (str, int, float, bool, type(None))


def _check_filter(name: str, column: str, wanted: Any) -> None:
    """A filter value is a value (text, a number, True/False, None) or a list, tuple or set of
    them; in a column with a vocabulary, every text value is one of it (a typo would match
    nothing, silently)."""
    values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
    odd = [v for v in values if not isinstance(v, _SCALARS)]
    if odd:
        raise TableError(f"{column}={wanted!r}: expected a value or a list of values (text, numbers, True/False), found {type(odd[0]).__name__}; filter on one column value at a time")
    vocabulary = tableschema.column_types(name)[column].vocabulary
    outside = [v for v in values if isinstance(v, str) and vocabulary and v not in vocabulary]
    if outside:
        raise TableError(f"{column}={outside[0]!r}: not in the vocabulary of {name}.{column}; the closest: {', '.join(closest(outside[0], vocabulary))} (expected one of {', '.join(vocabulary)})")


def _checked_release_table(name: str, release: str | Path) -> pd.DataFrame:
    """A release's table, verified (:func:`read_release_table`) and then held to its schema:
    a file can match its checksum and still not be a table of this package (a release
    built from a damaged package, or a checksum file written to match)."""
    import pandera.errors as pe  # imported here: only a release needs pandera (0.3 s at first use)

    from .validate.schema import schema  # imported here: only a release needs pandera (0.3 s at first use)

    df = read_release_table(name, release)
    try:
        schema(name).validate(df, lazy=True)
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0] if len(cases) else None
        detail = "" if first is None else f"; first: column {first['column']}, row {first['index']}, {first['check']} ({str(first['failure_case'])[:60]!r})"
        raise ReleaseError(f"{release}: table {name} breaks its schema in {len(cases)} cell(s){detail}; expected a release of this package: download it again") from None
    return df


class EmptyResultWarning(UserWarning):
    """A filter of :func:`load` matched no row (the message names the closest values).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     rows = load("observations", year_start=1700)
    >>> len(rows), caught[0].category is EmptyResultWarning
    (0, True)
    """


def _known_value(table: str, column: str, value: Any, release: str | Path | None) -> Any:
    """A filter value as the column holds it: a subject by any alias becomes its name."""
    if column == "subject" and isinstance(value, str):
        names = subject_names(load("subjects", release=release).to_dict("records"))
        if fold(value) in names:
            return names[fold(value)]
        if table != "subjects":
            raise TableError(f"no subject is called {value!r}; the closest: {', '.join(closest(value, sorted(set(names.values()))))}")
    return value


def documents() -> pd.DataFrame:
    """The documents table: one row per source work (reference, language, SHA-256, rights).

    Returns
    -------
    pandas.DataFrame : ``sf.load("documents")``.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> sorted(sf.documents()["doc_id"])[0]
    'elite-formation-egalitarianism'
    """
    return load("documents")
