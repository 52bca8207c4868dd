"""The rules of the ``charges`` and ``claim_log`` tables (issue 22): a charges row is given
once, in the currency of the contracts that take it; a claim is logged once per contract and
month, for a provider contract, with an approved amount only when it was approved or paid."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.inputs.schema import CHARGES
from estimator.inputs.validation.collector import Checked, Collector, fill_defaults, references
from estimator.inputs.validation.parsers import decimals, is_in
from pricing.money import currencies

CHARGES_KEY = [c for c in CHARGES.column_names if c not in ("charges", "credits_received")]
"""What names a charges row: every column but the amounts."""


def check_charges(
    c: Checked, contracts: pd.DataFrame, companies: pd.DataFrame, out: Collector
) -> None:
    fill_defaults(c)
    t = c.typed
    _repeated(c, CHARGES_KEY, E.CHARGES_TWICE, "month", out)
    _cents(c, out)
    takers = fee_takers(contracts)
    if takers.empty or t.empty:
        return
    currency = dict(zip(companies["company_id"], companies["currency"], strict=True))
    takers = takers.assign(company_currency=takers["company_id"].map(currency))
    takers = takers[takers["company_currency"].notna()]  # a company's own error is reported
    rows = t.reset_index().rename(columns={"index": "_pos"})
    same = rows.merge(takers, on=["provider", "service"], suffixes=("", "_contract"))
    region_fits = (same["region"] == same["region_contract"]) | same["region"].fillna("").eq("")
    account_fits = same["account_contract"].isna() | (same["account"] == same["account_contract"])
    wrong = same[region_fits & account_fits & (same["currency"] != same["company_currency"])]
    first = wrong.drop_duplicates("_pos")
    out.add(
        c.raw,
        first["_pos"].to_numpy(np.int64),
        "currency",
        [
            E.CHARGES_CURRENCY.format(contract=r.contract_id, currency=r.company_currency)
            for r in first.itertuples()
        ],
    )


def _cents(c: Checked, out: Collector) -> None:
    """Amounts have no more decimals than their currency (the base is exact in minor units)."""
    places = c.typed["currency"].map(currencies()).fillna(2).to_numpy(np.int64)
    for column in ("charges", "credits_received"):
        if column not in c.raw.frame.columns:
            continue
        text = c.raw.frame[column].reset_index(drop=True)
        given = text.notna().to_numpy() & ~c.bad[column].to_numpy()
        written = np.zeros(len(given), dtype=np.int64)
        written[given] = decimals(text[given]).to_numpy()
        over = given & (written > places)
        currency = c.typed["currency"]
        out.add(
            c.raw,
            over,
            column,
            [
                E.TOO_MANY_DECIMALS.format(currency=currency.iloc[i], places=places[i])
                for i in np.flatnonzero(over)
            ],
        )


def fee_takers(contracts: pd.DataFrame) -> pd.DataFrame:
    """The provider contracts whose credit base comes from the charges table: no monthly_fee,
    and a named service and region (a wildcard contract never takes charges)."""
    con = contracts
    takes = (
        (con["kind"] == "provider")
        & con["monthly_fee"].isna()
        & con["service"].notna()
        & (con["service"] != "*")
        & (con["region"] != "*")
    )
    return con.loc[
        takes, ["contract_id", "company_id", "provider", "service", "region", "account"]
    ].rename(columns={"region": "region_contract", "account": "account_contract"})


def check_claim_log(
    c: Checked, contracts: pd.DataFrame, out: Collector, contracts_given: bool = True
) -> None:
    t = c.typed
    _repeated(c, ["contract_id", "month"], E.CLAIM_TWICE, "month", out)
    if not contracts_given:  # the missing table is the problem reported
        return
    references(c, "contract_id", contracts["contract_id"], "contract", "contract_id", out)
    kinds = dict(zip(contracts["contract_id"], contracts["kind"], strict=True))
    kind = t["contract_id"].map(kinds)
    not_provider = (kind.notna() & (kind != "provider")).to_numpy()
    out.add(c.raw, not_provider, "contract_id", E.CLAIM_NOT_PROVIDER)
    amount = t["amount_approved"].notna().to_numpy()
    approved = is_in(t["status"], ["approved", "paid"])
    out.add(
        c.raw,
        amount & ~approved & t["status"].notna().to_numpy(),
        "amount_approved",
        E.CLAIM_AMOUNT_NOT_APPROVED,
    )


def _repeated(c: Checked, key: list[str], message: str, column: str, out: Collector) -> None:
    """Every repeat of a key after its first row, naming the first row."""
    frame = c.typed[key].fillna("")
    dup = frame.duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first = frame.reset_index().groupby(key, sort=False)["index"].transform("min").to_numpy()
    out.add(
        c.raw,
        dup,
        column,
        [message.format(first=int(c.raw.rows[first[i]])) for i in np.flatnonzero(dup)],
    )
