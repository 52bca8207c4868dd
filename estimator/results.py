"""``Results``: what an estimate found, as DataFrames in the columns of DESIGN §5.

Money is in each company's currency, rounded once, half-up, to its minor unit
(totals are exact sums of rounded lines). Times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from estimator.inputs import Inputs

LOSS_COLUMNS = [
    "company_id",
    "outage_id",
    "currency",
    "impacted_minutes",
    "gross_lost_revenue",
    "recaptured_revenue",
    "outage_costs",
    "total_loss",
]
CREDIT_COLUMNS = [
    "contract_id",
    "company_id",
    "kind",
    "month",
    "minutes_in_month",
    "downtime_minutes",
    "uptime_pct",
    "credit_pct",
    "monthly_fee",
    "credit_amount",
    "currency",
    "claim_deadline",
    "sla_version",
    "needs_review",
    "review_reason",
]
RECOVERY_COLUMNS = [
    "contract_id",
    "company_id",
    "episode_start",
    "episode_end",
    "hours",
    "covered_hours",
    "payout",
    "currency",
]
SUMMARY_COLUMNS = [
    "company_id",
    "currency",
    "total_loss",
    "credits_receivable",
    "credits_payable",
    "insurance_recoveries",
    "net_impact",
    "recovery_ratio",
]
MONEY_COLUMNS = frozenset(
    {
        "gross_lost_revenue",
        "recaptured_revenue",
        "outage_costs",
        "total_loss",
        "monthly_fee",
        "credit_amount",
        "payout",
        "credits_receivable",
        "credits_payable",
        "insurance_recoveries",
        "net_impact",
    }
)
"""Columns holding amounts in the row's currency (shown with its minor-unit places)."""
TERMS_COLUMNS = [
    "sla_version",
    "method",
    "tiers",
    "multiplier",
    "cap_pct",
    "min_credit",
    "min_credit_currency",
    "min_credit_rule",
    "claim_rule",
    "claim_how",
    "template_id",
    "version",
    "effective_from",
    "superseded_on",
    "metric",
    "source",
    "evidence",
    "verified",
]
TIER_COLUMNS = ["sla_version", "below_pct", "credit_pct"]
CREDIT_STEP_COLUMNS = [
    "before_cap_minor",
    "cap_minor",
    "rounded_minor",
    "minimum_minor",
    "minor_unit",
]
RECOVERY_STEP_COLUMNS = [
    "covered_loss",
    "before_limit_minor",
    "running_minor",
    "capped_minor",
    "rounded_minor",
    "minor_unit",
]


@dataclass
class Results:
    """The outcome of :func:`estimator.estimate`.

    * ``losses``: one row per company and outage event that hit it.
    * ``credits``: one row per SLA contract and UTC billing month with any impact
      (provider contracts: owed to the company; customer contracts: owed by it).
    * ``recoveries``: one row per insurance episode.
    * ``summary``: one row per company: loss, credits both ways, insurance, net
      impact and recovery ratio.
    * ``terms``: the SLA terms behind each ``sla_version`` named in ``credits``, and
      ``tiers`` their tier tables (one row per tier).
    * ``credit_steps`` and ``recovery_steps``: the intermediate amounts behind each
      credit and payout row (in minor units: before the cap, the cap, rounded, the
      minimum; for insurance the loss in the covered time, the amount before the
      limit, the running total, capped, rounded), row for row with ``credits`` and
      ``recoveries``. The workbook shows them next to its formulas.
    * ``lost_share``: the company's lost share of revenue L(t), as steps.
    * ``as_of``: the time ongoing outages (blank end) were run to; ``ongoing``
      lists those outage ids.
    """

    losses: pd.DataFrame
    credits: pd.DataFrame
    recoveries: pd.DataFrame
    summary: pd.DataFrame
    terms: pd.DataFrame
    tiers: pd.DataFrame
    credit_steps: pd.DataFrame
    recovery_steps: pd.DataFrame
    lost_share: pd.DataFrame
    inputs: Inputs
    as_of: pd.Timestamp
    dependency_rule: str
    ongoing: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def totals(self) -> pd.DataFrame:
        """Summary money columns added up per currency (never across currencies)."""
        money = [
            "total_loss",
            "credits_receivable",
            "credits_payable",
            "insurance_recoveries",
            "net_impact",
        ]
        out = self.summary.groupby("currency", sort=True)[money].sum().reset_index()
        recovered = out["credits_receivable"] + out["insurance_recoveries"]
        out["recovery_ratio"] = (recovered / out["total_loss"]).where(out["total_loss"] > 0)
        return out

    def to_excel(self, path: str | Path) -> Path:
        """Write the auditable workbook (see :mod:`estimator.reports.excel`)."""
        from estimator.reports.excel import write_workbook

        target = Path(path)
        target.write_bytes(write_workbook(self))
        return target

    def excel_bytes(self) -> bytes:
        """The auditable workbook as bytes (for downloads)."""
        from estimator.reports.excel import write_workbook

        return write_workbook(self)

    def to_json(self, path: str | Path) -> Path:
        """Write the results as JSON (see :mod:`estimator.reports.json_report`)."""
        from estimator.reports.json_report import results_json

        target = Path(path)
        target.write_text(results_json(self), encoding="utf-8")
        return target

    def json_text(self) -> str:
        from estimator.reports.json_report import results_json

        return results_json(self)

    def __repr__(self) -> str:
        lines = [
            f"Results(as of {self.as_of:%Y-%m-%d %H:%M:%S} UTC, rule {self.dependency_rule!r}; "
            f"{len(self.losses)} loss rows, {len(self.credits)} credit rows, "
            f"{len(self.recoveries)} insurance episodes, {len(self.summary)} companies)",
        ]
        if self.ongoing:
            lines.append(f"ongoing outages run to the as-of time: {', '.join(self.ongoing)}")
        for rec in self.totals().to_dict(orient="records"):
            r = float(rec["recovery_ratio"])
            ratio = "n/a" if np.isnan(r) else f"{r:.1%}"
            lines.append(
                f"  {rec['currency']}: loss {rec['total_loss']:,.2f}, credits receivable "
                f"{rec['credits_receivable']:,.2f}, payable {rec['credits_payable']:,.2f}, "
                f"insurance {rec['insurance_recoveries']:,.2f}, net impact "
                f"{rec['net_impact']:,.2f}, recovered {ratio}"
            )
        review = int(self.credits["needs_review"].sum()) if len(self.credits) else 0
        if review:
            lines.append(f"  {review} credit rows need review (see credits.review_reason)")
        return "\n".join(lines)
