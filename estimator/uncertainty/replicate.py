"""Many draws priced as one scenario: every company, contract and window copied once per draw.

The copies of draw ``d`` carry ids suffixed ``~d`` and provider slugs suffixed the same way,
so a window hits only its own draw's contracts, and the vectorised engine prices all the
draws of a chunk in one run with exactly the rules of ``estimate()``. Drawn values replace
the input values of their cells. Company ``c`` of draw ``d`` is row ``d x C + c`` of the
result's summary.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.inputs.scenario import Inputs
from estimator.uncertainty.targets import Targets, outage_ids

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]
SUFFIX = "~"


def replicate(base: Inputs, t: Targets, values: Float, as_of: pd.Timestamp) -> Inputs:
    """The inputs of ``len(values)`` scenarios at once; ``values`` is (scenarios x targets)."""
    n = len(values)
    companies = _tile(base.companies, n, ["company_id"])
    contracts = _tile(base.contracts, n, ["contract_id", "company_id", "provider"])
    outages = _tile(base.outages, n, ["outage_id", "provider"])
    exclusions = _tile(base.exclusions, n, ["contract_id"])
    for table, frame in (("companies", companies), ("contracts", contracts)):
        for column in sorted({c for tab, c in zip(t.table, t.column, strict=True) if tab == table}):
            mine = np.array(
                [tab == table and c == column for tab, c in zip(t.table, t.column, strict=True)]
            )
            size = len(getattr(base, table))
            _set(frame, size, t.row[mine], column, values[:, mine])
    _outage_values(base, outages, t, values, as_of)
    return dataclasses.replace(
        base,
        outages=outages,
        companies=companies,
        contracts=contracts,
        exclusions=exclusions,
        uncertainty=base.uncertainty.iloc[0:0],
        charges=_tile(base.charges, n, ["provider"]),  # each draw's contracts take their own
        claim_log=base.claim_log.iloc[0:0],  # claims are about the real event, not a draw
    )


def _tile(frame: pd.DataFrame, n: int, suffixed: list[str]) -> pd.DataFrame:
    """``n`` copies of a table, draw after draw; the named text columns get ``~draw``."""
    out = frame.iloc[np.tile(np.arange(len(frame)), n)].reset_index(drop=True)
    tags = pd.Series([f"{SUFFIX}{d}" for d in range(n)], dtype="str")  # once per draw
    tag = tags.take(np.repeat(np.arange(n), len(frame))).reset_index(drop=True)
    for column in suffixed:
        text = out[column].astype("str")
        out[column] = (text + tag).where(text.notna())
    return out


def _set(frame: pd.DataFrame, size: int, row: Int, column: str, values: Float) -> None:
    """Every draw's values of one column: draw ``d``'s value of base row ``r`` (``values``
    is draws x targets) goes to row ``d x size + r``."""
    rows = (np.arange(len(values))[:, None] * size + row[None, :]).ravel()
    frame.loc[rows, column] = values.ravel()
    if column == "revenue_per_hour":
        frame.loc[rows, "annual_revenue"] = np.nan
    elif column == "annual_revenue":
        frame.loc[rows, "revenue_per_hour"] = np.nan


def _outage_values(
    base: Inputs, outages: pd.DataFrame, t: Targets, values: Float, as_of: pd.Timestamp
) -> None:
    """Impact: every window of the outage takes the drawn value. Duration: every window is
    scaled from its own start so that the outage's longest window has the drawn length
    (whole seconds, at least one); an ongoing window becomes one of that length."""
    n, w = len(values), len(base.outages)
    which = outage_ids(base).get_indexer(pd.Index(base.outages["outage_id"].to_numpy(object)))
    for column in ("impact", "duration_hours"):
        target = _window_targets(t, column, which)
        windows = np.flatnonzero(target >= 0)
        if not len(windows):
            continue
        rows = (np.arange(n)[:, None] * w + windows[None, :]).ravel()
        drawn = values[:, target[windows]]  # draws x windows
        if column == "impact":
            outages.loc[rows, "impact"] = drawn.ravel()
            continue
        start = base.outages["start"]
        length = (base.outages["end"].fillna(as_of) - start).dt.total_seconds().to_numpy()
        longest = pd.Series(length).groupby(which).transform("max").to_numpy()
        seconds = np.rint(length[windows] * drawn * 3600.0 / longest[windows])
        seconds = np.maximum(seconds.astype(np.int64), 1).ravel()
        begins = start.dt.as_unit("s").astype("int64").to_numpy()[np.tile(windows, n)]
        ends = pd.to_datetime(begins + seconds, unit="s", utc=True).as_unit("s")
        outages.loc[rows, "end"] = pd.Series(ends, index=rows)


def _window_targets(t: Targets, column: str, which: Int) -> Int:
    """Each window's target for ``column`` (-1: none): the target of its outage."""
    per_outage = np.full(int(which.max()) + 1 if len(which) else 0, -1, dtype=np.int64)
    mine = np.flatnonzero(
        [tab == "outages" and c == column for tab, c in zip(t.table, t.column, strict=True)]
    )
    per_outage[t.row[mine]] = mine
    return per_outage[which] if len(which) else np.zeros(0, dtype=np.int64)
