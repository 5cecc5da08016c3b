"""What each ``qualifier`` means for a figure's value columns — defined once.

A figure is a point (``exact``, ``approximate``), a lower bound (``more_than``,
``at_least``), an upper bound (``less_than``, ``at_most``) or a ``range``. The qualifier
decides which of ``value``, ``value_low`` and ``value_high`` are filled, which interval
the figure stands for, and which way a chart's triangle points.

>>> Qualifier("at_least").is_lower_bound, Qualifier("at_least").stored(20.0)
(True, (20.0, 20.0, None))
>>> Qualifier("range").interval(None, 250.0, 300.0)
(250.0, 300.0)
"""

from __future__ import annotations

import math
from enum import StrEnum

__all__ = ["Qualifier", "LOWER_BOUNDS", "UPPER_BOUNDS", "POINTS"]


class Qualifier(StrEnum):
    """The controlled vocabulary of ``observations.qualifier`` with its bound semantics.

    Examples
    --------
    >>> [q.value for q in Qualifier if q.is_bound]
    ['more_than', 'at_least', 'less_than', 'at_most']
    """

    EXACT = "exact"
    APPROXIMATE = "approximate"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    RANGE = "range"

    @property
    def is_point(self) -> bool:
        """``exact`` or ``approximate``: value set, low and high empty."""
        return self in (Qualifier.EXACT, Qualifier.APPROXIMATE)

    @property
    def is_lower_bound(self) -> bool:
        """``more_than`` or ``at_least``: value set, ``value_low`` = value, high empty."""
        return self in (Qualifier.MORE_THAN, Qualifier.AT_LEAST)

    @property
    def is_upper_bound(self) -> bool:
        """``less_than`` or ``at_most``: value set, ``value_high`` = value, low empty."""
        return self in (Qualifier.LESS_THAN, Qualifier.AT_MOST)

    @property
    def is_bound(self) -> bool:
        return self.is_lower_bound or self.is_upper_bound

    def stored(self, value: float | None, low: float | None = None, high: float | None = None) -> tuple[float | None, float | None, float | None]:
        """The (value, value_low, value_high) a row with this qualifier stores.

        Parameters
        ----------
        value : the figure (None for a range)
        low, high : the ends of a range (ignored otherwise)

        Examples
        --------
        >>> Qualifier.LESS_THAN.stored(5.0), Qualifier.RANGE.stored(None, 1.0, 2.0)
        ((5.0, None, 5.0), (None, 1.0, 2.0))
        """
        if self is Qualifier.RANGE:
            return None, low, high
        if self.is_lower_bound:
            return value, value, None
        if self.is_upper_bound:
            return value, None, value
        return value, None, None

    def interval(self, value: float | None, low: float | None, high: float | None, approximate: float = 0.0) -> tuple[float, float]:
        """The interval the figure stands for; ``approximate`` widens an approximate value by
        that share of itself (0.01: ±1 %).

        Examples
        --------
        >>> Qualifier.MORE_THAN.interval(1000.0, 1000.0, None)
        (1000.0, inf)
        >>> Qualifier.APPROXIMATE.interval(100.0, None, None, approximate=0.01)
        (99.0, 101.0)
        """
        if self is Qualifier.RANGE:
            if low is None or high is None:
                raise ValueError("a range needs value_low and value_high")
            return low, high
        if value is None:
            raise ValueError(f"qualifier {self.value} needs a value")
        if self.is_lower_bound:
            return value, math.inf
        if self.is_upper_bound:
            return -math.inf, value
        if self is Qualifier.APPROXIMATE and approximate:
            spread = abs(value) * approximate
            return value - spread, value + spread
        return value, value


LOWER_BOUNDS = frozenset(q.value for q in Qualifier if q.is_lower_bound)
UPPER_BOUNDS = frozenset(q.value for q in Qualifier if q.is_upper_bound)
POINTS = frozenset(q.value for q in Qualifier if q.is_point)
