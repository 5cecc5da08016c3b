"""Find figures by words, in English and Russian, whatever the inflection.

:func:`search` looks through descriptions, quotes, subject names and aliases, measures,
contexts, places and who said it (not the reviewers' notes). Matching folds case and ``ё`` into ``е``, and reads each query word
by its stem, so that ``стахановц`` finds ``стахановцев`` and ``Stakhanovites`` finds
``Stakhanovite``. :func:`resolve_subject` turns any name or alias of a subject into the one
name ``observations.subject`` holds.

>>> import soviet_figures as sf
>>> hits = sf.search("стахановц")
>>> sorted(hits["doc_id"].unique())
['nktp-second-plenum']
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .errors import TableError
from .loader import load
from .names import closest, fold, subject_names, translit_variants

__all__ = ["search", "resolve_subject"]

# endings dropped from a query word to reach its stem (longest first): Russian case endings,
# English plurals and suffixes
_ENDINGS = sorted(
    "ами ями ого ему ими ыми его ому ой ей ий ый ая яя ое ее ов ев ам ям ах ях ом ем ую юю ы и а я у ю е о ь "
    "ies es s ing ed ism ist ists ite ites".split(),
    key=len, reverse=True,
)


def _stem(word: str) -> str:
    """A query word without its ending, keeping at least four letters.

    >>> _stem("стахановцев"), _stem("Stakhanovites"), _stem("purge")
    ('стахановц', 'stakhanov', 'purge')
    """
    w = fold(word)
    for ending in _ENDINGS:
        if w.endswith(ending) and len(w) - len(ending) >= 4:
            return w[: -len(ending)]
    return w


@lru_cache(maxsize=1)
def _haystack() -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The observations and, per row, the folded text a query is matched against."""
    obs = load("observations")
    subjects = load("subjects").set_index("name")
    aliases = {name: " ".join(str(x) for x in (r.aliases, r.name_ru) if isinstance(x, str)) for name, r in subjects.iterrows()}
    columns = ["description", "quote", "subject", "measure", "attributed_to", "place", "context"]
    texts = []
    for r in obs[columns].astype(object).itertuples(index=False):
        cells = [str(x) for x in r if isinstance(x, str)]
        texts.append(fold(" ".join(cells + [aliases.get(r.subject, "")])).replace("_", " "))
    return obs, tuple(texts)


def search(query: str, **filters: object) -> pd.DataFrame:
    """The observations whose words match ``query``, in either language.

    Parameters
    ----------
    query : words that must all occur (as stems, in either alphabet: ``stakhanov`` also
        finds ``стахановцев``) in a row's description, quote, subject or its aliases,
        measure, context, speaker or place
    **filters : as in :func:`soviet_figures.load`, applied to the hits

    Returns
    -------
    pandas.DataFrame : the matching observations, in the package's order.

    Raises
    ------
    TableError : an empty query, or a filter on an unknown column.

    Examples
    --------
    >>> import soviet_figures as sf
    >>> len(sf.search("Stakhanovites")) >= len(sf.search("Stakhanovites", doc_id="fitzpatrick-1979"))
    True
    >>> sf.search("shock workers", measure="shock_workers").obs_id.tolist()
    ['kokosalakis-2016-0118']
    """
    stems = [translit_variants(_stem(w)) for w in re.findall(r"\w+", query)]
    if not stems:
        raise TableError(f"expected words to search for, found {query!r}; give one or more words")
    obs, texts = _haystack()
    hits = [i for i, t in enumerate(texts) if all(any(v in t for v in variants) for variants in stems)]
    found = obs.iloc[hits]
    for col, wanted in filters.items():
        if col not in found.columns:
            raise TableError(f"unknown column {col!r}; valid columns: {', '.join(found.columns)}")
        keep = found[col].isin(list(wanted)) if isinstance(wanted, (list, tuple, set, frozenset)) else found[col] == wanted
        found = found[keep.fillna(False).astype(bool)]
    return found.reset_index(drop=True)


def resolve_subject(name: str) -> str:
    """The subject's name as ``observations.subject`` holds it, from its name, any alias or
    its Russian name (case and ``ё`` folded).

    Raises
    ------
    TableError : no subject has this name or alias; the message names the closest ones.

    Examples
    --------
    >>> resolve_subject("Kirov plant")
    'Krasnyi Putilovets (Kirov) plant'
    """
    names = _subject_names()
    if fold(name) in names:
        return names[fold(name)]
    raise TableError(f"no subject is called {name!r}; the closest are: {', '.join(closest(name, sorted(set(names.values()))))}")


@lru_cache(maxsize=1)
def _subject_names() -> dict[str, str]:
    return subject_names(load("subjects").to_dict("records"))
