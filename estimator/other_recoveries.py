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

from estimator.arrays import Codes
from estimator.recovery_table import CoverMatch
from pricing import insurance as ins

Float = npt.NDArray[np.float64]


def credits_deducted(
    codes: Codes,
    hits: pd.DataFrame,
    match: CoverMatch,
    covers: ins.CoverTerms,
    weight: Float,
    credits: pd.DataFrame,
) -> Float:
    """Per episode of ``match.episodes``: the SLA credits deducted from its indemnity.

    ``hits``: the (window, provider contract) pairs with the windows' priced times;
    ``weight``: each episode's covered loss on its cover's basis; ``credits``: the credits
    table (contract_id, kind, month, credit_amount)."""
    ep = match.episodes
    out = np.zeros(len(ep.cover))
    owed = _credits_owed(codes, credits)
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
    credited = hits[np.isin(hits["contract"].to_numpy(), owed["contract"].to_numpy())]
    pairs = credited[["window", "company", "contract", "start", "end"]].merge(
        cover_windows, on=["window", "company"]
    )
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


def _credits_owed(codes: Codes, credits: pd.DataFrame) -> pd.DataFrame:
    """The provider credits above zero: contract code, month as UTC seconds, amount; ``row``
    numbers them 0, 1, ... in order."""
    due = credits[(credits["kind"] == "provider") & (credits["credit_amount"] > 0)]
    contract = pd.Index(codes.contracts["contract_id"].astype(str)).get_indexer(
        pd.Index(due["contract_id"].astype(str))
    )
    month = pd.to_datetime(due["month"].astype(str), format="%Y-%m", utc=True)
    start = month.dt.as_unit("s").astype("int64").to_numpy()
    end = (month + pd.offsets.MonthBegin(1)).dt.as_unit("s").astype("int64").to_numpy()
    return pd.DataFrame(
        {
            "row": np.arange(len(due), dtype=np.int64),
            "contract": contract.astype(np.int64),
            "month_start": start,
            "month_end": end,
            "amount": due["credit_amount"].to_numpy(np.float64),
        }
    )
