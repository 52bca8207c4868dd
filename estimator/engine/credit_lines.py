"""The credit amounts of every SLA contract and UTC month, as arrays: the rules of the credits
table without its text.

Both paths through the engine take their credits from here: the credits table
(``credit_table``) adds the text columns, deadlines and statuses beside these values, and the
totals path (``totals``) sums them per company. So a credit is computed once, one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import Codes
from estimator.engine.charge_fees import raise_missing
from estimator.engine.credit_measure import measure_months
from estimator.engine.terms import ContractMeasure, Resolved, measure_terms, resolve, taken
from estimator.engine.zone_hits import with_all_zones_hits
from pricing.catalog import Catalog
from pricing.charges import FeeBases, fee_bases
from pricing.credits import METHOD_CODES, credit_amounts
from pricing.intervals import unique_inverse
from pricing.money import from_minor

Int = npt.NDArray[np.int64]
Float = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CreditContext:
    """What the credits need from the run besides the hits."""

    codes: Codes
    exclusions: pd.DataFrame
    windows: pd.DataFrame
    """The windows as priced at the valuation time (estimator.inputs.valuation.priced_windows)."""
    catalog: Catalog
    as_of: pd.Timestamp
    charges: pd.DataFrame
    """The monthly charges: the base of contracts without a monthly_fee."""
    claim_log: pd.DataFrame


class Measured(NamedTuple):
    """The SLA hits and own impact measured per contract and month, with the terms resolved."""

    hits: pd.DataFrame
    """The provider hits, with every-zone windows added (what was measured)."""
    measure: ContractMeasure
    months: pd.DataFrame
    """One row per (contract, month): ``estimator.engine.credit_measure.measure_months``."""
    resolved: Resolved


class Lines(NamedTuple):
    """Each measured row's amounts, in measurement order (the rows of ``Measured.months``)."""

    contract: Int
    month: Int
    """Months since 1970-01."""
    base: FeeBases
    amounts: pd.DataFrame
    """``pricing.credits.credit_amounts``: uptime, credit %, the steps, review text."""
    credit: Float
    """The credit in currency units; NaN where it cannot be computed (unknown terms)."""
    owed: npt.NDArray[np.bool_]
    """A credit is owed (above zero), or may be (unknown terms, with downtime)."""


def own_hits(ctx: CreditContext, own: pd.DataFrame) -> pd.DataFrame:
    """The company's own impact steps ``own`` (company, start, end, units) on each customer
    contract of its company: what a customer SLA measures."""
    con = ctx.codes.contracts
    customers = np.flatnonzero((con["kind"] == "customer").to_numpy())
    cust = pd.DataFrame({"company": ctx.codes.contract_company[customers], "contract": customers})
    return own.merge(cust, on="company", how="inner")


def sla_only(ctx: CreditContext, hits: pd.DataFrame) -> pd.DataFrame:
    """The hits of provider and customer contracts (not covers)."""
    con = ctx.codes.contracts
    sla_rows = con["kind"].isin(["provider", "customer"]).to_numpy()
    return hits[sla_rows[hits["contract"].to_numpy(np.int64)]] if len(hits) else hits


def measured(
    ctx: CreditContext, hits: pd.DataFrame, mine: pd.DataFrame, measure: ContractMeasure
) -> Measured:
    """Every (contract, month) the hits (and the own-impact hits ``mine``) reach, measured,
    with its terms resolved."""
    con = ctx.codes.contracts
    hits = with_all_zones_hits(hits, ctx.windows["zone"], con, ctx.catalog)
    lineage = ctx.codes.lineage
    months = measure_months(con, ctx.exclusions, measure, hits, mine, lineage)
    resolved = resolve(
        con,
        months["contract"].to_numpy(np.int64),
        months["first_incident"].to_numpy(np.int64),
        months["last_incident"].to_numpy(np.int64),
        ctx.catalog,
        measure,
        lineage,
    )
    return Measured(hits, measure, months, resolved)


