"""Provider incident feeds -> ``outages`` rows, one per affected service, region and phase
(issue 23.1): Atlassian Statuspage API v2 (:mod:`.statuspage`), the Google Cloud status
``incidents.json`` (:mod:`.google`), AWS Health events (:mod:`.aws_health`) and Azure Service
Health events from an Activity Log export (:mod:`.azure`).

Impact comes from a status table held as data (``data/impact_map.csv``), names from
``data/names.csv``; each row keeps its provenance in ``description``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from estimator.errors import InputError, ValidationIssue
from estimator.sources.incidents.aws_health import aws_health_phases
from estimator.sources.incidents.azure import azure_phases
from estimator.sources.incidents.google import google_phases
from estimator.sources.incidents.names import impact_map, service_slug, slug
from estimator.sources.incidents.statuspage import statuspage_phases

FORMATS = ("statuspage", "google", "aws_health", "azure")
UNKNOWN = (
    "not an incident feed this tool reads: expected a Statuspage API v2 answer (key incidents[] "
    "with incident_updates[]), Google Cloud's incidents.json (a list of incidents with begin, "
    "affected_products[], updates[]), AWS Health describe-events output (key events[] with "
    "service, region, startTime) or an Azure Activity Log export of Service Health events (a "
    "list, or key value[], of records with category ServiceHealth and properties.trackingId)"
)
NO_ZONE = "incident {incident}: the time '{value}' has no UTC offset"
BAD_TIME = "incident {incident}: '{value}' is not a time in ISO 8601"
OUTAGE_COLUMNS = [
    "outage_id",
    "provider",
    "region",
    "service",
    "start",
    "end",
    "impact",
    "scope",
    "zone",
    "description",
    "incident_id",
]


def read_incidents(
    path: str | Path,
    *,
    format: str | None = None,
    provider: str | None = None,
    impact_table: str | Path | None = None,
) -> pd.DataFrame:
    """A provider's published incidents as ``outages`` rows. ``df.attrs["unmapped"]`` lists
    the service names the names file does not know (their rows keep the name as a slug and hit
    no contract unless one names it). Raises :class:`~estimator.errors.InputError` listing
    every problem (file and incident)."""
    file = Path(path)
    try:
        doc = json.loads(file.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(
            [ValidationIssue(file.name, exc.lineno, None, None, f"not valid JSON: {exc.msg}")]
        ) from None
    fmt = format or _detect(doc)
    if fmt == "statuspage":
        phases, problems = statuspage_phases(doc)
        page = doc.get("page", {}).get("name", "") if isinstance(doc, dict) else ""
        who = provider or slug(page or "statuspage")
    elif fmt == "google":
        phases, problems = google_phases(doc)
        who = provider or "gcp"
    elif fmt == "aws_health":
        phases, problems = aws_health_phases(doc)
        who = provider or "aws"
    elif fmt == "azure":
        phases, problems = azure_phases(doc)
        who = provider or "azure"
    else:
        raise InputError([ValidationIssue(file.name, None, None, None, UNKNOWN)])
    impacts = impact_map(impact_table)
    rows, unmapped = [], set()
    for p in phases:
        impact = impacts.get((fmt, p["status"]))
        if impact is None:
            continue
        service, known = service_slug(who, p["component"])
        if not known:
            unmapped.add(p["component"])
        location = p.get("location", "*")
        rows.append(
            {"outage_id": f"{who}-{p['incident']}", "provider": who,
             "region": "*" if location in ("*", "global") else slug(location),
             "service": service, "start": p["start"], "end": p["end"], "impact": impact,
             "scope": p.get("scope", "region"), "zone": p.get("zone") or None,
             "incident_id": p["incident"],
             "description": f"{fmt} incident {p['incident']} ({p['component']}: {p['status']}, "
             f"update {p['updated']}): {p['title']}"}
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=OUTAGE_COLUMNS)
    problems += _times(out, "start") + _times(out, "end")
    if problems:
        raise InputError([ValidationIssue(file.name, None, None, None, m) for m in problems])
    for column in ("start", "end"):
        t = pd.to_datetime(out[column], utc=True, format="ISO8601")
        out[column] = t.dt.strftime("%Y-%m-%dT%H:%M:%SZ").where(t.notna())
    out.attrs["unmapped"] = sorted(unmapped)
    return out


def _detect(doc: Any) -> str:
    if isinstance(doc, dict) and ("incidents" in doc or "incident" in doc):
        return "statuspage"
    if isinstance(doc, dict) and ("events" in doc or "successfulSet" in doc):
        return "aws_health"
    records = doc.get("value") if isinstance(doc, dict) else doc
    first = records[0] if isinstance(records, list) and records else None
    if isinstance(first, dict) and "category" in first and "properties" in first:
        return "azure"
    if isinstance(doc, list) and (not doc or (isinstance(doc[0], dict) and "begin" in doc[0])):
        return "google"
    return ""


def _times(out: pd.DataFrame, column: str) -> list[str]:
    problems = []
    text = out[column].astype(object)
    given = text.notna() & (text.astype(str) != "")
    zoned = text.astype(str).str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
    parsed = pd.to_datetime(text.where(given & zoned), utc=True, errors="coerce", format="ISO8601")
    for i in np.flatnonzero((given & ~zoned).to_numpy()):
        problems.append(NO_ZONE.format(incident=out["incident_id"].iloc[i], value=text.iloc[i]))
    for i in np.flatnonzero((given & zoned & parsed.isna()).to_numpy()):
        problems.append(BAD_TIME.format(incident=out["incident_id"].iloc[i], value=text.iloc[i]))
    if column == "start":
        for i in np.flatnonzero((~given).to_numpy()):
            problems.append(f"incident {out['incident_id'].iloc[i]}: a phase has no start time")
    return problems


__all__ = ["FORMATS", "read_incidents"]
