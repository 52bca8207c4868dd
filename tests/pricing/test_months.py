"""Months of UTC instants: the day-table lookup of ``pricing.measure`` gives the calendar's
month (datetime64[M]) for every instant, including each side of a month boundary, and
``month_start`` gives the calendar's first second of each month."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing import measure

SECONDS = st.integers(min_value=-(10**11), max_value=10**11)


def _calendar_month(t: np.ndarray) -> np.ndarray:
    return t.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)


def _calendar_start(m: np.ndarray) -> np.ndarray:
    return m.astype("datetime64[M]").astype("datetime64[s]").astype(np.int64)


@settings(max_examples=60)
@given(
    origin=SECONDS,
    spread=st.sampled_from([86_400, 10**7, 10**9, 10**10]),
    n=st.integers(min_value=0, max_value=400),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_month_of_and_month_start_are_the_calendars(
    origin: int, spread: int, n: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    t = origin + rng.integers(0, spread, n)
    months = np.unique(_calendar_month(t)) if n else np.zeros(0, dtype=np.int64)
    edges = _calendar_start(months)
    t = np.concatenate([t, edges, edges - 1, edges + 1]).astype(np.int64)
    m = measure.month_of(t)
    assert m.dtype == np.int64
    assert np.array_equal(m, _calendar_month(t))
    assert np.array_equal(measure.month_start(m), _calendar_start(m))
    assert np.array_equal(measure.month_start(m + 1), _calendar_start(m + 1))


def test_a_span_wider_than_the_table_is_converted_value_by_value() -> None:
    t = np.linspace(-(10**12), 10**12, 500).astype(np.int64)  # about 63,000 years
    assert (t.max() - t.min()) // 86_400 > measure.DAY_TABLE
    assert np.array_equal(measure.month_of(t), _calendar_month(t))
    m = _calendar_month(t)
    assert np.array_equal(measure.month_start(m), _calendar_start(m))
