"""The bundled samples: the founding scenario and the outage catalog."""

from __future__ import annotations

import csv

import pandas as pd

import estimator
from tests.conftest import ROOT, SAMPLE, SAMPLE_AS_OF

REFERENCE = ROOT.parent / "shared" / "reference" / "outages.csv"
CATALOG = ROOT / "sample_data" / "outage_catalog.csv"


def test_portfolio_outages_are_a_copy_of_the_catalog() -> None:
    copy = ROOT / "sample_data" / "catalog-portfolio" / "outages.csv"
    assert copy.read_bytes() == CATALOG.read_bytes()


def test_catalog_loads_as_outages_and_covers_every_reference_outage() -> None:
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    outages = inputs.outages
    assert len(outages) >= 23
    if REFERENCE.exists():  # the shared research folder beside the project
        with REFERENCE.open(encoding="utf-8") as f:
            ids = {row["id"] for row in csv.DictReader(f)}
        assert set(outages["outage_id"]) == ids
    # ongoing ones are the two without a published end
    open_ids = set(outages.loc[outages["end"].isna(), "outage_id"])
    assert open_ids == {"gcp-europe-west9-2023-04-26", "aws-mec1-drone-2026-03-01"}


def test_catalog_slugs_match_the_sla_catalog() -> None:
    catalog = estimator.sla_catalog()
    outages = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio").outages
    cloud = outages[outages["provider"].isin(["aws", "azure", "gcp"])]
    known = set(catalog["service"]) | {"*", "front-door"}
    unknown = set(cloud["service"]) - known
    assert not unknown, unknown
    assert set(outages["provider"]) <= set(catalog["provider"]) | {"crowdstrike"}


def test_portfolio_prices_with_open_outages_run_to_as_of() -> None:
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    early = estimator.estimate(inputs, as_of="2026-04-01T00:00:00Z")
    later = estimator.estimate(inputs, as_of="2026-06-01T00:00:00Z")
    assert (
        early.ongoing
        == later.ongoing
        == ["aws-mec1-drone-2026-03-01", "gcp-europe-west9-2023-04-26"]
    )
    gulf = lambda r: r.summary.set_index("company_id").loc["gulf-pay", "total_loss"]  # noqa: E731
    assert gulf(later) > gulf(early) > 0


def test_founding_scenario_tells_its_lessons(sample_results: estimator.Results) -> None:
    s = sample_results.summary.set_index("company_id")
    losses = sample_results.losses
    # the airline not on us-east-1 was not hit on 7 Dec
    pacific = losses[losses["company_id"] == "pacific-air"]
    assert set(pacific["outage_id"]) == {"aws-uswest-2021-12-15"}
    # failing over to us-west-2 after 90 minutes costs far less than staying put
    dec7 = losses[losses["outage_id"] == "aws-use1-2021-12-07"].set_index("company_id")
    per_revenue = dec7["gross_lost_revenue"] / pd.Series(
        {"blue-air": 2_300_000, "southbound-air": 1_700_000}
    )
    assert per_revenue["southbound-air"] < 0.5 * per_revenue["blue-air"]
    # an 8-hour waiting period pays nothing for a 7-hour outage
    assert s.loc["blue-air", "insurance_recoveries"] == 0.0
    # SLA credits cover a small part of the loss
    assert s.loc["kindling", "recovery_ratio"] < 0.25
    # the B2B SaaS owes its customers credits
    assert s.loc["ledgerly", "credits_payable"] > 0
    # the streaming service's lost share peaks near the reported 26 % traffic drop
    steps = sample_results.lost_share
    peak = steps[steps["company_id"] == "streamflix"]["lost_share"].max()
    assert str(steps["start"].dtype) == "datetime64[s, UTC]"  # ids and UTC times, as elsewhere
    assert abs(peak - 0.26) < 0.01


