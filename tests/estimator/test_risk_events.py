"""Event sets (issue 14): the fitted frequency on a catalog with a known count, pooling, the
exposure's regions, duration fits, the shape of simulated events, seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import estimator
from estimator.portfolio import event_model
from tests.conftest import ROOT

CATALOG = ROOT / "sample_data" / "outage_catalog.csv"


def catalog(counts: dict[str, int], hours: float = 2.0) -> pd.DataFrame:
    """Events spread evenly from 2020-01-01 to 2024-01-01 (exactly 4 years of 365.25 days):
    the first at the start, the last at the end."""
    total = sum(counts.values())
    starts = pd.date_range("2020-01-01", "2024-01-01", periods=total, tz="UTC")
    rows, k = [], 0
    for region, n in counts.items():
        for _ in range(n):
            start = starts[k]
            rows.append(
                {
                    "outage_id": f"o{k}",
                    "provider": "aws",
                    "region": region,
                    "service": "ec2",
                    "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "end": (start + pd.Timedelta(hours=hours * (1 + k % 3))).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                    "impact": 0.5,
                }
            )
            k += 1
    return pd.DataFrame(rows)


def test_the_rate_of_a_single_region_is_its_count_over_the_years() -> None:
    model = event_model(catalog({"us-east-1": 10}))
    assert model.observed_years == pytest.approx(4.0)
    assert model.keys["rate"].tolist() == pytest.approx([10 / 4])


def test_thin_regions_are_pooled_with_their_providers_mean_and_unseen_ones_get_it() -> None:
    """8 and 2 events in 4 years: the provider's mean per region is 10 / (4 x 2) = 1.25;
    with 5 years of it: (8 + 6.25) / 9 and (2 + 6.25) / 9. The exposure's eu-west-1 has
    no event: 6.25 / 9 (the provider now has three regions: 10 / 12 per year each)."""
    model = event_model(catalog({"us-east-1": 8, "us-west-2": 2}))
    rate = model.keys.set_index("region")["rate"]
    assert rate.to_dict() == pytest.approx({"us-east-1": 14.25 / 9, "us-west-2": 8.25 / 9})
    exposure = estimator.Inputs.from_frames(
        outages=catalog({"us-east-1": 1}),
        companies=pd.DataFrame({"company_id": ["acme"], "revenue_per_hour": [100]}),
        contracts=pd.DataFrame(
            {
                "contract_id": ["c"],
                "company_id": ["acme"],
                "provider": ["aws"],
                "region": ["eu-west-1"],
                "service": ["ec2"],
                "sla": ["aws/ec2-region"],
                "monthly_fee": [1],
            }
        ),
    )
    wider = event_model(catalog({"us-east-1": 8, "us-west-2": 2}), exposure=exposure)
    keys = wider.keys.set_index("region")
    mean = 10 / (4 * 3)
    assert keys.loc["eu-west-1", "rate"] == pytest.approx(5 * mean / 9)
    assert bool(keys.loc["eu-west-1", "pooled"]) and keys.loc["eu-west-1", "events"] == 0


def test_simulated_counts_follow_the_fitted_rate() -> None:
    cat = catalog({"us-east-1": 10})
    events = estimator.stochastic_events(cat, years=4000, seed=1)
    per_year = events.groupby("year")["outage_id"].nunique().reindex(range(1, 4001), fill_value=0)
    assert per_year.mean() == pytest.approx(2.5, abs=4 * np.sqrt(2.5 / 4000))
    assert per_year.var() == pytest.approx(2.5, rel=0.1)  # Poisson: variance = mean


def test_durations_follow_the_lognormal_fit_and_shapes_scale() -> None:
    """Durations of 2, 4 and 6 hours: mu and sigma are the mean and sd of their logs; every
    simulated event keeps its template's shape, scaled to the drawn duration."""
    cat = catalog({"us-east-1": 9})
    model = event_model(cat)
    logs = np.log(np.array([2.0, 4.0, 6.0] * 3))
    assert model.keys["duration_mu"].iloc[0] == pytest.approx(logs.mean())
    assert model.keys["duration_sigma"].iloc[0] == pytest.approx(logs.std(ddof=1))
    events = estimator.stochastic_events(cat, years=3000, seed=2)
    hours = (events["end"] - events["start"]).dt.total_seconds() / 3600
    assert np.log(hours).mean() == pytest.approx(logs.mean(), abs=0.05)
    assert events["start"].min() >= pd.Timestamp("2025-01-01", tz="UTC")
    assert events["start"].max() < pd.Timestamp("2026-01-01", tz="UTC")
    assert set(events["impact"]) == {0.5}


def test_the_same_seed_gives_the_same_years_and_years_do_not_depend_on_each_other() -> None:
    a = estimator.stochastic_events(CATALOG, years=200, seed=5)
    b = estimator.stochastic_events(CATALOG, years=200, seed=5)
    pd.testing.assert_frame_equal(a, b)
    c = estimator.stochastic_events(CATALOG, years=200, seed=6)
    assert not a["start"].equals(c["start"])
    longer = estimator.stochastic_events(CATALOG, years=300, seed=5)
    pd.testing.assert_frame_equal(longer[longer["year"] <= 200].reset_index(drop=True), a)


def test_the_bundled_catalog_model_matches_methodology() -> None:
    """METHODOLOGY.md states the fitted parameters of the bundled catalog: they are these."""
    model = event_model(CATALOG)
    text = (ROOT / "METHODOLOGY.md").read_text()
    assert f"{model.observed_years:.2f} years" in text
    for rec in model.keys.itertuples():
        line = f"| {rec.provider} | {rec.region} | {rec.events} | {rec.rate:.4f} |"
        assert line in text, line


def test_an_event_file_round_trips(tmp_path: pd.DataFrame) -> None:
    events = estimator.stochastic_events(CATALOG, years=20, seed=0)
    path = tmp_path / "events.csv"
    written = events.assign(
        start=events["start"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        end=events["end"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    written.to_csv(path, index=False)
    back = estimator.load_events(path)
    assert back["year"].tolist() == events["year"].tolist()
    assert back["start"].tolist() == events["start"].tolist()
