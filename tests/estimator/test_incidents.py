"""Provider incident feeds -> outage windows (issue 23.1, Statuspage and Google Cloud)."""

from __future__ import annotations

from pathlib import Path

import pytest

import estimator
from estimator.sources.incidents import read_incidents

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "incidents"


def test_a_statuspage_incident_with_three_updates_becomes_three_phase_windows() -> None:
    rows = read_incidents(FIXTURES / "statuspage_incident.json")
    # updates out of order in the feed; major -> partial -> degraded, resolved at 08:00
    assert rows[["provider", "service", "start", "end", "impact"]].values.tolist() == [
        ["cloudflare", "cdn", "2022-06-21T06:34:00Z", "2022-06-21T07:20:00Z", 1.0],
        ["cloudflare", "cdn", "2022-06-21T07:20:00Z", "2022-06-21T07:42:00Z", 0.5],
        ["cloudflare", "cdn", "2022-06-21T07:42:00Z", "2022-06-21T08:00:00Z", 0.1],
    ]
    assert set(rows["outage_id"]) == {"cloudflare-xvs51y9qs9dj"}
    assert (
        "statuspage incident xvs51y9qs9dj (CDN/Cache: partial_outage" in rows["description"].iloc[1]
    )
    assert rows.attrs["unmapped"] == []


def test_a_google_incident_becomes_one_window_per_affected_location() -> None:
    rows = read_incidents(FIXTURES / "google_incidents.json")
    gce = rows[rows["service"] == "compute-engine"]
    assert gce[["region", "start", "end", "impact"]].values.tolist() == [
        ["europe-west9", "2023-04-25T19:40:00Z", "2023-04-26T01:30:00Z", 1.0],
        ["europe-west8", "2023-04-25T21:10:00Z", "2023-04-26T01:30:00Z", 1.0],
    ]
    assert rows.attrs["unmapped"] == ["Cloud Memorystore"]  # listed apart, not dropped
    assert "cloud-memorystore" in set(rows["service"])


def test_the_impact_table_is_data_and_can_be_changed(tmp_path: Path) -> None:
    table = tmp_path / "impacts.csv"
    table.write_text("format,status,impact,source\nstatuspage,partial_outage,0.3,our own rule\n")
    rows = read_incidents(FIXTURES / "statuspage_incident.json", impact_table=table)
    assert rows["impact"].tolist() == [1.0, 0.3, 0.1]


def test_bad_feeds_are_explained(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"things": []}')
    with pytest.raises(estimator.InputError, match="Statuspage API v2"):
        read_incidents(bad)
    naive = tmp_path / "naive.json"
    text = (FIXTURES / "statuspage_incident.json").read_text()
    naive.write_text(text.replace('"2022-06-21T07:20:00.000Z"', '"2022-06-21T07:20:00"'))
    with pytest.raises(estimator.InputError) as err:
        read_incidents(naive)
    assert any(
        "has no UTC offset" in i.message and "xvs51y9qs9dj" in i.message for i in err.value.issues
    )
    empty = tmp_path / "empty.json"
    empty.write_text(
        '{"incidents": [{"id": "i9", "started_at": "2022-06-21T06:34:00Z", "incident_updates": []}]}'
    )
    with pytest.raises(estimator.InputError, match="incident i9: no affected component"):
        read_incidents(empty)


def test_the_rows_load_back_as_outages(tmp_path: Path) -> None:
    import pandas as pd

    from tests.conftest import company, provider_contract

    folder = tmp_path / "s"
    folder.mkdir()
    read_incidents(FIXTURES / "google_incidents.json").to_csv(folder / "outages.csv", index=False)
    pd.DataFrame([company()]).to_csv(folder / "companies.csv", index=False)
    pd.DataFrame([provider_contract()]).to_csv(folder / "contracts.csv", index=False)
    loaded = estimator.load_inputs(folder).outages
    assert len(loaded) == 4 and set(loaded["provider"]) == {"gcp"}


