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
            f"AAL ({cur})": [format_money(v, cur) for v in h["aal"]],
            "AEP 1-in-100": [format_money(v, cur) for v in h["aep_100"]],
            "AEP 1-in-250": [format_money(v, cur) for v in h["aep_250"]],
            "OEP 1-in-100": [format_money(v, cur) for v in h["oep_100"]],
            "OEP 1-in-250": [format_money(v, cur) for v in h["oep_250"]],
        }
    )
    acc = r.accumulation
    regions = acc[acc["level"] == "provider-region"].head(SHOWN_EVENTS)
    events = acc[acc["level"] == "event"].head(SHOWN_EVENTS)
    with pd.option_context("display.max_rows", None, "display.width", 250):
        lines.append(table.to_string(index=False))
        lines += ["", "Where the loss accumulates (provider-region, by average annual loss):"]
        lines.append(_accumulation(regions, cur, ["key", "events", "aal_total_loss"]))
        lines += ["", "Largest simulated events:"]
        lines.append(_accumulation(events, cur, ["key", "year", "total_loss"]))
    return "\n".join(lines)


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
