"""Credits on real charges, the claim log and the reconciliation (issue 22.2-22.5), on the
founding sample (whose FOCUS export and claim log are written from its own fees)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import estimator
from estimator.sources.billing import read_billing

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "aws-2021-12-07"
FEES = {
    "kindling-lambda": 120000,
    "kindling-apigw": 60000,
    "kindling-ddb": 85000,
    "blue-air-route53": 12000,
}
"""The fees the sample's contracts typed before its FOCUS export replaced them."""


@pytest.fixture(scope="module")
def inputs() -> estimator.Inputs:
    return estimator.load_inputs(SAMPLE)


@pytest.fixture(scope="module")
def results(inputs: estimator.Inputs) -> estimator.Results:
    return estimator.estimate(inputs)


def _frames(
    inputs: estimator.Inputs, **changes: pd.DataFrame | None
) -> dict[str, pd.DataFrame | None]:
    frames: dict[str, pd.DataFrame | None] = dict(inputs.to_frames())
    frames.update(changes)
    return frames


def test_the_sample_charges_are_what_the_billing_command_reads_from_its_export(
    inputs: estimator.Inputs,
) -> None:
    export = read_billing(SAMPLE / "billing" / "focus-2021-12.csv")
    typed = estimator.Inputs.from_frames(**_frames(inputs, charges=export)).charges
    pd.testing.assert_frame_equal(typed, inputs.charges)


def test_a_contract_without_a_fee_is_credited_on_the_exports_charges_to_the_cent(
    inputs: estimator.Inputs, results: estimator.Results
) -> None:
    contracts = inputs.contracts.copy()
    for cid, fee in FEES.items():
        contracts.loc[contracts["contract_id"] == cid, "monthly_fee"] = float(fee)
    typed = estimator.estimate(dataclasses.replace(inputs, contracts=contracts))
    c, t = results.credits.set_index("contract_id"), typed.credits.set_index("contract_id")
    for cid, fee in FEES.items():
        assert c.loc[cid, "fee_source"] == "charges" and t.loc[cid, "fee_source"] == "contract"
        assert c.loc[cid, "monthly_fee"] == fee  # the export's lines sum to the old fee
    same = [col for col in c.columns if col != "fee_source"]
    pd.testing.assert_frame_equal(c[same], t[same])
    # lambda: 71,234.5612345 + 48,765.4387655 = 120,000.00; 10 % of it
    assert c.loc["kindling-lambda", "credit_amount"] == 12000.0
    # route53 has no us-east-1 rows: the service's global row (blank region) is its base
    assert c.loc["blue-air-route53", "monthly_fee"] == 12000.0


def test_a_typed_fee_wins_over_charges(inputs: estimator.Inputs) -> None:
    contracts = inputs.contracts.copy()
    contracts.loc[contracts["contract_id"] == "kindling-lambda", "monthly_fee"] = 50000.0
    out = estimator.estimate(dataclasses.replace(inputs, contracts=contracts)).credits
    row = out[out["contract_id"] == "kindling-lambda"].iloc[0]
    assert (row["fee_source"], row["monthly_fee"], row["credit_amount"]) == (
        "contract",
        50000.0,
        5000.0,
    )


def test_an_account_takes_only_its_own_charges_and_no_account_takes_every_account(
    inputs: estimator.Inputs,
) -> None:
    extra = pd.DataFrame(
        [{"provider": "aws", "service": "lambda", "region": "us-east-1", "month": "2021-12",
          "account": "999", "currency": "USD", "charges": 30000.0, "credits_received": 0.0}]
    )  # fmt: skip
    charges = pd.concat([inputs.charges, extra], ignore_index=True)
    with_account = estimator.estimate(dataclasses.replace(inputs, charges=charges)).credits
    contracts = inputs.contracts.copy()
    contracts.loc[contracts["contract_id"] == "kindling-lambda", "account"] = np.nan
    every = estimator.estimate(dataclasses.replace(inputs, charges=charges, contracts=contracts))
    fee = {
        "own account": with_account.set_index("contract_id").loc["kindling-lambda", "monthly_fee"],
        "every account": every.credits.set_index("contract_id").loc[
            "kindling-lambda", "monthly_fee"
        ],
    }
    assert fee == {"own account": 120000.0, "every account": 150000.0}


