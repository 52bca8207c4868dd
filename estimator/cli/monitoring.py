"""``sla-estimator monitoring FILE --outage ID --provider P --region R --service S --out
outages.csv``: a monitoring series (CSV, Prometheus, CloudWatch) -> outage windows whose impact
is the measured share failing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from estimator.sources.monitoring import MEASURES, read_monitoring
from estimator.sources.monitoring.series import FORMATS


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "monitoring",
        help="turn a monitoring series (CSV, Prometheus, CloudWatch) into outage windows",
        description="Read a company's own measurement of how much of its traffic failed and "
        "write outages rows: one window per run of equal impact, each sample holding until the "
        "next (a gap of more than three steps ends a window).",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--outage", required=True, help="the outage_id of the rows")
    p.add_argument("--provider", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--measure", choices=MEASURES, default="error_rate")
    p.add_argument("--scope", default="region", help="region, zone or control_plane")
    p.add_argument("--format", choices=FORMATS, default=None, help="default: detected")
    p.add_argument("--out", metavar="CSV", required=True, help="where to write outages.csv")


def run(args: argparse.Namespace) -> int:
    rows = read_monitoring(
        args.file,
        outage_id=args.outage,
        provider=args.provider,
        region=args.region,
        service=args.service,
        measure=args.measure,
        scope=args.scope,
        format=args.format,
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(out, index=False)
    for note in rows.attrs.get("notes", []):
        print(f"Note: {note}")
    print(rows.to_string(index=False))
    print(f"wrote {len(rows):,} windows to {out}")
    return 0
