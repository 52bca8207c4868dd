"""CSV files by file name (``outages.csv`` ...) -> raw tables."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.inputs.readers.raw import MAX_INPUT_BYTES, RawInputs, RawTable, problem
from estimator.inputs.readers.tables import make_table
from estimator.inputs.schema import TABLE_NAMES, TABLES_BY_NAME


def read_csv_files(
    files: Mapping[str, bytes], *, source: str, max_bytes: int = MAX_INPUT_BYTES
) -> RawInputs:
    """CSV files by file name (``outages.csv`` ...) -> raw tables."""
    issues: list[ValidationIssue] = []
    tables: dict[str, RawTable] = {}
    present = {Path(n).name: data for n, data in files.items()}
    for name in TABLE_NAMES:
        fname = f"{name}.csv"
        if fname not in present:
            if not TABLES_BY_NAME[name].optional:
                others = [n for n in present if Path(n).stem not in TABLE_NAMES]
                hint = did_you_mean(fname, others)
                issues.append(problem(fname, E.MISSING_TABLE_FILE.format(name=fname, hint=hint)))
            continue
        table, found = _read_csv(name, fname, present[fname])
        issues += found
        if table is not None:
            tables[name] = table
    return RawInputs(tables, issues, source)


def read_csv_table(
    name: str, fname: str, data: bytes
) -> tuple[RawTable | None, list[ValidationIssue]]:
    """One CSV file as the raw table ``name`` (its rows as the user sees them)."""
    return _read_csv(name, fname, data)


def _read_csv(name: str, fname: str, data: bytes) -> tuple[RawTable | None, list[ValidationIssue]]:
    columns = ", ".join(TABLES_BY_NAME[name].column_names)
    if not data.strip():
        return None, [problem(fname, E.EMPTY_FILE.format(columns=columns))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [problem(fname, E.NOT_UTF8.format(byte=data[exc.start], line=line), line)]
    fast = _read_csv_arrow(name, fname, data)
    if fast is not None:
        return fast
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, found = (int(g) for g in match.groups())
            return None, [problem(fname, E.RAGGED_ROW.format(found=found, expected=expected), line)]
        return None, [problem(fname, E.CSV_PARSE.format(detail=exc))]
    except pd.errors.EmptyDataError:
        return None, [problem(fname, E.EMPTY_FILE.format(columns=columns))]
    header = [str(v) for v in grid.iloc[0].tolist()]
    short = _short_rows(fname, text, header)
    if short:
        return None, short
    body = grid.iloc[1:]
    rows = np.arange(2, 2 + len(body), dtype=np.int64)
    return make_table(name, fname, header, body.to_numpy(dtype=object), rows, cells_are_text=True)


def _short_rows(fname: str, text: str, header: list[str]) -> list[ValidationIssue]:
    """Every row with fewer values than the header names (pandas would fill them with blanks
    silently); a blank line is not short. Rows are records counted from 1 (the header)."""
    out = []
    for i, record in enumerate(csv.reader(io.StringIO(text))):
        if 0 < len(record) < len(header) and any(v.strip() for v in record):
            missing = ", ".join(h for h in header[len(record) :] if h.strip())
            message = E.SHORT_ROW.format(found=len(record), expected=len(header), missing=missing)
            out.append(problem(fname, message, i + 1))
    return out


def _read_csv_arrow(
    name: str, fname: str, data: bytes
) -> tuple[RawTable | None, list[ValidationIssue]] | None:
    """The fast path (pyarrow's reader, text kept as Arrow strings) for a clean file.

    Returns None when the file has a blank line or a row of the wrong width, so the
    exact reader numbers rows and reports the problem as the user sees it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    if re.search(rb"\n[ \t\r]*(\n|$)", data.rstrip(b"\r\n")) or not data.strip():
        return None
    problems: list[int] = []

    def invalid(row: object) -> str:
        problems.append(1)
        return "skip"

    try:
        head = data[: data.find(b"\n") if b"\n" in data else len(data)]
        width = len(
            next(
                iter(
                    pd.read_csv(
                        io.BytesIO(head), header=None, dtype=str, keep_default_na=False
                    ).itertuples(index=False)
                )
            )
        )
        table = pacsv.read_csv(
            io.BytesIO(data[3:] if data.startswith(b"\xef\xbb\xbf") else data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pd.errors.ParserError, pd.errors.EmptyDataError, StopIteration):
        return None
    if problems or table.num_rows == 0:
        return None
    header = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()]
    body = table.slice(1)
    columns = {}
    for i, col in enumerate(body.columns):
        trimmed = pc.utf8_trim_whitespace(col)
        blank = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        columns[i] = pd.Series(pd.array(blank, dtype="str"))
    frame = pd.DataFrame(columns)
    rows = np.arange(2, 2 + len(frame), dtype=np.int64)
    return make_table(name, fname, header, frame, rows, prepared=True)
