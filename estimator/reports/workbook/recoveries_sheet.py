"""The Recoveries sheet: one row per insurance episode, each step of the payout a formula.

The cover's terms are looked up on the contracts sheet (and the gross margin on the
companies sheet); the losses in the covered time and the SLA credits deducted are the
engine's (integrals and links a formula cannot redo). Then, as METHODOLOGY.md § Insurance
orders them: the policy period, the covered hours, the loss on the cover's basis, less the
credits and the deductible, times the insurer's share, the occurrence limit, the running total
and the aggregate limit, rounded once. Every formula carries the engine's value; "Matches
export" compares them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from estimator.inputs.vocabulary import INSURANCE_TERMS
from estimator.reports.workbook.calc_sheets import blank_nan, column_formats, widths, write_rows
from estimator.reports.workbook.cells import Book, Layout

if TYPE_CHECKING:
    from estimator.results.results import Results

MONEY = (
    "payout",
    "hourly_payout",
    "deductible",
    "limit",
    "occurrence_limit",
    "covered_revenue",
    "covered_costs",
    "basis_loss",
    "credits_deducted",
    "export_value",
)
PLACES = {
    "hours": 4,
    "covered_hours": 4,
    "waiting_hours": 4,
    "share": 6,
    "gross_margin": 6,
    "before_limit_minor": 6,
    "occurrence_minor": 6,
    "running_minor": 6,
    "capped_minor": 6,
    "rounded_minor": 6,
}
DATETIMES = ("inception", "expiry")


def recoveries_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    R = L["Recoveries"]
    ws = b.sheet(
        R,
        widths(R) | {"episode_start": 20, "episode_end": 20, "policy_period": 24},
        calc_from="waiting_hours",
    )
    rec, steps = r.recoveries, r.recovery_steps
    values: dict[str, list[Any]] = {n: rec[n].tolist() for n in rec.columns}
    values |= {n: steps[n].tolist() for n in steps.columns}
    con = r.inputs.contracts.set_index("contract_id")
    for t in INSURANCE_TERMS:
        found = con[t].reindex(values["contract_id"])
        values[t] = [blank_nan(v) for v in found.tolist()]
    margin = r.inputs.companies.set_index("company_id")["gross_margin"]
    values["gross_margin"] = [blank_nan(v) for v in margin.reindex(values["company_id"])]
    values["export_value"] = values["payout"]
    values["matches_export"] = [True] * len(rec)
    formats = column_formats(b, R.columns, values, PLACES, MONEY)
    for name in DATETIMES:
        formats[name] = b.f_datetime
    formulas = _Formulas(L, len(r.inputs.contracts) + 1, len(r.inputs.companies) + 1)
    write_rows(b, ws, R, len(rec), values, formats, formulas.row)
    b.finish(ws, len(rec), len(R.columns))


class _Formulas:
    """The formulas of one Recoveries row, by column name."""

    def __init__(self, L: dict[str, Layout], last_contract: int, last_company: int):
        self.R, self.con, self.co = L["Recoveries"], L["contracts"], L["companies"]
        self.last_contract, self.last_company = last_contract, last_company

    def lookup(self, column: str, n: int, blank: bool = False) -> str:
        con, R = self.con, self.R
        ref = (
            f"INDEX({con.span(column, 2, self.last_contract)},"
            f"MATCH(${R['contract_id']}{n},{con.span('contract_id', 2, self.last_contract)},0))"
        )
        return f'=IF({ref}="","",{ref})' if blank else f"={ref}"

    def margin(self, n: int) -> str:
        co, R = self.co, self.R
        ref = (
            f"INDEX({co.span('gross_margin', 2, self.last_company)},"
            f"MATCH(${R['company_id']}{n},{co.span('company_id', 2, self.last_company)},0))"
        )
        return f'=IF({ref}="","",{ref})'

    def row(self, n: int) -> dict[str, str]:
        R = self.R
        c = {name: f"{letter}{n}" for name, letter in R.letters.items()}
        same = f"${R['contract_id']}{n}=${R['contract_id']}{n - 1}"
        first = n == 2
        scale = f"10^{c['minor_unit']}"
        terms = {t: self.lookup(t, n, blank=t != "cover") for t in INSURANCE_TERMS}
        terms["waiting_hours"] = self.lookup("waiting_hours", n)
        start = c["episode_start"]
        indemnity = (
            f'MAX(0,({c["basis_loss"]}-IF({c["other_recoveries"]}="deduct",'
            f"{c['credits_deducted']},0))*{scale}-{c['deductible']}*{scale})*{c['share']}"
        )
        return terms | {
            "gross_margin": self.margin(n),
            "in_policy_period": f'=AND(OR({c["inception"]}="",{start}>={c["inception"]}),'
            f'OR({c["expiry"]}="",{start}<{c["expiry"]}))',
            "covered_hours": f"=MAX(0,{c['hours']}-{c['waiting_hours']})",
            "basis_loss": f'=IF({c["cover"]}="parametric","",IF({c["basis"]}="gross_profit",'
            f"{c['covered_revenue']}*{c['gross_margin']},{c['covered_revenue']})"
            f"+{c['covered_costs']})",
            "before_limit_minor": f"=IF({c['in_policy_period']},"
            f'IF({c["cover"]}="parametric",'
            f"{c['hourly_payout']}*{scale}*{c['covered_hours']}*{c['share']},{indemnity}),0)",
            "occurrence_minor": f'=IF({c["occurrence_limit"]}="",{c["before_limit_minor"]},'
            f"MIN({c['before_limit_minor']},{c['occurrence_limit']}*{scale}))",
            "running_minor": f"={c['occurrence_minor']}"
            + ("" if first else f"+IF({same},{R['running_minor']}{n - 1},0)"),
            "capped_minor": f'=IF({c["limit"]}="",{c["running_minor"]},'
            f"MIN({c['running_minor']},{c['limit']}*{scale}))",
            "rounded_minor": f"=ROUND(ROUND({c['capped_minor']},6),0)",
            "payout": f"=({c['rounded_minor']}"
            + ("" if first else f"-IF({same},{R['rounded_minor']}{n - 1},0)")
            + f")/{scale}",
            "matches_export": f"=ROUND({c['payout']}-{c['export_value']},6)=0",
        }
