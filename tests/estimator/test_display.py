"""What people read: each value with the decimals it needs, never a bound it is below, blanks
for missing values (issue 11)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import estimator
from estimator.display import display_frame, format_number
from tests.conftest import SAMPLE, SAMPLE_AS_OF


def test_an_uptime_exactly_on_a_bound_shows_the_bound() -> None:
    assert format_number(100 * (1 - 4.32 / 43200), 4, floor=True) == "99.99"


def test_each_value_shows_the_decimals_it_needs() -> None:
    assert format_number(10.0, 6) == "10"
    assert format_number(33.3333333, 6) == "33.333333"
    assert format_number(179.6, 2) == "179.6"
    assert format_number(1234567.5, 2) == "1,234,567.5"
    assert format_number(float("nan"), 6) == "" and format_number(None, 6) == ""


@given(st.integers(9_000_000, 10_000_000), st.integers(1, 10**6))
def test_a_floored_uptime_never_shows_at_or_above_a_bound_it_is_below(
    bound_units: int, below_by: int
) -> None:
    """A value below a bound never shows as reaching it (float noise of 1e-13 at a bound is
    taken as the bound itself, so an uptime exactly on a bound shows the bound)."""
    bound = bound_units / 100_000  # e.g. 99.99 or 99.995
    value = bound - below_by * 1e-10
    shown = float(format_number(value, 4, floor=True).replace(",", ""))
    assert shown < bound


def test_the_credit_table_has_blanks_not_nan_and_one_decimal_setting_per_value() -> None:
    results = estimator.estimate(estimator.load_inputs(SAMPLE), as_of=SAMPLE_AS_OF)
    shown = display_frame(results.credits).set_index("contract_id")
    route53 = shown.loc["blue-air-route53"]
    assert route53["credit_pct"] == "" and route53["credit_amount"] == ""
    assert not shown.isin(["nan", "NaN", "None", "<NA>"]).any().any()
    assert shown.loc["streamflix-s3", "credit_pct"] == "10"
    assert shown.loc["streamflix-s3", "uptime_pct"] == "99.5976"  # 99.59767... rounded down
    assert shown.loc["paywave-ec2", "downtime_minutes"] == "118"
    assert shown.loc["ledgerly-customers", "credit_amount"] == "625,000.00"
    assert np.all(shown["needs_review"].isin(["yes", ""]))
    assert isinstance(shown, pd.DataFrame)
