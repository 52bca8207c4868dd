"""The app's billing export upload, claim log editor and reconciliation table (issue 22.4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

import estimator
from estimator.display import format_money
from tests.app.test_app import AS_OF, editor_edit, editor_key, start
from tests.conftest import SAMPLE


@pytest.fixture(autouse=True)
def clear_caches() -> Iterator[None]:
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_the_reconciliation_table_shows_what_the_api_gives() -> None:
    at = start()
    want = estimator.estimate(estimator.load_inputs(SAMPLE), as_of=AS_OF).reconciliation()
    shown = next(d.value for d in at.dataframe if "Received (billing export)" in d.value.columns)
    assert len(shown) == len(want)
    apigw = shown[shown["Service"] == "api-gateway"].iloc[0]
    row = want[want["service"] == "api-gateway"].iloc[0]
    # valued on 1 Jan 2022: the February bill with the credits had not been issued
    assert apigw["Received (billing export)"] == format_money(row["received"], "USD") == "0.00"
    assert apigw["Why"] == row["reason"] == "not claimed"
    assert apigw["Claim status (at the as-of date)"].startswith("open (")


def test_a_billing_export_upload_fills_charges_and_shows_the_unmapped_lines() -> None:
    at = start()
    export = (SAMPLE / "billing" / "focus-2021-12.csv").read_bytes()
    at.file_uploader(key="billing-upload").set_value(
        [("focus-2021-12.csv", export, "text/csv")]
    ).run()
    at.button(key="billing-read").click().run()
    assert not at.exception and not at.error
    charges = next(e for e in at.data_editor if str(e.key).startswith("editor-charges-")).value
    assert len(charges) == len(estimator.read_billing(SAMPLE / "billing" / "focus-2021-12.csv"))
    assert any("Read 11 lines of focus-2021-12.csv" in s.value for s in at.success)
    listed = [
        d.value["source_service"].tolist()
        for d in at.dataframe
        if "source_service" in d.value.columns
    ]
    assert ["Amazon GuardDuty"] in listed  # the unmapped lines, shown apart
    assert at.metric  # the results are back on the export's charges


def test_a_bad_claim_log_edit_is_explained_and_kept() -> None:
    at = start()
    editor_edit(at, "claim_log", 0, "status", "won")  # the first row, numbered 1 in the app
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    issue = table.iloc[0]
    assert (issue["Table"], issue["Row"], issue["Column"], issue["Value"]) == (
        "claim_log",
        1,
        "status",
        "won",
    )
    assert "filed, approved, rejected, paid" in issue["Problem"]
    at.run()
    assert at.session_state[editor_key(at, "claim_log")]["edited_rows"] == {0: {"status": "won"}}


def test_outages_import_from_a_feed_and_a_series_with_a_preview() -> None:
    from tests.conftest import ROOT

    at = start()
    before = len(next(e for e in at.data_editor if str(e.key).startswith("editor-outages-")).value)
    feed = (ROOT / "tests" / "fixtures" / "incidents" / "statuspage_incident.json").read_bytes()
    at.file_uploader(key="import-upload").set_value([("feed.json", feed, "application/json")]).run()
    at.button(key="import-preview").click().run()
    assert not at.exception
    preview = next(
        d.value
        for d in at.dataframe
        if "description" in d.value.columns
        and len(d.value)
        and d.value["description"].astype(str).str.startswith("statuspage incident").all()
    )
    assert preview["impact"].tolist() == [1.0, 0.5, 0.1]  # read_incidents' phases
    outages = next(e for e in at.data_editor if str(e.key).startswith("editor-outages-")).value
    assert len(outages) == before  # nothing added before the user says so
    at.button(key="import-add").click().run()
    outages = next(e for e in at.data_editor if str(e.key).startswith("editor-outages-")).value
    assert len(outages) == before + 3 and not at.error
    series = (ROOT / "tests" / "fixtures" / "monitoring" / "series.csv").read_bytes()
    at.radio(key="import-kind").set_value("Monitoring series (CSV, Prometheus, CloudWatch)").run()
    at.file_uploader(key="import-upload").set_value([("series.csv", series, "text/csv")]).run()
    at.button(key="import-preview").click().run()
    preview = next(
        d.value for d in at.dataframe if "description" in d.value.columns and len(d.value) == 2
    )
    assert preview["impact"].tolist() == [0.25, 0.6]
