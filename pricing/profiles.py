"""Revenue profiles and the local clock: how revenue moves between the hours of a week.

A profile is 168 weights, Monday 00:00-01:00 local time first. Weights are
normalised to a mean of 1 over the week, so a profile moves revenue between
hours without changing the annual total (DESIGN §3.5).

:class:`RevenueClock` integrates a profile over any UTC interval exactly, in
O(1) per interval: the integral of the weight over local time is a prefix sum
``F`` of the weekly profile, read at the local times of both ends, and each
daylight-saving change inside the interval adds the correction
``F(tau + offset_before) - F(tau + offset_after)``. So the repeated local hour
of an autumn change is weighted twice and the skipped hour of a spring change
not at all, as DESIGN §3.5 asks.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.intervals import Float, Int

HOURS_PER_WEEK = 168
WEEK = 7 * 86400
MONDAY_1970_01_05 = 4 * 86400
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _week(
    daily: Sequence[float],
    weekend: Sequence[float] | None = None,
    friday: Sequence[float] | None = None,
) -> npt.NDArray[np.float64]:
    weekday = np.asarray(daily, dtype=np.float64)
    sat_sun = np.asarray(weekend if weekend is not None else daily, dtype=np.float64)
    fri = np.asarray(friday if friday is not None else daily, dtype=np.float64)
    return np.concatenate([weekday] * 4 + [fri, sat_sun, sat_sun])


# Raw weights by local hour 0..23 (normalised to a weekly mean of 1 when used).
_BUSINESS_DAY = [0.2] * 7 + [1.0, 2.0] + [3.0] * 8 + [2.0, 1.0] + [0.5] * 3 + [0.2, 0.2]
_EVENING = [
    1.0,
    0.6,
    0.4,
    0.3,
    0.3,
    0.3,
    0.4,
    0.6,
    0.7,
    0.8,
    0.9,
    1.0,
    1.1,
    1.1,
    1.1,
    1.2,
    1.4,
    1.7,
    2.2,
    2.8,
    3.0,
    2.8,
    2.2,
    1.5,
]
_EVENING_WEEKEND = [
    1.2,
    0.8,
    0.5,
    0.4,
    0.3,
    0.3,
    0.4,
    0.6,
    0.9,
    1.3,
    1.6,
    1.8,
    1.9,
    2.0,
    2.0,
    2.0,
    2.1,
    2.3,
    2.6,
    3.0,
    3.2,
    3.0,
    2.5,
    1.8,
]
_RETAIL = [
    0.2,
    0.1,
    0.1,
    0.1,
    0.1,
    0.2,
    0.4,
    0.7,
    1.0,
    1.4,
    1.8,
    2.0,
    2.2,
    2.1,
    1.9,
    1.8,
    1.9,
    2.1,
    2.3,
    2.2,
    1.8,
    1.2,
    0.7,
    0.4,
]
_RETAIL_WEEKEND = [
    0.3,
    0.2,
    0.1,
    0.1,
    0.1,
    0.2,
    0.3,
    0.6,
    1.1,
    1.8,
    2.5,
    2.9,
    3.0,
    3.0,
    2.8,
    2.6,
    2.4,
    2.4,
    2.4,
    2.2,
    1.8,
    1.2,
    0.8,
    0.5,
]

BUILTIN_PROFILES: dict[str, npt.NDArray[np.float64]] = {
    "flat": np.ones(HOURS_PER_WEEK),
    "business_hours": _week(_BUSINESS_DAY, weekend=[0.2] * 24),
    "evening_peak": _week(_EVENING, weekend=_EVENING_WEEKEND, friday=_EVENING_WEEKEND),
    "retail": _week(_RETAIL, weekend=_RETAIL_WEEKEND),
}
"""Built-in profiles (raw weights; normalised when used). Documented in METHODOLOGY.md."""


def normalise(weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Scale weights so their mean over the 168 hours of the week is 1."""
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray(w * (HOURS_PER_WEEK / w.sum(axis=-1, keepdims=True)), dtype=np.float64)


