"""SLA credits through estimate() (DESIGN §4.4-4.5): the cases of issue 4, computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import estimator
from tests.conftest import company, make_inputs, provider_contract, window

AS_OF = "2030-01-01T00:00:00Z"


def credits(inputs: estimator.Inputs) -> pd.DataFrame:
    return estimator.estimate(inputs, as_of=AS_OF).credits


def one(inputs: estimator.Inputs) -> pd.Series:
    out = credits(inputs)
    assert len(out) == 1, out
    return out.iloc[0]


def test_a_window_spanning_a_month_end_is_split() -> None:
    inputs = make_inputs(
        [window("2022-01-31T23:00:00Z", "2022-02-01T01:00:00Z")], [company()], [provider_contract()]
    )
    out = credits(inputs).set_index("month")
    assert out.loc["2022-01", "downtime_minutes"] == 60.0
    assert out.loc["2022-02", "downtime_minutes"] == 60.0
    assert out.loc["2022-01", "minutes_in_month"] == 31 * 1440
    assert out.loc["2022-02", "minutes_in_month"] == 28 * 1440


def test_overlapping_and_duplicate_windows_count_once() -> None:
    """[10:00, 12:00) and [11:00, 13:00) plus a duplicate: 180 minutes, not 300."""
    w1 = window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")
    w2 = window("2022-03-10T11:00:00Z", "2022-03-10T13:00:00Z", outage_id="o2")
    row = one(make_inputs([w1, w2, w1], [company()], [provider_contract()]))
    assert row.downtime_minutes == 180.0


def test_uptime_and_tier() -> None:
    """March: 44,640 min; 180 min down -> 99.5968 %: below 99.9 (10 %) not below 99 -> 100.00."""
    inputs = make_inputs(
        [window("2022-03-10T10:00:00Z", "2022-03-10T13:00:00Z")],
        [company()],
        [provider_contract(fee=1000)],
    )
    row = one(inputs)
    assert row.uptime_pct == pytest.approx(100 * (44640 - 180) / 44640)
    assert (row.credit_pct, row.credit_amount) == (10.0, 100.0)


@pytest.mark.parametrize(("seconds", "counted"), [(59, 0.0), (60, 1.0)])
def test_minimum_downtime_period_59_and_60_seconds(seconds: int, counted: float) -> None:
    """gcp/cloud-run counts only Downtime Periods of one minute or more."""
    end = pd.Timestamp("2022-03-10T10:00:00Z") + pd.Timedelta(seconds=seconds)
    inputs = make_inputs(
        [
            window(
                "2022-03-10T10:00:00Z",
                end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                provider="gcp",
                region="us-central1",
                service="cloud-run",
            )
        ],
        [company()],
        [
            provider_contract(
                sla="gcp/cloud-run",
                tiers=None,
                region="us-central1",
                service="cloud-run",
                provider="gcp",
            )
        ],
    )
    assert one(inputs).downtime_minutes == counted


def test_minimum_period_applies_to_runs_across_windows() -> None:
    """Two touching 40 s windows make one 80 s run: it counts under a 60 s minimum."""
    inputs = make_inputs(
        [
            window(
                "2022-03-10T10:00:00Z", "2022-03-10T10:00:40Z", provider="gcp", service="cloud-run"
            ),
            window(
                "2022-03-10T10:00:40Z",
                "2022-03-10T10:01:20Z",
                provider="gcp",
                service="cloud-run",
                outage_id="o2",
            ),
        ],
        [company()],
        [provider_contract(sla="gcp/cloud-run", tiers=None, service="cloud-run", provider="gcp")],
    )
    assert one(inputs).downtime_minutes == pytest.approx(80 / 60)


def test_exclusion_covering_the_window_fully_and_partly() -> None:
    w = [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")]
    full = make_inputs(
        w,
        [company()],
        [provider_contract()],
        exclusions=[
            {"contract_id": "c1", "start": "2022-03-10T09:00:00Z", "end": "2022-03-10T13:00:00Z"}
        ],
    )
    part = make_inputs(
        w,
        [company()],
        [provider_contract()],
        exclusions=[
            {"contract_id": "c1", "start": "2022-03-10T11:30:00Z", "end": "2022-03-10T13:00:00Z"}
        ],
    )
    assert one(full).downtime_minutes == 0.0
    assert one(full).credit_amount == 0.0
    assert one(part).downtime_minutes == 90.0


def test_exclusions_do_not_remove_lost_revenue() -> None:
    w = [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")]
    inputs = make_inputs(
        w,
        [company()],
        [provider_contract()],
        exclusions=[
            {"contract_id": "c1", "start": "2022-03-10T09:00:00Z", "end": "2022-03-10T13:00:00Z"}
        ],
    )
    assert estimator.estimate(inputs, as_of=AS_OF).losses["gross_lost_revenue"].sum() == 7200


def test_cap_binds() -> None:
    """azure/storage-hot is capped at 25 %; contract tiers asking 50 % are capped."""
    inputs = make_inputs(
        [
            window(
                "2026-10-10T00:00:00Z", "2026-10-12T00:00:00Z", provider="azure", service="storage"
            )
        ],
        [company()],
        [
            provider_contract(
                sla="azure/storage-hot", tiers=None, provider="azure", service="storage", fee=1000
            )
        ],
    )
    frame = inputs.contracts.copy()
    frame["tiers"] = "99.9:10, 99:50"
    overridden = estimator.Inputs.from_frames(
        inputs.to_frames()["outages"], inputs.to_frames()["companies"], _text(frame)
    )
    row = one(overridden)
    assert row.credit_pct == 50.0
    assert row.credit_amount == 250.0


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


@pytest.mark.parametrize(("fee", "credit"), [(10.00, 0.0), (10.10, 1.01), (10.01, 0.0)])
def test_aws_minimum_credit_is_greater_than_one_dollar(fee: float, credit: float) -> None:
    """AWS issues a credit only if it is greater than USD 1: 10 % of 10.00 = 1.00 is not issued;
    10 % of 10.10 = 1.01 is; 10 % of 10.01 = 1.001 rounds to 1.00, not issued."""
    inputs = make_inputs(
        [window("2023-12-05T00:00:00Z", "2023-12-05T03:00:00Z", service="s3")],
        [company()],
        [provider_contract(sla="aws/s3-standard", tiers=None, service="s3", fee=fee)],
    )
    assert one(inputs).credit_amount == credit


def test_minimum_credit_in_another_currency_is_not_applied_and_flagged() -> None:
    inputs = make_inputs(
        [window("2023-12-05T00:00:00Z", "2023-12-05T03:00:00Z", service="s3")],
        [company(currency="EUR")],
        [provider_contract(sla="aws/s3-standard", tiers=None, service="s3", fee=10)],
    )
    row = one(inputs)
    assert row.credit_amount == 1.0
    assert row.needs_review
    assert "minimum credit of USD 1 was not applied" in row.review_reason


@pytest.mark.parametrize(
    ("start", "sla", "service", "deadline"),
    [
        ("2021-12-07T15:30:00Z", "aws/ec2-region", "ec2", "2022-02-28"),
        ("2023-12-07T15:30:00Z", "aws/ec2-region", "ec2", "2024-02-29"),
        ("2022-11-30T23:00:00Z", "aws/ec2-region", "ec2", "2023-01-31"),
        ("2026-10-07T15:30:00Z", "azure/sql-database", "sql-database", "2026-12-31"),
        ("2021-12-07T15:30:00Z", "gcp/cloud-run", "cloud-run", "2022-01-30"),
        # the 2021-04-12 version (in force in Dec 2021): 30 days; the later page: 60 days
        (
            "2021-12-07T15:30:00Z",
            "gcp/compute-engine-single-instance",
            "compute-engine",
            "2022-01-30",
        ),
        (
            "2023-12-07T15:30:00Z",
            "gcp/compute-engine-single-instance",
            "compute-engine",
            "2024-02-29",
        ),
        ("2021-12-10T15:30:00Z", "cloudflare/business", "application-services", "2021-12-17"),
    ],
)
def test_claim_deadlines(start: str, sla: str, service: str, deadline: str) -> None:
    """AWS and Azure: the end of the second month after the incident's month; Google: 30 (or
    60) days from the end of the month; Cloudflare: 5 business days after the first incident."""
    end = (pd.Timestamp(start) + pd.Timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    provider = sla.split("/")[0]
    inputs = make_inputs(
        [window(start, end, provider=provider, service=service)],
        [company()],
        [provider_contract(sla=sla, tiers=None, provider=provider, service=service)],
    )
    assert one(inputs).claim_deadline == pd.Timestamp(deadline)


def test_version_in_force_at_the_incident() -> None:
    """7 Dec 2021 falls under the EC2 terms before their May 2022 revision."""

    def version(start: str) -> str:
        end = (pd.Timestamp(start) + pd.Timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        inputs = make_inputs(
            [window(start, end)], [company()], [provider_contract(sla="aws/ec2-region", tiers=None)]
        )
        return str(one(inputs).sla_version)

    assert version("2021-12-07T15:30:00Z") == "aws/ec2-region@2020-07-22"
    assert version("2022-06-01T00:00:00Z") == "aws/ec2-region@2022-05-05"


def test_a_template_that_did_not_exist_yet_gives_no_credit_and_says_why() -> None:
    inputs = make_inputs(
        [window("2021-12-07T15:30:00Z", "2021-12-08T15:30:00Z")],
        [company()],
        [provider_contract(sla="aws/ec2-instance", tiers=None)],
    )
    row = one(inputs)
    assert pd.isna(row.credit_amount)
    assert row.needs_review
    assert "did not exist on 2021-12-07" in row.review_reason


def test_unverified_terms_are_flagged_never_silently_used() -> None:
    inputs = make_inputs(
        [window("2021-12-07T15:30:00Z", "2021-12-07T16:30:00Z")],
        [company()],
        [provider_contract(sla="aws/ec2-region", tiers=None)],
    )
    row = one(inputs)
    assert row.needs_review and row.review_reason.startswith("terms not verified")


def test_verified_terms_in_force_need_no_review() -> None:
    inputs = make_inputs(
        [window("2022-06-07T15:30:00Z", "2022-06-07T16:30:00Z")],
        [company()],
        [provider_contract(sla="aws/ec2-region", tiers=None)],
    )
    row = one(inputs)
    assert not row.needs_review and row.review_reason == ""


def test_contract_columns_override_template_fields() -> None:
    """aws/ec2-region counts a minute only at impact 1; the contract lowers it to 0.5,
    and another contract measures the same SLA by error rate."""
    w = [window("2022-06-07T10:00:00Z", "2022-06-07T12:00:00Z", 0.5)]
    base = provider_contract(sla="aws/ec2-region", tiers=None)
    plain = make_inputs(w, [company()], [base])
    threshold = make_inputs(w, [company()], [{**base, "downtime_threshold": 0.5}])
    metric = make_inputs(w, [company()], [{**base, "metric": "error_rate"}])
    tiers = make_inputs(w, [company()], [{**base, "downtime_threshold": 0.5, "tiers": "99.9:15"}])
    assert one(plain).downtime_minutes == 0.0
    assert one(threshold).downtime_minutes == 120.0
    assert one(metric).downtime_minutes == 60.0
    assert one(tiers).credit_pct == 15.0
    # every override shows in the label of the terms (issue 11)
    assert one(plain).sla_version == "aws/ec2-region@2022-05-05"
    assert one(threshold).sla_version == "aws/ec2-region@2022-05-05 [contract: threshold 0.5]"
    assert one(metric).sla_version == "aws/ec2-region@2022-05-05 [contract: metric error_rate]"
    assert (
        one(tiers).sla_version
        == "aws/ec2-region@2022-05-05 [contract: tiers 99.9:15; threshold 0.5]"
    )
    scopes = make_inputs(w, [company()], [{**base, "scopes": "zone, region"}])
    assert one(scopes).sla_version == "aws/ec2-region@2022-05-05 [contract: scopes region, zone]"


def test_error_rate_metric_weights_minutes_by_impact() -> None:
    row = one(
        make_inputs(
            [window("2022-03-10T10:00:00Z", "2022-03-10T14:00:00Z", 0.25)],
            [company()],
            [provider_contract(metric="error_rate")],
        )
    )
    assert row.downtime_minutes == 60.0
    assert row.uptime_pct == pytest.approx(100 * (44640 - 60) / 44640)


def test_provider_credits_ignore_failover_customer_credits_use_it() -> None:
    """Failover after 30 min removes all impact: the provider still failed for 2 h; the company's
    own customers saw 30 min."""
    inputs = make_inputs(
        [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")],
        [company()],
        [
            provider_contract(failover_minutes=30, failover_share=1.0),
            {
                "contract_id": "sold",
                "company_id": "acme",
                "kind": "customer",
                "sla": "custom",
                "tiers": "99.99:10",
                "monthly_fee": 500,
            },
        ],
    )
    out = credits(inputs).set_index("contract_id")
    assert out.loc["c1", "downtime_minutes"] == 120.0
    assert out.loc["sold", "downtime_minutes"] == 30.0
    assert out.loc["sold", "kind"] == "customer"
    summary = estimator.estimate(inputs, as_of=AS_OF).summary.iloc[0]
    assert summary.credits_receivable == 100.0 and summary.credits_payable == 50.0


def test_a_service_carrying_no_revenue_does_not_take_the_company_down() -> None:
    inputs = make_inputs(
        [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z", service="*")],
        [company()],
        [
            provider_contract("carrier", share=0.0),
            {
                "contract_id": "sold",
                "company_id": "acme",
                "kind": "customer",
                "sla": "custom",
                "tiers": "99.99:10",
                "monthly_fee": 500,
            },
        ],
    )
    out = credits(inputs)
    assert "sold" not in set(out["contract_id"])


def test_sample_scenario_credits(sample_results: estimator.Results) -> None:
    out = sample_results.credits.set_index("contract_id")
    # Dec 2021 claims are due by the end of February 2022 (AWS)
    assert out.loc["streamflix-s3", "claim_deadline"] == pd.Timestamp("2022-02-28")
    assert out.loc["streamflix-ec2", "sla_version"] == "aws/ec2-region@2020-07-22"
    assert out.loc["ledgerly-customers", "kind"] == "customer"
    assert out.loc["ledgerly-customers", "credit_amount"] > 0
    assert out["needs_review"].any()
