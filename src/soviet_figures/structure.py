"""Layer 1 of validation: file structure, with frictionless.

Bytes first (UTF-8 without BOM, LF line ends, not empty), then frictionless validates each
file against its Table Schema — header, types, required, unique — and, for a whole data
package, the foreign keys between tables.

>>> from soviet_figures._paths import datapackage_dir
>>> [i.as_text() for i in check_package(datapackage_dir() / "datapackage.json")]
[]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import tableschema
from .report import Issue

__all__ = ["check_bytes", "check_package", "check_file", "MAX_BYTES"]

MAX_BYTES = 20 * 2**20  # the whole package is under 3 MiB; a larger table file is a mistake


def check_bytes(path: Path, label: str) -> list[Issue]:
    """Encoding and line-end checks that frictionless would silently guess around."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [Issue(label, None, None, "file-missing", None, "file does not exist")]
    if len(data) > MAX_BYTES:
        return [Issue(label, None, None, "file-too-large", f"{len(data):,} bytes", f"file is over {MAX_BYTES // 2**20} MiB; split the transcription by document")]
    if not data.strip():
        return [Issue(label, None, None, "empty-file", None, "file is empty (a CSV needs at least its header)")]
    if data.startswith(b"\xef\xbb\xbf"):
        return [Issue(label, None, None, "encoding", None, "file starts with a byte-order mark; save as UTF-8 without BOM")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [Issue(label, None, None, "encoding", None, "file is UTF-16; save it as UTF-8")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n")
        return [Issue(label, line, None, "encoding", None, f"not UTF-8 (byte {exc.start}; cp1251 or Latin-1?); save as UTF-8")]
    if b"\x00" in data:
        return [Issue(label, data[: data.index(b"\x00")].count(b"\n"), None, "encoding", None, "file contains NUL bytes: not a text file")]
    if b"\r" in data:
        return [Issue(label, None, None, "line-ends", None, "file has CR or CRLF line ends; use LF")]
    return []


def _issues_from_report(report: Any, label_for: dict[str, str]) -> list[Issue]:
    out = []
    for task in report.tasks:
        name = getattr(task, "name", None) or getattr(task, "resource_name", "")
        label = label_for.get(name, name)
        for err in task.errors:
            row = getattr(err, "row_number", None)
            out.append(
                Issue(
                    label,
                    None if row is None else int(row) - 1,  # frictionless counts the header as row 1
                    getattr(err, "field_name", None) or getattr(err, "label", None) or None,
                    f"frictionless:{err.type}",
                    None if getattr(err, "cell", None) is None else str(err.cell),
                    str(getattr(err, "note", "") or err.message),
                )
            )
    for err in getattr(report, "errors", []):
        out.append(Issue(label_for.get("", "datapackage.json"), None, None, f"frictionless:{err.type}", None, str(err.message)))
    return out


def check_package(descriptor: Path) -> list[Issue]:
    """Validate a whole data package (all resources and their foreign keys)."""
    from frictionless import Package

    descriptor = Path(descriptor)
    issues: list[Issue] = []
    try:
        package = Package(str(descriptor))
    except Exception as exc:  # frictionless raises its own FrictionlessException
        return [Issue(str(descriptor), None, None, "datapackage", None, f"cannot read the package descriptor: {exc}")]
    labels = {}
    for res in package.resources:
        path = descriptor.parent / str(res.path)
        labels[res.name] = str(Path(descriptor.parent.name) / str(res.path))
        issues += check_bytes(path, labels[res.name])
    if issues:
        return issues
    report = package.validate()
    return _issues_from_report(report, labels)


def check_file(path: Path, table: str) -> list[Issue]:
    """Validate one CSV file against a table's schema (no foreign keys: they need the package)."""
    from frictionless import Resource, Schema

    issues = check_bytes(path, str(path))
    if issues:
        return issues
    descriptor = {k: v for k, v in tableschema.load_schema(table).items() if k != "foreignKeys"}
    resource = Resource(path=path.name, basepath=str(path.resolve().parent), schema=Schema.from_descriptor(descriptor), format="csv", encoding="utf-8")
    resource.name = table
    report = resource.validate()
    return _issues_from_report(report, {table: str(path)})
