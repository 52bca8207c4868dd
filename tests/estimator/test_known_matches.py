"""The matches the risk path gives the engine instead of matching the copies again: for random
portfolios and event sets, the copied base hits are exactly the pairs ``match_windows`` finds
among the copies' tagged text, in the same order."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import estimator
from estimator.engine.arrays import Codes
from estimator.engine.known_matches import Matches, pairs_among
from estimator.engine.lineage import reach_codes
from estimator.portfolio.years import company_years, event_hits, replicate_years
from pricing.matching import match_windows


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10**6), st.integers(10, 40), st.integers(0, 2))
def test_copied_hits_are_the_matches_of_the_copies(seed: int, n: int, cut: int) -> None:
    from bench.risk import portfolio

    inputs = estimator.load_inputs(portfolio(Path(tempfile.mkdtemp(prefix="known-")), n))
    events = estimator.stochastic_events(
        estimator.bundled_catalog(), years=40, seed=seed, exposure=inputs
    )
    hits = event_hits(inputs, events)
    pairs = company_years(events, hits)
    third = len(pairs.year) // 3
    pairs = type(pairs)(*(a[cut * third : (cut + 1) * third] for a in pairs))  # one chunk
    copies = replicate_years(inputs, events, pairs, hits)
    con = copies.inputs.contracts
    rows = np.flatnonzero((con["kind"] != "customer").to_numpy())
    w, c = match_windows(windows=copies.inputs.outages, contracts=con.iloc[rows])
    assert len(w) > 0
    windows = np.arange(len(copies.inputs.outages), dtype=np.int64)
    kw, kc = pairs_among(copies.matches, windows, rows)
    np.testing.assert_array_equal(kc, c)
    np.testing.assert_array_equal(kw, w)
    # the lineage: each hit contract's reach code numbers the copies' own reach text
    codes = np.zeros(len(rows), dtype=np.int64)
    for column in ("provider", "region", "service", "zones"):
        if column in con:
            found = pd.factorize(con[column].take(rows))[0]
            codes = pd.factorize(codes * (len(con) + 1) + found)[0]
    np.testing.assert_array_equal(reach_codes(copies.lineage, rows), codes)
    assert (copies.lineage.company == Codes.of(copies.inputs).contract_company).all()


def test_pairs_among_keeps_only_the_windows_and_contracts_asked_for() -> None:
    known = Matches(np.array([0, 2, 1, 2, 3]), np.array([5, 5, 7, 7, 6]))
    w, c = pairs_among(known, np.array([2, 3, 1]), np.array([7, 5]))
    # contract 7 (position 0): windows 1 and 2 (positions 2, 0); contract 5: window 2
    pd.testing.assert_frame_equal(
        pd.DataFrame({"w": w, "c": c}),
        pd.DataFrame({"w": [0, 2, 0], "c": [0, 0, 1]}),
    )


def test_tiled_matches_are_the_matches_of_the_draws() -> None:
    from estimator.engine.known_matches import matches_of, tiled
    from estimator.engine.lineage import tiled_lineage
    from estimator.uncertainty.replicate import replicate
    from estimator.uncertainty.targets import targets
    from tests.conftest import ROOT

    inputs = estimator.load_inputs(ROOT / "sample_data" / "aws-2021-12-07")
    t = targets(inputs)
    values = np.tile(np.asarray(t.mode, dtype=np.float64), (4, 1))
    many = replicate(inputs, t, values, pd.Timestamp("2022-01-01", tz="UTC"))
    con = many.contracts
    rows = np.flatnonzero((con["kind"] != "customer").to_numpy())
    w, c = match_windows(windows=many.outages, contracts=con.iloc[rows])
    known = tiled(matches_of(inputs), 4, len(inputs.outages), len(inputs.contracts))
    kw, kc = pairs_among(known, np.arange(len(many.outages), dtype=np.int64), rows)
    assert len(w) > 0
    lineage = tiled_lineage(inputs, 4)
    assert (lineage.company == Codes.of(many).contract_company).all()
    assert (
        con["contract_id"]
        == inputs.contracts["contract_id"].iloc[lineage.contract].to_numpy()
        + "~"
        + lineage.world.astype(str)
    ).all()
    np.testing.assert_array_equal(kc, c)
    np.testing.assert_array_equal(kw, w)
