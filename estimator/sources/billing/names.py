"""Provider, service and region names as billing exports write them -> the catalog's slugs,
from one data file (``data/names.csv``) with a source for every row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

GLOBAL_REGIONS = frozenset({"", "global", "unknown", "none", "null"})
"""Region values that name no region: the line's region is left blank."""


@dataclass(frozen=True)
class BillingNames:
    providers: dict[str, str]
    """FOCUS ProviderName (lower case) -> provider slug."""
    services: dict[tuple[str, str], str]
    """(provider slug, service name in lower case) -> service slug."""
    regions: dict[tuple[str, str], str]
    """(provider slug, region name in lower case) -> region code."""


@cache
def billing_names() -> BillingNames:
    text = resources.files("estimator.sources.billing").joinpath("data/names.csv").read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    providers: dict[str, str] = {}
    services: dict[tuple[str, str], str] = {}
    regions: dict[tuple[str, str], str] = {}
    for row in csv.DictReader(io.StringIO("\n".join(rows))):
        name = row["name"].strip().lower()
        if row["kind"] == "provider":
            providers[name] = row["slug"]
        elif row["kind"] == "service":
            services[(row["provider"], name)] = row["slug"]
        else:
            regions[(row["provider"], name)] = row["slug"]
    return BillingNames(providers, services, regions)


def map_names(keys: pd.DataFrame) -> pd.DataFrame:
    """Map the distinct (source_provider, source_service, source_region) keys of an export:
    adds ``provider`` (a FOCUS provider name not in the file is lower-cased with spaces as '-',
    so it still names its provider), ``service`` ('' when the name maps to no catalog service)
    and ``region`` (blank for global lines). ``keys`` holds one row per distinct key, so this
    runs once per name, not per line."""
    n = billing_names()
    out = keys.copy()
    out["provider"] = [
        n.providers.get(v.strip().lower(), v.strip().lower().replace(" ", "-"))
        for v in out["source_provider"]
    ]
    service = [
        n.services.get((p, s.strip().lower()), "")
        for p, s in zip(out["provider"], out["source_service"], strict=True)
    ]
    region = []
    for p, r in zip(out["provider"], out["source_region"], strict=True):
        low = r.strip().lower()
        region.append(
            "" if low in GLOBAL_REGIONS else n.regions.get((p, low), low.replace(" ", ""))
        )
    out["service"] = pd.Series(service, index=out.index, dtype="str")
    out["region"] = pd.Series(region, index=out.index, dtype="str")
    return out
