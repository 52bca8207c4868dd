"""The risk workbook's Convergence sheet: the portfolio's AAL and 1-in-100 / 1-in-250 AEP on
the first n simulated years (100, 200, 500, ... and all of them), each with its standard
error, as formulas on the first n rows of the Years sheet carrying the engine's values."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from estimator.columns import label
from estimator.portfolio.convergence import COLUMNS, CONVERGENCE_PERIODS
from estimator.reports.workbook.cells import Book, Layout
from estimator.reports.workbook.ep_formulas import ep_formula, se_formula, stdev

if TYPE_CHECKING:
    from estimator.portfolio.results import RiskResults


def convergence_sheet(b: Book, r: RiskResults, years: Layout) -> None:
    c = r.convergence
    ws = b.book.add_worksheet("Convergence")
    shown = [col for col in COLUMNS if col != "currency"]  # money cells carry the currency
    for k, col in enumerate(shown):
        ws.write_string(0, k, label(col), b.f_head)
        ws.set_column(k, k, 18)
    money = b.money(r.reporting_currency)
    for i, rec in enumerate(c[shown].to_dict(orient="records"), start=1):
        n, m = int(rec["years"]), str(rec["measure"])
        span = years.span(m, 2, n + 1)
        ws.write_number(i, 0, n)
        ws.write_string(i, 1, label(m))
        b.formula(ws, i, 2, f"=SUM({span})/{n}", float(rec["aal"]), money)
        b.formula(ws, i, 3, f"={stdev(span, n)}/SQRT({n})", float(rec["aal_se"]), money)
        for j, t in enumerate(CONVERGENCE_PERIODS):
            loss, se = float(rec[f"aep_{t}"]), float(rec[f"aep_{t}_se"])
            if math.isnan(loss):
                continue  # fewer years than the return period
            b.formula(ws, i, 4 + 2 * j, ep_formula(span, n / t, False), loss, money)
            b.formula(ws, i, 5 + 2 * j, se_formula(span, n, t), se, money)
    b.finish(ws, len(c), len(shown))
