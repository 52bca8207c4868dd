"""A credited month with neither a monthly_fee nor charges: the input error that names it
(the lookup itself is :mod:`pricing.charges`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator import errors as E
from estimator.errors import InputError, ValidationIssue

Int = npt.NDArray[np.int64]


def raise_missing(con: pd.DataFrame, code: Int, months: Int, rows: Int) -> None:
    """An input error for each contract and month that owes a credit but has no base."""
    labels = np.asarray(months[rows]).astype("datetime64[M]").astype(str)
    issues = []
    for i, label in zip(rows, labels, strict=True):
        c = con.iloc[int(code[i])]
        account = f" for account {c['account']}" if pd.notna(c["account"]) else ""
        message = E.NO_FEE_FOR_MONTH.format(
            contract=c["contract_id"],
            provider=c["provider"],
            service=c["service"],
            region=c["region"],
            account=account,
            month=label,
        )
        issues.append(ValidationIssue("contracts", int(code[i]) + 2, "monthly_fee", None, message))
    raise InputError(issues)
