"""pricing.policy_years: anniversaries as calendar year offsets, periods laid onto a year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pricing.policy_years import in_recurring_period, shift_years, whole_year


def s(text: str) -> int:
    return int(pd.Timestamp(text).timestamp())


def test_shift_years_is_a_calendar_year_offset() -> None:
    rng = np.random.default_rng(7)
    times = rng.integers(s("1990-01-01T00:00:00Z"), s("2060-01-01T00:00:00Z"), 2_000)
    times = np.r_[times, s("2024-02-29T13:14:15Z"), s("2000-02-29T00:00:00Z")]
    years = rng.integers(-30, 30, len(times))
    got = shift_years(times, years)
    want = [
        int((pd.Timestamp(int(t), unit="s", tz="UTC") + pd.DateOffset(years=int(k))).timestamp())
        for t, k in zip(times, years, strict=True)
    ]
    assert got.tolist() == want
    leap = shift_years(np.array([s("2024-02-29T13:14:15Z")]), np.array([1]))
    assert leap.tolist() == [s("2025-02-28T13:14:15Z")]


def test_a_period_over_the_year_end_covers_both_ends_of_every_year() -> None:
    inception, expiry = s("2025-10-01T00:00:00Z"), s("2026-04-01T00:00:00Z")
    starts = {
        "1999-12-31T23:59:59Z": True,
        "2040-01-15T00:00:00Z": True,
        "2040-03-31T23:59:59Z": True,
        "2040-04-01T00:00:00Z": False,
        "2040-09-30T23:59:59Z": False,
        "2040-10-01T00:00:00Z": True,
        "2010-06-01T00:00:00Z": False,
    }
    t = np.array([s(k) for k in starts])
    n = len(t)
    got = in_recurring_period(t, np.full(n, inception), np.full(n, expiry))
    assert got.tolist() == list(starts.values())


def test_a_year_or_more_covers_every_moment() -> None:
    inception = np.array([s("2024-02-29T00:00:00Z"), s("2025-07-01T06:00:00Z")])
    expiry = np.array([s("2025-02-28T00:00:00Z"), s("2026-07-01T06:00:00Z")])
    assert whole_year(inception, expiry).tolist() == [True, True]
    assert not whole_year(inception[1:], expiry[1:] - 1).any()
    t = np.array([s("2028-02-28T12:00:00Z"), s("2031-12-31T23:59:59Z")])
    assert in_recurring_period(t, inception, expiry).all()
