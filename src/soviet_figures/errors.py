"""The package's errors: one base class, one subclass per kind of refusal.

Every message says what was expected, what was found, and what to do. The command line
prints the message of any :class:`SovietFiguresError` and exits non-zero, never with a
traceback; in Python, catch :class:`SovietFiguresError` to catch them all.

>>> import soviet_figures as sf
>>> try:
...     sf.load("no-such-table")
... except sf.SovietFiguresError as exc:
...     print(type(exc).__name__, str(exc)[:40])
TableError unknown table 'no-such-table'; valid tab

Each class also derives from :class:`ValueError`, so code written against earlier
versions that caught ``ValueError`` still works.
"""

from __future__ import annotations

__all__ = [
    "SovietFiguresError",
    "TableError",
    "ReleaseError",
    "SourceError",
    "ParseError",
    "LocateError",
    "PageError",
    "WorksheetError",
    "PackageError",
]


class SovietFiguresError(ValueError):
    """Base class of every refusal the package makes.

    Examples
    --------
    >>> issubclass(TableError, SovietFiguresError)
    True
    """


class TableError(SovietFiguresError):
    """A table name, column or table file is unknown, missing, damaged, or off its schema.

    Examples
    --------
    >>> isinstance(TableError("x"), (SovietFiguresError, ValueError))
    True
    """


class ReleaseError(SovietFiguresError):
    """A release is incomplete, unverifiable, tampered with, or not a release at all.

    Examples
    --------
    >>> isinstance(ReleaseError("x"), (SovietFiguresError, ValueError))
    True
    """


class SourceError(SovietFiguresError):
    """A source text is missing, not UTF-8, or not the text the package was transcribed from.

    Examples
    --------
    >>> isinstance(SourceError("x"), (SovietFiguresError, ValueError))
    True
    """


class ParseError(SovietFiguresError):
    """A printed figure is not one the number parser understands (the message says why).

    Examples
    --------
    >>> isinstance(ParseError("x"), (SovietFiguresError, ValueError))
    True
    """


class LocateError(SovietFiguresError):
    """A quote or its figure cannot be placed in the source text.

    Examples
    --------
    >>> isinstance(LocateError("x"), (SovietFiguresError, ValueError))
    True
    """


class PageError(SovietFiguresError):
    """Page numbers cannot be established reliably for a text.

    Examples
    --------
    >>> isinstance(PageError("x"), (SovietFiguresError, ValueError))
    True
    """


class WorksheetError(SovietFiguresError):
    """A worksheet or classification file cannot be read or would write invalid rows.

    Examples
    --------
    >>> isinstance(WorksheetError("x"), (SovietFiguresError, ValueError))
    True
    """


class PackageError(SovietFiguresError):
    """A data package (its ``datapackage.json`` or a file it names) cannot be used.

    Examples
    --------
    >>> isinstance(PackageError("x"), (SovietFiguresError, ValueError))
    True
    """
