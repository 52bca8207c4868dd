"""A JSON object ``{"outages": [{...}, ...], "companies": [...], ...}`` -> raw tables."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.inputs.readers.raw import RawInputs, RawTable, problem, refused
from estimator.inputs.readers.tables import make_table
from estimator.inputs.schema import TABLE_NAMES, TABLES_BY_NAME


def read_json(name: str, data: bytes, *, source: str) -> RawInputs:
    """A JSON object ``{"outages": [{...}, ...], "companies": [...], ...}`` -> raw tables.

    A record's row is its position in the list, counted from 1.
    """
    try:
        doc = json.loads(
            data.decode("utf-8-sig"),
            object_pairs_hook=_Object,
            parse_int=_integer,
            parse_constant=str,  # NaN, Infinity: text, which no number column reads
        )
    except RecursionError:
        return _too_deep(name, data.decode("utf-8-sig", errors="replace"), source)
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
    repeated = getattr(doc, "repeated", [])
    issues += [problem(name, E.JSON_TABLE_TWICE.format(name=key)) for key in repeated]
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
        issues += _record_problems(label, records)
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


MAX_JSON_DEPTH = 20
"""Levels of nesting a JSON document may have: the document, a table's list and a record are
three; a cell holding a list or an object may add the rest (METHODOLOGY §2)."""
MAX_JSON_DIGITS = 400
"""An integer literal of more digits is kept as its text (Python refuses to convert more than
4,300 digits); no number column reads it."""


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once (json keeps the
    last value silently)."""

    repeated: list[str]
    pairs: list[tuple[str, Any]]
    """Every (key, value) as given, kept only when a key repeats (to show each value)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        self.repeated = []
        for key, _ in pairs:
            if key in seen and key not in self.repeated:
                self.repeated.append(key)
            seen.add(key)
        self.pairs = pairs if self.repeated else []


def _integer(text: str) -> int | str:
    return int(text) if len(text) <= MAX_JSON_DIGITS else text


def _record_problems(label: str, records: list[Any]) -> list[ValidationIssue]:
    """A key given twice in a record, and a cell nested deeper than the depth limit."""
    out = []
    for n, rec in enumerate(records, start=1):
        for key in getattr(rec, "repeated", []):
            values = ", then ".join(json.dumps(v) for k, v in rec.pairs if k == key)
            message = E.JSON_KEY_TWICE.format(key=key, values=values)
            out.append(ValidationIssue(label, n, key, None, message, "record"))
        for key, value in rec.items():
            if isinstance(value, (dict, list)) and _depth(value) > MAX_JSON_DEPTH - 3:
                message = E.JSON_TOO_DEEP.format(limit=MAX_JSON_DEPTH)
                out.append(ValidationIssue(label, n, str(key), None, message, "record"))
    return out


def _depth(value: object) -> int:
    """Levels of nesting of a list or object, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    item: Any
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack += [(c, level + 1) for c in children if isinstance(c, (dict, list))]
    return deepest


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _too_deep(name: str, text: str, source: str) -> RawInputs:
    """The answer for a document too deep to parse: where it passes the depth limit (the
    table, record and column when it is inside a record's cell, else the line)."""
    stack: list[list[Any]] = []  # per open container: its bracket, then key or item index
    last = ""
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in "[{":
            stack.append([tok, 0 if tok == "[" else None])
            if len(stack) > MAX_JSON_DEPTH:
                break
        elif tok in "]}":
            stack.pop() if stack else None
        elif tok == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
        elif tok == ":":
            stack[-1][1] = last
        else:
            last = json.loads(tok)
    message = E.JSON_TOO_DEEP.format(limit=MAX_JSON_DEPTH)
    shape = [entry[0] for entry in stack[:3]]
    if shape == ["{", "[", "{"] and stack[0][1] in TABLE_NAMES:
        table, record, column = stack[0][1], stack[1][1] + 1, stack[2][1]
        issue = ValidationIssue(f"{name} › {table}", record, column, None, message, "record")
        return RawInputs({}, [issue], source)
    return refused(name, message, source)


def _json_cell(value: object) -> object:
    if isinstance(value, (dict, list)):
        return json.dumps(value) if _depth(value) <= MAX_JSON_DEPTH - 3 else None
    return value
