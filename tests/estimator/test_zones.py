"""Zones (issue 25, part 2): a zone window hits only contracts in that zone (blank zones:
counted, with a review reason); a region-level SLA defined as "every zone unavailable at once"
counts the minutes when all the zones a contract names are down together."""

from __future__ import annotations

import pandas as pd
import pytest

import estimator
from tests.conftest import company, make_inputs, provider_contract, window

AS_OF = "2026-04-01T00:00:00Z"


def zone_window(outage_id: str, zone: str, start: str, end: str) -> dict[str, object]:
    return {
        **window(start, end, outage_id=outage_id, service="ec2", region="me-central-1"),
        "scope": "zone",
        "zone": zone,
    }


# two zones of me-central-1 down on 1 March 2026: az2 10:00-16:00, az3 12:00-20:00
AZ2 = zone_window("az2", "mec1-az2", "2026-03-01T10:00:00Z", "2026-03-01T16:00:00Z")
AZ3 = zone_window("az3", "mec1-az3", "2026-03-01T12:00:00Z", "2026-03-01T20:00:00Z")


def ec2(contract_id: str, sla: str, zones: str | None, fee: float = 10_000) -> dict[str, object]:
    row = provider_contract(contract_id, sla=sla, service="ec2", region="me-central-1", fee=fee)
    return row | ({"zones": zones} if zones is not None else {})


def results(*contracts: dict[str, object]) -> estimator.Results:
    return estimator.estimate(make_inputs([AZ2, AZ3], [company()], list(contracts)), as_of=AS_OF)


def test_two_zones_down_together_credit_the_region_level_sla() -> None:
    """4 hours with both named zones down, in March (44,640 minutes): uptime 99.46 %, below
    99.99 (10 %) and not below 99.0: 10 % of 10,000 = 1,000 (METHODOLOGY §3)."""
    r = results(ec2("region", "aws/ec2-region", "mec1-az2|mec1-az3"))
    row = r.credits.set_index("contract_id").loc["region"]
    assert row["downtime_minutes"] == 240.0
    assert row["uptime_pct"] == pytest.approx(100 * (1 - 240 / 44_640))
    assert row["credit_amount"] == 1000.0


def test_a_region_level_sla_naming_one_zone_or_none_gets_nothing_from_zone_windows() -> None:
    r = results(
        ec2("one-zone", "aws/ec2-region", "mec1-az2"),
        ec2("no-zones", "aws/ec2-region", None),
    )
    credits = r.credits.set_index("contract_id")["credit_amount"]
    assert (credits == 0).all()  # a single-zone failure never counts for the region SLA


def test_an_instance_in_a_zone_that_stayed_up_is_never_credited() -> None:
    r = results(
        ec2("vm-az1", "aws/ec2-instance", "mec1-az1", fee=1000),
        ec2("vm-az2", "aws/ec2-instance", "mec1-az2", fee=1000),
        ec2("vm-unknown", "aws/ec2-instance", None, fee=1000),
    )
    c = r.credits.set_index("contract_id")
    assert "vm-az1" not in c.index  # no window reaches it: no row, no loss
    assert (
        c.loc["vm-az2", "downtime_minutes"] == 360.0 and c.loc["vm-az2", "credit_amount"] == 100.0
    )
    assert c.loc["vm-az2", "needs_review"] == bool(c.loc["vm-az2", "review_reason"])
    assert "names no zones" not in c.loc["vm-az2", "review_reason"]
    # blank zones: both zone windows count (counted, not dropped), and the row says so
    assert c.loc["vm-unknown", "downtime_minutes"] == 600.0
    assert c.loc["vm-unknown", "needs_review"]
    assert "names no zones" in c.loc["vm-unknown", "review_reason"]
    assert "mec1-az2" in c.loc["vm-unknown", "review_reason"]


def test_zone_windows_reach_losses_only_in_named_zones() -> None:
    shares = {"revenue_share": 1.0}
    r = results(ec2("vm-az1", "aws/ec2-instance", "mec1-az1") | shares)
    assert r.losses.empty or (r.losses["total_loss"] == 0).all()
    r = results(ec2("vm-az3", "aws/ec2-instance", "mec1-az3") | shares)
    assert r.losses["impacted_minutes"].sum() == 480.0


@pytest.mark.parametrize(
    ("zones", "expected"),
    [
        ("use1-az1", "use1-az1 is a zone of us-east-1, not of this contract's region me-central-1"),
        ("mec1-az2|bogus", "'bogus' is not an AWS zone id"),
    ],
)
def test_a_zone_of_another_region_is_an_input_error(zones: str, expected: str) -> None:
    with pytest.raises(estimator.InputError) as info:
        make_inputs([AZ2], [company()], [ec2("vm", "aws/ec2-instance", zones)])
    (issue,) = info.value.issues
    assert issue.column == "zones" and issue.row == 2 and expected in issue.message


def test_zones_on_a_template_without_a_zone_notion_get_a_note() -> None:
    row = provider_contract("s3", sla="aws/s3-standard", service="s3", region="me-central-1")
    inputs = make_inputs([AZ2], [company()], [row | {"zones": "mec1-az2"}])
    assert any("column zones" in n and "aws/s3-standard" in n for n in inputs.notes)
    assert isinstance(inputs.contracts["zones"], pd.Series)
