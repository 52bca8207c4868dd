"""``sla-estimator risk``: simulated outage years priced for a portfolio, locally or on a Dask
cluster, with the AAL and the 1-in-100 and 1-in-250 losses per measure."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any

import estimator
from estimator.cli.progress import ProgressBar
from estimator.inputs.event_files import BUNDLED_CATALOG
from estimator.reports.console_risk import render_risk

DEFAULT_YEARS = 50_000
"""Years simulated from a catalog by default: the EP table to 1-in-1,000 with 50 years beyond
it, each return period's loss with its standard error (METHODOLOGY §17)."""


def add_parser(sub: Any) -> None:
    risk = sub.add_parser(
        "risk",
        help="portfolio risk: price simulated outage years; EP curves, AAL, accumulation",
        description="Fit a frequency-severity model to an outage catalog (or read an event "
        "set), price every simulated year with the exact rules of run for the companies of "
        "INPUT, and print the portfolio's average annual values and its 1-in-100 and 1-in-250 "
        "losses per measure, with where the loss accumulates.",
    )
    risk.add_argument(
        "input", metavar="INPUT", help="the portfolio: a scenario folder, .xlsx or .json"
    )
    source = risk.add_mutually_exclusive_group()
    source.add_argument(
        "--events", metavar="FILE", help="an event set (events.csv: outages + year)"
    )
    source.add_argument(
        "--catalog",
        metavar="FILE",
        default=None,
        help=f"the outage catalog to fit (default: {BUNDLED_CATALOG.name}, bundled)",
    )
    risk.add_argument(
        "--years", type=int, default=None, help="simulated years (50,000 from a catalog)"
    )
    risk.add_argument("--seed", type=int, default=0, help="same seed, same years (0)")
    risk.add_argument(
        "--start",
        default="2025-01-01T00:00:00Z",
        help="the reference year's start (events are placed in the year from it)",
    )
    risk.add_argument("--currency", default="USD", help="the reporting currency (USD)")
    rules = estimator.dependency_rules()
    risk.add_argument("--rule", choices=list(rules), default="max")
    risk.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, tcp://host:port")
    risk.add_argument("--out-dir", metavar="DIR", help="write the YLT and ELT as Parquet here")
    risk.add_argument("--out", metavar="REPORT.xlsx", help="write the risk workbook")
    risk.add_argument("--json", metavar="FILE", help="write the risk results as JSON")
    risk.add_argument(
        "--engine",
        choices=["totals", "full"],
        default="totals",
        help="price each company-year by the totals path (default) or build every table (full)",
    )


def run(args: argparse.Namespace) -> int:
    progress = ProgressBar()
    progress("loading", 0, 1)
    inputs = estimator.load_inputs(args.input)
    settings: dict[str, str]
    if args.events:
        events = estimator.load_events(args.events)
        settings = {"event set": str(args.events)}
    else:
        catalog = args.catalog or BUNDLED_CATALOG
        years = args.years or DEFAULT_YEARS
        progress("events", 0, 1)
        events = estimator.stochastic_events(
            catalog, years=years, seed=args.seed, start=args.start, exposure=inputs
        )
        settings = {"catalog": str(catalog), "seed": str(args.seed), "reference year": args.start}
    with _client(args.scheduler) as client:
        result = estimator.risk(
            inputs,
            events,
            years=args.years,
            reporting_currency=args.currency,
            dependency_rule=args.rule,
            client=client,
            out_dir=args.out_dir,
            progress=progress,
            engine=args.engine,
        )
    result.settings.update(settings)
    progress.close()
    print(render_risk(result))
    if args.out:
        print(f"\nworkbook written to {result.to_excel(args.out)}")
    if args.json:
        print(f"JSON written to {result.to_json(args.json)}")
    if args.out_dir:
        print(f"YLT and ELT written to {args.out_dir}/ylt and {args.out_dir}/elt (Parquet)")
    return 0


@contextlib.contextmanager
def _client(address: str | None) -> Iterator[Any]:
    if not address:
        yield None
        return
    from distributed import Client

    with Client(address) as client:  # type: ignore[no-untyped-call]
        yield client
