"""The printed report of the command line: every table as text, as its columns say."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from estimator.columns import label
from estimator.display import display_frame, format_money
from estimator.results.claims import claims
from estimator.results.review import review_rows, review_summary
from estimator.table_columns import CREDIT_COLUMNS, LOSS_COLUMNS

if TYPE_CHECKING:
    from estimator.results.results import Results
    from estimator.uncertainty.simulation import Simulation

CREDIT_SHOWN = [
    c
    for c in CREDIT_COLUMNS
    if c not in ("company_id", "minutes_in_month", "monthly_fee", "review_reason")
]
"""The credit columns the console prints: all but the wide ones (the JSON and workbook have
every column)."""
RECOVERY_SHOWN = [
    "contract_id",
    "company_id",
    "policy_period",
    "episode_start",
    "hours",
    "covered_hours",
    "in_policy_period",
    "limit_bound",
    "payout",
    "currency",
]
REVIEW_SHOWN = 12


def table(frame: pd.DataFrame, columns: list[str]) -> str:
    """A result table as aligned text with display labels ('(none)' when empty)."""
    if frame.empty:
        return "  (none)"
    shown = display_frame(frame, columns).rename(columns=label)
    with pd.option_context(
        "display.max_rows", None, "display.width", 250, "display.max_colwidth", 60
    ):
        return shown.to_string(index=False)


def header(results: Results) -> list[str]:
    """What was estimated, and what the valuation time left out or cut."""
    lines = [
        f"Estimate as of {results.as_of:%Y-%m-%d %H:%M:%S} UTC (the valuation time: nothing "
        f"after it is counted); dependency rule {results.dependency_rule!r}; source "
        f"{results.inputs.source}"
    ]
    lines += [f"Note: {note}" for note in results.inputs.notes]
    lines += [f"{t.capitalize()}: {', '.join(ids)}" for t, ids in results.as_of_lists() if ids]
    return lines


def review(results: Results) -> list[str]:
    """The rows to review, those whose credit depends on it first."""
    rows = review_rows(results)
    if rows.empty:
        return []
    out = ["", review_summary(results)]
    for row in rows.head(REVIEW_SHOWN).itertuples():
        mark = "*" if row.depends else "-"
        out.append(f"  {mark} {row.contract_id} {row.month}: {row.review_reason}")
    if len(rows) > REVIEW_SHOWN:
        out.append(
            f"  ... and {len(rows) - REVIEW_SHOWN} more (review_reason in the JSON or "
            "the workbook's Credits sheet)"
        )
    return out


def claims_line(results: Results) -> list[str]:
    found = claims(results)
    if found.empty:
        return []
    expired = int((found["claim_status"] == "expired").sum())
    opened = found[found["claim_status"].str.startswith("open")]
    next_due = (
        f"; the most urgent is due {opened['claim_deadline'].min():%Y-%m-%d}" if len(opened) else ""
    )
    return [
        "",
        f"Claims: {len(opened)} open, {expired} expired{next_due} "
        "(sla-estimator claims INPUT --out DIR writes a draft for each open claim)",
    ]


def render(results: Results) -> str:
    """The printed report: losses, credits, recoveries, summary, totals, review, claims."""
    parts = header(results)
    sections = [
        ("Losses by company and outage", results.losses, LOSS_COLUMNS),
        (
            "SLA credits (provider: owed to the company; customer: owed by it)",
            results.credits,
            CREDIT_SHOWN,
        ),
        ("Insurance recoveries", results.recoveries, RECOVERY_SHOWN),
        ("Summary by company", results.summary, list(results.summary.columns)),
        ("Totals by currency", results.totals(), list(results.totals().columns)),
    ]
    for title, frame, columns in sections:
        parts += ["", title, table(frame, columns)]
    recon = results.reconciliation()
    if len(recon):
        parts += [
            "",
            "Claim reconciliation (owed, claimed, approved, received per the billing export)",
            table(recon, list(recon.columns)),
        ]
    parts += review(results)
    parts += claims_line(results)
    return "\n".join(parts)


def render_streamed(
    summary: pd.DataFrame, rows: dict[str, int], as_of: pd.Timestamp, folder: str
) -> str:
    """A streamed estimate: the totals per currency and what was written where."""
    from estimator.engine.summary_table import currency_totals

    totals = currency_totals(summary)
    lines = [
        f"Estimated {len(summary):,} companies as of {as_of:%Y-%m-%d %H:%M:%S} UTC, partition "
        f"by partition; tables written to {folder} (Parquet): "
        + ", ".join(f"{name} {n:,} rows" for name, n in rows.items())
        + f", summary {len(summary):,} rows.",
        "",
        "Totals by currency",
        table(totals, list(totals.columns)),
    ]
    return "\n".join(lines)


def render_simulation(sim: Simulation) -> str:
    """Per company, P5 / P50 / P95 of each measure, and the input that moves it most."""
    lines = [
        f"Simulation: {sim.n_draws:,} draws, seed {sim.seed}, as of "
        f"{sim.as_of:%Y-%m-%d %H:%M:%S} UTC, dependency rule {sim.dependency_rule!r}",
        "Percentiles over the draws, in each company's currency; 'moves it most' is the "
        "uncertain input whose P10-to-P90 swing is largest.",
    ]
    if sim.results.inputs.uncertainty.empty:
        lines.append("The inputs have no uncertainty table: every draw is the estimate itself.")
    q = sim.quantiles
    top = (
        sim.sensitivity[sim.sensitivity["swing"] > 0]
        .groupby(["company_id", "measure"], sort=False)
        .first()
    )
    rows = []
    for rec in q.to_dict(orient="records"):
        key = (rec["company_id"], rec["measure"])
        rows.append(
            {
                "company_id": rec["company_id"],
                "currency": rec["currency"],
                "measure": label(str(rec["measure"])),
                "P5": format_money(rec["p5"], rec["currency"]),
                "P50": format_money(rec["p50"], rec["currency"]),
                "P95": format_money(rec["p95"], rec["currency"]),
                "moves it most": top.loc[key, "input"] if key in top.index else "",
            }
        )
    frame = pd.DataFrame(rows)
    with pd.option_context("display.max_rows", None, "display.width", 250):
        lines += [
            "",
            frame.rename(columns=label).to_string(index=False) if len(frame) else "(none)",
        ]
    return "\n".join(lines)
