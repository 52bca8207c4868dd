"""The credits table: one row per SLA contract and UTC month, every column beside its row.

Rows are built in the order they are measured and put into output order
(company, contract, month) once, at the end, so that nothing computed for one
row can land on another.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator.engine.arrays import take_text
from estimator.engine.claim_log import check_logged, logged_claims
from estimator.engine.credit_lines import (
    CreditContext,
    Lines,
    Measured,
    lines,
    measured,
    own_hits,
    sla_only,
)
from estimator.engine.credit_measure import month_notes, outside_scope_notes
from estimator.engine.empty_tables import empty_table
from estimator.engine.terms import Resolved, measure_terms
from estimator.engine.terms_table import terms_table
from estimator.engine.zone_hits import blank_zone_rows
from estimator.table_columns import CREDIT_COLUMNS, CREDIT_STEP_COLUMNS, TERMS_COLUMNS, TIER_COLUMNS
from pricing.claims import claim_rule, claim_status
from pricing.timeline import PPM

Int = npt.NDArray[np.int64]
ZONES_NOT_NAMED = (
    "the contract names no zones, so these zone windows are counted as if its resources ran "
    "there (add zones to count only its own): "
)


class CreditTables(NamedTuple):
    credits: pd.DataFrame
    steps: pd.DataFrame
    terms: pd.DataFrame
    tiers: pd.DataFrame
    company: Int
    """The company code of each credit row."""
    contract: Int
    """The contract code of each credit row."""
    month: Int
    """Each credit row's month (months since 1970-01)."""


def credit_tables(ctx: CreditContext, hits: pd.DataFrame, own: pd.DataFrame) -> CreditTables:
    """The credits, their calculation steps, and the terms and tiers behind them.

    ``hits`` are the provider windows x contracts; ``own`` the company's own impact
    I(t) as steps (columns company, start, end, units).
    """
    con = ctx.codes.contracts
    mine = own_hits(ctx, own)
    hits = sla_only(ctx, hits)
    if len(hits) == 0 and len(mine) == 0:
        none = np.zeros(0, dtype=np.int64)
        check_logged(ctx.claim_log, con, none, none, np.zeros(0, dtype=bool), ctx.as_of)
        return CreditTables(
            empty_table(CREDIT_COLUMNS),
            empty_table(CREDIT_STEP_COLUMNS),
            empty_table(TERMS_COLUMNS),
            empty_table(TIER_COLUMNS),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
        )
    measure = measure_terms(con, ctx.catalog)
    blank_zones = month_notes(hits, blank_zone_rows(hits, con, measure.scope_mask), ctx.windows)
    m = measured(ctx, hits, mine, measure)
    resolved = m.resolved
    code = m.months["contract"].to_numpy(np.int64)
    notes = outside_scope_notes(m.hits, measure, ctx.windows)
    order = _output_order(ctx, code, m.months["month"].to_numpy(np.int64))
    out = _rows(ctx, m, lines(ctx, m), notes, order, blank_zones)
    used = sorted(set(resolved.term_of.tolist()))
    table, tiers = terms_table(
        [resolved.terms[i] for i in used],
        [resolved.versions[i] for i in used],
        [resolved.applied[i] for i in used],
        [resolved.claim_rules[i] for i in used],
    )
    company = ctx.codes.contract_company[code]
    return CreditTables(
        out[CREDIT_COLUMNS],
        out[CREDIT_STEP_COLUMNS],
        table,
        tiers,
        company[order],
        code[order],
        m.months["month"].to_numpy(np.int64)[order],
    )


