"""The summary: per company, the sums of its rounded result lines and the two figures derived
from them (``pricing.summary``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import Codes
from estimator.table_columns import SUMMARY_COLUMNS
from pricing.money import round_half_up_float
from pricing.summary import net_impact, recovery_ratio

Int = npt.NDArray[np.int64]
Float = npt.NDArray[np.float64]
LOST = ("expired", "rejected")
"""Claim statuses whose credit is lost: not claimed by the deadline, or rejected."""
SETTLED = ("paid",)
"""Claim statuses whose credit is received: neither open nor lost."""


def per_company(
    codes: Codes,
    company: Int,
    amounts: pd.Series | Float,
    mask: npt.NDArray[np.bool_] | None = None,
) -> Float:
    """Per company, the sum of its rounded lines (a line not computed counts as 0), re-rounded
    to its minor unit to remove binary noise only."""
    given = amounts.to_numpy(np.float64) if isinstance(amounts, pd.Series) else amounts
    values = np.nan_to_num(np.asarray(given, dtype=np.float64))
    if mask is not None:
        company, values = company[mask], values[mask]
    total = np.bincount(company, weights=values, minlength=len(codes.companies))
    return round_half_up_float(total.astype(np.float64), codes.places)


class Amounts(NamedTuple):
    """Result lines as arrays: each line's company code and its rounded amount."""

    company: Int
    amount: Float


def money_totals(
    codes: Codes,
    losses: Amounts,
    credits: Amounts,
    provider: npt.NDArray[np.bool_],
    recoveries: Amounts,
) -> dict[str, Float]:
    """Per company (input order): total loss, credits receivable (``provider`` credit lines)
    and payable (the others), insurance recoveries, and the net impact; each the sum of the
    rounded lines, the net impact rounded once more. Both paths through the engine (the
    result tables, and the totals of ``estimator.engine.totals``) sum here."""
    loss = per_company(codes, losses.company, losses.amount)
    receivable = per_company(codes, credits.company, credits.amount, provider)
    payable = per_company(codes, credits.company, credits.amount, ~provider)
    recovered = per_company(codes, recoveries.company, recoveries.amount)
    net = net_impact(loss=loss, payable=payable, receivable=receivable, insurance=recovered)
    return {
        "total_loss": loss,
        "credits_receivable": receivable,
        "credits_payable": payable,
        "insurance_recoveries": recovered,
        "net_impact": round_half_up_float(net, codes.places),
    }


def summary_table(
    codes: Codes,
    *,
    losses: pd.DataFrame,
    loss_company: Int,
    credits: pd.DataFrame,
    credit_company: Int,
    recoveries: pd.DataFrame,
    recovery_company: Int,
) -> pd.DataFrame:
    """One row per company, in input order."""
    provider = (credits["kind"] == "provider").to_numpy(dtype=bool)
    money = money_totals(
        codes,
        Amounts(loss_company, losses["total_loss"].to_numpy(np.float64)),
        Amounts(credit_company, credits["credit_amount"].to_numpy(np.float64, na_value=np.nan)),
        provider,
        Amounts(recovery_company, recoveries["payout"].to_numpy(np.float64)),
    )
    status = credits["claim_status"].fillna("").astype("str")
    lost = provider & status.isin(LOST).to_numpy(dtype=bool)
    settled = status.isin(SETTLED).to_numpy(dtype=bool)
    still_open = provider & ~lost & ~settled
    co = codes.companies
    out = pd.DataFrame(
        {
            "company_id": co["company_id"].to_numpy(),
            "currency": co["currency"].to_numpy(),
            **money,
            "recovery_ratio": recovery_ratio(
                loss=money["total_loss"],
                receivable=money["credits_receivable"],
                insurance=money["insurance_recoveries"],
            ),
            "credits_receivable_open": per_company(
                codes, credit_company, credits["credit_amount"], still_open
            ),
            "credits_lost": per_company(codes, credit_company, credits["credit_amount"], lost),
        }
    )
    return out.astype({"company_id": "str", "currency": "str"})[SUMMARY_COLUMNS]


def currency_totals(summary: pd.DataFrame) -> pd.DataFrame:
    """Summary money columns added up per currency (never across currencies), with the
    recovery ratio of each total."""
    money = list(SUMMARY_COLUMNS[2:7])
    out = summary.groupby("currency", sort=True)[money].sum().reset_index()
    out["recovery_ratio"] = recovery_ratio(
        loss=out["total_loss"].to_numpy(np.float64),
        receivable=out["credits_receivable"].to_numpy(np.float64),
        insurance=out["insurance_recoveries"].to_numpy(np.float64),
    )
    return out
