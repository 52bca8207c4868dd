"""``sla-estimator incidents FILE... [--format F] [--provider P] [--impact-map CSV] --out
outages.csv``: provider incident feeds (Statuspage, Google Cloud, AWS Health, Azure) -> outage
windows."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from estimator.sources.incidents import FORMATS, read_incidents


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "incidents",
        help="turn provider incident feeds (Statuspage, Google Cloud status, AWS Health, Azure Service Health) into outage windows",
        description="Read published incidents and write outages rows: one per affected "
        "service, region and phase, with the impact of each status from a table held as data "
        "(estimator/sources/incidents/data/impact_map.csv; change it with --impact-map).",
    )
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--format", choices=FORMATS, default=None, help="default: detected")
    p.add_argument("--provider", default=None, help="the provider slug (default: from the feed)")
    p.add_argument("--impact-map", default=None, metavar="CSV", help="format,status,impact rows")
    p.add_argument("--out", metavar="CSV", required=True, help="where to write outages.csv")


def run(args: argparse.Namespace) -> int:
    frames, unmapped = [], set()
    for path in args.files:
        rows = read_incidents(
            path, format=args.format, provider=args.provider, impact_table=args.impact_map
        )
        frames.append(rows)
        unmapped |= set(rows.attrs.get("unmapped", []))
    out_rows = pd.concat(frames, ignore_index=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out_rows.to_csv(out, index=False)
    print(
        out_rows[
            ["outage_id", "provider", "region", "service", "start", "end", "impact"]
        ].to_string(index=False)
    )
    if unmapped:
        print(
            "Unmapped services (kept under their own name; no contract names them): "
            + ", ".join(sorted(unmapped))
        )
    print(f"wrote {len(out_rows):,} windows to {out}")
    return 0