def test_a_credited_month_with_neither_fee_nor_charges_is_an_input_error(
    inputs: estimator.Inputs,
) -> None:
    charges = inputs.charges[inputs.charges["service"] != "lambda"].reset_index(drop=True)
    with pytest.raises(estimator.InputError) as err:
        estimator.estimate(dataclasses.replace(inputs, charges=charges))
    (issue,) = err.value.issues
    assert (issue.source, issue.column) == ("contracts", "monthly_fee")
    row = inputs.contracts.index[inputs.contracts["contract_id"] == "kindling-lambda"][0] + 2
    assert issue.row == row
    assert "kindling-lambda" in issue.message and "2021-12" in issue.message


def test_bad_charges_and_claim_log_rows_are_all_reported(inputs: estimator.Inputs) -> None:
    frames = inputs.to_frames()
    charges = frames["charges"].copy()
    charges.loc[1, "charges"] = -5  # negative
    charges.loc[2, "currency"] = "EUR"  # kindling reports in USD
    charges = pd.concat([charges, charges.iloc[[3]]], ignore_index=True)  # given twice
    log = frames["claim_log"].copy()
    log = pd.concat([log, log.iloc[[0]]], ignore_index=True)  # logged twice
    log.loc[1, "status"] = "won"
    log.loc[3, "amount_approved"] = 5  # status filed: no approved amount
    contracts = frames["contracts"].copy()
    wild = contracts.index[contracts["contract_id"] == "kindling-ddb"][0]
    contracts.loc[wild, "region"] = "*"  # a wildcard never takes charges
    with pytest.raises(estimator.InputError) as err:
        estimator.Inputs.from_frames(
            **{**frames, "charges": charges, "claim_log": log, "contracts": contracts}
        )
    found = {(i.source, i.row, i.column) for i in err.value.issues}
    assert ("charges", 3, "charges") in found  # rows as the user sees them: header is row 1
    assert ("charges", 4, "currency") in found
    assert ("charges", len(charges) + 1, "month") in found
    assert ("claim_log", len(log) + 1, "month") in found
    assert ("claim_log", 3, "status") in found
    assert ("claim_log", 5, "amount_approved") in found
    assert ("contracts", wild + 2, "monthly_fee") in found
    twice = next(i for i in err.value.issues if i.source == "charges" and i.column == "month")
    assert "first on row 5" in twice.message


def test_a_claim_for_a_month_with_no_credit_is_an_input_error(inputs: estimator.Inputs) -> None:
    log = pd.DataFrame(
        [
            {
                "contract_id": "blue-air-ec2",
                "month": "2021-12",
                "filed_on": "2022-01-05",
                "status": "filed",
            }
        ]
    )
    bad = dataclasses.replace(
        inputs, claim_log=estimator.Inputs.from_frames(**_frames(inputs, claim_log=log)).claim_log
    )
    with pytest.raises(estimator.InputError) as err:
        estimator.estimate(bad)
    (issue,) = err.value.issues
    assert (issue.source, issue.row, issue.column) == ("claim_log", 2, "month")
    assert "blue-air-ec2" in issue.message


def test_claim_statuses_late_filing_and_the_summary_split(results: estimator.Results) -> None:
    c = results.credits.set_index("contract_id")
    assert c.loc["kindling-lambda", "claim_status"] == "paid"
    assert c.loc["streamflix-ddb", "claim_status"] == "filed"
    assert c.loc["kindling-ddb", "claim_status"] == "expired"
    assert bool(c.loc["paywave-ec2", "filed_late"]) and not bool(
        c.loc["streamflix-s3", "filed_late"]
    )
    s = results.summary.set_index("company_id")
    provider = results.credits[results.credits["kind"] == "provider"]
    for company, row in s.iterrows():
        mine = provider[provider["company_id"] == company]
        paid = mine.loc[mine["claim_status"] == "paid", "credit_amount"].sum()
        total = row["credits_receivable_open"] + row["credits_lost"] + paid
        assert round(total, 2) == row["credits_receivable"], company
    assert s.loc["kindling", "credits_lost"] == 8500.0  # ddb: not claimed by the deadline
    assert s.loc["paywave", "credits_lost"] == 60000.0  # ddb expired, ec2 rejected
    assert s.loc["streamflix", "credits_receivable_open"] == 90000.0  # ddb filed, pending
    drafts = results.claims()
    assert set(drafts.loc[drafts["claim_status"] == "paid", "contract_id"]) == {
        "kindling-lambda",
        "streamflix-s3",
    }


