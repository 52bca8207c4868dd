"""The risk workbook: settings and the portfolio's headline, the EP table, the average annual
values, the accumulation, and the portfolio's totals per simulated year.

The portfolio's figures are formulas on the Year totals sheet (every simulated year, zeros
included; the sheet "Years"): the loss at a return period with LARGE at its rank (interpolated between ranks as
METHODOLOGY.md states), the TVaR as the mean of the largest, the AAL as AVERAGE and the
standard deviation as STDEV; each carries the engine's value. Companies' figures are values
(their year losses are in the YLT, written to Parquet for large runs).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from estimator.columns import label
from estimator.portfolio.accumulation import COLUMNS as ACCUMULATION
from estimator.portfolio.keys import MEASURES
from estimator.reports.workbook.cells import Book, Layout
from estimator.reports.workbook.convergence_sheet import convergence_sheet
from estimator.reports.workbook.ep_formulas import ep_formula, se_formula, stdev
from estimator.writers import writes

if TYPE_CHECKING:
    from estimator.portfolio.results import RiskResults

YEARS = "Years"
EP_COLUMNS = ["company_id", "currency", "measure", "ep_type", "return_period", "loss", "se"]
ALT_COLUMNS = ["company_id", "currency", "measure", "aal", "std", "se"]
ACC_COLUMNS = [c for c in ACCUMULATION if c not in MEASURES or c in ("total_loss", "net_impact")]
TOP_EVENTS = 100


@writes("risk.workbook")
def risk_workbook(r: RiskResults) -> bytes:
    b = Book()
    from estimator.portfolio.keys import MEASURES

    years = Layout(YEARS, ["year", *MEASURES, *(f"largest_{m}" for m in MEASURES)])
    _settings_sheet(b, r)
    _ep_sheet(b, r, years)
    _alt_sheet(b, r, years)
    _accumulation_sheet(b, r)
    convergence_sheet(b, r, years)
    _years_sheet(b, r, years)
    return b.close()


def _settings_sheet(b: Book, r: RiskResults) -> None:
    ws = b.book.add_worksheet("Risk")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 6, 18)
    ws.write_string(0, 0, "Portfolio risk: simulated outage years", b.f_title)
    rows: list[tuple[str, Any]] = [
        ("Simulated years", r.n_years),
        ("Reporting currency", r.reporting_currency),
        ("Dependency rule", r.dependency_rule),
        *((k.capitalize(), v) for k, v in r.settings.items()),
        *((f"Rate {c} -> {r.reporting_currency}", v) for c, v in r.fx_rates.items()),
        ("Rules", "METHODOLOGY.md § Portfolio risk: the event model, pricing, EP and TVaR"),
    ]
    for i, (key, value) in enumerate(rows, start=2):
        ws.write_string(i, 0, key, b.f_bold)
        b.put(ws, i, 1, value)
    top = len(rows) + 4
    head = r.headline()
    names = ["measure", "aal", "aep_100", "aep_250", "oep_100", "oep_250"]
    shown = ["Measure", "AAL", "AEP 1-in-100", "AEP 1-in-250", "OEP 1-in-100", "OEP 1-in-250"]
    for c, name in enumerate(shown):
        ws.write_string(top, c, name, b.f_head)
    money = b.money(r.reporting_currency)
    for i, rec in enumerate(head.to_dict(orient="records"), start=top + 1):
        ws.write_string(i, 0, label(str(rec["measure"])))
        for c, name in enumerate(names[1:], start=1):
            b.put(ws, i, c, float(rec[name]), money)


def _table(b: Book, name: str, frame: pd.DataFrame, columns: list[str]) -> Any:
    ws = b.book.add_worksheet(name)
    for c, col in enumerate(columns):
        ws.write_string(0, c, label(col), b.f_head)
        ws.set_column(c, c, 40 if col == "largest_contributors" else 16)
    return ws


def _ep_sheet(b: Book, r: RiskResults, years: Layout) -> None:
    ept = r.ept
    ws = _table(b, "EP", ept, EP_COLUMNS)
    last = r.n_years + 1
    for i, rec in enumerate(ept[EP_COLUMNS].to_dict(orient="records"), start=1):
        money = b.money(str(rec["currency"]))
        for c, col in enumerate(EP_COLUMNS[:-2]):
            value = label(str(rec[col])) if col == "measure" else rec[col]
            b.put(ws, i, c, value if col != "return_period" else int(value))
        kind, t = str(rec["ep_type"]), int(rec["return_period"])
        se = float(rec["se"])
        if rec["company_id"] == "portfolio":
            m = str(rec["measure"])
            column = m if kind.startswith("AEP") else f"largest_{m}"
            span = years.span(column, 2, last)
            text = ep_formula(span, r.n_years / t, kind.endswith("TVaR"))
            b.formula(ws, i, 5, text, float(rec["loss"]), money)
            if not math.isnan(se):
                b.formula(ws, i, 6, se_formula(span, r.n_years, t), se, money)
        else:
            b.put(ws, i, 5, float(rec["loss"]), money)
            if not math.isnan(se):
                b.put(ws, i, 6, se, money)
    b.finish(ws, len(ept), len(EP_COLUMNS))


def _alt_sheet(b: Book, r: RiskResults, years: Layout) -> None:
    alt = r.alt
    ws = _table(b, "ALT", alt, ALT_COLUMNS)
    last = r.n_years + 1
    for i, rec in enumerate(alt[ALT_COLUMNS].to_dict(orient="records"), start=1):
        money = b.money(str(rec["currency"]))
        b.put(ws, i, 0, rec["company_id"])
        b.put(ws, i, 1, rec["currency"])
        b.put(ws, i, 2, label(str(rec["measure"])))
        if rec["company_id"] == "portfolio":
            span = years.span(str(rec["measure"]), 2, last)
            b.formula(ws, i, 3, f"=SUM({span})/{r.n_years}", float(rec["aal"]), money)
            b.formula(ws, i, 4, f"={stdev(span, r.n_years)}", float(rec["std"]), money)
            se = f"={stdev(span, r.n_years)}/SQRT({r.n_years})"
            b.formula(ws, i, 5, se, float(rec["se"]), money)
        else:
            b.put(ws, i, 3, float(rec["aal"]), money)
            b.put(ws, i, 4, float(rec["std"]), money)
            b.put(ws, i, 5, float(rec["se"]), money)
    b.finish(ws, len(alt), len(ALT_COLUMNS))


def _accumulation_sheet(b: Book, r: RiskResults) -> None:
    acc = r.accumulation
    shown = pd.concat(
        [acc[acc["level"] == "provider-region"], acc[acc["level"] == "event"].head(TOP_EVENTS)]
    )
    ws = _table(b, "Accumulation", shown, ACC_COLUMNS)
    money = b.money(r.reporting_currency)
    amounts = {"total_loss", "net_impact", "aal_total_loss"}
    for i, rec in enumerate(shown[ACC_COLUMNS].to_dict(orient="records"), start=1):
        for c, col in enumerate(ACC_COLUMNS):
            value = rec[col]
            if isinstance(value, float) and math.isnan(value):
                continue
            b.put(ws, i, c, value, money if col in amounts else None)
    b.finish(ws, len(shown), len(ACC_COLUMNS))


def _years_sheet(b: Book, r: RiskResults, years: Layout) -> None:
    from estimator.portfolio.keys import MEASURES

    totals = r.year_totals
    largest = r.largest_per_year()
    ws = b.book.add_worksheet(YEARS)
    for c, col in enumerate(years.columns):
        name = label(col.removeprefix("largest_"))
        ws.write_string(
            0, c, f"Largest event: {name}" if col.startswith("largest_") else name, b.f_head
        )
        ws.set_column(c, c, 16)
    money = b.money(r.reporting_currency)
    for i in range(r.n_years):
        ws.write_number(i + 1, 0, i + 1)
        for k, m in enumerate(MEASURES):
            ws.write_number(i + 1, 1 + k, float(totals[m].iloc[i]), money)
            ws.write_number(i + 1, 1 + len(MEASURES) + k, float(largest[m].iloc[i]), money)
    b.finish(ws, r.n_years, len(years.columns))
