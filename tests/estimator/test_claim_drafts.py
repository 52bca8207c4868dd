"""Claims desk (issue 25, parts 3 and 4): claim rules belong to the provider, and drafts a
provider would accept (per service where it asks, each draft with its own lines' deadline and
status, account, resources and incident ids; no internal labels)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import estimator
from estimator.reports.claims_pack import draft, pack_files
from estimator.results.claims import claim_pack
from tests.conftest import company, make_inputs, provider_contract, window

JUNE = window("2029-06-04T10:00:00Z", "2029-06-04T20:00:00Z", service="*", region="*")


def gcp(contract_id: str, sla: str, service: str, **extra: object) -> dict[str, object]:
    row = provider_contract(contract_id, sla=sla, service=service, fee=10_000, **extra)
    return {**row, "provider": "gcp", "region": "europe-west9"}


def gcp_window(start: str, end: str) -> dict[str, object]:
    return {**window(start, end, service="*"), "provider": "gcp", "region": "europe-west9"}


def test_custom_tiers_take_their_providers_claim_rules() -> None:
    contracts = [
        provider_contract("aws-own", service="ec2"),  # custom tiers
        provider_contract("aws-template", sla="aws/s3-standard", service="s3", fee=1000),
    ]
    r = estimator.estimate(
        make_inputs([JUNE], [company()], contracts), as_of="2029-07-01T00:00:00Z"
    )
    own = r.credits.set_index("contract_id").loc["aws-own"]
    # AWS: received by the end of the second billing cycle after the incident (June -> August)
    assert own["claim_deadline"] == pd.Timestamp("2029-08-31")
    assert own["claim_status"].startswith("open (")
    assert "(aws claim rules)" in own["sla_version"]
    terms = r.terms.set_index("sla_version").loc[own["sla_version"]]
    assert not terms["verified"] and "typed by the user" in terms["source"]
    assert "AWS Support Center" in terms["claim_how"]
    claims = r.claims()
    assert set(claims["provider"]) == {"aws"} and len(claims) == 2  # both counted, both AWS
    (only,) = claim_pack(r)  # one draft: AWS takes one claim per account and month
    assert only.requirements is not None and "SLA Credit Request" in only.requirements.claim_subject


def test_google_and_azure_drafts_are_per_service_aws_per_month() -> None:
    contracts = [
        gcp("gce", "gcp/compute-engine-multi-zone", "compute-engine"),
        gcp("gcs", "gcp/cloud-storage-standard-regional", "cloud-storage"),
        provider_contract("ec2", sla="aws/ec2-instance", service="ec2", fee=1000),
        provider_contract("s3", sla="aws/s3-standard", service="s3", fee=1000),
    ]
    outages = [JUNE, gcp_window("2029-06-04T10:00:00Z", "2029-06-04T20:00:00Z")]
    r = estimator.estimate(
        make_inputs(outages, [company()], contracts), as_of="2029-07-01T00:00:00Z"
    )
    drafts = {(c.provider, c.service) for c in claim_pack(r)}
    assert drafts == {("gcp", "compute-engine"), ("gcp", "cloud-storage"), ("aws", "")}


def test_each_draft_has_its_own_lines_deadline_and_expired_lines_move() -> None:
    """Compute Engine in 2030: multi-zone claims within 30 days of the month's end, a single
    instance within 60 (the current page): on 15 August the first is expired, the second open."""
    contracts = [
        gcp("multi", "gcp/compute-engine-multi-zone", "compute-engine"),
        gcp("single", "gcp/compute-engine-single-instance", "compute-engine"),
    ]
    outage = gcp_window("2030-06-04T10:00:00Z", "2030-06-04T20:00:00Z")
    as_of = "2030-08-15T00:00:00Z"
    r = estimator.estimate(make_inputs([outage], [company()], contracts), as_of=as_of)
    deadlines = r.credits.set_index("contract_id")["claim_deadline"]
    assert deadlines["multi"] == pd.Timestamp(dt.date(2030, 6, 30) + dt.timedelta(days=30))
    assert deadlines["single"] == pd.Timestamp(dt.date(2030, 6, 30) + dt.timedelta(days=60))
    pack = claim_pack(r)
    open_, expired = [c for c in pack if not c.expired], [c for c in pack if c.expired]
    assert [c.lines["contract_id"].tolist() for c in open_] == [["single"]]
    assert [c.lines["contract_id"].tolist() for c in expired] == [["multi"]]
    text = draft(open_[0], r)
    assert "**Claim by:** 2030-08-29 (UTC)" in text and "open (14 days left)" in text
    for claim in pack:  # a draft's status and date come from the same line
        first = claim.lines.sort_values("claim_deadline").iloc[0]
        assert claim.status == first["claim_status"]


def test_drafts_name_the_account_resources_and_incident_and_leave_out_internal_labels() -> None:
    contracts = [
        provider_contract(
            "ec2",
            sla="aws/ec2-instance",
            service="ec2",
            fee=1000,
            account="123456789012",
            resources="i-0abc123, i-0def456",
        ),
        provider_contract(
            "other-account", sla="aws/s3-standard", service="s3", account="210987654321"
        ),
    ]
    outage = {**JUNE, "incident_id": "AWS-EVT-1234"}
    r = estimator.estimate(
        make_inputs([outage], [company()], contracts), as_of="2029-07-01T00:00:00Z"
    )
    pack = claim_pack(r)
    assert sorted(c.account for c in pack) == ["123456789012", "210987654321"]
    mine = next(c for c in pack if c.account == "123456789012")
    text = draft(mine, r)
    assert "**Account:** 123456789012" in text
    assert "i-0abc123, i-0def456" in text and "AWS-EVT-1234" in text
    assert "downtime" in text.lower() and "600" in text  # 10 hours measured, in minutes
    for internal in ("aws/ec2-instance@", "needs_review", "Check before sending", "custom "):
        assert internal not in text
    index = pack_files(r)["README.md"]
    assert "ec2, terms aws/ec2-instance@" in index  # the labels stay with the analyst


def test_aws_applies_its_minimum_once_per_account_service_and_region() -> None:
    """Two EC2 instance rows of one account in us-east-1, each 60 cents of credit (10 % of a
    6.00 fee): each alone is not above AWS's USD 1 minimum, together they are (1.20), so both
    are paid. The same rows in two accounts, or alone, pay nothing."""
    outage = window("2029-06-04T10:00:00Z", "2029-06-04T15:00:00Z", service="ec2")  # 5 h

    def credits(accounts: list[str]) -> list[float]:
        contracts = [
            provider_contract(
                f"vm{i}", sla="aws/ec2-instance", service="ec2", fee=6, account=account
            )
            for i, account in enumerate(accounts)
        ]
        r = estimator.estimate(
            make_inputs([outage], [company()], contracts), as_of="2029-07-01T00:00:00Z"
        )
        assert (r.credit_steps["rounded_minor"] == 60).all()  # 10 % of 6.00, per row
        return r.credits["credit_amount"].tolist()

    assert credits(["111111111111", "111111111111"]) == [0.6, 0.6]
    assert credits(["111111111111", "222222222222"]) == [0.0, 0.0]
    assert credits(["111111111111"]) == [0.0]
