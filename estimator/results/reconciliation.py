"""Claim reconciliation (issue 22, METHODOLOGY §19): per provider, account, service, region
and credited month, the credit the SLA owes, the amount claimed and approved, the credit the
billing export shows as received, the difference (outstanding) and a plain reason.

Received credits are the ``credits_received`` of the charges table for the same provider,
service and region (and account, when the contract names one; a region with none falls back
to the service's global lines), in the credited month or later; they are applied to the owed
credits of that key oldest month first, so a credit is never counted twice. Whatever is
received beyond the owed credits stays on the key's last month ("received more than owed").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from estimator.table_columns import RECONCILIATION_COLUMNS
from pricing.charges import month_codes
from pricing.money import currencies, round_half_up_float

if TYPE_CHECKING:
    from estimator.results.results import Results

KEY = ["company_id", "provider", "account", "service", "region"]


def reconciliation(results: Results) -> pd.DataFrame:
    """One row per company, provider, account, service, region and month owed a credit."""
    c = results.credits
    owed = c[(c["kind"] == "provider") & (c["credit_amount"].fillna(0) > 0)]
    if owed.empty:
        return pd.DataFrame({col: pd.Series(dtype=_dtype(col)) for col in RECONCILIATION_COLUMNS})
    con = results.inputs.contracts.set_index("contract_id")
    rows = pd.DataFrame(
        {
            "company_id": owed["company_id"].to_numpy(object),
            "provider": owed["contract_id"].map(con["provider"]).to_numpy(object),
            "account": owed["contract_id"].map(con["account"]).fillna("").to_numpy(object),
            "service": owed["contract_id"].map(con["service"]).to_numpy(object),
            "region": owed["contract_id"].map(con["region"]).to_numpy(object),
            "month": owed["month"].to_numpy(object),
            "currency": owed["currency"].to_numpy(object),
            "credit_owed": owed["credit_amount"].to_numpy(np.float64),
            "claim_status": owed["claim_status"].fillna("").to_numpy(object),
            "contract_id": owed["contract_id"].to_numpy(object),
        }
    )
    rows = _claimed(rows, results.inputs.claim_log)
    group = [*KEY, "month", "currency"]
    grouped = rows.groupby(group, as_index=False, sort=True).agg(
        credit_owed=("credit_owed", "sum"),
        claimed=("claimed", "sum"),
        approved=("approved", "sum"),
        claim_status=("claim_status", "first"),
        statuses=("claim_status", "nunique"),
    )
    mixed = grouped["statuses"].to_numpy() > 1  # rare: contracts of one key in different states
    if mixed.any():
        joined = rows.groupby(group, sort=True)["claim_status"].agg(
            lambda v: "; ".join(sorted(set(v) - {""}))
        )
        grouped.loc[mixed, "claim_status"] = joined.to_numpy()[mixed]
    as_of_month = (results.as_of.year - 1970) * 12 + results.as_of.month - 1
    grouped["received"] = _received(grouped, results.inputs.charges, as_of_month)
    places = grouped["currency"].map(currencies()).to_numpy(np.int64)
    for column in ("credit_owed", "claimed", "approved", "received"):
        grouped[column] = round_half_up_float(grouped[column].to_numpy(np.float64), places)
    grouped["outstanding"] = round_half_up_float(
        (grouped["credit_owed"] - grouped["received"]).to_numpy(np.float64), places
    )
    grouped["reason"] = _reasons(grouped, has_charges=not results.inputs.charges.empty)
    return grouped[RECONCILIATION_COLUMNS]


def _dtype(column: str) -> str:
    money = ("credit_owed", "claimed", "approved", "received", "outstanding")
    return "float64" if column in money else "str"


def _claimed(rows: pd.DataFrame, claim_log: pd.DataFrame) -> pd.DataFrame:
    """claimed: the owed credit of a logged claim; approved: its approved amount (the owed
    credit when approved or paid without an amount; 0 when filed or rejected)."""
    log = claim_log.set_index(["contract_id", "month"])["amount_approved"]
    status = rows["claim_status"]
    logged = status.isin(["filed", "approved", "rejected", "paid"]).to_numpy()
    rows["claimed"] = np.where(logged, rows["credit_owed"], 0.0)
    given = pd.MultiIndex.from_arrays([rows["contract_id"], rows["month"]])
    amount = log.reindex(given).to_numpy(np.float64) if len(log) else np.full(len(rows), np.nan)
    approved = status.isin(["approved", "paid"]).to_numpy()
    rows["approved"] = np.where(
        approved, np.where(np.isnan(amount), rows["credit_owed"], amount), 0.0
    )
    return rows


def _received(owed: pd.DataFrame, charges: pd.DataFrame, as_of_month: int) -> np.ndarray:
    """The credits received applied to each owed row, oldest month first within its key; a
    bill of a month after the valuation date's had not been issued on it and is not counted."""
    total = np.zeros(len(owed))
    if charges.empty:
        return total
    got = charges[charges["service"].fillna("") != ""].copy()
    got["account"] = got["account"].fillna("")
    got["region"] = got["region"].fillna("")
    got["_month"] = month_codes(got["month"])
    got = got[got["_month"] <= as_of_month]
    query = owed[KEY].copy()
    query["_first"] = (
        pd.Series(month_codes(owed["month"]))
        .groupby(pd.MultiIndex.from_frame(owed[KEY]).factorize()[0])
        .transform("min")
        .to_numpy()
    )
    found = np.full(len(owed), np.nan)
    for region_rule in ("exact", "global"):
        for with_account in (True, False):
            sel = (owed["account"] != "").to_numpy() == with_account
            keys = ["provider", "service", "region", *(["account"] if with_account else [])]
            q = query.loc[sel, [*keys, "_first"]]
            if region_rule == "global":
                q = q.assign(region="")
            if q.empty:
                continue
            wanted = q.drop_duplicates(keys)
            lines = got.merge(wanted, on=keys)
            lines = lines[lines["_month"] >= lines["_first"]]  # received in or after the month
            per_key = lines.groupby(keys)["credits_received"].sum()
            values = per_key.reindex(pd.MultiIndex.from_frame(q[keys])).to_numpy(np.float64)
            slot = np.flatnonzero(sel)
            fill = np.isnan(found[slot]) & ~np.isnan(values)
            found[slot[fill]] = values[fill]
    return _applied_oldest_first(owed, np.nan_to_num(found))


