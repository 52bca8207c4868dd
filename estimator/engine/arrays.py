"""The inputs as integer arrays: what the pricing modules take instead of text.

Companies and contracts get integer codes (their row positions), the windows
priced at the valuation time become seconds and parts per million, each window
x contract hit becomes a row of integers, and each company's revenue clock is
built once per distinct (time zone, profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.known_matches import Matches, pairs_among
from estimator.engine.lineage import Lineage
from estimator.engine.zone_hits import reaches
from estimator.inputs.scenario import Inputs
from estimator.inputs.valuation import LEFT_OUT, priced_windows, seconds
from pricing.losses import CompanyRates, hourly_revenue
from pricing.matching import match_windows
from pricing.money import currencies
from pricing.profiles import BUILTIN_PROFILES, RevenueClock, custom_profiles
from pricing.scopes import scope_bits
from pricing.timeline import PPM

Int = npt.NDArray[np.int64]


def ranks(ids: pd.Series) -> Int:
    """Each id's position in alphabetical order (to sort tables by integers, not text)."""
    order = np.argsort(ids.to_numpy(dtype=object), kind="stable")
    out = np.empty(len(order), dtype=np.int64)
    out[order] = np.arange(len(order), dtype=np.int64)
    return out


def take_text(column: pd.Series, positions: Int) -> pd.Series:
    """Values at positions, keeping the column's text dtype (no Python objects)."""
    return column.take(positions).reset_index(drop=True).astype("str")


@dataclass(frozen=True)
class Codes:
    """Companies and contracts as integer codes (their row positions in the inputs)."""

    companies: pd.DataFrame
    contracts: pd.DataFrame
    contract_company: Int
    """The company code of each contract."""
    places: Int
    """Minor-unit places of each company's currency."""
    lineage: Lineage | None = None
    """Where each contract comes from, when the scenario is copies of another."""

    @cached_property
    def company_rank(self) -> Int:
        """Each company's position in id order (for sorting the result tables; computed when
        first asked for: the totals path never sorts)."""
        return ranks(self.companies["company_id"])

    @cached_property
    def contract_rank(self) -> Int:
        return ranks(self.contracts["contract_id"])

    @classmethod
    def of(cls, inputs: Inputs, lineage: Lineage | None = None) -> Codes:
        companies, contracts = inputs.companies, inputs.contracts
        if lineage is None:
            ids = pd.Index(companies["company_id"])
            company = ids.get_indexer(pd.Index(contracts["company_id"]))
        else:
            company = lineage.company
        return cls(
            companies=companies,
            contracts=contracts,
            contract_company=company.astype(np.int64),  # validated: every contract's is known
            places=_places(companies["currency"]),
            lineage=lineage,
        )


def _places(currency: pd.Series) -> Int:
    """Minor-unit places of each currency (validated: every one is known), looked up once
    per distinct currency."""
    code, names = pd.factorize(currency)
    places = currencies()
    return np.array([places[str(c)] for c in names], dtype=np.int64)[code]


@dataclass(frozen=True)
class Windows:
    """The outage windows priced at the valuation time."""

    table: pd.DataFrame
    """Every window with its priced end and status (``Results.windows``)."""
    arrays: pd.DataFrame
    """The windows that count (not left out) as integers: provider, region, service,
    start, end (seconds), event (code), impact_ppm, scope_bit, window (row in ``table``)."""
    event_names: pd.Series
    """The outage id of each event code."""


def windows(inputs: Inputs, as_of: pd.Timestamp) -> Windows:
    table = priced_windows(inputs.outages, as_of)
    keep = (table["status"] != LEFT_OUT).to_numpy()
    out = inputs.outages
    event, names = pd.factorize(out["outage_id"])
    arrays = pd.DataFrame(
        {
            "provider": out["provider"].to_numpy()[keep],
            "region": out["region"].to_numpy()[keep],
            "service": out["service"].to_numpy()[keep],
            "start": seconds(out["start"])[keep],
            "end": seconds(table["priced_end"][keep]),
            "event": event.astype(np.int64)[keep],
            "impact_ppm": np.rint(out["impact"].to_numpy() * PPM).astype(np.int64)[keep],
            "scope_bit": scope_bits(out["scope"].to_numpy(object))[keep],
            "window": np.flatnonzero(keep),
        },
        copy=False,  # fresh arrays: no copy
    )
    return Windows(table, arrays, pd.Series(np.asarray(names, dtype=object), dtype="str"))


