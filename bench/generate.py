"""A seeded synthetic portfolio, written as input files (so loading is measured too).

N companies with 1-5 provider contracts over 3 providers x 20 regions x 15 services;
a quarter use custom revenue profiles; some fail over; some sold an SLA
(customer contracts); some hold cloud-outage cover. M outage windows over one
year, grouped into events of 1-4 phases, with overlaps, duplicates and wildcards.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

PROVIDERS = ["aws", "azure", "gcp"]
REGIONS = [f"region-{i:02d}" for i in range(20)]
SERVICES = [f"service-{i:02d}" for i in range(15)]
ZONES = [
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
]
CURRENCIES = ["USD", "USD", "USD", "EUR", "GBP", "JPY"]
BUILTIN = ["flat", "business_hours", "evening_peak", "retail"]
N_CUSTOM_PROFILES = 40
YEAR_START = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64)


def _iso(seconds: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s").astype(object) + "Z"


def _fee(amount: np.ndarray, currency: np.ndarray) -> np.ndarray:
    """Fees rounded to each currency's minor unit (JPY has none)."""
    return np.where(currency == "JPY", np.round(amount * 100, 0), np.round(amount, 2))


def generate(folder: Path, companies: int, windows: int, seed: int = 7) -> dict[str, int]:
    """Write outages.csv, companies.csv, contracts.csv, revenue_profiles.csv; return row counts.

    The draws are made in a fixed order (companies, contracts, outages, profiles), so a seed
    always gives the same files."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cos = _companies(rng, companies)
    cos.to_csv(folder / "companies.csv", index=False)
    contracts = pd.concat(
        [_provider_contracts(rng, cos), _customer_slas(rng, cos), _covers(rng, cos)],
        ignore_index=True,
    )
    contracts.to_csv(folder / "contracts.csv", index=False)
    out = _outages(rng, windows)
    out.to_csv(folder / "outages.csv", index=False)
    _profiles(rng).to_csv(folder / "revenue_profiles.csv", index=False)
    return {
        "companies": companies,
        "contracts": len(contracts),
        "windows": len(out),
        "bytes": sum(f.stat().st_size for f in folder.glob("*.csv")),
    }


def _companies(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = np.char.add("co-", np.arange(n).astype(str)).astype(object)
    custom = rng.random(n) < 0.25
    profile = np.where(
        custom,
        np.char.add("p", rng.integers(0, N_CUSTOM_PROFILES, n).astype(str)),
        rng.choice(BUILTIN, n),
    ).astype(object)
    return pd.DataFrame(
        {
            "company_id": ids,
            "currency": rng.choice(CURRENCIES, n),
            "annual_revenue": np.round(np.exp(rng.normal(17.5, 1.5, n)), -3),
            "timezone": rng.choice(ZONES, n),
            "revenue_profile": profile,
            "recapture_rate": np.round(rng.uniform(0, 0.6, n), 2),
            "outage_cost_per_hour": np.round(np.exp(rng.normal(7, 1, n)), 0),
        }
    )


def _provider_contracts(rng: np.random.Generator, cos: pd.DataFrame) -> pd.DataFrame:
    """1-5 provider contracts per company."""
    n = len(cos)
    ids = cos["company_id"].to_numpy(object)
    owner = np.repeat(np.arange(n), rng.integers(1, 6, n))
    m = len(owner)
    fo = rng.random(m) < 0.2
    return pd.DataFrame(
        {
            "contract_id": np.char.add("ct-", np.arange(m).astype(str)).astype(object),
            "company_id": ids[owner],
            "kind": "provider",
            "provider": rng.choice(PROVIDERS, m),
            "region": rng.choice(REGIONS, m),
            "service": rng.choice(SERVICES, m),
            "sla": "custom",
            "tiers": "99.99:10, 99:25, 95:100",
            "metric": np.where(rng.random(m) < 0.3, "error_rate", "downtime"),
            "downtime_threshold": rng.choice([0.5, 1.0], m),
            "monthly_fee": _fee(np.exp(rng.normal(9, 1.2, m)), cos["currency"].to_numpy()[owner]),
            "revenue_share": np.round(rng.uniform(0.05, 1.0, m), 2),
            "failover_minutes": np.where(fo, rng.integers(5, 120, m), np.nan),
            "failover_share": np.where(fo, np.round(rng.uniform(0.5, 1.0, m), 2), np.nan),
        }
    )


def _customer_slas(rng: np.random.Generator, cos: pd.DataFrame) -> pd.DataFrame:
    """Customer SLAs sold by a tenth of the companies."""
    sellers = np.flatnonzero(rng.random(len(cos)) < 0.1)
    return pd.DataFrame(
        {
            "contract_id": np.char.add("sla-", sellers.astype(str)).astype(object),
            "company_id": cos["company_id"].to_numpy(object)[sellers],
            "kind": "customer",
            "sla": "custom",
            "tiers": "99.9:10, 99.5:25, 99:50",
            "metric": "downtime",
            "downtime_threshold": 0.5,
            "monthly_fee": _fee(
                np.exp(rng.normal(11, 1, len(sellers))), cos["currency"].to_numpy()[sellers]
            ),
        }
    )


def _covers(rng: np.random.Generator, cos: pd.DataFrame) -> pd.DataFrame:
    """Cloud-outage cover held by a twentieth of the companies."""
    holders = np.flatnonzero(rng.random(len(cos)) < 0.05)
    parametric = rng.random(len(holders)) < 0.5
    return pd.DataFrame(
        {
            "contract_id": np.char.add("cov-", holders.astype(str)).astype(object),
            "company_id": cos["company_id"].to_numpy(object)[holders],
            "kind": "insurance",
            "provider": rng.choice(PROVIDERS, len(holders)),
            "region": "*",
            "service": "*",
            "downtime_threshold": 0.5,
            "cover": np.where(parametric, "parametric", "indemnity"),
            "waiting_hours": rng.choice([1, 4, 8, 12], len(holders)),
            "hourly_payout": np.where(parametric, 10_000.0, np.nan),
            "deductible": np.where(parametric, np.nan, 50_000.0),
            "limit": 5_000_000.0,
        }
    )


def _outages(rng: np.random.Generator, windows: int) -> pd.DataFrame:
    """Events of 1-4 phases over one year, with 5 % region and 10 % service wildcards."""
    n_events = max(1, windows // 2)
    phases = rng.integers(1, 5, n_events)
    phases = phases[: np.searchsorted(np.cumsum(phases), windows) + 1]
    ev = np.repeat(np.arange(len(phases)), phases)[:windows]
    w = len(ev)
    ev_start = YEAR_START + rng.integers(0, 365 * 86400, len(phases))
    ev_provider = rng.choice(PROVIDERS, len(phases))
    ev_region = rng.choice(REGIONS, len(phases))
    start = ev_start[ev] + rng.integers(0, 6 * 3600, w)
    length = rng.integers(5 * 60, 10 * 3600, w)
    wild_region = rng.random(w) < 0.05
    wild_service = rng.random(w) < 0.10
    return pd.DataFrame(
        {
            "outage_id": np.char.add("ev-", ev.astype(str)).astype(object),
            "provider": ev_provider[ev],
            "region": np.where(wild_region, "*", ev_region[ev]),
            "service": np.where(wild_service, "*", rng.choice(SERVICES, w)),
            "start": _iso(start),
            "end": _iso(start + length),
            "impact": rng.choice([1.0, 0.75, 0.5, 0.25, 0.1], w),
        }
    )


def _profiles(rng: np.random.Generator) -> pd.DataFrame:
    """Custom profiles: '*' rows for every hour, weekend overrides."""
    rows = []
    for p in range(N_CUSTOM_PROFILES):
        weights = np.round(rng.uniform(0.1, 3.0, 24), 2)
        rows += [(f"p{p}", "*", h, weights[h]) for h in range(24)]
        rows += [
            (f"p{p}", d, h, round(float(weights[h]) * 0.6, 2))
            for d in ("sat", "sun")
            for h in range(24)
        ]
    return pd.DataFrame(rows, columns=["profile_id", "day", "hour", "weight"])
