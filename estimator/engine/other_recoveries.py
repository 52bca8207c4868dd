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

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import Codes
from estimator.engine.credit_table import CreditTables
from estimator.engine.recovery_table import CoverMatch
from pricing import insurance as ins

Float = npt.NDArray[np.float64]


def credits_deducted(
    codes: Codes,
    hits: pd.DataFrame,
    match: CoverMatch,
    covers: ins.CoverTerms,
    weight: Float,
    credits: CreditTables,
) -> Float:
    """Per episode of ``match.episodes``: the SLA credits deducted from its indemnity.

    ``hits``: the (window, provider contract) pairs with the windows' priced times;
    ``weight``: each episode's covered loss on its cover's basis; ``credits``: the credits
    tables (each row's contract and month codes beside the table)."""
    ep = match.episodes
    out = np.zeros(len(ep.cover))
    owed = _credits_owed(credits)
    begin, end = ins.covered_interval(ep, covers)
    takes = covers.deduct[ep.cover] & ~covers.parametric[ep.cover]
    takes &= np.nan_to_num(weight) > 0
    if owed.empty or not takes.any():
        return out
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


def _credits_owed(credits: CreditTables) -> pd.DataFrame:
    """The provider credits above zero: contract code, month as UTC seconds, amount; ``row``
    numbers them 0, 1, ... in order."""
    table = credits.credits
    amount = table["credit_amount"].to_numpy(np.float64, na_value=np.nan)
    due = np.flatnonzero((table["kind"] == "provider").to_numpy(dtype=bool) & (amount > 0))
    month = credits.month[due].astype("datetime64[M]")
    return pd.DataFrame(
        {
            "row": np.arange(len(due), dtype=np.int64),
            "contract": credits.contract[due],
            "month_start": month.astype("datetime64[s]").astype(np.int64),
            "month_end": (month + 1).astype("datetime64[s]").astype(np.int64),
            "amount": amount[due],
        }
    )
