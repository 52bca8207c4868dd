"""The summary's two derived figures (DESIGN §4.6), defined once.

net impact = total loss + credits payable - credits receivable - insurance recoveries;
recovery ratio = (credits receivable + insurance recoveries) / total loss (NaN without loss).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Float = npt.NDArray[np.float64]


def net_impact(*, loss: Float, payable: Float, receivable: Float, insurance: Float) -> Float:
    """What the company carries after credits both ways and insurance (unrounded)."""
    return np.asarray(loss + payable - receivable - insurance, dtype=np.float64)


def recovery_ratio(*, loss: Float, receivable: Float, insurance: Float) -> Float:
    """The share of the loss that credits receivable and insurance give back (NaN: no loss)."""
    loss = np.asarray(loss, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (np.asarray(receivable) + np.asarray(insurance)) / loss
    return np.where(loss > 0, ratio, np.nan)
