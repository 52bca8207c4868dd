"""SLA credits per contract and billing month (DESIGN §4.5), exact where the contract is exact.

Measurement is :mod:`pricing.measure` (re-exported here for its callers).

Credits (:func:`credit_amounts`): uptime % = 100 x (T - D) / T, where T is the
seconds in the month and D the measured downtime. The tier is decided by exact
integer comparison (``uptime < bound``); the credit is fee x credit % / 100,
capped, rounded half-up to the minor unit once, and dropped when below the
template's minimum credit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from pricing.intervals import Bool, Int, unique_inverse
from pricing.measure import MeasureTerms, month_of, month_start, monthly_measure
from pricing.money import round_half_up_ratio
from pricing.tiers import Tier
from pricing.timeline import UNIT

Obj = npt.NDArray[np.object_]
Float = npt.NDArray[np.float64]


METHOD_CODES = {"tiers": 0, "proportional": 1, "unknown": 2, "not_in_force": 3}


@dataclass(frozen=True)
class CreditTerms:
    """The credit terms applied to a row: a template version (with overrides) or custom terms."""

    label: str
    method: str  # tiers | proportional | unknown | not_in_force
    tiers: tuple[Tier, ...] = ()
    multiplier: Fraction | None = None
    cap_pct: Fraction | None = None
    min_credit: Fraction | None = None
    min_credit_currency: str | None = None
    min_credit_exclusive: bool = False
    threshold_unknown: bool = False
    """The provider's downtime threshold was not found (1 assumed): a zero credit is unknown."""
    min_credit_pooled: bool = False
    """The minimum applies to the total of a pool of rows (``credit_amounts(pool=...)``)."""
    review: tuple[str, ...] = field(default_factory=tuple)


