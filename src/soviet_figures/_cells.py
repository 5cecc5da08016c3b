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
    """Whether a cell is missing: None, NaN or pandas' NA.

    An empty string is a value: CSV readers turn empty cells into None or NA before
    this is asked.

    Parameters
    ----------
    x : a cell from csv, pandas or pyarrow

    Returns
    -------
    bool : True for None, NaN or pandas' NA.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing("")
    (True, True, False)
    """
    if x is None or (isinstance(x, float) and x != x):
        return True
    return type(x).__name__ == "NAType"


def cell_str(x: Any) -> str:
    """A cell as text: missing → ''.

    Parameters
    ----------
    x : a cell from csv, pandas or pyarrow

    Returns
    -------
    str : ``str(x)``, or ``''`` when the cell is missing.

    Examples
    --------
    >>> cell_str(None), cell_str(3.5), cell_str("a")
    ('', '3.5', 'a')
    """
    return "" if is_missing(x) else str(x)
