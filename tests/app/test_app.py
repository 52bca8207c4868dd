"""The app under AppTest: sample load, scenario switch, edits, validation, options, forms,
uploads, downloads, methodology. Every figure shown is compared with estimate()."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import estimator
from estimator.display import format_money
from tests.conftest import ROOT, SAMPLE

AS_OF = "2022-01-01T00:00:00Z"


@pytest.fixture(autouse=True)
def clear_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.text_input(key="as_of").set_value(AS_OF).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_metrics(results: estimator.Results) -> dict[str, str]:
    out = {}
    for row in results.totals().to_dict(orient="records"):
        cur = row["currency"]
        for field, name in (
            ("total_loss", "Total loss"),
            ("credits_receivable", "Credits receivable"),
            ("insurance_recoveries", "Insurance recoveries"),
            ("credits_payable", "Credits payable"),
            ("net_impact", "Net impact"),
        ):
            out[f"{name} ({cur})"] = format_money(row[field], cur)
    return out


def shown_anywhere(at: AppTest, text: str) -> bool:
    """Whether any cell of any table on the page contains the text."""
    return any(
        d.value.astype(str).apply(lambda c: c.str.contains(text, regex=False)).any().any()
        for d in at.dataframe
    )


def editor_key(at: AppTest, table: str) -> str:
    return next(str(e.key) for e in at.data_editor if str(e.key).startswith(f"editor-{table}-"))


def editor_edit(at: AppTest, table: str, row: int, column: str, value: Any) -> None:
    """Edit a cell the way the data editor reports it (row counted from 0)."""
    key = editor_key(at, table)
    at.session_state[key] = {
        "edited_rows": {row: {column: value}},
        "added_rows": [],
        "deleted_rows": [],
    }


def test_first_open_shows_the_sample_and_its_headline_figures(
    sample_results: estimator.Results,
) -> None:
    at = start()
    shown = metrics(at)
    for name, value in expected_metrics(sample_results).items():
        assert shown[name] == value, name
    assert [t.label for t in at.tabs] == [
        "Results",
        "Inputs",
        "Uncertainty",
        "Portfolio risk",
        "Library",
        "Methodology",
    ]
    assert "Sample: AWS us-east-1 outage, 7 Dec 2021" in at.caption[0].value
    assert not at.error


def test_results_tables_and_review_flags(sample_results: estimator.Results) -> None:
    at = start()
    frames = {d.value.columns[0]: d.value for d in at.dataframe}
    credits = next(f for f in (d.value for d in at.dataframe) if "Claim by (UTC date)" in f)
    assert len(credits) == len(sample_results.credits)
    row = credits.set_index("Contract").loc["streamflix-s3"]
    assert row["Credit"] == "300,000.00" and row["Claim by (UTC date)"] == "2022-02-28"
    assert row["Uptime %"] == "99.5976"  # shown rounded down, with the decimals it needs
    assert row["Claim status (at the as-of date)"] == "open (58 days left)"
    assert row["Credit %"] == "10"  # not 10.000000
    route53 = credits.set_index("Contract").loc["blue-air-route53"]
    assert route53["Credit %"] == "" and route53["Credit"] == ""  # blank, never NaN or None
    assert "control_plane" in route53["Not counted (outside the SLA's scopes)"]
    flagged = (credits["Needs review"] == "yes").sum()
    assert flagged == sample_results.credits["needs_review"].sum()
    assert any("credit rows need review; for 6 of them" in i.value for i in at.info)
    claims = next(
        d.value
        for d in at.dataframe
        if "Claim status (at the as-of date)" in d.value and "Provider" in d.value
    )
    assert len(claims) == len(sample_results.claims()) == 7
    assert frames


def test_switching_to_the_catalog_portfolio() -> None:
    at = start()
    at.radio(key="scenario").set_value("Sample: outage catalog portfolio").run()
    assert not at.exception
    # outages after an early valuation time are left out, and the page says which
    at.text_input(key="as_of").set_value("2022-01-01T00:00:00Z").run()
    left_out = next(w.value for w in at.warning if "left out" in w.value)
    assert "aws-use1-az4-thermal-2026-05-07" in left_out
    at.text_input(key="as_of").set_value("2026-06-01T00:00:00Z").run()
    inputs = estimator.load_inputs(ROOT / "sample_data" / "catalog-portfolio")
    want = expected_metrics(estimator.estimate(inputs, as_of="2026-06-01T00:00:00Z"))
    shown = metrics(at)
    for name, value in want.items():
        assert shown[name] == value, name
    assert any("Ongoing outages" in w.value for w in at.warning)
    # insurance as written: each episode with its policy period and the limit that bound
    covers = next(d.value for d in at.dataframe if "Policy period (UTC)" in d.value.columns)
    gulf = covers[covers["Contract"] == "gulf-cover"].iloc[0]
    assert gulf["Policy period (UTC)"] == "2026-01-01 to 2027-01-01"
    assert gulf["Limit that bound"] == "occurrence" and gulf["Payout"] == "2,000,000.00"


def test_editing_a_fee_changes_the_credit() -> None:
    at = start()
    contracts = estimator.load_inputs(SAMPLE).contracts
    row = int(contracts.index[contracts["contract_id"] == "streamflix-s3"][0])
    editor_edit(at, "contracts", row, "monthly_fee", 4_000_000.0)
    at.run()
    assert not at.exception
    credits = next(d.value for d in at.dataframe if "Claim by (UTC date)" in d.value)
    assert credits.set_index("Contract").loc["streamflix-s3", "Credit"] == "400,000.00"


def test_a_validation_error_is_shown_with_row_and_column_and_edits_survive() -> None:
    at = start()
    editor_edit(at, "companies", 1, "currency", "dollars")
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("1 problem in companies" in e for e in errors)
    assert any("The inputs have 1 problem" in e for e in errors)
    table = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    issue = table.iloc[0]
    assert (issue["Table"], issue["Row"], issue["Column"], issue["Value"]) == (
        "companies",
        2,
        "currency",
        "dollars",
    )
    assert "not an ISO 4217 currency code" in issue["Problem"]
    assert not at.metric  # no results from invalid inputs
    # the edit is still there on the next run, and fixing it brings the results back
    at.run()
    assert at.session_state[editor_key(at, "companies")]["edited_rows"] == {
        1: {"currency": "dollars"}
    }
    editor_edit(at, "companies", 1, "currency", "USD")
    at.run()
    assert at.metric and not at.error


def test_options_dependency_rule_and_as_of(sample_inputs: estimator.Inputs) -> None:
    at = start()
    at.selectbox(key="rule").set_value("independent").run()
    want = expected_metrics(
        estimator.estimate(sample_inputs, dependency_rule="independent", as_of=AS_OF)
    )
    assert metrics(at)["Total loss (USD)"] == want["Total loss (USD)"]
    at.text_input(key="as_of").set_value("not a time").run()
    assert not at.exception
    assert any("Cannot estimate with these options" in e.value for e in at.error)


def test_downloads_are_offered(sample_results: estimator.Results) -> None:
    at = start()
    labels = [d.label for d in at.download_button]
    assert labels == ["Workbook (.xlsx)", "Results (.json)", "Claims (.zip)"]
    at.download_button(key="download_xlsx").click().run()
    assert not at.exception
    from app.results_view import json_bytes, workbook_bytes

    data = workbook_bytes(sample_results.inputs, "max", AS_OF)
    summary = pd.read_excel(
        io.BytesIO(data), sheet_name="Summary", nrows=len(sample_results.summary)
    )
    net = summary.set_index("Company")["Net impact"].sort_index()
    assert (
        net.tolist()
        == sample_results.summary.set_index("company_id")["net_impact"].sort_index().tolist()
    )
    assert b'"as_of": "2022-01-01T00:00:00Z"' in json_bytes(sample_results.inputs, "max", AS_OF)


def test_upload_csv_files_with_an_error_keeps_them_editable() -> None:
    at = start()
    at.radio(key="scenario").set_value("Upload your own files").run()
    files = []
    for name in ("outages", "companies", "contracts"):
        text = (SAMPLE / f"{name}.csv").read_text()
        if name == "companies":
            text = text.replace("America/Chicago", "America/Chicgo", 1)
        files.append((f"{name}.csv", text.encode(), "text/csv"))
    at.file_uploader(key="upload").set_value(files).run()
    at.button(key="load_upload").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    issue = table[(table["Table"] == "companies") & (table["Column"] == "timezone")].iloc[0]
    assert issue["Value"] == "America/Chicgo"
    assert "did you mean 'America/Chicago'" in issue["Problem"]
    # the uploaded tables are in the editors, errors included
    companies = next(e for e in at.data_editor if e.key.startswith("editor-companies-"))
    assert "America/Chicgo" in companies.value["timezone"].tolist()


def test_upload_a_workbook_and_a_json(sample_results: estimator.Results) -> None:
    at = start()
    at.radio(key="scenario").set_value("Upload your own files").run()
    at.file_uploader(key="upload").set_value(
        ("scenario.json", sample_results.inputs.to_json_text().encode(), "application/json")
    )
    at.button(key="load_upload").click().run()
    assert metrics(at)["Total loss (USD)"] == expected_metrics(sample_results)["Total loss (USD)"]
    at.file_uploader(key="upload").set_value(
        ("report.xlsx", sample_results.excel_bytes(), "application/vnd.ms-excel")
    )
    at.button(key="load_upload").click().run()
    assert not at.exception and not at.error
    assert metrics(at)["Net impact (EUR)"] == expected_metrics(sample_results)["Net impact (EUR)"]


def test_an_upload_over_the_limit_gets_a_clear_message() -> None:
    at = start()
    at.radio(key="scenario").set_value("Upload your own files").run()
    at.file_uploader(key="upload").set_value(("outages.csv", b"x" * 50_000_000, "text/csv"))
    at.button(key="load_upload").click().run()
    assert any("the limit is 50,000,000 bytes" in e.value for e in at.error)
    assert metrics(at)  # the previous scenario is still there


def test_an_upload_that_is_not_a_workbook() -> None:
    at = start()
    at.radio(key="scenario").set_value("Upload your own files").run()
    at.file_uploader(key="upload").set_value(("scenario.xlsx", b"not a zip", "text/plain"))
    at.button(key="load_upload").click().run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("Problems reading the uploaded files" in w for w in warnings)
    table = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert "not an Excel .xlsx workbook" in table["Problem"].iloc[0]


def by_label(widgets: Any, name: str) -> Any:
    return next(w for w in widgets if w.label == name)


def test_add_a_company_and_a_contract_through_the_forms() -> None:
    at = start()
    form = next(f for f in at.form if f.proto.form.form_id == "add-company")
    by_label(form.text_input, "company_id").set_value("newco")
    by_label(form.text_input, "name").set_value("New Co")
    by_label(form.number_input, "annual_revenue").set_value(8_760_000.0)
    form.form_submit_button[0].click()
    at.run()
    assert not at.exception
    summary = next(d.value for d in at.dataframe if "Recovery ratio" in d.value.columns)
    assert "newco" in summary["Company"].tolist()
    form = next(f for f in at.form if f.proto.form.form_id == "add-contract")
    by_label(form.text_input, "contract_id").set_value("newco-ec2")
    by_label(form.selectbox, "company_id").set_value("newco")
    form.form_submit_button[0].click()
    at.run()
    assert not at.exception
    credits = next(d.value for d in at.dataframe if "Claim by (UTC date)" in d.value)
    row = credits.set_index("Contract").loc["newco-ec2"]
    assert row["SLA terms"] == "aws/ec2-region@2020-07-22"
    losses = next(d.value for d in at.dataframe if "Gross lost revenue" in d.value.columns)
    assert "newco" in losses["Company"].tolist()


def test_methodology_is_reachable() -> None:
    at = start()
    text = "\n".join(m.value for m in at.markdown)
    assert "Worked example" in text and "## 1. Time, money and exactness" in text


def test_empty_cells_show_blank_in_every_table_and_editor() -> None:
    """Streamlit paints missing cells as "None" unless a placeholder is set; the grid is a
    canvas, so what the app sends is checked: every table and editor sets it to blank."""
    at = start()
    tables = [*at.dataframe, *at.data_editor]
    assert len(tables) >= 10
    for table in tables:
        assert table.proto.HasField("placeholder") and table.proto.placeholder == ""
