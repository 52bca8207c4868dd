"""Portfolio risk (issue 14): a hand-made 20-year event set whose year and event losses come
from estimate() on each year; EP at whole ranks, TVaR, AEP >= OEP; FX; partitions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import estimator
from tests.conftest import company, parametric_cover, provider_contract, window

N = 20
EVENTS = [  # (year, outage id, start, end, impact, service)
    (3, "a", "2025-03-10T10:00:00Z", "2025-03-10T14:00:00Z", 1.0, "ec2"),
    (7, "b", "2025-05-01T08:00:00Z", "2025-05-01T09:30:00Z", 1.0, "ec2"),
    (7, "c", "2025-05-20T08:00:00Z", "2025-05-20T16:00:00Z", 0.5, "ec2"),
    (12, "d", "2025-09-02T00:00:00Z", "2025-09-02T06:00:00Z", 1.0, "s3"),
    (19, "e", "2025-11-11T11:00:00Z", "2025-11-11T12:00:00Z", 1.0, "ec2"),
]
FX = pd.DataFrame({"currency": ["EUR"], "rate": [1.25]})


def portfolio(fx: pd.DataFrame | None = FX) -> estimator.Inputs:
    """acme (USD) buys EC2 and S3; beta (EUR) buys EC2 and holds a parametric cover."""
    cover = parametric_cover("beta-cover", "beta", hourly=500, waiting_hours=1)
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame([window("2025-01-01T00:00:00Z", "2025-01-01T01:00:00Z")]),
        companies=pd.DataFrame([company("acme"), company("beta", per_hour=7200, currency="EUR")]),
        contracts=pd.DataFrame(
            [
                provider_contract("acme-ec2", "acme", share=0.8, tiers="99.9:10, 99:25"),
                provider_contract("acme-s3", "acme", share=0.5, service="s3", tiers="99.9:10"),
                provider_contract("beta-ec2", "beta", share=1.0, tiers="99.9:10"),
                cover,
            ]
        ),
        fx_rates=fx,
    )


def event_set() -> pd.DataFrame:
    rows = []
    for year, oid, start, end, impact, service in EVENTS:
        rows.append({**window(start, end, impact, outage_id=oid, service=service), "year": year})
    return pd.DataFrame(rows)


def by_year(inputs: estimator.Inputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each year priced alone with estimate(): its summary, and each event's loss."""
    years, events = [], []
    frames = inputs.to_frames()
    for year in sorted({e[0] for e in EVENTS}):
        outages = event_set()
        outages = outages[outages["year"] == year].drop(columns=["year"])
        one = estimator.Inputs.from_frames(**{**frames, "outages": outages})
        r = estimator.estimate(one, as_of="2030-01-01T00:00:00Z")
        years.append(r.summary.assign(year=year))
        events.append(r.losses.assign(year=year))
    return pd.concat(years, ignore_index=True), pd.concat(events, ignore_index=True)


@pytest.fixture(scope="module")
def result() -> estimator.RiskResults:
    return estimator.risk(portfolio(), event_set(), years=N)


def dense(values: dict[int, float]) -> np.ndarray:
    out = np.zeros(N)
    for year, v in values.items():
        out[year - 1] = v
    return out


def test_the_year_and_event_losses_are_estimate_on_each_year(
    result: estimator.RiskResults,
) -> None:
    want_years, want_events = by_year(portfolio())
    ylt = result.ylt
    assert ylt is not None and result.elt is not None
    merged = ylt.merge(want_years, on=["year", "company_id"], suffixes=("", "_want"))
    assert len(merged) == len(
        want_years[want_years[["total_loss", "net_impact"]].ne(0).any(axis=1)]
    )
    for m in ("total_loss", "credits_receivable", "insurance_recoveries", "net_impact"):
        assert merged[m].tolist() == merged[f"{m}_want"].tolist(), m
    elt = result.elt.set_index(["year", "outage_id", "company_id"])["total_loss"]
    for rec in want_events.itertuples():
        assert elt[(rec.year, rec.outage_id, rec.company_id)] == pytest.approx(rec.total_loss)
    # an event's share of the year's credits and recoveries adds up to the year
    sums = result.elt.groupby(["year", "company_id"])[["credits_receivable", "net_impact"]].sum()
    again = ylt.set_index(["year", "company_id"])[["credits_receivable", "net_impact"]]
    pd.testing.assert_frame_equal(sums.loc[again.index], again, check_exact=False, rtol=1e-12)


