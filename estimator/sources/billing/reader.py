"""``read_billing``: a cloud billing export -> the ``charges`` input table (issue 22).

The file is read in chunks (CSV: pyarrow's streaming reader, plain or gzip; Parquet: row
groups), so an export of several GB needs the memory of one chunk and of the sums, not of the
file. Each chunk is summed by provider, service name, region, account, month and currency
(:mod:`.lines`); the sums of all chunks are summed again, the names mapped once per distinct
name (:mod:`.names`), and the monthly totals rounded once, half-up, to the currency's minor
unit. Lines whose service maps to no catalog service stay in the table with a blank
``service`` (listed, with their totals, by the CLI and the app): nothing is dropped.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from estimator.errors import InputError, ValidationIssue
from estimator.inputs.schema import CHARGES
from estimator.sources.billing.formats import (
    CHARGE,
    CREDIT,
    EXCLUDED,
    FORMATS,
    BillingFormat,
    detect_format,
    resolve_columns,
)
from estimator.sources.billing.lines import AMOUNT, KEYS, Chunk, chunk_sums
from estimator.sources.billing.names import map_names
from pricing.money import currencies

CHARGES_COLUMNS = CHARGES.column_names
"""The charges input table's columns (estimator.inputs.schema), in order."""
BLOCK_BYTES = 8 << 20
"""CSV block size. pyarrow's streaming reader reads a few blocks ahead and parses each into
buffers several times its size, so memory follows the block (measured: 4 MB 0.4 GB, 16 MB 0.9
GB, 64 MB 1.5 GB on a 10-million-line export), not the file."""
FOLD_EVERY = 16
"""Chunk sums are summed into one running sum every this many chunks."""
MAX_ISSUES = 200

UNKNOWN_BILLING = (
    "not a billing export this tool reads: the header matches none of the formats ({expected})"
)
NO_FORMAT = "unknown billing format '{name}': the formats are {names}"
MISSING_BILLING_COLUMN = "the {label} header has no column {column}"
NEGATIVE_MONTH = (
    "the charges of {provider}/{service} in {region} for account '{account}' in {month} sum to "
    "{total} {currency}, below zero: check the export for refunds written as usage"
)
UNKNOWN_CURRENCY = "unknown currency {currency}"


class BillingExport(NamedTuple):
    charges: pd.DataFrame
    """The ``charges`` table (columns CHARGES_COLUMNS)."""
    excluded: pd.DataFrame
    """The excluded lines (tax) summed by provider, service, region, month, account and
    currency (column ``amount``)."""
    lines: int
    """How many lines the export holds."""


def read_billing(path: str | Path, *, format: str | None = None) -> pd.DataFrame:
    """Read a billing export as the ``charges`` table (see :func:`read_export`)."""
    return read_export(path, format=format).charges


def read_export(path: str | Path, *, format: str | None = None) -> BillingExport:
    """Read a billing export (FOCUS 1.0-1.2, AWS CUR 2.0 or legacy CUR, Google Cloud CSV,
    Azure cost export; CSV plain or gzip, or Parquet) as the ``charges`` table: one row per
    provider, service, region, month, account and currency, with ``charges`` (usage,
    purchase and fee lines; tax excluded) and ``credits_received`` (credit and refund lines, as
    a positive amount). ``format`` is one of ``focus``, ``cur2``, ``cur``, ``gcp``, ``azure``
    (None: detected from the header).

    Also gives the excluded lines (tax) summed the same way and how many lines were read.
    Raises
    :class:`~estimator.errors.InputError` listing every problem (file, row, column).
    """
    file = Path(path)
    source = file.name
    header, skipped = _header(file)
    f = _format(header, format, source)
    cols, missing = resolve_columns(f, header)
    if missing:
        raise InputError(
            [
                ValidationIssue(
                    source, 1, m, None, MISSING_BILLING_COLUMN.format(label=f.label, column=m)
                )
                for m in missing
            ]
        )
    parts: list[pa.Table] = []
    issues: list[ValidationIssue] = []
    lines = 0
    for chunk in _chunks(file, list(cols.values()), skipped):
        summed, found = chunk_sums(chunk, f, cols, source)
        parts.append(summed)
        if len(parts) >= FOLD_EVERY:  # one running sum: memory does not grow with lines
            parts = [_fold(parts)]
        issues += found[: max(0, MAX_ISSUES - len(issues))]
        lines += chunk.table.num_rows
    if issues:
        raise InputError(issues)
    return _table(parts, f, source, lines)


def _fold(parts: list[pa.Table]) -> pa.Table:
    """The chunks' sums summed again by key and kind, exactly (decimal), counts added."""
    table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    summed = table.group_by([*KEYS, "kind"]).aggregate([("amount", "sum"), ("lines", "sum")])
    return summed.rename_columns([*KEYS, "kind", "amount", "lines"])


def _format(header: list[str], name: str | None, source: str) -> BillingFormat:
    if name is not None:
        if name not in FORMATS:
            message = NO_FORMAT.format(name=name, names=", ".join(FORMATS))
            raise InputError([ValidationIssue(source, None, None, None, message)])
        return FORMATS[name]
    found = detect_format(header)
    if found is None:
        expected = "; ".join(f"{f.label}: {', '.join(f.detect)}" for f in FORMATS.values())
        message = UNKNOWN_BILLING.format(expected=expected)
        raise InputError([ValidationIssue(source, 1, None, None, message)])
    return found


