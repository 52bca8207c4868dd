"""Standard errors and convergence of the risk figures (issue 24.4): the order-statistic
standard error of each return-period loss recomputed by hand, the AAL's, and the convergence
rows equal to runs on the first n years alone; the command prints them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import estimator
from estimator.portfolio.convergence import checkpoints
from tests.conftest import ROOT
from tests.estimator.test_cli import cli
from tests.estimator.test_risk import N, event_set, portfolio

PORTFOLIO = ROOT / "sample_data" / "catalog-portfolio"
CATALOG = ROOT / "sample_data" / "outage_catalog.csv"


def at_rank(descending: np.ndarray, rank: float) -> float:
    """The value at a (fractional) rank of values sorted largest first, held to 1..n."""
    rank = min(max(rank, 1.0), float(len(descending)))
    low = math.floor(rank)
    nxt = descending[low] if low < len(descending) else 0.0
    return float(descending[low - 1] + (rank - low) * (nxt - descending[low - 1]))


def test_the_standard_error_of_a_return_period_loss_by_hand() -> None:
    r = estimator.risk(portfolio(), event_set(), years=N)
    assert r.ylt is not None
    acme = r.ylt[r.ylt["company_id"] == "acme"].set_index("year")["total_loss"]
    annual = np.sort(np.r_[acme.to_numpy(), np.zeros(N - len(acme))])[::-1]
    for t in (2, 5, 10, 20):
        p = 1 / t
        s = math.sqrt(N * p * (1 - p))  # binomial spread of the count of years above it
        want = (at_rank(annual, N / t - s) - at_rank(annual, N / t + s)) / 2
        got = r.loss_at(t, company_id="acme", column="se")
        assert got == pytest.approx(want, abs=1e-9), t
    assert r.loss_at(5, company_id="acme", column="se") > 0
    tvar = r.ept[r.ept["ep_type"].str.endswith("TVaR")]
    assert tvar["se"].isna().all()  # not estimated, and said so
    alt = r.alt.set_index(["company_id", "measure"]).loc[("acme", "total_loss")]
    assert alt["se"] == pytest.approx(np.std(annual, ddof=1) / math.sqrt(N))


@pytest.fixture(scope="module")
def catalog_run() -> tuple[estimator.Inputs, object, estimator.RiskResults]:
    inputs = estimator.load_inputs(PORTFOLIO)
    events = estimator.stochastic_events(CATALOG, years=500, seed=2, exposure=inputs)
    return inputs, events, estimator.risk(inputs, events)


def test_convergence_rows_are_runs_on_the_first_years(
    catalog_run: tuple[estimator.Inputs, object, estimator.RiskResults],
) -> None:
    inputs, events, r = catalog_run
    assert checkpoints(500) == [100, 200, 500]
    c = r.convergence.set_index(["years", "measure"])
    assert sorted({n for n, _ in c.index}) == [100, 200, 500]
    first = estimator.risk(inputs, events[events["year"] <= 200], years=200)  # type: ignore[index]
    row = c.loc[(200, "total_loss")]
    assert row["aal"] == pytest.approx(first.alt.set_index(["company_id", "measure"]).loc[
        ("portfolio", "total_loss"), "aal"])  # fmt: skip
    assert row["aep_100"] == pytest.approx(first.loss_at(100))
    assert row["aep_100_se"] == pytest.approx(first.loss_at(100, column="se"))
    assert math.isnan(row["aep_250"])  # 200 years do not reach 1-in-250
    whole = c.loc[(500, "total_loss")]
    assert whole["aep_250"] == pytest.approx(r.loss_at(250))
    assert whole["aal_se"] < c.loc[(100, "total_loss"), "aal_se"]


def test_the_json_has_the_convergence_and_no_nan(
    catalog_run: tuple[estimator.Inputs, object, estimator.RiskResults],
) -> None:
    r = catalog_run[2]

    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    doc = json.loads(r.json_text(), parse_constant=refuse)
    assert len(doc["convergence"]) == len(r.convergence) == 15
    tvar = [e for e in doc["ept"] if e["ep_type"] == "AEP TVaR"]
    assert tvar and all(e["se"] is None for e in tvar)


def test_the_default_run_of_the_catalog_portfolio_prints_each_standard_error() -> None:
    out = cli("risk", str(PORTFOLIO))
    assert out.returncode == 0, out.stderr
    assert "50,000 simulated years" in out.stdout
    lines = out.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if "by return period" in ln)
    periods = [ln.split()[0] for ln in lines[start + 2 : start + 12]]
    assert periods == [f"1-in-{t:,}" for t in (2, 5, 10, 20, 50, 100, 200, 250, 500, 1000)]
    assert all(ln.count("±") == 2 for ln in lines[start + 2 : start + 12])
    at = next(i for i, ln in enumerate(lines) if ln.startswith("Convergence of"))
    block = lines[at + 2 : lines.index("", at)]
    assert [ln.split()[0] for ln in block] == [
        "100", "200", "500", "1,000", "2,000", "5,000", "10,000", "20,000", "50,000",
    ]  # fmt: skip
    assert all(ln.count("±") == 3 for ln in block[2:])  # AAL, 1-in-100 and 1-in-250
