"""Reference sheets: the SLA terms and tiers, the inputs (which load back), the methodology."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from estimator.inputs.schema import TABLES
from estimator.reports.workbook.cells import Book, Layout, columns, rows
from estimator.version import VERSION

if TYPE_CHECKING:
    from estimator.results.results import Results

METHODOLOGY = Path(__file__).resolve().parents[3] / "METHODOLOGY.md"
READING = [
    "Summary: per company (grouped by currency), total loss, SLA credits receivable (owed by "
    "providers) and payable (owed to the company's customers), insurance recoveries, net impact "
    "and recovery ratio; totals per currency; one chart per currency.",
    "Losses: one row per company and outage event. Credits: one row per SLA contract and UTC "
    "month. Claims: each credit the company can claim, most urgent first. Recoveries: one row "
    "per insurance episode. Windows: every outage window as priced at the as-of time.",
    "Columns with a beige header are calculation steps; a formula's cached value is the engine's "
    "result, so the file reads right before recalculation. 'Matches export' compares the live "
    "formula with the engine's value at export time: it turns FALSE when you change an input.",
    "Change a monthly fee, hourly payout, waiting period, deductible or limit on the contracts "
    "sheet, or a tier credit on Tiers, and the credits, payouts and totals follow.",
    "The sheets outages, companies, contracts, exclusions and revenue_profiles are the inputs in "
    "the input format: this workbook loads back as input. Their times are date-time cells in "
    "UTC (Excel cells hold no UTC offset; date-time cells are read back as UTC).",
]


def terms_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    T = L["Terms"]
    wide = {"sla_version": 34, "tiers": 30, "claim_how": 50, "source": 50, "evidence": 50}
    ws = b.sheet_raw(T, wide)
    dates = {"effective_from", "superseded_on", "introduced"}
    for i, values in enumerate(columns(r.terms[T.columns])):
        for c, (name, value) in enumerate(zip(T.columns, values, strict=True)):
            b.put(ws, i + 1, c, value, b.f_date if name in dates else None)
    b.finish(ws, len(r.terms), len(T.columns))


def tiers_sheet(b: Book, r: Results, L: dict[str, Layout]) -> None:
    """The tier tables; increment_pct is what each tier adds to the one above it, so the
    Credits sheet sums the increments of the bounds the uptime is below."""
    TI = L["Tiers"]
    ws = b.sheet_raw(TI, {"sla_version": 34})
    t = r.tiers
    for i, row in enumerate(rows(t)):
        n = i + 2
        first = i == 0 or t["sla_version"].iloc[i - 1] != row.sla_version
        prev = 0.0 if first else float(t["credit_pct"].iloc[i - 1])
        c = {name: f"{letter}{n}" for name, letter in TI.letters.items()}
        same = f"${TI['sla_version']}{n}=${TI['sla_version']}{n - 1}"
        text = (
            f"={c['credit_pct']}"
            if i == 0
            else f"={c['credit_pct']}-IF({same},{TI['credit_pct']}{n - 1},0)"
        )
        values: dict[str, Any] = row._asdict()
        for col, name in enumerate(TI.columns):
            if name == "increment_pct":
                step = float(row.credit_pct) - prev
                b.formula(ws, i + 1, col, text, step, b.places(step, 6))
            else:
                value = values.get(name)
                b.put(ws, i + 1, col, value, None if name == "sla_version" else b.places(value, 6))
    b.finish(ws, len(t), len(TI.columns))


def input_sheets(b: Book, r: Results, L: dict[str, Layout]) -> None:
    """The inputs in the input format; times as date-time cells in UTC (filters and sorting
    work in Excel), which load back as UTC."""
    for table in TABLES:
        frame = getattr(r.inputs, table.name)
        if frame.empty and not table.written_when_empty:
            continue  # charges and claim_log: a sheet only when the scenario has them
        layout = L[table.name]
        ws = b.sheet_raw(layout, {c: max(12, min(40, len(c) + 4)) for c in layout.columns})
        kinds = {c.name: c.kind for c in table.columns}
        for i, values in enumerate(columns(frame.reindex(columns=layout.columns))):
            for c, (name, value) in enumerate(zip(layout.columns, values, strict=True)):
                fmt = b.f_datetime if kinds.get(name) == "timestamp" else None
                b.put(ws, i + 1, c, value, fmt)
        b.finish(ws, len(frame), len(layout.columns))


def methodology_sheet(b: Book, r: Results) -> None:
    ws = b.book.add_worksheet("Methodology")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 110)
    ws.write_string(0, 0, "Outage loss and SLA credit estimate", b.f_title)
    facts: list[tuple[str, str]] = [
        ("As of (UTC): the valuation time", f"{r.as_of:%Y-%m-%d %H:%M:%S}"),
        ("Dependency rule", r.dependency_rule),
        ("Project version", f"sla-estimator {VERSION}"),
        ("Inputs", r.inputs.source or "DataFrames"),
        *[("Note on the inputs", note) for note in r.inputs.notes],
        *[(title.capitalize(), ", ".join(ids) or "none") for title, ids in r.as_of_lists()],
        ("SLA terms used", "; ".join(r.terms["sla_version"]) or "none"),
    ]
    row = 2
    for key, value in facts:
        ws.write_string(row, 0, key, b.f_bold)
        b.put(ws, row, 1, value, b.f_wrap)
        row += 1
    row += 1
    ws.write_string(row, 0, "How to read this workbook", b.f_bold)
    for line in READING:
        ws.write_string(row, 1, line, b.f_wrap)
        row += 1
    for title, text in methodology_sections():
        row += 1
        ws.write_string(row, 0, title, b.f_bold)
        for line in text:
            b.put(ws, row, 1, line, b.f_wrap)
            row += 1


def methodology_sections(path: Path = METHODOLOGY) -> list[tuple[str, list[str]]]:
    """METHODOLOGY.md as (section title, paragraphs): bullets and table rows one per line."""
    if not path.exists():
        return [("Methodology", ["METHODOLOGY.md is not installed with this copy."])]
    sections: list[tuple[str, list[str]]] = []
    lines: list[str] = []
    title = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{2,3} (.*)", raw)
        if heading:
            if title:
                sections.append((title, lines))
            title, lines = heading.group(1).strip(), []
        elif raw.startswith("# ") or re.fullmatch(r"\|[-| :]+\|", raw.strip()):
            continue
        elif raw.startswith(("* ", "- ", "| ")) or re.match(r"^\d+\. ", raw) or not lines:
            if raw.strip():
                lines.append(raw.strip().strip("|").replace(" | ", " | ").strip())
        elif raw.strip():
            lines[-1] += " " + raw.strip()
        else:
            lines.append("")
    if title:
        sections.append((title, lines))
    return [(t, [x.strip() for x in text if x.strip()]) for t, text in sections]
