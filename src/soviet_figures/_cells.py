"""One meaning of "missing" for a cell, whatever held it (csv, pandas, pyarrow).

>>> [is_missing(x) for x in (None, float("nan"), "", "0", 0)]
[True, True, False, False, False]
>>> cell_str(None), cell_str(float("nan")), cell_str(12)
('', '', '12')
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_missing", "cell_str", "cell_float"]


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


def cell_float(x: Any) -> float | None:
    """A cell as a number: missing, NaN or not a number → None.

    Parameters
    ----------
    x : a cell from csv, pandas or pyarrow

    Returns
    -------
    float or None : the number, or None where the cell holds none (a missing cell, or text
        such as "many", which is the schema's finding, not a value to compute with).

    Examples
    --------
    >>> cell_float("1.5"), cell_float(None), cell_float("12x"), cell_float(float("nan"))
    (1.5, None, None, None)
    """
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if f != f else f
