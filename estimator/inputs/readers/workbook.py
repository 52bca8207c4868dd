"""An .xlsx workbook with one sheet per table -> raw tables.

The archive is checked before openpyxl parses it (size, member count, compression
ratio); openpyxl parses the XML with defusedxml. Date-time cells hold no UTC offset:
they are read as UTC, and a note says so.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import numpy as np

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.inputs.readers.raw import RawInputs, RawTable, problem, refused
from estimator.inputs.readers.tables import make_table
from estimator.inputs.schema import TABLE_NAMES, TABLES_BY_NAME

MAX_XLSX_UNPACKED_BYTES = 400_000_000
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 2_000
UTC_CELLS_NOTE = (
    "{source}: {count} date-time cell{s} in {columns} read as UTC (Excel cells hold no UTC "
    "offset; type times as text with an offset, like 2021-12-07T10:30:00-05:00, for another "
    "zone)"
)


def read_workbook(name: str, data: bytes, *, source: str) -> RawInputs:
    """An .xlsx workbook with one sheet per table -> raw tables.

    The archive is checked before openpyxl parses it (size, member count,
    compression ratio); openpyxl parses the XML with defusedxml.
    """
    refusal = _check_xlsx_archive(data)
    if refusal:
        return refused(name, refusal, source)
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("defusedxml is required to read workbooks safely")
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many types for a broken file
        return refused(
            name,
            E.NOT_XLSX.format(detail=type(exc).__name__ + (f": {exc}" if str(exc) else "")),
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
                    issues.append(problem(name, E.MISSING_SHEET.format(name=table, hint=hint)))
                continue
            grid, unreadable = _sheet_rows(book[table], label)
            if unreadable:
                issues.append(unreadable)
                continue
            if not grid or all(v is None for v in grid[0]):
                issues.append(
                    problem(
                        label,
                        E.EMPTY_FILE.format(columns=", ".join(TABLES_BY_NAME[table].column_names)),
                    )
                )
                continue
            width = max(len(r) for r in grid)
            cells = np.array([r + [None] * (width - len(r)) for r in grid], dtype=object)
            header = [None if v is None else str(v) for v in cells[0]]
            issues += _missing_strings(cells, header, label)
            note = _utc_cells(cells, header, label)
            if note:
                notes.append(note)
            raw, found = make_table(
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


class _MissingString:
    """A cell that refers to a shared string the workbook does not have."""

    def __init__(self, index: int, count: int) -> None:
        self.index, self.count = index, count


class _SharedStrings(list[Any]):
    """The workbook's shared strings; an index past them (or below 0) gives a
    :class:`_MissingString` instead of an IndexError (or another string)."""

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, int) and not 0 <= i < len(self):
            return _MissingString(i, len(self))
        return super().__getitem__(i)


def _sheet_rows(sheet: Any, label: str) -> tuple[list[list[Any]], ValidationIssue | None]:
    """The sheet's rows as lists of values, or the problem that stopped reading them (a
    damaged sheet part): the row it stopped at and what was wrong."""
    if isinstance(getattr(sheet, "_shared_strings", None), list):
        sheet._shared_strings = _SharedStrings(sheet._shared_strings)
    grid: list[list[Any]] = []
    try:
        for r in sheet.iter_rows(min_row=1, values_only=True):
            grid.append(list(r))
    except Exception as exc:  # a damaged sheet part: openpyxl raises many types
        detail = type(exc).__name__ + (f": {exc}" if str(exc) else "")
        return grid, problem(label, E.XLSX_BAD_SHEET.format(detail=detail), len(grid) + 1)
    return grid, None


def _missing_strings(
    cells: np.ndarray[Any, Any], header: list[str | None], label: str
) -> list[ValidationIssue]:
    """Each cell that points past the shared strings: a problem at its row and column; the
    cell is then blank."""
    out = []
    for i, j in zip(
        *np.nonzero(np.vectorize(lambda v: isinstance(v, _MissingString), otypes=[bool])(cells)),
        strict=True,
    ):
        cell = cells[i, j]
        message = E.XLSX_MISSING_STRING.format(index=cell.index, count=cell.count)
        column = header[j] if i > 0 and header[j] else f"column {j + 1}"
        out.append(ValidationIssue(label, int(i) + 1, column, None, message))
        cells[i, j] = None
    return out


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
