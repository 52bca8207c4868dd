"""Matches a caller already knows: which windows hit which contracts, given instead of
matched again.

A portfolio's simulated years copy each company once per year it is hit, and the windows
of every year; which window hits which copy follows from matching the base contracts to the
year's windows once (``estimator.portfolio.years``). Given those pairs, the engine takes
them instead of matching the copies' text columns again (``pricing.matching``): the pairs
are the same, in the same order. Likewise the draws of ``simulate()``: each draw copies the
whole scenario, and its windows hit its own contracts as the base's do.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from estimator.inputs.scenario import Inputs
from pricing.matching import match_windows

Int = npt.NDArray[np.int64]


class Matches(NamedTuple):
    """Every (window, contract) pair in which the window hits a provider contract or an
    insurance cover: rows of the scenario's outages and contracts tables."""

    window: Int
    contract: Int


def pairs_among(known: Matches, window_rows: Int, contract_rows: Int) -> tuple[Int, Int]:
    """The known pairs among some windows and contracts, as positions in ``window_rows``
    and ``contract_rows``, sorted by contract then window: what
    ``pricing.matching.match_windows`` gives for those windows and contracts."""
    window_rows = np.asarray(window_rows, dtype=np.int64)
    contract_rows = np.asarray(contract_rows, dtype=np.int64)
    size_w = int(max(window_rows.max(initial=-1), known.window.max(initial=-1))) + 1
    size_c = int(max(contract_rows.max(initial=-1), known.contract.max(initial=-1))) + 1
    at_w = np.full(size_w, -1, dtype=np.int64)
    at_w[window_rows] = np.arange(len(window_rows), dtype=np.int64)
    at_c = np.full(size_c, -1, dtype=np.int64)
    at_c[contract_rows] = np.arange(len(contract_rows), dtype=np.int64)
    w, c = at_w[known.window], at_c[known.contract]
    keep = (w >= 0) & (c >= 0)
    w, c = w[keep], c[keep]
    key = c * max(len(window_rows), 1) + w
    if len(key) > 1 and not (key[1:] > key[:-1]).all():  # not yet by contract, then window
        order = np.argsort(key, kind="stable")
        w, c = w[order], c[order]
    return w, c


def matches_of(inputs: Inputs) -> Matches:
    """The scenario's own matches: every window against every provider contract and cover."""
    con = inputs.contracts
    reach = np.flatnonzero((con["kind"] != "customer").to_numpy())
    w, c = match_windows(windows=inputs.outages, contracts=con.iloc[reach])
    return Matches(w.astype(np.int64), reach[c].astype(np.int64))


def tiled(known: Matches, n: int, n_windows: int, n_contracts: int) -> Matches:
    """The matches of ``n`` copies of a scenario laid one after another (copy ``d``'s window
    ``w`` is row ``d x n_windows + w``; its contracts likewise): each copy's windows hit only
    its own contracts, as the base's do."""
    copy = np.repeat(np.arange(n, dtype=np.int64), len(known.window))
    return Matches(
        copy * n_windows + np.tile(known.window, n), copy * n_contracts + np.tile(known.contract, n)
    )
