"""Invariants of loss and credit pricing on random inputs (STYLE.md, issue 3)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import estimator
from tests import reference as ref
from tests.conftest import company, make_inputs, provider_contract, window
from tests.pricing.test_reference import scenarios, to_inputs

AS_OF = "2030-01-01T00:00:00Z"


def run(s: dict[str, Any]) -> estimator.Results:
    return estimator.estimate(to_inputs(s), dependency_rule=s["rule"], as_of=AS_OF)


def key_numbers(r: estimator.Results) -> tuple[list[float], list[float]]:
    losses = r.losses.sort_values("outage_id")
    credits = r.credits.sort_values(["contract_id", "month"])
    return (
        losses[["impacted_minutes", "gross_lost_revenue", "total_loss"]]
        .to_numpy()
        .ravel()
        .tolist(),
        credits[["downtime_minutes", "credit_amount"]].to_numpy().ravel().tolist(),
    )


@given(scenarios())
def test_loss_never_negative_and_never_above_the_revenue_of_the_impacted_period(
    s: dict[str, Any],
) -> None:
    r = run(s)
    co: ref.Company = s["company"]
    top_weight = max(co.weights or [1.0])
    for row in r.losses.itertuples():
        assert row.gross_lost_revenue >= 0 and row.recaptured_revenue >= 0
        assert row.outage_costs >= 0 and row.total_loss >= 0
        cap = co.revenue_per_hour * top_weight * row.impacted_minutes / 60
        assert row.gross_lost_revenue <= cap + 0.01
    if s["profile"] == "flat":
        for row in r.losses.itertuples():
            assert row.gross_lost_revenue <= co.revenue_per_hour * row.impacted_minutes / 60 + 0.01


@given(scenarios(), st.data())
def test_splitting_a_window_in_two_changes_nothing(s: dict[str, Any], data: Any) -> None:
    w: ref.Window = s["windows"][0]
    if w.end - w.start < 2:
        return
    cut = data.draw(st.integers(w.start + 1, w.end - 1))
    split = {
        **s,
        "windows": [
            dataclasses.replace(w, end=cut),
            dataclasses.replace(w, start=cut),
            *s["windows"][1:],
        ],
    }
    a, b = key_numbers(run(s)), key_numbers(run(split))
    assert a[0] == pytest.approx(b[0], abs=0.011)
    assert a[1] == pytest.approx(b[1], abs=1e-9)


@given(scenarios())
def test_duplicating_every_window_changes_nothing(s: dict[str, Any]) -> None:
    doubled = {**s, "windows": s["windows"] * 2}
    assert key_numbers(run(s)) == key_numbers(run(doubled))


@given(scenarios(), st.integers(1, 6 * 3600))
def test_loss_never_falls_as_a_window_lengthens_without_failover(
    s: dict[str, Any], extra: int
) -> None:
    s = {**s, "contracts": [dataclasses.replace(c, failover_s=None) for c in s["contracts"]]}
    w: ref.Window = s["windows"][0]
    longer = {**s, "windows": [dataclasses.replace(w, end=w.end + extra), *s["windows"][1:]]}
    before = run(s).losses["gross_lost_revenue"].sum()
    after = run(longer).losses["gross_lost_revenue"].sum()
    assert after >= before - 0.011 * max(1, len(s["windows"]))


def test_with_failover_bridging_a_gap_can_lower_the_loss() -> None:
    """The documented exception: failover runs per continuous episode.

    [0,1h) and [2h,5h) are two episodes, each fully lost for its first hour (failover after 60
    minutes); stretching the first window to 2h makes one episode whose failover starts at 1h,
    so the loss falls from 2 h to 1 h."""

    def loss(first_end: str) -> float:
        inputs = make_inputs(
            [
                window("2021-12-07T10:00:00Z", first_end),
                window("2021-12-07T12:00:00Z", "2021-12-07T15:00:00Z"),
            ],
            [company()],
            [provider_contract(failover_minutes=60)],
        )
        return float(estimator.estimate(inputs, as_of=AS_OF).losses["gross_lost_revenue"].sum())

    assert loss("2021-12-07T11:00:00Z") == 7200.0
    assert loss("2021-12-07T12:00:00Z") == 3600.0


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 20)), min_size=1, max_size=6))
def test_results_do_not_depend_on_row_order(spans: list[tuple[int, int]]) -> None:
    base = pd.Timestamp("2022-03-10T00:00:00Z")
    rows = [
        window(
            (base + pd.Timedelta(minutes=15 * a)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            (base + pd.Timedelta(minutes=15 * (a + b))).strftime("%Y-%m-%dT%H:%M:%SZ"),
            0.5 + 0.1 * (i % 3),
            outage_id=f"e{i % 2}",
        )
        for i, (a, b) in enumerate(spans)
    ]
    fwd = make_inputs(rows, [company()], [provider_contract()])
    rev = make_inputs(rows[::-1], [company()], [provider_contract()])
    a = estimator.estimate(fwd, as_of=AS_OF)
    b = estimator.estimate(rev, as_of=AS_OF)
    pd.testing.assert_frame_equal(a.losses, b.losses)
    pd.testing.assert_frame_equal(a.credits, b.credits)