def provider_hits(
    codes: Codes,
    windows: pd.DataFrame,
    window_zone: pd.Series | None = None,
    known: Matches | None = None,
) -> pd.DataFrame:
    """Each (window, provider contract) that the window hits, with the contract's revenue
    share and failover as integers (seconds, parts per million; -1 = no failover). A zone
    window hits a contract that names its zones only in one of them (``window_zone``: each
    window's zone, by window number). ``known``: the matches, when the caller has them."""
    con = codes.contracts
    rows = np.flatnonzero((con["kind"] == "provider").to_numpy())
    if known is None:
        w, c = match_windows(windows=windows, contracts=con.iloc[rows])
    else:
        w, c = pairs_among(known, windows["window"].to_numpy(np.int64), rows)
    contract = rows[c]
    fo = con["failover_minutes"].to_numpy(np.float64)[contract]
    share = con["failover_share"].to_numpy(np.float64)[contract]
    hits = pd.DataFrame(
        {
            "company": codes.contract_company[contract],
            "contract": contract,
            "event": windows["event"].to_numpy()[w],
            "start": windows["start"].to_numpy()[w],
            "end": windows["end"].to_numpy()[w],
            "impact_ppm": windows["impact_ppm"].to_numpy()[w],
            "scope_bit": windows["scope_bit"].to_numpy()[w],
            "window": windows["window"].to_numpy()[w],
            "share": np.nan_to_num(con["revenue_share"].to_numpy(np.float64)[contract]),
            "failover_s": np.where(np.isnan(fo), -1, np.rint(np.nan_to_num(fo) * 60)).astype(
                np.int64
            ),
            "failover_ppm": np.rint(np.nan_to_num(share, nan=1.0) * PPM).astype(np.int64),
        },
        copy=False,  # fresh arrays: no copy
    )
    if window_zone is None:
        return hits
    keep = reaches(hits, window_zone, con)
    return hits if keep.all() else hits[keep].reset_index(drop=True)


def revenue_clock(
    inputs: Inputs, codes: Codes, windows: pd.DataFrame
) -> tuple[RevenueClock, CompanyRates]:
    """Each company's revenue rate and the clock its profile runs on, over the windows' span;
    built once per distinct (time zone, profile)."""
    t_lo = int(windows["start"].min()) if len(windows) else 0
    t_hi = int(windows["end"].max()) if len(windows) else 0
    custom = custom_profiles(inputs.revenue_profiles)
    names = [*BUILTIN_PROFILES, *custom]
    weights = np.vstack(
        [BUILTIN_PROFILES[n] if n in BUILTIN_PROFILES else custom[n] for n in names]
    )
    co = codes.companies
    named, distinct = pd.factorize(co["revenue_profile"], use_na_sentinel=False)
    profile = pd.Index(names).get_indexer(pd.Index(distinct))[named]  # once per distinct name
    zone, zones = pd.factorize(co["timezone"], sort=True)  # as np.unique: sorted names
    combos, combo_of = np.unique(zone.astype(np.int64) * len(names) + profile, return_inverse=True)
    clock = RevenueClock.build(
        [str(z) for z in zones], weights, combos // len(names), combos % len(names), t_lo, t_hi
    )
    rates = CompanyRates(
        revenue_per_hour=hourly_revenue(
            co["annual_revenue"].to_numpy(np.float64),
            co["revenue_per_hour"].to_numpy(np.float64),
        ),
        outage_cost_per_hour=co["outage_cost_per_hour"].to_numpy(np.float64),
        recapture_rate=co["recapture_rate"].to_numpy(np.float64),
        clock_combo=combo_of.astype(np.int64),
        minor_unit=np.asarray(codes.places, dtype=np.int64),
    )
    return clock, rates
