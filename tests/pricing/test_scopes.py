"""Outage scope: an SLA counts only the scopes its definition covers; losses count every scope
(issue 11)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import estimator
from pricing.catalog import load_catalog
from tests.conftest import (
    ROOT,
    SAMPLE,
    company,
    make_inputs,
    parametric_cover,
    provider_contract,
    window,
)

AS_OF = "2030-01-01T00:00:00Z"
DAY = ("2022-06-14T10:00:00Z", "2022-06-14T14:00:00Z")  # 240 minutes


def scoped(scope: str, zone: str | None = None, **kw: Any) -> dict[str, Any]:
    row = window(*DAY, **kw) | {"scope": scope}
    return row | ({"zone": zone} if zone else {})


def credits(outages: list[dict[str, Any]], contracts: list[dict[str, Any]]) -> pd.DataFrame:
    inputs = make_inputs(outages, [company()], contracts)
    return estimator.estimate(inputs, as_of=AS_OF).credits.set_index("contract_id")


def template(contract_id: str, sla: str, **kw: Any) -> dict[str, Any]:
    return provider_contract(contract_id, sla=sla, tiers=None, fee=10_000, **kw)


def test_a_region_level_sla_does_not_count_a_zone_event_an_instance_sla_does() -> None:
    c = credits(
        [scoped("zone", "use1-az4")],
        [template("region", "aws/ec2-region"), template("instance", "aws/ec2-instance")],
    )
    assert c.loc["region", "downtime_minutes"] == 0.0 and c.loc["region", "credit_amount"] == 0
    assert c.loc["region", "outside_scope"] == "o1 (zone use1-az4)"
    assert c.loc["instance", "downtime_minutes"] == 240.0
    assert c.loc["instance", "credit_amount"] == 1000.0  # 99.44 % < 99.5 -> 10 %
    assert c.loc["instance", "outside_scope"] == ""


def test_control_plane_windows_count_only_for_slas_on_management_apis() -> None:
    c = credits(
        [scoped("control_plane", service="*")],
        [
            template("ec2", "aws/ec2-region"),
            template("eks", "aws/eks", service="eks"),
            provider_contract("own", service="ec2"),  # custom: every scope
        ],
    )
    assert c.loc["ec2", "downtime_minutes"] == 0.0
    assert c.loc["ec2", "outside_scope"] == "o1 (control_plane)"
    assert c.loc["eks", "downtime_minutes"] == 240.0
    assert c.loc["own", "downtime_minutes"] == 240.0


def test_a_contract_can_say_which_scopes_count_and_its_label_says_so() -> None:
    c = credits(
        [scoped("zone", "use1-az4")],
        [
            template("widened", "aws/ec2-region", scopes="region, zone"),
            provider_contract("narrowed", service="ec2", scopes="region"),
        ],
    )
    assert c.loc["widened", "downtime_minutes"] == 240.0
    assert c.loc["widened", "sla_version"].endswith("[contract: scopes region, zone]")
    assert c.loc["narrowed", "downtime_minutes"] == 0.0
    assert "[scopes region]" in c.loc["narrowed", "sla_version"]


def test_in_scope_and_out_of_scope_windows_in_one_month() -> None:
    """A region window counts, a zone window the same day does not; both hit the row."""
    region = window("2022-06-14T10:00:00Z", "2022-06-14T11:00:00Z") | {"outage_id": "r"}
    zone = scoped("zone", "use1-az2") | {"outage_id": "z"}
    c = credits([region, zone], [template("ec2", "aws/ec2-region")])
    assert c.loc["ec2", "downtime_minutes"] == 60.0
    assert c.loc["ec2", "outside_scope"] == "z (zone use1-az2)"


def test_losses_count_every_scope_at_its_impact() -> None:
    def loss(scope: str) -> float:
        inputs = make_inputs([scoped(scope)], [company()], [provider_contract(share=0.5)])
        return float(estimator.estimate(inputs, as_of=AS_OF).losses["total_loss"].iloc[0])

    assert loss("region") == loss("zone") == loss("control_plane") == 3600 * 4 * 0.5


def test_an_insurance_cover_counts_every_scope_unless_it_says_otherwise() -> None:
    cover = parametric_cover()
    narrow = cover | {"contract_id": "region-only", "scopes": "region"}
    inputs = make_inputs([scoped("zone", "use1-az4")], [company()], [cover, narrow])
    rec = estimator.estimate(inputs, as_of=AS_OF).recoveries.set_index("contract_id")
    assert rec.loc["cover", "payout"] == 400.0
    assert "region-only" not in rec.index


def test_every_template_states_its_scopes_and_region_level_slas_count_region_only() -> None:
    catalog = load_catalog()
    for tid in catalog.ids:
        for v in catalog.versions(tid):
            assert v.scopes and set(v.scopes) <= {"region", "zone", "control_plane"}
    for tid in ("aws/ec2-region", "aws/ebs-region", "aws/ecs-region", "aws/route53"):
        assert catalog.versions(tid)[0].scopes == ("region",)
    for tid in ("aws/ec2-instance", "aws/ebs-volume", "azure/vm-single-premium-ssd"):
        assert "zone" in catalog.versions(tid)[0].scopes


def test_catalog_portfolio_pays_no_region_level_credit_for_single_zone_events() -> None:
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    zone_events = set(inputs.outages.loc[inputs.outages["scope"] == "zone", "outage_id"])
    assert {"aws-use1-az4-power-2021-12-22", "aws-use1-az4-thermal-2026-05-07"} <= zone_events
    results = estimator.estimate(inputs, as_of="2026-12-01T00:00:00Z")
    # without the zone windows, every region-only SLA row measures and pays exactly the same
    frames = inputs.to_frames()
    frames["outages"] = frames["outages"][frames["outages"]["scope"] != "zone"]
    without = estimator.estimate(
        estimator.Inputs.from_frames(**frames), as_of="2026-12-01T00:00:00Z"
    )
    terms = results.terms.set_index("sla_version")
    region_only = results.credits["sla_version"].map(terms["scopes"]) == "region"
    key = ["contract_id", "month"]
    mine = results.credits[region_only].set_index(key)
    other = without.credits.set_index(key).reindex(mine.index)
    has_other = other["downtime_minutes"].notna()  # months hit by zone windows only drop out
    assert region_only.sum() > 10 and has_other.sum() > 5
    cols = ["downtime_minutes", "credit_amount"]
    pd.testing.assert_frame_equal(mine.loc[has_other, cols], other.loc[has_other, cols])
    assert (mine.loc[~has_other, "downtime_minutes"] == 0).all()
    assert (mine.loc[~has_other, "credit_amount"].fillna(0) == 0).all()
    ec2 = results.credits.set_index(["contract_id", "month"]).loc["shopfront-ec2"]
    assert ec2.loc["2026-05", "downtime_minutes"] == 0.0
    assert ec2.loc["2026-05", "credit_amount"] == 0.0
    assert "aws-use1-az4-thermal-2026-05-07 (zone use1-az4)" in ec2.loc["2026-05", "outside_scope"]
    assert ec2.loc["2021-12", "credit_amount"] == 0.0  # 7 Dec at 0.26 < 1; 22 Dec is one zone
    assert "aws-use1-az4-power-2021-12-22" in ec2.loc["2021-12", "outside_scope"]


def test_founding_sample_route53_control_plane_window_is_not_downtime() -> None:
    results = estimator.estimate(estimator.load_inputs(SAMPLE), as_of="2022-01-01T00:00:00Z")
    row = results.credits.set_index("contract_id").loc["blue-air-route53"]
    assert row["downtime_minutes"] == 0.0  # was 420 before outages had a scope
    assert "control_plane" in row["outside_scope"]
    assert row["claim_status"] == ""  # nothing owed without downtime


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"scope": "az"}, "scope", "expected one of region, zone, control_plane"),
        ({"zone": "use1-az4"}, "zone", "a zone names the zone of a window with scope 'zone'"),
        ({"scope": "control_plane", "zone": "use1-az4"}, "zone", "scope is 'control_plane'"),
    ],
)
def test_bad_scope_on_an_outage_names_row_and_column(
    change: dict[str, str], column: str, message: str
) -> None:
    with pytest.raises(estimator.InputError, match=message) as err:
        make_inputs([window(*DAY) | change], [company()], [provider_contract()])
    report = err.value.report
    assert report[["source", "row", "column"]].values.tolist() == [["outages", 2, column]]


@pytest.mark.parametrize(
    ("contract", "message"),
    [
        (provider_contract(scopes="region, az"), "unknown scope 'az'"),
        (provider_contract(scopes=", "), "name at least one scope"),
        (
            {
                "contract_id": "sold",
                "company_id": "acme",
                "kind": "customer",
                "sla": "custom",
                "tiers": "99:10",
                "monthly_fee": 10,
                "scopes": "region",
            },
            "does not apply to a customer contract",
        ),
    ],
)
def test_bad_scopes_on_a_contract_names_row_and_column(
    contract: dict[str, Any], message: str
) -> None:
    with pytest.raises(estimator.InputError, match=message) as err:
        make_inputs([window(*DAY)], [company()], [contract])
    report = err.value.report
    assert report[["source", "row", "column"]].values.tolist() == [["contracts", 2, "scopes"]]
