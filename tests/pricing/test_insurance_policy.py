"""Insurance covers as written (issue 15): policy period, occurrence and aggregate limits,
gross-profit basis, the insurer's share, SLA credits deducted (no double recovery), bad input."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings

import estimator
from tests.conftest import company, make_inputs, provider_contract, window
from tests.pricing.test_insurance import AS_OF, cover, cover_cases, run_case, run_full

SEVEN = window("2021-12-07T10:00:00Z", "2021-12-07T17:00:00Z")
EC2_ONLY = provider_contract(tiers="99.9:10", fee=1000)
"""c1: EC2 at revenue share 1; 7 hours in December (44,640 minutes) -> 10 % of 1,000 = 100."""


def estimate(
    windows: list[dict[str, Any]],
    covers: list[dict[str, Any]],
    contracts: list[dict[str, Any]] | None = None,
    **co: Any,
) -> estimator.Results:
    others = [EC2_ONLY] if contracts is None else contracts
    inputs = make_inputs(windows, [company(**co)], [*others, *covers])
    return estimator.estimate(inputs, as_of=AS_OF)


def payouts(windows: list[dict[str, Any]], covers: list[dict[str, Any]], **kw: Any) -> list[float]:
    return estimate(windows, covers, **kw).recoveries["payout"].tolist()


@pytest.mark.parametrize(
    ("inception", "expiry", "covered"),
    [
        ("2021-12-07T10:00:01Z", None, False),  # the episode starts a second before inception
        ("2021-12-07T10:00:00Z", None, True),  # ... exactly at it
        (None, "2021-12-07T10:00:00Z", False),  # it starts at expiry
        (None, "2021-12-07T10:00:01Z", True),  # ... a second before it: all 7 hours count
        ("2021-01-01T00:00:00Z", "2022-01-01T00:00:00Z", True),
    ],
)
def test_an_episode_is_covered_when_it_starts_inside_the_policy_period(
    inception: str | None, expiry: str | None, covered: bool
) -> None:
    r = estimate([SEVEN], [cover(inception=inception, expiry=expiry)]).recoveries
    assert r["in_policy_period"].tolist() == [covered]
    assert r["payout"].tolist() == [7000.0 if covered else 0.0]
    assert r["policy_period"].iloc[0] != ""  # the period is shown beside the episode


def test_the_occurrence_limit_binds_before_the_aggregate() -> None:
    """Parametric 1,000 an hour; episodes of 3 h and 4 h; occurrence 2,500, aggregate 4,000:
    2,500, then min(4,000, 2,500) = 2,500 of which 1,500 fit under the aggregate."""
    windows = [
        window("2021-12-07T10:00:00Z", "2021-12-07T13:00:00Z"),
        window("2021-12-07T15:00:00Z", "2021-12-07T19:00:00Z"),
    ]
    r = estimate(windows, [cover(occurrence_limit=2500, limit=4000)]).recoveries
    assert r["payout"].tolist() == [2500.0, 1500.0]
    assert r["limit_bound"].tolist() == ["occurrence", "occurrence, aggregate"]


def test_the_gross_profit_basis_pays_lost_gross_profit_plus_increased_costs() -> None:
    """Covered 5 of 7 hours at 3,600 an hour, recapture 50 %, margin 40 %, costs 100 an hour:
    5 x 3,600 x 0.5 x 0.4 + 5 x 100 = 4,100; less the 1,000 deductible: 3,100."""
    got = payouts(
        [SEVEN],
        [
            cover(
                kind="indemnity",
                waiting=2,
                deductible=1000,
                basis="gross_profit",
                other_recoveries="ignore",
            )
        ],
        recapture_rate=0.5,
        outage_cost_per_hour=100,
        gross_margin=0.4,
    )
    assert got == [3100.0]


@pytest.mark.parametrize(
    ("kind", "want"), [("parametric", 2450.0), ("indemnity", 0.35 * (25_200 - 100))]
)
def test_the_insurers_share_of_each_payout(kind: str, want: float) -> None:
    """Parametric: 7 h x 1,000 x 0.35. Indemnity: (25,200 loss - 100 credit) x 0.35."""
    assert payouts([SEVEN], [cover(kind=kind, share=0.35)]) == [pytest.approx(want, abs=0.005)]


def test_a_credit_for_the_same_service_and_month_reduces_the_indemnity_and_no_other() -> None:
    """December: 7 h on EC2 and on S3 (EC2 at revenue share 1, S3 at 0.5: the loss is EC2's,
    25,200). The cover is on EC2 only. c1's December credit (100) relates to the December
    episode; the S3 contract's December credit (10 % of 5,000) does not (no S3 window hit
    the cover); c1's January credit (2 h: 100) relates to the January episode only."""
    windows = [
        window("2021-12-07T10:00:00Z", "2021-12-07T17:00:00Z", service="ec2"),
        window("2021-12-07T10:00:00Z", "2021-12-07T17:00:00Z", service="s3", outage_id="o2"),
        window("2022-01-05T10:00:00Z", "2022-01-05T12:00:00Z", service="ec2", outage_id="o3"),
    ]
    s3 = provider_contract("c-s3", service="s3", share=0.5, tiers="99.9:10", fee=5000)
    r = estimate(windows, [cover(kind="indemnity", service="ec2")], [EC2_ONLY, s3])
    credits = r.credits.set_index(["contract_id", "month"])["credit_amount"]
    assert (credits[("c1", "2021-12")], credits[("c-s3", "2021-12")]) == (100.0, 500.0)
    assert credits[("c1", "2022-01")] == 100.0
    steps = r.recovery_steps
    assert steps["credits_deducted"].tolist() == [100.0, 100.0]
    assert r.recoveries["payout"].tolist() == [25_100.0, 7_100.0]
    summary = r.summary.iloc[0]
    # net impact counts each dollar once: the loss less the credits and the insurance
    assert summary["net_impact"] == pytest.approx(
        summary["total_loss"] - 700.0 - (25_100.0 + 7_100.0)
    )


