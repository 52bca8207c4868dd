"""The auditable workbook, written by XlsxWriter from ``Results`` alone.

Sheets: Summary (per company, totals and a chart per currency), Losses, Credits,
Claims, Recoveries, Windows, Terms, Tiers, the five input tables in the input
format (the workbook loads back with ``load_inputs``), and Methodology.

Live formulas where a rule is spreadsheet-simple (DESIGN §5): uptime % from
minutes, the tier lookup, the credit with its cap, rounding and minimum, the
fee looked up from the contracts sheet, insurance covered hours, payouts and
limit, and every total. Only functions Excel and LibreOffice both compute.
Every formula is stored with the engine's value cached, so the file reads right
before any recalculation. The writer computes nothing: cached values, including
the intermediate steps, come from ``Results``. Formulas name their cells through
each sheet's layout (``estimator.reports.workbook.layouts``), never by letter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from estimator.reports.workbook.calc_sheets import credits_sheet
from estimator.reports.workbook.cells import ALLOWED_FUNCTIONS, Book
from estimator.reports.workbook.layouts import layouts
from estimator.reports.workbook.recoveries_sheet import recoveries_sheet
from estimator.reports.workbook.reference_sheets import (
    input_sheets,
    methodology_sheet,
    terms_sheet,
    tiers_sheet,
)
from estimator.reports.workbook.result_sheets import (
    claims_sheet,
    losses_sheet,
    reconciliation_sheet,
    summary_sheet,
    windows_sheet,
)
from estimator.writers import writes

if TYPE_CHECKING:
    from estimator.results.results import Results


@writes("results.workbook")
def write_workbook(results: Results, extra: Sequence[Callable[[Book], None]] = ()) -> bytes:
    """The workbook as bytes; ``extra`` writers add sheets before the Methodology sheet."""
    book = Book()
    sheets = layouts()
    # Summary first so it opens first; its formulas refer to the sheets after it.
    for write in (
        summary_sheet,
        losses_sheet,
        credits_sheet,
        claims_sheet,
        reconciliation_sheet,
        recoveries_sheet,
        windows_sheet,
        terms_sheet,
        tiers_sheet,
        input_sheets,
    ):
        write(book, results, sheets)
    for more in extra:
        more(book)
    methodology_sheet(book, results)
    return book.close()


__all__ = ["ALLOWED_FUNCTIONS", "write_workbook"]
