"""Cells of the workbook: typed values, formulas with cached values, formats, sheet layouts.

A sheet is laid out by a list of column names (:class:`Layout`); formulas name
their cells through it (``L["credit_amount"]``), never by a fixed letter, so a
column inserted into a layout moves every formula that refers to it.

Every user-supplied text is written as a text cell, never as a formula; text a
spreadsheet could take for a formula (= + - @ ...) also gets Excel's quote
prefix, so it stays text when the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from estimator.columns import label
from pricing.money import currencies

RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
ALLOWED_FUNCTIONS = frozenset(
    {"INDEX", "MATCH", "SUMPRODUCT", "SUMIFS", "SUMIF", "SUM", "ROUND", "MIN", "MAX", "IF"}
    | {"AND", "OR", "LARGE", "SQRT", "N"}
)
"""Every function the workbook's formulas use: all computed by Excel and LibreOffice alike."""


class Layout:
    """A sheet's columns by name, and the letter of each (``layout["credit_amount"]``)."""

    def __init__(self, sheet: str, columns: Sequence[str]):
        self.sheet = sheet
        self.columns = list(columns)
        self.index = {name: i for i, name in enumerate(self.columns)}
        self.letters: dict[str, str] = {
            name: str(xl_col_to_name(i)) for i, name in enumerate(self.columns)
        }

    def __getitem__(self, name: str) -> str:
        return self.letters[name]

    def span(self, name: str, first: int, last: int) -> str:
        """An absolute range of one column on this sheet: ``Credits!$K$2:$K$9``."""
        letter = self.letters[name]
        return f"{self.sheet}!${letter}${first}:${letter}${last}"


class PlainFormulaWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet that stores formulas as written.

    XlsxWriter rewrites every formula with 29 regular expressions to add ``_xlfn.``
    prefixes to dynamic-array functions; our formulas use none (``ALLOWED_FUNCTIONS``), so
    the rewrite is skipped, which makes the workbook about three times faster to write. It
    is a subclass given to the public ``add_worksheet(worksheet_class=...)``; XlsxWriter is
    pinned to the minor version it was tested with, and a test checks that the library's
    own rewrite leaves every formula the writer emits unchanged.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula


