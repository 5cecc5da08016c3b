"""Read the source texts (never shipped with the package) and check their hashes.

>>> read_source(Path("/nonexistent"), "x.txt")
Traceback (most recent call last):
...
soviet_figures.errors.SourceError: /nonexistent/x.txt: expected a source text but nothing is there; give the directory of the texts with --sources DIR or SOVIET_FIGURES_SOURCES
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PackageError, SourceError
from .files import read_regular, regular_file_problem, sha256_hex, within

__all__ = ["read_source", "MAX_TEXT_BYTES"]

MAX_TEXT_BYTES = 64 * 2**20  # the longest text is under 2 MiB


def read_source(directory: Path, source_file: str, sha256: str | None = None) -> str:
    """The text of ``source_file`` in ``directory``, checked against ``sha256``.

    Parameters
    ----------
    directory : the sources directory (``--sources`` or ``SOVIET_FIGURES_SOURCES``)
    source_file : ``documents.source_file``: a plain file name inside ``directory``
    sha256 : ``documents.sha256``; the text must have exactly this hash. An empty or
        missing hash is refused: a text that cannot be verified is not read.

    Returns
    -------
    str : the text, decoded as UTF-8.

    Raises
    ------
    SourceError : the name leaves the directory, the file is missing or not a regular file,
        its hash is empty or differs, it is not UTF-8, or it holds no text.

    Examples
    --------
    >>> import hashlib, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_bytes("Сто рабочих".encode("utf-8"))
    >>> read_source(d, "a.txt", hashlib.sha256("Сто рабочих".encode("utf-8")).hexdigest())
    'Сто рабочих'
    >>> read_source(d, "a.txt", "0" * 64)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    soviet_figures.errors.SourceError: ...
    """
    name = str(source_file or "")
    path = Path(directory) / name
    if not name or "/" in name or "\\" in name or name in {".", ".."} or not within(path, Path(directory)):
        raise SourceError(f"{name!r}: expected the plain file name of a text inside {directory}, found a path that leaves it; fix documents.source_file")
    problem = regular_file_problem(path)
    if problem:
        raise SourceError(f"{path}: expected a source text but {problem}; give the directory of the texts with --sources DIR or SOVIET_FIGURES_SOURCES")
    if not sha256:
        raise SourceError(f"{path}: documents.sha256 is empty, so the text cannot be verified; fill it with the text's SHA-256 (sha256sum)")
    try:
        data = read_regular(path, MAX_TEXT_BYTES, "source text")
    except PackageError as exc:
        raise SourceError(str(exc)) from None
    digest = sha256_hex(data)
    if digest != sha256:
        raise SourceError(f"{path}: SHA-256 {digest[:16]}… does not match documents.sha256 {sha256[:16]}…; a different text or edition: use the text the package was transcribed from")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); convert the text to UTF-8") from None
    if not text.strip():  # a ledger rebuilt from it would lose every classification
        raise SourceError(f"{path}: expected the text of a work, found {'an empty file' if not data else 'only white space'}; put the text itself there (and its SHA-256 in documents.sha256)")
    return text
