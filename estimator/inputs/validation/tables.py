"""The rules within and between the outages, companies, exclusions and revenue profile tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.errors import did_you_mean
from estimator.inputs.validation.collector import (
    Checked,
    Collector,
    duplicates,
    end_after_start,
    fill_defaults,
)
from estimator.inputs.validation.parsers import is_in, lookup
from estimator.inputs.vocabulary import DAYS
from pricing.profiles import BUILTIN_PROFILES


def check_outages(c: Checked, out: Collector) -> None:
    end_after_start(c, out, end_required=False)
    fill_defaults(c)
    t = c.typed
    stray = t["zone"].notna().to_numpy() & (t["scope"] != "zone").to_numpy()
    stray &= ~c.bad["scope"].to_numpy()
    out.add(
        c.raw,
        stray,
        "zone",
        [E.ZONE_NOT_ZONE_SCOPE.format(scope=t["scope"].iloc[i]) for i in np.flatnonzero(stray)],
    )


def check_companies(c: Checked, out: Collector) -> None:
    t, raw = c.typed, c.raw
    duplicates(c, "company_id", out)
    annual = raw.frame.get("annual_revenue", pd.Series([pd.NA] * len(t))).notna().to_numpy()
    hourly = raw.frame.get("revenue_per_hour", pd.Series([pd.NA] * len(t))).notna().to_numpy()
    out.add(raw, annual & hourly, "revenue_per_hour", E.BOTH_REVENUES)
    out.add(raw, ~annual & ~hourly, "annual_revenue", E.NO_REVENUE, value=False)
    fill_defaults(c)


def check_exclusions(c: Checked, contracts: pd.DataFrame, out: Collector) -> None:
    end_after_start(c, out, end_required=True)
    kind = lookup(c.typed["contract_id"], contracts["contract_id"], contracts["kind"])
    wrong = (kind == "insurance").to_numpy()
    out.add(c.raw, wrong, "contract_id", E.EXCLUSION_KIND.format(kind="insurance contracts"))


def check_profiles(c: Checked, out: Collector) -> None:
    t, raw = c.typed, c.raw
    builtin = t["profile_id"].isin(list(BUILTIN_PROFILES)).to_numpy()
    out.add(
        raw,
        builtin,
        "profile_id",
        [E.PROFILE_BUILTIN_NAME.format(value=t["profile_id"][i]) for i in np.flatnonzero(builtin)],
    )
    # a row whose weight could not be read still covers its hour (no cascading errors)
    usable = t[["profile_id", "day", "hour"]].notna().all(axis=1).to_numpy()
    u = t[usable].copy()
    u["pos"] = np.flatnonzero(usable)
    dup = u.duplicated(["profile_id", "day", "hour"], keep="first").to_numpy()
    if dup.any():
        firsts = u.groupby(["profile_id", "day", "hour"])["pos"].transform("min").to_numpy()
        pos = u["pos"].to_numpy()[dup]
        msgs = [
            E.PROFILE_DUPLICATE.format(
                profile=u["profile_id"].iloc[j],
                day=u["day"].iloc[j],
                hour=int(u["hour"].iloc[j]),
                first=raw.rows[firsts[j]],
            )
            for j in np.flatnonzero(dup)
        ]
        out.add(raw, pos, "hour", msgs)
    for pid, rows in u.groupby("profile_id"):
        star_hours = set(rows.loc[rows["day"] == "*", "hour"].astype(int))
        covered = {(d, int(h)) for d, h in zip(rows["day"], rows["hour"], strict=True) if d != "*"}
        missing = [
            (d, h) for d in DAYS for h in range(24) if h not in star_hours and (d, h) not in covered
        ]
        first = int(rows["pos"].min())
        if missing:
            examples = ", ".join(f"{d} {h:02d}:00" for d, h in missing[:3])
            out.add(
                raw,
                [first],
                "profile_id",
                E.PROFILE_MISSING_HOURS.format(profile=pid, count=len(missing), examples=examples),
            )
        elif rows["weight"].notna().all() and not (rows["weight"] > 0).any():
            out.add(raw, [first], "weight", E.PROFILE_ALL_ZERO.format(profile=pid))


def check_profile_references(c: Checked, profiles: pd.DataFrame, out: Collector) -> None:
    """Every company's revenue profile is a built-in or one of the revenue_profiles."""
    prof = c.typed["revenue_profile"]
    custom = profiles["profile_id"].dropna().unique().tolist()
    options = [*BUILTIN_PROFILES, *custom]
    missing = prof.notna().to_numpy() & ~is_in(prof, options)
    out.add(
        c.raw,
        missing,
        "revenue_profile",
        [
            E.UNKNOWN_PROFILE.format(
                value=prof.iloc[i],
                builtins=", ".join(BUILTIN_PROFILES),
                hint=did_you_mean(str(prof.iloc[i]), options),
            )
            for i in np.flatnonzero(missing)
        ],
    )
