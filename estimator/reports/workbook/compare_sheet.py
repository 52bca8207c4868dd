"""The Compare sheet: two estimates side by side per company, measure and currency, the
difference B - A as a formula, and the inputs that changed. Written beside B's workbook when
B is an estimate, else on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from estimator.columns import label
from estimator.reports.excel import write_workbook
from estimator.reports.workbook.cells import Book, Layout
from estimator.writers import writes

if TYPE_CHECKING:
    from estimator.results.compare import Comparison

SHEET = "Compare"
COLUMNS = ["company_id", "currency", "measure", "a", "b", "difference"]
CHANGES = ["table", "key", "change", "columns", "a", "b"]


@writes("comparison.workbook")
def comparison_workbook(c: Comparison) -> bytes:
    if c.b_results is not None:
        return write_workbook(c.b_results, extra=[lambda book: compare_sheet(book, c)])
    book = Book()
    compare_sheet(book, c)
    return book.close()


def compare_sheet(b: Book, c: Comparison) -> None:
    layout = Layout(SHEET, COLUMNS)
    ws = b.book.add_worksheet(SHEET)
    heads = ["Company", "Currency", "Measure", c.a_name, c.b_name, f"{c.b_name} - {c.a_name}"]
    for col, head in enumerate(heads):
        ws.write_string(0, col, head, b.f_head)
        ws.set_column(col, col, 22 if col < 3 else 18)
    for i, rec in enumerate(c.summary.to_dict(orient="records"), start=1):
        money = b.money(str(rec["currency"]))
        b.put(ws, i, 0, rec["company_id"])
        b.put(ws, i, 1, rec["currency"])
        b.put(ws, i, 2, label(str(rec["measure"])))
        b.put(ws, i, 3, float(rec["a"]), money)
        b.put(ws, i, 4, float(rec["b"]), money)
        n = i + 1
        text = f"=N({layout['b']}{n})-N({layout['a']}{n})"
        b.formula(ws, i, 5, text, float(rec["difference"]), money)
    _changes(b, ws, c, len(c.summary) + 3)


def _changes(b: Book, ws: Any, c: Comparison, top: int) -> None:
    ws.write_string(top, 0, f"Inputs that changed from {c.a_name} to {c.b_name}", b.f_bold)
    if c.changes.empty:
        ws.write_string(top + 1, 0, "none (or the inputs of a saved estimate are not at hand)")
        return
    for col, name in enumerate(CHANGES):
        ws.write_string(top + 1, col, name, b.f_head)
    for i, rec in enumerate(c.changes[CHANGES].to_dict(orient="records"), start=top + 2):
        for col, name in enumerate(CHANGES):
            b.put(ws, i, col, str(rec[name]))
