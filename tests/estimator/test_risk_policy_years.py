"""A cover's policy period in a risk run is laid onto every simulated year (issue 20.2,
METHODOLOGY §17 "Policy periods in simulated years")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import estimator
from tests.conftest import ROOT, company, parametric_cover, window
from tests.estimator.test_cli import cli

CATALOG_PORTFOLIO = ROOT / "sample_data" / "catalog-portfolio"
EXAMPLE_EVENTS = [  # (year, outage id, start): each event 10 hours on aws us-east-1 ec2
    (1, "feb", "2025-02-10T00:00:00Z"),
    (1, "jun", "2025-06-15T00:00:00Z"),
    (1, "nov", "2025-11-20T00:00:00Z"),
    (2, "mar", "2025-03-31T20:00:00Z"),
]


def example(inception: str | None, expiry: str | None) -> estimator.Inputs:
    """§17's example: a parametric cover paying 1,000 an hour after a 2-hour wait."""
    cover = parametric_cover(hourly=1000, waiting_hours=2)
    cover.update({"inception": inception, "expiry": expiry})
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame([window("2025-01-01T00:00:00Z", "2025-01-01T01:00:00Z")]),
        companies=pd.DataFrame([company()]),
        contracts=pd.DataFrame([cover]),
    )


def example_events() -> pd.DataFrame:
    rows = []
    for year, oid, start in EXAMPLE_EVENTS:
        end = (pd.Timestamp(start) + pd.Timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append({**window(start, end, outage_id=oid), "year": year})
    return pd.DataFrame(rows)


def recoveries(r: estimator.RiskResults, company_id: str = "acme") -> list[float]:
    ylt = r.ylt
    assert ylt is not None
    mine = ylt[ylt["company_id"] == company_id].set_index("year")["insurance_recoveries"]
    return [float(mine.get(y, 0.0)) for y in range(1, r.n_years + 1)]


def aal(r: estimator.RiskResults, company_id: str, measure: str = "insurance_recoveries") -> float:
    alt = r.alt
    return float(
        alt[(alt["company_id"] == company_id) & (alt["measure"] == measure)]["aal"].iloc[0]
    )


def test_the_methodology_example_of_a_period_over_the_year_end() -> None:
    """October to March covers February, late March and November of every simulated year."""
    text = " ".join((ROOT / "METHODOLOGY.md").read_text().split())
    r = estimator.risk(example("2025-10-01T00:00:00Z", "2026-04-01T00:00:00Z"), example_events())
    assert recoveries(r) == [16_000.0, 8_000.0]
    assert aal(r, "acme") == 12_000.0
    whole = estimator.risk(
        example("2025-07-01T00:00:00Z", "2026-07-01T00:00:00Z"), example_events()
    )
    assert recoveries(whole) == [24_000.0, 8_000.0] and aal(whole, "acme") == 16_000.0
    # the period read as dates (as estimate() reads it) would cover November only
    dated = example_events()
    year1 = dated[dated["year"] == 1].drop(columns=["year"])
    frames = example("2025-10-01T00:00:00Z", "2026-04-01T00:00:00Z").to_frames()
    once = estimator.estimate(
        estimator.Inputs.from_frames(**{**frames, "outages": year1}), as_of="2026-01-01T00:00:00Z"
    )
    assert once.recoveries["payout"].tolist() == [0.0, 0.0, 8_000.0]
    for figure in ("2025-10-01", "2026-04-01", "16,000.00", "8,000.00", "12,000.00",
                   "24,000.00", "16,000.00", "4,000.00"):  # fmt: skip
        assert figure in text, figure


def catalog_portfolio(**cover: str | None) -> estimator.Inputs:
    """The catalog portfolio with shopfront-bi's period replaced."""
    frames = estimator.load_inputs(CATALOG_PORTFOLIO).to_frames()
    con = frames["contracts"].copy()
    at = con["contract_id"] == "shopfront-bi"
    for column, value in cover.items():
        con.loc[at, column] = value
    return estimator.Inputs.from_frames(**{**frames, "contracts": con})


@pytest.fixture(scope="module")
def catalog_events() -> pd.DataFrame:
    exposure = estimator.load_inputs(CATALOG_PORTFOLIO)
    catalog = ROOT / "sample_data" / "outage_catalog.csv"
    return estimator.stochastic_events(catalog, years=400, seed=3, exposure=exposure)


def test_a_one_year_period_gives_the_aal_of_no_period(catalog_events: pd.DataFrame) -> None:
    dated = estimator.risk(catalog_portfolio(), catalog_events, years=400)
    undated = estimator.risk(
        catalog_portfolio(inception=None, expiry=None), catalog_events, years=400
    )
    later = estimator.risk(
        catalog_portfolio(inception="2031-03-15T00:00:00Z", expiry="2032-03-15T00:00:00Z"),
        catalog_events,
        years=400,
    )
    assert aal(undated, "shopfront") > 0
    assert aal(dated, "shopfront") == aal(undated, "shopfront") == aal(later, "shopfront")
    assert recoveries(dated, "shopfront") == recoveries(undated, "shopfront")
    # the insured loss is the same: only the period moved
    assert aal(dated, "shopfront", "total_loss") == aal(undated, "shopfront", "total_loss")


def test_two_half_years_add_up_to_the_whole_year(catalog_events: pd.DataFrame) -> None:
    """A parametric cover without limits: the first half of each year (written in 2031) and
    the second (written over a year end in 2019-2020) recover what a whole year does."""

    def gulf(inception: str | None, expiry: str | None) -> list[float]:
        frames = estimator.load_inputs(CATALOG_PORTFOLIO).to_frames()
        con = frames["contracts"].copy()
        at = con["contract_id"] == "gulf-cover"
        con.loc[at, ["inception", "expiry", "limit", "occurrence_limit"]] = [
            inception, expiry, None, None
        ]  # fmt: skip
        inputs = estimator.Inputs.from_frames(**{**frames, "contracts": con})
        return recoveries(estimator.risk(inputs, catalog_events, years=400), "gulf-pay")

    first = gulf("2031-01-01T00:00:00Z", "2031-07-01T00:00:00Z")
    second = gulf("2019-07-01T00:00:00Z", "2020-01-01T00:00:00Z")
    whole = gulf(None, None)
    assert sum(whole) > 0 and 0 < sum(first) < sum(whole) and 0 < sum(second) < sum(whole)
    assert np.allclose(np.add(first, second), whole, rtol=0, atol=0.011)


def test_periods_a_risk_run_cannot_lay_onto_a_year_are_input_errors() -> None:
    frames = estimator.load_inputs(CATALOG_PORTFOLIO).to_frames()
    con = frames["contracts"].copy()
    con.loc[con["contract_id"] == "shopfront-bi", "expiry"] = "2026-07-01T00:00:01Z"
    con.loc[con["contract_id"] == "gulf-cover", "inception"] = None
    inputs = estimator.Inputs.from_frames(**{**frames, "contracts": con})
    with pytest.raises(estimator.InputError) as raised:
        estimator.risk(inputs, example_events())
    rows = {(i.row, i.column): i.message for i in raised.value.issues if i.source == "contracts"}
    shop = int(np.flatnonzero(con["contract_id"] == "shopfront-bi")[0]) + 2
    gulf = int(np.flatnonzero(con["contract_id"] == "gulf-cover")[0]) + 2
    assert set(rows) == {(shop, "expiry"), (gulf, "inception")}
    assert "longer than a year (its expiry is after 2026-07-01T00:00:00Z)" in rows[(shop, "expiry")]
    assert "give both inception and expiry" in rows[(gulf, "inception")]
    # the same inputs still estimate on real dates
    assert len(estimator.estimate(inputs, as_of="2026-01-01T00:00:00Z").summary) == 6


def test_the_command_line_names_the_cover_it_cannot_lay_onto_a_year(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    for f in CATALOG_PORTFOLIO.glob("*.csv"):
        text = f.read_text()
        if f.name == "contracts.csv":
            text = text.replace(
                "2025-07-01T00:00:00Z,2026-07-01T00:00:00Z",
                "2025-07-01T00:00:00Z,2027-07-01T00:00:00Z",
            )
        (folder / f.name).write_text(text)
    done = cli("risk", str(folder), "--years", "10")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    out = done.stderr + done.stdout
    assert "contracts, row 6, column expiry" in out and "longer than a year" in out
