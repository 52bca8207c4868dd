"""``Results``: what an estimate found, as DataFrames in the columns of DESIGN §5.

Money is in each company's currency, rounded once, half-up, to its minor unit
(totals are exact sums of rounded lines). Times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from estimator.engine.outcome import Outcome
from estimator.engine.summary_table import currency_totals
from estimator.results.claims import claims as claim_lines
from estimator.results.reconciliation import reconciliation
from estimator.results.review import review_rows, review_summary
from estimator.writers import WritesJson, WritesWorkbook, writer


@dataclass(repr=False)
class Results(Outcome, WritesWorkbook, WritesJson):
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
    * ``windows``: every outage window as priced at the valuation time ``as_of``
      (``priced_end``; ``status`` priced, ongoing, cut or left_out).
    * ``as_of``: the valuation time: nothing after it is counted. ``ongoing``
      lists the outages run to it, ``cut_at_as_of`` those cut at it and
      ``after_as_of`` those with a window starting at or after it (left out).
    """

    writer_kind: ClassVar[str] = "results"

    @classmethod
    def of(cls, outcome: Outcome) -> Results:
        """The engine's tables as ``Results`` (the same objects, not copies)."""
        return cls(**{f.name: getattr(outcome, f.name) for f in fields(outcome)})

    def _outages(self, status: str) -> list[str]:
        if self.windows.empty:
            return []
        w = self.windows
        return sorted(w.loc[w["status"] == status, "outage_id"].unique().tolist())

    @property
    def cut_at_as_of(self) -> list[str]:
        """Outages with a window that ended after the valuation time, cut at it."""
        return self._outages("cut")

    def as_of_lists(self) -> list[tuple[str, list[str]]]:
        """What the valuation time did, as (what, outage ids): ongoing, cut, left out."""
        return [
            ("ongoing outages run to the as-of time", self.ongoing),
            ("outages cut at the as-of time", self.cut_at_as_of),
            ("outages starting after the as-of time, left out", self.after_as_of),
        ]

    @property
    def after_as_of(self) -> list[str]:
        """Outages with a window that starts at or after the valuation time: left out."""
        return self._outages("left_out")

    def totals(self) -> pd.DataFrame:
        """Summary money columns added up per currency (never across currencies)."""
        return currency_totals(self.summary)

    def claims(self) -> pd.DataFrame:
        """Every claimable provider credit, most urgent first (see :mod:`estimator.results.claims`)."""
        return claim_lines(self)

    def reconciliation(self) -> pd.DataFrame:
        """Per provider, account, service, region and month owed a credit: owed, claimed,
        approved, received (billing export), the difference and why (see
        :mod:`estimator.results.reconciliation`)."""
        return reconciliation(self)

    def write_claims(self, folder: str | Path) -> list[Path]:
        """Write the claim pack: a Markdown draft per open claim, an index and claims.csv."""
        paths: list[Path] = writer("results.claims_folder")(self, folder)
        return paths

    def claims_zip(self) -> bytes:
        """The claim pack as a zip archive (for downloads)."""
        data: bytes = writer("results.claims_zip")(self)
        return data

    def review(self) -> pd.DataFrame:
        """The credit rows that need review, those whose credit depends on it first."""
        return review_rows(self)

    def review_summary(self) -> str:
        """How many rows need review, and for how many of them the credit depends on it."""
        return review_summary(self)

    def __repr__(self) -> str:
        lines = [
            f"Results(as of {self.as_of:%Y-%m-%d %H:%M:%S} UTC, rule {self.dependency_rule!r}; "
            f"{len(self.losses)} loss rows, {len(self.credits)} credit rows, "
            f"{len(self.recoveries)} insurance episodes, {len(self.summary)} companies)",
        ]
        lines += [f"{title}: {', '.join(ids)}" for title, ids in self.as_of_lists() if ids]
        for rec in self.totals().to_dict(orient="records"):
            r = float(rec["recovery_ratio"])
            ratio = "n/a" if np.isnan(r) else f"{r:.1%}"
            lines.append(
                f"  {rec['currency']}: loss {rec['total_loss']:,.2f}, credits receivable "
                f"{rec['credits_receivable']:,.2f}, payable {rec['credits_payable']:,.2f}, "
                f"insurance {rec['insurance_recoveries']:,.2f}, net impact "
                f"{rec['net_impact']:,.2f}, recovered {ratio}"
            )
        text = review_summary(self)
        if text:
            lines.append(f"  {text}")
        return "\n".join(lines)
