"""A policy period laid onto every year (DESIGN §4.7, issue 20): in a risk run each simulated
year is a policy year, so a cover's period recurs every calendar year from its inception's
month, day and time of day.

* A period of a whole year or more (expiry at or after the inception's first anniversary)
  covers every moment: each simulated year is wholly inside a policy year.
* A shorter period covers, in every year, the same part of the year: an episode starting at
  ``t`` is covered when the inception's latest anniversary ``A`` at or before ``t`` and the
  expiry moved by the same number of years ``E'`` have ``A <= t < E'``. A period that runs
  over a year end (October to March) so covers the start and the end of every year.
* Anniversaries move by whole calendar years, as a calendar year offset does: 29 February
  becomes 28 February in a year without one.

Risk runs refuse periods longer than a year and periods with one bound only
(``estimator.portfolio.policy_periods``); this module is given the others.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

Int = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


def shift_years(seconds: Int, years: Int) -> Int:
    """Each time (UTC seconds) moved by a whole number of calendar years: same month, day
    (clipped to the month's length) and time of day."""
    at = pd.DatetimeIndex(pd.to_datetime(np.asarray(seconds, np.int64), unit="s", utc=True))
    year = at.year.to_numpy(np.int64) + np.asarray(years, np.int64)
    month = at.month.to_numpy(np.int64)
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}), utc=True)
    day = np.minimum(at.day.to_numpy(np.int64), first.dt.days_in_month.to_numpy(np.int64))
    midnight = first.dt.as_unit("s").astype("int64").to_numpy() + (day - 1) * 86_400
    time_of_day = np.asarray(seconds, np.int64) - at.normalize().as_unit("s").asi8
    return np.asarray(midnight + time_of_day, dtype=np.int64)


def whole_year(inception_s: Int, expiry_s: Int) -> Bool:
    """Whether each period lasts a year or more (expiry at or after the first anniversary)."""
    one = np.ones(len(np.asarray(inception_s)), dtype=np.int64)
    return np.asarray(expiry_s, np.int64) >= shift_years(inception_s, one)


def in_recurring_period(start_s: Int, inception_s: Int, expiry_s: Int) -> Bool:
    """Whether each episode start falls in its period laid onto the episode's year (the three
    arrays are aligned, one entry per episode)."""
    start = np.asarray(start_s, np.int64)
    inception = np.asarray(inception_s, np.int64)
    expiry = np.asarray(expiry_s, np.int64)
    if len(start) == 0:
        return np.zeros(0, dtype=np.bool_)
    years = _year_of(start) - _year_of(inception)
    anniversary = shift_years(inception, years)
    years = np.where(anniversary > start, years - 1, years)
    anniversary = shift_years(inception, years)
    inside = (anniversary <= start) & (start < shift_years(expiry, years))
    return np.asarray(inside | whole_year(inception, expiry), dtype=np.bool_)


def _year_of(seconds: Int) -> Int:
    at = pd.DatetimeIndex(pd.to_datetime(seconds, unit="s", utc=True))
    return at.year.to_numpy(np.int64)
