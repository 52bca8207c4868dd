"""The auditable workbook, written by XlsxWriter from ``Results`` alone.

Sheets: Summary (per company, totals per currency, a chart), Losses, Credits,
Claims, Recoveries, Terms, Tiers, the five input tables in the input format (the
workbook loads back with ``load_inputs``), and Methodology.

Live formulas where a rule is spreadsheet-simple (DESIGN §5): uptime % from
minutes, the tier lookup, the credit with its cap, rounding and minimum, the
fee looked up from the contracts sheet, insurance covered hours, payouts and
limit, and every total. Only functions Excel and LibreOffice both compute
(INDEX, MATCH, SUMPRODUCT, SUMIFS, ROUND, MIN, MAX, IF). Every formula is
stored with the engine's value cached, so the file reads right before any
recalculation. The writer computes nothing: cached values, including the
intermediate steps, come from ``Results``.

Every user-supplied text is written as a text cell, never as a formula; text
that a spreadsheet could take for a formula (= + - @ ...) also gets Excel's
quote prefix, so it stays text when the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import namedtuple
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from estimator.labels import label
from estimator.schema import CONTRACTS, TABLES
from pricing.money import currencies

if TYPE_CHECKING:
    from estimator.results import Results

RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CHART_COMPANIES = 25
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

METHODOLOGY_TEXT = [
    (
        "How to read this workbook",
        [
            "Summary: per company, total loss, SLA credits receivable (owed by providers) and "
            "payable (owed to the company's customers), insurance recoveries, net impact and "
            "recovery ratio; totals per currency; a chart of loss against credits and insurance.",
            "Losses: one row per company and outage event. Credits: one row per SLA contract and "
            "UTC month. Claims: each credit the company can claim, with its deadline and source. "
            "Recoveries: one row per insurance episode.",
            "Columns with a beige header are calculation steps; a formula's cached value is the "
            "engine's result, so the file reads right before recalculation. 'Matches export' "
            "compares the live formula with the engine's value at export time: it turns FALSE "
            "when you change an input, which is the point.",
            "Change a monthly fee, hourly payout, waiting period, deductible or limit on the "
            "contracts sheet, or a tier credit on Tiers, and the credits, payouts and totals follow.",
            "The sheets outages, companies, contracts, exclusions and revenue_profiles are the inputs "
            "in the input format: this workbook loads back as input (sla-estimator run report.xlsx).",
            "Times are UTC. Money is in each company's currency, rounded once, half-up, to its "
            "minor unit; totals are sums of rounded lines.",
        ],
    ),
    (
        "Rules (METHODOLOGY.md has every formula)",
        [
            "Lost share L(t) = max over a company's provider contracts of revenue_share x impact "
            "(largest impact of overlapping windows; after failover_minutes the impact is reduced "
            "by failover_share). Rule 'independent': 1 - product of (1 - revenue_share x impact).",
            "Gross lost revenue = integral of revenue per hour x profile weight (local time) x L(t); "
            "recaptured = gross x recapture_rate; outage costs = cost per hour x hours with L > 0.",
            "Uptime % = 100 x (minutes in month - downtime minutes) / minutes in month. The credit % "
            "is that of the lowest tier bound the uptime is below (exactly on a bound is not below). "
            "The engine decides on exact integers; this workbook compares the uptime rounded to 9 "
            "decimals.",
            "Credit = fee x credit % / 100, capped at the template's cap, rounded half-up to the "
            "minor unit; AWS issues a credit only if it is greater than USD 1.",
            "Insurance: episodes where the covered impact >= the threshold; the first waiting_hours "
            "of each episode are not covered; parametric pays hourly_payout per covered hour; "
            "indemnity pays the loss in the covered time less the deductible; the limit applies to "
            "the running total, in date order.",
            "Net impact = total loss + credits payable - credits receivable - insurance recoveries; "
            "recovery ratio = (credits receivable + insurance) / total loss.",
            "SLA terms are versioned: the version in force at the month's first incident applies. "
            "Unverified or unknown terms are flagged 'needs review' with the reason.",
        ],
    ),
]


class _Writer:
    def __init__(self, results: Results):
        self.r = results
        self.buf = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buf,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        b = self.book
        self.f_head = b.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top", "bottom": 1}
        )
        self.f_calc_head = b.add_format(
            {"bold": True, "bg_color": "#F2E6D0", "text_wrap": True, "valign": "top", "bottom": 1}
        )
        self.f_text = b.add_format({})
        self.f_quoted = b.add_format({"quote_prefix": True})
        self.f_date = b.add_format({"num_format": "yyyy-mm-dd"})
        self.f_datetime = b.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.f_minutes = b.add_format({"num_format": "#,##0.00"})
        self.f_hours = b.add_format({"num_format": "#,##0.0000"})
        self.f_pct4 = b.add_format({"num_format": "0.0000"})
        self.f_pct = b.add_format({"num_format": "0.##"})
        self.f_ratio = b.add_format({"num_format": "0.0%"})
        self.f_number = b.add_format({"num_format": "General"})
        self.f_minor = b.add_format({"num_format": "#,##0.######"})
        self.f_bold = b.add_format({"bold": True})
        self.f_title = b.add_format({"bold": True, "font_size": 14})
        self.f_wrap = b.add_format({"text_wrap": True, "valign": "top"})
        self._money: dict[str, Any] = {}
        self.sheets: dict[str, Any] = {}

    # --- cells ------------------------------------------------------------------------

    def money(self, currency: str) -> Any:
        if currency not in self._money:
            places = currencies().get(currency, 2)
            digits = "0." + "0" * places if places else "0"
            code = currency.replace('"', "")
            self._money[currency] = self.book.add_format(
                {"num_format": f'#,##0{digits[1:]} "{code}";-#,##0{digits[1:]} "{code}"'}
            )
        return self._money[currency]

    def put(self, ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        """Write a value by its type; text is always a text cell."""
        kind = type(value)
        if kind is str:
            quoted = value.startswith(RISKY_START)
            ws.write_string(row, col, value, self.f_quoted if quoted else (fmt or self.f_text))
        elif kind is float or kind is int:
            if value != value:  # NaN
                ws.write_blank(row, col, None, fmt)
            else:
                ws.write_number(row, col, value, fmt)
        elif value is None or value is pd.NaT or value is pd.NA:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, (bool, np.bool_)):
            ws.write_boolean(row, col, bool(value), fmt)
        elif isinstance(value, pd.Timestamp):
            ts = value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
            ws.write_datetime(row, col, ts.to_pydatetime(), fmt or self.f_datetime)
        elif isinstance(value, (dt.datetime, dt.date)):
            ws.write_datetime(row, col, value, fmt or self.f_date)
        elif _isna(value):
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_number(row, col, float(value), fmt)

    def formula(self, ws: Any, row: int, col: int, text: str, value: Any, fmt: Any = None) -> None:
        """A formula with the engine's value cached ("" for a blank result)."""
        kind = type(value)
        if kind is float:
            cached: Any = "" if value != value else value
        elif kind is str or kind is bool:
            cached = value
        elif kind is int:
            cached = float(value)
        elif value is None or value is pd.NaT or value is pd.NA:
            cached = ""
        elif isinstance(value, np.bool_):
            cached = bool(value)
        elif isinstance(value, (pd.Timestamp, dt.date)):
            cached = _serial(value)
        elif _isna(value):
            cached = ""
        else:
            cached = float(value)
        ws.write_formula(row, col, text, fmt, cached)

    def sheet(
        self,
        name: str,
        headers: Sequence[str],
        widths: Sequence[float],
        calc_from: int | None = None,
        freeze_cols: int = 1,
    ) -> Any:
        ws = self.book.add_worksheet(name)
        # Our formulas use no dynamic-array function, so XlsxWriter's 29 regular-expression
        # rewrites per formula (for _xlfn. prefixes) are skipped; a test checks the functions.
        ws._prepare_formula = _plain_formula
        self.sheets[name] = ws
        for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
            fmt = self.f_calc_head if calc_from is not None and c >= calc_from else self.f_head
            ws.write_string(0, c, h, fmt)
            ws.set_column(c, c, w)
        ws.freeze_panes(1, freeze_cols)
        return ws

    def finish_table(self, ws: Any, n_rows: int, n_cols: int) -> None:
        ws.autofilter(0, 0, max(n_rows, 1), n_cols - 1)

    # --- sheets -----------------------------------------------------------------------

    def write(self) -> bytes:
        # Summary first so it opens first; its formulas refer to the sheets after it.
        blocks = {
            "Losses": _blocks(self.r.losses),
            "Credits": _blocks(self.r.credits),
            "Recoveries": _blocks(self.r.recoveries),
        }
        self.summary_sheet(blocks)
        self.losses_sheet()
        self.credits_sheet()
        self.claims_sheet()
        self.recoveries_sheet()
        self.terms_sheet()
        self.tiers_sheet()
        self.input_sheets()
        self.methodology_sheet()
        self.book.close()
        return self.buf.getvalue()

    def summary_sheet(self, blocks: dict[str, dict[str, tuple[int, int]]]) -> None:
        s = self.r.summary
        cols = list(s.columns)
        ws = self.sheet("Summary", [label(c) for c in cols], [22, 9, 18, 18, 18, 18, 18, 12])
        last = len(s) + 1
        for i, row in enumerate(_rows(s)):
            r = i + 1
            cur = row.currency
            money = self.money(cur)
            self.put(ws, r, 0, row.company_id)
            self.put(ws, r, 1, cur)
            lo = blocks["Losses"].get(row.company_id)
            cr = blocks["Credits"].get(row.company_id)
            rc = blocks["Recoveries"].get(row.company_id)
            self.formula(
                ws,
                r,
                2,
                f"=SUM(Losses!$H${lo[0]}:$H${lo[1]})" if lo else "=0",
                row.total_loss,
                money,
            )
            for col, kind, value in (
                (3, "provider", row.credits_receivable),
                (4, "customer", row.credits_payable),
            ):
                text = (
                    f'=SUMIFS(Credits!$J${cr[0]}:$J${cr[1]},Credits!$C${cr[0]}:$C${cr[1]},"{kind}")'
                    if cr
                    else "=0"
                )
                self.formula(ws, r, col, text, value, money)
            self.formula(
                ws,
                r,
                5,
                f"=SUM(Recoveries!$G${rc[0]}:$G${rc[1]})" if rc else "=0",
                row.insurance_recoveries,
                money,
            )
            n = r + 1
            self.formula(ws, r, 6, f"=C{n}+E{n}-D{n}-F{n}", row.net_impact, money)
            self.formula(
                ws, r, 7, f'=IF(C{n}>0,(D{n}+F{n})/C{n},"")', row.recovery_ratio, self.f_ratio
            )
        self.finish_table(ws, len(s), len(cols))
        # totals per currency
        top = last + 1
        ws.write_string(top, 0, "Totals by currency", self.f_bold)
        for k, row in enumerate(_rows(self.r.totals())):
            r = top + 1 + k
            n = r + 1
            money = self.money(row.currency)
            ws.write_string(r, 0, f"Total {row.currency}", self.f_bold)
            self.put(ws, r, 1, row.currency)
            for col, value in zip(
                range(2, 7),
                (
                    row.total_loss,
                    row.credits_receivable,
                    row.credits_payable,
                    row.insurance_recoveries,
                    row.net_impact,
                ),
                strict=True,
            ):
                letter = xl_col_to_name(col)
                self.formula(
                    ws,
                    r,
                    col,
                    f"=SUMIF($B$2:$B${last},$B{n},{letter}$2:{letter}${last})",
                    value,
                    money,
                )
            self.formula(
                ws, r, 7, f'=IF(C{n}>0,(D{n}+F{n})/C{n},"")', row.recovery_ratio, self.f_ratio
            )
        if len(s):
            k = min(len(s), CHART_COMPANIES)
            chart = self.book.add_chart({"type": "bar"})
            for col, color in ((2, "#C0504D"), (3, "#4F81BD"), (5, "#9BBB59")):
                chart.add_series(
                    {
                        "name": ["Summary", 0, col],
                        "categories": ["Summary", 1, 0, k, 0],
                        "values": ["Summary", 1, col, k, col],
                        "fill": {"color": color},
                    }
                )
            more = "" if len(s) <= k else f" (first {k} of {len(s)} companies)"
            chart.set_title({"name": "Loss against credits and insurance by company" + more})
            chart.set_x_axis({"name": "each company in its own currency"})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 760, "height": 60 + 28 * k})
            ws.insert_chart(1, 9, chart)

    def losses_sheet(self) -> None:
        lo = self.r.losses
        cols = list(lo.columns)
        ws = self.sheet("Losses", [label(c) for c in cols], [22, 30, 9, 12, 18, 18, 16, 18])
        for i, row in enumerate(_rows(lo)):
            r = i + 1
            money = self.money(row.currency)
            self.put(ws, r, 0, row.company_id)
            self.put(ws, r, 1, row.outage_id)
            self.put(ws, r, 2, row.currency)
            self.put(ws, r, 3, row.impacted_minutes, self.f_minutes)
            self.put(ws, r, 4, row.gross_lost_revenue, money)
            self.put(ws, r, 5, row.recaptured_revenue, money)
            self.put(ws, r, 6, row.outage_costs, money)
            n = r + 1
            self.formula(ws, r, 7, f"=E{n}-F{n}+G{n}", row.total_loss, money)
        self.finish_table(ws, len(lo), len(cols))

    def credits_sheet(self) -> None:
        c, steps, terms = self.r.credits, self.r.credit_steps, self.r.terms
        headers = [label(x) for x in c.columns] + [
            "Minor unit",
            "Contract row",
            "Terms row",
            "Method",
            "Credit before cap (minor units)",
            "Cap (minor units)",
            "Rounded (minor units)",
            "Minimum credit (minor units)",
            "Export value",
            "Matches export",
        ]
        widths = [
            22,
            16,
            9,
            10,
            10,
            11,
            10,
            8,
            16,
            16,
            9,
            13,
            30,
            8,
            40,
            8,
            9,
            9,
            10,
            14,
            14,
            14,
            14,
            14,
            9,
        ]
        ws = self.sheet("Credits", headers, widths, calc_from=len(c.columns))
        n_con = len(self.r.inputs.contracts) + 1
        n_terms = len(terms) + 1
        n_tiers = max(len(self.r.tiers), 1) + 1
        con = {name: xl_col_to_name(i) for i, name in enumerate(CONTRACTS.column_names)}
        term_row = {v: i + 1 for i, v in enumerate(terms["sla_version"])}
        contract_row = {v: i + 1 for i, v in enumerate(self.r.inputs.contracts["contract_id"])}
        method = dict(zip(terms["sla_version"], terms["method"], strict=True))

        tc = {
            name: f"Terms!${xl_col_to_name(i)}$2:${xl_col_to_name(i)}${n_terms}"
            for i, name in enumerate(terms.columns)
        }

        for i, (row, step) in enumerate(zip(_rows(c), _rows(steps), strict=True)):
            r = i + 1
            n = r + 1
            money = self.money(row.currency)
            for col, value, fmt in (
                (0, row.contract_id, None),
                (1, row.company_id, None),
                (2, row.kind, None),
                (3, row.month, None),
                (4, row.minutes_in_month, self.f_minutes),
                (5, row.downtime_minutes, self.f_minutes),
            ):
                self.put(ws, r, col, value, fmt)
            self.formula(ws, r, 6, f"=100*(E{n}-F{n})/E{n}", row.uptime_pct, self.f_pct4)
            tiers = (
                f"SUMPRODUCT((Tiers!$A$2:$A${n_tiers}=$M{n})*"
                f"(Tiers!$B$2:$B${n_tiers}>ROUND(G{n},9))*Tiers!$D$2:$D${n_tiers})"
            )
            self.formula(
                ws,
                r,
                7,
                f'=IF(S{n}="tiers",{tiers},IF(S{n}="proportional",'
                f'INDEX({tc["multiplier"]},R{n})*(100-G{n}),""))',
                row.credit_pct,
                self.f_pct,
            )
            self.formula(
                ws,
                r,
                8,
                f"=INDEX(contracts!${con['monthly_fee']}$2:${con['monthly_fee']}${n_con},Q{n})",
                row.monthly_fee,
                money,
            )
            self.formula(
                ws,
                r,
                9,
                f'=IF(H{n}="","",IF(W{n}="",V{n},IF(IF(INDEX('
                f'{tc["min_credit_rule"]},R{n})="greater_than",V{n}<=W{n},'
                f"V{n}<W{n}),0,V{n}))/10^P{n})",
                row.credit_amount,
                money,
            )
            self.put(ws, r, 10, row.currency)
            self.put(ws, r, 11, row.claim_deadline, self.f_date)
            self.put(ws, r, 12, row.sla_version)
            self.put(ws, r, 13, bool(row.needs_review))
            self.put(ws, r, 14, row.review_reason, self.f_text)
            # calculation steps
            self.put(ws, r, 15, int(step.minor_unit))
            self.formula(
                ws,
                r,
                16,
                f"=MATCH($A{n},contracts!$A$2:$A${n_con},0)",
                contract_row[row.contract_id],
            )
            self.formula(
                ws, r, 17, f"=MATCH($M{n},Terms!$A$2:$A${n_terms},0)", term_row[row.sla_version]
            )
            self.formula(ws, r, 18, f"=INDEX({tc['method']},R{n})", method[row.sla_version])
            self.formula(
                ws,
                r,
                19,
                f'=IF(H{n}="","",I{n}*10^P{n}*H{n}/100)',
                step.before_cap_minor,
                self.f_minor,
            )
            self.formula(
                ws,
                r,
                20,
                f'=IF(H{n}="","",IF(INDEX({tc["cap_pct"]},R{n})="",'
                f'"",I{n}*10^P{n}*INDEX({tc["cap_pct"]},R{n})/100))',
                step.cap_minor,
                self.f_minor,
            )
            self.formula(
                ws,
                r,
                21,
                f'=IF(H{n}="","",ROUND(ROUND(IF(U{n}="",T{n},MIN(T{n},U{n})),6),0))',
                step.rounded_minor,
                self.f_minor,
            )
            self.formula(
                ws,
                r,
                22,
                f'=IF(H{n}="","",IF(INDEX({tc["min_credit_currency"]},'
                f'R{n})=K{n},INDEX({tc["min_credit"]},R{n})*10^P{n},""))',
                step.minimum_minor,
                self.f_minor,
            )
            self.put(ws, r, 23, row.credit_amount, money)
            self.formula(
                ws,
                r,
                24,
                f'=IF(OR(J{n}="",X{n}=""),AND(J{n}="",X{n}=""),ROUND(J{n}-X{n},6)=0)',
                True,
            )
        self.finish_table(ws, len(c), len(headers))

    def claims_sheet(self) -> None:
        c = self.r.credits
        terms = self.r.terms.set_index("sla_version")
        claimable = c.index[
            (c["kind"] == "provider") & ((c["credit_amount"] > 0) | c["credit_amount"].isna())
        ]
        headers = [
            "Company",
            "Contract",
            "Month (UTC)",
            "Credit",
            "Currency",
            "Claim by (UTC date)",
            "SLA terms",
            "How to claim",
            "Source",
            "Verified",
            "Needs review",
            "Why review",
        ]
        ws = self.sheet(
            "Claims", headers, [22, 22, 10, 16, 9, 12, 30, 50, 50, 9, 9, 50], freeze_cols=2
        )
        how = dict(zip(terms.index, terms["claim_how"], strict=True))
        source = dict(zip(terms.index, terms["source"], strict=True))
        verified = dict(zip(terms.index, terms["verified"], strict=True))
        wanted = set(claimable.tolist())
        k = 0
        for i, row in enumerate(_rows(c)):
            if i not in wanted:
                continue
            k += 1
            r = k
            n = i + 2  # the row on the Credits sheet
            self.put(ws, r, 0, row.company_id)
            self.put(ws, r, 1, row.contract_id)
            self.put(ws, r, 2, row.month)
            self.formula(ws, r, 3, f"=Credits!J{n}", row.credit_amount, self.money(row.currency))
            self.put(ws, r, 4, row.currency)
            self.put(ws, r, 5, row.claim_deadline, self.f_date)
            self.put(ws, r, 6, row.sla_version)
            self.put(ws, r, 7, how[row.sla_version], self.f_wrap)
            self.put(ws, r, 8, source[row.sla_version], self.f_wrap)
            self.put(ws, r, 9, bool(verified[row.sla_version]))
            self.put(ws, r, 10, bool(row.needs_review))
            self.put(ws, r, 11, row.review_reason, self.f_wrap)
        self.finish_table(ws, len(claimable), len(headers))

    def recoveries_sheet(self) -> None:
        rec, steps = self.r.recoveries, self.r.recovery_steps
        headers = [label(x) for x in rec.columns] + [
            "Waiting hours",
            "Cover",
            "Hourly payout",
            "Deductible",
            "Limit",
            "Loss in covered time (engine)",
            "Before limit (minor units)",
            "Running total (minor units)",
            "After limit (minor units)",
            "Minor unit",
            "Rounded running total (minor units)",
            "Export value",
            "Matches export",
        ]
        widths = [22, 22, 20, 20, 9, 11, 16, 9, 9, 11, 13, 13, 13, 16, 16, 16, 16, 8, 16, 14, 9]
        ws = self.sheet("Recoveries", headers, widths, calc_from=len(rec.columns))
        n_con = len(self.r.inputs.contracts) + 1
        con = {name: xl_col_to_name(i) for i, name in enumerate(CONTRACTS.column_names)}

        def lookup(column: str, n: int, blank: bool = False) -> str:
            ref = (
                f"INDEX(contracts!${con[column]}$2:${con[column]}${n_con},"
                f"MATCH($A{n},contracts!$A$2:$A${n_con},0))"
            )
            return f'=IF({ref}="","",{ref})' if blank else f"={ref}"

        con_frame = self.r.inputs.contracts
        looked_up = {
            col: dict(zip(con_frame["contract_id"], con_frame[col].tolist(), strict=True))
            for col in ("waiting_hours", "cover", "hourly_payout", "deductible", "limit")
        }
        for i, (row, step) in enumerate(zip(_rows(rec), _rows(steps), strict=True)):
            r = i + 1
            n = r + 1
            money = self.money(row.currency)
            self.put(ws, r, 0, row.contract_id)
            self.put(ws, r, 1, row.company_id)
            self.put(ws, r, 2, row.episode_start, self.f_datetime)
            self.put(ws, r, 3, row.episode_end, self.f_datetime)
            self.put(ws, r, 4, row.hours, self.f_hours)
            self.formula(ws, r, 5, f"=MAX(0,E{n}-I{n})", row.covered_hours, self.f_hours)
            prev = f"-IF($A{n}=$A{n - 1},S{n - 1},0)" if r > 1 else ""
            self.formula(ws, r, 6, f"=(S{n}{prev})/10^R{n}", row.payout, money)
            self.put(ws, r, 7, row.currency)
            for col, (name, blank, fmt) in enumerate(
                (
                    ("waiting_hours", False, self.f_hours),
                    ("cover", False, None),
                    ("hourly_payout", True, money),
                    ("deductible", True, money),
                    ("limit", True, money),
                ),
                start=8,
            ):
                self.formula(
                    ws, r, col, lookup(name, n, blank=blank), looked_up[name][row.contract_id], fmt
                )
            self.put(ws, r, 13, step.covered_loss, money)
            self.formula(
                ws,
                r,
                14,
                f'=IF(J{n}="parametric",K{n}*10^R{n}*F{n},MAX(0,(N{n}-L{n})*10^R{n}))',
                step.before_limit_minor,
                self.f_minor,
            )
            running = f"+IF($A{n}=$A{n - 1},P{n - 1},0)" if r > 1 else ""
            self.formula(ws, r, 15, f"=O{n}{running}", step.running_minor, self.f_minor)
            self.formula(
                ws,
                r,
                16,
                f'=IF(M{n}="",P{n},MIN(P{n},M{n}*10^R{n}))',
                step.capped_minor,
                self.f_minor,
            )
            self.put(ws, r, 17, int(step.minor_unit))
            self.formula(ws, r, 18, f"=ROUND(ROUND(Q{n},6),0)", step.rounded_minor, self.f_minor)
            self.put(ws, r, 19, row.payout, money)
            self.formula(ws, r, 20, f"=ROUND(G{n}-T{n},6)=0", True)
        self.finish_table(ws, len(rec), len(headers))

    def terms_sheet(self) -> None:
        t = self.r.terms
        ws = self.sheet(
            "Terms",
            list(t.columns),
            [34, 12, 30, 9, 8, 9, 9, 12, 26, 50, 26, 14, 12, 12, 10, 50, 50, 9],
        )
        self._frame_rows(ws, t, {"effective_from": self.f_date, "superseded_on": self.f_date})
        self.finish_table(ws, len(t), len(t.columns))

    def tiers_sheet(self) -> None:
        t = self.r.tiers
        ws = self.sheet(
            "Tiers", ["sla_version", "below_pct", "credit_pct", "increment_pct"], [34, 10, 10, 12]
        )
        for i, row in enumerate(_rows(t)):
            r = i + 1
            n = r + 1
            self.put(ws, r, 0, row.sla_version)
            self.put(ws, r, 1, row.below_pct, self.f_pct)
            self.put(ws, r, 2, row.credit_pct, self.f_pct)
            first = i == 0 or t["sla_version"].iloc[i - 1] != row.sla_version
            prev_credit = 0.0 if first else float(t["credit_pct"].iloc[i - 1])
            text = f"=C{n}" if r == 1 else f"=C{n}-IF($A{n}=$A{n - 1},C{n - 1},0)"
            self.formula(ws, r, 3, text, float(row.credit_pct) - prev_credit, self.f_pct)
        self.finish_table(ws, len(t), 4)

    def input_sheets(self) -> None:
        frames = self.r.inputs.to_frames()
        for table in TABLES:
            frame = frames[table.name]
            ws = self.sheet(
                table.name,
                table.column_names,
                [max(12, min(40, len(c) + 4)) for c in table.column_names],
            )
            self._frame_rows(ws, frame)
            self.finish_table(ws, len(frame), len(table.column_names))

    def methodology_sheet(self) -> None:
        import estimator

        ws = self.book.add_worksheet("Methodology")
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 110)
        r = self.r
        ws.write_string(0, 0, "Outage loss and SLA credit estimate", self.f_title)
        facts: list[tuple[str, str]] = [
            ("As of (UTC)", f"{r.as_of:%Y-%m-%d %H:%M:%S}"),
            ("Dependency rule", r.dependency_rule),
            ("Project version", f"sla-estimator {estimator.__version__}"),
            ("Inputs", r.inputs.source or "DataFrames"),
            ("Ongoing outages run to the as-of time", ", ".join(r.ongoing) or "none"),
            ("SLA terms used", "; ".join(r.terms["sla_version"]) or "none"),
        ]
        row = 2
        for key, value in facts:
            ws.write_string(row, 0, key, self.f_bold)
            self.put(ws, row, 1, value, self.f_wrap)
            row += 1
        for title, lines in METHODOLOGY_TEXT:
            row += 1
            ws.write_string(row, 0, title, self.f_bold)
            for line in lines:
                ws.write_string(row, 1, line, self.f_wrap)
                row += 1

    def _frame_rows(
        self, ws: Any, frame: pd.DataFrame, formats: dict[str, Any] | None = None
    ) -> None:
        fmts = [(formats or {}).get(c) for c in frame.columns]
        for i, values in enumerate(_columns(frame)):
            for j, value in enumerate(values):
                self.put(ws, i + 1, j, value, fmts[j])


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Rows as named tuples of plain Python values (built from whole columns, fast)."""
    row = namedtuple("Row", list(frame.columns), rename=True)  # type: ignore[misc]
    return (row(*values) for values in _columns(frame))


ALLOWED_FUNCTIONS = frozenset(
    {
        "INDEX",
        "MATCH",
        "SUMPRODUCT",
        "SUMIFS",
        "SUMIF",
        "SUM",
        "ROUND",
        "MIN",
        "MAX",
        "IF",
        "AND",
        "OR",
    }
)
"""Every function the workbook's formulas use: all computed by Excel and LibreOffice alike."""


def _plain_formula(formula: str, expand_future_functions: bool = False) -> str:
    return formula[1:] if formula.startswith("=") else formula


def _columns(frame: pd.DataFrame, names: Sequence[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples of plain Python values, column by column (fast for wide frames)."""
    cols = list(names) if names is not None else list(frame.columns)
    return zip(*(frame[c].tolist() for c in cols), strict=True) if cols else iter(())


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _serial(value: pd.Timestamp | dt.date) -> float:
    ts = pd.Timestamp(value)
    if ts.tzinfo:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return float((ts - pd.Timestamp(EXCEL_EPOCH)) / pd.Timedelta(days=1))


def _blocks(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Company -> (first, last) sheet row of its contiguous block (rows sorted by company)."""
    if frame.empty:
        return {}
    ids = frame["company_id"].to_numpy()
    out: dict[str, tuple[int, int]] = {}
    start = 0
    for k in range(1, len(ids) + 1):
        if k == len(ids) or ids[k] != ids[start]:
            out[str(ids[start])] = (start + 2, k + 1)
            start = k
    return out


def write_workbook(results: Results) -> bytes:
    """The workbook as bytes."""
    return _Writer(results).write()


__all__ = ["write_workbook"]
