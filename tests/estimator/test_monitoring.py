"""Monitoring series -> outage windows (issue 23.2): formats, steps and gaps, merging, and the
loss of a measured series equal to the loss of the same series typed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import estimator
from tests.conftest import company, make_inputs, provider_contract, window

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "monitoring"
WHERE = {"outage_id": "o1", "provider": "aws", "region": "us-east-1", "service": "ec2"}


def test_a_prometheus_series_becomes_merged_step_windows_with_gaps() -> None:
    rows = estimator.read_monitoring(FIXTURES / "prometheus_error_rate.json", **WHERE)
    # one sample a minute from 15:30; 0.25 twice, 0.6 three times, 0.1 once, then 0 at 15:37;
    # the next sample comes 8 minutes later (more than 3 steps): 0.3 holds one step only
    assert rows[["start", "end", "impact"]].values.tolist() == [
        ["2021-12-07T15:31:00Z", "2021-12-07T15:33:00Z", 0.25],
        ["2021-12-07T15:33:00Z", "2021-12-07T15:36:00Z", 0.6],
        ["2021-12-07T15:36:00Z", "2021-12-07T15:37:00Z", 0.1],
        ["2021-12-07T15:45:00Z", "2021-12-07T15:46:00Z", 0.3],
    ]
    assert set(rows["scope"]) == {"region"}
    assert rows["description"].iloc[1].endswith("(prometheus, error_rate, step 60 s, 3 samples)")


def test_the_loss_of_a_measured_series_equals_the_same_series_typed_by_hand() -> None:
    measured = estimator.read_monitoring(FIXTURES / "prometheus_error_rate.json", **WHERE)
    doc = json.loads((FIXTURES / "prometheus_error_rate.json").read_text())
    samples = doc["data"]["result"][0]["values"]
    by_hand = [
        window(
            pd.Timestamp(t, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
            pd.Timestamp(t + 60, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
            impact=float(v),
            outage_id="o1",
            service="ec2",
        )
        for t, v in samples
        if float(v) > 0
    ]  # each sample typed as its own one-minute window (the series' step)
    parts = {"companies": [company(per_hour=600000.0)], "contracts": [provider_contract(share=1.0)]}
    as_of = "2022-01-01T00:00:00Z"
    a = estimator.estimate(make_inputs(measured.to_dict(orient="records"), **parts), as_of=as_of)
    b = estimator.estimate(make_inputs(by_hand, **parts), as_of=as_of)
    assert a.summary["total_loss"].tolist() == b.summary["total_loss"].tolist()
    assert a.summary["total_loss"].iloc[0] > 0
    # 0.25 x 2 + 0.6 x 3 + 0.1 + 0.3 = 2.7 impact-minutes at 10,000 a minute
    assert a.losses["gross_lost_revenue"].sum() == pytest.approx(27000.0, abs=0.01)
    text = " ".join((FIXTURES.parents[2] / "METHODOLOGY.md").read_text().split())
    for figure in ("15:33-15:36 at 0.6", "15:45-15:46 at 0.3", "2.7 impact-minutes", "27,000.00"):
        assert figure in text, figure  # METHODOLOGY §20's worked example is this test


def test_cloudwatch_newest_first_and_availability_in_percent() -> None:
    rows = estimator.read_monitoring(
        FIXTURES / "cloudwatch_availability.json", **WHERE, measure="availability"
    )
    assert rows[["start", "end", "impact"]].values.tolist() == [
        ["2021-12-07T15:31:00Z", "2021-12-07T15:32:00Z", 0.25],
        ["2021-12-07T15:32:00Z", "2021-12-07T15:34:00Z", 0.6],
    ]
    assert any("read as percent" in n for n in rows.attrs["notes"])


def test_bad_samples_are_all_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "time,value\n2021-12-07T15:30:00Z,0.1\n2021-12-07 15:31:00,0.2\n"
        "2021-12-07T15:32:00Z,lots\n2021-12-07T15:29:00Z,0.3\n"
    )
    with pytest.raises(estimator.InputError) as err:
        estimator.read_monitoring(path, **WHERE)
    found = [(i.source, i.column, i.message.split(":")[0]) for i in err.value.issues]
    assert ("bad.csv", "time", "line 3") in found  # no UTC offset
    assert ("bad.csv", "value", "line 4") in found  # not a number
    assert ("bad.csv", "time", "line 5") in found  # out of time order
    unknown = tmp_path / "x.json"
    unknown.write_text('{"series": []}')
    with pytest.raises(estimator.InputError, match="Prometheus query_range answer"):
        estimator.read_monitoring(unknown, **WHERE)


def test_the_cli_output_loads_back_unchanged(tmp_path: Path) -> None:
    from estimator.cli import main

    folder = tmp_path / "scenario"
    folder.mkdir()
    out = folder / "outages.csv"
    args = ["monitoring", str(FIXTURES / "series.csv"), "--outage", "o1", "--provider", "aws"]
    assert main([*args, "--region", "us-east-1", "--service", "ec2", "--out", str(out)]) == 0
    pd.DataFrame([company()]).to_csv(folder / "companies.csv", index=False)
    pd.DataFrame([provider_contract()]).to_csv(folder / "contracts.csv", index=False)
    loaded = estimator.load_inputs(folder).outages
    assert loaded["impact"].tolist() == [0.25, 0.6]
    assert loaded["start"].dt.strftime("%H:%M").tolist() == ["15:31", "15:33"]
