"""Review reasons sit on the rows they explain, whatever the order of the input rows (issue 11)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import estimator
from tests.conftest import company, provider_contract, window

AS_OF = "2030-01-01T00:00:00Z"
TEMPLATE_ID = re.compile(r"\b(?:aws|azure|gcp|cloudflare|fastly|oracle)/[a-z0-9.-]+")

# templates whose review state differs: verified and dated, unverified, undated, not yet in force
TEMPLATES = {
    "ec2": "aws/ec2-region",  # 2020-07-22 unverified, 2022-05-05 verified
    "lambda": "aws/lambda",  # undated, unverified
    "dynamodb": "aws/dynamodb",  # undated, verified
    "s3": "aws/s3-standard",  # dated, verified
    "ebs": "aws/ebs-volume",  # did not exist before 2022-05-31
}


def scenario(seed: int) -> dict[str, pd.DataFrame]:
    outages = pd.DataFrame(
        [
            window("2021-12-07T15:30:00Z", "2021-12-07T22:22:00Z", outage_id="dec21", service="*"),
            window("2023-06-13T18:49:00Z", "2023-06-13T22:37:00Z", outage_id="jun23", service="*"),
        ]
    )
    companies = pd.DataFrame(
        [
            company("usd-co"),
            company("jpy-co", currency="JPY"),
            company("eur-co", currency="EUR"),
        ]
    )
    rows = []
    for co in companies["company_id"]:
        for service, sla in TEMPLATES.items():
            rows.append(
                provider_contract(f"{co}-{service}", co, sla=sla, service=service, fee=10_000)
            )
        rows.append(provider_contract(f"{co}-own", co, service="*", fee=10_000))  # custom tiers
    contracts = pd.DataFrame(rows)
    rng = np.random.default_rng(seed)
    return {
        "outages": outages.iloc[rng.permutation(len(outages))],
        "companies": companies.iloc[rng.permutation(len(companies))],
        "contracts": contracts.iloc[rng.permutation(len(contracts))],
    }


def credits_of(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    inputs = estimator.Inputs.from_frames(**frames)
    return estimator.estimate(inputs, as_of=AS_OF).credits.set_index(["contract_id", "month"])


def test_each_reason_names_only_its_own_template_in_every_row_order() -> None:
    first = credits_of(scenario(0))
    assert len(first) == 3 * 6 * 2
    for (contract_id, _month), row in first.iterrows():
        named = set(TEMPLATE_ID.findall(row["review_reason"]))
        own = TEMPLATES.get(contract_id.split("-")[-1])
        assert named <= {own}, (contract_id, row["review_reason"])
        assert row["needs_review"] == (row["review_reason"] != "")
    for seed in (1, 2, 3):
        again = credits_of(scenario(seed)).loc[first.index]
        pd.testing.assert_series_equal(again["review_reason"], first["review_reason"])
        pd.testing.assert_series_equal(again["needs_review"], first["needs_review"])


def test_reasons_say_what_each_row_needs() -> None:
    c = credits_of(scenario(4))["review_reason"]
    assert c[("usd-co-ec2", "2021-12")].startswith("terms not verified")
    assert c[("usd-co-ec2", "2023-06")] == ""  # the 2022-05-05 version is verified
    assert "aws/lambda" in c[("eur-co-lambda", "2023-06")]
    assert "terms not verified" in c[("eur-co-lambda", "2023-06")]
    assert "'date unknown' is in force is not known" in c[("usd-co-dynamodb", "2021-12")]
    assert "terms not verified" not in c[("usd-co-dynamodb", "2021-12")]
    assert "did not exist on 2021-12-07" in c[("jpy-co-ebs", "2021-12")]
    assert c[("usd-co-s3", "2021-12")] == "" and c[("usd-co-own", "2021-12")] == ""
    # the row-level sentence (a USD minimum in a JPY contract) only where it applies
    assert "minimum credit of USD 1 was not applied" in c[("jpy-co-s3", "2021-12")]
    assert "minimum credit" not in c[("usd-co-s3", "2021-12")]
    assert "minimum credit" not in c[("eur-co-own", "2021-12")]


SLAS = [*TEMPLATES.values(), "custom"]


@st.composite
def random_portfolio(draw: Any) -> dict[str, pd.DataFrame]:
    n_companies = draw(st.integers(1, 4))
    currencies = draw(
        st.lists(st.sampled_from(["USD", "JPY", "EUR"]), min_size=n_companies, max_size=n_companies)
    )
    companies = pd.DataFrame([company(f"co{i}", currency=c) for i, c in enumerate(currencies)])
    contracts = []
    for i in range(draw(st.integers(1, 10))):
        sla = draw(st.sampled_from(SLAS))
        co = f"co{draw(st.integers(0, n_companies - 1))}"
        # a template takes its own service (or every service); custom terms any service
        own = [k for k, v in TEMPLATES.items() if v == sla]
        service = draw(st.sampled_from([*own, "*"] if own else ["ec2", "lambda", "*"]))
        contracts.append(provider_contract(f"k{i}", co, sla=sla, service=service, fee=5000))
    starts = draw(
        st.lists(
            st.sampled_from(["2021-12-07", "2022-06-14", "2023-06-13", "2019-03-02"]),
            min_size=1,
            max_size=3,
        )
    )
    outages = pd.DataFrame(
        [
            window(
                f"{d}T10:00:00Z",
                f"{d}T14:00:00Z",
                draw(st.sampled_from([0.3, 1.0])),
                outage_id=f"o{i}",
                service=draw(st.sampled_from(["ec2", "lambda", "*"])),
            )
            for i, d in enumerate(starts)
        ]
    )
    return {"outages": outages, "companies": companies, "contracts": pd.DataFrame(contracts)}


@given(random_portfolio(), st.randoms(use_true_random=False))
def test_review_flag_matches_reason_and_reason_ignores_row_order(
    frames: dict[str, pd.DataFrame], rnd: Any
) -> None:
    base = credits_of(frames)
    assert (base["needs_review"] == (base["review_reason"] != "")).all()
    shuffled = {}
    for name, frame in frames.items():
        order = list(range(len(frame)))
        rnd.shuffle(order)
        shuffled[name] = frame.iloc[order]
    again = credits_of(shuffled).loc[base.index]
    pd.testing.assert_series_equal(again["review_reason"], base["review_reason"])
    pd.testing.assert_series_equal(again["credit_amount"], base["credit_amount"])
