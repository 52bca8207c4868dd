"""The printed risk report: settings, the portfolio's AAL and 1-in-100 / 1-in-250 losses per
measure, and where the loss accumulates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from estimator.columns import label
from estimator.display import format_money

if TYPE_CHECKING:
    from estimator.portfolio.results import RiskResults

SHOWN_EVENTS = 5


def render_risk(r: RiskResults) -> str:
    cur = r.reporting_currency
    lines = [
        f"Portfolio risk: {r.n_years:,} simulated years, reporting currency {cur}, dependency "
        f"rule {r.dependency_rule!r}" + "".join(f"; {k} {v}" for k, v in r.settings.items()),
        "AAL: average annual value; AEP: the year's total; OEP: the year's largest event; "
        "1-in-T: the value exceeded once in T years on average.",
        "",
    ]
    h = r.headline()
    table = pd.DataFrame(
        {
            "Measure": h["measure"].map(label),
            f"AAL ({cur}) ± SE": _with_se(h, "aal", cur),
            **{
                f"{kind} 1-in-{t} ± SE": _with_se(h, f"{kind.lower()}_{t}", cur)
                for kind in ("AEP", "OEP")
                for t in (100, 250)
            },
        }
    )
    acc = r.accumulation
    regions = acc[acc["level"] == "provider-region"].head(SHOWN_EVENTS)
    events = acc[acc["level"] == "event"].head(SHOWN_EVENTS)
    with pd.option_context("display.max_rows", None, "display.width", 250):
        lines.append(table.to_string(index=False))
        lines += ["", f"Portfolio total loss by return period ({cur}; SE: standard error):"]
        lines.append(_by_return_period(r))
        lines += ["", _CONVERGENCE]
        lines.append(_convergence(r))
        lines += ["", "Where the loss accumulates (provider-region, by average annual loss):"]
        lines.append(_accumulation(regions, cur, ["key", "events", "aal_total_loss"]))
        lines += ["", "Largest simulated events:"]
        lines.append(_accumulation(events, cur, ["key", "year", "total_loss"]))
    return "\n".join(lines)


_CONVERGENCE = (
    "Convergence of the portfolio's total loss on the first years priced (if the last rows "
    "still move by more than their SE, more years would change the answer):"
)


def _with_se(frame: pd.DataFrame, column: str, cur: str) -> list[str]:
    """``value ± standard error`` per row; a blank standard error shows the value alone."""
    out = []
    for value, se in zip(frame[column], frame[f"{column}_se"], strict=True):
        if pd.isna(value):
            out.append("")
        elif pd.isna(se):
            out.append(format_money(value, cur))
        else:
            out.append(f"{format_money(value, cur)} ± {format_money(se, cur)}")
    return out


def _by_return_period(r: RiskResults) -> str:
    e = r.ept
    rows = e[(e["company_id"] == "portfolio") & (e["measure"] == "total_loss")]
    rows = rows.rename(columns={"se": "loss_se"})
    aep = rows[rows["ep_type"] == "AEP"].set_index("return_period")
    oep = rows[rows["ep_type"] == "OEP"].set_index("return_period")
    if aep.empty:
        return "(too few years for a return period)"
    shown = pd.DataFrame(
        {
            "Return period": [f"1-in-{t:,}" for t in aep.index],
            "AEP ± SE": _with_se(aep.reset_index(), "loss", r.reporting_currency),
            "OEP ± SE": _with_se(
                oep.reindex(aep.index).reset_index(), "loss", r.reporting_currency
            ),
        }
    )
    return shown.to_string(index=False)


def _convergence(r: RiskResults) -> str:
    c = r.convergence
    c = c[c["measure"] == "total_loss"] if len(c) else c
    if c.empty:
        return "(none)"
    cur = r.reporting_currency
    shown = pd.DataFrame(
        {
            "Years": [f"{n:,}" for n in c["years"]],
            "AAL ± SE": _with_se(c, "aal", cur),
            "AEP 1-in-100 ± SE": _with_se(c, "aep_100", cur),
            "AEP 1-in-250 ± SE": _with_se(c, "aep_250", cur),
        }
    )
    return shown.to_string(index=False)


def _accumulation(frame: pd.DataFrame, cur: str, columns: list[str]) -> str:
    if frame.empty:
        return "(none)"
    shown = pd.DataFrame(
        {
            "Key": frame["key"],
            **({"Year": frame["year"].astype("Int64")} if "year" in columns else {}),
            **({"Events": frame["events"]} if "events" in columns else {}),
            # per event a count; per provider-region the mean count per event
            ("Companies hit" if "year" in columns else "Companies hit (mean)"): frame[
                "companies_hit"
            ].map(lambda v: f"{v:,.0f}" if "year" in columns else f"{v:,.1f}"),
            f"Loss ({cur})": [
                format_money(v, cur)
                for v in frame["aal_total_loss" if "aal_total_loss" in columns else "total_loss"]
            ],
            "Largest contributors": frame["largest_contributors"],
        }
    )
    return shown.to_string(index=False)
