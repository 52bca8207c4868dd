"""The sheets that show each rule step as a formula: Credits and Recoveries.

Credits: uptime from minutes, the tier lookup on the Tiers sheet, the fee looked
up on the contracts sheet, the cap, the rounding and the minimum credit.
Recoveries: covered hours, the payout per episode and the limit on the running
total. Every formula carries the engine's value; "Matches export" compares them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from estimator.reports.workbook.cells import Book, Layout, rows

if TYPE_CHECKING:
    from estimator.results import Results

CALC_WIDTHS = {"review_reason": 40, "sla_version": 30, "outside_scope": 30, "claim_status": 18}


def _widths(layout: Layout) -> dict[str, float]:
    return {name: 14.0 for name in layout.columns} | {"contract_id": 22} | CALC_WIDTHS


class _CreditFormulas:
    """The formulas of one Credits row, by column name."""

    def __init__(self, L: dict[str, Layout], n_contracts: int, n_terms: int, n_tiers: int):
        self.C = L["Credits"]
        self.con = L["contracts"]
        self.terms = L["Terms"]
        self.tiers = L["Tiers"]
        self.n_con, self.n_terms, self.n_tiers = n_contracts + 1, n_terms + 1, n_tiers + 1

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
            "monthly_fee": f"=INDEX({self.con.span('monthly_fee', 2, self.n_con)},"
            f"{c['contract_row']})",
            "credit_amount": f'={blank},IF({c["minimum_minor"]}="",{c["rounded_minor"]},'
            f"IF({minimum_applies},0,{c['rounded_minor']}))/{scale})",
            "contract_row": f"=MATCH(${c['contract_id']},{con_rows},0)",
            "terms_row": f"=MATCH(${c['sla_version']},"
            f"{self.terms.span('sla_version', 2, self.n_terms)},0)",
            "method": f"={self.term('method', n)}",
            "before_cap_minor": f"={blank},{c['monthly_fee']}*{scale}*{c['credit_pct']}/100)",
            "cap_minor": f'={blank},IF({cap}="","",{c["monthly_fee"]}*{scale}*{cap}/100))',
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
    ws = b.sheet(C, _widths(C), calc_from="minor_unit")
    f = _CreditFormulas(L, len(r.inputs.contracts), len(r.terms), max(len(r.tiers), 1))
    terms = r.terms.set_index("sla_version")
    contract_row = {v: i + 1 for i, v in enumerate(r.inputs.contracts["contract_id"])}
    term_row = {v: i + 1 for i, v in enumerate(r.terms["sla_version"])}
    for i, (row, step) in enumerate(zip(rows(r.credits), rows(r.credit_steps), strict=True)):
        n = i + 2
        values = row._asdict() | step._asdict()
        values |= {
            "contract_row": contract_row[row.contract_id],
            "terms_row": term_row[row.sla_version],
            "method": terms.loc[row.sla_version, "method"],
            "export_value": row.credit_amount,
            "matches_export": True,
        }
        formulas = f.all(n)
        money = b.money(row.currency)
        for c, name in enumerate(C.columns):
            value = values.get(name)
            fmt = _credit_format(b, name, value, money)
            if name in formulas:
                b.formula(ws, n - 1, c, formulas[name], value, fmt)
            else:
                b.put(ws, n - 1, c, value, fmt)
    b.finish(ws, len(r.credits), len(C.columns))


def _credit_format(b: Book, name: str, value: Any, money: Any) -> Any:
    if name in ("monthly_fee", "credit_amount", "export_value"):
        return money
    if name in ("downtime_minutes", "minutes_in_month"):
        return b.places(value, 2)
    if name in ("uptime_pct", "credit_pct"):
        return b.places(value, 6)
    if name.endswith("_minor"):
        return b.places(value, 6)
    if name == "claim_deadline":
        return b.f_date
    return None


def recoveries_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    R, con = L["Recoveries"], L["contracts"]
    ws = b.sheet(
        R, _widths(R) | {"episode_start": 20, "episode_end": 20}, calc_from="waiting_hours"
    )
    n_con = len(r.inputs.contracts) + 1
    contracts = r.inputs.contracts.set_index("contract_id")
    terms = ("waiting_hours", "cover", "hourly_payout", "deductible", "limit")
    for i, (row, step) in enumerate(zip(rows(r.recoveries), rows(r.recovery_steps), strict=True)):
        n = i + 2
        c = {name: f"{letter}{n}" for name, letter in R.letters.items()}
        same = f"${R['contract_id']}{n}=${R['contract_id']}{n - 1}"
        values: dict[str, Any] = row._asdict() | step._asdict() | {"export_value": row.payout}
        values |= {t: _blank_nan(contracts.loc[row.contract_id, t]) for t in terms}
        values["matches_export"] = True

        def lookup(column: str, blank: bool = False, n: int = n) -> str:
            ref = (
                f"INDEX({con.span(column, 2, n_con)},"
                f"MATCH(${R['contract_id']}{n},{con.span('contract_id', 2, n_con)},0))"
            )
            return f'=IF({ref}="","",{ref})' if blank else f"={ref}"

        scale = f"10^{c['minor_unit']}"
        formulas = {
            "covered_hours": f"=MAX(0,{c['hours']}-{c['waiting_hours']})",
            "payout": f"=({c['rounded_minor']}"
            + (f"-IF({same},{R['rounded_minor']}{n - 1},0)" if i else "")
            + f")/{scale}",
            "waiting_hours": lookup("waiting_hours"),
            "cover": lookup("cover"),
            "hourly_payout": lookup("hourly_payout", blank=True),
            "deductible": lookup("deductible", blank=True),
            "limit": lookup("limit", blank=True),
            "before_limit_minor": f'=IF({c["cover"]}="parametric",'
            f"{c['hourly_payout']}*{scale}*{c['covered_hours']},"
            f"MAX(0,({c['covered_loss']}-{c['deductible']})*{scale}))",
            "running_minor": f"={c['before_limit_minor']}"
            + (f"+IF({same},{R['running_minor']}{n - 1},0)" if i else ""),
            "capped_minor": f'=IF({c["limit"]}="",{c["running_minor"]},'
            f"MIN({c['running_minor']},{c['limit']}*{scale}))",
            "rounded_minor": f"=ROUND(ROUND({c['capped_minor']},6),0)",
            "matches_export": f"=ROUND({c['payout']}-{c['export_value']},6)=0",
        }
        money = b.money(row.currency)
        for col, name in enumerate(R.columns):
            value = values.get(name)
            fmt = _recovery_format(b, name, value, money)
            if name in formulas:
                b.formula(ws, n - 1, col, formulas[name], value, fmt)
            else:
                b.put(ws, n - 1, col, value, fmt)
    b.finish(ws, len(r.recoveries), len(R.columns))


def _blank_nan(value: Any) -> Any:
    return None if not isinstance(value, str) and pd.isna(value) else value


def _recovery_format(b: Book, name: str, value: Any, money: Any) -> Any:
    if name in ("payout", "hourly_payout", "deductible", "limit", "covered_loss", "export_value"):
        return money
    if name in ("hours", "covered_hours", "waiting_hours"):
        return b.places(value, 4)
    if name.endswith("_minor"):
        return b.places(value, 6)
    if name in ("episode_start", "episode_end"):
        return b.f_datetime
    return None
