"""Convergence: the portfolio's AAL and its 1-in-100 and 1-in-250 AEP computed on the first n
simulated years, for growing n, each with its standard error, so a user sees whether more
years would change the answer (METHODOLOGY §17, Convergence)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.portfolio.exceedance import average_annual, ep_points

Float = npt.NDArray[np.float64]
CONVERGENCE_PERIODS = (100, 250)
FIRST = 100
COLUMNS = ["years", "currency", "measure", "aal", "aal_se"] + [
    f"aep_{t}{part}" for t in CONVERGENCE_PERIODS for part in ("", "_se")
]


def checkpoints(n_years: int) -> list[int]:
    """The year counts shown: 100, 200, 500, 1,000, 2,000, 5,000, ... below N, then N."""
    out: list[int] = []
    step = 0
    while True:
        n = FIRST * (10 ** (step // 3)) * (1, 2, 5)[step % 3]
        if n >= n_years:
            return [*out, n_years]
        out.append(n)
        step += 1


def convergence(year_totals: pd.DataFrame, measures: list[str], currency: str) -> pd.DataFrame:
    """One row per checkpoint and measure, from the portfolio's totals per year (in year
    order, every year present, in ``currency``): ``years``, ``currency``, ``measure``, ``aal``, ``aal_se``, ``aep_100``,
    ``aep_100_se``, ``aep_250``, ``aep_250_se`` (blank while the years are fewer than T)."""
    n_years = len(year_totals)
    rows = []
    for n in checkpoints(n_years) if n_years else []:
        zero = np.zeros(n, dtype=np.int64)
        for m in measures:
            values: Float = year_totals[m].to_numpy(np.float64)[:n]
            mean = average_annual(zero, values, 1, n).iloc[0]
            row: dict[str, object] = {
                "years": n,
                "currency": currency,
                "measure": m,
                "aal": mean["aal"],
                "aal_se": mean["se"],
            }
            points = ep_points(zero, values, 1, n)
            at = dict(
                zip(
                    points["return_period"].tolist(),
                    zip(points["loss"].tolist(), points["se"].tolist(), strict=True),
                    strict=True,
                )
            )
            for t in CONVERGENCE_PERIODS:
                row[f"aep_{t}"], row[f"aep_{t}_se"] = at.get(t, (np.nan, np.nan))
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
