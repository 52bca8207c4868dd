"""The engine's totals path against the full path (every result table, then summed), on random
portfolios: identical money to the cent for every company, and for every draw of
``simulate()`` and every simulated year of ``risk()``.

Portfolios are ``bench/generate.py``'s (custom tiers, failover, customer SLAs, custom revenue
profiles, JPY, overlapping phases and wildcards), with more drawn on top at the hard places:
windows of exactly 1 % and 5 % of their month (the tier boundaries 99 and 95 of the generated
terms), windows across a month end, and insurance covers whose waiting periods, deductibles,
occurrence and aggregate limits bind, some deducting SLA credits, some on gross profit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import estimator
from bench.generate import generate
from estimator.engine.totals import price_totals
from estimator.table_columns import SUMMARY_MONEY
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "aws-2021-12-07"

MONTHS = ["2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01", "2025-12-01"]


def _iso(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def _boundary_windows(draw: Any, contracts: pd.DataFrame) -> list[dict[str, object]]:
    """Windows of exactly 1 % or 5 % of a month on a provider contract's own service."""
    provider = contracts[contracts["kind"] == "provider"].reset_index(drop=True)
    rows = []
    for k in range(draw(st.integers(0, 4))):
        c = provider.iloc[draw(st.integers(0, len(provider) - 1))]
        month = pd.Timestamp(draw(st.sampled_from(MONTHS)), tz="UTC")
        seconds = int((month + pd.offsets.MonthBegin(1) - month).total_seconds())
        length = seconds * draw(st.sampled_from([1, 5])) // 100
        start = month + pd.Timedelta(seconds=draw(st.integers(0, seconds - length)))
        rows.append(
            {
                "outage_id": f"edge-{k}",
                "provider": c["provider"],
                "region": c["region"],
                "service": c["service"],
                "start": _iso(start),
                "end": _iso(start + pd.Timedelta(seconds=length)),
                "impact": 1.0,
            }
        )
    return rows


def _month_end_windows(draw: Any, outages: pd.DataFrame) -> list[dict[str, object]]:
    """Copies of generated windows moved across a month end."""
    rows = []
    for k in range(draw(st.integers(0, 3))):
        w = outages.iloc[draw(st.integers(0, len(outages) - 1))]
        end = pd.Timestamp(draw(st.sampled_from(MONTHS[1:])), tz="UTC")
        before = pd.Timedelta(seconds=draw(st.integers(60, 6 * 3600)))
        after = pd.Timedelta(seconds=draw(st.integers(60, 6 * 3600)))
        rows.append(
            {**w.to_dict(), "outage_id": f"split-{k}", "start": _iso(end - before)}
            | {"end": _iso(end + after)}
        )
    return rows


