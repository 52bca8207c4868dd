"""The policy periods a risk run can lay onto its simulated years (issue 20): each simulated
year is a policy year, so a dated cover must have both bounds and last at most one year
(:mod:`pricing.policy_years` covers the same part of every year with it). The covers that
cannot are refused at once, each named by its row of the contracts table."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator import errors as E
from estimator.errors import InputError, ValidationIssue
from estimator.inputs.scenario import Inputs
from pricing.policy_years import shift_years


def check_policy_periods(inputs: Inputs) -> None:
    """Raise :class:`InputError` naming every cover whose period cannot be laid onto a year."""
    con = inputs.contracts
    cover = (con["kind"] == "insurance").to_numpy(dtype=bool)
    has_inception = con["inception"].notna().to_numpy(dtype=bool)
    has_expiry = con["expiry"].notna().to_numpy(dtype=bool)
    issues = []
    for i in np.flatnonzero(cover & (has_inception != has_expiry)):
        column = "expiry" if has_inception[i] else "inception"
        issues.append(ValidationIssue("contracts", int(i) + 2, column, None, E.PERIOD_ONE_BOUND))
    dated = np.flatnonzero(cover & has_inception & has_expiry)
    inception = _seconds(con["inception"].iloc[dated])
    expiry = _seconds(con["expiry"].iloc[dated])
    anniversary = shift_years(inception, np.ones(len(dated), dtype=np.int64))
    for k in np.flatnonzero(expiry > anniversary):
        row = int(dated[k]) + 2
        issues.append(
            ValidationIssue(
                "contracts",
                row,
                "expiry",
                _text(expiry[k]),
                E.PERIOD_OVER_A_YEAR.format(
                    inception=_text(inception[k]),
                    expiry=_text(expiry[k]),
                    anniversary=_text(anniversary[k]),
                ),
            )
        )
    if issues:
        raise InputError(issues)


def _seconds(times: pd.Series) -> npt.NDArray[np.int64]:
    return np.asarray(times.dt.as_unit("s").astype("int64").to_numpy(), dtype=np.int64)


def _text(seconds: int) -> str:
    return f"{pd.Timestamp(int(seconds), unit='s', tz='UTC'):%Y-%m-%dT%H:%M:%SZ}"
