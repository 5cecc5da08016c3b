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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import tableschema
from ..errors import PackageError
from ..io.descriptor import read_descriptor
from ..io.files import MAX_TABLE_BYTES, read_regular, regular_file_problem
from .report import Issue

__all__ = ["check_bytes", "check_package", "read_package", "check_file", "read_checked", "read_arrow", "to_frame", "check_keys", "arrow_strings", "isin", "NUMBER_LIKE", "frictionless_issues", "frictionless_descriptor"]


def check_bytes(path: Path, label: str) -> list[Issue]:
    """Encoding and line-end checks that a CSV reader would silently guess around.

    Parameters
    ----------
    path : the CSV file
    label : its name in findings

    Returns
    -------
    list of Issue : a BOM, CR line ends, bytes that are not UTF-8, a file that cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes(b"a,b" + bytes([13, 10]))
    >>> [(i.rule, i.message) for i in check_bytes(p, "x.csv")]
    [('line-ends', 'file has CR or CRLF line ends; use LF')]
    """
    data, issues = _read(path, label)
    return issues if data is None else _bytes_issues(data, label)


def _read(path: Path, label: str) -> tuple[bytes | None, list[Issue]]:
    """The file's bytes, or the finding that says why it cannot be read (a FIFO or a
    directory is refused before it is opened; a file over the limit is not read whole)."""
    problem = regular_file_problem(path)
    if problem:
        rule = "file-missing" if problem == "nothing is there" else "not-a-file"
        return None, [Issue(label, None, None, rule, None, f"expected a CSV file but {problem}")]
    try:
        return read_regular(path, MAX_TABLE_BYTES, "CSV file"), []
    except PackageError as exc:
        return None, [Issue(label, None, None, "file-too-large", None, str(exc).split(": ", 1)[-1])]


