"""What-if replays and side-by-side comparison (issue 16): the 7 Dec 2021 outage on Black
Friday 2025, durations, regions, impacts, catalog outages on any portfolio; the Compare sheet
recalculated by LibreOffice; the command line with a library."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import estimator
from estimator.table_columns import SUMMARY_MONEY
from tests.conftest import ROOT, SAMPLE, write_minimal
from tests.estimator.test_cli import cli
from tests.estimator.test_excel import mismatches

OUTAGE = "aws-use1-2021-12-07"
BLACK_FRIDAY = "2025-11-28T14:30:00Z"
AS_OF = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def founding() -> estimator.Inputs:
    return estimator.load_inputs(SAMPLE)


def windows(inputs: estimator.Inputs, outage: str = OUTAGE) -> pd.DataFrame:
    o = inputs.outages
    return o[o["outage_id"] == outage].reset_index(drop=True)


def test_shifting_moves_every_window_by_the_same_amount(founding: estimator.Inputs) -> None:
    moved = estimator.what_if(founding, OUTAGE, shift_to=BLACK_FRIDAY)
    a, b = windows(founding), windows(moved)
    delta = pd.Timestamp(BLACK_FRIDAY) - a["start"].min()
    assert (b["start"] - a["start"] == delta).all() and (b["end"] - a["end"] == delta).all()
    assert b["description"].str.contains("starting 2025-11-28 14:30:00 UTC").all()
    others = founding.outages[founding.outages["outage_id"] != OUTAGE]
    assert len(moved.outages) == len(founding.outages)
    assert (
        moved.outages[moved.outages["outage_id"] != OUTAGE]["start"].tolist()
        == others["start"].tolist()
    )


def test_duration_region_and_impact(founding: estimator.Inputs) -> None:
    longer = windows(estimator.what_if(founding, OUTAGE, duration_factor=2))
    a = windows(founding)
    begin = a["start"].min()
    assert ((longer["start"] - begin) == (a["start"] - begin) * 2).all()
    assert ((longer["end"] - longer["start"]) == (a["end"] - a["start"]) * 2).all()
    moved = windows(estimator.what_if(founding, OUTAGE, region="eu-west-1", impact=0.4))
    assert set(moved["region"]) == {"eu-west-1"} and set(moved["impact"]) == {0.4}
    with pytest.raises(estimator.InputError, match="expected a factor above 0"):
        estimator.what_if(founding, OUTAGE, duration_factor=0)
    with pytest.raises(estimator.InputError) as err:
        estimator.what_if(founding, OUTAGE, impact=1.5)
    assert {i.column for i in err.value.issues} == {"impact"}


def test_a_catalog_outage_replays_against_any_portfolio(founding: estimator.Inputs) -> None:
    replay = estimator.what_if(founding, "aws-ddb-dns-use1-2025-10-20")
    added = windows(replay, "aws-ddb-dns-use1-2025-10-20")
    assert len(added) == 6 and len(replay.outages) == len(founding.outages) + 6
    with pytest.raises(estimator.InputError, match="no outage has this id"):
        estimator.what_if(founding, "aws-use1-2021-12-08")


def test_black_friday_compared_with_the_original_per_company(founding: estimator.Inputs) -> None:
    a = estimator.estimate(founding, as_of=AS_OF)
    b = estimator.estimate(estimator.what_if(founding, OUTAGE, shift_to=BLACK_FRIDAY), as_of=AS_OF)
    c = estimator.compare(a, b, names=("7 Dec 2021", "Black Friday 2025"))
    s = c.summary
    assert len(s) == len(a.summary) * len(SUMMARY_MONEY)
    want_a = a.summary.set_index("company_id")
    want_b = b.summary.set_index("company_id")
    for rec in s.itertuples():
        assert rec.a == want_a.loc[rec.company_id, rec.measure]
        assert rec.b == want_b.loc[rec.company_id, rec.measure]
        assert rec.difference == round(rec.b - rec.a, 2)
    loss = s[s["measure"] == "total_loss"].set_index("company_id")["difference"]
    assert loss["streamflix"] > 0 and loss["pacific-air"] == 0  # pacific-air is on us-west-2
    changed = c.changes
    # the replayed month has no charges: fee-less contracts take their mean monthly charges;
    # the claim log (about the real event) is left out
    assert set(changed["table"]) == {"outages", "contracts", "claim_log"}
    moved = changed[changed["table"] == "outages"]
    assert (
        set(moved["change"]) == {"changed"} and moved["columns"].str.startswith("start, end").all()
    )
    fees = changed[changed["table"] == "contracts"].set_index("key")
    assert set(fees["columns"]) == {"monthly_fee"}
    assert fees["b"].astype(float).to_dict() == {
        "blue-air-route53": 12000.0, "kindling-apigw": 60000.0,
        "kindling-ddb": 85000.0, "kindling-lambda": 120000.0,
    }  # fmt: skip
    assert set(changed.loc[changed["table"] == "claim_log", "change"]) == {"removed"}


@pytest.mark.libreoffice
def test_the_compare_sheet_beside_the_workbook_recalculates(
    founding: estimator.Inputs, tmp_path: Path
) -> None:
    a = estimator.estimate(founding, as_of=AS_OF)
    b = estimator.estimate(estimator.what_if(founding, OUTAGE, duration_factor=0.5), as_of=AS_OF)
    path = estimator.compare(a, b).to_excel(tmp_path / "compare.xlsx")
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert names[-2:] == ["Compare", "Methodology"] and names[0] == "Summary"
    count, bad = mismatches(path, tmp_path)
    assert count > 100 and not bad, bad[:5]


def test_the_command_line_library_flow(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lib.sqlite'}"
    saved = cli("library", "save", str(SAMPLE), "--name", "founding", "--estimate",
                "--as-of", AS_OF, "--db", db)  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    assert "saved scenario 1 (founding)" in saved.stdout and "saved estimate 1" in saved.stdout
    listed = cli("library", "list", "--db", db)
    assert "founding" in listed.stdout and listed.returncode == 0
    taken = cli("library", "save", str(SAMPLE), "--name", "founding", "--db", db)
    assert taken.returncode == 2 and "already taken" in taken.stderr
    assert "Traceback" not in taken.stderr
    replay = cli("what-if", "1", OUTAGE, "--shift-to", BLACK_FRIDAY, "--as-of", AS_OF,
                 "--save", "black friday", "--db", db)  # fmt: skip
    assert replay.returncode == 0, replay.stderr
    assert "saved the what-if as scenario 2" in replay.stdout
    both = cli("compare", "estimate:1", "estimate:2", "--db", db)
    line = next(ln for ln in both.stdout.splitlines() if "streamflix" in ln and "Total loss" in ln)
    founding = estimator.load_inputs(SAMPLE)
    a = estimator.estimate(founding, as_of=AS_OF)
    b = estimator.estimate(estimator.what_if(founding, OUTAGE, shift_to=BLACK_FRIDAY), as_of=AS_OF)
    rows = estimator.compare(a, b).summary.set_index(["company_id", "measure"])
    assert f"{rows.loc[('streamflix', 'total_loss'), 'difference']:,.2f}" in line  # as the API
    missing = cli("library", "show", "7", "--db", db)
    assert missing.returncode == 2 and "no scenario has id 7" in missing.stderr
    gone = cli("library", "delete", "1", "--db", db)
    assert gone.returncode == 0 and "deleted scenario 1" in gone.stdout
    down = cli("library", "list", "--db", "postgresql+psycopg://a:pw123@127.0.0.1:1/x")
    assert down.returncode == 2 and "pw123" not in down.stderr and "a:***@" in down.stderr


def test_the_bundled_catalog_is_what_what_if_replays() -> None:
    assert estimator.bundled_catalog() == ROOT / "sample_data" / "outage_catalog.csv"


def test_compare_on_a_scenario_of_only_the_three_required_tables(tmp_path: Path) -> None:
    """Issue 20.1: no exclusions, profiles, uncertainty or FX tables on either side."""
    inputs = estimator.load_inputs(write_minimal(tmp_path / "min"))
    a = estimator.estimate(inputs, as_of=AS_OF)
    b = estimator.estimate(estimator.what_if(inputs, "o1", duration_factor=2), as_of=AS_OF)
    c = estimator.compare(a, b)
    loss = c.summary.set_index("measure").loc["total_loss"]
    assert loss["a"] == a.summary.loc[0, "total_loss"] == 2500.0
    assert loss["b"] == b.summary.loc[0, "total_loss"] == 5000.0 and loss["difference"] == 2500.0
    assert c.changes[["table", "key", "change"]].values.tolist() == [["outages", "o1", "changed"]]
    assert c.changes.loc[0, "columns"].startswith("end")
    same = estimator.compare(a, a)
    assert same.changes.empty and (same.summary["difference"] == 0).all()
    names = openpyxl.load_workbook(c.to_excel(tmp_path / "c.xlsx"), read_only=True).sheetnames
    assert "Compare" in names
    full = estimator.estimate(estimator.load_inputs(SAMPLE), as_of=AS_OF)
    across = estimator.compare(a, full).changes  # optional tables empty on one side only
    added = across[across["change"] == "added"]
    assert {"exclusions", "revenue_profiles", "fx_rates"} <= set(added["table"])
    assert set(across.loc[across["change"] == "removed", "key"]) >= {"acme", "c1", "o1"}


def test_the_command_line_compares_three_table_scenarios(tmp_path: Path) -> None:
    folder = write_minimal(tmp_path / "min")
    longer = estimator.what_if(estimator.load_inputs(folder), "o1", duration_factor=2)
    other = longer.write_csv_folder(tmp_path / "longer")
    both = cli("compare", str(folder), str(other), "--as-of", AS_OF)
    assert both.returncode == 0, both.stderr
    line = next(ln for ln in both.stdout.splitlines() if "Total loss" in ln)
    assert "2,500.00" in line and "5,000.00" in line
    assert "Inputs changed: 1 row(s)" in both.stdout
    replay = cli("what-if", str(folder), "o1", "--duration-factor", "2", "--as-of", AS_OF)
    assert replay.returncode == 0, replay.stderr
    assert "Traceback" not in replay.stderr and "5,000.00" in replay.stdout
