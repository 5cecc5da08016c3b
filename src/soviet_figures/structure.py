"""Layer 1 of validation: file structure, vectorised.

Bytes (UTF-8 without BOM, LF line ends, no NUL, not empty, not huge), the header against the
Table Schema (missing, extra, duplicated, misplaced labels), the shape of every row, and the
keys: primary keys unique, foreign keys resolved. Cell types and constraints are checked by
the pandera schema built from the same Table Schema (layer 2), column by column.

frictionless reads the same files row by row in Python; these checks use pyarrow and pandas
and report every error frictionless reports on the bad-input corpus (``tests/``), several
times faster (``benchmarks/``). ``soviet-figures validate --frictionless`` runs frictionless
itself as well.

>>> from soviet_figures._paths import datapackage_dir
>>> [i.as_text() for i in check_package(datapackage_dir() / "datapackage.json")]
[]
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tableschema
from .report import Issue

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["check_bytes", "check_package", "check_file", "check_keys", "frictionless_issues", "MAX_BYTES"]

# the whole package is under 3 MiB: a larger table file is a mistake (override for benchmarks)
MAX_BYTES = int(os.environ.get("SOVIET_FIGURES_MAX_BYTES", 20 * 2**20))


def check_bytes(path: Path, label: str) -> list[Issue]:
    """Encoding and line-end checks that a CSV reader would silently guess around."""
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
    if b"\x00" in data:
        return [Issue(label, data[: data.index(b"\x00")].count(b"\n"), None, "encoding", None, "file contains NUL bytes: not a text file")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n")
        return [Issue(label, line, None, "encoding", None, f"not UTF-8 (byte {exc.start}; cp1251 or Latin-1?); save as UTF-8")]
    if b"\r" in data:
        return [Issue(label, None, None, "line-ends", None, "file has CR or CRLF line ends; use LF")]
    return []


def _header_issues(header: list[str], expected: list[str], label: str) -> list[Issue]:
    out = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        if name in seen:
            out.append(Issue(label, None, name, "duplicate-label", name, f"column {name!r} appears twice in the header (position {i + 1})"))
        elif name not in expected:
            out.append(Issue(label, None, name, "extra-label", name, f"column {name!r} (position {i + 1}) is not in the schema"))
        seen.add(name)
    for name in expected:
        if name not in header:
            out.append(Issue(label, None, name, "missing-label", None, f"column {name!r} is missing from the header"))
    if not out and header != expected:
        out.append(Issue(label, None, None, "incorrect-label", ",".join(header), f"columns are out of order; expected {', '.join(expected)}"))
    return out


def _row_shape_issues(text: str, width: int, label: str) -> list[Issue]:
    """Rows with the wrong number of cells; an unterminated quote shows up here too."""
    out = []
    reader = csv.reader(io.StringIO(text))
    next(reader, None)
    for n, record in enumerate(reader, 1):
        if not record:
            out.append(Issue(label, n, None, "blank-row", None, "row is blank"))
        elif len(record) < width:
            out.append(Issue(label, n, None, "missing-cell", str(len(record)), f"row has {len(record)} cells, the header {width} (an unterminated quote swallows the rest of the file)"))
        elif len(record) > width:
            out.append(Issue(label, n, None, "extra-cell", str(len(record)), f"row has {len(record)} cells, the header {width}"))
    return out


def check_file(path: Path, table: str, label: str | None = None) -> list[Issue]:
    """Bytes, header and row shape of one CSV file holding ``table``."""
    label = label or str(path)
    issues = check_bytes(path, label)
    if issues:
        return issues
    data = path.read_bytes()
    text = data.decode("utf-8")
    header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1] or text)), [])
    expected = tableschema.field_names(table)
    issues = _header_issues(header, expected, label)
    if issues:
        return issues
    try:
        import pyarrow.csv as pacsv

        t = pacsv.read_csv(
            io.BytesIO(data),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={c: "string" for c in expected}),
        )
        if t.num_columns == len(expected):
            return []
    except Exception:  # pyarrow refuses ragged rows; find them with the csv module
        pass
    return _row_shape_issues(text, len(expected), label)


def _isin(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """Vectorised membership through pyarrow (pandas' isin on Arrow strings goes row by row)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.is_in(pa.array(values.astype(object), type=pa.string()), value_set=pa.array(list(set(allowed.astype(object))), type=pa.string()))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index).fillna(False).astype(bool)


def check_keys(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str]) -> list[Issue]:
    """Primary keys unique and present; foreign keys found in the tables they reference."""
    out: list[Issue] = []
    for name, df in frames.items():
        if name not in tableschema.table_names():
            continue
        schema = tableschema.load_schema(name)
        pk = schema.get("primaryKey", [])
        if pk and all(c in df.columns for c in pk):
            dup = df.duplicated(subset=pk, keep="first") & df[pk].notna().all(axis=1)
            for i in df.index[dup]:
                value = ",".join(str(df.at[i, c]) for c in pk)
                out.append(Issue(labels[name], int(i) + 1, pk[0] if len(pk) == 1 else None, "primary-key", value, f"{', '.join(pk)} {value!r} repeats an earlier row"))
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            target = frames.get(ref["resource"])
            col, ref_col = fk["fields"][0], ref["fields"][0]
            if target is None or col not in df.columns or ref_col not in target.columns:
                continue
            missing = df[col].notna() & ~_isin(df[col], target[ref_col].dropna())
            for i in df.index[missing]:
                out.append(Issue(labels[name], int(i) + 1, col, "foreign-key", str(df.at[i, col]), f"{col} {df.at[i, col]!r} is not a {ref_col} of {ref['resource']}"))
    return out


