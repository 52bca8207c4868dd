"""The vectorised engine against the loop-based reference (tests/reference.py), on random inputs.

Windows are drawn around the hard places: US and European daylight-saving
changes, a half-hour zone, month and year ends; with overlaps, duplicates,
wildcards, several events and failover.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import estimator
from pricing.profiles import BUILTIN_PROFILES, normalise
from tests import reference as ref

ANCHORS = [
    "2021-03-14T07:00:00Z",  # US spring change
    "2021-03-28T01:00:00Z",  # EU spring change
    "2021-10-31T01:00:00Z",  # EU autumn change
    "2021-11-07T06:00:00Z",  # US autumn change
    "2021-12-31T23:00:00Z",  # year end
    "2024-02-29T23:30:00Z",  # leap-day month end
]
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Los_Angeles",
]
SERVICES = ["ec2", "s3", "*"]
EVENTS = ["e1", "e2", "e3"]


def ts(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    anchor = int(pd.Timestamp(draw(st.sampled_from(ANCHORS))).timestamp())
    n_windows = draw(st.integers(1, 5))
    windows = []
    for _ in range(n_windows):
        start = anchor + draw(st.integers(-6 * 3600, 6 * 3600))
        length = draw(st.integers(1, 8 * 3600))
        impact = draw(st.sampled_from([1.0, 0.5, 0.25, 0.333333, 0.8]))
        windows.append(
            ref.Window(
                draw(st.sampled_from(EVENTS)),
                "aws",
                "us-east-1",
                draw(st.sampled_from(SERVICES)),
                start,
                start + length,
                impact,
            )
        )
    if draw(st.booleans()):
        windows.append(windows[0])  # a duplicate
    contracts = []
    for i in range(draw(st.integers(1, 3))):
        failover = draw(st.one_of(st.none(), st.integers(0, 180)))
        contracts.append(
            ref.Contract(
                f"c{i}",
                "acme",
                "aws",
                draw(st.sampled_from(["us-east-1", "*"])),
                draw(st.sampled_from(SERVICES)),
                draw(st.sampled_from([1.0, 0.5, 0.3, 0.0])),
                None if failover is None else failover * 60,
                draw(st.sampled_from([1.0, 0.5, 0.9])),
            )
        )
    zone = draw(st.sampled_from(ZONES))
    profile = draw(st.sampled_from(["flat", "evening_peak", "business_hours", "custom"]))
    raw = (
        [draw(st.integers(0, 5)) for _ in range(168)]
        if profile == "custom"
        else list(BUILTIN_PROFILES[profile])
    )
    if sum(raw) == 0:
        raw[0] = 1
    co = ref.Company(
        "acme",
        3600.0 * draw(st.sampled_from([1, 7.5, 1000])),
        zone,
        list(normalise(raw)),
        draw(st.sampled_from([0.0, 0.4])),
        draw(st.sampled_from([0.0, 250.0])),
    )
    return {
        "windows": windows,
        "contracts": contracts,
        "company": co,
        "profile": profile,
        "raw_weights": raw,
        "rule": draw(st.sampled_from(["max", "independent"])),
    }


def to_inputs(s: dict[str, Any]) -> estimator.Inputs:
    co: ref.Company = s["company"]
    profile_rows = None
    if s["profile"] == "custom":
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        profile_rows = pd.DataFrame(
            [
                {"profile_id": "custom-p", "day": days[i // 24], "hour": i % 24, "weight": w}
                for i, w in enumerate(s["raw_weights"])
            ]
        )
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            [
                {
                    "outage_id": w.event,
                    "provider": w.provider,
                    "region": w.region,
                    "service": w.service,
                    "start": ts(w.start),
                    "end": ts(w.end),
                    "impact": w.impact,
                }
                for w in s["windows"]
            ]
        ),
        companies=pd.DataFrame(
            [
                {
                    "company_id": co.company_id,
                    "revenue_per_hour": co.revenue_per_hour,
                    "timezone": co.timezone,
                    "recapture_rate": co.recapture,
                    "outage_cost_per_hour": co.cost_per_hour,
                    "revenue_profile": "custom-p" if s["profile"] == "custom" else s["profile"],
                }
            ]
        ),
        contracts=pd.DataFrame(
            [
                {
                    "contract_id": c.contract_id,
                    "company_id": c.company,
                    "provider": c.provider,
                    "region": c.region,
                    "service": c.service,
                    "sla": "custom",
                    "tiers": "99.9:10",
                    "monthly_fee": 100,
                    "revenue_share": c.share,
                    "failover_minutes": None if c.failover_s is None else c.failover_s / 60,
                    "failover_share": c.failover_share,
                }
                for c in s["contracts"]
            ]
        ),
        revenue_profiles=profile_rows,
    )


@given(scenarios())
def test_engine_losses_equal_the_reference(s: dict[str, Any]) -> None:
    result = estimator.estimate(
        to_inputs(s), dependency_rule=s["rule"], as_of="2030-01-01T00:00:00Z"
    )
    expected = ref.losses([s["company"]], s["contracts"], s["windows"], s["rule"])
    got = result.losses.set_index("outage_id")
    assert set(got.index) == {e for _, e in expected}
    for (_, event), row in expected.items():
        g = got.loc[event]
        assert g["impacted_minutes"] == pytest.approx(row["seconds"] / 60, abs=1e-6)
        assert g["gross_lost_revenue"] == pytest.approx(row["gross"], abs=0.006, rel=1e-9)
        assert g["recaptured_revenue"] == pytest.approx(row["recaptured"], abs=0.006, rel=1e-9)
        assert g["outage_costs"] == pytest.approx(row["costs"], abs=0.006, rel=1e-9)


@given(scenarios())
def test_customer_sla_uses_the_reference_own_impact(s: dict[str, Any]) -> None:
    """The company's own impact I(t) (after failover) drives the SLA it sold, second by second."""
    inputs = to_inputs(s)
    contracts = pd.concat(
        [
            inputs.contracts.drop(columns=[]).astype(object),
            pd.DataFrame(
                [
                    {
                        "contract_id": "sold",
                        "company_id": "acme",
                        "kind": "customer",
                        "sla": "custom",
                        "tiers": "99.99:10, 99.9:25",
                        "metric": "error_rate",
                        "monthly_fee": 1000,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    frames = inputs.to_frames()
    inputs = estimator.Inputs.from_frames(
        frames["outages"],
        frames["companies"],
        contracts,
        revenue_profiles=frames["revenue_profiles"],
    )
    got = estimator.estimate(inputs, as_of="2030-01-01T00:00:00Z").credits
    got = got[got["contract_id"] == "sold"].set_index("month")
    co: ref.Company = s["company"]
    lo = min(w.start for w in s["windows"])
    hi = max(w.end for w in s["windows"])
    expected = ref.monthly_downtime(
        lambda t: ref.own_impact_units(co, s["contracts"], s["windows"], t),
        lambda t: False,
        lo,
        hi,
        threshold_units=10**12,
        error_metric=True,
        min_period=0,
    )
    expected = {m: v for m, v in expected.items() if v[1] > 0}
    months = {
        dt.datetime.fromtimestamp(m, tz=dt.UTC).strftime("%Y-%m"): v for m, v in expected.items()
    }
    assert set(got.index) == set(months)
    for month, (seconds, units) in months.items():
        _pct, amount = ref.credit(seconds, units, [("99.99", "10"), ("99.9", "25")], "1000")
        assert got.loc[month, "downtime_minutes"] == pytest.approx(units / 1e12 / 60)
        assert got.loc[month, "credit_amount"] == float(amount)