class Book:
    """An XlsxWriter workbook with the formats and typed writes every sheet uses."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buf,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        add = self.book.add_format
        self.f_head = add({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "bottom": 1})
        self.f_calc_head = add(
            {"bold": True, "bg_color": "#F2E6D0", "text_wrap": True, "bottom": 1}
        )
        self.f_text = add({})
        self.f_quoted = add({"quote_prefix": True})
        self.f_date = add({"num_format": "yyyy-mm-dd"})
        self.f_datetime = add({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.f_ratio = add({"num_format": "0.0%"})
        self.f_bold = add({"bold": True})
        self.f_title = add({"bold": True, "font_size": 14})
        self.f_wrap = add({"text_wrap": True, "valign": "top"})
        self._money: dict[str, Any] = {}
        self._places: dict[int, Any] = {}

    def close(self) -> bytes:
        self.book.close()
        return self.buf.getvalue()

    # --- formats ----------------------------------------------------------------------

    def money(self, currency: str) -> Any:
        """The number format of an amount in a currency (its minor-unit places and code)."""
        if currency not in self._money:
            places = currencies().get(currency, 2)
            digits = "." + "0" * places if places else ""
            code = currency.replace('"', "")
            self._money[currency] = self.book.add_format(
                {"num_format": f'#,##0{digits} "{code}";-#,##0{digits} "{code}"'}
            )
        return self._money[currency]

    def places(self, value: Any, most: int) -> Any:
        """A number format with the decimals this value needs, at most ``most``."""
        return self.decimals_format(needed_places(value, most))

    def decimals_format(self, n: int) -> Any:
        """The number format with ``n`` decimals."""
        if n not in self._places:
            self._places[n] = self.book.add_format(
                {"num_format": "#,##0" + ("." + "0" * n if n else "")}
            )
        return self._places[n]

    def places_column(self, values: Any, most: int) -> list[Any]:
        """Each value's number format, for a whole column at once (see :func:`column_places`)."""
        return [self.decimals_format(int(n)) for n in column_places(values, most)]

    # --- sheets and cells ---------------------------------------------------------------

    def sheet(
        self, layout: Layout, widths: Mapping[str, float], calc_from: str | None = None
    ) -> Any:
        """A worksheet with a labelled header row; calculation columns get a beige header."""
        ws = self.book.add_worksheet(layout.sheet, worksheet_class=PlainFormulaWorksheet)
        calc = layout.index.get(calc_from, len(layout.columns)) if calc_from else None
        for c, name in enumerate(layout.columns):
            fmt = self.f_calc_head if calc is not None and c >= calc else self.f_head
            ws.write_string(0, c, label(name), fmt)
            ws.set_column(c, c, widths.get(name, 12))
        return ws

    def sheet_raw(self, layout: Layout, widths: Mapping[str, float]) -> Any:
        """A worksheet whose header row is the column names themselves (input and reference
        sheets: what loads back, and what the formulas look up)."""
        ws = self.book.add_worksheet(layout.sheet, worksheet_class=PlainFormulaWorksheet)
        for c, name in enumerate(layout.columns):
            ws.write_string(0, c, name, self.f_head)
            ws.set_column(c, c, widths.get(name, 12))
        return ws

    @staticmethod
    def finish(ws: Any, n_rows: int, n_cols: int, freeze_cols: int = 1) -> None:
        ws.freeze_panes(1, freeze_cols)
        ws.autofilter(0, 0, max(n_rows, 1), n_cols - 1)

    def put(self, ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        """Write a value by its type; text is always a text cell; an empty text writes nothing."""
        kind = type(value)
        if kind is float:
            if value == value:
                ws.write_number(row, col, value, fmt)
            elif fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif kind is str:
            if value:
                quoted = value.startswith(RISKY_START)
                ws.write_string(row, col, value, self.f_quoted if quoted else fmt)
        elif kind is int:
            ws.write_number(row, col, value, fmt)
        elif value is None or value is pd.NaT or value is pd.NA:
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif isinstance(value, (bool, np.bool_)):
            ws.write_boolean(row, col, bool(value), fmt)
        elif isinstance(value, pd.Timestamp):
            ts = value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
            ws.write_datetime(row, col, ts.to_pydatetime(), fmt or self.f_datetime)
        elif isinstance(value, (dt.datetime, dt.date)):
            ws.write_datetime(row, col, value, fmt or self.f_date)
        elif _isna(value):
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
        else:
            ws.write_number(row, col, float(value), fmt)

    @staticmethod
    def formula(ws: Any, row: int, col: int, text: str, value: Any, fmt: Any = None) -> None:
        """A formula with the engine's value cached ("" for a blank result)."""
        ws.write_formula(row, col, text, fmt, cached(value))


def cached(value: Any) -> Any:
    """A value as XlsxWriter caches it with a formula."""
    kind = type(value)
    if kind is float:
        return "" if value != value else value
    if kind is str or kind is bool:
        return value
    if kind is int:
        return float(value)
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (pd.Timestamp, dt.date)):
        return serial(value)
    if _isna(value):
        return ""
    return float(value)


def needed_places(value: Any, most: int) -> int:
    """The decimals a number needs (trailing zeros dropped), at most ``most``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(v):
        return 0
    text = f"{abs(v):.{most}f}".rstrip("0")
    return len(text) - text.index(".") - 1 if "." in text else 0


def column_places(values: Any, most: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The decimals each value of a column needs (0 for blanks), at most ``most``."""
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=np.float64)
    out = np.full(len(v), most, dtype=np.int64)
    finite = np.isfinite(v)
    out[~finite] = 0
    settled = ~finite
    for d in range(most + 1):
        exact = ~settled & (np.abs(np.round(v, d) - v) <= 0.5 * 10.0 ** -(most + 1))
        out[exact] = d
        settled |= exact
    return out


def rows(frame: pd.DataFrame) -> Iterator[Any]:
    """Rows as named tuples of plain Python values (built from whole columns, fast)."""
    row = namedtuple("Row", list(frame.columns), rename=True)  # type: ignore[misc]
    return (row(*values) for values in columns(frame))


def columns(frame: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples of plain Python values, column by column (fast for wide frames)."""
    cols = list(frame.columns)
    return zip(*(frame[c].tolist() for c in cols), strict=True) if cols else iter(())


def serial(value: pd.Timestamp | dt.date) -> float:
    """A date or UTC time as an Excel serial number."""
    ts = pd.Timestamp(value)
    if ts.tzinfo:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return float((ts - pd.Timestamp(EXCEL_EPOCH)) / pd.Timedelta(days=1))


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def blocks(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Company -> (first, last) sheet row of its contiguous block (rows sorted by company)."""
    if frame.empty:
        return {}
    ids = frame["company_id"].to_numpy()
    out: dict[str, tuple[int, int]] = {}
    start = 0
    for k in range(1, len(ids) + 1):
        if k == len(ids) or ids[k] != ids[start]:
            out[str(ids[start])] = (start + 2, k + 1)
            start = k
    return out
