"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

A new user's path: open the app, see the sample scenario's figures (equal to estimate()),
edit a fee and see the credit follow, upload a CSV with an error and read the message,
download the workbook and check its totals. A screenshot of the results page is saved
in test-artifacts/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

import estimator
from estimator.display import format_money
from tests.conftest import ROOT, SAMPLE, need_tool

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    need_tool("chromium")
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture()
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=need_tool("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1500, "height": 1300}, accept_downloads=True
        )
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(server, wait_until="domcontentloaded")
        wait_for_app(pg)
        yield pg
        browser.close()


def wait_for_app(pg: object) -> None:
    pg.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")  # type: ignore[attr-defined]


def as_of_value(pg: object) -> str:
    """The as-of field's value, once the page has filled it in."""
    field = pg.locator("input[aria-label='As of (UTC)']")  # type: ignore[attr-defined]
    expect(field).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}T"))
    return str(field.input_value())


def metric(pg: object, name: str) -> str:
    box = pg.locator("[data-testid='stMetric']").filter(has_text=name).first  # type: ignore[attr-defined]
    return str(box.locator("[data-testid='stMetricValue']").inner_text()).strip()


def test_first_open_shows_the_sample_figures_and_a_screenshot(
    page: object, sample_inputs: estimator.Inputs
) -> None:
    pg = page
    pg.wait_for_selector("[data-testid='stMetric']")  # type: ignore[attr-defined]
    as_of = as_of_value(pg)
    results = estimator.estimate(sample_inputs, as_of=as_of)
    for row in results.totals().to_dict(orient="records"):
        cur = row["currency"]
        assert metric(pg, f"Total loss ({cur})") == format_money(row["total_loss"], cur)
        assert metric(pg, f"Credits receivable ({cur})") == format_money(
            row["credits_receivable"], cur
        )
        assert metric(pg, f"Net impact ({cur})") == format_money(row["net_impact"], cur)
    assert "Sample: AWS us-east-1 outage, 7 Dec 2021" in pg.inner_text("body")  # type: ignore[attr-defined]
    assert as_of == "2022-01-01T00:00:00Z"  # the founding sample's valuation time
    # users get no developer menu: no Deploy button, no main menu
    assert pg.locator("[data-testid='stAppDeployButton']").count() == 0  # type: ignore[attr-defined]
    assert pg.locator("[data-testid='stMainMenu']").count() == 0  # type: ignore[attr-defined]

    ARTIFACTS.mkdir(exist_ok=True)
    pg.wait_for_timeout(1500)  # type: ignore[attr-defined]
    pg.screenshot(path=str(ARTIFACTS / "app-results.png"))  # type: ignore[attr-defined]
    assert (ARTIFACTS / "app-results.png").stat().st_size > 20_000


def test_editing_a_fee_changes_the_credit(page: object) -> None:
    pg = page
    before = metric(pg, "Credits receivable (USD)")
    assert before == "476,500.00"
    pg.get_by_role("tab", name="Inputs").click()  # type: ignore[attr-defined]
    grid = pg.locator("[data-testid='stDataFrame']:visible").nth(2)  # contracts  # type: ignore[attr-defined]
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # select row 2 (streamflix-s3), contract_id, then move to monthly_fee (10 to the right);
    # grid column 1 is the row number shown at the left, so contract_id is column 2
    assert grid.locator("[data-testid='glide-cell-1-1']").inner_text() == "2"
    assert grid.locator("[data-testid='glide-cell-2-1']").inner_text() == "streamflix-s3"
    pg.mouse.click(box["x"] + 150, box["y"] + 35 + 35 + 17)  # type: ignore[attr-defined]
    expect(grid.locator("[data-testid='glide-cell-2-1']")).to_have_attribute(
        "aria-selected", "true"
    )
    for _ in range(10):
        pg.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    fee = grid.locator("[data-testid='glide-cell-12-1']")
    expect(fee).to_have_attribute("aria-selected", "true")
    assert fee.inner_text() == "3000000"
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    editor = pg.locator("#portal input, #portal textarea").last  # type: ignore[attr-defined]
    editor.wait_for(state="visible")
    editor.fill("4000000")
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    pg.get_by_role("tab", name="Results").click()  # type: ignore[attr-defined]
    pg.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('576,500.00'))"
    )
    # 10 % of the new 4,000,000 fee instead of 3,000,000: 100,000 more
    assert metric(pg, "Credits receivable (USD)") == "576,500.00"


def test_uploading_a_csv_with_an_error_shows_the_message(page: object) -> None:
    pg = page
    pg.get_by_text("Upload your own files").click()  # type: ignore[attr-defined]
    uploader = pg.locator("[data-testid='stSidebar'] [data-testid='stFileUploaderDropzoneInput']")  # type: ignore[attr-defined]
    files = []
    for name in ("outages", "companies", "contracts", "revenue_profiles", "charges", "claim_log"):
        text = (SAMPLE / f"{name}.csv").read_text()
        if name == "companies":
            text = text.replace("evening_peak,0.3", "evening_peak,1.3", 1)  # recapture 130 %
        files.append({"name": f"{name}.csv", "mimeType": "text/csv", "buffer": text.encode()})
    uploader.set_input_files(files)
    pg.wait_for_timeout(1500)  # type: ignore[attr-defined]
    pg.get_by_role("button", name="Load these files").click()  # type: ignore[attr-defined]
    error = pg.locator("[data-testid='stAlertContentError']").filter(  # type: ignore[attr-defined]
        has_text="The inputs have 1 problem"
    )
    error.wait_for()
    text = error.inner_text()
    # rows as numbered at the left of the app's table: kindling is the second company
    assert "row 2, column recapture_rate" in text
    assert "expected a share from 0 to 1" in text and "1.3" in text


