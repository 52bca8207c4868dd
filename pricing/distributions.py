"""Distributions of an uncertain input, by name: each turns quantiles u in (0, 1) into values.

* ``uniform``: low to high (no mode);
* ``triangular``: low, mode, high;
* ``pert``: low, mode, high; a beta distribution with shape 4 (the usual PERT weighting),
  mean (low + 4 mode + high) / 6;
* ``lognormal``: low and high are its 5th and 95th percentiles (no mode).

Values come from the inverse distribution function, so two inputs given the same quantile
move together (a ``group``), and a quantile of 0.1 gives the 10th percentile exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

Float = npt.NDArray[np.float64]
Z95 = float(special.ndtri(0.95))
"""The standard normal's 95th percentile (1.6449): lognormal low/high are mu -/+ Z95 sigma."""


@dataclass(frozen=True)
class Distribution:
    name: str
    uses_mode: bool
    ppf: Callable[[Float, Float, Float, Float], Float]
    """(quantiles, low, mode, high) -> values, element by element."""
    description: str

    def centre(self, low: Float, mode: Float, high: Float) -> Float:
        """The value a tornado holds an input at: its mode, or its median without one."""
        if self.uses_mode:
            return np.asarray(mode, dtype=np.float64)
        return self.ppf(np.full(np.shape(low), 0.5), low, mode, high)


def _uniform(u: Float, low: Float, mode: Float, high: Float) -> Float:
    return np.asarray(low + u * (high - low), dtype=np.float64)


def _triangular(u: Float, low: Float, mode: Float, high: Float) -> Float:
    span = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(span > 0, (mode - low) / span, 0.5)
        left = low + np.sqrt(u * span * (mode - low))
        right = high - np.sqrt((1 - u) * span * (high - mode))
    return np.asarray(np.where(span > 0, np.where(u < split, left, right), low), dtype=np.float64)


def _pert(u: Float, low: Float, mode: Float, high: Float) -> Float:
    span = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(span > 0, 1 + 4 * (mode - low) / span, 1.0)
        beta = np.where(span > 0, 1 + 4 * (high - mode) / span, 1.0)
    return np.asarray(low + span * special.betaincinv(alpha, beta, u), dtype=np.float64)


def _lognormal(u: Float, low: Float, mode: Float, high: Float) -> Float:
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = (np.log(low) + np.log(high)) / 2
        sigma = (np.log(high) - np.log(low)) / (2 * Z95)
    return np.asarray(np.exp(mu + sigma * special.ndtri(u)), dtype=np.float64)


DISTRIBUTIONS: dict[str, Distribution] = {
    d.name: d
    for d in (
        Distribution("uniform", False, _uniform, "every value from low to high equally likely"),
        Distribution("triangular", True, _triangular, "low, most likely (mode), high"),
        Distribution(
            "pert", True, _pert, "low, most likely (mode), high; beta, mean (low+4 mode+high)/6"
        ),
        Distribution(
            "lognormal", False, _lognormal, "low and high are the 5th and 95th percentiles"
        ),
    )
}


def distribution(name: str) -> Distribution:
    try:
        return DISTRIBUTIONS[name]
    except KeyError:
        valid = ", ".join(DISTRIBUTIONS)
        raise ValueError(f"unknown distribution '{name}'; valid: {valid}") from None