def _rows(
    ctx: CreditContext,
    m: Measured,
    x: Lines,
    notes: pd.DataFrame,
    order: Int,
    blank_zones: pd.DataFrame,
) -> pd.DataFrame:
    """Every column of every row. Each row's values are computed in measurement order,
    beside each other; every column then passes through the same ``order`` once, so the
    output rows (company, contract, month) keep their values together."""
    con = ctx.codes.contracts
    r = m.resolved
    code, months, amounts = x.contract, x.month, x.amounts
    company = ctx.codes.contract_company[code]
    places = ctx.codes.places[company]
    units = m.months["measured_units"].to_numpy(np.int64)
    deadline = claim_deadlines(months, m.months["first_incident"].to_numpy(np.int64), r)
    check_logged(ctx.claim_log, con, code, months, x.owed, ctx.as_of)
    logged = logged_claims(con, code, months, deadline, ctx.claim_log, ctx.as_of)
    status = claim_status(deadline[order], ctx.as_of.date().isoformat(), x.owed[order])
    if len(logged.rows):  # only the logged rows change: the rest stay Arrow text
        at_out = np.empty_like(order)
        at_out[order] = np.arange(len(order))
        status.iloc[at_out[logged.rows]] = logged.status.astype(str)
    extra = amounts["review"].to_numpy(object)
    if len(blank_zones):  # only rows a zone window reached without zones named
        zone_text = _scope_note_of(blank_zones, code, months).to_numpy(object)
        at = np.flatnonzero(zone_text != "")
        extra = extra.copy()
        zone_note = ZONES_NOT_NAMED + zone_text[at]  # object arrays: joined element-wise
        extra[at] = np.where(extra[at] != "", extra[at] + "; " + zone_note, zone_note)
    note = _scope_note_of(notes, code, months)
    # from here on, every column is taken through ``order``
    term = r.term_of[order]
    reason = _reasons(r, term, extra[order])
    out = pd.DataFrame(
        {
            "contract_id": take_text(con["contract_id"], code[order]),
            "company_id": take_text(con["company_id"], code[order]),
            "kind": take_text(con["kind"], code[order]),
            "month": _month_labels(months[order]),
            "metric": take_text(pd.Series([a.metric for a in r.applied], dtype="str"), term),
            "minutes_in_month": m.months["seconds_in_month"].to_numpy(np.int64)[order] / 60.0,
            "downtime_minutes": units[order].astype(np.float64) / PPM**2 / 60.0,
            "uptime_pct": amounts["uptime_pct"].to_numpy(np.float64)[order],
            "credit_pct": amounts["credit_pct"].to_numpy(np.float64)[order],
            "monthly_fee": x.base.fee[order],
            "fee_source": take_text(
                pd.Series(["contract", "charges"], dtype="str"),
                x.base.from_charges[order].astype(np.int64),
            ),
            "credit_amount": x.credit[order],
            "currency": take_text(ctx.codes.companies["currency"], company[order]),
            "claim_deadline": pd.Series(deadline[order].astype("datetime64[s]")),
            "claim_status": status,
            "filed_late": logged.filed_late[order],
            "sla_version": take_text(pd.Series([t.label for t in r.terms], dtype="str"), term),
            "outside_scope": note.take(order).reset_index(drop=True),
            "needs_review": (reason != "").to_numpy(dtype=bool),
            "review_reason": reason,
        }
    )
    for step in CREDIT_STEP_COLUMNS[:-1]:
        out[step] = amounts[step].to_numpy(np.float64)[order]
    out["minor_unit"] = places[order]
    return out


def _scope_note_of(notes: pd.DataFrame, code: Int, months: Int) -> pd.Series:
    """Each measured row's outside-scope note ('' when none), in measurement order."""
    blank = pd.Series([""], dtype="str")
    if notes.empty:
        return take_text(blank, np.zeros(len(code), dtype=np.int64))
    span = int(max(months.max(initial=0), notes["month"].max())) + 1
    keys = pd.Index(notes["contract"].to_numpy(np.int64) * span + notes["month"].to_numpy())
    where = keys.get_indexer(code * span + months)
    texts = pd.concat([notes["note"].astype("str"), blank], ignore_index=True)
    return take_text(texts, np.where(where >= 0, where, len(notes)))


def _reasons(r: Resolved, term: Int, extra: npt.NDArray[np.object_]) -> pd.Series:
    """Each row's review reason: its terms' reasons, then any row-level sentence (rare: a
    minimum credit in another currency). ``term`` and ``extra`` are in the same row order."""
    reason = take_text(pd.Series(["; ".join(t.review) for t in r.terms], dtype="str"), term)
    extra_rows = np.flatnonzero(extra != "")
    if len(extra_rows):
        base = reason.iloc[extra_rows].to_numpy(object)
        joined = np.where(base != "", base + "; " + extra[extra_rows], extra[extra_rows])
        reason.iloc[extra_rows] = joined.astype(str)
    return reason


def claim_deadlines(months: Int, first_incident: Int, r: Resolved) -> npt.NDArray[np.datetime64]:
    """Each row's claim deadline (the last UTC day a claim is received), by its terms' rule."""
    rules = r.claim_rules
    rule = np.array([v.claim_rule if v else "none" for v in rules], dtype=object)[r.term_of]
    days = np.array([v.claim_days or 0 if v else 0 for v in rules], dtype=np.int64)[r.term_of]
    month = months.astype("datetime64[M]")
    first = first_incident.astype("datetime64[s]").astype("datetime64[D]")
    out = np.full(len(month), np.datetime64("NaT"), dtype="datetime64[D]")
    for name in pd.unique(rule):
        sel = rule == name
        found = claim_rule(str(name))
        for d in np.unique(days[sel]):
            part = sel & (days == d)
            out[part] = found.deadline(month[part], first[part], int(d))
    return out


def _output_order(ctx: CreditContext, code: Int, months: Int) -> Int:
    """Rows sorted by company, contract and month, on one integer key."""
    m0 = int(months.min(initial=0))
    n_months = int(months.max(initial=0)) - m0 + 1
    company = ctx.codes.contract_company[code]
    key = (
        ctx.codes.company_rank[company] * len(ctx.codes.contracts) + ctx.codes.contract_rank[code]
    ) * n_months
    return np.argsort(key + (months - m0), kind="stable")


def _month_labels(months: Int) -> pd.Series:
    """Months since 1970-01 -> 'YYYY-MM' text, formatting each distinct month once."""
    distinct, which = np.unique(months, return_inverse=True)
    labels = pd.Series(distinct.astype("datetime64[M]").astype(str), dtype="str")
    return labels.take(which).reset_index(drop=True)
