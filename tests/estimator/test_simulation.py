"""Uncertainty (issue 13): every draw priced by the exact engine, statistics checked against
analytic cases, reproducible by seed, groups moving together, tiers making credits jump."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import estimator
import estimator.uncertainty.simulation as simulation
from estimator.table_columns import SUMMARY_MONEY
from tests.conftest import SAMPLE_AS_OF, company, provider_contract, window

AS_OF = "2030-01-01T00:00:00Z"


def with_uncertainty(
    outages: list[dict[str, Any]],
    companies: list[dict[str, Any]],
    contracts: list[dict[str, Any]],
    rows: list[dict[str, Any]],
) -> estimator.Inputs:
    return estimator.Inputs.from_frames(
        outages=pd.DataFrame(outages),
        companies=pd.DataFrame(companies),
        contracts=pd.DataFrame(contracts),
        uncertainty=pd.DataFrame(rows) if rows else None,
    )


def row(
    table: str,
    id_: str,
    column: str,
    dist: str,
    low: float,
    mode: float | None,
    high: float,
    group: str | None = None,
) -> dict[str, Any]:
    return {
        "table": table,
        "id": id_,
        "column": column,
        "distribution": dist,
        "low": low,
        "mode": mode,
        "high": high,
        "group": group,
    }


def with_rows(inputs: estimator.Inputs, rows: pd.DataFrame) -> estimator.Inputs:
    """The same inputs with another uncertainty table."""
    return estimator.Inputs.from_frames(**{**inputs.to_frames(), "uncertainty": rows})


def one_window(rows: list[dict[str, Any]], **contract: Any) -> estimator.Inputs:
    """One company earning 3,600 an hour, all of it stopped by a two-hour EC2 window."""
    return with_uncertainty(
        [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")],
        [company()],
        [provider_contract(**contract)],
        rows,
    )


def test_a_distribution_that_can_only_give_the_input_value_reproduces_the_estimate(
    sample_inputs: estimator.Inputs,
) -> None:
    """Every uncertain column of the founding sample pinned to its input value: every one of
    the draws, and the tornado's centre, equals the deterministic estimate to the cent."""
    pinned = [
        row("outages", "aws-uswest-2021-12-15", "impact", "pert", 1, 1, 1),
        row("outages", "aws-use1-2021-12-07", "duration_hours", "uniform", 1, None, 1),
        row("companies", "streamflix", "recapture_rate", "triangular", 0, 0, 0),
        row("contracts", "southbound-use1", "failover_minutes", "pert", 30, 30, 30),
    ]
    o = sample_inputs.outages
    use1 = o[o["outage_id"] == "aws-use1-2021-12-07"]
    hours = (use1["end"] - use1["start"]).max().total_seconds() / 3600
    west = o.loc[o["outage_id"] == "aws-uswest-2021-12-15", "impact"]
    assert west.nunique() == 1  # one impact for every window, as a drawn impact gives
    pinned[0]["low"] = pinned[0]["mode"] = pinned[0]["high"] = float(west.iloc[0])
    pinned[1]["low"] = pinned[1]["high"] = hours
    co = sample_inputs.companies.set_index("company_id")
    rate = float(co.loc["streamflix", "recapture_rate"])
    pinned[2]["low"] = pinned[2]["mode"] = pinned[2]["high"] = rate
    ct = sample_inputs.contracts.set_index("contract_id")
    minutes = float(ct.loc["southbound-use1", "failover_minutes"])
    pinned[3]["low"] = pinned[3]["mode"] = pinned[3]["high"] = minutes
    inputs = with_rows(sample_inputs, pd.DataFrame(pinned))
    want = estimator.estimate(sample_inputs, as_of=SAMPLE_AS_OF).summary
    sim = estimator.simulate(inputs, draws=50, seed=3, as_of=SAMPLE_AS_OF)
    assert len(sim.draws) == 50 * len(want)
    for measure in SUMMARY_MONEY:
        got = sim.draws[measure].to_numpy().reshape(50, len(want))
        assert (got == want[measure].to_numpy()[None, :]).all(), measure
        centre = sim.sensitivity.drop_duplicates(["company_id", "measure"])
        centre = centre[centre["measure"] == measure].set_index("company_id")["at_centre"]
        assert centre.loc[want["company_id"]].tolist() == want[measure].tolist()
    q = sim.quantiles
    assert (q["p5"] == q["p95"]).all() and np.allclose(q["std"], 0, atol=1e-6)
    assert (sim.sensitivity["swing"] == 0).all()


