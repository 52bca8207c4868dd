"""What-if replays: one outage replayed at another time, longer or shorter, in another region
or at another impact; the bundled catalog's real outages can be replayed against any
portfolio. The result is new, validated inputs whose windows say what changed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from estimator.errors import InputError, ValidationIssue, did_you_mean
from estimator.inputs.event_files import BUNDLED_CATALOG, load_outages
from estimator.inputs.scenario import Inputs, timestamp_text
from estimator.inputs.valuation import as_of_time
from pricing.charges import with_typical_fees

When = str | dt.datetime | pd.Timestamp


def what_if(
    inputs: Inputs,
    outage_id: str,
    *,
    shift_to: When | None = None,
    duration_factor: float | None = None,
    region: str | None = None,
    impact: float | None = None,
) -> Inputs:
    """``inputs`` with outage ``outage_id`` replayed: starting at ``shift_to`` (every window
    moved by the same amount), every window's offset and length from the outage's start
    times ``duration_factor`` (whole seconds), moved to ``region`` (windows of every region,
    ``*``, stay so; zones are cleared), or at ``impact``. An id not in the inputs is taken
    from the bundled catalog and added."""
    frames = inputs.to_frames()
    outages = inputs.outages
    mine = (outages["outage_id"] == outage_id).to_numpy()
    if mine.any():
        rows, origin = outages[mine], "the inputs"
    else:
        rows, origin = _from_catalog(outage_id), "the bundled catalog"
    changed, said = _replayed(
        rows.reset_index(drop=True), shift_to, duration_factor, region, impact
    )
    note = f"what-if of {outage_id} (from {origin}): {', '.join(said) or 'unchanged'}"
    desc = changed["description"].fillna("").astype(str)
    changed["description"] = np.where(desc != "", desc + " | " + note, note)
    replay = _as_text(changed)
    kept = frames["outages"][~mine] if mine.any() else frames["outages"]
    frames["outages"] = pd.concat([kept, replay], ignore_index=True)
    typical = with_typical_fees(inputs.contracts, inputs.charges)["monthly_fee"]
    filled = typical.notna() & inputs.contracts["monthly_fee"].isna()
    if filled.any():  # a replayed month is not in the charges table: a typical month's charges
        frames["contracts"]["monthly_fee"] = typical.to_numpy()
        note += (
            f"; {int(filled.sum())} contracts without a monthly_fee take their mean monthly charges"
        )
    if frames.pop("claim_log", None) is not None:  # claims are about the real event
        note += "; the claim log is left out"
    return Inputs.from_frames(**frames, source=f"{inputs.source}; {note}")  # type: ignore[arg-type]


def _from_catalog(outage_id: str) -> pd.DataFrame:
    catalog = load_outages(BUNDLED_CATALOG)
    rows = catalog[catalog["outage_id"] == outage_id]
    if rows.empty:
        known = catalog["outage_id"].unique().tolist()
        raise InputError(
            [
                ValidationIssue(
                    "what-if",
                    None,
                    "outage_id",
                    outage_id,
                    "no outage has this id in the inputs or in the bundled catalog"
                    + did_you_mean(outage_id, known),
                )
            ]
        )
    return rows


def _replayed(
    rows: pd.DataFrame,
    shift_to: When | None,
    factor: float | None,
    region: str | None,
    impact: float | None,
) -> tuple[pd.DataFrame, list[str]]:
    out = rows.copy()
    said: list[str] = []
    begin = out["start"].min()
    if factor is not None:
        if not factor > 0:
            raise InputError(
                [
                    ValidationIssue(
                        "what-if", None, "duration_factor", str(factor), "expected a factor above 0"
                    )
                ]
            )
        offset = (out["start"] - begin).dt.total_seconds() * factor
        length = (out["end"] - out["start"]).dt.total_seconds() * factor
        out["start"] = begin + pd.to_timedelta(np.rint(offset), unit="s")
        out["end"] = out["start"] + pd.to_timedelta(np.maximum(1, np.rint(length)), unit="s")
        said.append(f"duration x {factor:g}")
    if shift_to is not None:
        when = as_of_time(shift_to)
        delta = when - begin
        out["start"] = out["start"] + delta
        out["end"] = out["end"] + delta
        said.append(f"starting {when:%Y-%m-%d %H:%M:%S} UTC instead of {begin:%Y-%m-%d %H:%M:%S}")
    if region is not None:
        out["region"] = np.where(out["region"] == "*", "*", region)
        out["zone"] = pd.Series(pd.NA, index=out.index, dtype="str")
        out["scope"] = np.where(out["scope"] == "zone", "region", out["scope"])
        said.append(f"in region {region}")
    if impact is not None:
        out["impact"] = impact
        said.append(f"impact {impact:g}")
    return out, said


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Windows in the input format (times as text with Z)."""
    return frame.assign(start=timestamp_text(frame["start"]), end=timestamp_text(frame["end"]))
