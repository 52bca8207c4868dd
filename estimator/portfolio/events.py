"""Stochastic event sets: a frequency-severity model fitted to an outage catalog, and many
simulated years drawn from it (issue 14; METHODOLOGY.md § Portfolio risk states the rules).

* **Events** of the catalog are its outage ids; an event's *key* is the provider and the
  region of its first window (a multi-region event counts for its first region; ``*`` is a
  key of its own: every region at once).
* **Frequency**: Poisson per key. Over ``T`` observed years (first to last event start in the
  catalog, at least one), a key with ``n`` events has the rate ``(n + W x p) / (T + W)``:
  its own count, pooled with ``W`` = 5 years at its provider's mean rate per key ``p``
  (provider events / (``T`` x the provider's keys)). A key of the exposure with no event in
  the catalog gets ``W x p / (T + W)``.
* **Duration**: lognormal per provider, fitted to the log of each closed event's longest
  window (mean and standard deviation, n - 1); a provider with fewer than 3 closed events uses
  the pool of every provider. Events with no end (still open) count for frequency only.
* **Shape, impact, scope**: each simulated event copies a closed catalog event of its key (of
  its provider when the key has none, relabelled to the key's region): its windows, services,
  impacts, scopes and zones, each window's start offset and length scaled so that the longest
  window has the drawn duration (whole seconds, at least one).
* **Dates**: every simulated year uses one reference year (``start`` to one year later), so
  revenue profiles, DST and month ends apply; an event starts uniformly within it.
* **Seeds**: year ``y`` draws from ``numpy.random.default_rng([seed, y])``, keys in sorted
  order: the same seed gives the same years whatever the partitioning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from estimator.inputs.event_files import Source, load_outages
from estimator.inputs.scenario import Inputs

POOL_YEARS = 5.0
"""W: the weight, in years, of the provider's mean rate in a key's rate."""
MIN_CLOSED = 3
"""Closed events a provider needs for its own duration fit."""
YEAR_S = 365 * 86400
TEXT = ["outage_id", "provider", "region", "service", "scope", "zone", "description"]
MODEL_COLUMNS = [
    "provider",
    "region",
    "events",
    "observed_years",
    "rate",
    "pooled",
    "duration_mu",
    "duration_sigma",
    "duration_fit",
    "templates",
]


@dataclass(frozen=True)
class EventModel:
    """The fitted model: one row per key (see ``MODEL_COLUMNS``), and the catalog's closed
    events as templates."""

    keys: pd.DataFrame
    templates: pd.DataFrame
    """The closed catalog windows, with ``offset_s`` (start from the event's start),
    ``length_s`` and the event's ``longest_s``."""
    observed_years: float


def event_model(catalog: Source, *, exposure: Inputs | None = None) -> EventModel:
    """Fit the model to an outage catalog; ``exposure``'s provider contracts add the keys they
    name (provider and region) that the catalog lacks, at the pooled rate."""
    out = load_outages(catalog)
    first = out.sort_values(["outage_id", "start"]).groupby("outage_id", sort=True).first()
    span = out.groupby("outage_id")["start"].min()
    years = max(1.0, (span.max() - span.min()).total_seconds() / (365.25 * 86400))
    closed = out.groupby("outage_id")["end"].apply(lambda e: e.notna().all())
    keys = first.groupby(["provider", "region"]).size().rename("events").reset_index()
    keys = pd.concat([keys, _exposure_keys(exposure, keys)], ignore_index=True)
    per_provider = keys.groupby("provider")["events"].transform("sum")
    n_keys = keys.groupby("provider")["events"].transform("size")
    mean_rate = per_provider / (years * n_keys)
    keys["observed_years"] = years
    keys["rate"] = (keys["events"] + POOL_YEARS * mean_rate) / (years + POOL_YEARS)
    keys["pooled"] = keys["events"] < 1
    templates = _templates(out, closed)
    fits = _durations(templates)
    keys = keys.merge(fits, on="provider", how="left")
    pool = fits.attrs["pool"]
    missing = keys["duration_mu"].isna()
    keys.loc[missing, ["duration_mu", "duration_sigma"]] = pool
    keys.loc[missing, "duration_fit"] = "all providers"
    own = templates.drop_duplicates("outage_id").groupby(["provider", "region"]).size()
    index = pd.MultiIndex.from_frame(keys[["provider", "region"]])
    keys["templates"] = own.reindex(index).fillna(0).astype(int).to_numpy()
    keys = keys.sort_values(["provider", "region"], ignore_index=True)[MODEL_COLUMNS]
    return EventModel(keys, templates, years)


def _exposure_keys(exposure: Inputs | None, known: pd.DataFrame) -> pd.DataFrame:
    if exposure is None:
        return known.iloc[0:0]
    con = exposure.contracts
    named = con[(con["kind"] != "customer") & (con["region"] != "*")][["provider", "region"]]
    named = named.drop_duplicates()
    have = set(zip(known["provider"], known["region"], strict=True))
    providers = set(known["provider"])
    new = [
        (p, r)
        for p, r in zip(named["provider"], named["region"], strict=True)
        if (p, r) not in have and p in providers
    ]
    return pd.DataFrame({"provider": [p for p, _ in new], "region": [r for _, r in new]}).assign(
        events=0
    )


def _templates(out: pd.DataFrame, closed: pd.Series) -> pd.DataFrame:
    """Closed events' windows with their offsets and lengths (seconds)."""
    t = out[out["outage_id"].map(closed).astype(bool)].copy()
    begin = t.groupby("outage_id")["start"].transform("min")
    t["offset_s"] = (t["start"] - begin).dt.total_seconds().astype(np.int64)
    t["length_s"] = (t["end"] - t["start"]).dt.total_seconds().astype(np.int64)
    t["longest_s"] = t.groupby("outage_id")["length_s"].transform("max")
    first = t.sort_values("start").groupby("outage_id")[["provider", "region"]].first()
    t["provider"] = t["outage_id"].map(first["provider"])
    t["key_region"] = t["outage_id"].map(first["region"])
    return (
        t.reset_index(drop=True)
        .rename(columns={"region": "window_region"})
        .assign(region=lambda f: f["key_region"])
    )


def _durations(templates: pd.DataFrame) -> pd.DataFrame:
    """Lognormal (mu, sigma) of the longest window's hours, per provider with enough events."""
    events = templates.drop_duplicates("outage_id")
    logs = np.log(events["longest_s"].to_numpy(np.float64) / 3600.0)
    by = pd.DataFrame({"provider": events["provider"].to_numpy(), "log": logs})
    stats = by.groupby("provider")["log"].agg(["mean", "std", "size"]).reset_index()
    stats = stats[stats["size"] >= MIN_CLOSED]
    fits = pd.DataFrame(
        {
            "provider": stats["provider"],
            "duration_mu": stats["mean"],
            "duration_sigma": stats["std"],
            "duration_fit": "own",
        }
    )
    fits.attrs["pool"] = (float(logs.mean()), float(logs.std(ddof=1)))
    return fits


def stochastic_events(
    catalog: Source,
    *,
    years: int,
    seed: int = 0,
    start: str | pd.Timestamp = "2025-01-01T00:00:00Z",
    exposure: Inputs | None = None,
) -> pd.DataFrame:
    """An event set of ``years`` simulated years: the outages table plus ``year``."""
    model = event_model(catalog, exposure=exposure)
    return simulate_years(model, np.arange(1, years + 1), seed=seed, start=start)


def simulate_years(
    model: EventModel, years: np.ndarray, *, seed: int, start: str | pd.Timestamp
) -> pd.DataFrame:
    """The windows of the given simulated years, each year drawn from its own stream."""
    base = pd.Timestamp(start)
    base = base.tz_localize("UTC") if base.tzinfo is None else base.tz_convert("UTC")
    keys = model.keys
    rate = keys["rate"].to_numpy(np.float64)
    draws = [_draw_year(rate, int(y), seed) for y in years]  # one small stream per year
    key_of = np.concatenate([d[0] for d in draws]) if draws else np.zeros(0, np.int64)
    if len(key_of) == 0:
        return _empty(model)
    uniform = np.concatenate([d[1] for d in draws])
    normal = np.concatenate([d[2] for d in draws])
    year = np.repeat(np.asarray(years, dtype=np.int64), [len(d[0]) for d in draws])
    hours = np.exp(
        keys["duration_mu"].to_numpy()[key_of] + keys["duration_sigma"].to_numpy()[key_of] * normal
    )
    events = pd.DataFrame(
        {
            "event": np.arange(len(key_of)),
            "in_year": np.concatenate([np.arange(len(d[0])) for d in draws]),
            "year": year,
            "provider": keys["provider"].to_numpy()[key_of],
            "region": keys["region"].to_numpy()[key_of],
            "start_s": int(base.timestamp()) + np.floor(uniform[:, 0] * YEAR_S).astype(np.int64),
            "duration_s": np.maximum(1, np.rint(hours * 3600)).astype(np.int64),
            "pick": uniform[:, 1],
        }
    )
    return _windows(model, events)


def _draw_year(rate: np.ndarray, year: int, seed: int) -> tuple[np.ndarray, ...]:
    """Year ``year``'s draws: the events per key (Poisson), then per event two uniforms
    (start, template) and a standard normal (duration)."""
    rng = np.random.default_rng([seed, year])
    key_of = np.repeat(np.arange(len(rate)), rng.poisson(rate))
    return key_of, rng.random((len(key_of), 2)), rng.standard_normal(len(key_of))


def _windows(model: EventModel, events: pd.DataFrame) -> pd.DataFrame:
    """Each simulated event's windows, copied from a template of its key (or provider)."""
    t = model.templates
    ids = t.drop_duplicates("outage_id")[["outage_id", "provider", "region"]]
    own = events.merge(ids, on=["provider", "region"], how="left")
    lacking = own["outage_id"].isna()
    pooled = events[events["event"].isin(own.loc[lacking, "event"])].merge(
        ids[["outage_id", "provider"]], on="provider"
    )
    choices = pd.concat([own[~lacking], pooled], ignore_index=True).sort_values(
        ["event", "outage_id"], kind="stable"
    )
    size = choices.groupby("event")["outage_id"].transform("size").to_numpy()
    rank = choices.groupby("event").cumcount().to_numpy()
    chosen = choices[rank == np.floor(choices["pick"].to_numpy() * size).astype(int)]
    kept = ["event", "in_year", "year", "outage_id", "provider", "region", "start_s", "duration_s"]
    w = chosen[kept].merge(t.drop(columns=["region", "provider"]), on="outage_id")
    scale = w["duration_s"].to_numpy(np.float64) / w["longest_s"].to_numpy(np.float64)
    begin = w["start_s"].to_numpy() + np.rint(w["offset_s"].to_numpy() * scale).astype(np.int64)
    length = np.maximum(1, np.rint(w["length_s"].to_numpy() * scale).astype(np.int64))
    relabel = (w["key_region"] != w["region"]).to_numpy() & (w["window_region"] != "*").to_numpy()
    return (
        pd.DataFrame(
            {
                "outage_id": "y"
                + w["year"].astype(str)
                + "-e"
                + w["in_year"].astype(str)
                + "-"
                + w["outage_id"].astype(str),
                "provider": w["provider"].to_numpy(),
                "region": np.where(relabel, w["region"], w["window_region"]),
                "service": w["service"].to_numpy(),
                "start": pd.to_datetime(begin, unit="s", utc=True).as_unit("s"),
                "end": pd.to_datetime(begin + length, unit="s", utc=True).as_unit("s"),
                "impact": w["impact"].to_numpy(np.float64),
                "scope": w["scope"].to_numpy(),
                "zone": w["zone"].to_numpy(),
                "description": "simulated from " + w["outage_id"].astype(str),
                "year": w["year"].to_numpy(np.int64),
            }
        )
        .sort_values(["year", "start", "outage_id"], ignore_index=True)
        .astype(dict.fromkeys(TEXT, "str"))
    )


def _empty(model: EventModel) -> pd.DataFrame:
    cols = ["outage_id", "provider", "region", "service", "start", "end", "impact"]
    cols += ["scope", "zone", "description", "year"]
    return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
