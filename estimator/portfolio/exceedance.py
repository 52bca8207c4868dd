"""Exceedance probability (EP) and average annual values from per-year losses, for many
groups at once (companies, or the portfolio), with the years that lost nothing counted.

With N years and a return period T, the rank is r = N / T (1 = the largest). The loss at T is
the r-th largest value when r is whole; otherwise it is interpolated linearly between the
values ranked floor(r) and ceil(r). The tail value (TVaR) at T is the mean of the r largest:
(sum of the floor(r) largest + (r - floor(r)) x the next one) / r. AEP takes each year's
total; OEP each year's largest event. Return periods are those with r >= 1.

The standard error of the loss at T is distribution-free, from order statistics: the number of
the N years whose loss exceeds the true 1-in-T loss is binomial (N, p = 1/T), with standard
deviation s = sqrt(N p (1 - p)); the standard error is half the distance between the losses at
ranks r - s and r + s (interpolated as the loss is, ranks held to 1..N). The AAL's is the
standard deviation over sqrt(N). A TVaR's standard error is not estimated (left blank).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]
RETURN_PERIODS = (2, 5, 10, 20, 50, 100, 200, 250, 500, 1000)
EP_TYPES = ("OEP", "AEP", "OEP TVaR", "AEP TVaR")


def return_periods(n_years: int) -> list[int]:
    """The standard return periods the years allow (N / T >= 1)."""
    return [t for t in RETURN_PERIODS if n_years / t >= 1]


def ep_points(group: Int, values: Float, n_groups: int, n_years: int) -> pd.DataFrame:
    """Loss and TVaR at each return period, per group. ``values`` are the groups' yearly
    values that are not zero (at most one per group and year); every other year is zero.

    Returns columns ``group``, ``return_period``, ``loss``, ``tvar`` and ``se`` (the loss's
    standard error)."""
    periods = np.asarray(return_periods(n_years), dtype=np.float64)
    if len(periods) == 0:
        return pd.DataFrame(columns=["group", "return_period", "loss", "tvar", "se"])
    keep = values != 0
    g, v = np.asarray(group, np.int64)[keep], np.asarray(values, np.float64)[keep]
    order = _by_group_then_descending(g, v, n_groups)
    ranked = _Ranked(g[order], v[order], n_groups, n_years)
    rank = n_years / periods  # 1 = the largest
    low = np.floor(rank).astype(np.int64)
    out_g = np.repeat(np.arange(n_groups), len(periods))
    r_low, f = np.tile(low, n_groups), np.tile(rank - low, n_groups)
    at_next = ranked.value(out_g, r_low + 1)
    spread = np.tile(np.sqrt(n_years * (1 / periods) * (1 - 1 / periods)), n_groups)
    ranks = np.tile(rank, n_groups)
    above, below = ranked.at(out_g, ranks - spread), ranked.at(out_g, ranks + spread)
    return pd.DataFrame(
        {
            "group": out_g,
            "return_period": np.tile(periods.astype(np.int64), n_groups),
            "loss": ranked.at(out_g, ranks),
            "tvar": (ranked.top(out_g, r_low) + f * at_next) / ranks,
            "se": (above - below) / 2,
        }
    )


def _by_group_then_descending(g: Int, v: Float, n_groups: int) -> Int:
    """An order by group, then largest value first: the values in that order are those of
    ``np.lexsort((-v, g))`` (equal values may swap, which changes no value). A sort by value,
    then a stable one by group (a radix sort on 16-bit group codes when they fit)."""
    by_value = np.argsort(-v)
    groups = g[by_value]
    if n_groups <= np.iinfo(np.int16).max:
        groups = groups.astype(np.int16)
    return np.asarray(by_value[np.argsort(groups, kind="stable")], dtype=np.int64)


class _Ranked:
    """Each group's N yearly values in descending order, without holding the zeros: the
    positive values, then (N - positives - negatives) zeros, then the negative values."""

    def __init__(self, g: Int, v: Float, n_groups: int, n_years: int):
        self.v, self.n = v, n_years
        count = np.bincount(g, minlength=n_groups)
        self.first = np.cumsum(count) - count
        self.pos = np.bincount(g, weights=(v > 0).astype(np.float64), minlength=n_groups)
        self.pos = self.pos.astype(np.int64)
        self.neg = count - self.pos
        self.prefix = np.r_[0.0, np.cumsum(v)]  # prefix[k] = sum of the first k values

    def value(self, g: Int, r: Int) -> Float:
        """The r-th largest value (1-based) of group g."""
        pos, neg, first = self.pos[g], self.neg[g], self.first[g]
        in_pos = r <= pos
        in_neg = r > self.n - neg
        at = np.where(in_pos, first + r - 1, first + pos + (r - (self.n - neg)) - 1)
        safe = np.clip(at, 0, max(len(self.v) - 1, 0))
        found = self.v[safe] if len(self.v) else np.zeros(len(g))
        return np.asarray(np.where(in_pos | in_neg, found, 0.0), dtype=np.float64)

    def at(self, g: Int, rank: Float) -> Float:
        """The value at a rank that need not be whole (held to 1..N): linear between the
        values ranked floor(rank) and floor(rank) + 1."""
        rank = np.clip(rank, 1, self.n)
        low = np.floor(rank).astype(np.int64)
        at_low = self.value(g, low)
        return at_low + (rank - low) * (self.value(g, low + 1) - at_low)

    def top(self, g: Int, r: Int) -> Float:
        """The sum of the r largest values of group g."""
        pos, neg, first, p = self.pos[g], self.neg[g], self.first[g], self.prefix
        k = np.minimum(r, pos)
        total = p[first + k] - p[first]
        j = np.clip(r - (self.n - neg), 0, neg)  # negatives among the r largest
        total += p[first + pos + j] - p[first + pos]
        return np.asarray(total, dtype=np.float64)


def ep_table(entries: list[tuple[pd.DataFrame, str, str]]) -> pd.DataFrame:
    """``ep_points`` as table rows, one (points, kind, measure) after another: the loss at
    each return period (``ep_type`` = ``kind``, ``AEP`` or ``OEP``), then its TVaR
    (``kind TVaR``, no standard error). Columns group, measure, ep_type, return_period,
    loss, se."""
    columns: dict[str, list[npt.NDArray[np.generic]]] = {
        c: [] for c in ("group", "measure", "ep_type", "return_period", "loss", "se")
    }
    labels: dict[str, int] = {}  # each text once; the rows hold its code (no text per row)
    for points, kind, measure in entries:
        n = len(points)
        for ep_type, loss, se in (
            (kind, points["loss"], points["se"]),
            (f"{kind} TVaR", points["tvar"], np.full(n, np.nan)),
        ):
            columns["group"].append(points["group"].to_numpy())
            for column, text in (("measure", measure), ("ep_type", ep_type)):
                columns[column].append(np.full(n, labels.setdefault(text, len(labels))))
            columns["return_period"].append(points["return_period"].to_numpy())
            columns["loss"].append(np.asarray(loss, dtype=np.float64))
            columns["se"].append(np.asarray(se, dtype=np.float64))
    if not entries:
        return pd.DataFrame(columns=list(columns))
    names = pd.Series(list(labels), dtype="str")
    return pd.DataFrame(
        {
            c: names.take(np.concatenate(parts)).reset_index(drop=True)
            if c in ("measure", "ep_type")
            else np.concatenate(parts)
            for c, parts in columns.items()
        }
    )


def average_annual(group: Int, values: Float, n_groups: int, n_years: int) -> pd.DataFrame:
    """Per group: the average over N years (zeros counted), the standard deviation (n - 1)
    and the average's standard error (the standard deviation over sqrt(N))."""
    total = np.bincount(group, weights=values, minlength=n_groups)
    squares = np.bincount(group, weights=values * values, minlength=n_groups)
    mean = total / n_years
    var = (squares - n_years * mean * mean) / max(n_years - 1, 1)
    std = np.sqrt(np.maximum(var, 0.0))
    return pd.DataFrame(
        {"group": np.arange(n_groups), "aal": mean, "std": std, "se": std / np.sqrt(n_years)}
    )
