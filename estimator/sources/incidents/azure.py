"""Azure Service Health events from an Activity Log export
(https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema#service-health-category:
records with ``category.value`` ``ServiceHealth``, ``eventTimestamp`` and ``properties`` with
``trackingId``, ``incidentType``, ``stage``, ``title``, ``impactStartTime``,
``impactMitigationTime`` and ``impactedServices``, a JSON string or a list of ``ServiceName``
with ``ImpactedRegions[].RegionName``) -> one phase per service and region.

An incident (``trackingId``) has one record per communication. The records are taken in time
order: a service and region listed from the first communication is impacted from
``impactStartTime``; one first listed in a later communication from that communication's
``eventTimestamp``. Every window ends at the incident's ``impactMitigationTime`` (the latest
given; blank: still ongoing). The status for the impact table is the latest ``incidentType``.
Records of other categories (administrative, alerts, ...) are not service health events and are
passed over. Region names are written as the catalog writes them (``East US`` -> ``eastus``)."""

from __future__ import annotations

import json
from typing import Any

Phase = dict[str, Any]


def azure_phases(doc: Any) -> tuple[list[Phase], list[str]]:
    records = doc.get("value") if isinstance(doc, dict) else doc
    incidents: dict[str, list[dict[str, Any]]] = {}
    for rec in records or []:
        if isinstance(rec, dict) and _category(rec) == "servicehealth":
            props = rec.get("properties") or {}
            iid = str(props.get("trackingId") or rec.get("eventDataId") or "?")
            incidents.setdefault(iid, []).append(rec)
    phases: list[Phase] = []
    problems: list[str] = []
    for iid, recs in incidents.items():
        recs.sort(key=lambda r: str(r.get("eventTimestamp") or ""))
        props = [r.get("properties") or {} for r in recs]
        start = next((p["impactStartTime"] for p in props if p.get("impactStartTime")), None)
        end = next((p["impactMitigationTime"] for p in reversed(props) if p.get("impactMitigationTime")), None)  # fmt: skip
        first: dict[tuple[str, str], str | None] = {}
        unreadable = []
        for n, (rec, p) in enumerate(zip(recs, props, strict=True)):
            services, problem = _services(iid, p.get("impactedServices"))
            unreadable += problem
            for pair in services:
                first.setdefault(pair, start if n == 0 else rec.get("eventTimestamp") or start)
        problems += unreadable
        if not first and not unreadable:
            problems.append(f"incident {iid}: no affected service is named (impactedServices)")
        last = props[-1]
        for (service, region), begin in first.items():
            phases.append(
                {"incident": iid, "component": service, "location": region,
                 "start": begin, "end": end, "status": last.get("incidentType") or "",
                 "updated": recs[-1].get("eventTimestamp") or "",
                 "title": last.get("title") or last.get("defaultLanguageTitle") or ""}
            )  # fmt: skip
    return phases, problems


def _category(rec: dict[str, Any]) -> str:
    category = rec.get("category")
    value = category.get("value") if isinstance(category, dict) else category
    return str(value or "").replace(" ", "").lower()


def _services(iid: str, value: Any) -> tuple[list[tuple[str, str]], list[str]]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            return [], [f"incident {iid}: impactedServices is not valid JSON"]
    pairs = []
    for item in value or []:
        name = str(item.get("ServiceName") or "").strip()
        if not name:
            continue
        regions = [str(r.get("RegionName") or "") for r in item.get("ImpactedRegions") or []]
        for region in regions or ["Global"]:
            pairs.append((name, _region(region)))
    return pairs, []


def _region(name: str) -> str:
    text = "".join(name.split()).lower()
    return "global" if text in ("", "global", "nonregional") else text
