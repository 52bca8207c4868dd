"""A JSON object ``{"outages": [{...}, ...], "companies": [...], ...}`` -> raw tables."""

from __future__ import annotations

import json

import numpy as np

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.readers.raw import RawInputs, RawTable, problem, refused
from estimator.readers.tables import make_table
from estimator.schema import TABLE_NAMES, TABLES_BY_NAME


def read_json(name: str, data: bytes, *, source: str) -> RawInputs:
    """A JSON object ``{"outages": [{...}, ...], "companies": [...], ...}`` -> raw tables.

    A record's row is its position in the list, counted from 1.
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return refused(name, E.NOT_UTF8.format(byte=data[exc.start], line=line), source, row=line)
    except json.JSONDecodeError as exc:
        return refused(
            name,
            E.BAD_JSON.format(detail=exc.msg, line=exc.lineno, col=exc.colno),
            source,
            row=exc.lineno,
        )
    if not isinstance(doc, dict):
        return refused(
            name, E.JSON_SHAPE.format(expected="an object whose keys are the table names"), source
        )
    issues: list[ValidationIssue] = []
    tables: dict[str, RawTable] = {}
    for key in doc:
        if key not in TABLE_NAMES:
            message = E.UNKNOWN_JSON_TABLE.format(
                name=key, hint=did_you_mean(str(key), TABLE_NAMES), tables=", ".join(TABLE_NAMES)
            )
            issues.append(problem(name, message))
    for table in TABLE_NAMES:
        label = f"{name} › {table}"
        if table not in doc:
            if not TABLES_BY_NAME[table].optional:
                issues.append(problem(name, E.MISSING_JSON_TABLE.format(name=table, hint="")))
            continue
        records = doc[table]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            issues.append(
                problem(
                    label,
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
        raw, found = make_table(
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