def test_the_cli_writes_the_windows_and_lists_the_unmapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from estimator.cli import main

    out = tmp_path / "outages.csv"
    assert main(["incidents", str(FIXTURES / "google_incidents.json"), "--out", str(out)]) == 0
    assert "Unmapped services" in capsys.readouterr().out and "Cloud Memorystore" in out.read_text()
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]")
    assert main(["incidents", str(bad), "--out", str(out)]) == 2


def test_aws_health_events_with_zone_control_plane_and_ongoing_events() -> None:
    rows = read_incidents(FIXTURES / "aws_health_events.json")
    got = (
        rows[["service", "region", "scope", "zone", "start", "end", "impact"]]
        .fillna("")
        .values.tolist()
    )
    assert got == [
        ["ec2", "us-east-1", "region", "", "2021-12-07T15:30:00Z", "2021-12-07T22:22:00Z", 1.0],
        ["ec2", "us-east-1", "control_plane", "", "2021-12-07T15:30:00Z", "", 1.0],  # open: ongoing
        [
            "ec2",
            "us-east-1",
            "zone",
            "use1-az4",
            "2021-12-07T16:00:00Z",
            "2021-12-07T17:00:00Z",
            1.0,
        ],
    ]  # the scheduled RDS change makes no window
    assert rows["incident_id"].iloc[0] == "AWS_EC2_OPERATIONAL_ISSUE_ABC"


def test_azure_service_health_records_become_a_window_per_service_and_region() -> None:
    rows = read_incidents(FIXTURES / "azure_activity_log.json")
    got = rows[["service", "region", "start", "end", "impact"]].values.tolist()
    assert got == [
        ["virtual-machines", "eastus", "2023-01-25T07:05:00Z", "2023-01-25T12:43:00Z", 1.0],
        ["virtual-machines", "westeurope", "2023-01-25T07:05:00Z", "2023-01-25T12:43:00Z", 1.0],
        # first listed in the second communication: impacted from that communication on
        ["cosmos-db", "eastus", "2023-01-25T09:10:00Z", "2023-01-25T12:43:00Z", 1.0],
        ["azure-quantum", "eastus", "2023-01-25T09:10:00Z", "2023-01-25T12:43:00Z", 1.0],
    ]  # the planned maintenance and the administrative record make no window
    assert set(rows["outage_id"]) == {"azure-VSG1-B90"}
    assert rows.attrs["unmapped"] == ["Azure Quantum"]
    assert "azure incident VSG1-B90 (Virtual Machines: Incident" in rows["description"].iloc[0]


def test_azure_incidents_still_active_are_ongoing_and_bad_records_are_listed(
    tmp_path: Path,
) -> None:
    import json

    doc = json.loads((FIXTURES / "azure_activity_log.json").read_text())
    doc["value"] = doc["value"][:1]  # the first communication only: not mitigated yet
    doc["value"].append(
        {"category": {"value": "ServiceHealth"}, "eventTimestamp": "2023-01-25T08:00:00Z",
         "properties": {"trackingId": "NOSVC", "incidentType": "Incident",
                        "impactStartTime": "2023-01-25T07:00:00", "impactedServices": "[]"}}
    )  # fmt: skip
    doc["value"].append(
        {"category": {"value": "ServiceHealth"}, "eventTimestamp": "2023-01-25T08:00:00Z",
         "properties": {"trackingId": "BADJSON", "incidentType": "Incident",
                        "impactStartTime": "2023-01-25T07:00:00Z", "impactedServices": "[{"}}
    )  # fmt: skip
    path = tmp_path / "azure.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(estimator.InputError) as err:
        read_incidents(path)
    messages = [i.message for i in err.value.issues]
    assert sorted(messages) == [
        "incident BADJSON: impactedServices is not valid JSON",
        "incident NOSVC: no affected service is named (impactedServices)",
    ]
    doc["value"] = doc["value"][:1]
    path.write_text(json.dumps(doc))
    rows = read_incidents(path)
    assert rows["end"].isna().all() and len(rows) == 2
