"""Read the source texts (never shipped with the package) and check their hashes.

>>> sha256_text(b"abc")[:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["SourceError", "sha256_text", "read_source"]


class SourceError(ValueError):
    """A source text is missing, not UTF-8, or not the text the package was transcribed from."""


def sha256_text(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(directory: Path, source_file: str, sha256: str | None = None) -> str:
    """The text of ``source_file`` in ``directory``; SourceError if missing or hash differs."""
    path = Path(directory) / source_file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: source text not found (give the directory with --sources or SOVIET_FIGURES_SOURCES)") from None
    if sha256 and sha256_text(data) != sha256:
        raise SourceError(f"{path}: SHA-256 {sha256_text(data)[:16]}… does not match documents.sha256 {sha256[:16]}… — a different text or edition")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
