"""Names as people type them: folding, the closest spellings, a subject's aliases.

>>> fold("Ёлка  Kirov")
'елка kirov'
>>> closest("percnt", ["persons", "percent", "ratio"])
['percent', 'persons']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from ._cells import cell_str

__all__ = ["fold", "closest", "subject_names", "translit_variants"]

_LATIN = [("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "е"),
          ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"), ("k", "к"),
          ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("c", "к")]
_CYRILLIC = {c: lat for lat, c in reversed(_LATIN)} | {"й": "i", "ь": "", "ъ": "", "э": "e", "ё": "e", "щ": "shch"}


def fold(text: str) -> str:
    """Text folded for matching: lower case, ``ё`` as ``е``, runs of white space as one.

    Examples
    --------
    >>> fold("Стахановцев\\n  ЁЖ")
    'стахановцев еж'
    """
    return " ".join(text.casefold().replace("ё", "е").split())


def translit_variants(word: str) -> set[str]:
    """A folded word and its transliteration into the other alphabet (Library of Congress
    style, simplified), so that ``stakhanov`` also finds ``стаханов``.

    Examples
    --------
    >>> sorted(translit_variants("stakhanov"))
    ['stakhanov', 'стаханов']
    >>> sorted(translit_variants("стахановц"))
    ['stakhanovts', 'стахановц']
    """
    w = fold(word)
    out = {w}
    if w.isascii():
        cyr, i = [], 0
        while i < len(w):
            for lat, c in _LATIN:
                if w.startswith(lat, i):
                    cyr.append(c)
                    i += len(lat)
                    break
            else:
                cyr.append(w[i])
                i += 1
        out.add("".join(cyr))
    else:
        out.add("".join(_CYRILLIC.get(ch, ch) for ch in w))
    return out


def closest(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The ``n`` choices nearest to ``value`` by spelling (or containing it), for a message.

    Examples
    --------
    >>> closest("Kirov", ["Krasnyi Putilovets (Kirov) plant", "Baltic Fleet"])
    ['Krasnyi Putilovets (Kirov) plant']
    """
    folded = {fold(c): c for c in choices}
    near = difflib.get_close_matches(fold(value), list(folded), n=n, cutoff=0.5)
    near += [f for f in folded if fold(value) in f and f not in near]
    return [folded[f] for f in near[:n]] or list(folded.values())[:n]


def subject_names(subjects: Iterable[Mapping[Any, Any]]) -> dict[str, str]:
    """Every name, alias (``|``-separated) and Russian name of the subjects, folded, → the
    subject's name.

    Examples
    --------
    >>> subject_names([{"name": "Kirov plant", "aliases": "KP | Red Putilov", "name_ru": "Кировский завод"}])["red putilov"]
    'Kirov plant'
    """
    out: dict[str, str] = {}
    for s in subjects:
        name = cell_str(s["name"])
        for alias in [name, cell_str(s.get("name_ru")), *cell_str(s.get("aliases")).split("|")]:
            if alias.strip():
                out.setdefault(fold(alias), name)
    return out
