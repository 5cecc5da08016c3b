"""Files as hostile input: regular files only, bounded reads, atomic writes, one hash.

>>> sha256_hex(b"abc")[:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import PackageError, SovietFiguresError

__all__ = ["sha256_hex", "sha256_file", "regular_file_problem", "read_regular", "write_atomic", "write_files", "within", "MAX_TABLE_BYTES"]

# the whole package is under 3 MiB: a larger table file is a mistake (override for benchmarks)
MAX_TABLE_BYTES = int(os.environ.get("SOVIET_FIGURES_MAX_BYTES", 20 * 2**20))
csv.field_size_limit(MAX_TABLE_BYTES)  # every CSV reader here: a cell may be as long as a file


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as lower-case hex.

    Examples
    --------
    >>> len(sha256_hex(b""))
    64
    """
    return hashlib.sha256(data).hexdigest()


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file (missing, a directory, a FIFO …), or None.

    Examples
    --------
    >>> regular_file_problem(Path("/"))
    'it is a directory'
    """
    try:
        mode = os.stat(path).st_mode  # follows symlinks: the target must be a regular file
    except FileNotFoundError:
        return "nothing is there" if not os.path.islink(path) else "it is a symbolic link to nothing"
    except NotADirectoryError:
        return "nothing is there (a part of the path is a file, not a directory)"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    except ValueError:  # a NUL character in the path
        return "its name holds a NUL character"
    if stat.S_ISDIR(mode):
        return "it is a directory"
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a pipe, socket or device)"
    return None


def read_regular(path: str | os.PathLike[str], limit: int = MAX_TABLE_BYTES, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else :class:`PackageError`.

    A FIFO, a directory or a device is refused before it is opened, so nothing hangs.

    Examples
    --------
    >>> read_regular("/dev/null")
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: /dev/null: expected a file but it is not a regular file (a pipe, socket or device); give the path of a regular file
    """
    path = Path(path)
    problem = regular_file_problem(path)
    if problem:
        raise PackageError(f"{path}: expected a {what} but {problem}; give the path of a regular file")
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise PackageError(f"{path}: {what} cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise PackageError(f"{path}: {what} is over {limit // 2**20} MiB; expected a smaller file (split it, or check that it is the right one)")
    return data


def sha256_file(path: str | os.PathLike[str], limit: int, what: str = "file") -> str:
    """The SHA-256 of a regular file of at most ``limit`` bytes, read in chunks (never whole
    into memory), else :class:`PackageError`.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "x"
    >>> _ = f.write_bytes(b"abc")
    >>> sha256_file(f, 10)[:12]
    'ba7816bf8f01'
    """
    path = Path(path)
    problem = regular_file_problem(path)
    if problem:
        raise PackageError(f"{path}: expected a {what} but {problem}; give the path of a regular file")
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise PackageError(f"{path}: {what} is over {limit // 2**20} MiB; expected a smaller file (check that it is the right one)")
                digest.update(chunk)
    except OSError as exc:
        raise PackageError(f"{path}: {what} cannot be read ({exc.strerror})") from None
    return digest.hexdigest()


def within(path: Path, root: Path) -> bool:
    """Whether ``path`` (symlinks resolved) lies inside ``root``.

    Examples
    --------
    >>> within(Path("/a/b/../../etc/passwd"), Path("/a"))
    False
    """
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``.

    An interrupted write (a full disk, a file-size limit, a kill) leaves the old file whole.
    The new file keeps the old one's permissions.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_atomic(target, "a\\n1\\n"); target.read_text()
    'a\\n1\\n'
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(path: Path) -> None:
    """Raise :class:`PackageError` unless a file can be written at ``path``: its directory
    exists and nothing but a regular file (or a symbolic link, which is replaced, never
    followed) is there.

    Examples
    --------
    >>> check_writable(Path("/"))
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: /: expected a file to write, found a directory; choose another path (nothing was written)
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise PackageError(f"{path}: expected a file to write, found a directory; choose another path (nothing was written)")
    problem = regular_file_problem(path) if os.path.lexists(path) and not path.is_symlink() else None
    if problem:
        raise PackageError(f"{path}: expected a file to write but {problem}; remove it or choose another path (nothing was written)")
    if not path.parent.is_dir():
        raise PackageError(f"{path.parent}: expected a directory to write {path.name} into, found {'a file' if path.parent.exists() else 'nothing'}; choose another path (nothing was written)")


def write_files(files: Mapping[Path, bytes | str]) -> list[Path]:
    """Write several files, each atomically, in the order given, after checking that every
    one of them can be written: a target that is a directory (or whose directory is a file)
    stops the whole write before the first file is touched.

    Files cannot change together atomically; callers order ``files`` so that an interruption
    between two of them leaves a consistent state, and say why.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "b").mkdir()
    >>> write_files({d / "a": "1", d / "b": "2"})
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: .../b: expected a file to write, found a directory; choose another path (nothing was written)
    >>> (d / "a").exists()
    False
    """
    for path in files:
        check_writable(Path(path))
    for path, data in files.items():
        write_atomic(path, data)
    return [Path(p) for p in files]


def utf8_text(data: bytes, label: str, error: type[SovietFiguresError], tail: str = "") -> str:
    """``data`` decoded as UTF-8 without a byte-order mark, else ``error`` naming ``label``
    (``tail`` ends the message, e.g. "; nothing was changed").

    Examples
    --------
    >>> utf8_text(b"\\xef\\xbb\\xbfa", "w.jsonl", PackageError)
    Traceback (most recent call last):
    ...
    soviet_figures.errors.PackageError: w.jsonl: starts with a byte-order mark; expected UTF-8 without BOM: save it again without the BOM
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise error(f"{label}: starts with a byte-order mark; expected UTF-8 without BOM: save it again without the BOM{tail}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{label}: expected UTF-8, found byte {exc.start} that is not (cp1251 or Latin-1?); save it as UTF-8{tail}") from None
