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
from estimator.cli import billing as cli_billing
from estimator.cli import incidents as cli_incidents
from estimator.cli import library as cli_library
from estimator.cli import monitoring as cli_monitoring
from estimator.cli import risk as cli_risk
from estimator.cli.progress import ProgressBar
from estimator.errors import LibraryError
from estimator.portfolio.streaming import estimate_to_parquet
from estimator.reports.claims_pack import index, write_pack
from estimator.reports.console import header, render, render_simulation, render_streamed

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
    _estimate_options(run)
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
    run.add_argument(
        "--out-dir",
        metavar="DIR",
        default=None,
        help="for portfolios too large for memory: estimate companies partition by partition "
        "and write losses, credits, recoveries, claims and the summary to Parquet in DIR; "
        "prints the totals per currency (not with --out or --json)",
    )
    claims = sub.add_parser(
        "claims",
        help="draft the SLA credit claims to send, with deadlines and status",
        description="Estimate, then list the SLA credit claims per company, provider and month, "
        "most urgent first, with their status on the as-of date. With --out, write a "
        "ready-to-send Markdown draft per open claim (what the provider asks a claim to "
        "contain, the incidents, the credit requested), an index, and claims.csv; expired "
        "claims are listed apart, not drafted.",
    )
    _estimate_options(claims)
    claims.add_argument(
        "--out", metavar="DIR", default=None, help="write the claim pack into this folder"
    )
    sim = sub.add_parser(
        "simulate",
        help="every figure as a distribution: draw the uncertain inputs and price each draw",
        description="Draw the uncertain inputs (the uncertainty table) and price every draw with "
        "the exact rules of run; print P5, P50 and P95 per company of the loss, credits both "
        "ways, insurance and net impact, and what moves each most.",
    )
    _estimate_options(sim)
    sim.add_argument("--draws", type=int, default=10_000, help="number of draws (10,000)")
    sim.add_argument("--seed", type=int, default=0, help="same seed, same draws (0)")
    sim.add_argument("--out", metavar="REPORT.xlsx", default=None, help="write the workbook")
    sim.add_argument("--json", metavar="FILE", default=None, help="write the simulation as JSON")
    sim.add_argument(
        "--engine",
        choices=["totals", "full"],
        default="totals",
        help="price each draw by the totals path (default) or build every table (full)",
    )
    cli_risk.add_parser(sub)
    cli_billing.add_parser(sub)
    cli_monitoring.add_parser(sub)
    cli_incidents.add_parser(sub)
    cli_library.add_parsers(sub)
    cat = sub.add_parser(
        "catalog",
        help="list the SLA templates of the catalog",
        description="List the SLA catalog: one line per template version.",
    )
    cat.add_argument("--provider", default=None, help="only this provider (aws, azure, gcp, ...)")
    return parser


def _estimate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input",
        metavar="INPUT",
        help="a folder of CSV files (outages.csv, companies.csv, contracts.csv, "
        "optional exclusions.csv, revenue_profiles.csv), an .xlsx workbook with "
        "sheets of those names, or a .json file holding the same tables",
    )
    parser.add_argument(
        "--as-of",
        metavar="TIME",
        default=None,
        help="the valuation time, ISO 8601 with a UTC offset, e.g. 2022-01-01T00:00:00Z "
        "(default: now): nothing after it is counted; windows are cut at it, ongoing ones run "
        "to it, later ones are left out; claim statuses are read on its date",
    )
    rules = estimator.dependency_rules()
    parser.add_argument(
        "--rule",
        choices=list(rules),
        default="max",
        help="how a company's contracts combine into its lost share: "
        + "; ".join(f"{name}: {text}" for name, text in rules.items()),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "claims":
            return _claims(args)
        if args.command == "simulate":
            return _simulate(args)
        if args.command == "risk":
            return cli_risk.run(args)
        if args.command == "billing":
            return cli_billing.run(args)
        if args.command == "monitoring":
            return cli_monitoring.run(args)
        if args.command == "incidents":
            return cli_incidents.run(args)
        if args.command in ("library", "what-if", "compare"):
            return cli_library.run(args)
        return _catalog(args)
    except estimator.InputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except LibraryError as exc:
        print(f"library: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # the reader stopped early (| head): not an error
        sys.stdout = None
        return EXIT_OK
    except Exception as exc:  # an internal error: say so plainly
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc}\n(run again with --debug for the "
            "traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _estimate(args: argparse.Namespace, progress: ProgressBar) -> estimator.Results:
    progress("loading", 0, 1)
    inputs = estimator.load_inputs(args.input)
    return estimator.estimate(
        inputs, dependency_rule=args.rule, as_of=args.as_of, progress=progress
    )


def _run(args: argparse.Namespace) -> int:
    if args.out_dir:
        return _run_streamed(args)
    progress = ProgressBar()
    results = _estimate(args, progress)
    if args.out:
        progress("writing", 0, 1)
    progress.close()
    print(render(results))
    _write(results, args)
    return EXIT_OK


def _run_streamed(args: argparse.Namespace) -> int:
    if args.out or args.json:
        print("--out-dir writes Parquet: leave out --out and --json", file=sys.stderr)
        return EXIT_INPUT
    progress = ProgressBar()
    progress("loading", 0, 1)
    inputs = estimator.load_inputs(args.input)
    done = estimate_to_parquet(
        inputs, args.out_dir, dependency_rule=args.rule, as_of=args.as_of, progress=progress
    )
    progress.close()
    print(render_streamed(done.summary, done.rows, done.as_of, str(done.folder)))
    return EXIT_OK


def _write(report: estimator.Results | estimator.Simulation, args: argparse.Namespace) -> None:
    """The workbook (--out) and the JSON (--json) of a result, where asked for."""
    if args.out:
        print(f"\nworkbook written to {report.to_excel(args.out)}")
    if args.json:
        print(f"JSON written to {report.to_json(args.json)}")


def _claims(args: argparse.Namespace) -> int:
    progress = ProgressBar()
    results = _estimate(args, progress)
    progress.close()
    from estimator.results.claims import claim_pack

    drafts = claim_pack(results)
    print("\n".join(header(results)) + "\n")
    print(
        index(
            results,
            [c for c in drafts if c.to_send],
            [c for c in drafts if c.expired],
            [c for c in drafts if c.logged],
        )
    )
    if args.out:
        paths = write_pack(results, args.out)
        print(f"claim pack written to {args.out} ({len(paths)} files)")
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    progress = ProgressBar()
    progress("loading", 0, 1)
    inputs = estimator.load_inputs(args.input)
    sim = estimator.simulate(
        inputs,
        draws=args.draws,
        seed=args.seed,
        dependency_rule=args.rule,
        as_of=args.as_of,
        progress=progress,
        engine=args.engine,
    )
    progress.close()
    print(render_simulation(sim))
    _write(sim, args)
    return EXIT_OK


def _catalog(args: argparse.Namespace) -> int:
    frame = estimator.sla_catalog()
    if args.provider:
        frame = frame[frame["provider"] == args.provider]
    cols = [
        "version_label",
        "commitment_pct",
        "tiers",
        "cap_pct",
        "scopes",
        "claim_rule",
        "verified",
    ]
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.max_colwidth", 40
    ):
        print(frame[cols].to_string(index=False))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
