"""Insurance: each cover's terms as integers, its episodes (and the windows that hit it), and
the recoveries table (one row per episode, with the steps behind each payout)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import Codes, take_text
from estimator.engine.empty_tables import empty_table
from estimator.engine.known_matches import Matches, pairs_among
from estimator.engine.terms import scope_masks
from estimator.table_columns import RECOVERY_COLUMNS, RECOVERY_STEP_COLUMNS
from pricing import insurance as ins
from pricing.intervals import expand
from pricing.losses import LossOver
from pricing.matching import match_windows
from pricing.money import from_minor
from pricing.scopes import ALL, counted
from pricing.timeline import PPM

Int = npt.NDArray[np.int64]


def cover_terms(codes: Codes, *, policy_years: bool = False) -> ins.CoverTerms:
    """Every contract's cover terms in minor units and seconds (meaningful for covers).
    ``policy_years``: a dated period is laid onto every year (:mod:`pricing.policy_years`)."""
    con = codes.contracts
    places = codes.places[codes.contract_company]
    scale = np.power(10.0, places)

    def minor(column: str, missing: int) -> Int:
        v = con[column].to_numpy(np.float64)
        return np.where(np.isnan(v), missing, np.rint(np.nan_to_num(v) * scale)).astype(np.int64)

    def seconds(column: str, missing: int) -> Int:
        ts = con[column]
        value = ts.dt.as_unit("s").astype("int64").to_numpy() if ts.notna().any() else None
        return np.where(ts.isna().to_numpy(), missing, value if value is not None else missing)

    margin = codes.companies["gross_margin"].to_numpy(np.float64)[codes.contract_company]
    share = np.nan_to_num(con["share"].to_numpy(np.float64), nan=1.0)
    dated = (con["inception"].notna() & con["expiry"].notna()).to_numpy(dtype=bool)
    return ins.CoverTerms(
        parametric=(con["cover"] == "parametric").to_numpy(),
        waiting_s=np.rint(np.nan_to_num(con["waiting_hours"].to_numpy(np.float64)) * 3600).astype(
            np.int64
        ),
        hourly_minor=minor("hourly_payout", 0),
        deductible_minor=minor("deductible", 0),
        limit_minor=minor("limit", -1),
        places=places.astype(np.int64),
        occurrence_minor=minor("occurrence_limit", -1),
        inception_s=seconds("inception", ins.NO_TIME_LOW).astype(np.int64),
        expiry_s=seconds("expiry", ins.NO_TIME_HIGH).astype(np.int64),
        share_ppm=np.rint(share * ins.SHARE_UNIT).astype(np.int64),
        gross_profit=(con["basis"] == "gross_profit").to_numpy(dtype=bool, na_value=False),
        margin=margin,
        deduct=(con["other_recoveries"] == "deduct").to_numpy(dtype=bool, na_value=False),
        recurs=dated & policy_years,
    )


class CoverMatch(NamedTuple):
    episodes: ins.Episodes
    """Each cover's episodes, sorted by cover then start."""
    window: Int
    cover: Int
    """The (window, cover) pairs: each window that hits a cover (in a scope it counts)."""


def cover_episodes(codes: Codes, windows: pd.DataFrame, known: Matches | None = None) -> CoverMatch:
    """Each insurance cover's episodes, sorted by cover then start, and the windows behind
    them.

    Covers with the same reach (provider, region, service), threshold and outage scopes
    have the same episodes: they are computed once per distinct reach, then shared. A
    cover counts every outage scope unless its ``scopes`` says otherwise. ``known``: the
    matches, when the caller has them (``estimator.engine.known_matches``).
    """
    con = codes.contracts
    covers = np.flatnonzero((con["kind"] == "insurance").to_numpy())
    thr = np.rint(
        np.nan_to_num(con["downtime_threshold"].to_numpy(np.float64), nan=1.0) * PPM
    ).astype(np.int64)
    reach = con.iloc[covers][["provider", "region", "service"]].reset_index(drop=True)
    reach["threshold"] = thr[covers]
    own = scope_masks(con["scopes"].iloc[covers])
    reach["scopes"] = np.where(own > 0, own, ALL)
    reach_of, _ = pd.factorize(pd.MultiIndex.from_frame(reach))
    first = pd.Series(np.arange(len(covers))).groupby(reach_of).first().to_numpy()
    if known is None:
        w, s = match_windows(windows=windows, contracts=reach.iloc[first].reset_index(drop=True))
    else:
        w, s = pairs_among(known, windows["window"].to_numpy(np.int64), covers[first])
    keep = counted(windows["scope_bit"].to_numpy()[w], reach["scopes"].to_numpy(np.int64)[first][s])
    w, s = w[keep], s[keep]
    found = ins.episodes(
        group=s,
        start=windows["start"].to_numpy()[w],
        end=windows["end"].to_numpy()[w],
        impact_ppm=windows["impact_ppm"].to_numpy()[w],
        threshold_ppm=reach["threshold"].to_numpy(np.int64)[first],
    )
    # each cover takes its reach's episodes (sorted by cover, then start)
    per_reach = np.bincount(found.cover, minlength=len(first))
    begin = np.cumsum(per_reach) - per_reach
    cover_reach = reach_of.astype(np.int64)
    owner, k = expand(begin[cover_reach], per_reach[cover_reach])
    episodes = ins.Episodes(covers[owner].astype(np.int64), found.start[k], found.end[k])
    # each cover takes its reach's windows
    by_reach = np.argsort(s, kind="stable")
    per = np.bincount(s, minlength=len(first))
    at = np.cumsum(per) - per
    who, j = expand(at[cover_reach], per[cover_reach])
    window = windows["window"].to_numpy()[w[by_reach][j]]
    return CoverMatch(episodes, window.astype(np.int64), covers[who].astype(np.int64))


