"""AWS Health events as ``aws health describe-events`` prints them
(https://docs.aws.amazon.com/health/latest/APIReference/API_DescribeEvents.html: ``events[]``
with ``arn``, ``service``, ``eventTypeCode``, ``eventTypeCategory``, ``region``,
``availabilityZone``, ``startTime``, ``endTime``, ``statusCode``, ``eventScopeCode``), or
``describe-event-details`` (``successfulSet[].event``) -> one phase per event.

An event has no phases of its own: it is one window from ``startTime`` to ``endTime`` (blank
while ``statusCode`` is open). Its status for the impact table is its ``eventTypeCategory``
(``issue``; ``scheduledChange`` and ``accountNotification`` make no window). An event with an
``availabilityZone`` has scope ``zone``; an event type code naming the API or console
(``..._API_ISSUE``, ``..._CONSOLE_ISSUE``) has scope ``control_plane``."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

Phase = dict[str, Any]
CONTROL_PLANE = re.compile(r"_(API|CONSOLE)_")


def aws_health_phases(doc: Any) -> tuple[list[Phase], list[str]]:
    events = doc.get("events") if isinstance(doc, dict) else None
    if events is None and isinstance(doc, dict):
        events = [s.get("event", {}) for s in doc.get("successfulSet") or []]
    phases: list[Phase] = []
    problems: list[str] = []
    for ev in events or []:
        arn = str(ev.get("arn") or ev.get("eventTypeCode") or "?")
        iid = arn.rsplit("/", 1)[-1]
        if not ev.get("service"):
            problems.append(f"incident {iid}: no affected service is named")
            continue
        code = str(ev.get("eventTypeCode") or "")
        zone = ev.get("availabilityZone") or ""
        scope = "zone" if zone else ("control_plane" if CONTROL_PLANE.search(code) else "region")
        phases.append(
            {"incident": iid, "component": ev["service"], "location": ev.get("region") or "global",
             "start": _time(ev.get("startTime")), "end": _time(ev.get("endTime")),
             "status": ev.get("eventTypeCategory") or "", "updated": _time(ev.get("lastUpdatedTime")) or "",
             "title": code, "scope": scope, "zone": zone}
        )  # fmt: skip
    return phases, problems


def _time(value: Any) -> str | None:
    """The AWS CLI prints ISO 8601 with an offset by default, epoch seconds when configured so."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return pd.Timestamp(float(value), unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
