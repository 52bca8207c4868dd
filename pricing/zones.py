"""Zones: which zone windows reach a contract, and when every zone a contract names is down
at once (the region-level SLAs whose unavailability is "all instances in two or more zones
unavailable at the same time": AWS EC2 and EBS region-level, Azure VMs in availability zones).
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.intervals import expand, segment, unique_inverse

Int = npt.NDArray[np.int64]
SEP = "|"


class ZoneError(ValueError):
    """A zones text that cannot be read; ``str()`` is a message for the user."""


_ZONE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def parse_zones(text: str) -> tuple[str, ...]:
    """``'use1-az2 | use1-az1'`` -> ``('use1-az1', 'use1-az2')`` (sorted, distinct)."""
    return tuple(sorted({z.strip() for z in text.split(SEP) if z.strip()}))


def checked_zones(text: str) -> str:
    """The canonical text of a zones cell (``a|b``), or :class:`ZoneError`."""
    zones = parse_zones(text)
    bad = [z for z in zones if not _ZONE_ID.match(z)]
    if not zones or bad:
        shown = ", ".join(f"'{z}'" for z in bad) or "nothing"
        raise ZoneError(
            f"expected zone ids separated by '|', like use1-az4|use1-az6 (found {shown})"
        )
    return SEP.join(zones)


def in_zones(window_zone: pd.Series, contract_zones: pd.Series) -> npt.NDArray[np.bool_]:
    """Per hit: whether the window's zone is among the contract's zones (each distinct pair
    decided once). Both columns are text; ``contract_zones`` in canonical ``a|b`` form."""
    pairs = pd.MultiIndex.from_arrays([window_zone.fillna(""), contract_zones.fillna("")])
    codes, uniques = pd.factorize(pairs)
    inside = np.array([z in parse_zones(zs) for z, zs in uniques], dtype=bool)
    return inside[codes] if len(codes) else np.zeros(0, dtype=bool)


def all_zones_down(
    *, contract: Int, zone: Int, n_zones: Int, start: Int, end: Int, impact_ppm: Int
) -> pd.DataFrame:
    """The times when every zone a contract names is hit at once.

    Rows are zone windows of contracts that name ``n_zones[contract]`` zones (``zone``: the
    window's zone as its index, 0..n-1, among the contract's zones). Returns intervals
    (contract, start, end, impact_ppm, first_row): while all its zones are down, the impact is
    the smallest over the zones of each zone's largest impact (the part of the region that is
    down everywhere); ``first_row`` is one window behind each interval.
    """
    contract = np.asarray(contract, dtype=np.int64)
    if len(contract) == 0:
        z = np.zeros(0, dtype=np.int64)
        return pd.DataFrame({"contract": z, "start": z, "end": z, "impact_ppm": z, "first_row": z})
    segs, first, count = segment(contract, start, end)
    row, seg = expand(first, count)
    zone = np.asarray(zone, dtype=np.int64)
    width = int(zone.max()) + 1
    keys, key_of = unique_inverse(seg * width + zone[row])
    per_zone = np.zeros(len(keys), dtype=np.int64)
    np.maximum.at(per_zone, key_of, np.asarray(impact_ppm, dtype=np.int64)[row])
    key_seg = keys // width
    n_seg = len(segs.start)
    zones_down = np.bincount(key_seg, minlength=n_seg)
    low = np.full(n_seg, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(low, key_seg, per_zone)
    any_row = np.full(n_seg, -1, dtype=np.int64)
    any_row[seg[::-1]] = row[::-1]
    owner = segs.group
    need = np.asarray(n_zones, dtype=np.int64)[owner]
    down = segs.valid & (zones_down >= need) & (need >= 2)
    return pd.DataFrame(
        {
            "contract": owner[down],
            "start": segs.start[down],
            "end": segs.end[down],
            "impact_ppm": low[down],
            "first_row": any_row[down],
        }
    )