def lines(ctx: CreditContext, m: Measured) -> Lines:
    """The credit of every measured row: its base (fee or charges), tier on unrounded uptime,
    caps and minimum credits (``pricing.credits``), in minor units then currency units."""
    con = ctx.codes.contracts
    r = m.resolved
    code = m.months["contract"].to_numpy(np.int64)
    months = m.months["month"].to_numpy(np.int64)
    company = ctx.codes.contract_company[code]
    places = ctx.codes.places[company]
    base = fee_bases(con, code, months, ctx.charges)
    units = m.months["measured_units"].to_numpy(np.int64)
    fee_minor = np.rint(np.nan_to_num(base.fee) * np.power(10.0, places)).astype(np.int64)
    amounts = credit_amounts(
        r.term_of,
        seconds_in_month=m.months["seconds_in_month"].to_numpy(np.int64),
        measured_units=units,
        fee_minor=fee_minor,
        places=places,
        currency=ctx.codes.companies["currency"].to_numpy(object)[company],
        terms=r.terms,
        pool=_minimum_pools(con, code, months, r),
    )
    pct = amounts["credit_pct"].to_numpy(np.float64)
    if (base.missing & (pct > 0)).any():  # owed, with neither a fee nor charges
        raise_missing(con, code, months, np.flatnonzero(base.missing & (pct > 0)))
    credit = from_minor(amounts["credit_minor"].to_numpy(np.float64), places)  # NaN stays NaN
    no_threshold = np.array([t.threshold_unknown for t in r.terms], dtype=bool)[r.term_of]
    credit = np.where(no_threshold & (credit == 0), np.nan, credit)  # unknown, not zero
    method = np.array([METHOD_CODES[t.method] for t in r.terms], dtype=np.int8)[r.term_of]
    # nothing is owed without downtime, whatever the terms; unknown terms may owe something
    unknown = np.isnan(credit) & (method != METHOD_CODES["not_in_force"]) & (units > 0)
    return Lines(code, months, base, amounts, credit, (credit > 0) | unknown)


def credit_lines(ctx: CreditContext, hits: pd.DataFrame, own: pd.DataFrame) -> Lines | None:
    """The credits of the run as arrays (None when no SLA contract was hit)."""
    mine = own_hits(ctx, own)
    hits = sla_only(ctx, hits)
    if len(hits) == 0 and len(mine) == 0:
        return None
    lineage = ctx.codes.lineage
    if lineage is None:
        measure = measure_terms(ctx.codes.contracts, ctx.catalog)
    else:  # a copy is measured as its base contract is
        measure = taken(measure_terms(lineage.base, ctx.catalog), lineage.contract)
    return lines(ctx, measured(ctx, hits, mine, measure))


def _minimum_pools(con: pd.DataFrame, code: Int, months: Int, r: Resolved) -> Int:
    """Each row's minimum-credit pool: provider contracts of one company, account, provider,
    service and region in a month under the same template share one (AWS: one credit per
    service and region); -1 for other rows. Integer keys, made compact column by column."""
    pooled = np.array([t.min_credit_pooled for t in r.terms], dtype=bool)[r.term_of]
    pooled &= (con["kind"] == "provider").to_numpy(dtype=bool)[code]
    out = np.full(len(code), -1, dtype=np.int64)
    if not pooled.any():
        return out
    code, months, term_of = code[pooled], months[pooled], r.term_of[pooled]
    key = np.zeros(len(con), dtype=np.int64)
    for column in ("company_id", "account", "provider", "service", "region"):
        values, uniques = pd.factorize(con[column].fillna(""))
        key = unique_inverse(key * (len(uniques) + 1) + values)[1]
    template, names = pd.factorize(pd.Series([t.label.split("@")[0] for t in r.terms]))
    row_key = unique_inverse(key[code] * (len(names) + 1) + template[term_of])[1]
    m0 = int(months.min(initial=0))
    span = int(months.max(initial=0)) - m0 + 1
    out[pooled] = unique_inverse(row_key * span + (months - m0))[1]
    return out
