"""A simulation's outputs (issue 13): the command line's percentile table, the workbook's
Uncertainty results sheet beside unchanged deterministic sheets, the JSON, bad input."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import estimator
from estimator.display import format_money
from tests.conftest import SAMPLE, SAMPLE_AS_OF
from tests.estimator.test_cli import cli


@pytest.fixture(scope="module")
def sim(sample_inputs: estimator.Inputs) -> estimator.Simulation:
    return estimator.simulate(sample_inputs, draws=300, seed=2, as_of=SAMPLE_AS_OF)


def test_the_command_prints_p5_p50_p95_per_company_and_writes_both_files(
    tmp_path: Path, sample_inputs: estimator.Inputs
) -> None:
    book, doc = tmp_path / "sim.xlsx", tmp_path / "sim.json"
    out = cli(
        "simulate", str(SAMPLE), "--draws", "300", "--seed", "2", "--as-of", SAMPLE_AS_OF,
        "--out", str(book), "--json", str(doc),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    want = estimator.simulate(sample_inputs, draws=300, seed=2, as_of=SAMPLE_AS_OF).quantiles
    lines = out.stdout.splitlines()
    assert "300 draws, seed 2" in lines[0]
    for measure in ("Total loss", "Credits receivable", "Insurance recoveries", "Net impact"):
        row = want[(want["company_id"] == "paywave") & (want["measure"] == measure)]
        if row.empty:
            key = measure.lower().replace(" ", "_")
            row = want[(want["company_id"] == "paywave") & (want["measure"] == key)]
        line = next(ln for ln in lines if "paywave" in ln and measure in ln)
        for p in ("p5", "p50", "p95"):
            assert format_money(float(row[p].iloc[0]), "USD") in line, (measure, p)
    assert book.exists() and json.loads(doc.read_text())["draws"] == 300


def test_bad_uncertainty_rows_are_every_one_reported_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(SAMPLE, folder)
    (folder / "uncertainty.csv").write_text(
        "table,id,column,distribution,low,mode,high,group\n"
        "outages,aws-use1-2021-12-07,impakt,pert,0.1,0.3,0.6,\n"
        "outages,nope,impact,pert,0.1,0.3,0.6,\n"
        "outages,aws-uswest-2021-12-15,impact,pert,0.6,0.3,0.1,\n"
        "outages,aws-uswest-2021-12-15,duration_hours,uniform,5,7,12,\n"
        "companies,streamflix,recapture_rate,triangular,0.1,0.3,1.6,\n"
        "outages,aws-use1-2021-12-07,duration_hours,uniform,-1,,4,\n"
        "companies,*,revenue_per_hour,pert,100,200,300,rev\n"
        "companies,kindling,annual_revenue,uniform,100,,300,\n"
    )
    out = cli("simulate", str(folder), "--draws", "10")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    err = out.stderr
    assert "7 problems in the inputs" in err
    for where, what in (
        ("row 2, column column", "did you mean 'impact'"),
        ("row 3, column id", "no outage has outage_id 'nope'"),
        ("row 4, column high", "expected low <= mode <= high"),
        ("row 5, column mode", "a uniform distribution has no mode"),
        ("row 6, column high", "recapture_rate values must be at least 0 and at most 1"),
        ("row 7, column low", "duration_hours values must be above 0"),
        ("row 9, column id", "already has a distribution in row 8"),
    ):
        line = next((ln for ln in err.splitlines() if f"uncertainty.csv, {where}" in ln), "")
        assert what in line, (where, err)


def test_the_workbook_adds_the_uncertainty_results_and_keeps_the_deterministic_sheets(
    sim: estimator.Simulation,
) -> None:
    data = sim.excel_bytes()
    names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    plain = sim.results.excel_bytes()
    plain_names = openpyxl.load_workbook(io.BytesIO(plain), read_only=True).sheetnames
    assert [n for n in names if n != "Uncertainty results"] == plain_names
    for sheet in ("Summary", "Credits", "uncertainty"):
        pd.testing.assert_frame_equal(
            pd.read_excel(io.BytesIO(data), sheet_name=sheet),
            pd.read_excel(io.BytesIO(plain), sheet_name=sheet),
        )
    grid = pd.read_excel(io.BytesIO(data), sheet_name="Uncertainty results", header=None)
    settings = dict(zip(grid[0], grid[1], strict=True))
    assert settings["Draws"] == 300 and settings["Seed (same seed, same draws)"] == 2
    top = grid.index[grid[0] == "Percentiles per company and measure"][0]
    block = grid.iloc[top + 2 : top + 2 + len(sim.quantiles)].reset_index(drop=True)
    assert block[0].tolist() == sim.quantiles["company_id"].tolist()
    assert block[2].tolist()[:2] == ["Total loss", "Credits receivable"]
    for k, column in enumerate(sim.quantiles.columns[3:], start=3):
        assert block[k].astype(float).tolist() == pytest.approx(sim.quantiles[column].tolist())


def test_the_json_carries_settings_percentiles_tornado_draws_and_inputs(
    sim: estimator.Simulation,
) -> None:
    doc = json.loads(sim.json_text())
    assert (doc["draws"], doc["seed"], doc["as_of"]) == (300, 2, SAMPLE_AS_OF)
    assert pd.DataFrame(doc["quantiles"]).equals(sim.quantiles)
    assert len(doc["sensitivity"]) == len(sim.sensitivity)
    draws = pd.DataFrame(doc["draw_values"])
    assert draws["net_impact"].tolist() == sim.draws["net_impact"].tolist()
    assert estimator.Inputs.from_frames(
        **{k: pd.DataFrame(v) for k, v in doc["inputs"].items()}
    ).equals(sim.results.inputs)