def _bytes_issues(data: bytes, label: str, decode: bool = True) -> list[Issue]:
    """``check_bytes`` on bytes already read; ``decode=False`` leaves the UTF-8 check of the
    cells to the CSV parser (pyarrow checks every string cell), which is faster on big files.
    """
    if len(data) > MAX_TABLE_BYTES:
        return [Issue(label, None, None, "file-too-large", f"{len(data):,} bytes", f"file is over {MAX_TABLE_BYTES // 2**20} MiB; split the transcription by document")]
    if not data or data.isspace():
        return [Issue(label, None, None, "empty-file", None, "file is empty (a CSV needs at least its header)")]
    if data.startswith(b"\xef\xbb\xbf"):
        return [Issue(label, None, None, "encoding", None, "file starts with a byte-order mark; save as UTF-8 without BOM")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [Issue(label, None, None, "encoding", None, "file is UTF-16; save it as UTF-8")]
    if b"\x00" in data:
        return [Issue(label, data[: data.index(b"\x00")].count(b"\n"), None, "encoding", None, "file contains NUL bytes: not a text file")]
    if decode or b"\r" in data:  # a CR in a cp1251 file is still an encoding error first
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
    """Bytes, header and row shape of one CSV file holding ``table``.

    Parameters
    ----------
    path : the CSV file
    table : the table it holds
    label : its name in findings (default: the path)

    Returns
    -------
    list of Issue : what is wrong with the file ([] if nothing).

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> check_file(datapackage_dir() / "data" / "links.csv", "links")
    []
    """
    return read_checked(path, table, label)[0]


def read_checked(path: Path, table: str, label: str | None = None) -> tuple[list[Issue], pd.DataFrame | None]:
    """Check bytes, header and row shape of a CSV holding ``table`` and, if they pass, return
    its cells as strings (empty → missing) from the same single pyarrow parse.

    >>> from soviet_figures._paths import datapackage_dir
    >>> issues, frame = read_checked(datapackage_dir() / "data" / "measures.csv", "measures")
    >>> issues, str(frame["id"].dtype)
    ([], 'string')
    """
    issues, arrow = read_arrow(path, table, label)
    return issues, None if arrow is None else to_frame(arrow)


def read_arrow(path: Path, table: str, label: str | None = None) -> tuple[list[Issue], pa.Table | None]:
    """``read_checked`` without pandas: the cells as a pyarrow Table of strings.

    >>> from soviet_figures._paths import datapackage_dir
    >>> issues, arrow = read_arrow(datapackage_dir() / "data" / "measures.csv", "measures")
    >>> issues, arrow.column_names[0], str(arrow.schema.field("id").type)
    ([], 'id', 'string')
    """
    label = label or str(path)
    data, issues = _read(path, label)
    if data is None:
        return issues, None
    issues = _bytes_issues(data, label, decode=False)
    if issues:
        return issues, None
    first_line = data[: data.find(b"\n") + 1] or data
    try:
        header = next(csv.reader(io.StringIO(first_line.decode("utf-8"))), [])
    except UnicodeDecodeError:
        return _bytes_issues(data, label), None
    expected = tableschema.field_names(table)
    issues = _header_issues(header, expected, label)
    if issues:
        return issues, None
    try:
        arrow = _parse_strings(data, expected)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # bad UTF-8, ragged rows: find them exactly
        arrow = None
    if arrow is not None and arrow.num_columns == len(expected):
        # a blank line is read as a row of empty cells (not skipped, which would shift every
        # later row's number): name it as what it is
        blank = _blank_rows(arrow)
        if blank:
            return [Issue(label, n, None, "blank-row", None, "row is blank; delete the empty line") for n in blank], None
        return [], arrow
    issues = _bytes_issues(data, label) or _row_shape_issues(data.decode("utf-8"), len(expected), label)
    if not issues:  # pyarrow and the csv module disagree: report it rather than guess
        issues = [Issue(label, None, None, "csv-parse", None, "the file cannot be read as CSV")]
    return issues, None


def _blank_rows(arrow: pa.Table) -> list[int]:
    """The data rows (1-based) whose every cell is empty: blank lines of the file.

    >>> _blank_rows(_parse_strings(b"a,b\\n1,2\\n\\n3,4\\n", ["a", "b"]))
    [2]
    """
    if arrow.num_rows == 0 or arrow.num_columns == 0:
        return []
    empty = pc.is_null(arrow.column(0))
    for name in arrow.column_names[1:]:
        empty = pc.and_(empty, pc.is_null(arrow.column(name)))
    return [int(i) + 1 for i in pc.indices_nonzero(empty).to_pylist()]


def _parse_strings(data: bytes, columns: list[str]) -> pa.Table:
    """Every cell as an Arrow string (empty → missing), parsed by pyarrow; blank lines are
    rows (of empty cells), so that row numbers stay the file's.

    Blocks of 4 MiB keep both cores busy (a 100 MB file parses in 0.2 s, against 0.25–0.4 s
    in blocks of 16 MiB); a row longer than a block is read again in one block.
    """
    try:
        return _parse_in_blocks(data, columns, max(1 << 20, min(len(data) + 1, 1 << 22)))
    except pa.ArrowInvalid as exc:
        if "straddl" not in str(exc):  # not a row longer than a block: the caller finds what is wrong
            raise
        return _parse_in_blocks(data, columns, len(data) + 1)


def _parse_in_blocks(data: bytes, columns: list[str], block_size: int) -> pa.Table:
    return pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(block_size=block_size),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in columns}, null_values=[""],
            strings_can_be_null=True, quoted_strings_can_be_null=True,
        ),
    )


# cells of these shapes pyarrow always casts to float64 / int64 (what pandas' astype of an
# Arrow string column does, and so pandera's coercion); any other cell is cast on its own
NUMBER_LIKE = {
    "number": r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$",
    "integer": r"^-?\d{1,18}$",  # pyarrow refuses '+3'; more digits may overflow int64
}


def to_frame(arrow: pa.Table) -> pd.DataFrame:
    """A table of strings as pandas Arrow-backed strings (missing stays missing).

    Parameters
    ----------
    arrow : a pyarrow Table of string columns

    Returns
    -------
    DataFrame : the same cells, as ``string[pyarrow]`` columns.

    Examples
    --------
    >>> to_frame(pa.table({"a": ["x", None]}))["a"].isna().tolist()
    [False, True]
    """
    return arrow.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


def arrow_strings(series: pd.Series) -> pa.Array:
    """A column's cells as one pyarrow string array (missing → null), for pyarrow's compute
    functions.

    >>> import pandas as pd
    >>> arrow_strings(pd.Series(["a", None, 3], dtype=object)).to_pylist()
    ['a', None, '3']
    """
    return pc.cast(pa.array(series.astype("string[pyarrow]")), pa.string())