def custom_profiles(table: pd.DataFrame) -> dict[str, npt.NDArray[np.float64]]:
    """Raw weekly weights from ``profile_id, day, hour, weight`` rows (validated inputs).

    A ``*`` row sets that hour on every day; a day-specific row overrides it.
    """
    if table.empty:
        return {}
    day = table["day"].to_numpy(dtype=object)
    hour = table["hour"].to_numpy(dtype=np.int64)
    star = day == "*"
    ids, pid = np.unique(table["profile_id"].to_numpy(dtype=object), return_inverse=True)
    grid = np.full((len(ids), HOURS_PER_WEEK), np.nan)
    # '*' rows first (fill all 7 days), then day rows override
    s_rows = np.flatnonzero(star)
    for_days = np.arange(7)
    cells = hour[s_rows, None] + 24 * for_days[None, :]
    grid[np.repeat(pid[s_rows], 7), cells.ravel()] = np.repeat(
        table["weight"].to_numpy(dtype=np.float64)[s_rows], 7
    )
    d_rows = np.flatnonzero(~star)
    day_idx = pd.Index(DAYS).get_indexer(pd.Index(day[d_rows]))
    grid[pid[d_rows], hour[d_rows] + 24 * day_idx] = table["weight"].to_numpy(np.float64)[d_rows]
    return {str(name): grid[i] for i, name in enumerate(ids)}


@dataclass(frozen=True)
class RevenueClock:
    """Integrates normalised weekly profiles over UTC intervals in each company's time zone.

    Build it once for the zones and profiles in use and the time range
    needed; then :meth:`integral` prices any number of intervals.
    """

    prefix: Float  # (P, 169) cumulative weight-hours at the start of each hour of the week
    weights: Float  # (P, 168) normalised
    zones: tuple[str, ...]
    # per (zone, profile) "combo": transition times, offsets after, cumulative corrections
    combo_zone: Int
    combo_profile: Int
    _keys: Int
    _off_after: Int
    _corr_cum: Float
    _combo_first: Int
    _off0: Int
    _span: int
    _origin: int

    @classmethod
    def build(
        cls,
        zones: Sequence[str],
        profiles: npt.ArrayLike,
        combos_zone: Int,
        combos_profile: Int,
        t_lo: int,
        t_hi: int,
    ) -> RevenueClock:
        """``combos_*``: the distinct (zone index, profile index) pairs that will be asked for."""
        w = normalise(profiles)
        prefix = np.zeros((w.shape[0], HOURS_PER_WEEK + 1))
        prefix[:, 1:] = np.cumsum(w, axis=1)
        lo, hi = int(t_lo) - 2 * 86400, int(t_hi) + 2 * 86400
        trans = [_transitions(z, lo, hi) for z in zones]
        cz = np.asarray(combos_zone, dtype=np.int64)
        cp = np.asarray(combos_profile, dtype=np.int64)
        counts = np.array([len(trans[z][0]) for z in cz], dtype=np.int64)
        t_all = np.concatenate([trans[z][0] for z in cz]) if len(cz) else np.zeros(0, np.int64)
        before = np.concatenate([trans[z][1] for z in cz]) if len(cz) else np.zeros(0, np.int64)
        after = np.concatenate([trans[z][2] for z in cz]) if len(cz) else np.zeros(0, np.int64)
        combo_of = np.repeat(np.arange(len(cz), dtype=np.int64), counts)
        prof = cp[combo_of]
        corr = _prefix_at(prefix, w, prof, t_all + before) - _prefix_at(
            prefix, w, prof, t_all + after
        )
        corr_cum = np.cumsum(corr) if len(corr) else np.zeros(0)
        first = np.cumsum(counts) - counts
        base = np.concatenate([[0.0], corr_cum])[first]  # cumulative before each combo
        corr_cum = corr_cum - np.repeat(base, counts)
        off0 = np.array([trans[z][3] for z in cz], dtype=np.int64)
        span = hi - lo + 2
        keys = combo_of * span + (t_all - lo)
        return cls(prefix, w, tuple(zones), cz, cp, keys, after, corr_cum, first, off0, span, lo)

    def offset(self, combo: Int, t: Int) -> tuple[Int, Int]:
        """UTC offset (seconds) in force at ``t`` and the number of transitions up to ``t``."""
        combo = np.asarray(combo, dtype=np.int64)
        keys = combo * self._span + (np.asarray(t, dtype=np.int64) - self._origin)
        pos = np.searchsorted(self._keys, keys, side="right").astype(np.int64)
        n_before = pos - self._combo_first[combo]
        prev = np.maximum(pos - 1, 0)
        after = self._off_after[prev] if len(self._off_after) else np.zeros_like(pos)
        off = np.where(n_before > 0, after, self._off0[combo])
        return off.astype(np.int64), pos

    def cumulative(self, combo: Int, t: Int) -> Float:
        """Weight-seconds from a fixed origin to UTC time ``t`` (continuous in t)."""
        combo = np.asarray(combo, dtype=np.int64)
        t = np.asarray(t, dtype=np.int64)
        off, pos = self.offset(combo, t)
        n_before = pos - self._combo_first[combo]
        prev = np.maximum(pos - 1, 0)
        corr = np.where(n_before > 0, self._corr_cum[prev] if len(self._corr_cum) else 0.0, 0.0)
        return _prefix_at(self.prefix, self.weights, self.combo_profile[combo], t + off) + corr

    def integral(self, combo: Int, start: Int, end: Int) -> Float:
        """Weight-seconds over ``[start, end)``: seconds times the mean weight in local time."""
        return self.cumulative(combo, end) - self.cumulative(combo, start)


