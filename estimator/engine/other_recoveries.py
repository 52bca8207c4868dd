"""Other recoveries: the SLA credits an indemnity is reduced by, so that the net impact never
counts a credit and an indemnity for the same loss twice (issue 15).

An SLA credit receivable (a provider contract's credit for a month, above zero) relates to an
episode of an indemnity cover of the same company that deducts other recoveries when

* a window that hit the credited contract also hit the cover (in a scope the cover counts),
* that window overlaps the episode's covered time, and
* the episode's covered time overlaps the credited month.

Each credit is spread over the episodes it relates to in proportion to their covered loss on
the cover's basis; an episode's deduction is the sum of its shares (currency units,
unrounded: the payout is rounded once, after every step). An episode outside its policy
period still takes its share (that part of the credit made good a loss no policy covered),
and pays nothing. Credits the terms could not price (blank) are not deducted.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import Codes
from estimator.engine.recovery_table import CoverMatch
from pricing import insurance as ins
from pricing.measure import month_start

Float = npt.NDArray[np.float64]
Int = npt.NDArray[np.int64]


class CreditRows(NamedTuple):
    """The credit rows as arrays (either path's: the credits table's, or the totals')."""

    contract: Int
    month: Int
    """Months since 1970-01."""
    amount: Float
    """The credit (currency units; NaN where the terms could not price it)."""
    provider: npt.NDArray[np.bool_]
    """A provider contract's credit (receivable)."""


def credits_deducted(
    codes: Codes,
    hits: pd.DataFrame,
    match: CoverMatch,
    covers: ins.CoverTerms,
    weight: Float,
    credits: CreditRows,
) -> Float:
    """Per episode of ``match.episodes``: the SLA credits deducted from its indemnity.

    ``hits``: the (window, provider contract) pairs with the windows' priced times;
    ``weight``: each episode's covered loss on its cover's basis; ``credits``: every credit
    row's contract, month, amount and kind."""
    ep = match.episodes
    out = np.zeros(len(ep.cover))
    takes = covers.deduct[ep.cover] & ~covers.parametric[ep.cover]
    takes &= np.nan_to_num(weight) > 0
    if not takes.any():  # no episode deducts: the credits need not be listed
        return out
    owed = _credits_owed(credits)
    if owed.empty:
        return out
    begin, end = ins.covered_interval(ep, covers)
    episodes = pd.DataFrame({"episode": np.flatnonzero(takes), "cover": ep.cover[takes]}).assign(
        begin=begin[takes], end=end[takes]
    )
    company = codes.contract_company
    cover_windows = pd.DataFrame({"window": match.window, "cover": match.cover})
    cover_windows = cover_windows[np.isin(match.cover, episodes["cover"].to_numpy())]
    cover_windows["company"] = company[cover_windows["cover"].to_numpy()]
    insured = np.zeros(len(codes.companies), dtype=bool)
    insured[company[episodes["cover"].to_numpy()]] = True  # only their companies' hits matter
    credited = np.isin(hits["contract"].to_numpy(), owed["contract"].to_numpy())
    credited &= insured[hits["company"].to_numpy()]
    pairs = pd.DataFrame(
        {c: hits[c].to_numpy()[credited] for c in ("window", "company", "contract", "start", "end")}
    ).merge(cover_windows, on=["window", "company"])
    pairs = pairs.merge(episodes, on="cover")
    pairs = pairs[(pairs["start"] < pairs["end_y"]) & (pairs["end_x"] > pairs["begin"])]
    links = pairs[["contract", "episode", "begin", "end_y"]].drop_duplicates(
        ["contract", "episode"]
    )
    links = links.merge(owed, on="contract")
    links = links[(links["month_start"] < links["end_y"]) & (links["month_end"] > links["begin"])]
    return ins.pro_rata(
        owner=links["row"].to_numpy(np.int64),
        member=links["episode"].to_numpy(np.int64),
        amount=owed["amount"].to_numpy(np.float64),
        weight=np.nan_to_num(weight),
        size=len(ep.cover),
    )


def _credits_owed(credits: CreditRows) -> pd.DataFrame:
    """The provider credits above zero, by contract then month: contract code, month as UTC
    seconds, amount; ``row`` numbers them 0, 1, ... in that order."""
    amount = credits.amount
    due = np.flatnonzero(credits.provider & (amount > 0))
    due = due[np.lexsort((credits.month[due], credits.contract[due]))]
    month = credits.month[due]
    return pd.DataFrame(
        {
            "row": np.arange(len(due), dtype=np.int64),
            "contract": credits.contract[due],
            "month_start": month_start(month),
            "month_end": month_start(month + 1),
            "amount": amount[due],
        }
    )
