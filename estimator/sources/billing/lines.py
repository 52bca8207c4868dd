"""One chunk of billing lines -> charges, credits and excluded amounts per key, exactly.

Amounts are read as text and summed as decimals (Arrow ``decimal128`` with 18 places), so
10 million lines of ``0.0000001234`` sum to the same cents a calculator gives; only the
monthly totals are rounded, once, half-up, to the currency's minor unit (:mod:`.reader`).
Everything here works on whole columns; months are parsed once per distinct text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from estimator.errors import ValidationIssue
from estimator.sources.billing.formats import CHARGE, CREDIT, BillingFormat

AMOUNT = pa.decimal128(38, 18)
NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
KEYS = ("source_provider", "source_service", "source_region", "account", "month", "currency")
MAX_LISTED = 20
"""Rows listed per kind of problem; the rest are counted in one more message."""

BAD_AMOUNT = "expected an amount such as 12.5 or -0.0000123 (a number, '.' for decimals)"
TOO_PRECISE = "the amount has more than 18 decimal places"
BAD_MONTH = "expected a date or date-time such as 2021-12-01T00:00:00Z"
BAD_CURRENCY = "expected a three-letter ISO 4217 currency code such as USD"
BAD_KIND = "unknown line type '{value}': the {label} types read are {known}"
BLANK = "a value is required"
MORE = "and {count:,} more rows with the same problem in this column"


@dataclass(frozen=True)
class Chunk:
    table: pa.Table
    """String columns named by their header."""
    first_row: int
    """The row number of the chunk's first line as the user sees it (the header is row 1)."""


def chunk_sums(
    chunk: Chunk, f: BillingFormat, cols: dict[str, str], source: str
) -> tuple[pa.Table, list[ValidationIssue]]:
    """The chunk's amounts summed by key and kind (columns KEYS, kind, amount, lines) and
    its problems."""
    t = chunk.table
    issues: list[ValidationIssue] = []
    rows = chunk.first_row + np.arange(t.num_rows, dtype=np.int64)

    def text(role: str) -> pa.Array:
        if role not in cols:
            return pa.array([""] * t.num_rows, pa.string())
        return pc.fill_null(t.column(cols[role]).combine_chunks().cast(pa.string()), "")

    def report(bad: np.ndarray, role: str, message: str) -> None:
        issues.extend(_listed(bad, rows, text(role), source, cols.get(role, role), message))

    amount, ok = _amounts(text("cost"), report, "cost")
    kind = _kinds(text("category"), f, amount, report, cols)
    month = _months(text("month"), f, report)
    currency = pc.utf8_upper(pc.utf8_trim_whitespace(text("currency")))
    bad_currency = ~np.asarray(pc.match_substring_regex(currency, r"^[A-Z]{3}$"))
    report(bad_currency, "currency", BAD_CURRENCY)
    keep = ok & (kind != "") & (month != "") & ~bad_currency
    columns = {
        "source_provider": pa.array([f.provider] * t.num_rows) if f.provider else text("provider"),
        "source_service": text("service"),
        "source_region": text("region"),
        "account": pc.utf8_trim_whitespace(text("account")),
        "month": pa.array(month),
        "currency": currency,
        "kind": pa.array(kind),
        "amount": amount,
    }
    out = pa.table(columns).filter(pa.array(keep))
    if "credits" in cols:  # Google: credits beside the cost on the same line
        credit = _google_credits(text("credits"), report)
        extra = pa.table({**columns, "kind": pa.array([CREDIT] * t.num_rows), "amount": credit})
        out = pa.concat_tables([out, extra.filter(pa.array(keep))])
    summed = out.group_by([*KEYS, "kind"]).aggregate([("amount", "sum"), ("amount", "count")])
    return summed.rename_columns([*KEYS, "kind", "amount", "lines"]), issues


