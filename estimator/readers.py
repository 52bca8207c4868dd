"""Readers: a folder of CSV files, one .xlsx workbook, or one JSON file -> raw text tables.

A raw table keeps every value as the user typed it (text, or missing), with the
row number the user sees (the header is row 1). Nothing is interpreted here
beyond turning cells into text; :mod:`estimator.validation` does the rest.
Problems are collected, never raised one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.schema import TABLE_NAMES, TABLES_BY_NAME

MAX_INPUT_BYTES = 50_000_000
"""Files of this many bytes or more are refused (50 MB)."""
MAX_XLSX_UNPACKED_BYTES = 400_000_000
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 2_000


@dataclass
class RawTable:
    """One input table as text: ``frame`` columns are the header as typed."""

    name: str
    source: str
    frame: pd.DataFrame
    rows: np.ndarray[Any, np.dtype[np.int64]]
    row_label: str = "row"


@dataclass
class RawInputs:
    tables: dict[str, RawTable]
    issues: list[ValidationIssue]
    source: str
    notes: list[str] = field(default_factory=list)
    """What the reader did that a user should know (date-time cells read as UTC)."""


UTC_CELLS_NOTE = (
    "{source}: {count} date-time cell{s} in {columns} read as UTC (Excel cells hold no UTC "
    "offset; type times as text with an offset, like 2021-12-07T10:30:00-05:00, for another "
    "zone)"
)


def read_path(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> RawInputs:
    """Read a folder of CSV files, a workbook or a JSON file from disk."""
    p = Path(path)
    if not p.exists():
        return RawInputs(
            {}, [ValidationIssue(str(p), None, None, None, E.NOT_FOUND.format(path=p))], str(p)
        )
    if p.is_dir():
        files: dict[str, bytes] = {}
        issues: list[ValidationIssue] = []
        for child in sorted(p.iterdir()):
            if child.is_file() and child.suffix.lower() == ".csv":
                size = child.stat().st_size
                if size >= max_bytes:
                    issues.append(
                        ValidationIssue(
                            child.name,
                            None,
                            None,
                            None,
                            E.TOO_LARGE.format(size=size, limit=max_bytes),
                        )
                    )
                    files[child.name] = b""  # present, but unread
                    continue
                files[child.name] = child.read_bytes()
        result = read_csv_files(files, source=str(p), max_bytes=max_bytes)
        # a refused file must not also be reported as empty
        refused = {i.source for i in issues}
        result.issues = issues + [i for i in result.issues if i.source not in refused]
        return result
    size = p.stat().st_size
    if size >= max_bytes:
        return RawInputs(
            {},
            [
                ValidationIssue(
                    p.name, None, None, None, E.TOO_LARGE.format(size=size, limit=max_bytes)
                )
            ],
            str(p),
        )
    return read_uploaded({p.name: p.read_bytes()}, max_bytes=max_bytes, source=str(p))


def read_uploaded(
    files: Mapping[str, bytes], *, max_bytes: int = MAX_INPUT_BYTES, source: str | None = None
) -> RawInputs:
    """Read uploaded files: several CSV files, one .xlsx workbook, or one .json file."""
    names = list(files)
    src = source or ", ".join(names)
    for name, data in files.items():
        if len(data) >= max_bytes:
            return RawInputs(
                {},
                [
                    ValidationIssue(
                        name, None, None, None, E.TOO_LARGE.format(size=len(data), limit=max_bytes)
                    )
                ],
                src,
            )
    suffixes = {Path(n).suffix.lower() for n in names}
    if len(names) == 1 and suffixes <= {".xlsx"}:
        return read_workbook(names[0], files[names[0]], source=src)
    if len(names) == 1 and suffixes <= {".json"}:
        return read_json(names[0], files[names[0]], source=src)
    if suffixes & {".xls", ".xlsm", ".xlsb"}:
        bad = next(n for n in names if Path(n).suffix.lower() in {".xls", ".xlsm", ".xlsb"})
        return RawInputs(
            {},
            [
                ValidationIssue(
                    bad, None, None, None, E.OLD_EXCEL.format(name=bad, suffix=Path(bad).suffix)
                )
            ],
            src,
        )
    if suffixes == {".csv"}:
        if len(names) == 1 and source is not None:
            return RawInputs(
                {},
                [ValidationIssue(names[0], None, None, None, E.SINGLE_CSV.format(name=names[0]))],
                src,
            )
        return read_csv_files(dict(files), source=src, max_bytes=max_bytes)
    return RawInputs(
        {},
        [
            ValidationIssue(
                ", ".join(names), None, None, None, E.UNKNOWN_FORMAT.format(name=", ".join(names))
            )
        ],
        src,
    )


# --- CSV -------------------------------------------------------------------------


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
                issues.append(
                    ValidationIssue(
                        fname, None, None, None, E.MISSING_TABLE_FILE.format(name=fname, hint=hint)
                    )
                )
            continue
        table, found = _read_csv(name, fname, present[fname])
        issues += found
        if table is not None:
            tables[name] = table
    return RawInputs(tables, issues, source)


def _read_csv(name: str, fname: str, data: bytes) -> tuple[RawTable | None, list[ValidationIssue]]:
    columns = ", ".join(TABLES_BY_NAME[name].column_names)
    if not data.strip():
        return None, [
            ValidationIssue(fname, None, None, None, E.EMPTY_FILE.format(columns=columns))
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            ValidationIssue(
                fname, line, None, None, E.NOT_UTF8.format(byte=data[exc.start], line=line)
            )
        ]
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
            return None, [
                ValidationIssue(
                    fname, line, None, None, E.RAGGED_ROW.format(found=found, expected=expected)
                )
            ]
        return None, [ValidationIssue(fname, None, None, None, E.CSV_PARSE.format(detail=exc))]
    except pd.errors.EmptyDataError:
        return None, [
            ValidationIssue(fname, None, None, None, E.EMPTY_FILE.format(columns=columns))
        ]
    header = [str(v) for v in grid.iloc[0].tolist()]
    body = grid.iloc[1:]
    rows = np.arange(2, 2 + len(body), dtype=np.int64)
    return _make_table(name, fname, header, body.to_numpy(dtype=object), rows, cells_are_text=True)


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
    return _make_table(name, fname, header, frame, rows, prepared=True)


def _make_table(
    name: str,
    source: str,
    header: list[str],
    values: np.ndarray[Any, Any] | pd.DataFrame,
    rows: np.ndarray[Any, np.dtype[np.int64]],
    row_label: str = "row",
    *,
    cells_are_text: bool = False,
    prepared: bool = False,
) -> tuple[RawTable | None, list[ValidationIssue]]:
    """Header and a grid of cells -> a raw table of stripped text with NA for blanks.

    ``prepared``: ``values`` is already a frame of stripped text columns with NA for blanks.
    """
    issues: list[ValidationIssue] = []
    frame: pd.DataFrame = (
        values
        if isinstance(values, pd.DataFrame)
        else pd.DataFrame(values, columns=range(len(header)), dtype=object)
    )
    if len(frame) and not prepared:
        if not cells_are_text:
            frame = frame.map(_cell_text)
        frame = pd.DataFrame({c: _strip(frame[c]) for c in frame.columns})
    keep: list[int] = []
    names: list[str] = []
    for i, raw in enumerate(header):
        col = "" if raw is None or raw == "nan" else str(raw).strip().lstrip("\ufeff")
        if not col:
            if len(frame) and frame[i].notna().any():
                issues.append(ValidationIssue(source, 1, None, None, E.BLANK_HEADER, row_label))
            continue
        if col in names:
            issues.append(ValidationIssue(source, 1, col, col, E.DUPLICATE_COLUMN, row_label))
            continue
        keep.append(i)
        names.append(col)
    frame = frame[keep]
    frame.columns = pd.Index(names)
    if len(frame):
        blank = frame.isna().all(axis=1).to_numpy()
        frame = frame[~blank].reset_index(drop=True)
        rows = rows[~blank]
    frame = frame.astype("str")
    return RawTable(name, source, frame, rows, row_label), issues


def _strip(column: pd.Series) -> pd.Series:
    """Text with surrounding blanks removed; empty text becomes missing."""
    text = column.astype("str").str.strip()
    return text.mask(text == "")


def _cell_text(value: object) -> object:
    """A cell -> stripped text, or NA when blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return pd.NA
    if isinstance(value, float):
        if np.isnan(value):
            return pd.NA
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    text = str(value).strip()
    return text if text else pd.NA


