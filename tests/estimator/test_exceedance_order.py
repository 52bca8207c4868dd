"""The EP statistics rank each group's yearly values by a sort by value and a stable sort by
group; the groups and values in that order must be exactly those of ``np.lexsort((-v, g))``:
by group, largest first (zeros, negatives and repeated values included), whatever the number
of groups. Equal values may come in another order: they are the same numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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
