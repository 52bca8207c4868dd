"""Where the rows of a copied scenario come from.

The simulated years of ``risk()`` and the draws of ``simulate()`` price many copies of one
scenario at once. Each copied contract keeps its base contract's terms and text; only its
ids are tagged with the copy's *world* (its year or draw), so that one world's windows hit
only that world's copies. Given the lineage, the engine reads the per-contract attributes
(measurement terms, the terms' keys, what reaches a contract) from the base contracts once
and takes them for every copy, instead of reading the copies' text again. Both give the same
money: a copy's terms are its base contract's.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.inputs.scenario import Inputs
from pricing.intervals import row_codes, unique_inverse

Int = npt.NDArray[np.int64]
REACH = ("provider", "region", "service", "zones")
"""The contract columns that decide which windows hit a contract."""


class Lineage(NamedTuple):
    base: pd.DataFrame
    """The contracts that were copied."""
    contract: Int
    """Each copied contract's row in ``base``."""
    world: Int
    """Each copied contract's world (simulated year or draw)."""
    company: Int
    """Each copied contract's company code in the copied scenario."""


def reach_codes(lineage: Lineage, rows: Int) -> Int:
    """Per copied contract in ``rows``: a code that two contracts share exactly when they
    have the same reach (provider, region, service, zones) in the same world, numbered in
    order of first appearance (as factorizing the copies' own text would number them)."""
    base = lineage.base
    key = row_codes([base[c] for c in REACH if c in base], len(base))
    world = unique_inverse(lineage.world[rows])[1]
    combined = key[lineage.contract[rows]] * (int(world.max(initial=0)) + 1) + world
    return pd.factorize(combined)[0].astype(np.int64)


def tiled_lineage(inputs: Inputs, n: int) -> Lineage:
    """The lineage of ``n`` copies of a scenario laid one after another (copy ``d``'s
    contract ``c`` is row ``d x contracts + c``, its company ``d x companies + company``)."""
    con = inputs.contracts
    company = pd.Index(inputs.companies["company_id"]).get_indexer(pd.Index(con["company_id"]))
    world = np.repeat(np.arange(n, dtype=np.int64), len(con))
    return Lineage(
        con,
        np.tile(np.arange(len(con), dtype=np.int64), n),
        world,
        world * len(inputs.companies) + np.tile(company.astype(np.int64), n),
    )
