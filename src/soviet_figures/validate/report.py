"""Validation findings and how they are printed.

Every finding names the file, the row (1-based data row; the header is row 0), the column,
the rule and the offending value.

>>> i = Issue("observations.csv", 3, "value", "value-parses", "4.12", "value 4.12 but value_text parses to 41.2")
>>> print(i.as_text())
observations.csv: row 3, column value: [value-parses] value 4.12 but value_text parses to 41.2 (value: '4.12')
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

__all__ = ["Issue", "Report"]


@dataclass(frozen=True)
class Issue:
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
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        props = f"file={self.file}"
        if line is not None:
            props += f",line={line}"
        if self.column:
            props += f",col=1,title={esc(self.rule)} ({esc(self.column)})"
        else:
            props += f",title={esc(self.rule)}"
        return f"::error {props}::{esc(self.as_text())}"


@dataclass
class Report:
    """Findings per layer, and which layers ran or were skipped (with the reason)."""

    issues: list[Issue] = field(default_factory=list)
    layers: dict[str, str] = field(default_factory=dict)  # layer -> "passed" | "failed" | "skipped: why"

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
        # a data row n sits on line n + 1 of its CSV file (the header is line 1)
        lines = [i.as_github(None if i.row is None else i.row + 1) for i in self.issues]
        lines.append(self.as_text(limit=0))
        return "\n".join(lines)
