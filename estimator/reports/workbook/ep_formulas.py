"""Spreadsheet formulas of the EP statistics (METHODOLOGY §17), on a column of yearly values:
the loss at a return period (LARGE at its rank, interpolated), its TVaR, its standard error,
and the standard deviation. Each mirrors ``estimator.portfolio.exceedance`` step by step."""

from __future__ import annotations

import math


def large_at(span: str, rank: float, n: int) -> str:
    """The value at a rank that need not be whole (held to 1..n): LARGE at floor(rank),
    plus the fraction of the way to the next one."""
    rank = min(max(rank, 1.0), float(n))
    low = math.floor(rank)
    frac = rank - low
    at = f"LARGE({span},{low})"
    return at if frac == 0 else f"({at}+{frac!r}*(LARGE({span},{low + 1})-{at}))"


def ep_formula(span: str, rank: float, tvar: bool) -> str:
    """LARGE at the rank, interpolated; TVaR: the mean of the ``rank`` largest."""
    low = math.floor(rank)
    frac = rank - low
    at = f"LARGE({span},{low})"
    nxt = f"LARGE({span},{low + 1})" if frac > 0 else "0"
    if not tvar:
        return f"={at}" if frac == 0 else f"={at}+{frac!r}*({nxt}-{at})"
    top = f"(SUMPRODUCT(({span}>{at})*{span})+({low}-SUMPRODUCT(({span}>{at})*1))*{at})"
    return f"={top}/{low}" if frac == 0 else f"=({top}+{frac!r}*{nxt})/{rank!r}"


def se_formula(span: str, n: int, period: int) -> str:
    """The standard error of the loss at ``period`` over ``n`` years: half the distance
    between the values at ranks r - s and r + s, s = sqrt(n p (1 - p)), p = 1 / period."""
    p = 1 / period
    rank = n / period
    spread = math.sqrt(n * p * (1 - p))
    return f"=({large_at(span, rank - spread, n)}-{large_at(span, rank + spread, n)})/2"


def stdev(span: str, n: int) -> str:
    """The standard deviation with n - 1, from sums (the functions every spreadsheet has);
    without the leading ``=``."""
    mean = f"(SUM({span})/{n})"
    return f"SQRT(MAX(0,(SUMPRODUCT({span}*{span})-{n}*{mean}*{mean})/{max(n - 1, 1)}))"
