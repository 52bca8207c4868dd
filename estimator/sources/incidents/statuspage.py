"""Atlassian Statuspage API v2 incidents (https://developer.statuspage.io/, the public
``/api/v2/incidents.json``: ``incidents[]`` with ``started_at``, ``resolved_at``,
``components[]`` and ``incident_updates[]``, each with ``created_at``, ``status`` and
``affected_components[]`` of ``code``, ``name``, ``old_status``, ``new_status``) -> phases.

A component's phase starts at each update that changes its status and lasts to the next such
update, or to ``resolved_at`` (blank: still ongoing); the first phase starts at the incident's
``started_at`` when the first update's ``old_status`` already shows an impact."""

from __future__ import annotations

from typing import Any

Phase = dict[str, Any]


def statuspage_phases(doc: Any) -> tuple[list[Phase], list[str]]:
    """Phases (incident, component, start, end, status) and problems (text per incident)."""
    incidents = doc.get("incidents") if isinstance(doc, dict) else None
    if incidents is None and isinstance(doc, dict) and "incident" in doc:
        incidents = [doc["incident"]]
    phases: list[Phase] = []
    problems: list[str] = []
    for inc in incidents or []:
        iid = str(inc.get("id", "?"))
        updates = sorted(inc.get("incident_updates") or [], key=lambda u: u.get("created_at") or "")
        changes: dict[str, list[tuple[str, str]]] = {}
        first_old: dict[str, str] = {}
        for u in updates:
            for comp in u.get("affected_components") or []:
                name = comp.get("name") or comp.get("code") or "?"
                changes.setdefault(name, []).append(
                    (u.get("created_at") or "", comp.get("new_status") or "")
                )
                first_old.setdefault(name, comp.get("old_status") or "")
        if not changes:
            statuses = [
                (c.get("name") or "?", c.get("status") or "") for c in inc.get("components") or []
            ]
            for name, status in statuses:
                changes[name] = [(inc.get("started_at") or inc.get("created_at") or "", status)]
        if not changes:
            problems.append(f"incident {iid}: no affected component (service) is named")
            continue
        end = inc.get("resolved_at")
        for name, steps in changes.items():
            start = inc.get("started_at") or steps[0][0]
            if first_old.get(name) and first_old[name] != "operational" and start < steps[0][0]:
                steps = [(start, first_old[name]), *steps]
            for k, (at, status) in enumerate(steps):
                until = steps[k + 1][0] if k + 1 < len(steps) else end
                phases.append(
                    {"incident": iid, "component": name, "start": at, "end": until, "status": status,
                     "updated": at, "title": inc.get("name") or ""}
                )  # fmt: skip
    return phases, problems
