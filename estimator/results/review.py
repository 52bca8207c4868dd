"""Which credit rows need review, those whose credit or decision depends on it first.

A row's credit or decision depends on the review when it pays something (a credit
above zero resting on the reviewed terms) or when no credit could be computed
although there was downtime. Other flagged rows (no downtime, or a computed zero)
follow: their answer would not change with the terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from estimator.results.results import Results


REVIEW_COLUMNS = [
    "contract_id",
    "company_id",
    "month",
    "credit_amount",
    "currency",
    "review_reason",
]


def review_rows(results: Results) -> pd.DataFrame:
    """The rows that need review, with ``depends`` (their credit or decision depends on it),
    those that depend first, each group in the credits' own order."""
    c = results.credits
    flagged = c[c["needs_review"]].copy()
    unpriced = flagged["credit_amount"].isna() & (flagged["downtime_minutes"] > 0)
    flagged["depends"] = (flagged["credit_amount"] > 0) | unpriced
    ordered = flagged.sort_values("depends", ascending=False, kind="stable")
    return ordered[[*REVIEW_COLUMNS, "depends"]].reset_index(drop=True)


def review_summary(results: Results) -> str:
    """One sentence: how many rows need review, and how many of them it matters for."""
    rows = review_rows(results)
    if rows.empty:
        return ""
    n, m = len(rows), int(rows["depends"].sum())
    return (
        f"{n} credit row{'s' if n != 1 else ''} need review; for {m} of them the credit (or "
        "a credit the terms could not price) depends on it."
    )
