"""Each credit row's base: the contract's ``monthly_fee`` when typed, else the month's charges
from the ``charges`` table (issue 22, METHODOLOGY §19).

A contract without a fee takes, for each month it is measured, the charges of its provider,
service and region in that month: of its ``account`` when it names one, of every account
when not. A region with no charges row falls back to the service's global charges (a blank
region: Route 53, CloudFront). Amounts are summed in integer minor units, so the base is the
exact sum of the cents in the table. Lines of services the catalog does not know (blank
service) are never a base.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.money import currencies

Int = npt.NDArray[np.int64]
Float = npt.NDArray[np.float64]
KEY = ["provider", "service", "region", "month"]


class FeeBases(NamedTuple):
    fee: Float
    """The base of each row (NaN where the contract has no fee and the table no charges)."""
    from_charges: npt.NDArray[np.bool_]
    """The row's base is the charges table's (``fee_source`` charges), not a typed fee."""
    missing: npt.NDArray[np.bool_]
    """Rows with neither a fee nor charges (an error where a credit is owed)."""


def month_codes(labels: pd.Series) -> Int:
    """'YYYY-MM' -> months since 1970-01."""
    text = labels.astype("str")
    year = text.str.slice(0, 4).astype(np.int64).to_numpy()
    month = text.str.slice(5, 7).astype(np.int64).to_numpy()
    out: Int = (year - 1970) * 12 + month - 1
    return out


def fee_bases(con: pd.DataFrame, code: Int, months: Int, charges: pd.DataFrame) -> FeeBases:
    fee = con["monthly_fee"].to_numpy(np.float64)[code].copy()
    need = np.isnan(fee)
    if not need.any() or charges.empty:
        return FeeBases(fee, need, need)
    at = np.flatnonzero(need)
    query = pd.DataFrame(
        {
            "provider": con["provider"].to_numpy(object)[code[at]],
            "service": con["service"].to_numpy(object)[code[at]],
            "region": con["region"].to_numpy(object)[code[at]],
            "account": con["account"].to_numpy(object)[code[at]],
            "month": months[at],
            "_row": at,
        }
    )
    table = _minor_sums(charges)
    found = np.full(len(query), np.nan)
    for region in ("exact", "global"):
        q = query if region == "exact" else query.assign(region="")
        with_account = q["account"].notna().to_numpy()
        by_account = q[with_account].merge(table.by_account, on=[*KEY, "account"], how="left")
        every = q[~with_account].merge(table.every, on=KEY, how="left")
        for part, sel in ((by_account, with_account), (every, ~with_account)):
            values = part["amount"].to_numpy(np.float64)
            slot = np.flatnonzero(sel)
            fill = np.isnan(found[slot]) & ~np.isnan(values)
            found[slot[fill]] = values[fill]
    fee[at] = found
    return FeeBases(fee, need, np.isnan(fee))


class _Sums(NamedTuple):
    by_account: pd.DataFrame
    every: pd.DataFrame


def _minor_sums(charges: pd.DataFrame) -> _Sums:
    """The charges of mapped services summed per key, in minor units, then as amounts."""
    mapped = charges[charges["service"].notna() & (charges["service"] != "")]
    places = mapped["currency"].map(currencies()).to_numpy(np.int64)
    scale = np.power(10.0, places)
    frame = pd.DataFrame(
        {
            "provider": mapped["provider"].to_numpy(object),
            "service": mapped["service"].to_numpy(object),
            "region": mapped["region"].fillna("").to_numpy(object),
            "account": mapped["account"].fillna("").to_numpy(object),
            "month": month_codes(mapped["month"]),
            "minor": np.rint(mapped["charges"].to_numpy(np.float64) * scale).astype(np.int64),
            "scale": scale,
        }
    )

    def summed(keys: list[str]) -> pd.DataFrame:
        out = frame.groupby(keys, as_index=False).agg(
            minor=("minor", "sum"), scale=("scale", "first")
        )
        out["amount"] = out["minor"] / out["scale"]
        return out[[*keys, "amount"]]

    return _Sums(summed([*KEY, "account"]), summed(KEY))


def with_typical_fees(inputs_contracts: pd.DataFrame, charges: pd.DataFrame) -> pd.DataFrame:
    """For simulated years (``risk()``) and replayed outages (``what_if()``), whose months are
    not the charges table's: each contract without a fee takes the mean of its monthly charges
    over the months the table holds charges above zero for it (its account's or every account's, as for a real month; a region without charges
    falls back to the service's global rows). A contract with no charges at all keeps a blank
    fee (an input error where it is owed a credit)."""
    con = inputs_contracts
    takes = con["monthly_fee"].isna().to_numpy() & (con["kind"] == "provider").to_numpy()
    if not takes.any() or charges.empty:
        return con
    months = np.unique(month_codes(charges["month"]))
    rows = np.flatnonzero(takes)
    code = np.repeat(rows, len(months))
    month = np.tile(months, len(rows))
    fee = fee_bases(con, code, month, charges).fee.reshape(len(rows), len(months))
    counted = ~np.isnan(fee) & (np.nan_to_num(fee) > 0)  # a month of credit lines only is no usage
    places = 2  # a mean of cent amounts, rounded half-up to the cent (then to the currency)
    with np.errstate(invalid="ignore"):
        total = np.where(counted, fee, 0.0).sum(axis=1)
        mean = np.where(counted.any(axis=1), total / counted.sum(axis=1), np.nan)
    out = con.copy()
    out.loc[rows, "monthly_fee"] = np.floor(mean * 10**places + 0.5) / 10**places
    return out