def isin(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """Vectorised membership through pyarrow (pandas' isin on Arrow strings goes row by row).

    >>> import pandas as pd
    >>> isin(pd.Series(["a", None, "c"], dtype="string"), pd.Series(["a", "b"])).tolist()
    [True, False, False]
    """
    probe, known = arrow_strings(values), arrow_strings(allowed)
    if len(known) > len(probe):  # hash the smaller side: keep only the known values that are probed
        known = pc.filter(known, pc.is_in(known, value_set=probe))
    found = pc.is_in(probe, value_set=known)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index).fillna(False).astype(bool)


def _unique_single_key(df: pd.DataFrame, pk: list[str]) -> bool:
    """True when a one-column key holds no value twice (counted in pyarrow, much faster than
    pandas' ``duplicated`` on many strings): its rows then need no search for repeats.

    >>> _unique_single_key(pd.DataFrame({"id": ["a", "b", None, None]}, dtype="string"), ["id"])
    True
    >>> _unique_single_key(pd.DataFrame({"id": ["a", "a"]}, dtype="string"), ["id"])
    False
    """
    if len(pk) != 1:
        return False
    cells = arrow_strings(df[pk[0]])
    return pc.count_distinct(cells, mode="only_valid").as_py() == len(cells) - cells.null_count


def check_keys(frames: Mapping[str, pd.DataFrame], labels: Mapping[str, str], only: set[str] | None = None) -> list[Issue]:
    """Primary keys unique and present; foreign keys found in the tables they reference.

    Parameters
    ----------
    frames : the tables, by name, as DataFrames of strings
    labels : each table's name in findings
    only : check the keys of these tables only (the others are context)

    Returns
    -------
    list of Issue : repeated or missing primary keys, foreign keys not found.

    Examples
    --------
    >>> links = pd.DataFrame({"obs_id_a": ["a", "a"], "obs_id_b": ["b", "b"], "relation": ["part_of"] * 2, "note": [None, None]}, dtype="string")
    >>> [(i.row, i.rule, i.value) for i in check_keys({"links": links}, {"links": "links.csv"})]
    [(2, 'primary-key', 'a,b')]
    """
    out: list[Issue] = []
    for name, df in frames.items():
        if name not in tableschema.table_names() or (only is not None and name not in only):
            continue
        schema = tableschema.load_schema(name)
        pk = schema.get("primaryKey", [])
        if pk and all(c in df.columns for c in pk) and not _unique_single_key(df, pk):
            dup = df.duplicated(subset=pk, keep="first") & (df[pk[0]].notna() if len(pk) == 1 else df[pk].notna().all(axis=1))
            for i in df.index[dup]:
                value = ",".join(str(df.at[i, c]) for c in pk)
                out.append(Issue(labels[name], int(i) + 1, pk[0] if len(pk) == 1 else None, "primary-key", value, f"{', '.join(pk)} {value!r} repeats an earlier row"))
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            target = frames.get(ref["resource"])
            col, ref_col = fk["fields"][0], ref["fields"][0]
            if target is None or col not in df.columns or ref_col not in target.columns:
                continue
            missing = df[col].notna() & ~isin(df[col], target[ref_col])
            for i in df.index[missing]:
                out.append(Issue(labels[name], int(i) + 1, col, "foreign-key", str(df.at[i, col]), f"{col} {df.at[i, col]!r} is not a {ref_col} of {ref['resource']}"))
    return out


def check_package(descriptor: Path) -> list[Issue]:
    """The descriptor lists the tables of the contract with their schemas, and every file reads.

    Parameters
    ----------
    descriptor : the package's ``datapackage.json``

    Returns
    -------
    list of Issue : what is wrong with the descriptor or its files ([] if nothing).

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> check_package(datapackage_dir() / "datapackage.json")
    []
    """
    return read_package(descriptor)[0]


