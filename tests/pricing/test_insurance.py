"""Insurance recoveries (DESIGN §4.7, issue 8): hand cases, invariants, reference comparison."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import estimator
from tests import reference as ref
from tests.conftest import company, make_inputs, provider_contract, window

AS_OF = "2030-01-01T00:00:00Z"


def cover(
    contract_id: str = "cover",
    *,
    kind: str = "parametric",
    waiting: float = 0,
    hourly: float | None = 1000,
    deductible: float | None = None,
    limit: float | None = None,
    threshold: float | None = None,
    service: str = "*",
    **extra: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "contract_id": contract_id,
        "company_id": "acme",
        "kind": "insurance",
        "provider": "aws",
        "region": "us-east-1",
        "service": service,
        "cover": kind,
        "waiting_hours": waiting,
        "limit": limit,
        "downtime_threshold": threshold,
    }
    if kind == "parametric":
        row["hourly_payout"] = hourly
    else:
        row["deductible"] = deductible
    return row | extra


def recoveries(
    windows: list[dict[str, Any]], covers: list[dict[str, Any]], **co: Any
) -> pd.DataFrame:
    inputs = make_inputs(windows, [company(**co)], [provider_contract(), *covers])
    return estimator.estimate(inputs, as_of=AS_OF).recoveries


SEVEN_HOURS = window("2021-12-07T15:30:00Z", "2021-12-07T22:30:00Z")


def test_parametric_pays_per_covered_hour() -> None:
    out = recoveries([SEVEN_HOURS], [cover(waiting=1, hourly=250_000)])
    assert out[["hours", "covered_hours", "payout"]].values.tolist() == [[7.0, 6.0, 1_500_000.0]]


def test_waiting_period_longer_than_the_episode_pays_nothing() -> None:
    """The lesson of the sample scenario: an 8-hour wait against a 7-hour outage."""
    out = recoveries([SEVEN_HOURS], [cover(kind="indemnity", waiting=8, deductible=0)])
    assert out["covered_hours"].tolist() == [0.0]
    assert out["payout"].tolist() == [0.0]


def test_waiting_period_equal_to_the_episode_pays_nothing() -> None:
    out = recoveries([SEVEN_HOURS], [cover(waiting=7)])
    assert out["payout"].tolist() == [0.0]


def test_limit_binds() -> None:
    out = recoveries([SEVEN_HOURS], [cover(hourly=1000, limit=2500)])
    assert out["payout"].tolist() == [2500.0]


def test_deductible_above_the_loss_pays_nothing() -> None:
    """Loss over 7 h at 3600/h with share 1 is 25,200; a 30,000 deductible leaves nothing."""
    out = recoveries([SEVEN_HOURS], [cover(kind="indemnity", deductible=30_000)])
    assert out["payout"].tolist() == [0.0]


def test_indemnity_pays_the_loss_in_covered_time_less_the_deductible() -> None:
    """Covered 5 of 7 h: loss 5 x 3600 x (1 - 0.5 recapture) + 5 x 100 costs = 9,500; less
    1,000 deductible = 8,500 when other recoveries are ignored. By default the 100.00 SLA
    credit the company receives for the same service and month is deducted first: 8,400."""
    for rule, want in (("ignore", 8500.0), ("deduct", 8400.0)):
        out = recoveries(
            [SEVEN_HOURS],
            [cover(kind="indemnity", waiting=2, deductible=1000, other_recoveries=rule)],
            recapture_rate=0.5,
            outage_cost_per_hour=100,
        )
        assert out["payout"].tolist() == [want], rule


def test_two_episodes_each_with_its_own_waiting_period_and_one_limit() -> None:
    """Episodes of 3 h and 4 h apart: 1 h wait each -> 2 + 3 covered hours x 1000; the
    limit of 4,000 is used up in date order: 2,000 then 2,000."""
    windows = [
        window("2021-12-07T10:00:00Z", "2021-12-07T13:00:00Z"),
        window("2021-12-07T15:00:00Z", "2021-12-07T19:00:00Z"),
    ]
    out = recoveries(windows, [cover(waiting=1, limit=4000)])
    assert out["covered_hours"].tolist() == [2.0, 3.0]
    assert out["payout"].tolist() == [2000.0, 2000.0]


def test_impact_below_the_threshold_makes_no_episode() -> None:
    out = recoveries(
        [window("2021-12-07T10:00:00Z", "2021-12-07T13:00:00Z", 0.2)], [cover(threshold=0.3)]
    )
    assert out.empty


def test_overlapping_windows_above_threshold_make_one_episode() -> None:
    windows = [
        window("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z", 0.5),
        window("2021-12-07T11:00:00Z", "2021-12-07T14:00:00Z", 0.2, service="s3"),
        window("2021-12-07T12:00:00Z", "2021-12-07T13:00:00Z", 0.4, service="s3"),
    ]
    out = recoveries(windows, [cover(threshold=0.3)])
    assert out["hours"].tolist() == [3.0]


def test_sample_scenario_summary_nets_everything(sample_results: estimator.Results) -> None:
    s = sample_results.summary.set_index("company_id")
    rec = sample_results.recoveries.set_index("contract_id")
    assert rec.loc["blue-air-bi", "payout"] == 0.0  # 8-hour waiting period, 7-hour outage
    assert rec.loc["streamflix-cover", "payout"] > 0
    for cid, row in s.iterrows():
        assert row.net_impact == pytest.approx(
            row.total_loss
            + row.credits_payable
            - row.credits_receivable
            - row.insurance_recoveries,
            abs=0.005,
        ), cid
    assert s.loc["streamflix", "insurance_recoveries"] == rec.loc["streamflix-cover", "payout"]


# --- invariants and the reference -----------------------------------------------------------


def ts(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


BASE = int(pd.Timestamp("2021-12-07T00:00:00Z").timestamp())


@st.composite
def cover_cases(draw: Any) -> dict[str, Any]:
    windows = []
    for _ in range(draw(st.integers(1, 4))):
        start = BASE + draw(st.integers(0, 36)) * 1800
        windows.append(
            ref.Window(
                "o1",
                "aws",
                "us-east-1",
                draw(st.sampled_from(["ec2", "s3"])),
                start,
                start + draw(st.integers(1, 16)) * 1800,
                draw(st.sampled_from([1.0, 0.5, 0.25])),
            )
        )
    return {
        "windows": windows,
        "parametric": draw(st.booleans()),
        "waiting": draw(st.sampled_from([0, 0.5, 1, 3, 8])),
        "hourly": draw(st.sampled_from(["1000", "333.33"])),
        "deductible": draw(st.sampled_from(["0", "500", "5000"])),
        "limit": draw(st.sampled_from([None, "2000", "10000.50"])),
        "threshold": draw(st.sampled_from([1.0, 0.5, 0.3])),
        "per_hour": draw(st.sampled_from([3600.0, 1234.5])),
        "share": draw(st.sampled_from(["1", "0.5", "0.35"])),
        "occurrence": draw(st.sampled_from([None, "1500", "4000.25"])),
        "inception": draw(st.sampled_from([None, BASE + 3 * 3600, BASE + 9 * 3600])),
        "expiry": draw(st.sampled_from([None, BASE + 12 * 3600, BASE + 30 * 3600])),
    }


def run_case(c: dict[str, Any], windows: list[ref.Window] | None = None) -> pd.DataFrame:
    return run_full(c, windows).recoveries


def run_full(
    c: dict[str, Any],
    windows: list[ref.Window] | None = None,
    *,
    deduct: bool = False,
    fee: float = 1000.0,
) -> estimator.Results:
    """The case's estimate; indemnity ignores other recoveries unless ``deduct`` (the
    reference does not model them), and the carrier contract's fee is ``fee``."""
    ws = windows if windows is not None else c["windows"]
    row = cover(
        kind="parametric" if c["parametric"] else "indemnity",
        waiting=c["waiting"],
        hourly=float(c["hourly"]),
        deductible=float(c["deductible"]),
        limit=None if c["limit"] is None else float(c["limit"]),
        threshold=c["threshold"],
        share=float(c["share"]),
        occurrence_limit=None if c["occurrence"] is None else float(_occurrence(c) or 0),
        inception=None if c["inception"] is None else ts(c["inception"]),
        expiry=None if c["expiry"] is None else ts(c["expiry"]),
        **({} if c["parametric"] else {"other_recoveries": "deduct" if deduct else "ignore"}),
    )
    inputs = make_inputs(
        [window(ts(w.start), ts(w.end), w.impact, service=w.service) for w in ws],
        [company(per_hour=c["per_hour"])],
        [provider_contract(share=0.5, fee=fee), row],
    )
    return estimator.estimate(inputs, as_of=AS_OF)


