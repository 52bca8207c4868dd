"""The inverse distribution functions against SciPy's own, and their edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pricing.distributions import DISTRIBUTIONS, distribution

U = np.array([1e-12, 0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1 - 1e-12])


def at(name: str, low: float, mode: float, high: float) -> np.ndarray:
    n = len(U)
    return DISTRIBUTIONS[name].ppf(U, np.full(n, low), np.full(n, mode), np.full(n, high))


def test_uniform_and_triangular_match_scipy() -> None:
    assert at("uniform", 2, np.nan, 7) == pytest.approx(stats.uniform(2, 5).ppf(U))
    want = stats.triang((3 - 1) / (9 - 1), loc=1, scale=8).ppf(U)
    assert at("triangular", 1, 3, 9) == pytest.approx(want, rel=1e-9)


def test_pert_is_the_beta_with_the_pert_shapes_and_its_mean() -> None:
    low, mode, high = 5.0, 7.0, 12.0
    a, b = 1 + 4 * (mode - low) / (high - low), 1 + 4 * (high - mode) / (high - low)
    want = stats.beta(a, b, loc=low, scale=high - low)
    assert at("pert", low, mode, high) == pytest.approx(want.ppf(U), rel=1e-9)
    assert want.mean() == pytest.approx((low + 4 * mode + high) / 6)


def test_lognormal_low_and_high_are_its_5th_and_95th_percentiles() -> None:
    values = DISTRIBUTIONS["lognormal"].ppf(
        np.array([0.05, 0.5, 0.95]), np.full(3, 2.0), np.full(3, np.nan), np.full(3, 18.0)
    )
    assert values == pytest.approx([2.0, 6.0, 18.0])  # the median is the geometric mean


def test_the_quantile_grid_ends_are_finite_and_inside_bounded_ranges() -> None:
    for name in ("uniform", "triangular", "pert"):
        v = at(name, 1, 2, 4)
        assert np.isfinite(v).all() and v.min() >= 1 and v.max() <= 4, name
        assert (np.diff(v) >= 0).all(), name  # monotone: a quantile keeps its order
    assert np.isfinite(at("lognormal", 1, np.nan, 4)).all()


@pytest.mark.parametrize("name", ["uniform", "triangular", "pert"])
def test_a_degenerate_range_gives_its_value(name: str) -> None:
    assert (at(name, 3, 3, 3) == 3).all()


def test_centre_is_the_mode_or_the_median() -> None:
    one = np.ones(1)
    assert DISTRIBUTIONS["pert"].centre(one * 1, one * 2, one * 9) == pytest.approx([2])
    assert DISTRIBUTIONS["uniform"].centre(one * 1, one * np.nan, one * 9) == pytest.approx([5])
    assert DISTRIBUTIONS["lognormal"].centre(one * 2, one * np.nan, one * 18) == pytest.approx([6])


def test_an_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid: uniform, triangular, pert, lognormal"):
        distribution("normal")
