"""``sla-estimator library list|save|show|delete``, ``what-if`` and ``compare``: the scenario
library (SQLite by default, PostgreSQL by ``--db URL``), what-if replays, and side-by-side
comparison. A SOURCE is an input path (folder, .xlsx, .json) or the id of a saved scenario;
``estimate:ID`` names a saved estimate as it was saved."""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

import estimator
from estimator.inputs.what_if import what_if
from estimator.library import Library, default_url
from estimator.reports.console import table
from estimator.results.compare import Comparison, compare


def add_parsers(sub: Any) -> None:
    lib = sub.add_parser("library", help="saved scenarios and estimates (SQLite or PostgreSQL)")
    verbs = lib.add_subparsers(dest="verb", required=True, metavar="VERB")
    _db(verbs.add_parser("list", help="every saved scenario"))
    save = verbs.add_parser("save", help="save a scenario (a new name, or a new version)")
    save.add_argument("input", metavar="INPUT", help="a folder of CSV files, .xlsx or .json")
    save.add_argument("--name", required=True)
    save.add_argument("--note", default="")
    save.add_argument("--parent", type=int, default=None, help="save as a new version of ID")
    save.add_argument("--estimate", action="store_true", help="also estimate and save it")
    _estimate_options(save)
    show = verbs.add_parser("show", help="a scenario, its estimates and its latest summary")
    show.add_argument("id", type=int)
    delete = verbs.add_parser("delete", help="delete a scenario and its estimates")
    delete.add_argument("id", type=int)
    for p in (save, show, delete):
        _db(p)
    wi = sub.add_parser("what-if", help="replay one outage: another time, length, region, impact")
    wi.add_argument("source", metavar="SOURCE", help="an input path or a saved scenario id")
    wi.add_argument("outage_id", metavar="OUTAGE_ID", help="in the inputs or the bundled catalog")
    wi.add_argument("--shift-to", metavar="TIME", help="the outage's new start (ISO, with offset)")
    wi.add_argument("--duration-factor", type=float, help="every window's length times this")
    wi.add_argument("--region", help="move the outage to this region")
    wi.add_argument("--impact", type=float, help="every window's impact")
    wi.add_argument("--save", metavar="NAME", help="save the what-if in the library")
    wi.add_argument("--out", metavar="REPORT.xlsx", help="the what-if's workbook with Compare")
    _estimate_options(wi)
    _db(wi)
    cmp = sub.add_parser("compare", help="two estimates side by side, per company")
    cmp.add_argument("a", metavar="A", help="an input path, a saved scenario id, or estimate:ID")
    cmp.add_argument("b", metavar="B")
    cmp.add_argument("--out", metavar="REPORT.xlsx", help="write B's workbook with a Compare sheet")
    _estimate_options(cmp)
    _db(cmp)


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=f"the library: sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB "
        f"(default: $SLA_ESTIMATOR_LIBRARY or {default_url()})",
    )


def _estimate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="TIME", default=None, help="the valuation time")
    parser.add_argument("--rule", choices=list(estimator.dependency_rules()), default="max")


def run(args: argparse.Namespace) -> int:
    if args.command == "what-if":
        return _what_if(args)
    if args.command == "compare":
        return _compare(args)
    lib = Library(args.db)
    if args.verb == "list":
        _print(lib.list(), "no scenario saved yet")
    elif args.verb == "save":
        inputs = estimator.load_inputs(args.input)
        new = lib.save(inputs, args.name, args.note, parent=args.parent)
        print(f"saved scenario {new} ({args.name}) in {lib.shown}")
        if args.estimate:
            results = estimator.estimate(inputs, dependency_rule=args.rule, as_of=args.as_of)
            print(f"saved estimate {lib.save_estimate(new, results)} of scenario {new}")
    elif args.verb == "show":
        _show(lib, args.id)
    else:
        lib.delete(args.id)
        print(f"deleted scenario {args.id} from {lib.shown}")
    return 0


def _show(lib: Library, scenario: int) -> None:
    saved = lib.estimates(scenario)  # a missing id is reported before anything is printed
    rows = lib.list()
    _print(rows[rows["id"] == scenario], "")
    print("\nEstimates")
    _print(saved, "none saved")
    if len(saved):
        summary = lib.estimate_summary(int(saved["id"].iloc[0]))
        print(f"\nSummary of estimate {int(saved['id'].iloc[0])}")
        print(table(summary, list(summary.columns)))


def _print(frame: pd.DataFrame, empty: str) -> None:
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(frame.to_string(index=False) if len(frame) else f"({empty})")


def _source(text: str, db: str | None) -> tuple[estimator.Inputs, str]:
    if text.isdigit():
        return Library(db).load(int(text)), f"scenario {text}"
    return estimator.load_inputs(text), text


def _what_if(args: argparse.Namespace) -> int:
    inputs, name = _source(args.source, args.db)
    replay = what_if(
        inputs,
        args.outage_id,
        shift_to=args.shift_to,
        duration_factor=args.duration_factor,
        region=args.region,
        impact=args.impact,
    )
    a = estimator.estimate(inputs, dependency_rule=args.rule, as_of=args.as_of)
    b = estimator.estimate(replay, dependency_rule=args.rule, as_of=args.as_of)
    result = compare(a, b, names=(name, "what-if"))
    print(replay.source.rsplit("; ", 1)[-1])
    _report(result)
    if args.save:
        lib = Library(args.db)
        parent = int(args.source) if args.source.isdigit() else None
        new = lib.save(replay, args.save, replay.source.rsplit("; ", 1)[-1], parent=parent)
        lib.save_estimate(new, b)
        print(f"saved the what-if as scenario {new} ({args.save}) with its estimate")
    if args.out:
        print(f"workbook written to {result.to_excel(args.out)}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    sides = [_side(text, args) for text in (args.a, args.b)]
    result = compare(sides[0], sides[1], names=(args.a, args.b))
    _report(result)
    if args.out:
        print(f"workbook written to {result.to_excel(args.out)}")
    return 0


def _side(text: str, args: argparse.Namespace) -> estimator.Results | pd.DataFrame:
    if text.startswith("estimate:"):
        return Library(args.db).estimate_summary(int(text.split(":", 1)[1]))
    inputs, _ = _source(text, args.db)
    return estimator.estimate(inputs, dependency_rule=args.rule, as_of=args.as_of)


def _report(c: Comparison) -> None:
    s = c.summary
    shown = s.assign(
        measure=s["measure"].map(estimator.columns.label),
        **{
            col: [
                estimator.display.format_money(v, cur)
                for v, cur in zip(s[col], s["currency"], strict=True)
            ]
            for col in ("a", "b", "difference")
        },
    ).rename(columns={"a": c.a_name, "b": c.b_name, "difference": f"{c.b_name} - {c.a_name}"})
    print(f"\n{c.b_name} against {c.a_name}, per company (each in its currency)")
    _print(
        shown.rename(
            columns={"company_id": "Company", "currency": "Currency", "measure": "Measure"}
        ),
        "nothing to compare",
    )
    print(f"\nInputs changed: {len(c.changes)} row(s)")
    if len(c.changes):
        _print(c.changes[["table", "key", "change", "columns"]], "")