def test_aal_and_ep_at_whole_ranks(result: estimator.RiskResults) -> None:
    """N = 20: 1-in-10 is the 2nd largest year, 1-in-5 the 4th, 1-in-20 the largest."""
    want_years, want_events = by_year(portfolio())
    acme = want_years[want_years["company_id"] == "acme"].set_index("year")["total_loss"]
    annual = np.sort(dense(acme.to_dict()))[::-1]
    assert result.alt.set_index(["company_id", "measure"]).loc[
        ("acme", "total_loss"), "aal"
    ] == pytest.approx(annual.sum() / N)
    for t, rank in ((20, 1), (10, 2), (5, 4), (2, 10)):
        assert result.loss_at(t, company_id="acme") == pytest.approx(annual[rank - 1]), t
    events = want_events[want_events["company_id"] == "acme"]
    largest = np.sort(dense(events.groupby("year")["total_loss"].max().to_dict()))[::-1]
    assert result.loss_at(10, company_id="acme", ep_type="OEP") == pytest.approx(largest[1])
    # the portfolio, in USD: acme + 1.25 x beta, year by year
    rate = want_years["currency"].map({"USD": 1.0, "EUR": 1.25})
    total = (want_years["total_loss"] * rate).groupby(want_years["year"]).sum()
    portfolio_years = np.sort(dense(total.to_dict()))[::-1]
    assert result.loss_at(10) == pytest.approx(portfolio_years[1])
    port = result.alt.set_index(["company_id", "measure"]).loc[("portfolio", "total_loss")]
    assert port["aal"] == pytest.approx(portfolio_years.sum() / N)
    assert port["std"] == pytest.approx(np.std(portfolio_years, ddof=1))


def test_tvar_is_at_least_the_loss_and_aep_at_least_oep(result: estimator.RiskResults) -> None:
    e = result.ept.pivot_table(
        index=["company_id", "measure", "return_period"], columns="ep_type", values="loss"
    )
    assert (e["AEP TVaR"] >= e["AEP"] - 1e-9).all() and (e["OEP TVaR"] >= e["OEP"] - 1e-9).all()
    loss = e.xs("total_loss", level="measure")
    assert (loss["AEP"] >= loss["OEP"] - 1e-9).all()
    assert set(result.ept["return_period"]) == {2, 5, 10, 20}  # what 20 years allow


def test_interpolated_return_period_between_ranks() -> None:
    """25 years: 1-in-10 is rank 2.5, halfway between the 2nd and 3rd largest years."""
    r = estimator.risk(portfolio(), event_set(), years=25)
    ylt = r.ylt
    assert ylt is not None
    acme = ylt[ylt["company_id"] == "acme"].set_index("year")["total_loss"]
    annual = np.sort(np.r_[acme.to_numpy(), np.zeros(25 - len(acme))])[::-1]
    assert r.loss_at(10, company_id="acme") == pytest.approx((annual[1] + annual[2]) / 2)
    tvar = r.loss_at(10, company_id="acme", ep_type="AEP TVaR")
    assert tvar == pytest.approx((annual[0] + annual[1] + 0.5 * annual[2]) / 2.5)


def test_a_missing_fx_rate_is_an_input_error() -> None:
    with pytest.raises(estimator.InputError) as err:
        estimator.risk(portfolio(fx=None), event_set(), years=N)
    issue = err.value.issues[0]
    assert (issue.source, issue.column, issue.value) == ("fx_rates", "currency", "EUR")
    assert "no exchange rate from EUR to the reporting currency USD" in issue.message


def test_partitions_do_not_change_a_company_figure(result: estimator.RiskResults) -> None:
    one = estimator.risk(portfolio(), event_set(), years=N, companies_per_partition=1)
    for name in ("ylt", "elt"):
        a, b = getattr(one, name), getattr(result, name)
        keys = [c for c in ("year", "outage_id", "company_id") if c in a.columns]
        pd.testing.assert_frame_equal(
            a.sort_values(keys, ignore_index=True), b.sort_values(keys, ignore_index=True)
        )
    pd.testing.assert_frame_equal(one.ept, result.ept, check_exact=False, rtol=1e-12)


def test_bad_event_rows_are_reported_with_row_and_column() -> None:
    bad = event_set()
    bad.loc[1, "year"] = 0
    bad.loc[2, "end"] = "2025-05-20T07:00:00Z"  # before its start
    with pytest.raises(estimator.InputError) as err:
        estimator.risk(portfolio(), bad, years=N)
    found = {(i.row, i.column) for i in err.value.issues}
    assert found == {(3, "year"), (4, "end")}


def test_the_parquet_tables_equal_the_kept_ones(
    result: estimator.RiskResults, tmp_path: Any
) -> None:
    written = estimator.risk(
        portfolio(), event_set(), years=N, out_dir=tmp_path, companies_per_partition=1
    )
    assert written.ylt is None and written.elt is None
    ylt = pd.read_parquet(tmp_path / "ylt").sort_values(["year", "company_id"], ignore_index=True)
    assert result.ylt is not None
    want = result.ylt.sort_values(["year", "company_id"], ignore_index=True)
    pd.testing.assert_frame_equal(ylt, want, check_dtype=False)
    assert len(list((tmp_path / "elt").glob("part-*.parquet"))) == 2  # one per partition


def test_the_default_partition_depends_on_the_company_count_only() -> None:
    from estimator.portfolio.run import partition_size

    sizes = {n: partition_size(n) for n in (1, 1_000, 4_000, 100_000, 1_000_000)}
    assert sizes == {1: 250, 1_000: 250, 4_000: 500, 100_000: 1_000, 1_000_000: 1_000}
