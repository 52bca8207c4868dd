"""Every catalog template's tiers at and around every bound, in 28-, 29-, 30- and 31-day months.

For each bound the downtime that puts the uptime exactly on the bound is
T x (100 - bound) / 100 seconds. One second less must stay above the bound,
one second more must fall below it; exactly on the bound is not below it.
Expected credits come from the Fraction/Decimal reference, not the engine.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.engine.terms import template_terms
from pricing.catalog import SlaVersion, load_catalog
from pricing.credits import MeasureTerms, credit_amounts, monthly_measure
from pricing.tiers import format_number
from pricing.timeline import PPM, UNIT
from tests import reference as ref

MONTHS = {28: "2023-02-01", 29: "2024-02-01", 30: "2023-04-01", 31: "2023-01-01"}
ALL_VERSIONS = [v for tid in load_catalog().ids for v in load_catalog().versions(tid)]
TIERED = [v for v in ALL_VERSIONS if v.credit_method == "tiers"]
FEE = "1000"


def month_start(days: int) -> int:
    return int(np.datetime64(MONTHS[days], "s").astype(np.int64))


def price(
    version: SlaVersion, downtime_s: int, days: int, fee: str = FEE, currency: str = "USD"
) -> tuple[float, object, float]:
    """Run one window of impact 1 lasting ``downtime_s`` through measurement and credit."""
    start = month_start(days) + 86400
    terms = MeasureTerms(
        np.array([version.metric == "error_rate"]),
        np.array([int(Fraction(version.downtime_threshold) * PPM) * PPM]),
        np.array([version.min_downtime_seconds]),
    )
    if downtime_s == 0:
        measured_units, seconds = 0, days * 86400
    else:
        m = monthly_measure(
            group=np.array([0]),
            start=np.array([start]),
            end=np.array([start + downtime_s]),
            units=np.array([UNIT]),
            excl_group=np.zeros(0, np.int64),
            excl_start=np.zeros(0, np.int64),
            excl_end=np.zeros(0, np.int64),
            terms=terms,
        )
        assert len(m) == 1
        measured_units, seconds = int(m["measured_units"][0]), int(m["seconds_in_month"][0])
        assert seconds == days * 86400
    fee_minor = int(Fraction(fee) * 100)
    out = credit_amounts(
        np.array([0]),
        seconds_in_month=np.array([seconds]),
        measured_units=np.array([measured_units]),
        fee_minor=np.array([fee_minor]),
        places=np.array([2]),
        currency=np.array([currency], object),
        terms=[template_terms(version, None, [])],
    )
    return float(out["uptime_pct"][0]), out["credit_minor"][0], float(out["credit_pct"][0])


def expected(version: SlaVersion, downtime_s: int, days: int) -> tuple[Fraction, int]:
    counted = downtime_s if downtime_s >= version.min_downtime_seconds else 0
    tiers = [(format_number(t.below_pct), format_number(t.credit_pct)) for t in version.tier_table]
    pct, amount = ref.credit(
        days * 86400,
        counted * 10**12,
        tiers,
        FEE,
        version.cap_pct,
        version.min_credit,
        version.min_credit_rule == "greater_than",
    )
    return pct, int(amount * 100)


@pytest.mark.parametrize("version", TIERED, ids=lambda v: v.label)
@pytest.mark.parametrize("days", sorted(MONTHS))
def test_tiers_at_and_around_every_bound(version: SlaVersion, days: int) -> None:
    seconds = days * 86400
    checked = 0
    for tier in version.tier_table:
        exact = Fraction(seconds) * (100 - tier.below_pct) / 100
        lo, hi = math.floor(exact), math.ceil(exact)
        for d in sorted({lo - 1, lo, hi, hi + 1}):
            if d < 0 or d > seconds - 86400 * 2:
                continue
            uptime, credit_minor, pct = price(version, d, days)
            want_pct, want_minor = expected(version, d, days)
            assert credit_minor == want_minor, (version.label, days, d)
            assert pct == float(want_pct)
            counted = d if d >= version.min_downtime_seconds else 0
            uptime_exact = Fraction(seconds - counted, seconds) * 100
            applies = [t for t in version.tier_table if uptime_exact < t.below_pct]
            # the tier under test applies only strictly below its bound (never on it)
            assert (tier in applies) == (counted > exact)
            assert Fraction(pct) == (applies[-1].credit_pct if applies else 0)
            assert uptime == pytest.approx(float(uptime_exact), abs=1e-9)
            checked += 1
    assert checked >= len(version.tier_table) * 2


def test_exactly_on_a_bound_is_not_below_it() -> None:
    """99.0 % of a 30-day month is exactly 25,920 s of downtime: the 30 % tier below 99.0
    does not apply at 25,920 s and applies at 25,921 s (aws/ec2-region, 10/30/100)."""
    version = load_catalog().versions("aws/ec2-region")[-1]
    assert price(version, 25_920, 30)[2] == 10.0
    assert price(version, 25_921, 30)[2] == 30.0


def test_every_template_is_exercised() -> None:
    tested = {v.template_id for v in TIERED}
    untiered = {v.template_id for v in ALL_VERSIONS} - tested
    for tid in untiered:
        assert all(v.credit_method != "tiers" for v in load_catalog().versions(tid))
    assert len(tested) >= 40


@pytest.mark.parametrize(
    "version", [v for v in ALL_VERSIONS if v.credit_method != "tiers"], ids=lambda v: v.label
)
def test_templates_without_tiers_give_no_invented_credit(version: SlaVersion) -> None:
    _, credit_minor, pct = price(version, 3600, 31)
    if version.credit_method == "unknown":
        assert np.isnan(credit_minor) and np.isnan(pct)
    else:  # proportional (Cloudflare): credit % = 100 % - uptime
        assert pct == pytest.approx(100 * 3600 / (31 * 86400))


@given(
    version=st.sampled_from(ALL_VERSIONS),
    days=st.sampled_from(sorted(MONTHS)),
    a=st.integers(0, 20 * 86400),
    b=st.integers(0, 20 * 86400),
)
def test_invariants_over_every_template(version: SlaVersion, days: int, a: int, b: int) -> None:
    """Zero downtime gives zero credit; credit within [0, cap]; never falls as downtime rises."""
    lo, hi = sorted((a, b))
    _, zero, _ = price(version, 0, days)
    _, c_lo, _ = price(version, lo, days)
    _, c_hi, _ = price(version, hi, days)
    if version.credit_method == "unknown":
        assert np.isnan(zero) and np.isnan(c_lo) and np.isnan(c_hi)  # type: ignore[arg-type]
        return
    assert zero == 0
    cap = Fraction(version.cap_pct or 100) * int(FEE) * 100 / 100
    assert 0 <= c_lo <= c_hi <= cap  # type: ignore[operator]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(ALL_VERSIONS),
            st.sampled_from(sorted(MONTHS)),
            st.one_of(st.integers(0, 30 * 86400), st.sampled_from([25_920, 8_640, 864, 259, 260])),
            st.one_of(st.integers(0, 10**9), st.integers(0, 2**53 - 1)),
            st.sampled_from([0, 2, 3]),
            st.sampled_from(["USD", "EUR", "JPY"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_fast_path_equals_the_exact_path(rows: list[tuple[Any, ...]]) -> None:
    """The int64/float64 path and the Python-integer path agree on every column, every row."""
    from pricing.credits import _credit_amounts_exact

    terms = [template_terms(v, None, []) for v in ALL_VERSIONS]
    index = {v.label: i for i, v in enumerate(ALL_VERSIONS)}
    term = np.array([index[r[0].label] for r in rows], dtype=np.int64)
    secs = np.array([r[1] * 86400 for r in rows], dtype=np.int64)
    units = np.array(
        [min(r[2], r[1] * 86400) * (UNIT if r[6] else UNIT // 3) for r in rows], dtype=np.int64
    )
    fee = np.array([r[3] for r in rows], dtype=np.int64)
    places = np.array([r[4] for r in rows], dtype=np.int64)
    cur = np.array([r[5] for r in rows], dtype=object)
    args = {
        "seconds_in_month": secs,
        "measured_units": units,
        "fee_minor": fee,
        "places": places,
        "currency": cur,
        "terms": terms,
    }
    fast = credit_amounts(term, **args)
    exact = _credit_amounts_exact(term, **args)
    assert np.array_equal(
        fast["credit_minor"].to_numpy(np.float64),
        exact["credit_minor"].to_numpy(np.float64),
        equal_nan=True,
    )
    assert fast["review"].tolist() == exact["review"].tolist()
    for column in (
        "uptime_pct",
        "credit_pct",
        "before_cap_minor",
        "cap_minor",
        "rounded_minor",
        "minimum_minor",
    ):
        a = fast[column].to_numpy(np.float64)
        b = exact[column].to_numpy(np.float64)
        assert np.allclose(a, b, rtol=1e-12, equal_nan=True), column