def _applied_oldest_first(owed: pd.DataFrame, total: np.ndarray) -> np.ndarray:
    """Each key's received total spread over its owed months in order (rows are sorted by key
    and month); the rest stays on the last month."""
    key = pd.MultiIndex.from_frame(owed[KEY]).factorize()[0]
    amount = owed["credit_owed"].to_numpy(np.float64)
    cum = pd.Series(amount).groupby(key).cumsum().to_numpy()
    before = cum - amount
    applied: np.ndarray = np.clip(total - before, 0.0, amount)
    last = ~pd.Series(key).duplicated(keep="last").to_numpy()
    applied[last] += np.maximum(total[last] - cum[last], 0.0)
    return applied


def _reasons(r: pd.DataFrame, *, has_charges: bool) -> np.ndarray:
    """Each row's reason, first that applies: what was received, else what became of the
    claim."""
    owed, received = r["credit_owed"].to_numpy(), r["received"].to_numpy()
    status = r["claim_status"].astype("str")
    paid = (
        "paid per the claim log, not in the billing export"
        if has_charges
        else "paid per the claim log"
    )
    conditions = [
        received > owed,
        received == owed,
        received > 0,
        (status == "rejected").to_numpy(),
        (status == "expired").to_numpy(),
        (status == "filed").to_numpy(),
        (status == "approved").to_numpy(),
        (status == "paid").to_numpy(),
    ]
    choices = [
        "received more than owed",
        "received in full",
        "received less than owed",
        "lost: rejected",
        "lost: not claimed by the deadline",
        "claim pending",
        "approved, not yet received",
        paid,
    ]
    out: np.ndarray = np.select(conditions, choices, default="not claimed").astype(object)
    return out
