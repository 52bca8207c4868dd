"""METHODOLOGY.md's worked examples: each is built here and every figure it states is checked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import estimator
from tests.conftest import ROOT, company, provider_contract, window


def worked_example() -> estimator.Inputs:
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            [
                {
                    "outage_id": "x",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "*",
                    "start": "2022-06-14T10:00:00Z",
                    "end": "2022-06-14T14:00:00Z",
                    "impact": 0.8,
                }
            ]
        ),
        companies=pd.DataFrame(
            [
                {
                    "company_id": "acme",
                    "currency": "USD",
                    "revenue_per_hour": 10000,
                    "recapture_rate": 0.2,
                    "outage_cost_per_hour": 1000,
                }
            ]
        ),
        contracts=pd.DataFrame(
            [
                {
                    "contract_id": "acme-ec2",
                    "company_id": "acme",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "ec2",
                    "sla": "aws/ec2-region",
                    "monthly_fee": 20000,
                    "revenue_share": 0.6,
                    "failover_minutes": 60,
                    "failover_share": 0.75,
                },
                {
                    "contract_id": "acme-s3",
                    "company_id": "acme",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "s3",
                    "sla": "aws/s3-standard",
                    "monthly_fee": 5000,
                    "revenue_share": 0.3,
                },
                {
                    "contract_id": "acme-sla",
                    "company_id": "acme",
                    "kind": "customer",
                    "sla": "custom",
                    "tiers": "99.9:10, 99:25",
                    "downtime_threshold": 0.5,
                    "monthly_fee": 50000,
                },
                {
                    "contract_id": "acme-cover",
                    "company_id": "acme",
                    "kind": "insurance",
                    "provider": "aws",
                    "region": "us-east-1",
                    "service": "*",
                    "cover": "parametric",
                    "downtime_threshold": 0.5,
                    "waiting_hours": 2,
                    "hourly_payout": 2000,
                    "limit": 10000,
                },
            ]
        ),
    )


def test_methodology_worked_example() -> None:
    text = (ROOT / "METHODOLOGY.md").read_text()
    r = estimator.estimate(worked_example(), as_of="2023-01-01T00:00:00Z")
    loss = r.losses.iloc[0]
    assert (
        loss.gross_lost_revenue,
        loss.recaptured_revenue,
        loss.outage_costs,
        loss.total_loss,
    ) == (12000.0, 2400.0, 4000.0, 13600.0)
    c = r.credits.set_index("contract_id")
    assert c.loc["acme-ec2", "credit_amount"] == 0.0
    assert c.loc["acme-s3", "credit_amount"] == 500.0
    assert c.loc["acme-s3", "uptime_pct"] == pytest.approx(99.5556, abs=5e-5)
    assert c.loc["acme-s3", "claim_deadline"] == pd.Timestamp("2022-08-31")
    assert c.loc["acme-sla", "uptime_pct"] == pytest.approx(99.4444, abs=5e-5)
    assert c.loc["acme-sla", "credit_amount"] == 5000.0
    assert r.recoveries["payout"].tolist() == [4000.0]
    s = r.summary.iloc[0]
    assert s.net_impact == 14100.0
    assert round(s.recovery_ratio, 3) == 0.331
    indep = estimator.estimate(
        worked_example(), dependency_rule="independent", as_of="2023-01-01T00:00:00Z"
    )
    assert indep.losses["gross_lost_revenue"].iloc[0] == 15984.0
    for figure in (
        "12,000.00",
        "2,400.00",
        "4,000.00",
        "13,600.00",
        "15,984.00",
        "500.00",
        "5,000.00",
        "14,100.00",
        "33.1 %",
        "31 August 2022",
    ):
        assert figure in text, figure


def issue11_example() -> estimator.Inputs:
    def w(outage_id: str, service: str, start: str, end: str, **extra: str) -> dict[str, object]:
        return {
            "outage_id": outage_id,
            "provider": "aws",
            "region": "us-east-1",
            "service": service,
            "start": start,
            "end": end,
            "impact": 1,
            **extra,
        }

    def c(
        contract_id: str, service: str, sla: str, fee: int, share: float = 0.0
    ) -> dict[str, object]:
        return {
            "contract_id": contract_id,
            "company_id": "acme",
            "provider": "aws",
            "region": "us-east-1",
            "service": service,
            "sla": sla,
            "monthly_fee": fee,
            "revenue_share": share,
        }

    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            [
                w(
                    "z",
                    "ec2",
                    "2022-06-14T10:00:00Z",
                    "2022-06-14T14:00:00Z",
                    scope="zone",
                    zone="use1-az4",
                ),
                w("later", "ec2", "2022-06-14T20:00:00Z", "2022-06-14T21:00:00Z"),
                w("s3", "lambda", "2017-02-28T17:37:00Z", "2017-02-28T21:54:00Z"),
                w("s3-2019", "lambda", "2019-02-28T17:37:00Z", "2019-02-28T21:54:00Z"),
            ]
        ),
        companies=pd.DataFrame([{"company_id": "acme", "revenue_per_hour": 10000}]),
        contracts=pd.DataFrame(
            [
                c("acme-ec2", "ec2", "aws/ec2-region", 20000, 0.6),
                c("acme-vm", "ec2", "aws/ec2-instance", 2000),
                c("acme-lambda", "lambda", "aws/lambda", 1000),
            ]
        ),
    )


def test_methodology_worked_examples_of_scope_start_date_valuation_and_claim_status() -> None:
    text = " ".join((ROOT / "METHODOLOGY.md").read_text().split())
    inputs = issue11_example()
    r = estimator.estimate(inputs, as_of="2022-07-01T00:00:00Z")
    c = r.credits.set_index(["contract_id", "month"])
    ec2, vm = c.loc[("acme-ec2", "2022-06")], c.loc[("acme-vm", "2022-06")]
    assert (ec2.downtime_minutes, ec2.credit_amount) == (60.0, 2000.0)
    assert ec2.uptime_pct == pytest.approx(99.8611, abs=5e-5)
    assert ec2.outside_scope == "z (zone use1-az4)"
    assert (vm.downtime_minutes, vm.credit_amount) == (300.0, 200.0)
    assert vm.uptime_pct == pytest.approx(99.3056, abs=5e-5)
    losses = r.losses.set_index("outage_id")["gross_lost_revenue"]
    assert (losses["z"], losses["later"]) == (24000.0, 6000.0)
    feb17, feb19 = c.loc[("acme-lambda", "2017-02")], c.loc[("acme-lambda", "2019-02")]
    assert pd.isna(feb17.credit_amount) and feb17.claim_status == ""
    quote = "aws/lambda did not exist on 2017-02-28: it was introduced on 2018-10-17"
    assert quote in feb17.review_reason and quote in text
    assert feb19.credit_amount == 100.0 and feb19.uptime_pct == pytest.approx(99.3626, abs=5e-5)
    assert vm.claim_deadline == pd.Timestamp("2022-08-31")
    assert vm.claim_status == ec2.claim_status == "open (61 days left)"
    late = estimator.estimate(inputs, as_of="2022-09-01T00:00:00Z").credits
    assert set(late.loc[late["month"] == "2022-06", "claim_status"]) == {"expired"}
    noon = estimator.estimate(inputs, as_of="2022-06-14T12:00:00Z")
    assert noon.after_as_of == ["later"] and noon.cut_at_as_of == ["z"]
    assert noon.losses.set_index("outage_id").loc["z", "gross_lost_revenue"] == 12000.0
    at_noon = noon.credits.set_index("contract_id")
    assert at_noon.loc["acme-vm", "downtime_minutes"] == 120.0
    assert at_noon.loc["acme-vm", "uptime_pct"] == pytest.approx(99.7222, abs=5e-5)
    assert at_noon.loc["acme-vm", "credit_amount"] == 0.0
    assert at_noon.loc["acme-ec2", "downtime_minutes"] == 0.0
    for figure in (
        "2,000.00",
        "200.00",
        "24,000.00",
        "6,000.00",
        "100.00",
        "12,000.00",
        "99.8611 %",
        "99.3056 %",
        "99.3626 %",
        "99.7222 %",
        "31 August 2022",
        "open (61 days left)",
    ):
        assert figure in text, figure


def test_methodology_worked_example_of_a_simulation() -> None:
    """§16.1: a uniform duration over a tier bound; exact tornado, sampled statistics."""
    text = " ".join((ROOT / "METHODOLOGY.md").read_text().split())
    inputs = estimator.Inputs.from_frames(
        outages=pd.DataFrame([window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")]),
        companies=pd.DataFrame([company()]),
        contracts=pd.DataFrame([provider_contract(tiers="99.9:10, 99:25", fee=1000)]),
        uncertainty=pd.DataFrame(
            [{"table": "outages", "id": "o1", "column": "duration_hours",
              "distribution": "uniform", "low": 5, "high": 10}]
        ),
    )  # fmt: skip
    sim = estimator.simulate(inputs, draws=10_000, seed=0, as_of="2030-01-01T00:00:00Z")
    q = sim.quantiles.set_index("measure")
    loss, credit = q.loc["total_loss"], q.loc["credits_receivable"]
    n = 10_000
    for p, hours in ((5, 5.25), (50, 7.5), (95, 9.75)):
        # a percentile's standard error: sqrt(p (1 - p) / n) / density (1/5 per hour)
        error = 4 * 3600 * 5 * np.sqrt(p / 100 * (1 - p / 100) / n)
        assert abs(loss[f"p{p}"] - 3600 * hours) < error, p
    assert abs(loss["mean"] - 27_000) < 4 * loss["sem"]
    values = sim.draws["credits_receivable"]
    assert set(values.unique()) == {100.0, 250.0}
    share = float((values == 250.0).mean())
    assert abs(share - 0.512) < 4 * np.sqrt(0.512 * 0.488 / n)
    assert abs(credit["mean"] - 176.80) < 4 * credit["sem"]
    t = sim.sensitivity.set_index("measure")
    assert (t.loc["total_loss", "input_p10"], t.loc["total_loss", "input_p90"]) == (5.5, 9.5)
    assert (t.loc["total_loss", "at_p10"], t.loc["total_loss", "at_p90"]) == (19_800.0, 34_200.0)
    assert t.loc["total_loss", "swing"] == 14_400.0
    assert (t.loc["credits_receivable", "at_p10"], t.loc["credits_receivable", "at_p90"]) == (
        100.0,
        250.0,
    )
    for figure in ("18,900.00", "27,000.00", "35,100.00", "7.44 hours", "**0.512**",
                   "176.80", "19,800.00", "34,200.00", "14,400.00"):  # fmt: skip
        assert figure in text, figure


def insurance_example(inception: str = "2021-12-01T00:00:00Z") -> estimator.Inputs:
    cover = {
        "contract_id": "bi",
        "company_id": "acme",
        "kind": "insurance",
        "provider": "aws",
        "region": "us-east-1",
        "service": "ec2",
        "cover": "indemnity",
        "basis": "gross_profit",
        "waiting_hours": 2,
        "deductible": 500,
        "share": 0.8,
        "occurrence_limit": 2500,
        "limit": 3200,
        "inception": inception,
        "expiry": "2022-12-01T00:00:00Z",
    }
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(
            [
                window("2021-12-07T10:00:00Z", "2021-12-07T17:00:00Z"),
                window("2021-12-20T10:00:00Z", "2021-12-20T14:00:00Z", outage_id="o2"),
            ]
        ),
        companies=pd.DataFrame(
            [company(recapture_rate=0.5, outage_cost_per_hour=100, gross_margin=0.4)]
        ),
        contracts=pd.DataFrame([provider_contract(tiers="99.9:10", fee=1000), cover]),
    )


def test_methodology_worked_example_of_an_insurance_policy() -> None:
    """§9.1: basis, credits deducted pro rata, deductible, share, both limits, the period."""
    text = " ".join((ROOT / "METHODOLOGY.md").read_text().split())
    r = estimator.estimate(insurance_example(), as_of="2023-01-01T00:00:00Z")
    credit = r.credits.set_index("contract_id").loc["c1"]
    assert credit["credit_amount"] == 100.0
    assert credit["uptime_pct"] == pytest.approx(98.5215, abs=5e-5)
    steps = r.recovery_steps
    assert steps["basis_loss"].tolist() == pytest.approx([4100.0, 1640.0])
    assert steps["credits_deducted"].round(2).tolist() == [71.43, 28.57]
    assert (steps["before_limit_minor"] / 100).round(2).tolist() == [2822.86, 889.14]
    rec = r.recoveries
    assert rec["payout"].tolist() == [2500.0, 700.0]
    assert rec["limit_bound"].tolist() == ["occurrence", "aggregate"]
    s = r.summary.iloc[0]
    assert (s["total_loss"], s["net_impact"]) == (20_900.0, 17_600.0)
    late = estimator.estimate(
        insurance_example("2021-12-08T00:00:00Z"), as_of="2023-01-01T00:00:00Z"
    ).recoveries
    assert late["in_policy_period"].tolist() == [False, True]
    assert late["payout"].tolist() == [0.0, 889.14]
    for figure in ("98.5215 %", "4,100.00", "1,640.00", "71.43", "28.57", "2,822.86",
                   "889.14", "2,500.00", "700.00", "20,900.00", "17,600.00"):  # fmt: skip
        assert figure in text, figure


def test_methodology_worked_example_of_charges_claims_and_reconciliation() -> None:
    """§19.1: the sample's Kindling credits on its FOCUS export, its claim log, the
    reconciliation; and the oldest-first rule of §19."""
    from decimal import Decimal

    from estimator.results.reconciliation import _applied_oldest_first

    text = " ".join((ROOT / "METHODOLOGY.md").read_text().split())
    sample = ROOT / "sample_data" / "aws-2021-12-07"
    export = (sample / "billing" / "focus-2021-12.csv").read_text().splitlines()
    lambda_lines = [
        line.split(",")[0] for line in export if ",AWS Lambda," in line and ",Usage," in line
    ]
    assert sum(Decimal(v) for v in lambda_lines) == Decimal("120000.0000000")
    r = estimator.estimate(estimator.load_inputs(sample))
    c = r.credits.set_index("contract_id")
    lam = c.loc["kindling-lambda"]
    assert (lam["monthly_fee"], lam["credit_pct"], lam["credit_amount"]) == (
        120000.0,
        10.0,
        12000.0,
    )
    assert lam["fee_source"] == "charges" and lam["claim_status"] == "paid"
    assert lam["uptime_pct"] == pytest.approx(100 * (1 - 200.88 / 44640), abs=1e-9)
    assert (c.loc["kindling-ddb", "monthly_fee"], c.loc["kindling-ddb", "credit_amount"]) == (
        85000.0,
        8500.0,
    )
    assert c.loc["blue-air-route53", "monthly_fee"] == 12000.0
    rec = r.reconciliation().set_index(["company_id", "service"])
    assert rec.loc[("kindling", "lambda"), ["received", "outstanding", "reason"]].tolist() == [
        12000.0, 0.0, "received in full"]  # fmt: skip
    assert rec.loc[("kindling", "api-gateway"), ["credit_owed", "approved", "received", "outstanding"]].tolist() == [
        6000.0, 6000.0, 5000.0, 1000.0]  # fmt: skip
    assert rec.loc[("kindling", "dynamodb"), "reason"] == "lost: not claimed by the deadline"
    owed = pd.DataFrame({"company_id": ["a"] * 3, "provider": ["p"] * 3, "account": [""] * 3,
                         "service": ["s"] * 3, "region": ["r"] * 3, "credit_owed": [100.0, 50.0, 30.0]})  # fmt: skip
    assert _applied_oldest_first(owed, np.full(3, 120.0)).tolist() == [100.0, 20.0, 0.0]
    for figure in ("71,234.5612345", "48,765.4387655", "120,000.00", "99.55 %", "200.88", "12,000.00",
                   "6,000.00", "5,000.00", "1,000.00", "85,000.00", "8,500.00", "2022-02-28",
                   "10,500.00", "applies 100.00, 20.00 and 0.00"):  # fmt: skip
        assert figure in text, figure
