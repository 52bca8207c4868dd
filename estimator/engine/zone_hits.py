"""Zones in the engine: a zone window reaches a provider contract only in a zone it names
(blank zones: every zone, with a review reason); for a region-level SLA defined as "all
instances in two or more zones unavailable at once" the minutes when every zone the contract
names is hit at once count as a region outage (:func:`pricing.zones.all_zones_down`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.catalog import Catalog
from pricing.scopes import BIT
from pricing.zones import all_zones_down, in_zones, parse_zones

Int = npt.NDArray[np.int64]
ALL_NAMED_ZONES = "all_named_zones"


def reaches(
    hits: pd.DataFrame, window_zone: pd.Series, contracts: pd.DataFrame
) -> npt.NDArray[np.bool_]:
    """Per hit: False for a zone window in a zone the contract does not name."""
    keep = np.ones(len(hits), dtype=bool)
    if "zones" not in contracts or contracts["zones"].isna().all() or not len(hits):
        return keep
    contract = hits["contract"].to_numpy(np.int64)
    zone = window_zone.to_numpy(object)[hits["window"].to_numpy(np.int64)]
    zones = contracts["zones"].to_numpy(object)[contract]
    check = (hits["scope_bit"].to_numpy(np.int64) == BIT["zone"]) & pd.notna(zones) & pd.notna(zone)
    rows = np.flatnonzero(check)
    keep[rows] = in_zones(pd.Series(zone[rows], dtype="str"), pd.Series(zones[rows], dtype="str"))
    return keep


def zone_rule_contracts(contracts: pd.DataFrame, catalog: Catalog) -> npt.NDArray[np.bool_]:
    """Per contract: its template's unavailability is every named zone down at once, and it
    names two or more zones."""
    rule = {t: catalog.versions(t)[0].zone_rule for t in catalog.ids}
    by_rule = contracts["sla"].map(rule).fillna("").to_numpy(object) == ALL_NAMED_ZONES
    count = contracts["zones"].fillna("").map(lambda z: len(parse_zones(str(z)))).to_numpy()
    provider = (contracts["kind"] == "provider").to_numpy(dtype=bool)
    return np.asarray(by_rule & (count >= 2) & provider, dtype=bool)


def with_all_zones_hits(
    hits: pd.DataFrame, window_zone: pd.Series, contracts: pd.DataFrame, catalog: Catalog
) -> pd.DataFrame:
    """The hits, plus one region-scope hit per interval in which every zone a zone-rule
    contract names is down at once (for its SLA measurement only)."""
    if "zones" not in contracts or not len(hits) or contracts["zones"].isna().all():
        return hits
    ruled = zone_rule_contracts(contracts, catalog)
    contract = hits["contract"].to_numpy(np.int64)
    rows = np.flatnonzero(ruled[contract] & (hits["scope_bit"].to_numpy(np.int64) == BIT["zone"]))
    if not len(rows):
        return hits
    sub = hits.iloc[rows]
    zone = window_zone.to_numpy(object)[sub["window"].to_numpy(np.int64)]
    named = contracts["zones"].to_numpy(object)[sub["contract"].to_numpy(np.int64)]
    index = _zone_index(zone, named)
    ok = index >= 0
    n_zones = contracts["zones"].fillna("").map(lambda z: len(parse_zones(str(z)))).to_numpy()
    down = all_zones_down(
        contract=sub["contract"].to_numpy(np.int64)[ok],
        zone=index[ok],
        n_zones=n_zones.astype(np.int64),
        start=sub["start"].to_numpy(np.int64)[ok],
        end=sub["end"].to_numpy(np.int64)[ok],
        impact_ppm=sub["impact_ppm"].to_numpy(np.int64)[ok],
    )
    if down.empty:
        return hits
    extra = sub[ok].iloc[down["first_row"].to_numpy()].reset_index(drop=True)
    extra["start"] = down["start"].to_numpy()
    extra["end"] = down["end"].to_numpy()
    extra["impact_ppm"] = down["impact_ppm"].to_numpy()
    extra["scope_bit"] = BIT["region"]
    return pd.concat([hits, extra], ignore_index=True)


def _zone_index(zone: npt.NDArray[np.object_], named: npt.NDArray[np.object_]) -> Int:
    """Each window zone's position among its contract's zones (-1: not among them), decided
    once per distinct (zone, zones) pair."""
    codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([zone, named]))
    at = [parse_zones(str(zs)).index(z) if z in parse_zones(str(zs)) else -1 for z, zs in pairs]
    return np.asarray(at, dtype=np.int64)[codes]


def blank_zone_rows(
    hits: pd.DataFrame, contracts: pd.DataFrame, scope_mask: Int
) -> npt.NDArray[np.bool_]:
    """Per hit: a zone window counted by the SLA of a provider contract that names no zones
    (counted as if its resources ran in that zone: a review reason says so)."""
    contract = hits["contract"].to_numpy(np.int64)
    blank = (
        contracts["zones"].isna().to_numpy()
        if "zones" in contracts
        else np.ones(len(contracts), dtype=bool)
    )
    zone_hit = hits["scope_bit"].to_numpy(np.int64) == BIT["zone"]
    return np.asarray(zone_hit & blank[contract] & ((scope_mask[contract] & BIT["zone"]) > 0))
