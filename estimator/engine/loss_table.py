"""The losses table (one row per company and outage event that hit it) and the lost share
L(t) as steps, both with company ids and UTC times."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import Codes, ranks, take_text
from estimator.engine.empty_tables import empty_table
from estimator.table_columns import LOSS_COLUMNS

Int = npt.NDArray[np.int64]
LOST_SHARE_COLUMNS = ["company_id", "start", "end", "lost_share"]


class LossTable(NamedTuple):
    frame: pd.DataFrame
    company: Int
    """The company code of each row."""


def loss_table(raw: pd.DataFrame, codes: Codes, event_names: pd.Series) -> LossTable:
    """``raw``: pricing's event losses (company and event codes, the money columns), in any
    order. Returns the table sorted by company and outage id."""
    if raw.empty:
        return LossTable(empty_table(LOSS_COLUMNS), np.zeros(0, dtype=np.int64))
    company = raw["company"].to_numpy(np.int64)
    event = raw["event"].to_numpy(np.int64)
    key = codes.company_rank[company] * len(event_names) + ranks(event_names)[event]
    order = np.argsort(key)
    company, event = company[order], event[order]
    out = pd.DataFrame(
        {
            "company_id": take_text(codes.companies["company_id"], company),
            "outage_id": take_text(event_names, event),
            "currency": take_text(codes.companies["currency"], company),
        }
    )
    for column in LOSS_COLUMNS[3:]:
        out[column] = raw[column].to_numpy(np.float64)[order]
    return LossTable(out[LOSS_COLUMNS], company)


def lost_share_table(steps: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """L(t) as steps: company_id, start and end (UTC), lost_share; ``steps`` has company
    codes and seconds."""
    if steps.empty:
        return pd.DataFrame(
            {
                "company_id": pd.Series(dtype="str"),
                "start": pd.Series(dtype="datetime64[s, UTC]"),
                "end": pd.Series(dtype="datetime64[s, UTC]"),
                "lost_share": pd.Series(dtype="float64"),
            }
        )
    company = steps["company"].to_numpy(np.int64)
    return pd.DataFrame(
        {
            "company_id": take_text(codes.companies["company_id"], company),
            "start": pd.to_datetime(steps["start"].to_numpy(np.int64), unit="s", utc=True).as_unit(
                "s"
            ),
            "end": pd.to_datetime(steps["end"].to_numpy(np.int64), unit="s", utc=True).as_unit("s"),
            "lost_share": steps["lost_share"].to_numpy(np.float64),
        }
    )
