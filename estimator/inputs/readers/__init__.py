"""Readers: a folder of CSV files, one .xlsx workbook, or one JSON file -> raw text tables.

A raw table keeps every value as the user typed it (text, or missing), with the row
number the user sees (the header is row 1). Nothing is interpreted here beyond turning
cells into text; :mod:`estimator.inputs.validation` does the rest. Problems are collected,
never raised one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from estimator import errors as E
from estimator.errors import ValidationIssue
from estimator.inputs.readers.csv_files import read_csv_files
from estimator.inputs.readers.json_file import read_json
from estimator.inputs.readers.raw import MAX_INPUT_BYTES, RawInputs, RawTable, refused
from estimator.inputs.readers.tables import make_table
from estimator.inputs.readers.workbook import read_workbook

OLD_EXCEL_SUFFIXES = {".xls", ".xlsm", ".xlsb"}


def read_path(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> RawInputs:
    """Read a folder of CSV files, a workbook or a JSON file from disk."""
    p = Path(path)
    if not p.exists():
        return refused(str(p), E.NOT_FOUND.format(path=p), str(p))
    if p.is_dir():
        files: dict[str, bytes] = {}
        issues: list[ValidationIssue] = []
        for child in sorted(p.iterdir()):
            if child.is_file() and child.suffix.lower() == ".csv":
                size = child.stat().st_size
                if size >= max_bytes:
                    message = E.TOO_LARGE.format(size=size, limit=max_bytes)
                    issues += refused(child.name, message, str(p)).issues
                    files[child.name] = b""  # present, but unread
                    continue
                files[child.name] = child.read_bytes()
        result = read_csv_files(files, source=str(p), max_bytes=max_bytes)
        # a refused file must not also be reported as empty
        too_large = {i.source for i in issues}
        result.issues = issues + [i for i in result.issues if i.source not in too_large]
        return result
    size = p.stat().st_size
    if size >= max_bytes:
        return refused(
            p.name,
            E.TOO_LARGE.format(size=size, limit=max_bytes),
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
            return refused(name, E.TOO_LARGE.format(size=len(data), limit=max_bytes), src)
    suffixes = {Path(n).suffix.lower() for n in names}
    if len(names) == 1 and suffixes <= {".xlsx"}:
        return read_workbook(names[0], files[names[0]], source=src)
    if len(names) == 1 and suffixes <= {".json"}:
        return read_json(names[0], files[names[0]], source=src)
    if suffixes & OLD_EXCEL_SUFFIXES:
        bad = next(n for n in names if Path(n).suffix.lower() in OLD_EXCEL_SUFFIXES)
        return refused(bad, E.OLD_EXCEL.format(name=bad, suffix=Path(bad).suffix), src)
    if suffixes == {".csv"}:
        if len(names) == 1 and source is not None:
            return refused(names[0], E.SINGLE_CSV.format(name=names[0]), src)
        return read_csv_files(dict(files), source=src, max_bytes=max_bytes)
    listed = ", ".join(names)
    return refused(listed, E.UNKNOWN_FORMAT.format(name=listed), src)


__all__ = [
    "MAX_INPUT_BYTES",
    "RawInputs",
    "RawTable",
    "make_table",
    "read_csv_files",
    "read_json",
    "read_path",
    "read_uploaded",
    "read_workbook",
    "refused",
]
