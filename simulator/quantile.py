"""Continuous quantile, identical to numpy's default ('linear') and DuckDB's quantile_cont."""

import math


def quantile_cont(values, q: float) -> float | None:
    xs = sorted(values)
    if not xs:
        return None
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])