# --- Excel -----------------------------------------------------------------------


def read_workbook(name: str, data: bytes, *, source: str) -> RawInputs:
    """An .xlsx workbook with one sheet per table -> raw tables.

    The archive is checked before openpyxl parses it (size, member count,
    compression ratio); openpyxl parses the XML with defusedxml.
    """
    problem = _check_xlsx_archive(data)
    if problem:
        return RawInputs({}, [ValidationIssue(name, None, None, None, problem)], source)
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("defusedxml is required to read workbooks safely")
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many types for a broken file
        return RawInputs(
            {},
            [
                ValidationIssue(
                    name,
                    None,
                    None,
                    None,
                    E.NOT_XLSX.format(detail=type(exc).__name__ + (f": {exc}" if str(exc) else "")),
                )
            ],
            source,
        )
    issues: list[ValidationIssue] = []
    tables: dict[str, RawTable] = {}
    notes: list[str] = []
    try:
        sheets = book.sheetnames
        for table in TABLE_NAMES:
            label = f"{name} › {table}"
            if table not in sheets:
                if not TABLES_BY_NAME[table].optional:
                    hint = did_you_mean(table, sheets)
                    issues.append(
                        ValidationIssue(
                            name, None, None, None, E.MISSING_SHEET.format(name=table, hint=hint)
                        )
                    )
                continue
            grid = [list(r) for r in book[table].iter_rows(min_row=1, values_only=True)]
            if not grid or all(v is None for v in grid[0]):
                issues.append(
                    ValidationIssue(
                        label,
                        None,
                        None,
                        None,
                        E.EMPTY_FILE.format(columns=", ".join(TABLES_BY_NAME[table].column_names)),
                    )
                )
                continue
            width = max(len(r) for r in grid)
            cells = np.array([r + [None] * (width - len(r)) for r in grid], dtype=object)
            header = [None if v is None else str(v) for v in cells[0]]
            note = _utc_cells(cells, header, label)
            if note:
                notes.append(note)
            raw, found = _make_table(
                table,
                label,
                header,  # type: ignore[arg-type]
                cells[1:],
                np.arange(2, len(cells) + 1, dtype=np.int64),
            )
            issues += found
            if raw is not None:
                tables[table] = raw
    finally:
        book.close()
    return RawInputs(tables, issues, source, notes)


