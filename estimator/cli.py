"""The ``sla-estimator`` command line.

``sla-estimator run INPUT`` validates the inputs, estimates, and prints losses,
credits (with claim deadlines), insurance recoveries and the summary. On bad
input it prints every problem and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

import estimator
from estimator.labels import format_money_columns, format_ratio, label
from estimator.progress import ProgressBar
from estimator.results import LOSS_COLUMNS

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sla-estimator",
        description="Estimate what a cloud outage cost, which SLA credits are owed both ways, "
        "what insurance pays back, and the loss that is left.",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the Python traceback of an internal error (not of bad input)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="validate inputs, estimate and print the results",
        description="Validate the inputs, estimate, and print losses, SLA credits with claim "
        "deadlines, insurance recoveries and the per-company summary. Exit status 2 "
        "with every problem listed when the inputs are invalid.",
    )
    run.add_argument(
        "input",
        metavar="INPUT",
        help="a folder of CSV files (outages.csv, companies.csv, contracts.csv, "
        "optional exclusions.csv, revenue_profiles.csv), an .xlsx workbook with "
        "sheets of those names, or a .json file holding the same tables",
    )
    run.add_argument(
        "--as-of",
        metavar="TIME",
        default=None,
        help="end of ongoing outages (blank end), ISO 8601 with a UTC offset, "
        "e.g. 2021-12-08T00:00:00Z (default: now)",
    )
    run.add_argument(
        "--rule",
        choices=["max", "independent"],
        default="max",
        help="how a company's contracts combine into its lost share: max (default, "
        "never double counts) or independent (1 - product of (1 - share x impact))",
    )
    run.add_argument(
        "--out",
        metavar="REPORT.xlsx",
        default=None,
        help="also write the auditable Excel workbook to this path",
    )
    run.add_argument(
        "--json",
        metavar="RESULTS.json",
        default=None,
        help="also write the results as JSON to this path",
    )
    cat = sub.add_parser(
        "catalog",
        help="list the SLA templates of the catalog",
        description="List the SLA catalog: one line per template version.",
    )
    cat.add_argument("--provider", default=None, help="only this provider (aws, azure, gcp, ...)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        return _catalog(args)
    except estimator.InputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # an internal error: say so plainly
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n(run again with --debug for the "
            "traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> int:
    progress = ProgressBar()
    progress("loading", 0, 1)
    inputs = estimator.load_inputs(args.input)
    results = estimator.estimate(
        inputs, dependency_rule=args.rule, as_of=args.as_of, progress=progress
    )
    if args.out:
        progress("writing", 0, 1)
    progress.close()
    print(render(results))
    if args.out:
        print(f"\nworkbook written to {results.to_excel(args.out)}")
    if args.json:
        print(f"JSON written to {results.to_json(args.json)}")
    return EXIT_OK


def _catalog(args: argparse.Namespace) -> int:
    frame = estimator.sla_catalog()
    if args.provider:
        frame = frame[frame["provider"] == args.provider]
    cols = ["version_label", "commitment_pct", "tiers", "cap_pct", "claim_rule", "verified"]
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.max_colwidth", 40
    ):
        print(frame[cols].to_string(index=False))
    return EXIT_OK


def _table(frame: pd.DataFrame, columns: list[str]) -> str:
    if frame.empty:
        return "  (none)"
    shown = format_money_columns(frame)[columns].rename(columns=label)
    with pd.option_context(
        "display.max_rows", None, "display.width", 250, "display.max_colwidth", 60
    ):
        return shown.to_string(index=False)


CREDIT_SHOWN = [
    "contract_id",
    "kind",
    "month",
    "downtime_minutes",
    "uptime_pct",
    "credit_pct",
    "credit_amount",
    "currency",
    "claim_deadline",
    "sla_version",
    "needs_review",
]
RECOVERY_SHOWN = [
    "contract_id",
    "company_id",
    "episode_start",
    "hours",
    "covered_hours",
    "payout",
    "currency",
]


def render(results: estimator.Results) -> str:
    """The printed report: losses, credits, recoveries, summary, totals."""
    parts = [
        f"Estimate as of {results.as_of:%Y-%m-%d %H:%M:%S} UTC; dependency rule "
        f"{results.dependency_rule!r}; source {results.inputs.source}"
    ]
    if results.ongoing:
        parts.append("Ongoing outages (run to the as-of time): " + ", ".join(results.ongoing))
    credits = results.credits.copy()
    if not credits.empty:
        credits["claim_deadline"] = credits["claim_deadline"].dt.strftime("%Y-%m-%d").fillna("")
        credits["uptime_pct"] = credits["uptime_pct"].map(lambda v: f"{v:.4f}")
        credits["needs_review"] = credits["needs_review"].map({True: "yes", False: ""})
    rec = results.recoveries.copy()
    if not rec.empty:
        rec["episode_start"] = rec["episode_start"].dt.strftime("%Y-%m-%d %H:%M")
    summary = results.summary.copy()
    totals = results.totals()
    for frame in (summary, totals):
        frame["recovery_ratio"] = frame["recovery_ratio"].map(format_ratio)
    sections = [
        ("Losses by company and outage", results.losses, LOSS_COLUMNS),
        (
            "SLA credits (provider: owed to the company; customer: owed by it)",
            credits,
            CREDIT_SHOWN,
        ),
        ("Insurance recoveries", rec, RECOVERY_SHOWN),
        ("Summary by company", summary, list(summary.columns)),
        ("Totals by currency", totals, list(totals.columns)),
    ]
    for title, frame, columns in sections:
        parts += ["", title, _table(frame, columns)]
    if results.credits["needs_review"].any():
        n = int(results.credits["needs_review"].sum())
        parts += [
            "",
            f"{n} credit rows need review: their terms are unverified or unknown "
            "(see review_reason in the JSON or the workbook's Credits sheet).",
        ]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