def test_one_credit_is_spread_over_its_episodes_pro_rata_to_covered_loss() -> None:
    """Two December episodes of 3 h and 4 h on EC2: one December credit of 100 (7 h down)
    is deducted 3 : 4; the payouts add up to the loss less the credit exactly."""
    windows = [
        window("2021-12-07T10:00:00Z", "2021-12-07T13:00:00Z", service="ec2"),
        window("2021-12-07T15:00:00Z", "2021-12-07T19:00:00Z", service="ec2"),
    ]
    r = estimate(windows, [cover(kind="indemnity", service="ec2")])
    deducted = r.recovery_steps["credits_deducted"].to_numpy()
    assert deducted == pytest.approx([300 / 7, 400 / 7])
    assert r.recoveries["payout"].tolist() == [10_757.14, 14_342.86]
    assert sum(r.recoveries["payout"]) == 25_100.0


@settings(max_examples=25)
@given(cover_cases())
def test_payouts_stay_within_every_limit_and_the_loss_net_of_credits(c: dict[str, Any]) -> None:
    r = run_case(c)
    if r.empty:
        return
    assert (r["payout"] >= 0).all()
    if c["limit"] is not None:
        assert r["payout"].sum() <= float(c["limit"]) + 1e-9
    if c["occurrence"] is not None:
        assert (r["payout"] <= float(c["occurrence"]) + 0.01).all()
    assert (r.loc[~r["in_policy_period"], "payout"] == 0).all()


@settings(max_examples=25)
@given(cover_cases())
def test_indemnity_never_pays_more_than_the_loss_net_of_credits(c: dict[str, Any]) -> None:
    c = {**c, "parametric": False}
    results = run_full(c, deduct=True)
    r, steps = results.recoveries, results.recovery_steps
    ceiling = (steps["basis_loss"] - steps["credits_deducted"]).clip(lower=0)
    assert (r["payout"] <= ceiling + 0.01).all()


@settings(max_examples=25)
@given(cover_cases())
def test_parametric_payout_ignores_revenue_and_credits(c: dict[str, Any]) -> None:
    c = {**c, "parametric": True}
    a = run_full({**c, "per_hour": 3600.0}, fee=1000.0).recoveries
    b = run_full({**c, "per_hour": 9_999_999.0}, fee=9_000_000.0).recoveries
    assert a["payout"].tolist() == b["payout"].tolist()


def problems(contracts: list[dict[str, Any]], **co: Any) -> pd.DataFrame:
    with pytest.raises(estimator.InputError) as err:
        make_inputs([SEVEN], [company(**co)], [EC2_ONLY, *contracts])
    return err.value.report_table()


def test_bad_policy_terms_are_each_reported_with_row_and_column() -> None:
    table = problems(
        [
            cover("late", inception="2022-01-01T00:00:00Z", expiry="2021-06-01T00:00:00Z"),
            cover("gp", kind="indemnity", basis="gross_profit"),
            cover("occ", limit=1000, occurrence_limit=2000),
            cover("para", basis="revenue"),
            cover("half", share=0),
        ]
    )
    found = {(r.row, r.column): r.message for r in table.itertuples()}
    assert "expires at or before its inception (2022-01-01 00:00:00Z)" in found[(3, "expiry")]
    assert "needs the company's gross_margin" in found[(4, "basis")]
    assert (
        "occurrence limit is above the aggregate limit (1,000.0)" in found[(5, "occurrence_limit")]
    )
    assert "does not apply to parametric cover" in found[(6, "basis")]
    assert "insurer's share, above 0" in found[(7, "share")]
    assert len(table) == 5


def test_a_gross_margin_outside_zero_to_one_is_an_error() -> None:
    for margin in (0, 1.2):
        table = problems([], gross_margin=margin)
        assert table["column"].tolist() == ["gross_margin"]
        assert "gross margin above 0 and at most 1" in table["message"].iloc[0]


@pytest.mark.parametrize(
    ("hourly", "want"),
    [
        # int64 path: 7 h x 1,000.01 x 0.333333 = 2,333.354333... -> 2,333.35
        (1000.01, Decimal("2333.35")),
        # Python-int path (7 h x 10^11 x 10^2 minor x 3600 s x 333,333 ppm passes 2^62):
        # 7 x 100,000,000,000.01 x 0.333333 = 233,333,100,000.0233... -> 233,333,100,000.02
        (100_000_000_000.01, Decimal("233333100000.02")),
    ],
)
def test_a_parametric_payout_is_exact_whether_it_fits_int64_or_not(
    hourly: float, want: Decimal
) -> None:
    exact = Decimal(str(hourly)) * 7 * Decimal("0.333333")
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == want
    got = payouts([SEVEN], [cover(hourly=hourly, share=0.333333)])
    assert got == [float(want)]
