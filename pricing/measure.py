"""Monthly SLA measurement per contract (DESIGN §4.5), exact.

Per contract, the impact timeline (the largest impact of the intervals hitting it)
is cut at UTC month boundaries and at exclusion windows; excluded time is removed;
for the ``downtime`` metric a second counts when the impact is at or above the
threshold, and runs of downtime shorter than the minimum downtime period are
dropped; for the ``error_rate`` metric every second counts with its impact as the
error rate. Impacts are integers in units of 1e-12
(:data:`pricing.timeline.UNIT`), so the month's measured downtime is an exact
integer of unit-seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.intervals import Bool, Int, expand, merge, segment, unique_inverse
from pricing.timeline import UNIT

DAY_TABLE = 400_000
"""At most this many days (about 1,100 years) are put in a lookup table; a wider span of
instants is converted through the calendar value by value."""
MONTH_TABLE = 12_000
"""At most this many months (1,000 years) are put in ``month_start``'s lookup table."""


def _calendar_month(t: Int) -> Int:
    return np.asarray(t, dtype="datetime64[s]").astype("datetime64[M]").astype(np.int64)


def _calendar_start(m: Int) -> Int:
    return np.asarray(m, dtype="datetime64[M]").astype("datetime64[s]").astype(np.int64)


def month_of(t: Int) -> Int:
    """Months since 1970-01 of UTC instants (int64 seconds): the calendar's answer. Months
    begin at midnight, so an instant's month is its day's; each day between the earliest
    and latest instant is converted once and looked up (converting each instant through the
    calendar is several times slower)."""
    t = np.asarray(t, dtype=np.int64)
    if len(t) < 64:
        return _calendar_month(t)
    day = t // 86_400
    first = int(day.min())
    n_days = int(day.max()) - first + 1
    if n_days > DAY_TABLE:
        return _calendar_month(t)
    table = _calendar_month(np.arange(first, first + n_days, dtype=np.int64) * 86_400)
    found: Int = table[day - first]
    return found


def month_start(m: Int) -> Int:
    """UTC instant (seconds) at which month ``m`` (months since 1970-01) begins (looked up
    in a table of the months between the first and last asked for)."""
    m = np.asarray(m, dtype=np.int64)
    if len(m) < 64:
        return _calendar_start(m)
    first, last = int(m.min()), int(m.max())
    if last - first >= MONTH_TABLE:
        return _calendar_start(m)
    starts: Int = _calendar_start(np.arange(first, last + 1))[m - first]
    return starts


@dataclass(frozen=True)
class MeasureTerms:
    """Per credit contract (indexed by group code): how downtime is measured."""

    error_metric: Bool
    threshold_units: Int
    min_downtime_s: Int


def monthly_measure(
    *,
    group: Int,
    start: Int,
    end: Int,
    units: Int,
    excl_group: Int,
    excl_start: Int,
    excl_end: Int,
    terms: MeasureTerms,
    counted: Bool | None = None,
) -> pd.DataFrame:
    """Measured downtime per (contract, month) hit by any interval.

    ``units`` is each interval's impact in units of 1e-12; ``counted`` (default:
    all) says which intervals the contract's SLA counts. An interval that does
    not count (an outage scope outside the SLA's definition) measures nothing,
    but a month it hits still gets its row, so the result can say why nothing
    counted. Returns columns group, month (months since 1970-01),
    seconds_in_month, downtime_seconds, measured_units (unit-seconds that enter
    the uptime), first_incident, last_incident (UTC seconds of the month's first
    and last counted impact start; of any interval when none counted).
    """
    group, start, end = (np.asarray(a, dtype=np.int64) for a in (group, start, end))
    units = np.asarray(units, dtype=np.int64)
    if counted is not None:
        units = np.where(np.asarray(counted, dtype=bool), units, 0)
    p = _pieces(group, start, end, units, excl_group, excl_start, excl_end)
    down = p.counted & (p.units >= terms.threshold_units[p.group])
    down = _drop_short_runs(p, down, terms.min_downtime_s)
    month = month_of(p.start)
    m0 = int(month.min(initial=0))
    n_months = int(month.max(initial=0)) - m0 + 1
    keys, which = unique_inverse(p.group * n_months + (month - m0))
    n_keys = len(keys)
    dur = p.end - p.start
    downtime = np.zeros(n_keys, dtype=np.int64)
    np.add.at(downtime, which, np.where(down, dur, 0))
    errors = np.zeros(n_keys, dtype=np.int64)  # exact: at most the month's seconds x 1e12
    np.add.at(errors, which, np.where(p.counted, p.units * dur, 0))
    impact = p.units > 0
    out = pd.DataFrame(
        {
            "group": keys // n_months,
            "month": keys % n_months + m0,
            "downtime_seconds": downtime,
            "first_incident": _first_last(which, p.start, impact, n_keys, np.minimum, _MAX),
            "last_incident": _first_last(which, p.start, impact, n_keys, np.maximum, _MIN),
        },
        copy=False,  # fresh arrays: no copy
    )
    months = out["month"].to_numpy()
    out["seconds_in_month"] = month_start(months + 1) - month_start(months)
    error_metric = terms.error_metric[out["group"].to_numpy()]
    out["measured_units"] = np.where(error_metric, errors, downtime * UNIT)
    return out


