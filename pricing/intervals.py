"""Interval arithmetic on whole columns: the primitives every pricing rule stands on.

Times are int64 seconds since 1970-01-01 UTC. Intervals are half-open
``[start, end)``. A *group* is whatever the intervals belong to (a contract, a
company): groups never interact.

* :func:`segment` cuts each group's time line at every interval end point (and
  at extra break points) into elementary segments, and says which segments each
  interval covers. Within one segment nothing changes, so any rule that is
  constant between break points is computed once per segment.
* :func:`expand` lists (interval, segment) pairs for those coverings.
* :func:`merge` unites overlapping or touching intervals of a group (episodes).

No Python loop runs per interval or per segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

Int = npt.NDArray[np.int64]
Float = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Segments:
    """Elementary segments of every group's time line.

    Segment ``k`` runs from ``start[k]`` to ``end[k]`` in group ``group[k]``.
    ``valid[k]`` is False for the filler slot after a group's last break point
    (it has no end inside the group and is never covered).
    """

    group: Int
    start: Int
    end: Int
    valid: Bool
    _keys: Int
    _origin: int
    _span: int

    def __len__(self) -> int:
        return len(self.start)

    @property
    def duration(self) -> Int:
        return np.where(self.valid, self.end - self.start, 0)

    def locate(self, group: Int, time: Int) -> Int:
        """Index of the break point at or after ``time`` in ``group`` (for range lookups)."""
        keys = np.asarray(group, dtype=np.int64) * self._span + (time - self._origin)
        return np.searchsorted(self._keys, keys, side="left").astype(np.int64)

    def containing(self, group: Int, time: Int) -> Int:
        """Index of the segment that contains ``time`` (start <= time < end) in ``group``."""
        keys = np.asarray(group, dtype=np.int64) * self._span + (time - self._origin)
        return (np.searchsorted(self._keys, keys, side="right") - 1).astype(np.int64)


def unique(values: Int) -> Int:
    """Sorted distinct values (sort and compare: much faster than np.unique's hash path)."""
    v = np.sort(np.asarray(values, dtype=np.int64))
    if len(v) == 0:
        return v
    keep = np.empty(len(v), dtype=np.bool_)
    keep[0] = True
    np.not_equal(v[1:], v[:-1], out=keep[1:])
    return v[keep]


def unique_inverse(values: Int) -> tuple[Int, Int]:
    """Sorted distinct values and, for each value, the index of its distinct value."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.int64), sort=True)
    return np.asarray(uniques, dtype=np.int64), codes.astype(np.int64)


def sorted_inverse(values: Int) -> tuple[Int, Int]:
    """What ``unique_inverse`` returns, from one stable sort: faster than its hash when the
    values come nearly in order (a timeline's end points, company by company)."""
    values = np.asarray(values, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ranked = values[order]
    distinct = np.empty(len(ranked), dtype=np.bool_)
    distinct[:1] = True
    np.not_equal(ranked[1:], ranked[:-1], out=distinct[1:])
    position = np.empty(len(values), dtype=np.int64)
    position[order] = np.cumsum(distinct) - 1
    return ranked[distinct], position


def row_codes(columns: list[pd.Series] | list[Int], n: int) -> Int:
    """One code per distinct row of ``columns`` (``n`` rows; 0, 1, ... in order of first
    appearance, as factorizing the rows as tuples gives; blanks are a value of their own),
    built column by column on integers."""
    key = np.zeros(n, dtype=np.int64)
    for column in columns:
        codes, values = pd.factorize(column)
        key = pd.factorize(key * (len(values) + 1) + codes)[0].astype(np.int64)
    return key


def segment(
    group: Int,
    start: Int,
    end: Int,
    extra_group: Int | None = None,
    extra_time: Int | None = None,
) -> tuple[Segments, Int, Int]:
    """Cut time lines at interval end points (and extra break points).

    Returns the segments and, for each input interval, the index of the first
    segment it covers and how many consecutive segments it covers.
    """
    group = np.asarray(group, dtype=np.int64)
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    eg = np.zeros(0, np.int64) if extra_group is None else np.asarray(extra_group, np.int64)
    et = np.zeros(0, np.int64) if extra_time is None else np.asarray(extra_time, np.int64)
    times = [start, end, et]
    lo = min((int(t.min()) for t in times if len(t)), default=0)
    hi = max((int(t.max()) for t in times if len(t)), default=0)
    span = hi - lo + 2
    top = max((int(g.max()) for g in (group, eg) if len(g)), default=0)
    if (top + 1) * span >= 2**62:
        raise OverflowError("too many groups over too long a time span for 64-bit keys")
    k_start = group * span + (start - lo)
    k_end = group * span + (end - lo)
    keys, position = sorted_inverse(np.concatenate([k_start, k_end, eg * span + (et - lo)]))
    bp_group = keys // span
    bp_time = keys % span + lo
    n = len(keys)
    seg_end = np.empty(n, dtype=np.int64)
    seg_end[:-1] = bp_time[1:]
    seg_end[-1:] = bp_time[-1:]
    valid = np.zeros(n, dtype=np.bool_)
    valid[:-1] = bp_group[:-1] == bp_group[1:]
    segs = Segments(bp_group, bp_time, seg_end, valid, keys, lo, span)
    first, last = position[: len(k_start)], position[len(k_start) : 2 * len(k_start)]
    return segs, first, last - first


def expand(first: Int, count: Int) -> tuple[Int, Int]:
    """(interval index, segment index) for every segment each interval covers."""
    first = np.asarray(first, dtype=np.int64)
    count = np.asarray(count, dtype=np.int64)
    total = int(count.sum())
    owner = np.repeat(np.arange(len(count), dtype=np.int64), count)
    offsets = np.cumsum(count) - count
    seg = np.arange(total, dtype=np.int64) - np.repeat(offsets - first, count)
    return owner, seg


def merge(group: Int, start: Int, end: Int) -> tuple[Int, Int, Int, Int]:
    """Unite overlapping or touching intervals within each group.

    Returns ``(run_of_interval, run_group, run_start, run_end)``: for each input
    interval the index of the merged run that holds it, and the runs.
    """
    group = np.asarray(group, dtype=np.int64)
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    n = len(start)
    if n == 0:
        z = np.zeros(0, np.int64)
        return z, z, z, z
    lo = int(min(start.min(), end.min()))
    span = int(max(start.max(), end.max())) - lo + 1
    if (int(group.max()) + 1) * span < 2**62:  # one integer key: the order of the lexsort
        order = np.argsort(group * span + (start - lo), kind="stable")
    else:
        order = np.lexsort((start, group))
    g, s, e = group[order], start[order], end[order]
    # running maximum of ends within each group: offset groups so one accumulate serves all
    reach = np.maximum.accumulate(g * span + (e - lo))
    prev_reach = np.empty(n, dtype=np.int64)
    prev_reach[0] = -1
    prev_reach[1:] = reach[:-1]
    new_run = np.ones(n, dtype=np.bool_)
    new_run[1:] = (g[1:] != g[:-1]) | (g[1:] * span + (s[1:] - lo) > prev_reach[1:])
    run_sorted = np.cumsum(new_run) - 1
    n_runs = int(run_sorted[-1]) + 1
    run_start = s[new_run]
    run_group = g[new_run]
    run_end = np.full(n_runs, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(run_end, run_sorted, e)
    run_of = np.empty(n, dtype=np.int64)
    run_of[order] = run_sorted
    return run_of, run_group, run_start, run_end


def group_spans(group_of_row: Int, seg_of_row: Int, n_groups: int) -> tuple[Int, Int]:
    """For rows (group, segment): each group's lowest segment and one past its highest."""
    lo = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n_groups, -1, dtype=np.int64)
    np.minimum.at(lo, group_of_row, seg_of_row)
    np.maximum.at(hi, group_of_row, seg_of_row)
    empty = hi < 0
    lo[empty] = 0
    hi[empty] = -1
    return lo, hi + 1


@dataclass(frozen=True)
class Slab:
    """A dense block of cells per group, one per segment in the group's span.

    Cell ``offset[g] + (s - lo[g])`` holds group ``g`` at segment ``s``. Used
    to reduce rows per (group, segment) with ``ufunc.at`` instead of sorting.
    """

    lo: Int
    hi: Int
    offset: Int

    @classmethod
    def of(cls, group_of_row: Int, seg_of_row: Int, n_groups: int) -> Slab:
        lo, hi = group_spans(group_of_row, seg_of_row, n_groups)
        size = hi - lo
        offset = np.cumsum(size) - size
        return cls(lo, hi, offset)

    @property
    def size(self) -> int:
        return int((self.hi - self.lo).sum())

    def cell(self, group: Int, seg: Int) -> Int:
        return np.asarray(self.offset[group] + (seg - self.lo[group]), dtype=np.int64)

    def cells(self) -> tuple[Int, Int]:
        """(group, segment) of every cell, in cell order."""
        size = self.hi - self.lo
        return expand(self.lo, size)

    def reduce(self, ufunc: np.ufunc, group: Int, seg: Int, values: Any, identity: Any) -> Any:
        out = np.full(self.size, identity, dtype=np.asarray(values).dtype)
        ufunc.at(out, self.cell(group, seg), values)
        return out
