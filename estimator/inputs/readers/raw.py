"""Raw inputs: every table as the text the user typed, with the row numbers the user sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from estimator.errors import ValidationIssue

MAX_INPUT_BYTES = 50_000_000
"""Files of this many bytes or more are refused (50 MB)."""


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


def problem(where: str, message: str, row: int | None = None) -> ValidationIssue:
    """A problem with a whole file, sheet or table (no column, no value)."""
    return ValidationIssue(where, row, None, None, message)


def refused(name: str, message: str, source: str, row: int | None = None) -> RawInputs:
    """The answer for a file that cannot be read at all: no tables, one problem naming it."""
    return RawInputs({}, [problem(name, message, row)], source)