_MAX, _MIN = np.iinfo(np.int64).max, np.iinfo(np.int64).min


@dataclass(frozen=True)
class _Pieces:
    """The elementary pieces of time hit by an interval: per contract group, cut at month
    boundaries and exclusion edges, each with the largest counted impact over it."""

    group: Int
    start: Int
    end: Int
    units: Int
    counted: Bool
    """Not excluded from measurement."""


def _pieces(
    group: Int, start: Int, end: Int, units: Int, excl_group: Int, excl_start: Int, excl_end: Int
) -> _Pieces:
    # month boundaries strictly inside each interval become break points
    m_a = month_of(start)
    owner, k = expand(np.zeros(len(start), np.int64), month_of(end - 1) - m_a)
    n = len(start)
    segs, first, count = segment(
        np.concatenate([group, np.asarray(excl_group, np.int64)]),
        np.concatenate([start, np.asarray(excl_start, np.int64)]),
        np.concatenate([end, np.asarray(excl_end, np.int64)]),
        group[owner],
        month_start(m_a[owner] + k + 1),
    )
    who, seg = expand(first, count)
    imp = np.zeros(len(segs), dtype=np.int64)
    is_window = who < n
    np.maximum.at(imp, seg[is_window], units[who[is_window]])
    hit = np.zeros(len(segs), dtype=np.bool_)
    hit[seg[is_window]] = True
    excluded = np.zeros(len(segs), dtype=np.bool_)
    excluded[seg[~is_window]] = True
    touched = np.flatnonzero(hit & segs.valid)
    return _Pieces(
        segs.group[touched],
        segs.start[touched],
        segs.end[touched],
        imp[touched],
        ~excluded[touched],
    )


def _drop_short_runs(p: _Pieces, down: Bool, min_downtime_s: Int) -> Bool:
    """The minimum downtime period: runs of downtime shorter than it do not count (a run that
    crosses a month end is one run)."""
    run_of, _, run_s, run_e = merge(p.group[down], p.start[down], p.end[down])
    if not len(run_s):
        return down
    run_min = np.zeros(len(run_s), dtype=np.int64)
    run_min[run_of] = min_downtime_s[p.group[down]]
    short = (run_e - run_s) < run_min
    keep = np.ones(len(p.group), dtype=np.bool_)
    keep[np.flatnonzero(down)[short[run_of]]] = False
    return down & keep


def _first_last(
    which: Int, t: Int, counted: Bool, n: int, ufunc: np.ufunc, empty: int
) -> npt.NDArray[np.int64]:
    """Per key, the min (or max) of ``t`` over counted pieces, else over every piece."""
    every = np.full(n, empty, dtype=np.int64)
    ufunc.at(every, which, t)
    mine = np.full(n, empty, dtype=np.int64)
    ufunc.at(mine, which[counted], t[counted])
    return np.where(mine != empty, mine, every)
