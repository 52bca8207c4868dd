"""The Credits sheet, each rule step as a formula, and the helpers the calculation sheets
share (Recoveries: ``recoveries_sheet.py``).

Credits: uptime from minutes, the tier lookup on the Tiers sheet, the fee looked
up on the contracts sheet, the cap, the rounding and the minimum credit. Every
formula carries the engine's value; "Matches export" compares them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from estimator.reports.workbook.cells import Book, Layout

if TYPE_CHECKING:
    from estimator.results.results import Results

CALC_WIDTHS = {"review_reason": 40, "sla_version": 30, "outside_scope": 30, "claim_status": 18}


def widths(layout: Layout) -> dict[str, float]:
    return {name: 14.0 for name in layout.columns} | {"contract_id": 22} | CALC_WIDTHS


class _CreditFormulas:
    """The formulas of one Credits row, by column name."""

    def __init__(
        self,
        L: dict[str, Layout],
        n_contracts: int,
        n_terms: int,
        n_tiers: int,
        n_charges: int = 0,
    ):
        self.C = L["Credits"]
        self.con = L["contracts"]
        self.terms = L["Terms"]
        self.tiers = L["Tiers"]
        self.charges = L["charges"]
        self.n_con, self.n_terms, self.n_tiers = n_contracts + 1, n_terms + 1, n_tiers + 1
        self.n_charges = n_charges + 1 if n_charges else 0

    def contract(self, column: str, n: int) -> str:
        return f"INDEX({self.con.span(column, 2, self.n_con)},{self.C['contract_row']}{n})"

    def fee(self, n: int) -> str:
        """The credit base: the contract's monthly_fee, or (fee_source charges) the month's
        charges of its provider, service and region (its account's, or every account's when
        it names none), falling back to the service's global rows (blank region)."""
        typed = f"=INDEX({self.con.span('monthly_fee', 2, self.n_con)},{self.C['contract_row']}{n})"
        if not self.n_charges:
            return typed
        ch = {c: self.charges.span(c, 2, self.n_charges) for c in self.charges.columns}
        account = self.contract("account", n)
        match = (
            f"({ch['provider']}={self.contract('provider', n)})*"
            f"({ch['service']}={self.contract('service', n)})*"
            f"({ch['month']}=${self.C['month']}{n})*"
            f'((({account}="")+({ch["account"]}={account}))>0)'
        )
        region = f"({ch['region']}={self.contract('region', n)})"
        world = f'({ch["region"]}="")'
        rows, total = (
            f"SUMPRODUCT({match}*{region})",
            f"SUMPRODUCT({match}*{region}*{ch['charges']})",
        )
        global_rows = f"SUMPRODUCT({match}*{world})"
        global_total = f"SUMPRODUCT({match}*{world}*{ch['charges']})"
        from_charges = f'IF({rows}>0,{total},IF({global_rows}>0,{global_total},""))'
        return f'=IF(${self.C["fee_source"]}{n}="charges",{from_charges},{typed[1:]})'

    def term(self, column: str, n: int) -> str:
        return f"INDEX({self.terms.span(column, 2, self.n_terms)},{self.C['terms_row']}{n})"

    def all(self, n: int) -> dict[str, str]:
        c = {name: f"{letter}{n}" for name, letter in self.C.letters.items()}
        tiers = self.tiers
        lookup = (
            f"SUMPRODUCT(({tiers.span('sla_version', 2, self.n_tiers)}=${c['sla_version']})*"
            f"({tiers.span('below_pct', 2, self.n_tiers)}>ROUND({c['uptime_pct']},9))*"
            f"{tiers.span('increment_pct', 2, self.n_tiers)})"
        )
        blank = f'IF({c["credit_pct"]}="",""'
        scale = f"10^{c['minor_unit']}"
        cap = self.term("cap_pct", n)
        minimum_applies = (
            f'IF({self.term("min_credit_rule", n)}="greater_than",'
            f"{c['rounded_minor']}<={c['minimum_minor']},{c['rounded_minor']}<{c['minimum_minor']})"
        )
        con_rows = self.con.span("contract_id", 2, self.n_con)
        return {
            "uptime_pct": f"=100*({c['minutes_in_month']}-{c['downtime_minutes']})"
            f"/{c['minutes_in_month']}",
            "credit_pct": f'=IF({c["method"]}="tiers",{lookup},IF({c["method"]}="proportional",'
            f'{self.term("multiplier", n)}*(100-{c["uptime_pct"]}),""))',
            "monthly_fee": self.fee(n),
            "credit_amount": f'={blank},IF({c["minimum_minor"]}="",{c["rounded_minor"]},'
            f"IF({minimum_applies},0,{c['rounded_minor']}))/{scale})",
            "contract_row": f"=MATCH(${c['contract_id']},{con_rows},0)",
            "terms_row": f"=MATCH(${c['sla_version']},"
            f"{self.terms.span('sla_version', 2, self.n_terms)},0)",
            "method": f"={self.term('method', n)}",
            "before_cap_minor": f"={blank},N({c['monthly_fee']})*{scale}*{c['credit_pct']}/100)",
            "cap_minor": f'={blank},IF({cap}="","",N({c["monthly_fee"]})*{scale}*{cap}/100))',
            "rounded_minor": f'={blank},ROUND(ROUND(IF({c["cap_minor"]}="",'
            f"{c['before_cap_minor']},MIN({c['before_cap_minor']},{c['cap_minor']})),6),0))",
            "minimum_minor": f"={blank},IF({self.term('min_credit_currency', n)}="
            f'{c["currency"]},{self.term("min_credit", n)}*{scale},""))',
            "matches_export": f'=IF(OR({c["credit_amount"]}="",{c["export_value"]}=""),'
            f'AND({c["credit_amount"]}="",{c["export_value"]}=""),'
            f"ROUND({c['credit_amount']}-{c['export_value']},6)=0)",
        }