def test_uniform_impact_on_one_flat_window_has_the_uniform_mean_and_percentiles() -> None:
    """Loss is linear in impact on a flat profile: mean and percentiles of the loss are the
    loss at impact 1 times those of uniform(0.2, 0.8), within sampling error."""
    full = estimator.estimate(one_window([]), as_of=AS_OF).summary["total_loss"].iloc[0]
    assert full == 7200.0
    inputs = one_window([row("outages", "o1", "impact", "uniform", 0.2, None, 0.8)])
    sim = estimator.simulate(inputs, draws=20_000, seed=1, as_of=AS_OF)
    q = sim.quantiles.set_index("measure").loc["total_loss"]
    assert q["draws"] == 20_000
    sd = full * 0.6 / np.sqrt(12)
    assert q["std"] == pytest.approx(sd, rel=0.03)
    assert q["sem"] == pytest.approx(q["std"] / np.sqrt(20_000))
    assert abs(q["mean"] - full * 0.5) < 4 * q["sem"]
    for p in (5, 10, 50, 90, 95):
        # a percentile's sampling error is sqrt(p(1-p)/n) / density; 4 of them at most
        tolerance = 4 * np.sqrt(p / 100 * (1 - p / 100) / 20_000) * full * 0.6
        assert abs(q[f"p{p}"] - full * (0.2 + 0.6 * p / 100)) < tolerance, p
    values = sim.draws["total_loss"].to_numpy()
    assert values.min() >= full * 0.2 and values.max() <= full * 0.8


def test_a_triangular_duration_gives_the_triangular_mean() -> None:
    """Two hours at 3,600 an hour; the duration drawn triangular(1, 2, 6) hours: the loss's
    mean is 3,600 x (1 + 2 + 6) / 3, and the window is cut to the drawn length."""
    inputs = one_window([row("outages", "o1", "duration_hours", "triangular", 1, 2, 6)])
    sim = estimator.simulate(inputs, draws=20_000, seed=2, as_of=AS_OF)
    q = sim.quantiles.set_index("measure").loc["total_loss"]
    assert abs(q["mean"] - 3600 * 3) < 4 * q["sem"]
    values = sim.draws["total_loss"].to_numpy()
    assert values.min() >= 3600 and values.max() <= 3600 * 6


