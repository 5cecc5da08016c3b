"""Validation findings and how they are printed.

Every finding names the file, the row (1-based data row; the header is row 0), the column,
the rule and the offending value.

>>> i = Issue("observations.csv", 3, "value", "value-parses", "4.12", "value 4.12 but value_text parses to 41.2")
>>> print(i.as_text())
observations.csv: row 3, column value: [value-parses] value 4.12 but value_text parses to 41.2 (value: '4.12')
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import PackageError
from ..io.files import read_regular

__all__ = ["Issue", "Report", "physical_lines"]


@dataclass(frozen=True)
class Issue:
    """One finding of the validator.

    Parameters
    ----------
    file : the file's label
    row : the data row, counted from 1 (None: the whole file)
    column : the column, if one
    rule : the rule's id (see :mod:`soviet_figures.validate.catalogue`)
    value : the offending value, if one
    message : what is wrong
    layer : the layer that reported it

    Examples
    --------
    >>> Issue("links.csv", 2, "relation", "enum", "same", "not in the vocabulary").as_text()
    "links.csv: row 2, column relation: [enum] not in the vocabulary (value: 'same')"
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str | None
    message: str
    layer: str = ""

    def as_text(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
        if self.column:
            where += f", column {self.column}" if self.row is not None else f": column {self.column}"
        shown = "" if self.value is None else f" (value: {self.value[:120]!r})"
        return f"{where}: [{self.rule}] {self.message}{shown}"

    def as_github(self, line: int | None = None) -> str:
        """The finding as a GitHub workflow command, ``line`` being the file's physical line.

        Property values escape ``%``, CR, LF, ``:`` and ``,``; the message ``%``, CR and LF
        (GitHub's rules for workflow commands).

        Examples
        --------
        >>> print(Issue("a,b.csv", 1, "obs_id", "schema:str_matches('^x$')", None, "no").as_github(2))
        ::error file=a%2Cb.csv,line=2,col=1,title=schema%3Astr_matches('^x$') (obs_id)::a,b.csv: row 1, column obs_id: [schema:str_matches('^x$')] no
        """
        props = f"file={_escape_property(self.file)}"
        if line is not None:
            props += f",line={line}"
        title = f"{self.rule} ({self.column})" if self.column else self.rule
        if self.column:
            props += ",col=1"
        props += f",title={_escape_property(title)}"
        return f"::error {props}::{_escape_data(self.as_text())}"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def physical_lines(data: bytes) -> list[int]:
    """The file line on which each data row of a CSV file starts (index 0: data row 1).

    A quoted cell may hold line breaks, so data row n is not always line n + 1.

    Examples
    --------
    >>> physical_lines(b'a,b\\n"x\\ny",1\\nz,2\\n')
    [2, 4]
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8", "replace"), newline=""))
    starts: list[int] = []
    try:
        next(reader)
        while True:
            start = reader.line_num + 1
            next(reader)
            starts.append(start)
    except (StopIteration, csv.Error):
        return starts


@dataclass
class Report:
    """Findings per layer, and which layers ran or were skipped (with the reason).

    Parameters
    ----------
    issues : every finding, tagged with its layer
    layers : each layer's outcome: ``passed``, ``failed`` or ``skipped: why``
    files : a finding's file label and the file read

    Examples
    --------
    >>> r = Report()
    >>> r.add_layer("structure", [Issue("links.csv", 2, None, "primary-key", "a,b", "repeats")])
    >>> r.add_layer("text", [], skipped="no texts")
    >>> r.ok, r.layers
    (False, {'structure': 'failed', 'text': 'skipped: no texts'})
    """

    issues: list[Issue] = field(default_factory=list)
    layers: dict[str, str] = field(default_factory=dict)  # layer -> "passed" | "failed" | "skipped: why"
    files: dict[str, Path] = field(default_factory=dict)  # a finding's file label -> the file read

    def add_layer(self, layer: str, found: list[Issue], skipped: str | None = None) -> None:
        if skipped:
            self.layers[layer] = f"skipped: {skipped}"
            return
        tagged = [Issue(**{**asdict(i), "layer": layer}) for i in found]
        self.issues.extend(tagged)
        self.layers[layer] = "failed" if tagged else "passed"

    @property
    def ok(self) -> bool:
        return not self.issues

    def as_text(self, limit: int = 200) -> str:
        lines = [i.as_text() for i in self.issues[:limit]]
        if len(self.issues) > limit:
            lines.append(f"... and {len(self.issues) - limit} more")
        lines.append("")
        for layer, state in self.layers.items():
            lines.append(f"{layer:<13} {state}")
        lines.append(f"{'result':<13} {'valid' if self.ok else f'INVALID: {len(self.issues)} error(s)'}")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {"valid": self.ok, "layers": self.layers, "errors": [asdict(i) for i in self.issues]},
            ensure_ascii=False,
            indent=2,
        )

    def as_github(self) -> str:
        """One workflow command per finding, on the physical line its row starts on (a data
        row n is line n + 1 unless a cell above spans lines), then the text summary."""
        starts: dict[str, list[int]] = {}
        for label in {i.file for i in self.issues if i.row is not None}:
            path = self.files.get(label)
            try:
                starts[label] = physical_lines(read_regular(path)) if path is not None else []
            except PackageError:
                starts[label] = []

        def line(i: Issue) -> int | None:
            if i.row is None:
                return None
            known = starts.get(i.file, [])
            return known[i.row - 1] if 0 < i.row <= len(known) else i.row + 1

        lines = [i.as_github(line(i)) for i in self.issues]
        lines.append(self.as_text(limit=0))
        return "\n".join(lines)
