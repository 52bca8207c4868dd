"""``sla-estimator billing EXPORT... --out charges.csv``: cloud billing exports -> the
``charges`` input table, with what could not be mapped listed, never dropped."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from estimator.sources.billing import FORMATS, BillingExport, read_export


def add_parser(sub: Any) -> None:
    billing = sub.add_parser(
        "billing",
        help="read billing exports (FOCUS, AWS CUR, Google Cloud, Azure) into charges.csv",
        description="Read cloud billing exports and write the charges table a scenario takes "
        "(charges.csv beside contracts.csv): one row per provider, service, region, month, "
        "account and currency. Lines of services the catalog does not know are kept with a "
        "blank service and listed; tax lines are excluded and totalled.",
    )
    billing.add_argument(
        "exports", metavar="EXPORT", nargs="+", help="export files (CSV, .gz, Parquet)"
    )
    billing.add_argument(
        "--format",
        choices=list(FORMATS),
        default=None,
        help="the exports' format (default: detected from each header)",
    )
    billing.add_argument("--out", metavar="CSV", required=True, help="where to write charges.csv")


def run(args: argparse.Namespace) -> int:
    read: list[BillingExport] = []
    for path in args.exports:
        export = read_export(path, format=args.format)
        read.append(export)
        print(_file_line(Path(path).name, export))
    charges = pd.concat([e.charges for e in read], ignore_index=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    charges.to_csv(out, index=False)
    print(render_billing(charges, [e.excluded for e in read]))
    print(f"wrote {len(charges):,} rows to {out}")
    return 0


def _file_line(name: str, export: BillingExport) -> str:
    source = export.charges["source"].iloc[0] if len(export.charges) else name
    return f"{source}: {export.lines:,} lines, {len(export.charges):,} rows"


def render_billing(charges: pd.DataFrame, excluded: list[pd.DataFrame]) -> str:
    """The totals by provider and currency, the unmapped lines and the excluded (tax) lines."""
    if charges.empty:
        return "no charges"
    parts = []
    mapped = charges[charges["service"] != ""]
    totals = mapped.groupby(["provider", "currency"], as_index=False)[
        ["charges", "credits_received"]
    ].sum()
    parts.append("Charges by provider (mapped services):\n" + totals.to_string(index=False))
    unmapped = charges[charges["service"] == ""]
    if len(unmapped):
        listed = unmapped.groupby(["provider", "source_service", "currency"], as_index=False)[
            ["charges", "credits_received"]
        ].sum()
        parts.append(
            f"Unmapped ({len(listed)} services: kept with a blank service; no contract takes "
            "them):\n" + listed.to_string(index=False)
        )
    tax = [e for e in excluded if len(e)]
    if tax:
        frame = pd.concat(tax, ignore_index=True)
        summed = frame.groupby(["provider", "currency"], as_index=False)["amount"].sum()
        parts.append("Excluded (tax lines, not a credit base):\n" + summed.to_string(index=False))
    return "\n\n".join(parts)
