"""Validation: raw text tables -> typed tables, or every problem at once.

Each column is parsed by the parser of its kind, on the whole column at once;
a parser returns the typed values and a message for each value it could not
read. Then come the rules that span columns (one of two revenues, what a
contract kind needs), the rules within a table (unique ids, a profile covering
the week) and the references between tables. Every problem becomes one
:class:`~estimator.errors.ValidationIssue`; nothing stops at the first.

Defaults that DESIGN §3 states are filled in here (kind ``provider``,
currency ``USD``, ...), so the typed tables say exactly what will be priced.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from estimator import errors as E
from estimator.errors import ValidationIssue, did_you_mean
from estimator.readers import RawInputs, RawTable
from estimator.schema import (
    COVER_COLUMNS,
    COVER_REQUIRED,
    COVERS,
    DAYS,
    KIND_COLUMNS,
    KIND_REQUIRED,
    KINDS,
    METRICS,
    TABLES_BY_NAME,
    Table,
)
from pricing.catalog import load_catalog
from pricing.money import currencies
from pricing.profiles import BUILTIN_PROFILES
from pricing.scopes import DEFAULT_SCOPE, SCOPES, ScopeError, format_scopes, parse_scopes
from pricing.tiers import TierError, format_tiers, parse_tiers

Messages = pd.Series  # object Series: a message per row, None where the value is fine

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_SLUG = r"^[a-z0-9][a-z0-9._-]*$"
_DATE_TIME = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
_WITH_OFFSET = _DATE_TIME + r"(?:Z|z|[+-]\d{2}(?::?\d{2})?)"
_WITHOUT_OFFSET = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
MIN_TIME = pd.Timestamp("1970-01-01", tz="UTC")
MAX_TIME = pd.Timestamp("2200-01-01", tz="UTC")
MAX_EXACT_MINOR = 2**53


@cache
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# --- parsers: (text column) -> (typed column, messages) --------------------------


def _none(n: int) -> Messages:
    return pd.Series([None] * n, dtype=object)


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """The column as an Arrow string array (zero-copy for Arrow-backed text)."""
    data = pa.array(s.astype("str").array, type=pa.string())
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])


def is_in(s: pd.Series, valid: pd.Series | list[str]) -> npt.NDArray[np.bool_]:
    """Membership by Arrow's hash set (pandas' isin builds Python lists for text)."""
    values = pa.array(pd.Series(valid, dtype="str").dropna().unique().tolist(), type=pa.string())
    found = pc.is_in(_arrow(s), value_set=values)
    return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def lookup(s: pd.Series, keys: pd.Series, values: pd.Series) -> pd.Series:
    """For each value of ``s``, the ``values`` entry of its (first) match in ``keys``, else NA."""
    if len(keys) == 0:
        return pd.Series([np.nan] * len(s), dtype=values.dtype)
    where = pc.index_in(_arrow(s), value_set=_arrow(keys).combine_chunks())
    pos = np.asarray(where.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    out = values.reset_index(drop=True).take(np.maximum(pos, 0)).reset_index(drop=True)
    return out.where(pos >= 0)


def per_distinct(
    parse: Callable[[pd.Series], tuple[pd.Series, Messages]],
) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    """Run a parser once per distinct value and broadcast (for columns with few distinct values:
    provider, region, service, kind, currency, time zone, ...). Results are identical."""

    def wrapped(s: pd.Series) -> tuple[pd.Series, Messages]:
        codes, uniques = pd.factorize(s)
        if len(uniques) == 0 or len(uniques) * 4 > len(s):
            return parse(s)
        values_u, msgs_u = parse(pd.Series(uniques, dtype=s.dtype))
        take = np.maximum(codes, 0)
        values = values_u.take(take).reset_index(drop=True).where(codes >= 0)
        per_row = np.full(len(codes), None, dtype=object)
        known = codes >= 0
        per_row[known] = msgs_u.to_numpy(dtype=object)[codes[known]]
        return values, pd.Series(per_row)

    return wrapped


def _numbers(s: pd.Series) -> tuple[pd.Series, Messages]:
    text = s.astype("str")
    ok_syntax = text.str.fullmatch(_NUMBER.pattern).fillna(False).astype(bool)
    # Arrow parses what the syntax check accepted (faster than pd.to_numeric on text)
    masked = pc.if_else(
        pa.chunked_array([pa.array(ok_syntax.to_numpy(dtype=bool))]),
        _arrow(text),
        pa.scalar(None, pa.string()),
    )
    parsed = pc.cast(masked, pa.float64()).to_numpy(zero_copy_only=False)
    values = pd.Series(np.asarray(parsed, dtype=np.float64))
    msgs = _none(len(s))
    bad = s.notna().to_numpy() & ~np.isfinite(values.to_numpy(na_value=np.nan))
    msgs[bad] = E.NOT_A_NUMBER
    return values, msgs


def decimals(s: pd.Series) -> pd.Series:
    """Decimal places the value needs (1.50 -> 1, 1000.00 -> 0, 1.005 -> 3, 1e3 -> 0).

    Trailing zeros carry no precision, so 50000.0 is a whole amount even in JPY.
    """
    text = s.astype("str")
    dot = text.str.find(".").fillna(-1).to_numpy(dtype=np.int64)
    kept = text.str.rstrip("0").str.len().fillna(0).to_numpy(dtype=np.int64)
    out = pd.Series(np.where(dot >= 0, np.maximum(kept - dot - 1, 0), 0), index=s.index)
    sci = text.str.contains(r"[eE]", regex=True).fillna(False).to_numpy(dtype=bool)
    if sci.any():  # rare: 1.5e3 -> 0 places, 1e-3 -> 3 places
        parts = text[sci].str.extract(r"^[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")
        f = parts[0].fillna("").str.rstrip("0").str.len().astype(np.int64)
        e = pd.to_numeric(parts[1], errors="coerce").fillna(0).astype(np.int64)
        out = out.copy()
        out[sci] = (f - e).clip(lower=0).to_numpy()
    return out.clip(lower=0)


def _range(
    low: float | None,
    high: float | None,
    message: str,
    *,
    low_open: bool = False,
    max_places: int | None = None,
) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    def parse(s: pd.Series) -> tuple[pd.Series, Messages]:
        values, msgs = _numbers(s)
        v = values.to_numpy(na_value=np.nan)
        bad = np.zeros(len(v), dtype=bool)
        with np.errstate(invalid="ignore"):
            if low is not None:
                bad |= (v <= low) if low_open else (v < low)
            if high is not None:
                bad |= v > high
        bad = bad & msgs.isna().to_numpy()
        msgs[bad] = message
        if max_places is not None:
            many = (
                (decimals(s) > max_places).to_numpy()
                & msgs.isna().to_numpy()
                & s.notna().to_numpy()
            )
            msgs[many] = E.IMPACT_DECIMALS
        return values.where(msgs.isna()), msgs

    return parse


def _timestamps(s: pd.Series) -> tuple[pd.Series, Messages]:
    text = s.astype("str")
    has_offset = text.str.fullmatch(_WITH_OFFSET).fillna(False).astype(bool)
    no_offset = text.str.fullmatch(_WITHOUT_OFFSET).fillna(False).astype(bool)
    candidate = text.where(has_offset).str.replace(" ", "T", n=1)
    parsed = pd.to_datetime(candidate, utc=True, format="ISO8601", errors="coerce")
    msgs = _none(len(s))
    present = s.notna().to_numpy()
    msgs[present & no_offset.to_numpy()] = E.NO_OFFSET
    unreadable = present & msgs.isna().to_numpy() & parsed.isna().to_numpy()
    msgs[unreadable] = E.NOT_A_TIME
    ok = parsed.notna().to_numpy()
    sub = ok.copy()
    sub[ok] = (parsed[ok].dt.microsecond != 0).to_numpy() | (
        parsed[ok].dt.nanosecond != 0
    ).to_numpy()
    msgs[sub] = E.SUBSECOND
    out_of_range = ok & ((parsed < MIN_TIME) | (parsed >= MAX_TIME)).fillna(False).to_numpy()
    msgs[out_of_range] = E.TIME_RANGE
    good = parsed.where(msgs.isna().to_numpy())
    return good.dt.as_unit("s"), msgs


def _choice(choices: tuple[str, ...]) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    def parse(s: pd.Series) -> tuple[pd.Series, Messages]:
        msgs = _none(len(s))
        bad = s.notna().to_numpy() & ~s.isin(choices).to_numpy()
        for i in np.flatnonzero(bad):
            msgs.iloc[int(i)] = E.BAD_CHOICE.format(choices=", ".join(choices)) + did_you_mean(
                str(s.iloc[i]), choices
            )
        return s.where(~bad), msgs

    return parse


def _slug(star: bool) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    def parse(s: pd.Series) -> tuple[pd.Series, Messages]:
        msgs = _none(len(s))
        ok = s.astype("str").str.fullmatch(_SLUG).fillna(False).astype(bool).to_numpy()
        if star:
            ok = ok | (s == "*").fillna(False).to_numpy()
        bad = s.notna().to_numpy() & ~ok
        for i in np.flatnonzero(bad):
            value = str(s.iloc[i])
            lower = value.strip().lower()
            hint = f"; did you mean '{lower}'?" if re.fullmatch(_SLUG, lower) else ""
            msgs.iloc[int(i)] = E.BAD_SLUG.format(hint=hint)
        return s.where(~bad), msgs

    return parse


def _member(
    valid: Callable[[], frozenset[str] | dict[str, int]], message: str
) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    def parse(s: pd.Series) -> tuple[pd.Series, Messages]:
        options = valid()
        msgs = _none(len(s))
        bad = s.notna().to_numpy() & ~s.isin(list(options)).to_numpy()
        for i in np.flatnonzero(bad):
            msgs.iloc[int(i)] = message.format(hint=did_you_mean(str(s.iloc[i]), options))
        return s.where(~bad), msgs

    return parse


def _hour(s: pd.Series) -> tuple[pd.Series, Messages]:
    values, msgs = _numbers(s)
    v = values.to_numpy(na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = (v != np.floor(v)) | (v < 0) | (v > 23)
    bad = bad & msgs.isna().to_numpy() & s.notna().to_numpy()
    msgs[bad | msgs.notna().to_numpy()] = E.NOT_AN_INTEGER.format(low=0, high=23)
    msgs[s.isna().to_numpy()] = None
    return values.where(msgs.isna()), msgs


def _tiers(s: pd.Series) -> tuple[pd.Series, Messages]:
    """Each distinct tier text is parsed once; rows take its canonical form or its message."""
    canonical: dict[str, object] = {}
    problem: dict[str, object] = {}
    for text in s.dropna().unique().tolist():
        try:
            canonical[text] = format_tiers(parse_tiers(str(text)))
            problem[text] = None
        except TierError as exc:
            canonical[text] = np.nan
            problem[text] = str(exc)
    out = s.map(canonical).astype("str")
    msgs = s.map(problem).astype(object)
    msgs = msgs.where(msgs.notna(), None)
    return out, msgs.reset_index(drop=True)


def _scopes(s: pd.Series) -> tuple[pd.Series, Messages]:
    """A list of scopes -> its canonical text; each distinct text is read once."""
    canonical: dict[str, object] = {}
    problem: dict[str, object] = {}
    for text in s.dropna().unique().tolist():
        try:
            canonical[text] = format_scopes(parse_scopes(str(text)))
            problem[text] = None
        except ScopeError as exc:
            canonical[text] = np.nan
            problem[text] = str(exc)
    out = s.map(canonical).astype("str")
    msgs = s.map(problem).astype(object)
    msgs = msgs.where(msgs.notna(), None)
    return out, msgs.reset_index(drop=True)


def _text(s: pd.Series) -> tuple[pd.Series, Messages]:
    return s, _none(len(s))


PARSERS: dict[str, Callable[[pd.Series], tuple[pd.Series, Messages]]] = {
    "id": _text,
    "text": _text,
    "profile": _text,
    "sla": _text,
    "slug": per_distinct(_slug(star=False)),
    "slug_or_star": per_distinct(_slug(star=True)),
    "timestamp": _timestamps,
    "impact": _range(0.0, 1.0, E.IMPACT_RANGE, low_open=True, max_places=6),
    "share": _range(0.0, 1.0, E.SHARE_RANGE),
    "exact_share": _range(0.0, 1.0, E.SHARE_RANGE, max_places=6),
    "money": _range(0.0, None, E.NEGATIVE_MONEY),
    "exact_money": _range(0.0, None, E.NEGATIVE_MONEY),
    "duration": _range(0.0, None, E.NOT_NEGATIVE),
    "weight": _range(0.0, None, E.NOT_NEGATIVE),
    "hour": _hour,
    "currency": per_distinct(_member(lambda: currencies(), E.UNKNOWN_CURRENCY)),
    "timezone": per_distinct(_member(timezones, E.UNKNOWN_TIMEZONE)),
    "kind": per_distinct(_choice(KINDS)),
    "metric": per_distinct(_choice(METRICS)),
    "cover": per_distinct(_choice(COVERS)),
    "day": per_distinct(_choice((*DAYS, "*"))),
    "tiers": _tiers,
    "scope": per_distinct(_choice(SCOPES)),
    "zone": per_distinct(_slug(star=False)),
    "scopes": _scopes,
}

DTYPES: dict[str, Any] = {"timestamp": "datetime64[s, UTC]", "hour": "Int64"}
NUMERIC = {"impact", "share", "exact_share", "money", "exact_money", "duration", "weight"}


# --- one table ----------------------------------------------------------------------


@dataclass
class Checked:
    """A table after parsing: typed values, raw text, row numbers and where it came from."""

    table: Table
    raw: RawTable
    typed: pd.DataFrame
    bad: pd.DataFrame  # True where a value could not be read (so later rules skip it)


class Collector:
    def __init__(self) -> None:
        self.issues: list[ValidationIssue] = []

    def add(
        self,
        raw: RawTable,
        positions: Any,
        column: str | None,
        message: str | pd.Series | list[str],
        *,
        value: bool = True,
    ) -> None:
        idx = np.asarray(positions)
        if idx.dtype == bool:
            idx = np.flatnonzero(idx)
        for n, i in enumerate(idx):
            msg = (
                message
                if isinstance(message, str)
                else (message.iloc[i] if isinstance(message, pd.Series) else message[n])
            )
            text = None
            if value and column is not None and column in raw.frame.columns:
                cell = raw.frame[column].iloc[i]
                text = None if pd.isna(cell) else str(cell)
            self.issues.append(
                ValidationIssue(raw.source, int(raw.rows[i]), column, text, str(msg), raw.row_label)
            )


def check_table(raw: RawTable, out: Collector) -> Checked:
    table = TABLES_BY_NAME[raw.name]
    frame = raw.frame
    known = table.column_names
    header_row = 1 if raw.row_label == "row" else None  # a JSON list has no header row
    for col in frame.columns:
        if col not in known:
            out.issues.append(
                ValidationIssue(
                    raw.source,
                    header_row,
                    col,
                    col,
                    E.UNKNOWN_COLUMN.format(
                        column=col, hint=did_you_mean(col, known), columns=", ".join(known)
                    ),
                )
            )
    for column in table.columns:
        if column.in_header and column.name not in frame.columns:
            out.issues.append(
                ValidationIssue(
                    raw.source,
                    header_row,
                    column.name,
                    None,
                    E.MISSING_COLUMN.format(column=column.name),
                )
            )
    if len(frame) == 0 and not table.optional:
        out.issues.append(ValidationIssue(raw.source, None, None, None, E.HEADER_ONLY))
    n = len(frame)
    typed: dict[str, pd.Series] = {}
    bad: dict[str, np.ndarray[Any, Any]] = {}
    for column in table.columns:
        if column.name in frame.columns:
            values, msgs = PARSERS[column.kind](frame[column.name].reset_index(drop=True))
            problems = msgs.notna().to_numpy()
            out.add(raw, problems, column.name, msgs)
            bad[column.name] = problems
        else:
            values = pd.Series([np.nan] * n, dtype=np.float64)
            bad[column.name] = np.zeros(n, dtype=bool)
        typed[column.name] = _as_dtype(values, column.kind, n)
        if column.in_header and column.name in frame.columns:
            blank = frame[column.name].isna().to_numpy() & ~bad[column.name]
            out.add(raw, blank, column.name, E.REQUIRED, value=False)
    result = pd.DataFrame(typed, index=pd.RangeIndex(n))
    return Checked(table, raw, result, pd.DataFrame(bad, index=pd.RangeIndex(n)))


def _as_dtype(values: pd.Series, kind: str, n: int) -> pd.Series:
    values = values.reset_index(drop=True)
    if kind in DTYPES:
        if kind == "timestamp" and not isinstance(values.dtype, pd.DatetimeTZDtype):
            empty: pd.Series = pd.Series(pd.NaT, index=range(n), dtype=DTYPES[kind])
            return empty
        typed: pd.Series = values.astype(DTYPES[kind])
        return typed
    if kind in NUMERIC:
        return values.astype(np.float64)
    return values.astype("str")


def duplicates(checked: Checked, column: str, out: Collector) -> np.ndarray[Any, Any]:
    """Report every repeat of an id after its first use; returns the repeat mask."""
    values = checked.typed[column]
    dup = values.duplicated(keep="first").to_numpy() & values.notna().to_numpy()
    if dup.any():
        first_pos = pd.Series(np.arange(len(values))).groupby(values.to_numpy()).transform("min")
        first_row = checked.raw.rows[first_pos.to_numpy()]
        msgs = [
            E.DUPLICATE_ID.format(column=column, first=first_row[i]) for i in np.flatnonzero(dup)
        ]
        out.add(checked.raw, dup, column, msgs)
    return dup


def references(
    checked: Checked, column: str, valid: pd.Series, table: str, target: str, out: Collector
) -> None:
    values = checked.typed[column]
    missing = values.notna().to_numpy() & ~is_in(values, valid)
    if missing.any():
        options = valid.dropna().astype(str).unique().tolist()
        msgs = [
            E.UNKNOWN_REFERENCE.format(
                table=table,
                column=target,
                value=values.iloc[i],
                hint=did_you_mean(str(values.iloc[i]), options),
            )
            for i in np.flatnonzero(missing)
        ]
        out.add(checked.raw, missing, column, msgs)


def end_after_start(checked: Checked, out: Collector, *, end_required: bool) -> None:
    t = checked.typed
    both = t["start"].notna() & t["end"].notna()
    wrong = (both & (t["end"] <= t["start"])).to_numpy()
    if wrong.any():
        msgs = [
            E.END_NOT_AFTER_START.format(start=checked.raw.frame["start"].iloc[i])
            for i in np.flatnonzero(wrong)
        ]
        out.add(checked.raw, wrong, "end", msgs)
    if end_required:
        blank = t["end"].isna().to_numpy() & ~checked.bad["end"].to_numpy()
        blank = blank & ("end" in checked.raw.frame.columns)
        out.add(checked.raw, blank, "end", E.BLANK_END_EXCLUSION, value=False)


# --- tables --------------------------------------------------------------------------


def check_outages(c: Checked, out: Collector) -> None:
    end_after_start(c, out, end_required=False)
    t = c.typed
    t["impact"] = t["impact"].fillna(1.0).where(~c.bad["impact"])
    t["scope"] = t["scope"].where(t["scope"].notna() | c.bad["scope"], DEFAULT_SCOPE)
    stray = t["zone"].notna().to_numpy() & (t["scope"] != "zone").to_numpy()
    stray &= ~c.bad["scope"].to_numpy()
    out.add(
        c.raw,
        stray,
        "zone",
        [E.ZONE_NOT_ZONE_SCOPE.format(scope=t["scope"].iloc[i]) for i in np.flatnonzero(stray)],
    )


def check_companies(c: Checked, out: Collector) -> None:
    t, raw = c.typed, c.raw
    duplicates(c, "company_id", out)
    annual = raw.frame.get("annual_revenue", pd.Series([pd.NA] * len(t))).notna().to_numpy()
    hourly = raw.frame.get("revenue_per_hour", pd.Series([pd.NA] * len(t))).notna().to_numpy()
    out.add(raw, annual & hourly, "revenue_per_hour", E.BOTH_REVENUES)
    out.add(raw, ~annual & ~hourly, "annual_revenue", E.NO_REVENUE, value=False)
    for column, default in (("currency", "USD"), ("timezone", "UTC"), ("revenue_profile", "flat")):
        t[column] = t[column].where(t[column].notna() | c.bad[column], default)
    for column in ("recapture_rate", "outage_cost_per_hour"):
        t[column] = t[column].where(t[column].notna() | c.bad[column], 0.0)


def check_contracts(c: Checked, companies: pd.DataFrame, out: Collector) -> None:
    t, raw = c.typed, c.raw
    duplicates(c, "contract_id", out)
    present = raw.frame.reindex(columns=c.table.column_names).notna().reset_index(drop=True)
    kind = t["kind"].where(t["kind"].notna() | c.bad["kind"], "provider")
    t["kind"] = kind
    for k in KINDS:
        rows = (kind == k).to_numpy()
        for column in c.table.column_names:
            if column in ("contract_id", "company_id", "kind"):
                continue
            if column not in KIND_COLUMNS[k]:
                out.add(
                    raw, rows & present[column].to_numpy(), column, E.NOT_FOR_KIND.format(kind=k)
                )
        for column in KIND_REQUIRED[k]:
            out.add(
                raw,
                rows & ~present[column].to_numpy(),
                column,
                E.REQUIRED_FOR_KIND.format(kind=k),
                value=False,
            )
    # SLA templates and custom terms
    sla = t["sla"]
    catalog = load_catalog()
    known = is_in(sla, [*catalog.ids, "custom"])
    unknown = sla.notna().to_numpy() & ~known & is_in(kind, ["provider", "customer"])
    out.add(
        raw,
        unknown,
        "sla",
        [
            E.UNKNOWN_TEMPLATE.format(
                value=sla.iloc[i], hint=did_you_mean(str(sla.iloc[i]), catalog.ids)
            )
            for i in np.flatnonzero(unknown)
        ],
    )
    custom = (sla == "custom").to_numpy()
    out.add(raw, custom & ~present["tiers"].to_numpy(), "tiers", E.REQUIRED_FOR_CUSTOM, value=False)
    t["metric"] = t["metric"].where(~(custom & t["metric"].isna().to_numpy()), "downtime")
    thr_default = custom | (kind == "insurance").to_numpy()
    t["downtime_threshold"] = t["downtime_threshold"].where(
        ~(thr_default & t["downtime_threshold"].isna().to_numpy()), 1.0
    )
    # insurance cover
    cover = t["cover"]
    for cv in COVERS:
        rows = (cover == cv).to_numpy() & (kind == "insurance").to_numpy()
        for column in COVER_REQUIRED[cv]:
            out.add(
                raw,
                rows & ~present[column].to_numpy(),
                column,
                E.REQUIRED_FOR_COVER.format(cover=cv),
                value=False,
            )
        for other, columns in COVER_COLUMNS.items():
            if other != cv:
                for column in columns:
                    out.add(
                        raw,
                        rows & present[column].to_numpy(),
                        column,
                        E.NOT_FOR_COVER.format(cover=cv),
                    )
    # defaults by kind
    prov = (kind == "provider").to_numpy()
    ins = (kind == "insurance").to_numpy()
    for column, default, rows in (
        ("revenue_share", 0.0, prov),
        ("failover_share", 1.0, prov),
        ("waiting_hours", 0.0, ins),
        ("deductible", 0.0, ins & (cover == "indemnity").to_numpy()),
    ):
        fill = rows & t[column].isna().to_numpy() & ~c.bad[column].to_numpy()
        t[column] = t[column].where(~fill, default)
    # durations are counted to the second
    for column, factor in (("failover_minutes", 60), ("waiting_hours", 3600)):
        seconds = t[column].to_numpy(na_value=np.nan) * factor
        with np.errstate(invalid="ignore"):
            frac = np.abs(seconds - np.rint(seconds)) > 1e-6
        out.add(
            raw,
            frac & ~np.isnan(seconds),
            column,
            f"counted to the second: {column} x {factor} must be a whole number of seconds",
        )
    # exact money in the company's minor unit
    currency = lookup(t["company_id"], companies["company_id"], companies["currency"])
    minor = pd.Series(list(currencies().values()), dtype=np.int64)
    places = (
        lookup(currency, pd.Series(list(currencies()), dtype="str"), minor)
        .fillna(2)
        .astype(np.int64)
        .to_numpy()
    )
    for column in ("monthly_fee", "hourly_payout", "deductible", "limit"):
        if column not in raw.frame.columns:
            continue
        written = decimals(raw.frame[column].reset_index(drop=True)).to_numpy()
        over = present[column].to_numpy() & ~c.bad[column].to_numpy() & (written > places)
        out.add(
            raw,
            over,
            column,
            [
                E.TOO_MANY_DECIMALS.format(
                    currency=currency.iloc[i] if pd.notna(currency.iloc[i]) else "the",
                    places=places[i],
                )
                for i in np.flatnonzero(over)
            ],
        )
        big = t[column].to_numpy(na_value=0.0) * np.power(10.0, places) >= MAX_EXACT_MINOR
        out.add(raw, big, column, "the amount is too large to be held exactly")


def check_exclusions(c: Checked, contracts: pd.DataFrame, out: Collector) -> None:
    end_after_start(c, out, end_required=True)
    kind = lookup(c.typed["contract_id"], contracts["contract_id"], contracts["kind"])
    wrong = (kind == "insurance").to_numpy()
    out.add(c.raw, wrong, "contract_id", E.EXCLUSION_KIND.format(kind="insurance contracts"))


def check_profiles(c: Checked, out: Collector) -> None:
    t, raw = c.typed, c.raw
    builtin = t["profile_id"].isin(list(BUILTIN_PROFILES)).to_numpy()
    out.add(
        raw,
        builtin,
        "profile_id",
        [E.PROFILE_BUILTIN_NAME.format(value=t["profile_id"][i]) for i in np.flatnonzero(builtin)],
    )
    # a row whose weight could not be read still covers its hour (no cascading errors)
    usable = t[["profile_id", "day", "hour"]].notna().all(axis=1).to_numpy()
    u = t[usable].copy()
    u["pos"] = np.flatnonzero(usable)
    dup = u.duplicated(["profile_id", "day", "hour"], keep="first").to_numpy()
    if dup.any():
        firsts = u.groupby(["profile_id", "day", "hour"])["pos"].transform("min").to_numpy()
        pos = u["pos"].to_numpy()[dup]
        msgs = [
            E.PROFILE_DUPLICATE.format(
                profile=u["profile_id"].iloc[j],
                day=u["day"].iloc[j],
                hour=int(u["hour"].iloc[j]),
                first=raw.rows[firsts[j]],
            )
            for j in np.flatnonzero(dup)
        ]
        out.add(raw, pos, "hour", msgs)
    for pid, rows in u.groupby("profile_id"):
        star_hours = set(rows.loc[rows["day"] == "*", "hour"].astype(int))
        covered = {(d, int(h)) for d, h in zip(rows["day"], rows["hour"], strict=True) if d != "*"}
        missing = [
            (d, h) for d in DAYS for h in range(24) if h not in star_hours and (d, h) not in covered
        ]
        first = int(rows["pos"].min())
        if missing:
            examples = ", ".join(f"{d} {h:02d}:00" for d, h in missing[:3])
            out.add(
                raw,
                [first],
                "profile_id",
                E.PROFILE_MISSING_HOURS.format(profile=pid, count=len(missing), examples=examples),
            )
        elif rows["weight"].notna().all() and not (rows["weight"] > 0).any():
            out.add(raw, [first], "weight", E.PROFILE_ALL_ZERO.format(profile=pid))


# --- all tables -----------------------------------------------------------------------


EMPTY_TEXT = pd.Series(dtype="str")


def validate(raw: RawInputs) -> tuple[dict[str, pd.DataFrame], list[ValidationIssue]]:
    """Typed tables and every problem found (an empty list when the inputs are valid)."""
    out = Collector()
    out.issues += raw.issues
    checked = {name: check_table(t, out) for name, t in raw.tables.items()}
    typed = {name: c.typed for name, c in checked.items()}
    for name, table in TABLES_BY_NAME.items():
        if name not in typed:
            typed[name] = _empty(table)
    if "outages" in checked:
        check_outages(checked["outages"], out)
    if "companies" in checked:
        check_companies(checked["companies"], out)
    if "revenue_profiles" in checked:
        check_profiles(checked["revenue_profiles"], out)
    companies = typed["companies"]
    if "contracts" in checked:
        check_contracts(checked["contracts"], companies, out)
        if "companies" in checked:
            references(
                checked["contracts"],
                "company_id",
                companies["company_id"],
                "company",
                "company_id",
                out,
            )
    if "exclusions" in checked:
        check_exclusions(checked["exclusions"], typed["contracts"], out)
        if "contracts" in checked:
            references(
                checked["exclusions"],
                "contract_id",
                typed["contracts"]["contract_id"],
                "contract",
                "contract_id",
                out,
            )
    if "companies" in checked:
        c = checked["companies"]
        prof = c.typed["revenue_profile"]
        custom = typed["revenue_profiles"]["profile_id"].dropna().unique().tolist()
        options = [*BUILTIN_PROFILES, *custom]
        missing = prof.notna().to_numpy() & ~is_in(prof, options)
        out.add(
            c.raw,
            missing,
            "revenue_profile",
            [
                E.UNKNOWN_PROFILE.format(
                    value=prof.iloc[i],
                    builtins=", ".join(BUILTIN_PROFILES),
                    hint=did_you_mean(str(prof.iloc[i]), options),
                )
                for i in np.flatnonzero(missing)
            ],
        )
    return typed, out.issues


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame(
        {c.name: _as_dtype(pd.Series([], dtype=object), c.kind, 0) for c in table.columns}
    )
