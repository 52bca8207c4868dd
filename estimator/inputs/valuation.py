"""The valuation date: what the estimate counts as of ``as_of``.

``as_of`` is the moment the estimate is made for: nothing after it is counted.
Every window is cut at ``as_of``; an ongoing window (blank end) runs to it; a
window that starts at or after it is left out, and listed as such. Claim
statuses are read on the ``as_of`` date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator import errors as E
from estimator.errors import InputError, ValidationIssue
from estimator.table_columns import WINDOW_COLUMNS

PRICED, ONGOING, CUT, LEFT_OUT = "priced", "ongoing", "cut", "left_out"
STATUS_TEXT = {
    PRICED: "priced as given",
    ONGOING: "ongoing (blank end): runs to the as-of time",
    CUT: "cut at the as-of time",
    LEFT_OUT: "starts at or after the as-of time: left out",
}


def as_of_time(value: str | dt.datetime | pd.Timestamp | None) -> pd.Timestamp:
    """``as_of`` as a UTC timestamp to the second (default: now); an input error otherwise."""
    if value is None:
        return pd.Timestamp.now(tz="UTC").floor("s")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = None
    if ts is None or pd.isna(ts) or ts.tzinfo is None:
        message = E.NO_OFFSET if ts is not None and not pd.isna(ts) else E.NOT_A_TIME
        raise InputError([ValidationIssue("options", None, "as_of", str(value), message)])
    return ts.tz_convert("UTC").floor("s")


def seconds(ts: pd.Series) -> npt.NDArray[np.int64]:
    """UTC timestamps -> int64 seconds since 1970."""
    return np.asarray(ts.dt.as_unit("s").astype("int64"), dtype=np.int64)


def priced_windows(outages: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Every outage window with its end as priced at ``as_of`` and its status."""
    as_of_s = int(as_of.timestamp())
    start = seconds(outages["start"])
    ongoing = outages["end"].isna().to_numpy()
    given_end = seconds(outages["end"].fillna(outages["start"]))
    left_out = start >= as_of_s
    cut = ~ongoing & ~left_out & (given_end > as_of_s)
    status = np.full(len(outages), PRICED, dtype=object)
    status[ongoing] = ONGOING
    status[cut] = CUT
    status[left_out] = LEFT_OUT
    priced_end = np.where(ongoing | cut, as_of_s, given_end)
    out = outages[WINDOW_COLUMNS[:8]].copy()
    out["priced_end"] = pd.to_datetime(priced_end, unit="s", utc=True).as_unit("s")
    out.loc[left_out, "priced_end"] = pd.NaT
    out["impact"] = outages["impact"].to_numpy()
    out["status"] = pd.Series(status, dtype="str", index=out.index)
    return out.reset_index(drop=True)


def outage_ids(windows: pd.DataFrame, status: str) -> list[str]:
    """The outage ids with at least one window of this status, sorted."""
    return sorted(windows.loc[windows["status"] == status, "outage_id"].unique().tolist())