def test_the_same_seed_gives_the_same_draws_whatever_the_chunk(
    sample_inputs: estimator.Inputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = estimator.simulate(sample_inputs, draws=100, seed=7, as_of=SAMPLE_AS_OF)
    monkeypatch.setattr(simulation, "CHUNK_ROWS", 1000)  # about 30 draws per chunk
    two = estimator.simulate(sample_inputs, draws=100, seed=7, as_of=SAMPLE_AS_OF)
    pd.testing.assert_frame_equal(one.draws, two.draws)
    pd.testing.assert_frame_equal(one.quantiles, two.quantiles)
    pd.testing.assert_frame_equal(one.sensitivity, two.sensitivity)
    other = estimator.simulate(sample_inputs, draws=100, seed=8, as_of=SAMPLE_AS_OF)
    assert not one.draws["total_loss"].equals(other.draws["total_loss"])


def test_rows_sharing_a_group_move_together_and_others_do_not() -> None:
    """Two identical companies with the same revenue range: in a group their losses are equal
    in every draw; without one they are independent."""

    def run(group: str | None) -> pd.DataFrame:
        inputs = with_uncertainty(
            [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")],
            [company("a"), company("b")],
            [provider_contract("ca", "a"), provider_contract("cb", "b")],
            [
                row("companies", "a", "revenue_per_hour", "pert", 1000, 3600, 9000, group),
                row("companies", "b", "revenue_per_hour", "pert", 1000, 3600, 9000, group),
            ],
        )
        sim = estimator.simulate(inputs, draws=2_000, seed=4, as_of=AS_OF)
        return sim.draws.pivot(index="draw", columns="company_id", values="total_loss")

    together, apart = run("revenue"), run(None)
    assert (together["a"] == together["b"]).all()
    assert together["a"].std() > 0
    assert abs(np.corrcoef(apart["a"], apart["b"])[0, 1]) < 0.1


def test_a_star_row_draws_each_row_on_its_own() -> None:
    inputs = with_uncertainty(
        [window("2022-03-10T10:00:00Z", "2022-03-10T12:00:00Z")],
        [company("a"), company("b")],
        [provider_contract("ca", "a"), provider_contract("cb", "b")],
        [row("companies", "*", "revenue_per_hour", "uniform", 1000, None, 9000)],
    )
    sim = estimator.simulate(inputs, draws=500, seed=5, as_of=AS_OF)
    loss = sim.draws.pivot(index="draw", columns="company_id", values="total_loss")
    assert (loss["a"] != loss["b"]).mean() > 0.99
    assert loss.min().min() >= 2000 and loss.max().max() <= 18000


def test_a_tier_threshold_makes_the_credit_two_valued_in_the_right_proportion() -> None:
    """March has 44,640 minutes; 99% uptime allows 446.4 minutes (7.44 h). A duration
    uniform over 5 to 10 hours crosses it with probability (10 - 7.44) / 5 = 0.512: the
    credit is 10% of the fee below it and 25% above it, nothing else."""
    inputs = one_window(
        [row("outages", "o1", "duration_hours", "uniform", 5, None, 10)],
        tiers="99.9:10, 99:25",
        fee=1000,
    )
    sim = estimator.simulate(inputs, draws=10_000, seed=6, as_of=AS_OF)
    credit = sim.draws["credits_receivable"]
    assert set(credit.unique()) == {100.0, 250.0}
    share = float((credit == 250.0).mean())
    assert abs(share - 0.512) < 4 * np.sqrt(0.512 * 0.488 / 10_000)
    tornado = sim.sensitivity.set_index("measure").loc["credits_receivable"]
    assert (tornado["at_p10"], tornado["at_p90"], tornado["swing"]) == (100.0, 250.0, 150.0)


def test_the_tornado_moves_one_input_at_a_time_to_its_own_p10_and_p90(
    sample_inputs: estimator.Inputs,
) -> None:
    """Each tornado end equals a deterministic estimate with that one input set to the
    distribution's percentile and every other at its mode; largest swing first."""
    sim = estimator.simulate(sample_inputs, draws=10, seed=0, as_of=SAMPLE_AS_OF)
    net = sim.sensitivity[
        (sim.sensitivity["company_id"] == "southbound-air")
        & (sim.sensitivity["measure"] == "total_loss")
    ]
    assert net["swing"].tolist() == sorted(net["swing"], reverse=True)
    top = net.iloc[0]
    assert top["input"] == "outages aws-use1-2021-12-07 duration_hours"
    u = sample_inputs.to_frames()["uncertainty"]
    centre = u.assign(low=u["mode"], high=u["mode"], distribution="pert")
    for end, hours in (("at_p10", top["input_p10"]), ("at_p90", top["input_p90"])):
        moved = centre.copy()
        moved.loc[0, ["low", "mode", "high"]] = hours
        pinned = with_rows(sample_inputs, moved)
        again = estimator.simulate(pinned, draws=1, seed=0, as_of=SAMPLE_AS_OF).draws
        got = again.set_index("company_id").loc["southbound-air", "total_loss"]
        assert got == top[end], end
    assert top["swing"] == abs(top["at_p90"] - top["at_p10"]) > 0


def test_simulate_refuses_no_draws(sample_inputs: estimator.Inputs) -> None:
    with pytest.raises(ValueError, match="draws must be 1 or more"):
        estimator.simulate(sample_inputs, draws=0)
