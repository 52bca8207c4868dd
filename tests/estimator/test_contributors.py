"""The accumulation table's ``largest_contributors``: per event (or provider-region) the
``TOP`` largest losses as 'company amount; ...', largest first, amounts with thousands
separators and cents, built column by column; held to the text a reader would write by
hand for groups with one, a few and more than ``TOP`` contributors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.portfolio.accumulation import _contributors
from estimator.portfolio.keys import TOP


def _by_hand(top: pd.DataFrame) -> dict[tuple[int, str], str]:
    out = {}
    for (year, outage), rows in top.groupby(["year", "outage_id"]):
        rows = rows.sort_values("total_loss", ascending=False, kind="stable").head(TOP)
        text = [
            f"{c} {v:,.2f}" for c, v in zip(rows["company_id"], rows["total_loss"], strict=True)
        ]
        out[(int(year), str(outage))] = "; ".join(text)
    return out


@settings(max_examples=40)
@given(st.integers(0, 10**6), st.integers(1, 60))
def test_contributors_are_the_largest_losses_joined(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    top = pd.DataFrame(
        {
            "year": rng.integers(1, 4, n),
            "outage_id": pd.Series(rng.choice(["o-a", "o-b", "o-c"], n), dtype="str"),
            "company_id": pd.Series([f"co{i}" for i in range(n)], dtype="str"),
            "total_loss": np.round(rng.exponential(5000.0, n), 2),
        }
    )
    got = _contributors(top, ["year", "outage_id"])
    found = dict(
        zip(
            zip(got["year"].astype(int), got["outage_id"].astype(str), strict=True),
            got["largest_contributors"],
            strict=True,
        )
    )
    assert found == _by_hand(top)
    assert got.duplicated(["year", "outage_id"]).sum() == 0
