"""Portfolio risk on a real Dask cluster (a LocalCluster on 127.0.0.1, two worker processes):
the same numbers as the local run; the command line, its workbook recalculated by LibreOffice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import estimator
from tests.conftest import ROOT
from tests.estimator.test_cli import cli
from tests.estimator.test_excel import mismatches
from tests.estimator.test_risk import N, event_set, portfolio

PORTFOLIO = ROOT / "sample_data" / "catalog-portfolio"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    from estimator.portfolio.cluster import local_cluster

    with local_cluster(2) as c:
        assert c.scheduler.address.startswith("tcp://127.0.0.1:")
        yield c


def test_a_dask_run_equals_the_local_run(client: Any) -> None:
    local = estimator.risk(portfolio(), event_set(), years=N, companies_per_partition=1)
    remote = estimator.risk(
        portfolio(), event_set(), years=N, companies_per_partition=1, client=client
    )
    for name in ("ylt", "elt", "ept", "alt", "accumulation", "year_totals"):
        pd.testing.assert_frame_equal(getattr(local, name), getattr(remote, name), check_exact=True)
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2 and all(w.startswith("tcp://127.0.0.1:") for w in workers)


def test_the_catalog_portfolio_on_the_cluster_equals_local(client: Any) -> None:
    inputs = estimator.load_inputs(PORTFOLIO)
    events = estimator.stochastic_events(
        ROOT / "sample_data" / "outage_catalog.csv", years=300, seed=4, exposure=inputs
    )
    local = estimator.risk(inputs, events, companies_per_partition=2)
    remote = estimator.risk(inputs, events, companies_per_partition=2, client=client)
    pd.testing.assert_frame_equal(local.ept, remote.ept, check_exact=True)
    pd.testing.assert_frame_equal(local.accumulation, remote.accumulation, check_exact=True)


def test_the_command_prints_aal_and_the_100_and_250_year_losses(tmp_path: Path) -> None:
    out = cli(
        "risk", str(PORTFOLIO), "--years", "500", "--seed", "3",
        "--out", str(tmp_path / "risk.xlsx"), "--json", str(tmp_path / "risk.json"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    inputs = estimator.load_inputs(PORTFOLIO)
    events = estimator.stochastic_events(
        ROOT / "sample_data" / "outage_catalog.csv", years=500, seed=3, exposure=inputs
    )
    want = estimator.risk(inputs, events).headline().set_index("measure")
    line = next(ln for ln in out.stdout.splitlines() if ln.strip().startswith("Total loss"))
    for column in ("aal", "aep_100", "aep_250", "oep_100", "oep_250"):
        assert f"{want.loc['total_loss', column]:,.2f}" in line, column
        se = want.loc["total_loss", f"{column}_se"]
        assert f"{want.loc['total_loss', column]:,.2f} ± {se:,.2f}" in line, column
    assert "500 simulated years" in out.stdout and "seed 3" in out.stdout
    assert "Where the loss accumulates" in out.stdout


@pytest.mark.libreoffice
def test_the_risk_workbook_formulas_recalculate_to_the_engines_values(tmp_path: Path) -> None:
    inputs = estimator.load_inputs(PORTFOLIO)
    events = estimator.stochastic_events(
        ROOT / "sample_data" / "outage_catalog.csv", years=400, seed=1, exposure=inputs
    )
    result = estimator.risk(inputs, events)
    path = result.to_excel(tmp_path / "risk.xlsx")
    count, bad = mismatches(path, tmp_path)
    assert count >= 100 and not bad, bad[:10]
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == [
        "Risk", "EP", "ALT", "Accumulation", "Convergence", "Years",
    ]  # fmt: skip
    book = openpyxl.load_workbook(path)
    convergence = book["Convergence"]
    assert [convergence.cell(row=k, column=1).value for k in (2, 3, 4)] == [100, 100, 100]
    assert str(convergence["C2"].value).startswith("=SUM(Years!$B$2:$B$101)")
    assert str(convergence["F2"].value).startswith("=(LARGE(")  # the SE of the 1-in-100 AEP
    ep = pd.DataFrame(book["EP"].values)
    se = ep[(ep[0] == "portfolio") & (ep[3] == "AEP")][6]
    assert se.astype(str).str.startswith("=(").all() and len(se) > 0  # SE formulas, checked above
