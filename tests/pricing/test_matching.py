"""Window-to-contract matching against the rule written out pair by pair (DESIGN §4.1): providers
equal, regions equal or either ``*``, services equal or either ``*``; sorted by contract, then
window."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.matching import match_windows

PROVIDERS = ["aws", "gcp", "azure"]
REGIONS = ["us-east-1", "eu-west-1", "*"]
SERVICES = ["ec2", "s3", "*"]


def _frame(draw: st.DrawFn, n: int) -> pd.DataFrame:
    rows = [
        {
            "provider": draw(st.sampled_from(PROVIDERS)),
            "region": draw(st.sampled_from(REGIONS)),
            "service": draw(st.sampled_from(SERVICES)),
        }
        for _ in range(n)
    ]
    return pd.DataFrame(rows, columns=["provider", "region", "service"]).astype("str")


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _frame(draw, draw(st.integers(0, 12))), _frame(draw, draw(st.integers(0, 12)))


def _hits(w: pd.Series, c: pd.Series) -> bool:
    def same(a: str, b: str) -> bool:
        return a == b or "*" in (a, b)

    return bool(
        w["provider"] == c["provider"]
        and same(w["region"], c["region"])
        and same(w["service"], c["service"])
    )


@settings(max_examples=200)
@given(frames())
def test_matching_is_the_rule_pair_by_pair(f: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    windows, contracts = f
    expected = [
        (i, j)
        for j in range(len(contracts))
        for i in range(len(windows))
        if _hits(windows.iloc[i], contracts.iloc[j])
    ]
    w, c = match_windows(windows=windows, contracts=contracts)
    assert list(zip(w.tolist(), c.tolist(), strict=True)) == expected
    assert w.dtype == np.int64 and c.dtype == np.int64
