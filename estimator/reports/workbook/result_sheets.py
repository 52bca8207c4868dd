"""Result sheets: Summary (with totals and a chart per currency), Losses, Claims, Windows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from estimator.columns import COLUMNS
from estimator.engine.summary_table import LOST, SETTLED
from estimator.reports.workbook.cells import Book, Layout, blocks, rows
from estimator.results.claims import claims
from estimator.table_columns import SUMMARY_MONEY

if TYPE_CHECKING:
    from estimator.results.results import Results

CHART_COMPANIES = 25
WIDE = {"company_id": 22, "contract_id": 22, "outage_id": 30, "sla_version": 30}


def _widths(layout: Layout, extra: dict[str, float] | None = None) -> dict[str, float]:
    out = {name: 16.0 for name in layout.columns}
    return out | WIDE | (extra or {})


def summary_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    """Per company (grouped by currency), totals per currency, and a chart per currency."""
    s = r.summary.sort_values("currency", kind="stable").reset_index(drop=True)
    S, LO, CR, RC = L["Summary"], L["Losses"], L["Credits"], L["Recoveries"]
    ws = b.sheet(S, _widths(S, {"currency": 9, "recovery_ratio": 12}))
    found = {
        "losses": blocks(r.losses),
        "credits": blocks(r.credits),
        "recoveries": blocks(r.recoveries),
    }
    last = len(s) + 1
    for i, row in enumerate(rows(s)):
        n = i + 2
        money = b.money(row.currency)
        lo = found["losses"].get(row.company_id)
        cr = found["credits"].get(row.company_id)
        rc = found["recoveries"].get(row.company_id)

        def credits_of(kind: str, cr: tuple[int, int] | None = cr) -> str:
            if not cr:
                return "=0"
            amount = CR.span("credit_amount", *cr)
            return f'=SUMIFS({amount},{CR.span("kind", *cr)},"{kind}")'

        def with_status(statuses: tuple[str, ...], cr: tuple[int, int] | None = cr) -> str:
            if not cr:
                return "0"
            amount, kind, status = (
                CR.span(c, *cr) for c in ("credit_amount", "kind", "claim_status")
            )
            return "+".join(f'SUMIFS({amount},{kind},"provider",{status},"{v}")' for v in statuses)

        formulas = {
            "total_loss": f"=SUM({LO.span('total_loss', *lo)})" if lo else "=0",
            "credits_receivable": credits_of("provider"),
            "credits_payable": credits_of("customer"),
            "insurance_recoveries": f"=SUM({RC.span('payout', *rc)})" if rc else "=0",
            "net_impact": f"={S['total_loss']}{n}+{S['credits_payable']}{n}"
            f"-{S['credits_receivable']}{n}-{S['insurance_recoveries']}{n}",
            "recovery_ratio": _ratio(S, n),
            "credits_lost": f"={with_status(LOST)}",
            "credits_receivable_open": f"={S['credits_receivable']}{n}-({with_status(LOST)})"
            f"-({with_status(SETTLED)})",
        }
        for c, name in enumerate(S.columns):
            value = getattr(row, name, None)
            fmt = b.f_ratio if name == "recovery_ratio" else money
            if name in formulas:
                b.formula(ws, n - 1, c, formulas[name], value, fmt)
            else:
                b.put(ws, n - 1, c, value)
    b.finish(ws, len(s), len(S.columns))
    _totals(b, ws, r, S, last)
    _charts(b, ws, s, S)


def _ratio(S: Layout, n: int) -> str:
    loss = f"{S['total_loss']}{n}"
    return f'=IF({loss}>0,({S["credits_receivable"]}{n}+{S["insurance_recoveries"]}{n})/{loss},"")'


def _totals(b: Book, ws: Any, r: Results, S: Layout, last: int) -> None:
    """Totals per currency under the companies: SUMIF over the company rows."""
    top = last + 1
    ws.write_string(top, 0, "Totals by currency", b.f_bold)
    cur = S["currency"]
    for k, row in enumerate(rows(r.totals())):
        n = top + 2 + k
        money = b.money(row.currency)
        b.put(ws, n - 1, S.index["company_id"], f"Total {row.currency}", b.f_bold)
        b.put(ws, n - 1, S.index["currency"], row.currency)
        for name in SUMMARY_MONEY:
            col = S[name]
            text = f"=SUMIF(${cur}$2:${cur}${last},${cur}{n},{col}$2:{col}${last})"
            b.formula(ws, n - 1, S.index[name], text, getattr(row, name), money)
        b.formula(ws, n - 1, S.index["recovery_ratio"], _ratio(S, n), row.recovery_ratio, b.f_ratio)


def _charts(b: Book, ws: Any, s: pd.DataFrame, S: Layout) -> None:
    """One bar chart per currency: no chart puts two currencies on one axis."""
    anchor = 1
    for currency, group in s.groupby("currency", sort=True):
        first, count = int(group.index[0]) + 1, min(len(group), CHART_COMPANIES)
        chart = b.book.add_chart({"type": "bar"})
        for name, color in (
            ("total_loss", "#C0504D"),
            ("credits_receivable", "#4F81BD"),
            ("insurance_recoveries", "#9BBB59"),
        ):
            col = S.index[name]
            chart.add_series(
                {
                    "name": ["Summary", 0, col],
                    "categories": ["Summary", first, 0, first + count - 1, 0],
                    "values": ["Summary", first, col, first + count - 1, col],
                    "fill": {"color": color},
                }
            )
        more = "" if len(group) <= count else f" (first {count} of {len(group)} companies)"
        chart.set_title({"name": f"Loss against credits and insurance, {currency}{more}"})
        chart.set_x_axis({"name": f"amount in {currency}"})
        chart.set_y_axis({"reverse": True})
        height = 60 + 28 * count
        chart.set_size({"width": 760, "height": height})
        ws.insert_chart(anchor, len(S.columns) + 1, chart)
        anchor += height // 20 + 2


def losses_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    LO = L["Losses"]
    ws = b.sheet(LO, _widths(LO, {"currency": 9}))
    steps = ("gross_lost_revenue", "recaptured_revenue", "outage_costs")
    for i, row in enumerate(rows(r.losses)):
        n = i + 2
        money = b.money(row.currency)
        for c, name in enumerate(LO.columns):
            if name == "total_loss":
                gross, recaptured, costs = (f"{LO[x]}{n}" for x in steps)
                b.formula(ws, n - 1, c, f"={gross}-{recaptured}+{costs}", row.total_loss, money)
            elif name == "impacted_minutes":
                b.put(ws, n - 1, c, row.impacted_minutes, b.places(row.impacted_minutes, 2))
            else:
                spec = COLUMNS.get(name)
                fmt = money if spec is not None and spec.kind == "money" else None
                b.put(ws, n - 1, c, getattr(row, name, None), fmt)
    b.finish(ws, len(r.losses), len(LO.columns))


def claims_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    """Each claimable credit, most urgent first; the amount refers to its Credits row."""
    C, CR = L["Claims"], L["Credits"]
    ws = b.sheet(C, _widths(C, {"claim_how": 50, "source": 50, "review_reason": 50}))
    table = claims(r)
    for i, row in enumerate(rows(table)):
        n = i + 2
        for c, name in enumerate(C.columns):
            value = getattr(row, name, None)
            if name == "credit_amount":
                ref = f"=Credits!{CR['credit_amount']}{row.credits_row + 2}"
                b.formula(ws, n - 1, c, ref, value, b.money(row.currency))
            elif name == "claim_deadline":
                b.put(ws, n - 1, c, value, b.f_date)
            elif name in ("claim_how", "source", "review_reason"):
                b.put(ws, n - 1, c, value, b.f_wrap)
            else:
                b.put(ws, n - 1, c, value)
    b.finish(ws, len(table), len(C.columns), freeze_cols=2)


def reconciliation_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    """Per provider, account, service, region and month owed a credit: owed, claimed,
    approved, received (the charges sheet's credits_received, applied oldest month first),
    and the outstanding amount as a formula."""
    R = L["Reconciliation"]
    ws = b.sheet(R, _widths(R, {"reason": 40, "claim_status": 18}))
    table = r.reconciliation()
    for i, row in enumerate(rows(table)):
        n = i + 2
        money = b.money(row.currency)
        for c, name in enumerate(R.columns):
            value = getattr(row, name, None)
            if name == "outstanding":
                formula = f"={R['credit_owed']}{n}-{R['received']}{n}"
                b.formula(ws, n - 1, c, formula, value, money)
            elif name in ("credit_owed", "claimed", "approved", "received"):
                b.put(ws, n - 1, c, value, money)
            else:
                b.put(ws, n - 1, c, value)
    b.finish(ws, len(table), len(R.columns), freeze_cols=2)


def windows_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    """Every outage window as priced at the valuation time, with its status."""
    W = L["Windows"]
    ws = b.sheet(W, _widths(W, {"status": 14, "impact": 9}))
    for i, row in enumerate(rows(r.windows)):
        for c, name in enumerate(W.columns):
            value = getattr(row, name, None)
            fmt = b.places(value, 6) if name == "impact" else None
            b.put(ws, i + 1, c, value, fmt)
    b.finish(ws, len(r.windows), len(W.columns))
