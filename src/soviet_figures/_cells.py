"""One meaning of "missing" for a cell, whatever held it (csv, pandas, pyarrow).

>>> [is_missing(x) for x in (None, float("nan"), "", "0", 0)]
[True, True, False, False, False]
>>> cell_str(None), cell_str(float("nan")), cell_str(12)
('', '', '12')
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_missing", "cell_str"]


def is_missing(x: Any) -> bool:
    """None, NaN or pandas' NA (an empty string is a value: CSV readers turn empty cells
    into None or NA before this is asked)."""
    if x is None or (isinstance(x, float) and x != x):
        return True
    return type(x).__name__ == "NAType"


def cell_str(x: Any) -> str:
    """A cell as text: missing → ''."""
    return "" if is_missing(x) else str(x)