def _occurrence(c: dict[str, Any]) -> str | None:
    """The occurrence limit as the case gives it (never above the aggregate)."""
    if c["occurrence"] is None or c["limit"] is None:
        return c["occurrence"]  # type: ignore[no-any-return]
    return str(min(Decimal(c["occurrence"]), Decimal(c["limit"])))


@given(cover_cases())
def test_engine_payouts_equal_the_reference(c: dict[str, Any]) -> None:
    got = run_case(c)
    cov = ref.Contract("cover", "acme", "aws", "us-east-1", "*", 0.0)
    eps = ref.cover_episodes(cov, c["windows"], c["threshold"])
    co = ref.Company("acme", c["per_hour"])
    carrier = ref.Contract("c1", "acme", "aws", "us-east-1", "ec2", 0.5)
    want = ref.insurance_payouts(
        eps,
        waiting_h=c["waiting"],
        parametric=c["parametric"],
        hourly=c["hourly"],
        deductible=c["deductible"],
        limit=c["limit"],
        loss_in=lambda a, b: ref.loss_between(co, [carrier], c["windows"], a, b),
        share=c["share"],
        occurrence=_occurrence(c),
        inception=c["inception"],
        expiry=c["expiry"],
    )
    assert [
        (int(pd.Timestamp(s).timestamp()), int(pd.Timestamp(e).timestamp()))
        for s, e in zip(got["episode_start"], got["episode_end"], strict=True)
    ] == eps
    tol = 0 if c["parametric"] else 0.011
    for g, w in zip(got["payout"], want, strict=True):
        assert g == pytest.approx(float(w), abs=tol)


