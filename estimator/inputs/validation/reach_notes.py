"""Notes on contracts that no window could ever hit: a provider, region or service that
neither the SLA catalog, the providers' published region lists (``pricing/names.py``) nor
the scenario's outages know (``use1``, ``amazon-dynamodb``, provider ``amazon``). Such a
contract is valid input and is priced (it gets no row), so the note says so, with a "did you
mean"; it never changes the input."""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.errors import did_you_mean
from estimator.inputs.readers import RawTable
from pricing.catalog import Catalog
from pricing.names import Names

SHOWN_ROWS = 10


def reach_notes(
    raw: RawTable, contracts: pd.DataFrame, outages: pd.DataFrame, catalog: Catalog, names: Names
) -> list[str]:
    """One note per unknown (column, provider, value), naming its rows."""
    reach = contracts["kind"].isin(["provider", "insurance"]).to_numpy()
    con = contracts[reach]
    rows = raw.rows[: len(contracts)][reach]
    templates = template_reach(catalog)
    providers = set(templates["provider"])
    providers |= set(outages["provider"].dropna()) | set(names.regions)
    notes: list[str] = []
    for column in ("provider", "region", "service"):
        known = _known(column, con, outages, templates, names, providers)
        groups = con.groupby(["provider", column], sort=True).indices
        for key, at in groups.items():
            provider, value = (str(k) for k in key)  # type: ignore[attr-defined]
            options = known.get(provider)
            if options is None or value == "*" or value in options:
                continue
            hint = _hint(column, provider, value, options, names)
            notes.append(_note(raw, rows[at], column, provider, value, hint))
    return notes


def _known(
    column: str,
    con: pd.DataFrame,
    outages: pd.DataFrame,
    templates: pd.DataFrame,
    names: Names,
    providers: set[str],
) -> dict[str, set[str] | None]:
    """Per provider of the contracts, the values known for ``column`` (None: not checked)."""
    out: dict[str, set[str] | None] = {}
    for provider in pd.unique(con["provider"].dropna()):
        p = str(provider)
        if column == "provider":
            out[p] = providers
            continue
        if p not in providers:
            out[p] = None  # the provider itself gets the note
            continue
        seen = set(outages.loc[outages["provider"] == p, column].dropna())
        if column == "region":
            listed = names.regions.get(p)
            out[p] = None if listed is None and not seen else set(listed or ()) | seen
        else:
            known = set(templates.loc[templates["provider"] == p, "service"]) | seen
            out[p] = known if known else None
    return out


def template_reach(catalog: Catalog) -> pd.DataFrame:
    """Each SLA template's provider and service (template_id, provider, service)."""
    first = [catalog.versions(t)[0] for t in catalog.ids]
    return pd.DataFrame(
        {
            "template_id": catalog.ids,
            "provider": [v.provider for v in first],
            "service": [v.service for v in first],
        }
    )


def _hint(column: str, provider: str, value: str, options: set[str], names: Names) -> str:
    lowered = value.lower()
    if column == "provider":
        alias = names.provider_aliases.get(lowered)
    elif column == "region":
        alias = names.zone_prefix.get(provider, {}).get(lowered.split("-az")[0])
    else:
        alias = names.service_aliases.get(provider, {}).get(lowered)
    if alias:
        return f"; did you mean '{alias}'?"
    return did_you_mean(value, sorted(options))


def _note(
    raw: RawTable, rows: np.ndarray, column: str, provider: str, value: str, hint: str
) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:SHOWN_ROWS])
    more = f" and {len(rows) - SHOWN_ROWS} more" if len(rows) > SHOWN_ROWS else ""
    label = f"{raw.row_label}{'s' if len(rows) > 1 else ''}"
    what = {
        "provider": "a provider the SLA catalog, the region lists or the outages know",
        "region": f"among the {provider} regions of the published region list or the outages",
        "service": f"among the {provider} services of the SLA catalog or the outages",
    }[column]
    return (
        f"{raw.source}, {label} {shown}{more}, column {column}: '{value}' is not {what}, so no "
        f"outage window can hit the contract (it gets no loss or credit row){hint}"
    )