def test_founding_uncertainty_moves_ledgerly_a_tier(sample_inputs: estimator.Inputs) -> None:
    """The sample README: a longer use1 outage moves ledgerly's credits payable one tier up;
    with the command's defaults (10,000 draws, seed 0) its P95 is twice its P50."""
    sim = estimator.simulate(sample_inputs, as_of=SAMPLE_AS_OF)
    paid = sim.draws.loc[sim.draws["company_id"] == "ledgerly", "credits_payable"]
    assert sorted(paid.unique()) == [625_000.0, 1_250_000.0]
    q = sim.quantiles.set_index(["company_id", "measure"]).loc[("ledgerly", "credits_payable")]
    assert q["p95"] == 2 * q["p50"] == 1_250_000.0
    text = (SAMPLE / "README.md").read_text()
    assert "its P95 is twice its P50" in text


def test_catalog_portfolio_covers_are_bounded_by_their_policy_periods() -> None:
    """The catalog README: one-year periods; earlier episodes listed and unpaid; the
    October 2025 DynamoDB credit not deducted (waiting period); gulf-cover cut to its
    occurrence limit; no credit and indemnity counted twice."""
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    r = estimator.estimate(inputs, as_of="2026-06-01T00:00:00Z")
    rec = r.recoveries.join(r.recovery_steps)
    bi = rec[rec["contract_id"] == "shopfront-bi"]
    inside = bi["episode_start"] >= pd.Timestamp("2025-07-01T00:00:00Z")
    assert (bi["in_policy_period"] == inside).all() and (~inside).sum() >= 3
    assert (bi.loc[~inside, "payout"] == 0).all() and (bi.loc[inside, "payout"] > 0).all()
    assert (bi["basis_loss"] < bi["covered_revenue"] + bi["covered_costs"]).loc[inside].all()
    october = bi[bi["episode_start"].dt.strftime("%Y-%m") == "2025-10"].iloc[0]
    assert october["credits_deducted"] == 0.0
    ddb = r.credits.set_index(["contract_id", "month"]).loc[("shopfront-ddb", "2025-10")]
    assert ddb["credit_amount"] > 0  # a credit exists, but for downtime in the waiting period
    gulf = rec[rec["contract_id"] == "gulf-cover"].iloc[0]
    assert (gulf["limit_bound"], gulf["payout"]) == ("occurrence", 2_000_000.0)
    text = (ROOT / "sample_data" / "catalog-portfolio" / "README.md").read_text()
    assert "its downtime fell in the waiting period" in text


MEASURED = "Kindling's own monitoring (illustrative series): "


def _with_outages(inputs: estimator.Inputs, outages: pd.DataFrame) -> estimator.Inputs:
    frames = inputs.to_frames()
    frames["outages"] = outages
    return estimator.Inputs.from_frames(**frames)


def test_the_founding_samples_lambda_windows_are_kindlings_monitoring_series() -> None:
    series = SAMPLE / "monitoring" / "kindling-lambda-errors.csv"
    where = {"provider": "aws", "region": "us-east-1", "service": "lambda"}
    read = estimator.read_monitoring(series, outage_id="aws-use1-2021-12-07", **where)
    read["description"] = MEASURED + read["description"]
    typed = estimator.load_inputs(SAMPLE).to_frames()["outages"]
    measured = typed["description"].str.startswith(MEASURED, na=False)
    assert measured.sum() == len(read) > 10
    committed = typed[measured].reset_index(drop=True)[list(read.columns)]
    assert committed.astype(str).values.tolist() == read.astype(str).values.tolist()


def test_kindlings_loss_follows_its_measured_impact() -> None:
    sample = estimator.load_inputs(SAMPLE)
    typed = sample.to_frames()["outages"]
    measured = typed["description"].str.startswith(MEASURED, na=False)
    typed_only = _with_outages(sample, typed[~measured].reset_index(drop=True))
    a = estimator.estimate(sample, as_of=SAMPLE_AS_OF).summary.set_index("company_id")
    b = estimator.estimate(typed_only, as_of=SAMPLE_AS_OF).summary.set_index("company_id")
    kindling = a.index[a.index.str.contains("kindling")]
    assert len(kindling) == 1
    assert a.loc[kindling[0], "total_loss"] > b.loc[kindling[0], "total_loss"]
    others = a.index.drop(kindling)
    assert a.loc[others, "total_loss"].tolist() == b.loc[others, "total_loss"].tolist()