def _covers(draw: Any, companies: pd.DataFrame) -> pd.DataFrame:
    """Covers with binding terms for a few companies (on every provider's windows)."""
    n = draw(st.integers(1, min(6, len(companies))))
    rows = []
    for k in range(n):
        parametric = draw(st.booleans())
        rows.append(
            {
                "contract_id": f"cover-{k}",
                "company_id": companies["company_id"].iloc[k],
                "kind": "insurance",
                "provider": draw(st.sampled_from(["aws", "azure", "gcp"])),
                "region": "*",
                "service": "*",
                "downtime_threshold": draw(st.sampled_from([0.25, 0.5, 1.0])),
                "cover": "parametric" if parametric else "indemnity",
                "waiting_hours": draw(st.sampled_from([0, 1, 2])),
                "hourly_payout": 1_000.0 if parametric else np.nan,
                "deductible": np.nan if parametric else draw(st.sampled_from([0.0, 500.0])),
                "limit": (limit := draw(st.sampled_from([2_500.0, 40_000.0, 5_000_000.0]))),
                "occurrence_limit": draw(st.sampled_from([np.nan, limit / 2, limit])),
                "other_recoveries": np.nan if parametric else draw(st.sampled_from(["deduct", "ignore"])),
                "basis": np.nan if parametric else draw(st.sampled_from(["revenue", "gross_profit"])),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


@st.composite
def portfolios(draw: Any) -> Path:
    """A folder of input files: a generated portfolio with the hard places drawn on top."""
    folder = Path(tempfile.mkdtemp(prefix="totals-"))
    generate(
        folder, draw(st.integers(3, 30)), draw(st.integers(4, 40)), seed=draw(st.integers(0, 10**6))
    )
    companies = pd.read_csv(folder / "companies.csv")
    companies["gross_margin"] = draw(st.sampled_from([0.3, 0.6]))
    companies.to_csv(folder / "companies.csv", index=False)
    contracts = pd.read_csv(folder / "contracts.csv")
    outages = pd.read_csv(folder / "outages.csv")
    extra = _boundary_windows(draw, contracts) + _month_end_windows(draw, outages)
    pd.concat([outages, pd.DataFrame(extra)], ignore_index=True).to_csv(
        folder / "outages.csv", index=False
    )
    contracts = pd.concat([contracts, _covers(draw, companies)], ignore_index=True)
    contracts.to_csv(folder / "contracts.csv", index=False)
    return folder  # fmt: skip


def _same_money(full: pd.DataFrame, totals: dict[str, np.ndarray]) -> None:
    for m in SUMMARY_MONEY:
        np.testing.assert_array_equal(totals[m], full[m].to_numpy(np.float64), err_msg=m)


@settings(max_examples=40)
@given(portfolios(), st.sampled_from(["max", "independent"]))
def test_totals_equal_the_summary_of_every_table(folder: Path, rule: str) -> None:
    inputs = estimator.load_inputs(folder)
    full = estimator.estimate(inputs, dependency_rule=rule)
    t = price_totals(inputs, dependency_rule=rule, as_of=full.as_of)
    _same_money(full.summary, t.money)
    # each event's loss is the losses table's, row for row
    by_event = pd.DataFrame(
        {
            "company_id": inputs.companies["company_id"].to_numpy(object)[t.event_company],
            "outage_id": t.event_names.to_numpy(object)[t.event],
            "total_loss": t.event_loss,
        }
    ).sort_values(["company_id", "outage_id"], ignore_index=True)
    expected = full.losses.sort_values(["company_id", "outage_id"], ignore_index=True)
    np.testing.assert_array_equal(by_event["total_loss"], expected["total_loss"])
    assert by_event["outage_id"].tolist() == expected["outage_id"].astype(str).tolist()


def test_the_founding_sample_has_every_measure_in_play() -> None:
    """The sample's totals hold losses, both kinds of credit and recoveries (so the equality
    above is not only a comparison of zeros)."""
    inputs = estimator.load_inputs(SAMPLE)
    r = estimator.estimate(inputs)
    t = price_totals(inputs, as_of=r.as_of)
    _same_money(r.summary, t.money)
    assert all(t.money[m].sum() > 0 for m in SUMMARY_MONEY[:4])


@settings(max_examples=8)
@given(st.integers(0, 10**6), st.integers(20, 60))
def test_risk_gives_the_same_year_and_event_tables_by_both_paths(seed: int, n: int) -> None:
    from bench.risk import portfolio

    inputs = estimator.load_inputs(portfolio(Path(tempfile.mkdtemp(prefix="risk-")), n))
    events = estimator.stochastic_events(
        estimator.bundled_catalog(), years=150, seed=seed, exposure=inputs
    )
    full = estimator.risk(inputs, events, engine="full")
    totals = estimator.risk(inputs, events)
    assert len(full.ylt) > 0
    pd.testing.assert_frame_equal(totals.ylt, full.ylt)
    pd.testing.assert_frame_equal(totals.elt, full.elt)
    pd.testing.assert_frame_equal(totals.headline(), full.headline())


def test_simulate_gives_the_same_draws_and_tornado_by_both_paths() -> None:
    inputs = estimator.load_inputs(SAMPLE)
    full = estimator.simulate(inputs, draws=60, seed=3, engine="full")
    totals = estimator.simulate(inputs, draws=60, seed=3)
    pd.testing.assert_frame_equal(totals.draws, full.draws)
    pd.testing.assert_frame_equal(totals.sensitivity, full.sensitivity)
    assert full.draws["total_loss"].nunique() > 10  # the draws differ: not one number repeated


def test_an_unknown_engine_is_named() -> None:
    inputs = estimator.load_inputs(SAMPLE)
    with pytest.raises(ValueError, match=r"unknown engine 'fast'.*totals, full"):
        estimator.simulate(inputs, draws=5, engine="fast")
    with pytest.raises(ValueError, match="unknown engine"):
        estimator.risk(inputs, pd.DataFrame(), years=5, engine="fast")


def test_the_commands_take_an_engine_and_print_the_same_figures_by_both() -> None:
    from tests.estimator.test_cli import cli

    portfolio = ROOT / "sample_data" / "catalog-portfolio"
    runs = [cli("risk", str(portfolio), "--years", "300", *e) for e in ([], ["--engine", "full"])]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert "engine totals" in runs[0].stdout and "engine full" in runs[1].stdout
    strip = [r.stdout.replace("engine full", "engine totals") for r in runs]
    assert strip[0] == strip[1]  # every figure, every line
    when = ["--as-of", "2022-01-01T00:00:00Z"]
    sims = [
        cli("simulate", str(SAMPLE), "--draws", "200", *when, *e)
        for e in ([], ["--engine", "full"])
    ]
    assert all(r.returncode == 0 for r in sims), sims[-1].stderr
    assert sims[0].stdout == sims[1].stdout and "P90" in sims[0].stdout