def _utc_cells(cells: np.ndarray[Any, Any], header: list[str | None], source: str) -> str | None:
    """Date-time cells (which hold no offset) become ISO text in UTC, in place; the note
    says how many were read so, and in which columns."""
    body = cells[1:]
    naive = (
        np.vectorize(lambda v: isinstance(v, dt.datetime) and v.tzinfo is None, otypes=[bool])(body)
        if body.size
        else np.zeros(body.shape, dtype=bool)
    )
    if not naive.any():
        return None
    for i, j in zip(*np.nonzero(naive), strict=True):
        body[i, j] = body[i, j].replace(microsecond=body[i, j].microsecond).isoformat() + "Z"
    names = [str(header[j]) for j in np.flatnonzero(naive.any(axis=0)) if header[j]]
    count = int(naive.sum())
    return UTC_CELLS_NOTE.format(
        source=source, count=count, s="s" if count != 1 else "", columns=", ".join(names)
    )


def _check_xlsx_archive(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return E.NOT_XLSX.format(detail="it is not a zip archive")
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            return E.UNSAFE_XLSX.format(detail=f"{len(members)} parts (limit {MAX_XLSX_MEMBERS})")
        total = sum(m.file_size for m in members)
        if total > MAX_XLSX_UNPACKED_BYTES:
            return E.UNSAFE_XLSX.format(
                detail=f"it unpacks to {total:,} bytes (limit {MAX_XLSX_UNPACKED_BYTES:,})"
            )
        for m in members:
            if m.file_size > 1_000_000 and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
                return E.UNSAFE_XLSX.format(
                    detail=f"part {m.filename} is compressed more than {MAX_XLSX_RATIO}:1"
                )
        if "[Content_Types].xml" not in archive.namelist():
            return E.NOT_XLSX.format(detail="it is a zip archive without workbook parts")
    return None


# --- JSON ------------------------------------------------------------------------


def read_json(name: str, data: bytes, *, source: str) -> RawInputs:
    """A JSON object ``{"outages": [{...}, ...], "companies": [...], ...}`` -> raw tables.

    A record's row is its position in the list, counted from 1.
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return RawInputs(
            {},
            [
                ValidationIssue(
                    name, line, None, None, E.NOT_UTF8.format(byte=data[exc.start], line=line)
                )
            ],
            source,
        )
    except json.JSONDecodeError as exc:
        return RawInputs(
            {},
            [
                ValidationIssue(
                    name,
                    exc.lineno,
                    None,
                    None,
                    E.BAD_JSON.format(detail=exc.msg, line=exc.lineno, col=exc.colno),
                )
            ],
            source,
        )
    if not isinstance(doc, dict):
        return RawInputs(
            {},
            [
                ValidationIssue(
                    name,
                    None,
                    None,
                    None,
                    E.JSON_SHAPE.format(expected="an object whose keys are the table names"),
                )
            ],
            source,
        )
    issues: list[ValidationIssue] = []
    tables: dict[str, RawTable] = {}
    for key in doc:
        if key not in TABLE_NAMES:
            issues.append(
                ValidationIssue(
                    name,
                    None,
                    None,
                    None,
                    E.UNKNOWN_JSON_TABLE.format(
                        name=key,
                        hint=did_you_mean(str(key), TABLE_NAMES),
                        tables=", ".join(TABLE_NAMES),
                    ),
                )
            )
    for table in TABLE_NAMES:
        label = f"{name} › {table}"
        if table not in doc:
            if not TABLES_BY_NAME[table].optional:
                issues.append(
                    ValidationIssue(
                        name, None, None, None, E.MISSING_JSON_TABLE.format(name=table, hint="")
                    )
                )
            continue
        records = doc[table]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            issues.append(
                ValidationIssue(
                    label,
                    None,
                    None,
                    None,
                    E.JSON_SHAPE.format(expected=f"'{table}' to be a list of objects, one per row"),
                )
            )
            continue
        header: list[str] = []
        for rec in records:
            header += [str(k) for k in rec if str(k) not in header]
        if not header:
            header = list(TABLES_BY_NAME[table].column_names[:1])
        cells = np.array(
            [[_json_cell(rec.get(h)) for h in header] for rec in records], dtype=object
        ).reshape(len(records), len(header))
        raw, found = _make_table(
            table, label, header, cells, np.arange(1, len(records) + 1, dtype=np.int64), "record"
        )
        issues += found
        if raw is not None:
            tables[table] = raw
    return RawInputs(tables, issues, source)


def _json_cell(value: object) -> object:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value
