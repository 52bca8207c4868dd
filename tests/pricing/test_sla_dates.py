"""SLA start dates, dated versions and strict thresholds from the research notes (issue 11)."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pandas as pd
import pytest

import estimator
from pricing.catalog import _resolve, load_catalog
from tests.conftest import ROOT, company, make_inputs, provider_contract, window

AS_OF = "2030-01-01T00:00:00Z"


def row(start: str, end: str, sla: str, impact: float = 1.0, **kw: Any) -> pd.Series:
    provider = sla.split("/")[0]
    service = kw.pop("service", load_catalog().versions(sla)[0].service)  # the template's own
    inputs = make_inputs(
        [window(start, end, impact, provider=provider, service=service)],
        [company()],
        [provider_contract(sla=sla, tiers=None, provider=provider, service=service, **kw)],
    )
    results = estimator.estimate(inputs, as_of=AS_OF)
    out = results.credits.iloc[0]
    out["terms"] = results.terms.set_index("sla_version").loc[out["sla_version"]]
    return out


def test_an_sla_before_it_existed_owes_nothing_and_says_why() -> None:
    """The catalog portfolio's api-lambda earned a February 2017 credit before Lambda had an SLA."""
    r = row("2017-02-28T17:37:00Z", "2017-02-28T21:54:00Z", "aws/lambda", service="lambda")
    assert pd.isna(r["credit_amount"]) and pd.isna(r["credit_pct"])
    assert (
        "aws/lambda did not exist on 2017-02-28: it was introduced on 2018-10-17"
        in (r["review_reason"])
    )
    assert r["claim_status"] == ""  # nothing to claim
    assert r["terms"]["introduced"] == dt.date(2018, 10, 17)
    assert "classmethod" in r["terms"]["introduced_source"]
    later = row("2019-03-01T10:00:00Z", "2019-03-01T14:00:00Z", "aws/lambda", service="lambda")
    assert later["credit_amount"] > 0


def test_catalog_portfolio_lambda_2017_gets_no_credit() -> None:
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    c = estimator.estimate(inputs, as_of="2026-12-01T00:00:00Z").credits
    feb = c[(c["contract_id"] == "api-lambda") & (c["month"] == "2017-02")].iloc[0]
    assert pd.isna(feb["credit_amount"]) and "did not exist" in feb["review_reason"]


def test_google_compute_engine_version_in_force_in_december_2021_and_later() -> None:
    dec = row("2021-12-07T10:00:00Z", "2021-12-07T22:00:00Z", "gcp/compute-engine-single-instance")
    assert dec["sla_version"] == "gcp/compute-engine-single-instance@2021-04-12"
    assert dec["terms"]["tiers"] == "99.5:10, 99:25, 95:50"  # the 2021 SLO of 99.5
    assert "is known to be in force until" not in dec["review_reason"]
    later = row(
        "2023-03-07T10:00:00Z", "2023-03-07T22:00:00Z", "gcp/compute-engine-single-instance"
    )
    assert later["sla_version"].endswith("@current page (date unknown)")
    assert "2021-04-12 is known to be in force until 2021-12-31" in later["review_reason"]
    assert "'current page (date unknown)' is in force is not known" in later["review_reason"]


def test_cloud_storage_terms_are_dated() -> None:
    r = row("2021-12-07T10:00:00Z", "2021-12-07T12:00:00Z", "gcp/cloud-storage-standard-regional")
    assert r["sla_version"] == "gcp/cloud-storage-standard-regional@2019-08-19"
    assert "is in force is not known" not in r["review_reason"]


@pytest.mark.parametrize(("impact", "minutes"), [(0.05, 0.0), (0.050001, 720.0), (1.0, 720.0)])
def test_bigquery_downtime_is_an_error_rate_above_five_percent(
    impact: float, minutes: float
) -> None:
    """'Downtime: more than 5 % error rate' is strict: exactly 5 % is not down."""
    r = row("2021-12-07T10:00:00Z", "2021-12-07T22:00:00Z", "gcp/bigquery", impact=impact)
    assert r["downtime_minutes"] == minutes
    assert r["terms"]["threshold_rule"] == "above" and r["terms"]["downtime_threshold"] == "0.05"


def _load(text: str) -> list[Any]:
    return _resolve("test.toml", tomllib.loads(text))


BASE = """
[[template]]
id = "x/y"
provider = "x"
service = "y"
name = "test"
metric = "downtime"
downtime_threshold = "1"
min_downtime_seconds = 0
measurement = "m"
credit_method = "tiers"
claim_rule = "none"
credit_base = "b"
source = "s"
evidence = "e"
verified = true
scopes = ["region"]
"""


def test_the_loader_takes_a_later_undated_version_only_after_a_confirmed_one() -> None:
    ok = (
        BASE
        + """
  [[template.version]]
  version = "a"
  effective_from = 2021-01-01
  confirmed_until = 2021-12-31
  tiers = "99:10"
  [[template.version]]
  version = "b"
  tiers = "99:20"
"""
    )
    assert [v.version for v in _load(ok)] == ["a", "b"]
    bad = ok.replace("  confirmed_until = 2021-12-31\n", "")
    with pytest.raises(ValueError, match="may lack a date"):
        _load(bad)


def test_the_loader_refuses_a_version_in_force_before_its_sla_existed() -> None:
    text = BASE.replace('scopes = ["region"]', 'scopes = ["region"]\nintroduced = 2022-01-01') + (
        """
  [[template.version]]
  version = "a"
  effective_from = 2021-01-01
  tiers = "99:10"
"""
    )
    with pytest.raises(ValueError, match="before it was introduced"):
        _load(text)


def test_every_introduction_date_has_its_source() -> None:
    catalog = load_catalog()
    for tid in catalog.ids:
        v = catalog.versions(tid)[0]
        assert (v.introduced is None) == (v.introduced_source == ""), tid


def test_a_google_threshold_not_found_leaves_a_partial_outage_unknown_not_zero() -> None:
    """Cloud Storage: the error-rate threshold was not found in Google's text. A 30 % error
    rate for 12 hours: at the assumed threshold 1 nothing is down, so the credit is unknown
    (blank, flagged), not 0; with the contract's own threshold it is priced."""
    start, end = "2029-03-10T00:00:00Z", "2029-03-10T12:00:00Z"
    sla = "gcp/cloud-storage-standard-regional"
    unknown = row(start, end, sla, impact=0.3)
    assert pd.isna(unknown["credit_amount"]) and unknown["needs_review"]
    assert (
        "downtime threshold of gcp/cloud-storage-standard-regional was not found"
        in (unknown["review_reason"])
    )
    own = row(start, end, sla, impact=0.3, downtime_threshold=0.05)
    assert own["credit_amount"] > 0 and "was not found" not in own["review_reason"]
    full = row(start, end, sla, impact=1.0)  # down under any threshold: priced, still flagged
    assert full["credit_amount"] > 0 and "was not found" in full["review_reason"]