@given(cover_cases(), st.integers(1, 8))
def test_payout_within_limit_and_non_decreasing_as_the_outage_lengthens(
    c: dict[str, Any], extra: int
) -> None:
    # without a policy period or an occurrence limit: a lengthened window may merge two
    # episodes into one that starts before inception, or that one occurrence limit caps
    c = {**c, "inception": None, "expiry": None, "occurrence": None}
    short = run_case(c)
    longer_windows = [
        *c["windows"][:-1],
        ref.Window(
            "o1",
            "aws",
            "us-east-1",
            c["windows"][-1].service,
            c["windows"][-1].start,
            c["windows"][-1].end + extra * 1800,
            c["windows"][-1].impact,
        ),
    ]
    longer = run_case(c, longer_windows)
    assert (short["payout"] >= 0).all()
    if c["limit"] is not None:
        assert short["payout"].sum() <= float(c["limit"]) + 1e-9
    assert longer["payout"].sum() >= short["payout"].sum() - 1e-9


@given(cover_cases())
def test_parametric_payout_does_not_depend_on_revenue(c: dict[str, Any]) -> None:
    c = {**c, "parametric": True}
    a = run_case({**c, "per_hour": 3600.0})
    b = run_case({**c, "per_hour": 9_999_999.0})
    assert a["payout"].tolist() == b["payout"].tolist()
