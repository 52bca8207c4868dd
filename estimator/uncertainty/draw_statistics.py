"""Statistics over a simulation's draws: per company and measure, the mean, standard
deviation (n - 1), standard error of the mean, and percentiles (linear interpolation).

The draws are held as one (measures x draws x companies) array; each statistic is computed
on blocks of companies, so the temporary copies a percentile needs stay the size of a block,
not of the whole array.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

Float = npt.NDArray[np.float64]
PERCENTILES = (5, 10, 50, 90, 95)
BLOCK_VALUES = 2_000_000
"""Draws x companies taken at once by a statistic (16 MB of float64)."""
QUANTILE_COLUMNS = [
    "company_id",
    "currency",
    "measure",
    "draws",
    "mean",
    "std",
    "sem",
    *[f"p{p}" for p in PERCENTILES],
]


def quantiles(companies: pd.DataFrame, measures: list[str], per_draw: Float) -> pd.DataFrame:
    """One row per company and measure (companies in input order, then measures)."""
    m, n, c = per_draw.shape
    stats = np.zeros((2 + len(PERCENTILES), c, m))  # mean, std, then the percentiles
    block = max(1, BLOCK_VALUES // max(n, 1))
    for k in range(m):
        for a in range(0, c, block):
            part = per_draw[k, :, a : a + block]
            stats[0, a : a + block, k] = part.mean(axis=0)
            if n > 1:
                stats[1, a : a + block, k] = part.std(axis=0, ddof=1)
            stats[2:, a : a + block, k] = np.percentile(part, PERCENTILES, axis=0)
    frame = pd.DataFrame(
        {
            "company_id": np.repeat(companies["company_id"].to_numpy(object), m),
            "currency": np.repeat(companies["currency"].to_numpy(object), m),
            "measure": np.tile(np.array(measures, dtype=object), c),
            "draws": n,
            "mean": stats[0].ravel(),
            "std": stats[1].ravel(),
            "sem": stats[1].ravel() / np.sqrt(n),
            **{f"p{p}": stats[2 + i].ravel() for i, p in enumerate(PERCENTILES)},
        },
        columns=QUANTILE_COLUMNS,
    )
    return frame.astype({"company_id": "str", "currency": "str", "measure": "str"})


def draws_table(companies: pd.DataFrame, measures: list[str], per_draw: Float) -> pd.DataFrame:
    """One row per draw and company (row ``d x C + c``); the company and currency as
    categories and each measure a view of ``per_draw``, so the table costs little more
    than its numbers."""
    _, n, c = per_draw.shape
    columns: dict[str, object] = {
        "draw": np.repeat(np.arange(n, dtype=np.int64), c),
        "company_id": _repeated(companies["company_id"], n),
        "currency": _repeated(companies["currency"], n),
    }
    for k, measure in enumerate(measures):
        columns[measure] = per_draw[k].reshape(-1)  # contiguous: a view, not a copy
    return pd.DataFrame(columns, copy=False)


def _repeated(column: pd.Series, n: int) -> pd.Categorical:
    """``column``'s values, ``n`` times over, as a categorical (codes, not strings)."""
    codes, names = pd.factorize(column.astype(str))
    return pd.Categorical.from_codes(np.tile(codes.astype(np.int32), n), names.astype(object))
