"""Claim deadlines: by when a credit must be claimed, one rule per provider's wording.

Each rule maps the billing month (and the month's first incident) to the last
day, in UTC, on which the claim must be received. Rules are registered by
name; the catalog names the rule of each template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Months = npt.NDArray[np.datetime64]  # datetime64[M]
Days = npt.NDArray[np.datetime64]  # datetime64[D]


@dataclass(frozen=True)
class ClaimRule:
    name: str
    wording: str
    deadline: Callable[[Months, Days, int], Days]
    """(billing month, date of the month's first incident, days parameter) -> last day."""
    needs_days: bool = False


def _end_of_second_cycle_after(month: Months, first: Days, days: int) -> Days:
    # incident in month m: cycles m+1 and m+2 follow; the claim is due by the end of m+2
    return np.asarray((month + 3).astype("datetime64[D]") - np.timedelta64(1, "D"))


def _days_after_month_end(month: Months, first: Days, days: int) -> Days:
    # eligible when the month ends (00:00 UTC on the 1st of the next month); within N days
    return np.asarray((month + 1).astype("datetime64[D]") + np.timedelta64(days - 1, "D"))


def _business_days_after_incident(month: Months, first: Days, days: int) -> Days:
    return np.asarray(np.busday_offset(first, days, roll="forward"))


def _none(month: Months, first: Days, days: int) -> Days:
    return np.full(len(month), np.datetime64("NaT"), dtype="datetime64[D]")


CLAIM_RULES: dict[str, ClaimRule] = {
    r.name: r
    for r in (
        ClaimRule(
            "end_of_second_billing_cycle",
            "received by the end of the second billing cycle after the incident "
            "(incident in December -> claim by the end of February)",
            _end_of_second_cycle_after,
        ),
        ClaimRule(
            "two_months_after_billing_month",
            "received within two months of the end of the billing month of the incident",
            _end_of_second_cycle_after,
        ),
        ClaimRule(
            "days_after_month_end",
            "notify within N days from becoming eligible; eligibility taken as the end "
            "of the billing month",
            _days_after_month_end,
            needs_days=True,
        ),
        ClaimRule(
            "business_days_after_incident",
            "notify within N business days (Mon-Fri) after the month's first incident",
            _business_days_after_incident,
            needs_days=True,
        ),
        ClaimRule("unknown", "claim deadline not known: check the provider's terms", _none),
        ClaimRule("none", "no claim deadline (an SLA the company sold, or custom terms)", _none),
    )
}


EXPIRED = "expired"


def claim_status(deadline: Days, on: str, owed: npt.NDArray[np.bool_]) -> pd.Series:
    """Each claim's status on a date (ISO text): ``open (N days left)`` while the deadline (the last day
    a claim is received) is on or after the date, then ``expired``; blank where there is no
    deadline or nothing is owed."""
    days = (np.asarray(deadline, dtype="datetime64[D]") - np.datetime64(on, "D")).astype(np.int64)
    known = ~np.isnat(np.asarray(deadline, dtype="datetime64[D]")) & np.asarray(owed, bool)
    out = np.full(len(days), "", dtype=object)
    left = known & (days >= 0)
    distinct, which = np.unique(days[left], return_inverse=True)
    texts = np.array(
        [f"open ({d} day{'s' if d != 1 else ''} left)" for d in distinct.tolist()], dtype=object
    )
    out[left] = texts[which] if len(distinct) else out[left]
    out[known & (days < 0)] = EXPIRED
    return pd.Series(out, dtype="str")


def claim_rule(name: str) -> ClaimRule:
    try:
        return CLAIM_RULES[name]
    except KeyError:
        valid = ", ".join(sorted(CLAIM_RULES))
        raise ValueError(f"unknown claim rule '{name}'; valid rules: {valid}") from None
