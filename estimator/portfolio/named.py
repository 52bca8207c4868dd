"""The YLT and ELT as the user reads them: each row's company id and currency (and the ELT's
outage id) in place of the integer codes the partitions price and sort by. Written once, on
the finished rows: a partition's tables travel from a worker as integers, and the text is
taken from the few distinct ids."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from estimator.engine.arrays import take_text


class Coded(NamedTuple):
    """A partition's YLT or ELT rows with codes: ``company`` (a row of ``companies``) and,
    in the ELT, ``event`` (a position in ``outages``)."""

    rows: pd.DataFrame
    companies: pd.DataFrame
    """The partition's company_id and currency, by company code."""
    outages: pd.Index | None
    """The ELT's outage id of each event code; None for the YLT."""


def named(frame: pd.DataFrame, companies: pd.DataFrame, outages: pd.Index | None) -> pd.DataFrame:
    """``frame`` with ``company_id`` and ``currency`` in place of its company code, and (the
    ELT, ``outages`` given) ``outage_id`` after ``year`` in place of its event code."""
    position = frame["company"].to_numpy(np.int64)
    columns: dict[str, object] = {"year": frame["year"].to_numpy()}
    if outages is not None:
        event = frame["event"].to_numpy(np.int64)
        columns["outage_id"] = take_text(pd.Series(outages, dtype="str"), event)
    columns["company_id"] = take_text(companies["company_id"], position)
    columns["currency"] = take_text(companies["currency"], position)
    for c in frame.columns.difference(["year", "company", "event"], sort=False):
        columns[c] = frame[c].to_numpy()
    return pd.DataFrame(columns, copy=False)  # fresh columns or the frame's own: no copy


def named_parts(parts: list[Coded]) -> pd.DataFrame:
    """The partitions' rows one after another, named: company codes counted on across the
    partitions' companies. Every partition prices the same events, so their event codes
    are the same."""
    outages = parts[0].outages
    if any(p.outages is not None and not p.outages.equals(outages) for p in parts):
        raise ValueError("the partitions priced different events")
    companies = pd.concat([p.companies for p in parts], ignore_index=True)
    frame = pd.concat([p.rows for p in parts], ignore_index=True)
    offset = np.cumsum([0, *(len(p.companies) for p in parts[:-1])])
    size = [len(p.rows) for p in parts]
    frame["company"] = frame["company"].to_numpy(np.int64) + np.repeat(offset, size)
    return named(frame, companies, outages)