def _amounts(values: pa.Array, report, role: str) -> tuple[pa.Array, np.ndarray]:  # type: ignore[no-untyped-def]
    blank = np.asarray(pc.equal(pc.utf8_trim_whitespace(values), ""))
    number = np.asarray(pc.match_substring_regex(values, NUMBER))
    report(blank, role, BLANK)
    report(~blank & ~number, role, BAD_AMOUNT)
    ok = number
    cleaned = pc.if_else(pa.array(ok), pc.utf8_trim_whitespace(values), "0")
    try:
        return pc.cast(cleaned, AMOUNT), ok
    except pa.ArrowInvalid:  # a value with more decimals than the type holds: find it
        precise = np.asarray(pc.match_substring_regex(cleaned, r"\.\d{19,}"))
        report(precise, role, TOO_PRECISE)
        ok = ok & ~precise
        cleaned = pc.if_else(pa.array(ok), cleaned, "0")
        return pc.cast(cleaned, AMOUNT), ok


def _kinds(values, f: BillingFormat, amount, report, cols) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Each line's kind (CHARGE, CREDIT, EXCLUDED), '' for an unknown line type."""
    if "category" not in cols:
        return np.full(len(values), CHARGE, dtype=object)
    low = pd.Series(np.asarray(pc.utf8_lower(pc.utf8_trim_whitespace(values))), dtype=object)
    kind = low.map(f.kinds).to_numpy(dtype=object)
    if f.negative_adjustment_is_credit:
        adjustment = (low == "adjustment").to_numpy()
        negative = np.asarray(pc.less(amount, pa.scalar(0, AMOUNT)))
        kind[adjustment] = np.where(negative[adjustment], CREDIT, CHARGE)
    unknown = pd.isna(kind)
    if unknown.any():
        known = ", ".join(
            sorted({*f.kinds, *(["adjustment"] if f.negative_adjustment_is_credit else [])})
        )
        for value in pd.unique(low[unknown]):
            message = BAD_KIND.format(value=value, label=f.label, known=known)
            report((low == value).to_numpy() & unknown, "category", message)
        kind[unknown] = ""
    return kind


def _months(values: pa.Array, f: BillingFormat, report) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Each line's month, YYYY-MM in UTC ('' when unreadable); dates without an offset are
    UTC. Each distinct text is parsed once."""
    codes, uniques = pd.factorize(pd.Series(np.asarray(values), dtype=object))
    parsed = pd.to_datetime(
        pd.Series(uniques, dtype=object), utc=True, errors="coerce", format=f.month_format
    )
    labels = parsed.dt.strftime("%Y-%m").fillna("").to_numpy(dtype=object)
    month = labels[codes] if len(labels) else np.full(len(codes), "", dtype=object)
    report(month == "", "month", BAD_MONTH)
    return month


def _google_credits(values: pa.Array, report) -> pa.Array:  # type: ignore[no-untyped-def]
    """Google's ``credits``: the line's credits as one number (negative, as Google writes
    them), blank for none. Credits are counted as received (see METHODOLOGY §19)."""
    blank = np.asarray(pc.equal(pc.utf8_trim_whitespace(values), ""))
    number = np.asarray(pc.match_substring_regex(values, NUMBER))
    report(~blank & ~number, "credits", BAD_AMOUNT)
    cleaned = pc.if_else(pa.array(number), pc.utf8_trim_whitespace(values), "0")
    return pc.cast(cleaned, AMOUNT)


def _listed(
    bad: np.ndarray, rows: np.ndarray, values: pa.Array, source: str, column: str, message: str
) -> list[ValidationIssue]:
    where = np.flatnonzero(bad)
    if len(where) == 0:
        return []
    shown = where[:MAX_LISTED]
    texts = np.asarray(values.take(pa.array(shown)))
    out = [
        ValidationIssue(source, int(rows[i]), column, str(v), message)
        for i, v in zip(shown, texts, strict=True)
    ]
    if len(where) > MAX_LISTED:
        out.append(
            ValidationIssue(source, None, column, None, MORE.format(count=len(where) - MAX_LISTED))
        )
    return out
