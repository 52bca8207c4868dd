"""The auditable workbook (issue 5): sheets, headers, values, formulas recalculated by LibreOffice,
a changed fee, loading back as input, formula injection, JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import estimator
from tests.conftest import SAMPLE_AS_OF, need_tool
from tests.estimator.test_claims_pack import with_november_outage

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(path: Path, tmp: Path) -> Path:
    """Recalculate every formula with headless LibreOffice (isolated profile, forced)."""
    soffice = need_tool("soffice", "libreoffice")
    profile = tmp / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE)
    out = tmp / "recalculated"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    result = out / path.name
    assert result.exists()
    return result


def formula_cells(path: Path) -> dict[tuple[str, str], Any]:
    """(sheet, cell) -> the cached value stored with every formula cell."""
    formulas = openpyxl.load_workbook(path, data_only=False)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    out[(ws.title, cell.coordinate)] = values[ws.title][cell.coordinate].value
    return out


def mismatches(path: Path, tmp: Path) -> tuple[int, list[tuple[str, str, Any, Any]]]:
    """How many formula cells the workbook has, and those whose LibreOffice value differs
    from the value written with them."""
    expected = formula_cells(path)
    book = openpyxl.load_workbook(recalculate(path, tmp), data_only=True)
    bad = [
        (sheet, cell, book[sheet][cell].value, want)
        for (sheet, cell), want in expected.items()
        if not same(book[sheet][cell].value, want)
    ]
    return len(expected), bad


def same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b) and type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= max(0.005, 1e-9 * abs(a))
    if isinstance(a, dt.datetime) or isinstance(b, dt.datetime):
        return a == b
    return a == b


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, sample_results: estimator.Results) -> Path:
    path = tmp_path_factory.mktemp("wb") / "report.xlsx"
    sample_results.to_excel(path)
    return path


def test_sheets_and_headers(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook, data_only=True)
    assert wb.sheetnames == [
        "Summary",
        "Losses",
        "Credits",
        "Claims",
        "Reconciliation",
        "Recoveries",
        "Windows",
        "Terms",
        "Tiers",
        "outages",
        "companies",
        "contracts",
        "exclusions",
        "revenue_profiles",
        "uncertainty",
        "fx_rates",
        "charges",
        "claim_log",
        "Methodology",
    ]
    head = [c.value for c in wb["Credits"][1]][:20]
    assert head == [
        "Contract",
        "Company",
        "Kind",
        "Month (UTC)",
        "Metric",
        "Minutes in month",
        "Downtime minutes (clock; error-weighted for error_rate)",
        "Uptime %",
        "Credit %",
        "Monthly fee",
        "Fee from",
        "Credit",
        "Currency",
        "Claim by (UTC date)",
        "Claim status (at the as-of date)",
        "Filed late",
        "SLA terms",
        "Not counted (outside the SLA's scopes)",
        "Needs review",
        "Why review",
    ]
    assert [c.value for c in wb["contracts"][1]][:3] == ["contract_id", "company_id", "kind"]
    assert wb["Credits"].freeze_panes == "B2"
    assert wb["Credits"].auto_filter.ref.startswith("A1:")


def test_cached_values_equal_results(workbook: Path, sample_results: estimator.Results) -> None:
    """The file reads right before any recalculation (pandas sees the engine's numbers)."""
    credits = pd.read_excel(workbook, sheet_name="Credits")
    assert (
        credits["Credit"].fillna(-1).tolist()
        == sample_results.credits["credit_amount"].fillna(-1).tolist()
    )
    summary = pd.read_excel(workbook, sheet_name="Summary", nrows=len(sample_results.summary))
    net = summary.set_index("Company")["Net impact"]
    want = sample_results.summary.set_index("company_id")["net_impact"]
    assert net.sort_index().tolist() == want.sort_index().tolist()
    assert summary["Currency"].tolist() == sorted(summary["Currency"])  # grouped by currency
    deadline = credits["Claim by (UTC date)"].iloc[0]
    assert deadline == pd.Timestamp("2022-02-28")


def test_money_formats_follow_each_company_currency(workbook: Path) -> None:
    ws = openpyxl.load_workbook(workbook)["Summary"]
    formats = {ws.cell(r, 2).value: ws.cell(r, 3).number_format for r in range(2, 9)}
    assert '"EUR"' in formats["EUR"] and '"USD"' in formats["USD"]


def test_claims_list_each_claimable_credit_with_deadline_and_source(workbook: Path) -> None:
    claims = pd.read_excel(workbook, sheet_name="Claims")
    s3 = claims.set_index("Contract").loc["streamflix-s3"]
    assert s3["Credit"] == 300000.0
    assert s3["Claim by (UTC date)"] == pd.Timestamp("2022-02-28")
    assert "aws.amazon.com/s3/sla" in s3["Source"]
    assert "end of the second billing cycle" in s3["How to claim"]
    assert "streamflix-ec2" not in set(claims["Contract"])  # no credit to claim


@pytest.mark.libreoffice
def test_every_formula_recalculated_by_libreoffice_equals_the_python_result(
    workbook: Path, tmp_path: Path
) -> None:
    expected = formula_cells(workbook)
    assert len(expected) > 200
    recalculated = openpyxl.load_workbook(recalculate(workbook, tmp_path), data_only=True)
    bad = []
    for (sheet, cell), want in expected.items():
        got = recalculated[sheet][cell].value
        if (isinstance(got, str) and got.startswith("#")) or not same(got, want):
            bad.append((sheet, cell, got, want))
    assert not bad, bad[:20]


@pytest.mark.libreoffice
def test_a_changed_charges_cell_recalculates_the_credit_that_takes_it(
    workbook: Path, tmp_path: Path, sample_inputs: estimator.Inputs
) -> None:
    """kindling-lambda has no fee: its Credits row's fee is a formula over the charges sheet."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb["charges"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in ("service", "month", "charges")}
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, col["service"]).value == "lambda"
        and ws.cell(r, col["month"]).value == "2021-12"
    )
    ws.cell(row, col["charges"]).value = 100000.05
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    credits = pd.read_excel(recalculate(edited, tmp_path), sheet_name="Credits").set_index(
        "Contract"
    )
    frames = sample_inputs.to_frames()
    charges = frames["charges"].copy()
    charges.loc[(charges["service"] == "lambda") & (charges["month"] == "2021-12"), "charges"] = (
        100000.05
    )
    frames["charges"] = charges
    again = estimator.estimate(estimator.Inputs.from_frames(**frames), as_of=SAMPLE_AS_OF)
    want = again.credits.set_index("contract_id").loc["kindling-lambda"]
    assert (want["monthly_fee"], want["credit_amount"]) == (100000.05, 10000.01)  # half-up
    assert credits.loc["kindling-lambda", "Monthly fee"] == want["monthly_fee"]
    assert credits.loc["kindling-lambda", "Credit"] == want["credit_amount"]


@pytest.mark.libreoffice
def test_a_changed_fee_recalculates_to_the_right_credit(
    workbook: Path, tmp_path: Path, sample_inputs: estimator.Inputs
) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb["contracts"]
    header = [c.value for c in ws[1]]
    fee_col = header.index("monthly_fee") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "streamflix-s3")
    ws.cell(row, fee_col).value = 1234567.89
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    recalculated = recalculate(edited, tmp_path)
    credits = pd.read_excel(recalculated, sheet_name="Credits").set_index("Contract")
    # what the engine says for the same change
    frames = sample_inputs.to_frames()
    con = frames["contracts"].copy()
    con.loc[con["contract_id"] == "streamflix-s3", "monthly_fee"] = 1234567.89
    frames["contracts"] = con
    again = estimator.estimate(estimator.Inputs.from_frames(**frames), as_of=SAMPLE_AS_OF)
    want = again.credits.set_index("contract_id").loc["streamflix-s3", "credit_amount"]
    assert want == 123456.79  # 10 % of 1,234,567.89, half-up
    assert credits.loc["streamflix-s3", "Credit"] == want
    summary = pd.read_excel(recalculated, sheet_name="Summary").set_index("Company")
    s = again.summary.set_index("company_id").loc["streamflix"]
    assert summary.loc["streamflix", "Credits receivable"] == pytest.approx(
        s.credits_receivable, abs=0.005
    )
    assert summary.loc["streamflix", "Net impact"] == pytest.approx(s.net_impact, abs=0.005)


def test_workbook_loads_back_as_input_and_gives_the_same_results(
    workbook: Path, sample_results: estimator.Results
) -> None:
    back = estimator.load_inputs(workbook)
    assert back.equals(sample_results.inputs)
    again = estimator.estimate(back, as_of=SAMPLE_AS_OF)
    pd.testing.assert_frame_equal(again.credits, sample_results.credits)
    pd.testing.assert_frame_equal(again.summary, sample_results.summary)


INJECTIONS = ['=HYPERLINK("http://example.com","x")', "+1", "-1", "@SUM(A1)", "=1+1"]


def injected_results() -> estimator.Results:
    outages = pd.DataFrame(
        [
            {
                "outage_id": INJECTIONS[4],
                "provider": "aws",
                "region": "*",
                "service": "*",
                "start": "2021-12-07T15:30:00Z",
                "end": "2021-12-07T16:30:00Z",
                "description": INJECTIONS[0],
            }
        ]
    )
    companies = pd.DataFrame(
        [
            {"company_id": f"c{i}", "name": text, "revenue_per_hour": 1000}
            for i, text in enumerate(INJECTIONS)
        ]
    )
    contracts = pd.DataFrame(
        [
            {
                "contract_id": text,
                "company_id": f"c{i}",
                "provider": "aws",
                "region": "*",
                "service": "*",
                "sla": "custom",
                "tiers": "99.9:10",
                "monthly_fee": 100,
                "revenue_share": 1,
            }
            for i, text in enumerate(INJECTIONS)
        ]
    )
    inputs = estimator.Inputs.from_frames(outages, companies, contracts)
    return estimator.estimate(inputs, as_of=SAMPLE_AS_OF)


def test_user_text_is_never_written_as_a_formula(tmp_path: Path) -> None:
    results = injected_results()
    data = results.excel_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            for formula in re.findall(r"<f>(.*?)</f>", xml):
                for text in INJECTIONS:
                    assert text not in formula.replace("&quot;", '"'), (name, formula)
                assert "HYPERLINK" not in formula and "example.com" not in formula
    wb = openpyxl.load_workbook(io.BytesIO(data))
    names = [c.value for c in wb["companies"]["B"][1:]]
    assert names == INJECTIONS
    for cell in wb["companies"]["B"][1:]:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    path = tmp_path / "injected.xlsx"
    path.write_bytes(data)
    back = estimator.load_inputs(path)
    assert back.companies["name"].tolist() == INJECTIONS
    assert back.equals(results.inputs)


def test_json_carries_the_same_numbers(sample_results: estimator.Results, tmp_path: Path) -> None:
    path = sample_results.to_json(tmp_path / "results.json")
    doc = json.loads(path.read_text())
    assert doc["as_of"] == "2022-01-01T00:00:00Z"
    assert doc["money"].startswith("decimal strings")
    by_id = {c["contract_id"]: c for c in doc["credits"]}
    assert by_id["streamflix-s3"]["credit_amount"] == "300000.00"
    assert by_id["blue-air-route53"]["credit_amount"] is None
    assert by_id["streamflix-s3"]["claim_deadline"] == "2022-02-28"
    for rec, row in zip(doc["summary"], sample_results.summary.itertuples(), strict=True):
        assert Decimal(rec["total_loss"]) == Decimal(f"{row.total_loss:.2f}")
        assert Decimal(rec["net_impact"]) == Decimal(f"{row.net_impact:.2f}")
    losses = pd.DataFrame(doc["losses"])
    assert losses["total_loss"].map(Decimal).sum() == Decimal(
        f"{sample_results.losses['total_loss'].sum():.2f}"
    )
    # the inputs inside the JSON load back
    inputs_path = tmp_path / "inputs.json"
    inputs_path.write_text(json.dumps(doc["inputs"]))
    assert estimator.load_inputs(inputs_path).equals(sample_results.inputs)


def test_json_money_for_zero_and_three_decimal_currencies() -> None:
    from estimator.reports.json_report import money_text

    assert money_text(1500.0, "JPY") == "1500"
    assert money_text(12.345, "BHD") == "12.345"
    assert money_text(0.1 + 0.2, "USD") == "0.30"


def test_skipping_xlsxwriters_formula_rewrite_changes_no_formula(
    sample_results: estimator.Results,
) -> None:
    """The writer's Worksheet subclass skips XlsxWriter's regular-expression rewrite of
    formulas (the pinned minor version is checked here): for every formula the writer
    emits, the library's own rewrite gives the same text."""
    from importlib.metadata import version

    from xlsxwriter.worksheet import Worksheet

    from estimator.reports.workbook.cells import PlainFormulaWorksheet

    assert version("xlsxwriter").startswith("3.3."), "re-check the subclass, then the pin"
    library, ours = Worksheet(), PlainFormulaWorksheet()
    formulas = []
    with zipfile.ZipFile(io.BytesIO(sample_results.excel_bytes())) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                formulas += re.findall(r"<f>(.*?)</f>", z.read(name).decode("utf-8"))
    assert len(formulas) > 200
    for text in {"=" + f.replace("&quot;", '"').replace("&amp;", "&") for f in formulas}:
        assert library._prepare_formula(text) == ours._prepare_formula(text), text


def test_formulas_use_only_functions_excel_and_libreoffice_both_compute(
    sample_results: estimator.Results,
) -> None:
    """Also what lets the writer skip XlsxWriter's _xlfn. rewriting of dynamic-array functions."""
    from estimator.reports.excel import ALLOWED_FUNCTIONS

    used: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(sample_results.excel_bytes())) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                for formula in re.findall(r"<f>(.*?)</f>", z.read(name).decode("utf-8")):
                    used |= set(re.findall(r"([A-Z][A-Z0-9._]*)\(", formula))
    assert used, "the workbook has formulas"
    assert used <= ALLOWED_FUNCTIONS, used - ALLOWED_FUNCTIONS
    assert not any(f.startswith("_xlfn") for f in used)


