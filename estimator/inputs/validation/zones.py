"""The zones a provider contract names: AWS zone ids belong to the contract's region (an error
otherwise), and zones on a contract whose SLA has no zone notion get a note (they still decide
which zone windows reach its losses)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.inputs.readers import RawTable
from estimator.inputs.validation.collector import Checked, Collector
from pricing.catalog import Catalog
from pricing.names import Names
from pricing.zones import parse_zones

_AWS_ZONE_ID = re.compile(r"^([a-z]+[0-9]+)-az[0-9]+$")


def check_zones(c: Checked, names: Names, out: Collector) -> None:
    """Each AWS zone is a zone id (``use1-az4``) or zone name (``us-east-1a``) of the contract's
    region; each distinct (zones, region) is checked once."""
    t = c.typed
    rows = t["zones"].notna().to_numpy() & (t["provider"] == "aws").to_numpy(
        dtype=bool, na_value=False
    )
    if not rows.any():
        return
    at = np.flatnonzero(rows)
    pairs = pd.MultiIndex.from_arrays([t["zones"].iloc[at], t["region"].iloc[at].fillna("*")])
    codes, uniques = pd.factorize(pairs)
    problems = [_aws_problem(str(zones), str(region), names) for zones, region in uniques]
    bad = np.array([p is not None for p in problems], dtype=bool)[codes]
    mask = np.zeros(len(t), dtype=bool)
    mask[at[bad]] = True
    out.add(c.raw, mask, "zones", [problems[k] for k in codes[bad]])


def _aws_problem(zones: str, region: str, names: Names) -> str | None:
    prefixes = names.zone_prefix.get("aws", {})
    for zone in parse_zones(zones):
        m = _AWS_ZONE_ID.match(zone)
        if m and m.group(1) in prefixes:
            home = prefixes[m.group(1)]
        elif re.fullmatch(r"[a-z]+-[a-z]+-[0-9]+[a-z]", zone):
            home = zone[:-1]
        else:
            return E.NOT_AN_AWS_ZONE.format(zone=zone)
        if region != "*" and home != region:
            return E.ZONE_OTHER_REGION.format(zone=zone, home=home, region=region)
    return None


def zone_notes(raw: RawTable, contracts: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Zones on a provider contract whose SLA template has no zone notion (it counts neither
    zone outages nor every named zone down at once)."""
    given = contracts["zones"].notna() & (contracts["kind"] == "provider")
    notion = {
        t: "zone" in v.scopes or v.zone_rule != ""
        for t in catalog.ids
        for v in catalog.versions(t)[:1]
    }
    none = given & contracts["sla"].map(notion).eq(False)
    out = []
    for sla, at in contracts[none].groupby("sla").indices.items():
        rows = ", ".join(str(int(r)) for r in raw.rows[np.flatnonzero(none)[at]][:10])
        out.append(
            f"{raw.source}, {raw.row_label} {rows}, column zones: the SLA {sla} has no zone "
            "notion (it counts region outages only), so the zones do not change its credit; "
            "they still decide which zone windows reach the contract's losses"
        )
    return out
