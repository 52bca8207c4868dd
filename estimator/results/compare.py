"""Side-by-side comparison of two estimates: per company and currency, each summary measure in
A and B and the difference B - A; and which inputs changed (rows added, removed or changed,
and the columns that changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from estimator.inputs.scenario import Inputs
from estimator.inputs.schema import TABLE_NAMES
from estimator.results.results import Results
from estimator.table_columns import SUMMARY_MONEY
from estimator.writers import WritesWorkbook

KEYS = {
    "outages": ["outage_id"],
    "companies": ["company_id"],
    "contracts": ["contract_id"],
    "exclusions": ["contract_id"],
    "revenue_profiles": ["profile_id", "day", "hour"],
    "uncertainty": ["table", "id", "column"],
    "fx_rates": ["currency"],
    "charges": ["provider", "service", "region", "month", "account"],
    "claim_log": ["contract_id", "month"],
}
"""The columns that name a row; rows sharing them are told apart by their order."""
CHANGE_COLUMNS = ["table", "key", "change", "columns", "a", "b"]


@dataclass
class Comparison(WritesWorkbook):
    """``summary``: company_id, currency, measure, a, b, difference (B - A; in the company's
    currency, never across currencies); ``changes``: the inputs that differ (when both sides
    carry their inputs)."""

    summary: pd.DataFrame
    changes: pd.DataFrame
    a_name: str = "A"
    b_name: str = "B"
    b_results: Results | None = None

    writer_kind: ClassVar[str] = "comparison"


def compare(
    a: Results | pd.DataFrame, b: Results | pd.DataFrame, *, names: tuple[str, str] = ("A", "B")
) -> Comparison:
    """Compare two estimates: ``Results``, or saved estimates' summaries
    (``Library.estimate_summary``)."""
    sa, sb = (x.summary if isinstance(x, Results) else x for x in (a, b))
    summary = _summary(sa, sb)
    changes = (
        input_changes(a.inputs, b.inputs)
        if isinstance(a, Results) and isinstance(b, Results)
        else pd.DataFrame(columns=CHANGE_COLUMNS)
    )
    return Comparison(summary, changes, *names, b if isinstance(b, Results) else None)


def _summary(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    keys = ["company_id", "currency"]
    both = a[[*keys, *SUMMARY_MONEY]].merge(
        b[[*keys, *SUMMARY_MONEY]], on=keys, how="outer", suffixes=("_a", "_b"), sort=False
    )
    parts = []
    for m in SUMMARY_MONEY:
        va = both[f"{m}_a"].to_numpy(np.float64)
        vb = both[f"{m}_b"].to_numpy(np.float64)
        diff = np.round(np.nan_to_num(vb) - np.nan_to_num(va), 2)
        parts.append(both[keys].assign(measure=m, a=va, b=vb, difference=diff))
    out = pd.concat(parts, ignore_index=True)
    company = pd.Index(pd.unique(pd.concat([a["company_id"], b["company_id"]])))
    order = np.lexsort(
        (
            out["measure"].map({m: i for i, m in enumerate(SUMMARY_MONEY)}).to_numpy(),
            company.get_indexer(out["company_id"]),
        )
    )
    return out.iloc[order].reset_index(drop=True)


def input_changes(a: Inputs, b: Inputs) -> pd.DataFrame:
    """Rows added, removed or changed between two inputs, table by table."""
    fa, fb = a.to_frames(), b.to_frames()
    found = [
        _table_changes(t, fa.get(t, getattr(a, t)), fb.get(t, getattr(b, t))) for t in TABLE_NAMES
    ]
    return pd.concat(
        [f for f in found if len(f)] or [pd.DataFrame(columns=CHANGE_COLUMNS)], ignore_index=True
    )


def _table_changes(table: str, a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    keys = KEYS[table]
    ta, tb = _keyed(a, keys), _keyed(b, keys)
    joined = ta.merge(tb, on="_key", how="outer", suffixes=("_a", "_b"), indicator=True)
    columns = list(a.columns)
    rows: list[dict[str, str]] = []
    for side, change in (("left_only", "removed"), ("right_only", "added")):
        for key in joined.loc[joined["_merge"] == side, "_key"].tolist():
            rows.append({"table": table, "key": str(key), "change": change})
    both = joined[joined["_merge"] == "both"]
    if len(both):
        differs = np.zeros((len(both), len(columns)), dtype=bool)
        for j, c in enumerate(columns):
            x = both[f"{c}_a"].astype(str).where(both[f"{c}_a"].notna(), "")
            y = both[f"{c}_b"].astype(str).where(both[f"{c}_b"].notna(), "")
            differs[:, j] = (x != y).to_numpy()
        for i in np.flatnonzero(differs.any(axis=1)):
            cols = [columns[j] for j in np.flatnonzero(differs[i])]
            rec = both.iloc[i]
            rows.append(
                {
                    "table": table,
                    "key": rec["_key"],
                    "change": "changed",
                    "columns": ", ".join(cols),
                    "a": "; ".join(str(rec[f"{c}_a"]) for c in cols),
                    "b": "; ".join(str(rec[f"{c}_b"]) for c in cols),
                }
            )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS, dtype="str").fillna("")


def _keyed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The frame with ``_key``: its key columns as text, and the row's rank among equal keys."""
    text: pd.Series = frame[keys[0]].astype(str).fillna("")  # a blank key cell is ""
    for k in keys[1:]:
        text = text + " / " + frame[k].astype(str).fillna("")
    rank = text.groupby(text).cumcount()
    key: pd.Series = text + np.where(rank > 0, " #" + (rank + 1).astype(str), "")
    return frame.assign(_key=key.to_numpy())