def check_package(descriptor: Path) -> list[Issue]:
    """The descriptor lists the tables of the contract with their schemas, and every file reads."""
    descriptor = Path(descriptor)
    label = str(Path(descriptor.parent.name) / descriptor.name)
    try:
        desc = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Issue(label, None, None, "datapackage", None, f"cannot read the package descriptor: {exc}")]
    issues: list[Issue] = []
    resources = {r.get("name"): r for r in desc.get("resources", []) if isinstance(r, dict)}
    for name in tableschema.CORE_TABLES:
        if name not in resources:
            issues.append(Issue(label, None, None, "datapackage", name, f"resource {name!r} is missing"))
    for name, res in resources.items():
        if name not in tableschema.table_names():
            issues.append(Issue(label, None, None, "datapackage", str(name), f"resource {name!r} is not a table of the contract"))
            continue
        fields = [f.get("name") for f in (res.get("schema") or {}).get("fields", [])] if isinstance(res.get("schema"), dict) else None
        if fields is not None and fields != tableschema.field_names(name):
            issues.append(Issue(label, None, None, "datapackage", name, f"resource {name!r} declares other fields than schemas/{name}.schema.json"))
        path = descriptor.parent / str(res.get("path", ""))
        issues += check_file(path, name, str(Path(descriptor.parent.name) / str(res.get("path", ""))))
    return issues


def frictionless_issues(descriptor: Path) -> list[Issue]:
    """frictionless's own validation of the package (slower, row by row): ``--frictionless``."""
    from frictionless import Package

    try:
        report = Package(str(descriptor)).validate()
    except Exception as exc:  # frictionless raises its own FrictionlessException
        return [Issue(str(descriptor), None, None, "frictionless", None, f"cannot read the package: {exc}")]
    out = []
    for task in report.tasks:
        for err in task.errors:
            row = getattr(err, "row_number", None)
            out.append(Issue(
                str(Path(descriptor.parent.name) / str(task.place)), None if row is None else int(row) - 1,
                getattr(err, "field_name", None) or getattr(err, "label", None) or None,
                f"frictionless:{err.type}", None if getattr(err, "cell", None) is None else str(err.cell),
                str(getattr(err, "note", "") or err.message)))
    return out
