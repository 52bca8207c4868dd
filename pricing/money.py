"""Money: ISO 4217 minor units and the one rounding rule, half-up to the minor unit.

Contractual amounts (SLA credits, parametric payouts, fees) are exact: they are
held as integers of minor units (cents) and rational numbers, and rounded once
with :func:`round_half_up_ratio`. Estimated amounts (lost revenue) are float64
and rounded once with :func:`round_half_up_float`.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt


@cache
def currencies() -> dict[str, int]:
    """ISO 4217 alphabetic code -> number of decimal places (the minor unit)."""
    text = resources.files("pricing").joinpath("data/currencies.csv").read_text("utf-8")
    return {row["code"]: int(row["minor_unit"]) for row in csv.DictReader(text.splitlines())}


def round_half_up_ratio(
    numerator: npt.NDArray[np.object_], denominator: npt.NDArray[np.object_] | int
) -> npt.NDArray[np.object_]:
    """Round non-negative exact ratios half-up to whole numbers (Python ints, exact).

    ``numerator`` and ``denominator`` hold Python ints (object arrays), so no
    product can overflow.
    """
    num = np.asarray(numerator, dtype=object)
    den = np.asarray(denominator, dtype=object)
    result: npt.NDArray[np.object_] = (2 * num + den) // (2 * den)
    return result


def round_half_up_float(values: npt.ArrayLike, places: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Round estimated amounts half-up (away from zero for negatives) to ``places`` decimals.

    Used for estimates held in float64 (lost revenue, indemnity losses). The
    value is first rounded to 9 significant decimals beyond the unit so that a
    float like 2.675 (stored as 2.67499999...) rounds as written, to 2.68.
    """
    x = np.asarray(values, dtype=np.float64)
    scale = np.power(10.0, np.asarray(places, dtype=np.float64))
    scaled = np.round(x * scale, 6)
    return np.asarray(np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale, dtype=np.float64)


def from_minor(minor: npt.ArrayLike, places: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Integer minor units -> float amounts (exact for magnitudes below 2**53 minor units)."""
    m = np.asarray(minor, dtype=np.float64)
    return np.asarray(m / np.power(10.0, np.asarray(places, dtype=np.float64)), dtype=np.float64)