def _prefix_at(prefix: Float, weights: Float, profile: Int, local: Int) -> Float:
    """Weight-seconds of the profile from the local epoch Monday to local time ``local``."""
    y = np.asarray(local, dtype=np.int64) - MONDAY_1970_01_05
    week = np.floor_divide(y, WEEK)
    r = y - week * WEEK
    hour = r // 3600
    within = r - hour * 3600
    return np.asarray(
        week.astype(np.float64) * float(WEEK)
        + prefix[profile, hour] * 3600.0
        + weights[profile, hour] * within.astype(np.float64),
        dtype=np.float64,
    )


TRANSITION_BLOCK = 3600 * 24 * 7 * 53
"""Seconds of time-zone changes found at once and kept (a whole number of hours): runs over
the same year (simulated years, draws, chunks) find each zone's changes once."""


def _transitions(zone: str, lo: int, hi: int) -> tuple[Int, Int, Int, int]:
    """UTC-offset changes of ``zone`` in ``[lo, hi]``: times, offsets before and after, and
    the offset at the start.

    A change is found on the hourly grid of UTC (its hour: the grid step it falls in) and
    located to the second by bisection; the grid's blocks are found once per zone and kept.
    """
    first = lo - lo % 3600
    last = first + 3600 * ((hi + 3600 - first - 1) // 3600)  # the grid's last point
    parts = [
        _block_transitions(zone, b)
        for b in range(first // TRANSITION_BLOCK, last // TRANSITION_BLOCK + 1)
    ]
    at = np.concatenate([p[0] for p in parts])
    keep = (at > first) & (at <= last)  # found between two points of this grid
    before = np.concatenate([p[1] for p in parts])[keep]
    after = np.concatenate([p[2] for p in parts])[keep]
    return at[keep], before, after, int(_offsets(zone, np.array([first]))[0])


@functools.lru_cache(maxsize=4096)
def _block_transitions(zone: str, block: int) -> tuple[Int, Int, Int]:
    """The changes of ``zone`` between the hourly grid points of one block (and the first
    point of the next): the first second of each new offset, offsets before and after."""
    lo = block * TRANSITION_BLOCK
    grid = np.arange(lo, lo + TRANSITION_BLOCK + 3600, 3600, dtype=np.int64)
    off = _offsets(zone, grid)
    change = np.flatnonzero(off[1:] != off[:-1])
    left, right = grid[change], grid[change + 1]  # offset(left) != offset(right)
    before = off[change]
    for _ in range(12):  # 3600 s -> 1 s
        mid = (left + right) // 2
        same = _offsets(zone, mid) == before
        left = np.where(same, mid, left)
        right = np.where(same, right, mid)
    # right is the first second with the new offset
    return right.astype(np.int64), before.astype(np.int64), off[change + 1].astype(np.int64)


def _offsets(zone: str, t: Int) -> Int:
    utc = pd.DatetimeIndex(np.asarray(t, dtype="datetime64[s]"), tz="UTC")
    local = utc.tz_convert(zone).tz_localize(None)
    return np.asarray(local.as_unit("s").asi8 - utc.as_unit("s").asi8, dtype=np.int64)
