"""Google Cloud status ``incidents.json`` (https://status.cloud.google.com/incidents.json: a
list of incidents with ``id``, ``begin``, ``end``, ``status_impact``, ``affected_products[]``,
``currently_affected_locations[]`` / ``previously_affected_locations[]`` and ``updates[]`` with
``when``, ``status``, ``affected_locations[]``) -> one phase per product and location.

A location's window starts at the first update that lists it (the incident's ``begin`` when
none does) and ends at the incident's ``end`` (blank: still ongoing)."""

from __future__ import annotations

from typing import Any

Phase = dict[str, Any]


def google_phases(doc: Any) -> tuple[list[Phase], list[str]]:
    incidents = doc if isinstance(doc, list) else [doc]
    phases: list[Phase] = []
    problems: list[str] = []
    for inc in incidents:
        iid = str(inc.get("id", "?"))
        products = [p.get("title") or p.get("id") for p in inc.get("affected_products") or []]
        if not products and inc.get("service_name"):
            products = [inc["service_name"]]
        if not products:
            problems.append(f"incident {iid}: no affected product (service) is named")
            continue
        seen: dict[str, str] = {}
        for u in sorted(inc.get("updates") or [], key=lambda u: u.get("when") or ""):
            for loc in u.get("affected_locations") or []:
                seen.setdefault(loc.get("id") or loc.get("title") or "global", u.get("when") or "")
        for key in ("previously_affected_locations", "currently_affected_locations"):
            for loc in inc.get(key) or []:
                seen.setdefault(
                    loc.get("id") or loc.get("title") or "global", inc.get("begin") or ""
                )
        if not seen:
            seen["global"] = inc.get("begin") or ""
        for product in products:
            for location, start in seen.items():
                phases.append(
                    {"incident": iid, "component": product, "location": location,
                     "start": start or inc.get("begin"), "end": inc.get("end"),
                     "status": inc.get("status_impact") or "", "updated": inc.get("modified") or "",
                     "title": inc.get("external_desc") or ""}
                )  # fmt: skip
    return phases, problems