def read_package(descriptor: Path, reader: Callable[..., tuple[list[Issue], Any]] = read_checked) -> tuple[list[Issue], dict[str, Any]]:
    """:func:`check_package`, also returning each table that reads, as ``reader`` returns it.

    Parameters
    ----------
    descriptor : the package's ``datapackage.json``
    reader : :func:`read_checked` (a DataFrame of strings) or :func:`read_arrow` (a pyarrow Table)

    Returns
    -------
    tuple : the findings, and each table that reads by name.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> issues, frames = read_package(datapackage_dir() / "datapackage.json")
    >>> issues, str(frames["documents"]["doc_id"].dtype)
    ([], 'string')
    """
    descriptor = Path(descriptor)
    label = str(Path(descriptor.parent.name) / descriptor.name)
    frames: dict[str, Any] = {}
    try:
        desc = read_descriptor(descriptor)
    except PackageError as exc:
        return [Issue(label, None, None, "datapackage", None, str(exc))], frames
    issues: list[Issue] = []
    resources = {r["name"]: r for r in desc["resources"]}
    for name in tableschema.CORE_TABLES:
        if name not in resources:
            issues.append(Issue(label, None, None, "datapackage", name, f"resource {name!r} is missing"))
    for name, res in resources.items():
        if name not in tableschema.table_names():
            issues.append(Issue(label, None, None, "datapackage", str(name), f"resource {name!r} is not a table of the contract"))
            continue
        declared = res.get("schema")
        fields = [f.get("name") if isinstance(f, dict) else None for f in declared.get("fields", [])] if isinstance(declared, dict) and isinstance(declared.get("fields"), list) else None
        if "schema" in res and fields is None:
            issues.append(Issue(label, None, None, "datapackage", name, f"resource {name!r} has a schema that is not a Table Schema (an object with a list of fields); copy it from schemas/{name}.schema.json"))
        elif fields is not None and fields != tableschema.field_names(name):
            issues.append(Issue(label, None, None, "datapackage", name, f"resource {name!r} declares other fields than schemas/{name}.schema.json"))
        elif declared is not None and declared != tableschema.load_schema(name):
            # the contract is schemas/: a descriptor that declares other types or constraints
            # (a pattern of its own) would be read differently by any other Data Package tool
            issues.append(Issue(label, None, None, "datapackage", name, f"resource {name!r} declares types or constraints other than schemas/{name}.schema.json; "
                                "expected the contract's schema: copy it from schemas/ (a new soviet-figures init writes it)"))
        path = descriptor.parent / res["path"]
        found, frame = reader(path, name, str(Path(descriptor.parent.name) / res["path"]))
        issues += found
        if frame is not None:
            frames[name] = frame
    return issues, frames


def frictionless_descriptor(descriptor: Path) -> dict[str, Any]:
    """What ``--frictionless`` hands frictionless: the package's resources (names and paths,
    checked by :func:`read_descriptor`) with the contract's schemas from ``schemas/``, never
    the schemas, dialects or other settings the package's own ``datapackage.json`` declares.

    A contributor's descriptor is input like any other: a pattern in it such as ``(a+)+$``
    would make frictionless's regular expressions backtrack for minutes, and Python cannot
    interrupt a regular expression. The contract is what the package is validated against
    anyway (a resource that declares other fields is reported as ``datapackage``), so
    frictionless checks the same contract as the validator, in bounded time.

    Examples
    --------
    >>> from soviet_figures._paths import datapackage_dir
    >>> d = frictionless_descriptor(datapackage_dir() / "datapackage.json")
    >>> d["resources"][0]["schema"] == tableschema.load_schema(d["resources"][0]["name"])
    True
    """
    desc = read_descriptor(descriptor)
    resources = [
        {"name": r["name"], "path": r["path"], "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": tableschema.load_schema(r["name"])}
        for r in desc["resources"] if r["name"] in tableschema.table_names()
    ]
    return {"name": "package", "resources": resources}


def frictionless_issues(descriptor: Path) -> list[Issue]:
    """frictionless's own validation of the package (slower, row by row): ``--frictionless``.

    It runs on :func:`frictionless_descriptor` (the contract's schemas).

    Parameters
    ----------
    descriptor : the package's ``datapackage.json``

    Returns
    -------
    list of Issue : frictionless's errors, or one ``datapackage`` finding if it cannot start.

    Examples
    --------
    >>> import tempfile
    >>> [i.rule for i in frictionless_issues(Path(tempfile.mkdtemp()) / "datapackage.json")]
    ['datapackage']
    """
    from frictionless import Package  # imported here: only --frictionless needs it (0.25 s)

    try:
        report = Package(frictionless_descriptor(descriptor), basepath=str(Path(descriptor).parent)).validate()
    except PackageError as exc:
        return [Issue(str(descriptor), None, None, "datapackage", None, str(exc))]
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