def test_downloading_the_workbook_gives_the_same_totals(
    page: object, sample_inputs: estimator.Inputs, tmp_path: Path
) -> None:
    pg = page
    as_of = as_of_value(pg)
    with pg.expect_download() as info:  # type: ignore[attr-defined]
        pg.get_by_role("button", name="Workbook (.xlsx)").click()  # type: ignore[attr-defined]
    path = tmp_path / "downloaded.xlsx"
    info.value.save_as(path)
    results = estimator.estimate(sample_inputs, as_of=as_of)
    ws = openpyxl.load_workbook(path, data_only=True)["Summary"]
    rows = {ws.cell(r, 1).value: r for r in range(2, len(results.summary) + 2)}
    for row in results.summary.itertuples():
        r = rows[row.company_id]
        assert ws.cell(r, 3).value == row.total_loss
        assert ws.cell(r, 7).value == row.net_impact
    assert estimator.load_inputs(path).equals(sample_inputs)


def test_chromium_is_the_system_one() -> None:
    """CI installs Debian's chromium; the tests never download a browser."""
    exe = need_tool("chromium")
    assert os.path.realpath(exe).startswith("/usr/")


def test_a_simulation_in_the_uncertainty_tab(page: object, sample_inputs: estimator.Inputs) -> None:
    """Run 500 draws: the percentile table shows simulate()'s P50, and both charts draw."""
    pg = page
    as_of = as_of_value(pg)
    pg.get_by_role("tab", name="Uncertainty").click()  # type: ignore[attr-defined]
    draws = pg.locator("input[aria-label='Draws']")  # type: ignore[attr-defined]
    draws.fill("500")
    pg.get_by_role("button", name="Run simulation").click()  # type: ignore[attr-defined]
    charts = pg.locator("[data-testid='stVegaLiteChart']:visible")  # type: ignore[attr-defined]
    expect(charts).to_have_count(2, timeout=90_000)  # the histogram and the tornado
    sim = estimator.simulate(sample_inputs, draws=500, seed=0, as_of=as_of)
    q = sim.quantiles
    p50 = q[(q["company_id"] == "streamflix") & (q["measure"] == "total_loss")]["p50"].iloc[0]
    grid = (
        pg.locator("[data-testid='stDataFrame']:visible")
        .filter(  # type: ignore[attr-defined]
            has_text="streamflix"
        )
        .last
    )
    expect(grid.get_by_text(format_money(float(p50), "USD"), exact=True)).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    charts.last.scroll_into_view_if_needed()
    pg.wait_for_timeout(1000)  # type: ignore[attr-defined]
    pg.screenshot(path=str(ARTIFACTS / "app-uncertainty.png"))  # type: ignore[attr-defined]
    assert (ARTIFACTS / "app-uncertainty.png").stat().st_size > 20_000


def test_portfolio_risk_draws_its_curves(page: object, sample_inputs: estimator.Inputs) -> None:
    """Run 200 simulated years: the AAL shown is estimator.risk's; the EP and convergence charts draw."""
    pg = page
    pg.get_by_role("tab", name="Portfolio risk").click()  # type: ignore[attr-defined]
    pg.locator("input[aria-label='Simulated years']").fill("200")  # type: ignore[attr-defined]
    pg.get_by_role("button", name="Run portfolio risk").click()  # type: ignore[attr-defined]
    charts = pg.locator("[data-testid='stVegaLiteChart']:visible")  # type: ignore[attr-defined]
    expect(charts).to_have_count(2, timeout=90_000)  # the EP curves and the convergence
    events = estimator.stochastic_events(
        estimator.bundled_catalog(), years=200, seed=0, exposure=sample_inputs
    )
    aal = estimator.risk(sample_inputs, events).headline().set_index("measure")
    shown = format_money(float(aal.loc["total_loss", "aal"]), "USD")
    grids = pg.locator("[data-testid='stDataFrame']:visible")  # type: ignore[attr-defined]
    headline = grids.filter(has_text="SE (AEP 100)")
    expect(headline.get_by_text(shown, exact=True)).to_have_count(1)
    converging = grids.filter(has_text="AEP 1-in-100 SE")  # its last row: all 200 years
    expect(converging.get_by_text(shown, exact=True)).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    charts.first.scroll_into_view_if_needed()
    pg.wait_for_timeout(800)  # type: ignore[attr-defined]
    pg.screenshot(path=str(ARTIFACTS / "app-risk.png"))  # type: ignore[attr-defined]


def test_saving_the_scenario_in_the_library_tab(page: object) -> None:
    """Save from the browser; the library (the test session's own file) lists it."""
    pg = page
    pg.get_by_role("tab", name="Library").click()  # type: ignore[attr-defined]
    pg.get_by_role("textbox", name="Name", exact=True).fill("from the browser")  # type: ignore[attr-defined]
    pg.get_by_role("button", name="Save").click()  # type: ignore[attr-defined]
    pg.get_by_text("Saved as scenario").wait_for()  # type: ignore[attr-defined]
    listed = estimator.Library().list()
    assert "from the browser" in listed["name"].tolist()