def credits_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    C = L["Credits"]
    ws = b.sheet(C, widths(C), calc_from="minor_unit")
    f = _CreditFormulas(
        L, len(r.inputs.contracts), len(r.terms), max(len(r.tiers), 1), len(r.inputs.charges)
    )
    method = dict(zip(r.terms["sla_version"], r.terms["method"], strict=True))
    contract_row = {v: i + 1 for i, v in enumerate(r.inputs.contracts["contract_id"])}
    term_row = {v: i + 1 for i, v in enumerate(r.terms["sla_version"])}
    c, steps = r.credits, r.credit_steps
    values: dict[str, list[Any]] = {n: c[n].tolist() for n in c.columns}
    values |= {n: steps[n].tolist() for n in steps.columns}
    values["contract_row"] = [contract_row[x] for x in values["contract_id"]]
    values["terms_row"] = [term_row[x] for x in values["sla_version"]]
    values["method"] = [method[x] for x in values["sla_version"]]
    values["export_value"] = values["credit_amount"]
    values["matches_export"] = [True] * len(c)
    formats = column_formats(b, C.columns, values, CREDIT_PLACES, CREDIT_MONEY)
    write_rows(b, ws, C, len(c), values, formats, f.all)
    b.finish(ws, len(c), len(C.columns))


CREDIT_MONEY = ("monthly_fee", "credit_amount", "export_value")
CREDIT_PLACES = {
    "downtime_minutes": 2,
    "minutes_in_month": 2,
    "uptime_pct": 6,
    "credit_pct": 6,
    "before_cap_minor": 6,
    "cap_minor": 6,
    "rounded_minor": 6,
    "minimum_minor": 6,
}
DATES = {"claim_deadline": "date", "episode_start": "datetime", "episode_end": "datetime"}


def column_formats(
    b: Book,
    columns: list[str],
    values: dict[str, list[Any]],
    places: dict[str, int],
    money: tuple[str, ...],
) -> dict[str, list[Any] | Any]:
    """Each column's cell format: per row (money by currency, decimals by value) or one."""
    n = len(values["currency"])
    by_currency = [b.money(cur) for cur in values["currency"]]
    out: dict[str, list[Any] | Any] = {}
    for name in columns:
        if name in money:
            out[name] = by_currency
        elif name in places:
            out[name] = b.places_column(values.get(name, [None] * n), places[name])
        elif name in DATES:
            out[name] = b.f_date if DATES[name] == "date" else b.f_datetime
        else:
            out[name] = None
    return out


def write_rows(
    b: Book,
    ws: Any,
    layout: Layout,
    n_rows: int,
    values: dict[str, list[Any]],
    formats: dict[str, list[Any] | Any],
    formulas_of: Any,
) -> None:
    """Write every row: a formula (with its cached value) where the row has one, else the value."""
    names = layout.columns
    blank: list[Any] = [None] * n_rows
    columns = [values.get(name, blank) for name in names]
    fmts = [formats.get(name) for name in names]
    for i in range(n_rows):
        formulas = formulas_of(i + 2)
        for c, name in enumerate(names):
            fmt = fmts[c]
            if isinstance(fmt, list):
                fmt = fmt[i]
            text = formulas.get(name)
            if text is not None:
                b.formula(ws, i + 1, c, text, columns[c][i], fmt)
            else:
                b.put(ws, i + 1, c, columns[c][i], fmt)


def blank_nan(value: Any) -> Any:
    return None if not isinstance(value, str) and pd.isna(value) else value