def credit_amounts(
    term: Int,
    *,
    seconds_in_month: Int,
    measured_units: Int,
    fee_minor: Int,
    places: Int,
    currency: npt.NDArray[np.object_],
    terms: list[CreditTerms],
    pool: Int | None = None,
) -> pd.DataFrame:
    """Uptime, credit % and credit amount per row, exactly.

    ``pool``: rows with the same pool number (0, 1, ...; -1 for none) whose terms pool the
    minimum credit share it: the minimum is decided on their total (:func:`_pooled_minimum`).

    Returns uptime_pct (float, for display), credit_pct (float; NaN when no
    credit can be computed), credit_minor (float64 minor units, exact below 2**53; NaN when
    no credit can be computed), review (extra
    review reasons for the row, or "") and the audit steps in minor units.

    Whole columns in int64 and float64, exactly: a tier is decided in float only
    when the uptime is clearly away from the bound (float error here is about
    1e-13 %), otherwise with Python integers; the cap compares small rationals
    (the fee cancels out); rounding is an integer divmod. Rows whose products
    could overflow int64, and the proportional method, take the Python-integer
    path (:func:`_credit_amounts_exact`), which gives identical results.
    """
    n = len(term)
    term = np.asarray(term, dtype=np.int64)
    secs = np.asarray(seconds_in_month, dtype=np.int64)
    meas = np.asarray(measured_units, dtype=np.int64)
    fee = np.asarray(fee_minor, dtype=np.int64)
    places = np.asarray(places, dtype=np.int64)
    currency = np.asarray(currency, dtype=object)
    uptime = 100.0 * (1.0 - meas.astype(np.float64) / (secs.astype(np.float64) * UNIT))
    method = np.array([METHOD_CODES[t.method] for t in terms], dtype=np.int8)[term]
    tiered = method == METHOD_CODES["tiers"]
    pct_num, pct_den = _tier_pct(term, uptime, secs, meas, tiered, terms)
    cap = _Cap.of(term, terms)
    over = cap.has & (pct_num * cap.den > cap.num * pct_den)  # small integers: no overflow
    num = np.where(over, cap.num, pct_num)
    den = np.where(over, cap.den, pct_den)
    limit = np.iinfo(np.int64).max // 4
    safe = tiered & (fee <= limit // np.maximum(num, 1)) & (100 * den <= limit)
    q, r = np.divmod(fee * np.where(safe, num, 0), 100 * den)
    rounded = q + (2 * r >= 100 * den)  # half-up
    credit, min_minor, has_min, same_cur = _minimum(term, places, currency, rounded, terms)
    noted = has_min & ~same_cur & tiered & (credit > 0)
    review: Obj | pd.Series = pd.Series("", index=pd.RangeIndex(n), dtype="str")
    if noted.any():  # a sentence on some rows: written into a column of objects
        review = np.full(n, "", dtype=object)
        _minimum_not_applied(review, noted, term, currency, terms)
    fee_f = fee.astype(np.float64)
    out = pd.DataFrame(
        {
            "uptime_pct": uptime,
            "credit_pct": np.where(tiered, pct_num / pct_den, np.nan),
            "credit_minor": np.where(tiered, credit.astype(np.float64), np.nan),
            "review": review,
            "before_cap_minor": np.where(tiered, fee_f * pct_num / (100.0 * pct_den), np.nan),
            "cap_minor": np.where(tiered & cap.has, fee_f * cap.num / (100.0 * cap.den), np.nan),
            "rounded_minor": np.where(tiered, rounded.astype(np.float64), np.nan),
            "minimum_minor": np.where(tiered & same_cur, min_minor.astype(np.float64), np.nan),
        },
        copy=False,  # fresh arrays: no copy
    )
    slow = np.flatnonzero((tiered & ~safe) | (method == METHOD_CODES["proportional"]))
    if len(slow):
        exact = _credit_amounts_exact(
            term[slow],
            seconds_in_month=secs[slow],
            measured_units=meas[slow],
            fee_minor=fee[slow],
            places=places[slow],
            currency=currency[slow],
            terms=terms,
        )
        for column in out.columns:
            values = out[column].to_numpy(dtype=object if column == "review" else None).copy()
            values[slow] = exact[column].to_numpy()
            out[column] = values
    if pool is not None:
        out["credit_minor"] = _pooled_minimum(out, np.asarray(pool, dtype=np.int64), term, terms)
    return out


def _pooled_minimum(out: pd.DataFrame, pool: Int, term: Int, terms: list[CreditTerms]) -> Float:
    """The credit after a minimum decided on each pool's total of rounded credits (exact:
    whole minor units below 2**53 sum exactly in float64); rows outside a pool keep theirs."""
    credit = out["credit_minor"].to_numpy(np.float64).copy()
    rounded = out["rounded_minor"].to_numpy(np.float64)
    minimum = out["minimum_minor"].to_numpy(np.float64)
    pooled = np.array([t.min_credit_pooled for t in terms], dtype=np.bool_)[term]
    rows = pooled & (pool >= 0) & ~np.isnan(minimum) & ~np.isnan(rounded)
    if not rows.any():
        return credit
    total = np.zeros(int(pool.max()) + 1)
    np.add.at(total, pool[rows], rounded[rows])
    exclusive = np.array([t.min_credit_exclusive for t in terms], dtype=np.bool_)[term]
    mine = total[np.where(rows, pool, 0)]
    too_small = np.where(exclusive, mine <= minimum, mine < minimum)
    credit[rows] = np.where(too_small[rows] & (rounded[rows] > 0), 0.0, rounded[rows])
    return credit


def _tier_pct(
    term: Int,
    uptime: npt.NDArray[np.float64],
    secs: Int,
    meas: Int,
    tiered: Bool,
    terms: list[CreditTerms],
) -> tuple[Int, Int]:
    """The credit % (numerator, denominator) of the lowest bound each uptime is below: decided
    in float when the uptime is clearly away from the bound (float error here is about 1e-13
    %), otherwise with Python integers."""
    n = len(term)
    pct_num = np.zeros(n, dtype=np.int64)
    pct_den = np.ones(n, dtype=np.int64)
    for j in range(max((len(t.tiers) for t in terms), default=0)):
        bounds = [_tier(t, j, "below") for t in terms]
        credits = [_tier(t, j, "credit") for t in terms]
        b_flt = np.array([float(b) for b in bounds])[term]
        diff = uptime - b_flt
        below = (diff < 0) & (b_flt > 0)
        unsure = np.flatnonzero(tiered & (b_flt > 0) & (np.abs(diff) <= 1e-7))
        if len(unsure):  # near the bound: decide with exact integers
            b_num = np.array([b.numerator for b in bounds], dtype=object)[term[unsure]]
            b_den = np.array([b.denominator for b in bounds], dtype=object)[term[unsure]]
            t_units = secs[unsure].astype(object) * UNIT
            up = t_units - meas[unsure].astype(object)
            below[unsure] = (100 * b_den * up < b_num * t_units).astype(bool)
        c_num = np.array([c.numerator for c in credits], dtype=np.int64)[term]
        c_den = np.array([c.denominator for c in credits], dtype=np.int64)[term]
        pct_num = np.where(below, c_num, pct_num)
        pct_den = np.where(below, c_den, pct_den)
    return pct_num, pct_den


@dataclass(frozen=True)
class _Cap:
    """Each row's cap % as a small fraction (num / den), and whether there is one."""

    has: Bool
    num: Int
    den: Int

    @classmethod
    def of(cls, term: Int, terms: list[CreditTerms]) -> _Cap:
        caps = [t.cap_pct for t in terms]
        return cls(
            np.array([c is not None for c in caps], dtype=np.bool_)[term],
            np.array([(c or Fraction(0)).numerator for c in caps], dtype=np.int64)[term],
            np.array([(c or Fraction(1)).denominator for c in caps], dtype=np.int64)[term],
        )


def _minimum(
    term: Int, places: Int, currency: Obj, rounded: Int, terms: list[CreditTerms]
) -> tuple[Int, Int, Bool, Bool]:
    """The credit after the minimum credit, applied in the template's currency only (exact,
    per distinct term and minor unit); also the minimum and where it applies."""
    pairs, pair_of = unique_inverse(term * 16 + places)
    minimum = np.full(len(pairs), -1, dtype=np.int64)
    for i, code in enumerate(pairs.tolist()):
        t = terms[code // 16]
        if t.min_credit is not None:
            minimum[i] = math.ceil(t.min_credit * 10 ** (code % 16))
    min_minor = minimum[pair_of]
    min_cur = np.array([t.min_credit_currency or "" for t in terms], dtype=object)[term]
    has_min = min_minor >= 0
    same_cur = has_min & (min_cur == currency)
    exclusive = np.array([t.min_credit_exclusive for t in terms], dtype=np.bool_)[term]
    too_small = same_cur & np.where(exclusive, rounded <= min_minor, rounded < min_minor)
    return np.where(too_small & (rounded > 0), 0, rounded), min_minor, has_min, same_cur


def _credit_amounts_exact(
    term: Int,
    *,
    seconds_in_month: Int,
    measured_units: Int,
    fee_minor: Int,
    places: Int,
    currency: npt.NDArray[np.object_],
    terms: list[CreditTerms],
) -> pd.DataFrame:
    """The exact path on Python integers: every row, any magnitude, every method."""
    n = len(term)
    term = np.asarray(term, dtype=np.int64)
    T = np.asarray(seconds_in_month, dtype=np.int64).astype(object) * UNIT  # unit-seconds
    M = np.asarray(measured_units, dtype=np.int64).astype(object)
    uptime_pct = 100.0 * (
        1.0
        - np.asarray(measured_units, np.float64) / (np.asarray(seconds_in_month, np.float64) * UNIT)
    )
    method = np.array([t.method for t in terms], dtype=object)[term]

    pct_num, pct_den = _exact_pct(term, T, M, method, terms)
    prop = method == "proportional"
    computable = (method == "tiers") | prop

    fee = np.asarray(fee_minor, dtype=np.int64).astype(object)
    num = fee * pct_num
    den = 100 * pct_den
    before_cap = _ratio_float(num, den)
    cap = [t.cap_pct for t in terms]
    has_cap = np.array([c is not None for c in cap], dtype=np.bool_)[term]
    cap_num = np.array([(c or Fraction(0)).numerator for c in cap], dtype=object)[term] * fee
    cap_den = np.array([(c or Fraction(1)).denominator for c in cap], dtype=object)[term] * 100
    cap_minor = np.where(has_cap, _ratio_float(cap_num, cap_den), np.nan)
    over = has_cap & (num * cap_den > cap_num * den)
    num = np.where(over, cap_num, num)
    den = np.where(over, cap_den, den)
    credit = round_half_up_ratio(num, den)
    rounded = credit.copy()

    credit, min_minor, same_cur = _exact_minimum(term, places, currency, credit, terms)
    review = np.full(n, "", dtype=object)
    has_min = np.array([t.min_credit is not None for t in terms], dtype=np.bool_)[term]
    _minimum_not_applied(
        review,
        has_min & ~same_cur & computable & (credit > 0),
        term,
        np.asarray(currency, dtype=object),
        terms,
    )
    pct = np.where(computable, pct_num.astype(np.float64) / pct_den.astype(np.float64), np.nan)
    credit_minor = np.where(computable, credit.astype(np.float64), np.nan)
    return pd.DataFrame(
        {
            "uptime_pct": uptime_pct,
            "credit_pct": pct,
            "credit_minor": credit_minor,
            "review": review,
            # the steps, in minor units, for an audit (the workbook shows them)
            "before_cap_minor": np.where(computable, before_cap, np.nan),
            "cap_minor": np.where(computable, cap_minor, np.nan),
            "rounded_minor": np.where(computable, rounded.astype(np.float64), np.nan),
            "minimum_minor": np.where(
                computable & same_cur, _ratio_float(min_minor, np.ones(n, dtype=object)), np.nan
            ),
        }
    )


def _exact_pct(term: Int, T: Obj, M: Obj, method: Obj, terms: list[CreditTerms]) -> tuple[Obj, Obj]:
    """The credit % as exact Python-integer fractions: the tier whose bound the uptime is below
    (uptime < bound  <=>  100 x den x up < num x T), or the proportional formula."""
    n = len(term)
    up = T - M  # exact up time in unit-seconds
    pct_num = np.zeros(n, dtype=object)
    pct_den = np.ones(n, dtype=object)
    for j in range(max((len(t.tiers) for t in terms), default=0)):
        b_num = np.array([_tier(t, j, "below").numerator for t in terms], dtype=object)[term]
        b_den = np.array([_tier(t, j, "below").denominator for t in terms], dtype=object)[term]
        c_num = np.array([_tier(t, j, "credit").numerator for t in terms], dtype=object)[term]
        c_den = np.array([_tier(t, j, "credit").denominator for t in terms], dtype=object)[term]
        below = (100 * b_den * up < b_num * T) & (b_num > 0)
        pct_num = np.where(below, c_num, pct_num)
        pct_den = np.where(below, c_den, pct_den)
    prop = method == "proportional"
    if prop.any():
        mult = [t.multiplier or Fraction(0) for t in terms]
        m_num = np.array([m.numerator for m in mult], dtype=object)[term]
        m_den = np.array([m.denominator for m in mult], dtype=object)[term]
        pct_num = np.where(prop, m_num * 100 * M, pct_num)
        pct_den = np.where(prop, m_den * T, pct_den)
    return pct_num, pct_den


def _exact_minimum(
    term: Int, places: Int, currency: Obj, credit: Obj, terms: list[CreditTerms]
) -> tuple[Obj, Obj, Bool]:
    """The minimum credit in the template's currency only, on Python integers."""
    mins = [t.min_credit for t in terms]
    has_min = np.array([m is not None for m in mins], dtype=np.bool_)[term]
    min_cur = np.array([t.min_credit_currency or "" for t in terms], dtype=object)[term]
    same_cur = has_min & (min_cur == np.asarray(currency, dtype=object))
    scale = np.power(10, np.asarray(places, dtype=np.int64)).astype(object)
    min_minor = np.array([m or Fraction(0) for m in mins], dtype=object)[term] * scale
    exclusive = np.array([t.min_credit_exclusive for t in terms], dtype=np.bool_)[term]
    too_small = np.where(exclusive, credit <= min_minor, credit < min_minor) & same_cur
    return np.where(too_small & (credit > 0), 0, credit), min_minor, same_cur


MINIMUM_NOT_APPLIED = (
    "the minimum credit of {currency} {amount} was not applied: the contract is in {contract}"
)


def _minimum_not_applied(
    review: Obj, rows: Bool, term: Int, currency: Obj, terms: list[CreditTerms]
) -> None:
    """Say so on the rows whose template's minimum credit is in another currency."""
    for row in np.flatnonzero(rows).tolist():  # only rows that need a sentence
        t = terms[term[row]]
        review[row] = MINIMUM_NOT_APPLIED.format(
            currency=t.min_credit_currency, amount=t.min_credit, contract=currency[row]
        )


def _ratio_float(num: Obj, den: Obj) -> npt.NDArray[np.float64]:
    """Exact ratios as the nearest floats (for display only; decisions use the exact values)."""
    return np.asarray(
        np.asarray(num, dtype=object).astype(np.float64)
        / np.asarray(den, dtype=object).astype(np.float64),
        dtype=np.float64,
    )


def _tier(terms: CreditTerms, j: int, what: str) -> Fraction:
    if j >= len(terms.tiers):
        return Fraction(0)
    tier = terms.tiers[j]
    return tier.below_pct if what == "below" else tier.credit_pct


__all__ = [
    "METHOD_CODES",
    "CreditTerms",
    "MeasureTerms",
    "credit_amounts",
    "month_of",
    "month_start",
    "monthly_measure",
]
