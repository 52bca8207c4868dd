"""The totals path: per company, only the summary's money (total loss, credits receivable and
payable, insurance recoveries, net impact) and each event's loss, without building any
result table.

It runs the engine's own steps (``run.Run.matched``: windows, hits, timelines, losses and
each insurance episode's covered loss; ``credit_lines``: measurement, terms, tiers on
unrounded uptime, caps, minimum credits; ``pricing.insurance``: waiting periods, occurrence
and aggregate limits, credits deducted) and sums the rounded lines where the summary does
(``summary_table.money_totals``). What it leaves out is what only the tables show: text
columns, sorting, review notes, claim deadlines and statuses (the five money measures do
not depend on a claim's status). ``simulate()`` and ``risk()`` price through it unless they
are given ``engine="full"``; the tests hold both paths equal to the cent on random
portfolios.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.credit_lines import credit_lines
from estimator.engine.known_matches import Matches
from estimator.engine.lineage import Lineage
from estimator.engine.other_recoveries import CreditRows, credits_deducted
from estimator.engine.run import Run
from estimator.engine.summary_table import Amounts, money_totals
from estimator.inputs.scenario import Inputs
from estimator.inputs.valuation import as_of_time
from pricing import insurance as ins
from pricing.money import from_minor

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]
ENGINES = ("totals", "full")
"""The paths ``simulate()`` and ``risk()`` can price by: ``totals`` (this module, the
default) or ``full`` (every result table of ``estimate()``, then summed)."""


class Totals(NamedTuple):
    money: dict[str, Float]
    """Per company (input order): total_loss, credits_receivable, credits_payable,
    insurance_recoveries, net_impact."""
    event_company: Int
    event: Int
    event_loss: Float
    """Each (company, event) that lost something or was hit: company code, event code (a
    position in ``event_names``) and its total loss, rounded."""
    event_names: pd.Series
    """The outage id of each event code."""


def check_engine(engine: str) -> str:
    """``engine`` if it is a known path; otherwise a ValueError naming them."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")
    return engine


def price_totals(
    inputs: Inputs,
    *,
    dependency_rule: str = "max",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    policy_years: bool = False,
    matches: Matches | None = None,
    lineage: Lineage | None = None,
) -> Totals:
    """The summary's money per company and each event's loss; the parameters are those of
    :func:`estimator.estimate`, and the numbers are its summary's, to the cent. ``matches``:
    which windows hit which contracts, when the caller already knows; ``lineage``: where the
    contracts of a scenario of copies come from (simulated years, draws)."""
    run = Run(inputs, dependency_rule, as_of_time(as_of), None, lineage)
    run.policy_years = policy_years
    run.matches = matches
    codes = run.codes
    m = run.matched()
    events = [p.event_losses for p in m.priced if len(p.event_losses)]
    events = events or [pd.DataFrame({"company": [], "event": [], "total_loss": []})]
    own = pd.concat([p.own_impact for p in m.priced], ignore_index=True)
    company = np.concatenate([e["company"].to_numpy(np.int64) for e in events])
    event = np.concatenate([e["event"].to_numpy(np.int64) for e in events])
    loss = np.concatenate([e["total_loss"].to_numpy(np.float64) for e in events])
    del m.priced[:]
    found = credit_lines(run.credit_context(m.windows), m.hits, own)
    provider = (codes.contracts["kind"] == "provider").to_numpy(dtype=bool)
    if found is None:
        none = np.zeros(0, dtype=np.int64)
        rows = CreditRows(none, none, np.zeros(0), np.zeros(0, dtype=bool))
    else:
        rows = CreditRows(found.contract, found.month, found.credit, provider[found.contract])
    ep = m.match.episodes
    basis = ins.basis_loss(ep, m.covers, revenue=m.covered.revenue, costs=m.covered.costs)
    deducted = credits_deducted(codes, m.hits, m.match, m.covers, basis, rows)
    cover_company = codes.contract_company[np.asarray(ep.cover, dtype=np.int64)]
    if len(ep.cover):
        paid = ins.payouts(ep, m.covers, basis=basis, deducted=deducted)
        payout = from_minor(paid["payout_minor"].to_numpy(np.int64), codes.places[cover_company])
    else:
        payout = np.zeros(0)
    money = money_totals(
        codes,
        Amounts(company, loss),
        Amounts(codes.contract_company[rows.contract], rows.amount),
        rows.provider,
        Amounts(cover_company, np.asarray(payout, dtype=np.float64)),
    )
    return Totals(money, company, event, loss, m.windows.event_names)