def _is_gzip(file: Path) -> bool:
    with file.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _is_parquet(file: Path) -> bool:
    with file.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def _header(file: Path) -> tuple[list[str], int]:
    """The header, and how many comment lines ('#' first) come before it (a file written by
    hand may say what it is in one; exports have none)."""
    if _is_parquet(file):
        return list(pq.ParquetFile(file).schema_arrow.names), 0
    opener = gzip.open if _is_gzip(file) else open
    skipped = 0
    with opener(file, "rt", encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        while first.startswith("#"):
            skipped += 1
            first = fh.readline()
    return [h.strip() for h in next(csv.reader(io.StringIO(first)), [])], skipped


def _chunks(file: Path, columns: list[str], skipped: int) -> Iterator[Chunk]:
    """The needed columns as text, a chunk at a time, with each chunk's first row number."""
    row = 2 + skipped
    if _is_parquet(file):
        for batch in pq.ParquetFile(file).iter_batches(batch_size=1_000_000, columns=columns):
            table = pa.Table.from_batches([batch])
            table = pa.table({c: _as_text(table.column(c)) for c in columns})
            yield Chunk(table, row)
            row += table.num_rows
        return
    stream = pa.input_stream(str(file), compression="gzip" if _is_gzip(file) else None)
    reader = pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES, skip_rows=skipped),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns,
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=False,
        ),
    )
    for batch in reader:
        table = pa.Table.from_batches([batch])
        yield Chunk(table, row)
        row += table.num_rows


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_timestamp(column.type):
        utc = column if column.type.tz else pc.assume_timezone(column, "UTC")
        return pc.strftime(utc, format="%Y-%m-%dT%H:%M:%SZ", locale="C")
    return column.cast(pa.string())


MAPPED = ("provider", "service", "region", "month", "account", "currency", "source_service")


def _table(parts: list[pa.Table], f: BillingFormat, source: str, lines: int) -> BillingExport:
    """All chunks' sums mapped to the catalog's names, summed again as decimals by mapped key
    and kind (so 'EastUS' and 'East US' are one region), pivoted by kind, rounded once."""
    empty = {k: pa.array([], pa.string()) for k in (*KEYS, "kind")} | {
        "amount": pa.array([], AMOUNT)
    }
    combined = pa.concat_tables(parts) if parts else pa.table(empty)
    names = ["source_provider", "source_service", "source_region"]
    raw = pd.DataFrame({k: combined.column(k).to_numpy(zero_copy_only=False) for k in names})
    mapped = map_names(raw.drop_duplicates())
    keyed = raw.merge(mapped, on=names, how="left")
    columns = {k: combined.column(k) for k in ("month", "account", "currency", "kind", "amount")}
    table = pa.table(
        {
            **{
                k: pa.array(keyed[k].to_numpy(object), pa.string())
                for k in ("provider", "service", "region")
            },
            "source_service": combined.column("source_service"),
            **columns,
        }
    )
    summed = table.group_by([*MAPPED, "kind"]).aggregate([("amount", "sum")])
    frame = summed.rename_columns([*MAPPED, "kind", "amount"])
    keys = pd.DataFrame({k: frame.column(k).to_numpy(zero_copy_only=False) for k in MAPPED})
    kind = frame.column("kind").to_numpy(zero_copy_only=False)
    amount = _rounded(frame.column("amount"), keys["currency"], source)
    wide = keys.assign(kind=kind, amount=amount)
    out = _pivot(wide, CHARGE, 1).merge(_pivot(wide, CREDIT, -1), on=list(MAPPED), how="outer")
    out = out.fillna(0.0)
    out.columns = [*MAPPED, "charges", "credits_received"]
    out["source"] = f"{source} ({f.label})"
    _check_negative(out, source)
    out = out.sort_values(
        ["provider", "service", "region", "month", "account", "source_service"], kind="stable"
    )
    excluded = _pivot(wide, EXCLUDED, 1)
    return BillingExport(out[CHARGES_COLUMNS].reset_index(drop=True), excluded, lines)


def _pivot(wide: pd.DataFrame, kind: str, sign: int) -> pd.DataFrame:
    part = wide[wide["kind"] == kind]
    out: pd.DataFrame = part.groupby(list(MAPPED), sort=False, as_index=False)[["amount"]].sum()
    out["amount"] = out["amount"] * sign + 0.0  # -0.0 -> 0.0
    return out


def _rounded(amount: pa.ChunkedArray, currency: pd.Series, source: str) -> np.ndarray:
    """Each sum rounded half-up to its currency's minor unit, exactly (decimal), then as float."""
    places = currencies()
    unknown = sorted(set(currency) - set(places))
    if unknown:
        raise InputError(
            [
                ValidationIssue(source, None, None, c, UNKNOWN_CURRENCY.format(currency=c))
                for c in unknown
            ]
        )
    digits = currency.map(places).to_numpy(np.int64)
    out = np.zeros(len(currency), dtype=np.float64)
    for d in np.unique(digits):  # one pass per distinct minor unit (0, 2, 3)
        sel = np.flatnonzero(digits == d)
        part = pc.round(amount.take(pa.array(sel)), ndigits=int(d), round_mode="half_up")
        out[sel] = pc.cast(part, pa.float64()).to_numpy()
    return out


def _check_negative(out: pd.DataFrame, source: str) -> None:
    key = ["provider", "service", "region", "month", "account", "currency"]
    mapped = out[out["service"] != ""]
    totals = mapped.groupby(key, as_index=False)["charges"].sum()
    negative = totals[totals["charges"] < 0]
    if len(negative):
        raise InputError(
            [
                ValidationIssue(
                    source,
                    None,
                    None,
                    None,
                    NEGATIVE_MONTH.format(**{**r, "total": f"{r['charges']:.2f}"}),
                )
                for r in negative.to_dict(orient="records")
            ]
        )