def test_one_chart_per_currency_never_two_currencies_on_one_axis(
    tmp_path: Path, sample_results: estimator.Results
) -> None:
    path = sample_results.to_excel(tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    summary = pd.read_excel(path, sheet_name="Summary", nrows=len(sample_results.summary))
    assert len(charts) == summary["Currency"].nunique() == 2
    for xml in charts:
        found = re.findall(r"Summary!\$A\$(\d+)(?::\$A\$(\d+))?<", xml)
        spans = [range(int(a), int(b or a) + 1) for a, b in found]
        assert spans
        currencies = {summary["Currency"].iloc[r - 2] for span in spans for r in span}
        assert len(currencies) == 1, currencies


def test_claims_are_sorted_by_urgency(tmp_path: Path) -> None:
    """Valued on 1 Feb 2022: December 2021 claims are open; a November credit has expired;
    the claims the claim log says were filed by then come last."""
    results = with_november_outage("2022-02-01T00:00:00Z")
    claims = pd.read_excel(results.to_excel(tmp_path / "r.xlsx"), sheet_name="Claims")
    status = claims["Claim status (at the as-of date)"].tolist()
    assert status[0] == "open (27 days left)"
    assert claims.loc[claims["Month (UTC)"] == "2021-11", "Contract"].tolist() == ["streamflix-s3"]
    opened = [s for s in status if s.startswith("open")]
    logged = [s for s in status if s in ("filed", "approved", "rejected", "paid")]
    assert logged == ["approved", "paid"]  # kindling api-gateway and lambda, filed 2022-01-10
    expired = len(status) - len(opened) - len(logged)
    assert expired == 1 and status == [*opened, "expired", *logged]


def test_input_times_are_date_time_cells_in_utc(workbook: Path) -> None:
    ws = openpyxl.load_workbook(workbook)["outages"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(2, header.index("start") + 1)
    assert cell.is_date and cell.value == dt.datetime(2021, 12, 7, 15, 30)
    back = estimator.load_inputs(workbook)
    assert any("read as UTC" in note and "start, end" in note for note in back.notes)


def test_methodology_sheet_is_generated_from_methodology_md(workbook: Path) -> None:
    from tests.conftest import ROOT

    ws = openpyxl.load_workbook(workbook)["Methodology"]
    titles = {c.value for c in ws["A"] if c.value}
    sections = re.findall(r"^## (.*)$", (ROOT / "METHODOLOGY.md").read_text(), re.MULTILINE)
    assert sections and set(sections) <= titles
    text = " ".join(str(c.value) for c in ws["B"] if c.value)
    assert "net_impact = total_loss + credits_payable" in text.replace("**", "")


@pytest.mark.libreoffice
def test_a_column_inserted_into_a_sheet_layout_still_recalculates_right(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample_results: estimator.Results
) -> None:
    """Formulas find their cells by column name: a new column moves every reference."""
    from estimator.reports.workbook import layouts

    for name in ("CREDITS", "RECOVERIES", "SUMMARY", "LOSSES", "TIERS"):
        columns = list(getattr(layouts, name))
        monkeypatch.setattr(layouts, name, [columns[0], "inserted", *columns[1:]])
    path = sample_results.to_excel(tmp_path / "inserted.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["Credits"]["B1"].value == "inserted"
    count, bad = mismatches(path, tmp_path)
    assert count > 200 and not bad, bad[:10]
