"""The outcome of :func:`estimator.risk`, in the tables the insurance industry exchanges (the
Oasis results data: year, event, exceedance-probability and average loss tables)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from estimator.writers import WritesJson, WritesWorkbook

PORTFOLIO = "portfolio"


@dataclass
class RiskResults(WritesWorkbook, WritesJson):
    """* ``ylt``: year, company_id, currency and the five measures, one row per company-year
      with any value (every other company-year is zero). None when written to ``out_dir``.
    * ``elt``: year, outage_id, company_id, currency and the measures, one row per event and
      company it reached. None when written to ``out_dir``.
    * ``ept``: per company and for the ``portfolio`` (in the reporting currency): measure,
      ``ep_type`` (OEP, AEP, OEP TVaR, AEP TVaR), ``return_period``, ``loss`` and ``se`` (the
      loss's standard error; blank for TVaR).
    * ``alt``: per company and portfolio and measure: ``aal``, ``std`` and ``se`` (the AAL's
      standard error).
    * ``accumulation``: per event and per provider-region: the portfolio's loss, companies
      hit, largest contributors.
    * ``year_totals``: the portfolio's measures per simulated year (reporting currency).
    * ``convergence``: the portfolio's AAL and 1-in-100 / 1-in-250 AEP on the first 100, 200,
      500, ... years and on all of them, each with its standard error.
    """

    writer_kind: ClassVar[str] = "risk"

    ylt: pd.DataFrame | None
    elt: pd.DataFrame | None
    ept: pd.DataFrame
    alt: pd.DataFrame
    accumulation: pd.DataFrame
    n_years: int
    reporting_currency: str
    dependency_rule: str
    fx_rates: dict[str, float]
    out_dir: str | None
    year_totals: pd.DataFrame
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)
    settings: dict[str, str] = field(default_factory=dict)
    """What produced the event set (catalog, seed, start), filled by the caller."""

    def loss_at(self, return_period: int, *, measure: str = "total_loss", ep_type: str = "AEP",
                company_id: str = PORTFOLIO, column: str = "loss") -> float:  # fmt: skip
        """One point of an EP curve (``column="se"``: its standard error)."""
        e = self.ept
        row = e[
            (e["company_id"] == company_id)
            & (e["measure"] == measure)
            & (e["ep_type"] == ep_type)
            & (e["return_period"] == return_period)
        ]
        if row.empty:
            raise KeyError(f"no {ep_type} {measure} at {return_period} years for {company_id}")
        return float(row[column].iloc[0])

    def largest_per_year(self) -> pd.DataFrame:
        """The portfolio's largest event per simulated year and measure (reporting
        currency; 0 in a year without events): what OEP ranks."""
        from estimator.portfolio.keys import MEASURES

        events = self.accumulation[self.accumulation["level"] == "event"]
        largest = events.groupby("year")[MEASURES].max()
        years = pd.Index(range(1, self.n_years + 1), name="year")
        return largest.reindex(years, fill_value=0.0).reset_index()

    def headline(self) -> pd.DataFrame:
        """The portfolio's AAL and its 1-in-100 and 1-in-250 AEP and OEP per measure, each
        with its standard error (``aal_se``, ``aep_100_se``, ...)."""
        from estimator.portfolio.keys import MEASURES

        rows = []
        alt = self.alt[self.alt["company_id"] == PORTFOLIO].set_index("measure")
        for m in MEASURES:
            row = {"measure": m, "currency": self.reporting_currency, "aal": alt.loc[m, "aal"]}
            row["aal_se"] = alt.loc[m, "se"]
            for t in (100, 250):
                for kind in ("AEP", "OEP"):
                    name = f"{kind.lower()}_{t}"
                    for column, key in (("loss", name), ("se", f"{name}_se")):
                        try:
                            row[key] = self.loss_at(t, measure=m, ep_type=kind, column=column)
                        except KeyError:
                            row[key] = float("nan")
            rows.append(row)
        return pd.DataFrame(rows)
