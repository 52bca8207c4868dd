"""The app's Uncertainty tab under AppTest (issue 13): run, percentiles equal simulate()'s,
charts, one-click ranges, problems beside the table while the results stay; and an edit
surviving a row added through a form."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import estimator
from estimator.display import format_money
from tests.app.test_app import (
    AS_OF,
    by_label,
    clear_caches,  # noqa: F401 - an autouse fixture
    editor_edit,
    editor_key,
    expected_metrics,
    metrics,
    start,
)
from tests.conftest import SAMPLE


def run_simulation(at: AppTest, draws: int) -> None:
    at.number_input(key="sim-draws").set_value(draws)
    form = next(f for f in at.form if f.proto.form.form_id == "simulate")
    form.form_submit_button[0].click()
    at.run()
    assert not at.exception, at.exception


def vega(at: AppTest) -> list[Any]:
    return list(at.get("vega_lite_chart"))


def uncertainty_rows(at: AppTest) -> pd.DataFrame:
    return next(e.value for e in at.data_editor if e.key.startswith("editor-uncertainty-"))


def test_a_run_shows_the_percentiles_of_simulate_and_its_charts(
    sample_inputs: estimator.Inputs,
) -> None:
    at = start()
    assert len(uncertainty_rows(at)) == len(sample_inputs.uncertainty)
    assert not [d for d in at.download_button if d.key == "download_simulation_xlsx"]
    run_simulation(at, 400)
    want = estimator.simulate(sample_inputs, draws=400, seed=0, as_of=AS_OF).quantiles
    shown = next(d.value for d in at.dataframe if "P95" in d.value.columns)
    assert len(shown) == len(want)
    row = shown[(shown["Company"] == "streamflix") & (shown["Measure"] == "Total loss")].iloc[0]
    mine = want[(want["company_id"] == "streamflix") & (want["measure"] == "total_loss")].iloc[0]
    for column in ("p5", "p50", "p95", "mean"):
        assert row[column.upper() if column != "mean" else "Mean"] == format_money(
            mine[column], "USD"
        ), column
    charts = {json.loads(c.proto.spec)["title"]: c.proto for c in vega(at)}
    histogram = charts["streamflix: Net impact over 400 draws"]
    assert "streamflix: what moves net impact most" in charts
    data = [pa.ipc.open_stream(d.data.data).read_pandas() for d in histogram.datasets]
    drawn = next(d for d in data if "net_impact" in d.columns)
    assert len(drawn) == 400  # every draw of the company
    marks = next(d for d in data if "percentile" in d.columns).set_index("percentile")["value"]
    net = want[(want["company_id"] == "streamflix") & (want["measure"] == "net_impact")].iloc[0]
    assert marks.to_dict() == pytest.approx({"P5": net["p5"], "P50": net["p50"], "P95": net["p95"]})
    data = at.download_button(key="download_simulation_xlsx")
    assert data.label == "Simulation workbook (.xlsx)"
    # a changed input asks for a new run instead of showing stale ranges
    editor_edit(at, "companies", 0, "recapture_rate", 0.1)
    at.run()
    assert any("changed since the last run" in i.value for i in at.info)
    assert not [d for d in at.download_button if d.key == "download_simulation_xlsx"]


def test_the_simulation_workbook_download_carries_the_percentiles(
    sample_inputs: estimator.Inputs,
) -> None:
    from app.uncertainty_view import simulation_workbook

    data = simulation_workbook(sample_inputs, 200, 1, "max", AS_OF)
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Uncertainty results", header=None)
    want = estimator.simulate(sample_inputs, draws=200, seed=1, as_of=AS_OF).quantiles
    cells = sheet.to_numpy().ravel().tolist()
    assert float(want["p95"].iloc[0]) in cells and 200 in cells


def test_one_click_duration_range_adds_a_row_per_outage_and_replaces_its_own() -> None:
    at = start()
    at.button(key="preset-duration").click().run()
    assert not at.exception
    rows = uncertainty_rows(at)
    duration = rows[rows["column"] == "duration_hours"].set_index("id")
    assert sorted(duration.index) == ["aws-use1-2021-12-07", "aws-uswest-2021-12-15"]
    use1 = duration.loc["aws-use1-2021-12-07"]  # the sample's own row was replaced
    assert (use1["low"], use1["mode"], use1["high"]) == (3.5, 7.0, 21.0)
    assert len(rows) == 3 + 2  # the other rows of the sample stay
    at.button(key="preset-impact").click().run()
    assert any("different impacts" in i.value for i in at.info)  # use1 is phased


def test_a_bad_uncertainty_row_is_shown_there_and_the_results_stay(
    sample_results: estimator.Results,
) -> None:
    at = start()
    editor_edit(at, "uncertainty", 0, "high", 1.6)  # an impact above 1
    at.run()
    assert not at.exception
    error = next(e.value for e in at.error if "problem in uncertainty" in e.value)
    assert "row 1" in error and "column high" in error
    assert any("these results do not use them" in w.value for w in at.warning)
    assert metrics(at)["Total loss (USD)"] == expected_metrics(sample_results)["Total loss (USD)"]
    assert any("to run a simulation" in i.value for i in at.info)
    at.run()  # the edit survives
    assert at.session_state[editor_key(at, "uncertainty")]["edited_rows"] == {0: {"high": 1.6}}


def test_an_edit_in_another_table_survives_adding_a_company() -> None:
    at = start()
    contracts = estimator.load_inputs(SAMPLE).contracts
    row = int(contracts.index[contracts["contract_id"] == "streamflix-s3"][0])
    editor_edit(at, "contracts", row, "monthly_fee", 4_000_000.0)
    at.run()
    form = next(f for f in at.form if f.proto.form.form_id == "add-company")
    by_label(form.text_input, "company_id").set_value("newco")
    by_label(form.number_input, "annual_revenue").set_value(8_760_000.0)
    form.form_submit_button[0].click()
    at.run()
    assert not at.exception
    credits = next(d.value for d in at.dataframe if "Claim by (UTC date)" in d.value)
    assert credits.set_index("Contract").loc["streamflix-s3", "Credit"] == "400,000.00"
    summary = next(d.value for d in at.dataframe if "Recovery ratio" in d.value.columns)
    assert "newco" in summary["Company"].tolist()
