"""The EP statistics rank each group's yearly values by a sort by value and a stable sort by
group; the groups and values in that order must be exactly those of ``np.lexsort((-v, g))``:
by group, largest first (zeros, negatives and repeated values included), whatever the number
of groups. Equal values may come in another order: they are the same numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.portfolio.event_totals import _largest
from estimator.portfolio.exceedance import _by_group_then_descending


@settings(max_examples=60)
@given(st.integers(0, 10**6), st.sampled_from([1, 7, 300, 32_767, 40_000]), st.integers(0, 3000))
def test_the_ranking_is_lexsort_by_group_then_descending(seed: int, groups: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    g = rng.integers(0, groups, n).astype(np.int64)
    v = np.round(rng.normal(0.0, 3.0, n))  # many ties, zeros and negatives
    order, reference = _by_group_then_descending(g, v, groups), np.lexsort((-v, g))
    np.testing.assert_array_equal(g[order], g[reference])
    np.testing.assert_array_equal(v[order], v[reference])
    assert sorted(order.tolist()) == list(range(n))  # each row once


@settings(max_examples=60)
@given(st.integers(0, 10**6), st.integers(1, 400), st.integers(1, 5))
def test_each_events_largest_losses_are_lexsorts_first_rows(seed: int, n: int, k: int) -> None:
    """The accumulation's largest contributors: per run of ELT rows (one event of one year),
    the k largest losses, equal ones in row order, as a full stable sort would pick them."""
    rng = np.random.default_rng(seed)
    run = np.sort(rng.integers(0, max(n // 3, 1), n))
    first = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    loss = np.round(rng.exponential(2.0, n)) * (rng.random(n) < 0.8)  # ties and zeros
    group = np.cumsum(np.r_[True, run[1:] != run[:-1]]) - 1
    ranked = np.lexsort((-loss, group))
    reference = ranked[(np.arange(n) - first[group[ranked]]) < k]
    np.testing.assert_array_equal(_largest(loss, group, first, k), reference)
