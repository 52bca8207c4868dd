"""Results as JSON.

Money is written as decimal strings with exactly the currency's minor-unit
places ("1234.50" USD, "1500" JPY, "12.345" BHD), so no amount passes through
binary floating point on the way to the reader; a blank amount (a credit that
cannot be computed) is null. Other numbers (minutes, percentages, ratios) are
JSON numbers. Times are ISO 8601 UTC with a Z; dates are YYYY-MM-DD.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from estimator.columns import MONEY_COLUMNS
from estimator.version import VERSION
from estimator.writers import writes
from pricing.money import currencies

if TYPE_CHECKING:
    from estimator.portfolio.results import RiskResults
    from estimator.results.results import Results
    from estimator.uncertainty.simulation import Simulation

FORMAT = "sla-estimator results"
FORMAT_VERSION = 1
MONEY = MONEY_COLUMNS


def money_text(value: float, currency: str) -> str | None:
    """An amount held rounded to the minor unit -> its exact decimal text."""
    if value is None or pd.isna(value):
        return None
    places = currencies()[currency]
    minor = int(np.rint(float(value) * 10**places))
    return str(Decimal(minor).scaleb(-places))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for raw_key, value in rec.items():
            key = str(raw_key)
            if key in MONEY:
                row[key] = money_text(value, rec["currency"])
            elif isinstance(value, pd.Timestamp):
                row[key] = (
                    None
                    if pd.isna(value)
                    else (
                        value.strftime("%Y-%m-%d")
                        if key == "claim_deadline"
                        else value.strftime("%Y-%m-%dT%H:%M:%SZ")
                    )
                )
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                row[key] = None
            elif isinstance(value, (np.bool_, bool)):
                row[key] = bool(value)
            elif isinstance(value, (np.integer,)):
                row[key] = int(value)
            elif isinstance(value, (np.floating, float)):
                row[key] = float(value)
            else:
                row[key] = value if isinstance(value, (str, int)) else str(value)
        out.append(row)
    return out


@writes("results.json")
def results_json(results: Results) -> str:
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "project_version": VERSION,
        "as_of": results.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "as_of_means": "the valuation time: nothing after it is counted",
        "dependency_rule": results.dependency_rule,
        "ongoing_outages": results.ongoing,
        "outages_cut_at_as_of": results.cut_at_as_of,
        "outages_after_as_of": results.after_as_of,
        "input_notes": list(results.inputs.notes),
        "money": "decimal strings with the currency's minor-unit places; null = not computed",
        "losses": _records(results.losses),
        "credits": _records(results.credits),
        "recoveries": _records(results.recoveries),
        "summary": _records(results.summary),
        "reconciliation": _records(results.reconciliation()),
        "windows": _records(results.windows),
        "totals_by_currency": _records(results.totals()),
        "terms": _records(results.terms.astype(object).where(results.terms.notna(), None)),
        "inputs": json.loads(results.inputs.to_json_text()),
    }
    return json.dumps(doc, indent=1, ensure_ascii=False, default=str)


@writes("simulation.json")
def simulation_json(sim: Simulation) -> str:
    """A simulation: settings, quantiles, tornado and draws. Its figures are statistics of
    many draws, not amounts owed: JSON numbers, not decimal strings."""
    doc = {
        "format": "sla-estimator simulation",
        "format_version": FORMAT_VERSION,
        "project_version": VERSION,
        "draws": sim.n_draws,
        "seed": sim.seed,
        "dependency_rule": sim.dependency_rule,
        "as_of": sim.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "figures": "statistics over the draws, as JSON numbers",
        "quantiles": _numbers(sim.quantiles),
        "sensitivity": _numbers(sim.sensitivity),
        "draw_values": _numbers(sim.draws),
        "inputs": json.loads(sim.results.inputs.to_json_text()),
    }
    return json.dumps(doc, indent=1, ensure_ascii=False)


@writes("risk.json")
def risk_json(r: RiskResults) -> str:
    """Portfolio risk: settings, EP, ALT, accumulation and yearly portfolio totals (the YLT
    and ELT are large: they go to Parquet with ``out_dir``). Statistics, as JSON numbers."""
    doc = {
        "format": "sla-estimator risk",
        "format_version": FORMAT_VERSION,
        "project_version": VERSION,
        "years": r.n_years,
        "reporting_currency": r.reporting_currency,
        "dependency_rule": r.dependency_rule,
        "fx_rates": r.fx_rates,
        "settings": r.settings,
        "figures": "statistics over simulated years, as JSON numbers",
        "ept": _numbers(r.ept),
        "alt": _numbers(r.alt),
        "accumulation": _numbers(r.accumulation),
        "year_totals": _numbers(r.year_totals),
        "convergence": _numbers(r.convergence),
    }
    return json.dumps(doc, indent=1, ensure_ascii=False)


def _numbers(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with plain Python values; a blank (NaN) is null, as JSON has no NaN."""
    out: list[dict[str, Any]] = []
    for rec in frame.to_dict(orient="records"):
        out.append({str(k): _plain(v) for k, v in rec.items()})
    return out


def _plain(value: Any) -> Any:
    """A plain Python value; every kind of blank (NaN, None, pd.NA, NaT) is None."""
    value = value.item() if isinstance(value, np.generic) else value
    return None if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else value