class RecoveryTable(NamedTuple):
    frame: pd.DataFrame
    steps: pd.DataFrame
    """The steps behind each payout, row for row (covered loss, before the limit, ...)."""
    company: Int
    """The company code of each row."""


def recovery_table(
    codes: Codes,
    episodes: ins.Episodes,
    covers: ins.CoverTerms,
    covered: LossOver,
    deducted: npt.NDArray[np.float64],
) -> RecoveryTable:
    """One row per episode, sorted by company, contract and start. ``covered``: the company's
    loss in each episode's covered time; ``deducted``: the SLA credits each episode's
    indemnity is reduced by (:mod:`estimator.engine.other_recoveries`)."""
    if len(episodes.cover) == 0:
        empty = [empty_table(cs) for cs in (RECOVERY_COLUMNS, RECOVERY_STEP_COLUMNS)]
        return RecoveryTable(empty[0], empty[1], np.zeros(0, dtype=np.int64))
    basis = ins.basis_loss(episodes, covers, revenue=covered.revenue, costs=covered.costs)
    paid = ins.payouts(episodes, covers, basis=basis, deducted=deducted)
    cover = np.asarray(episodes.cover, dtype=np.int64)
    company = codes.contract_company[cover]
    order = np.lexsort((episodes.start, codes.contract_rank[cover], codes.company_rank[company]))
    cover, company = cover[order], company[order]
    parametric = covers.parametric[cover]
    con, companies = codes.contracts, codes.companies

    def column(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return np.asarray(values)[order]

    seconds = {name: column(getattr(episodes, name)) for name in ("start", "end")}
    out = pd.DataFrame(
        {
            "contract_id": take_text(con["contract_id"], cover),
            "company_id": take_text(companies["company_id"], company),
            "policy_period": _policy_period_of(con, cover),
            "episode_start": pd.to_datetime(seconds["start"], unit="s", utc=True).as_unit("s"),
            "episode_end": pd.to_datetime(seconds["end"], unit="s", utc=True).as_unit("s"),
            "hours": column(paid["hours"].to_numpy()),
            "covered_hours": column(paid["covered_hours"].to_numpy()),
            "in_policy_period": column(paid["in_period"].to_numpy(bool)),
            "limit_bound": take_text(BOUND_TEXT, column(paid["limit_bound"].to_numpy(np.int64))),
            "payout": from_minor(
                column(paid["payout_minor"].to_numpy(np.int64)), codes.places[company]
            ),
            "currency": take_text(companies["currency"], company),
            "covered_revenue": np.where(parametric, np.nan, column(covered.revenue)),
            "covered_costs": np.where(parametric, np.nan, column(covered.costs)),
            "basis_loss": column(basis),
            "credits_deducted": np.where(
                parametric | ~covers.deduct[cover], np.nan, column(deducted)
            ),
        }
    )
    for step in ("before_limit_minor", "occurrence_minor", "running_minor", "capped_minor"):
        out[step] = column(paid[step].to_numpy(np.float64))
    out["rounded_minor"] = column(paid["rounded_minor"].to_numpy(np.float64))
    out["minor_unit"] = codes.places[company]
    return RecoveryTable(out[RECOVERY_COLUMNS], out[RECOVERY_STEP_COLUMNS], company)


def _policy_period_of(contracts: pd.DataFrame, cover: Int) -> pd.Series:
    """The policy period text of each cover code (formatted for the insurance rows only)."""
    rows = np.flatnonzero((contracts["kind"] == "insurance").to_numpy(dtype=bool))
    at = np.full(len(contracts), -1, dtype=np.int64)
    at[rows] = np.arange(len(rows), dtype=np.int64)
    text = policy_periods(contracts.iloc[rows].reset_index(drop=True))
    return take_text(text.astype("str"), at[cover])


BOUND_TEXT = pd.Series(["", "occurrence", "aggregate", "occurrence, aggregate"], dtype="str")
"""``limit_bound`` as read: bit 1 occurrence, bit 2 aggregate."""


def policy_periods(contracts: pd.DataFrame) -> pd.Series:
    """Each contract's policy period as text ('' when it has neither end): dates, or date and
    time where a bound is not at midnight UTC."""

    def shown(ts: pd.Series, missing: str) -> pd.Series:
        given = ts.dropna()
        midnight = bool((given.dt.floor("D") == given).all())
        text = ts.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
        out: pd.Series = text.fillna(missing).astype(str)
        return out

    inception, expiry = contracts["inception"], contracts["expiry"]
    either = (inception.notna() | expiry.notna()).to_numpy()
    text = shown(inception, "any time") + " to " + shown(expiry, "no expiry")
    out: pd.Series = text.where(either, "")
    return out