def test_a_claim_filed_after_the_valuation_date_has_not_happened_yet(
    inputs: estimator.Inputs,
) -> None:
    early = estimator.estimate(inputs, as_of="2022-01-05T00:00:00Z").credits.set_index(
        "contract_id"
    )
    assert early.loc["kindling-lambda", "claim_status"].startswith("open (")


def test_the_reconciliation_shows_every_owed_credit_as_claimed_pending_received_or_lost(
    results: estimator.Results,
) -> None:
    r = results.reconciliation().set_index(["company_id", "service"])
    provider = results.credits[
        (results.credits["kind"] == "provider") & (results.credits["credit_amount"] > 0)
    ]
    assert len(r) == len(provider)
    assert r["credit_owed"].sum() == provider["credit_amount"].sum()
    assert r.loc[("kindling", "lambda"), "reason"] == "received in full"
    assert r.loc[("kindling", "api-gateway"), ["received", "outstanding", "reason"]].tolist() == [
        5000.0, 1000.0, "received less than owed"]  # fmt: skip
    assert r.loc[("kindling", "dynamodb"), "reason"] == "lost: not claimed by the deadline"
    assert r.loc[("paywave", "ec2"), "reason"] == "lost: rejected"
    assert r.loc[("streamflix", "dynamodb"), "reason"] == "claim pending"
    assert r.loc[("streamflix", "s3"), "reason"] == "received in full"
    assert (r["outstanding"] == (r["credit_owed"] - r["received"]).round(2)).all()
    known = {"received in full", "received less than owed", "claim pending", "lost: rejected",
             "lost: not claimed by the deadline", "not claimed", "approved, not yet received"}  # fmt: skip
    assert set(r["reason"]) <= known


def test_received_credits_are_applied_oldest_month_first() -> None:
    from estimator.results.reconciliation import _applied_oldest_first

    owed = pd.DataFrame(
        {"company_id": ["a"] * 3, "provider": ["aws"] * 3, "account": [""] * 3,
         "service": ["ec2"] * 3, "region": ["r"] * 3, "credit_owed": [100.0, 50.0, 30.0]}
    )  # fmt: skip
    assert _applied_oldest_first(owed, np.full(3, 120.0)).tolist() == [100.0, 20.0, 0.0]
    assert _applied_oldest_first(owed, np.full(3, 200.0)).tolist() == [100.0, 50.0, 50.0]


def test_charges_with_more_decimals_than_the_currency_are_an_error(
    inputs: estimator.Inputs,
) -> None:
    frames = inputs.to_frames()
    charges = frames["charges"].astype(object)
    charges.loc[1, "charges"] = "60000.005"
    with pytest.raises(estimator.InputError) as err:
        estimator.Inputs.from_frames(**{**frames, "charges": charges})
    (issue,) = err.value.issues
    assert (issue.source, issue.row, issue.column, issue.value) == (
        "charges",
        3,
        "charges",
        "60000.005",
    )
    assert "at most 2 decimal places" in issue.message


def test_credits_on_a_bill_after_the_valuation_date_are_not_yet_received(
    inputs: estimator.Inputs,
) -> None:
    january = estimator.estimate(inputs, as_of="2022-01-31T00:00:00Z").reconciliation()
    march = estimator.estimate(inputs, as_of="2022-03-01T00:00:00Z").reconciliation()
    lam = {t: r.set_index("service").loc["lambda"] for t, r in (("jan", january), ("mar", march))}
    assert (
        lam["jan"]["received"] == 0.0
        and lam["jan"]["reason"] == "paid per the claim log, not in the billing export"
    )
    assert lam["mar"]["received"] == 12000.0 and lam["mar"]["reason"] == "received in full"
