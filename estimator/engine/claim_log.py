"""The claim log laid onto the credit rows (issue 22, METHODOLOGY §19): a row whose contract
and month are logged takes the logged status (filed, approved, rejected, paid) in place of
``open (N days left)`` or ``expired``, and is flagged when it was filed after its deadline.
A log row filed after the valuation date had not happened yet on it and is not applied."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator import errors as E
from estimator.errors import InputError, ValidationIssue
from pricing.charges import month_codes

Int = npt.NDArray[np.int64]


class Logged(NamedTuple):
    rows: Int
    """The rows a log row applies to."""
    status: npt.NDArray[np.object_]
    """The logged status of each of those rows."""
    filed_late: npt.NDArray[np.bool_]
    """Every row: the claim was filed after its deadline."""


def logged_claims(
    con: pd.DataFrame,
    code: Int,
    months: Int,
    deadline: npt.NDArray[np.datetime64],
    claim_log: pd.DataFrame,
    as_of: pd.Timestamp,
) -> Logged:
    n = len(code)
    out = Logged(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(n, dtype=bool))
    if claim_log.empty:
        return out
    log = _ours(_in_effect(claim_log, as_of), con)
    if log.empty:
        return out
    position = pd.Series(np.arange(len(con), dtype=np.int64), index=con["contract_id"])
    log_code = log["contract_id"].map(position).to_numpy(np.int64)
    span = int(max(months.max(initial=0), log["_month"].max())) + 1
    keys = pd.Index(log_code * span + log["_month"].to_numpy(np.int64))
    where = keys.get_indexer(code * span + months)
    hit = np.flatnonzero(where >= 0)
    row = where[hit]
    filed = log["filed_on"].to_numpy("datetime64[D]")[row]
    out.filed_late[hit] = ~np.isnat(deadline[hit]) & (filed > deadline[hit])
    return out._replace(rows=hit.astype(np.int64), status=log["status"].to_numpy(object)[row])


def _ours(claim_log: pd.DataFrame, con: pd.DataFrame) -> pd.DataFrame:
    """The log rows of this run's contracts (a partition of a portfolio holds only some)."""
    return claim_log[claim_log["contract_id"].isin(con["contract_id"])]


def _in_effect(claim_log: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    log = claim_log.copy()
    log["_month"] = month_codes(log["month"])
    log["filed_on"] = pd.to_datetime(log["filed_on"], format="%Y-%m-%d")
    return log[log["filed_on"] <= as_of.tz_convert(None).normalize()]


def check_logged(
    claim_log: pd.DataFrame,
    con: pd.DataFrame,
    code: Int,
    months: Int,
    owed: npt.NDArray[np.bool_],
    as_of: pd.Timestamp,
) -> None:
    """An input error for each log row (filed by the valuation date) whose contract and month
    owe no credit."""
    if claim_log.empty:
        return
    claim_log = _ours(_in_effect(claim_log, as_of), con)
    if claim_log.empty:
        return
    position = pd.Series(np.arange(len(con), dtype=np.int64), index=con["contract_id"])
    log_code = claim_log["contract_id"].map(position).to_numpy(np.int64)
    log_month = month_codes(claim_log["month"])
    span = int(max(months.max(initial=0), log_month.max())) + 1
    owing = (code * span + months)[owed]
    missing = np.flatnonzero(~pd.Index(log_code * span + log_month).isin(owing))
    if len(missing) == 0:
        return
    raise InputError(
        [
            ValidationIssue(
                "claim_log",
                int(claim_log.index.to_numpy()[i]) + 2,
                "month",
                str(claim_log["month"].iloc[i]),
                E.CLAIM_NO_CREDIT.format(
                    contract=claim_log["contract_id"].iloc[i], month=claim_log["month"].iloc[i]
                ),
            )
            for i in missing
        ]
    )
