"""The valuation date ``as_of``: nothing after it counts; claims have a status on it (issue 11)."""

from __future__ import annotations

import pandas as pd
import pytest

import estimator
from tests.conftest import company, make_inputs, parametric_cover, provider_contract, window

COVER = parametric_cover()


def scenario(end: str | None) -> estimator.Inputs:
    return make_inputs(
        [window("2022-03-10T10:00:00Z", end)],
        [company(outage_cost_per_hour=60)],
        [provider_contract(fee=1000, tiers="99.9:10, 99:25"), COVER],
    )


def test_a_valuation_time_inside_an_outage_counts_only_the_part_before_it() -> None:
    """Valued at 12:00, a 10:00-16:00 window counts exactly like a 10:00-12:00 window."""
    cut = estimator.estimate(scenario("2022-03-10T16:00:00Z"), as_of="2022-03-10T12:00:00Z")
    short = estimator.estimate(scenario("2022-03-10T12:00:00Z"), as_of="2030-01-01T00:00:00Z")
    for table in ("losses", "recoveries"):
        pd.testing.assert_frame_equal(getattr(cut, table), getattr(short, table))
    split = ["credits_receivable_open", "credits_lost"]  # by claim status on the valuation day
    pd.testing.assert_frame_equal(
        cut.summary.drop(columns=split), short.summary.drop(columns=split)
    )
    owed = cut.summary["credits_receivable"].tolist()
    assert owed[0] > 0
    assert cut.summary[split].to_numpy().tolist() == [[owed[0], 0.0]]  # open in 2022
    assert short.summary[split].to_numpy().tolist() == [[0.0, owed[0]]]  # expired by 2030
    columns = ["downtime_minutes", "uptime_pct", "credit_amount", "claim_deadline"]
    pd.testing.assert_frame_equal(cut.credits[columns], short.credits[columns])
    assert cut.losses["impacted_minutes"].tolist() == [120.0]
    assert cut.recoveries["hours"].tolist() == [2.0]
    assert cut.cut_at_as_of == ["o1"] and cut.after_as_of == [] and cut.ongoing == []
    w = cut.windows.iloc[0]
    assert w["status"] == "cut" and w["priced_end"] == pd.Timestamp("2022-03-10T12:00:00Z")


@pytest.mark.parametrize("end", [None, "2022-03-10T16:00:00Z"])
def test_windows_starting_at_or_after_the_valuation_time_are_left_out_and_listed(
    end: str | None,
) -> None:
    """An ongoing outage or a finished one: either way nothing counts, and results say so."""
    inputs = scenario(end)
    early = estimator.estimate(inputs, as_of="2022-03-10T10:00:00Z")  # at the very start
    assert early.after_as_of == ["o1"]
    assert early.losses.empty and early.credits.empty and early.recoveries.empty
    assert early.summary["total_loss"].tolist() == [0.0]
    assert early.windows["status"].tolist() == ["left_out"]
    assert pd.isna(early.windows["priced_end"].iloc[0])


def test_an_ongoing_outage_runs_to_the_valuation_time() -> None:
    r = estimator.estimate(scenario(None), as_of="2022-03-10T11:30:00Z")
    assert r.ongoing == ["o1"] and r.cut_at_as_of == []
    assert r.losses["impacted_minutes"].tolist() == [90.0]


def test_claim_status_is_read_on_the_valuation_date() -> None:
    """An AWS credit for March 2022 must be received by 31 May 2022."""
    inputs = make_inputs(
        [window("2022-03-10T10:00:00Z", "2022-03-10T16:00:00Z")],
        [company()],
        [provider_contract(sla="aws/ec2-region", tiers=None, fee=10_000)],
    )

    def status(as_of: str) -> str:
        row = estimator.estimate(inputs, as_of=as_of).credits.iloc[0]
        assert row["claim_deadline"] == pd.Timestamp("2022-05-31")
        assert row["credit_amount"] == 1000.0
        return str(row["claim_status"])

    assert status("2022-04-01T00:00:00Z") == "open (60 days left)"
    assert status("2022-05-30T23:59:59Z") == "open (1 day left)"
    assert status("2022-05-31T23:59:59Z") == "open (0 days left)"
    assert status("2022-06-01T00:00:00Z") == "expired"


def test_no_claim_status_where_nothing_is_owed_or_no_deadline() -> None:
    inputs = make_inputs(
        [
            window("2022-03-10T10:00:00Z", "2022-03-10T10:01:00Z"),  # too short for any tier
            window("2022-03-10T10:00:00Z", "2022-03-10T10:01:00Z", provider="acme-cloud"),
        ],
        [company()],
        [
            provider_contract("aws", sla="aws/ec2-region", tiers=None),
            provider_contract("own", fee=1000, tiers="99.999:10"),  # custom: AWS's claim rules
            # custom terms of a provider the catalog does not know: no claim rules, no deadline
            provider_contract("unknown", fee=1000, tiers="99.999:10", provider="acme-cloud"),
        ],
    )
    c = estimator.estimate(inputs, as_of="2022-04-01T00:00:00Z").credits.set_index("contract_id")
    assert c.loc["aws", "credit_amount"] == 0.0 and c.loc["aws", "claim_status"] == ""
    assert c.loc["own", "credit_amount"] == 100.0
    assert c.loc["own", "claim_deadline"] == pd.Timestamp("2022-05-31")
    assert c.loc["own", "claim_status"] == "open (60 days left)"
    assert c.loc["unknown", "credit_amount"] == 100.0
    assert pd.isna(c.loc["unknown", "claim_deadline"]) and c.loc["unknown", "claim_status"] == ""
