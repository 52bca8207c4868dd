"""A risk partition's per-event figures from its sorted ELT: each event's totals in the
reporting currency and its largest contributors, and each company's loss per
provider-region; grouped on integer codes that sort as the text does."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import ranks
from estimator.portfolio.keys import MEASURES, TOP

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]


def by_region(
    elt: pd.DataFrame,
    rate: Float,
    ids: npt.NDArray[np.object_],
    region: pd.Series,
    outages: pd.Index,
) -> pd.DataFrame:
    """Each company's total loss per provider-region, sorted by provider-region then company
    id (grouped on integer codes that sort as the text does)."""
    company = elt["company"].to_numpy(np.int64)
    row_event, names = _events_of(elt, outages)
    per_event = pd.Series(names, dtype="str").map(region).astype(str)
    region_code, regions = pd.factorize(per_event, sort=True)
    rank = ranks(pd.Series(ids))
    frame = pd.DataFrame(
        {
            "region": region_code[row_event],
            "company": rank[company],
            "total_loss": elt["total_loss"].to_numpy() * rate[company],
        }
    )
    grouped = frame.groupby(["region", "company"], as_index=False)[["total_loss"]].sum()
    return pd.DataFrame(
        {
            "provider_region": np.asarray(regions, dtype=object)[grouped["region"].to_numpy()],
            "company_id": ids[np.argsort(rank)][grouped["company"].to_numpy()],
            "total_loss": grouped["total_loss"].to_numpy(),
        }
    )


def _events_of(
    elt: pd.DataFrame, outages: pd.Index
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:
    """Each ELT row's event as a position among the distinct events (in code order, which
    is id order), and the distinct events' outage ids (``outages``: each code's id)."""
    distinct, inverse = np.unique(elt["event"].to_numpy(np.int64), return_inverse=True)
    names: npt.NDArray[np.object_] = np.asarray(outages, dtype=object)[distinct]
    return inverse.astype(np.int64), names


def event_totals(
    elt: pd.DataFrame, rate: Float, ids: npt.NDArray[np.object_], outages: pd.Index
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per event: the partition's totals in the reporting currency, companies reached, and
    its ``TOP`` largest losses (company position, amount in the reporting currency). The
    ELT is sorted by year then outage id: each (year, event) is one run of rows."""
    _, names = _events_of(elt, outages)
    year = elt["year"].to_numpy(np.int64)
    event = elt["event"].to_numpy(np.int64)
    company = elt["company"].to_numpy(np.int64)
    start = np.r_[True, (year[1:] != year[:-1]) | (event[1:] != event[:-1])]
    group = np.cumsum(start) - 1
    converted = pd.DataFrame({"group": group, "company": company})
    for m in MEASURES:
        converted[m] = elt[m].to_numpy() * rate[company]
    totals = converted.groupby("group", sort=True).agg(
        **{m: (m, "sum") for m in MEASURES}, companies_hit=("company", "size")
    )
    first = np.flatnonzero(start)
    code_row = np.searchsorted(np.unique(event), event[first])
    totals.insert(0, "year", year[first])
    totals.insert(1, "outage_id", names[code_row])
    loss = converted["total_loss"].to_numpy(np.float64)
    best = _largest(loss, group, first, TOP)
    top = pd.DataFrame(
        {
            "year": year[best],
            "outage_id": names[np.searchsorted(np.unique(event), event[best])],
            "company_id": ids[company[best]],
            "total_loss": loss[best],
        }
    )
    return totals.reset_index(drop=True), top


def _largest(loss: Float, run: Int, first: Int, k: int) -> Int:
    """The rows of each run's ``k`` largest losses (``run``: each row's run, 0, 1, ...;
    runs start at ``first``; the losses are finite), run by run, largest first, equal losses
    in row order: the rows that ``np.lexsort((-loss, run))`` puts first in each run. Found in
    k rounds over the whole column, each taking every run's first row that holds its largest
    loss left."""
    n = len(loss)
    left = loss.astype(np.float64, copy=True)
    rounds: list[tuple[Int, Int]] = []
    for _ in range(k if n else 0):
        top = np.maximum.reduceat(left, first)
        holds = np.flatnonzero((left == top[run]) & (top[run] > -np.inf))
        runs, at = np.unique(run[holds], return_index=True)
        rounds.append((runs, holds[at]))
        left[holds[at]] = -np.inf
    if not rounds:
        return np.zeros(0, dtype=np.int64)
    runs = np.concatenate([r for r, _ in rounds])
    rank = np.concatenate([np.full(len(r), i) for i, (r, _) in enumerate(rounds)])
    rows = np.concatenate([rows for _, rows in rounds])
    return np.asarray(rows[np.lexsort((rank, runs))], dtype=np.int64)
