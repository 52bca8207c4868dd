"""``Inputs``: the validated input tables, however they arrived.

``load_inputs(path)`` reads a folder of CSV files, one .xlsx workbook or one
JSON file; ``load_uploaded(files)`` reads uploaded bytes; ``Inputs.from_frames``
takes DataFrames. All three turn every cell into text first and share one
validation, so they give identical ``Inputs`` for the same tables.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from estimator.errors import MISSING_TABLE, InputError, ValidationIssue
from estimator.inputs.readers import (
    MAX_INPUT_BYTES,
    RawInputs,
    RawTable,
    make_table,
    read_path,
    read_uploaded,
)
from estimator.inputs.schema import TABLE_NAMES, TABLES_BY_NAME
from estimator.inputs.validation import validate
from estimator.inputs.validation.reach_notes import reach_notes
from estimator.inputs.validation.zones import zone_notes
from pricing.catalog import load_catalog
from pricing.names import load_names


@dataclass(frozen=True, eq=False)
class Inputs:
    """Validated input tables (DESIGN §3), typed, with DESIGN's defaults filled in.

    Timestamps are ``datetime64[s, UTC]`` (``NaT`` for an ongoing outage's
    end); amounts and shares are float64 (``NaN`` where blank); text is text.
    """

    outages: pd.DataFrame
    companies: pd.DataFrame
    contracts: pd.DataFrame
    exclusions: pd.DataFrame
    revenue_profiles: pd.DataFrame
    uncertainty: pd.DataFrame
    """Uncertain inputs for :func:`estimator.simulate` (``estimate`` ignores them)."""
    fx_rates: pd.DataFrame
    """Exchange rates to a reporting currency, for :func:`estimator.risk`'s portfolio figures."""
    charges: pd.DataFrame
    """Monthly charges from billing exports: the credit base of contracts without a fee."""
    claim_log: pd.DataFrame
    """Claims filed with providers and what became of them."""
    source: str = ""
    notes: tuple[str, ...] = ()
    """What reading the inputs did that a user should know (date-time cells read as UTC)."""

    @classmethod
    def from_frames(
        cls,
        outages: pd.DataFrame | None = None,
        companies: pd.DataFrame | None = None,
        contracts: pd.DataFrame | None = None,
        exclusions: pd.DataFrame | None = None,
        revenue_profiles: pd.DataFrame | None = None,
        uncertainty: pd.DataFrame | None = None,
        fx_rates: pd.DataFrame | None = None,
        charges: pd.DataFrame | None = None,
        claim_log: pd.DataFrame | None = None,
        *,
        source: str = "DataFrames",
        notes: tuple[str, ...] | list[str] = (),
    ) -> Inputs:
        """Build and validate ``Inputs`` from DataFrames in the input format.

        Columns may hold text or typed values (numbers, timezone-aware
        timestamps); every cell is read as the text it shows, then validated.

        >>> import pandas as pd
        >>> inputs = Inputs.from_frames(
        ...     outages=pd.DataFrame({"outage_id": ["o1"], "provider": ["aws"],
        ...         "region": ["us-east-1"], "service": ["ec2"],
        ...         "start": ["2021-12-07T15:30:00Z"], "end": ["2021-12-07T22:22:00Z"]}),
        ...     companies=pd.DataFrame({"company_id": ["acme"], "annual_revenue": [8.76e6]}),
        ...     contracts=pd.DataFrame({"contract_id": ["c1"], "company_id": ["acme"],
        ...         "provider": ["aws"], "region": ["us-east-1"], "service": ["ec2"],
        ...         "sla": ["aws/ec2-region"], "monthly_fee": [1000], "revenue_share": [0.5]}))
        >>> inputs.companies.loc[0, "currency"]
        'USD'
        """
        frames = {
            "outages": outages,
            "companies": companies,
            "contracts": contracts,
            "exclusions": exclusions,
            "revenue_profiles": revenue_profiles,
            "uncertainty": uncertainty,
            "fx_rates": fx_rates,
            "charges": charges,
            "claim_log": claim_log,
        }
        tables: dict[str, RawTable] = {}
        issues = []
        for name, frame in frames.items():
            if frame is None:
                if not TABLES_BY_NAME[name].optional:
                    issues.append(
                        ValidationIssue(name, None, None, None, MISSING_TABLE.format(name=name))
                    )
                continue
            cells = frame.to_numpy(dtype=object)
            raw, found = make_table(
                name,
                name,
                [str(c) for c in frame.columns],
                cells,
                np.arange(2, len(frame) + 2, dtype=np.int64),
            )
            issues += found
            if raw is not None:
                tables[name] = raw
        return cls._validated(RawInputs(tables, issues, source, list(notes)))

    @classmethod
    def _validated(cls, raw: RawInputs) -> Inputs:
        typed, issues = validate(raw)
        if issues:
            raise InputError(issues)
        notes = list(raw.notes)
        if "contracts" in raw.tables:
            notes += reach_notes(
                raw.tables["contracts"],
                typed["contracts"],
                typed["outages"],
                load_catalog(),
                load_names(),
            )
            notes += zone_notes(raw.tables["contracts"], typed["contracts"], load_catalog())
        return cls(
            **{name: typed[name] for name in TABLE_NAMES},
            source=raw.source,
            notes=tuple(notes),
        )

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The tables in the input format: what a user would type (timestamps as text with Z).

        Loading these back gives equal ``Inputs``. Empty tables added after scenarios were
        first saved (charges, claim_log) are left out, so a saved scenario's text is unchanged.
        """
        out: dict[str, pd.DataFrame] = {}
        for name in TABLE_NAMES:
            frame = getattr(self, name).copy()
            table = TABLES_BY_NAME[name]
            if frame.empty and not table.written_when_empty:
                continue
            for column in table.columns:
                if column.kind == "timestamp":
                    frame[column.name] = timestamp_text(frame[column.name])
            out[name] = frame
        return out

    def to_json_text(self) -> str:
        """The tables as one JSON object in the input format (loads back with ``load_inputs``)."""
        doc: dict[str, Any] = {}
        for name, frame in self.to_frames().items():
            records = []
            for rec in frame.to_dict(orient="records"):
                records.append({k: _json_value(v) for k, v in rec.items() if not _blank(v)})
            doc[name] = records
        return json.dumps(doc, indent=1, ensure_ascii=False)

    def write_csv_folder(self, folder: str | Path) -> Path:
        """Write the tables as ``<table>.csv`` files (UTF-8) in a folder."""
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for name, frame in self.to_frames().items():
            buf = io.StringIO()
            frame.to_csv(buf, index=False, float_format=None)
            (path / f"{name}.csv").write_text(buf.getvalue(), encoding="utf-8")
        return path

    def equals(self, other: Inputs) -> bool:
        """True when every table holds the same values (the source does not count)."""
        return all(getattr(self, n).equals(getattr(other, n)) for n in TABLE_NAMES)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(getattr(self, n))} {n}" for n in TABLE_NAMES)
        return f"Inputs({counts}; from {self.source or 'memory'})"


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))  # type: ignore[call-overload]


def _json_value(value: object) -> object:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    return value


def load_inputs(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Inputs:
    """Load and validate inputs from a folder of CSV files, an .xlsx workbook or a .json file.

    Raises :class:`~estimator.errors.InputError` listing every problem found.
    """
    return Inputs._validated(read_path(path, max_bytes=max_bytes))


class ReadTables(NamedTuple):
    frames: dict[str, pd.DataFrame]
    issues: list[ValidationIssue]
    """Problems reading the files (the tables' values are validated later)."""
    notes: list[str]
    """What reading did that a user should know (date-time cells read as UTC)."""


def read_tables(files: Mapping[str, bytes], *, max_bytes: int = MAX_INPUT_BYTES) -> ReadTables:
    """Read uploaded files as text tables, without validating them, with the problems and
    notes of reading them.

    For an editor: the tables come back even when their values are invalid, so a
    user can fix them; ``Inputs.from_frames(**tables)`` then validates.
    """
    raw = read_uploaded(files, max_bytes=max_bytes)
    frames = {}
    for name, table in raw.tables.items():
        frame = table.frame.copy()
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        frames[name] = frame
    return ReadTables(frames, raw.issues, raw.notes)


def input_columns() -> dict[str, list[str]]:
    """The input tables and their columns, in order (DESIGN §3)."""
    return {t.name: t.column_names for t in TABLES_BY_NAME.values()}


def load_uploaded(files: Mapping[str, bytes], *, max_bytes: int = MAX_INPUT_BYTES) -> Inputs:
    """Load and validate uploaded files: CSV files by name, one .xlsx, or one .json."""
    return Inputs._validated(read_uploaded(files, max_bytes=max_bytes))


def timestamp_text(ts: pd.Series) -> pd.Series:
    """UTC times as a user types them (``2021-12-07T15:30:00Z``); blank stays blank."""
    text: pd.Series = ts.dt.strftime("%Y-%m-%dT%H:%M:%SZ").where(ts.notna())
    return text
