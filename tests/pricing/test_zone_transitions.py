"""Time-zone changes are found per kept block of the hourly UTC grid; for any range they must be
exactly those found on that range's own grid (the rule written out again here, as it was
before the blocks were kept)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.profiles import TRANSITION_BLOCK, _offsets, _transitions

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo", "UTC"]


def _on_own_grid(zone: str, lo: int, hi: int) -> tuple[list[int], list[int], list[int], int]:
    grid = np.arange(lo - lo % 3600, hi + 3600, 3600, dtype=np.int64)
    off = _offsets(zone, grid)
    change = np.flatnonzero(off[1:] != off[:-1])
    left, right, before = grid[change], grid[change + 1], off[change]
    for _ in range(12):
        mid = (left + right) // 2
        same = _offsets(zone, mid) == before
        left, right = np.where(same, mid, left), np.where(same, right, mid)
    return right.tolist(), before.tolist(), off[change + 1].tolist(), int(off[0])


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.integers(1_500_000_000, 1_800_000_000),
    st.integers(1, 3 * TRANSITION_BLOCK),
)
def test_kept_blocks_give_the_changes_of_the_range(zone: str, lo: int, length: int) -> None:
    at, before, after, first = _transitions(zone, lo, lo + length)
    assert (at.tolist(), before.tolist(), after.tolist(), first) == _on_own_grid(
        zone, lo, lo + length
    )
