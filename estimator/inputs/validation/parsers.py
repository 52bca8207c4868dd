"""Parsers: a text column -> its typed values and a message for each value that cannot be read.

Each column is parsed on the whole column at once; columns with few distinct values
(provider, region, kind, currency, ...) are parsed once per distinct value.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from estimator import errors as E
from estimator.errors import did_you_mean
from estimator.inputs.vocabulary import (
    BASES,
    CLAIM_LOG_STATUSES,
    COVERS,
    DAYS,
    KINDS,
    METRICS,
    OTHER_RECOVERIES,
    UNCERTAIN_TABLES,
)
from pricing.distributions import DISTRIBUTIONS
from pricing.money import currencies
from pricing.scopes import SCOPES, ScopeError, format_scopes, parse_scopes
from pricing.tiers import TierError, format_tiers, parse_tiers
from pricing.zones import ZoneError, checked_zones

Messages = pd.Series  # object Series: a message per row, None where the value is fine
Parser = Callable[[pd.Series], tuple[pd.Series, Messages]]

# digits are ASCII 0-9 only (Python's \d and Decimal() also take other scripts' digits,
# like Arabic-Indic ١٢٣, which this tool refuses rather than guesses: METHODOLOGY §2)
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_SLUG = r"^[a-z0-9][a-z0-9._-]*$"
_D = "[0-9]"
_DATE_TIME = rf"{_D}{{4}}-{_D}{{2}}-{_D}{{2}}[T ]{_D}{{2}}:{_D}{{2}}(?::{_D}{{2}}(?:\.{_D}+)?)?"
_WITH_OFFSET = _DATE_TIME + rf"(?:Z|z|[+-]{_D}{{2}}(?::?{_D}{{2}})?)"
_WITHOUT_OFFSET = (
    rf"{_D}{{4}}-{_D}{{2}}-{_D}{{2}}(?:[T ]{_D}{{2}}:{_D}{{2}}(?::{_D}{{2}}(?:\.{_D}+)?)?)?"
)
MIN_TIME = pd.Timestamp("1970-01-01", tz="UTC")
MAX_TIME = pd.Timestamp("2200-01-01", tz="UTC")


@cache
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


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


def only_given(
    parse: Callable[[pd.Series], tuple[pd.Series, Messages]],
) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    """Run a parser on the cells that hold a value only (for columns that are mostly blank:
    the insurance and customer-SLA columns of a contracts table). A blank cell is blank after
    every parser and has no problem, so the results are identical."""

    def wrapped(s: pd.Series) -> tuple[pd.Series, Messages]:
        given = s.notna().to_numpy()
        if int(given.sum()) * 4 > len(s):
            return parse(s)
        at = np.flatnonzero(given)
        values, msgs = parse(s[given].reset_index(drop=True))
        values.index = at
        per_row = np.full(len(s), None, dtype=object)
        per_row[at] = msgs.to_numpy(dtype=object)
        return values.reindex(pd.RangeIndex(len(s))), pd.Series(per_row)

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
    msgs[bad & ok_syntax.to_numpy(dtype=bool)] = E.NUMBER_TOO_LARGE  # 1e400, 5,000 digits
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
        parts = text[sci].str.extract(r"^[+-]?[0-9]*(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$")
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


def _canonical(
    read: Callable[[str], str], error: type[Exception]
) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    """A parser giving each value its canonical text, or the reader's message; each distinct
    text is read once."""

    def parse(s: pd.Series) -> tuple[pd.Series, Messages]:
        canonical: dict[str, object] = {}
        problem: dict[str, object] = {}
        for text in s.dropna().unique().tolist():
            try:
                canonical[text], problem[text] = read(str(text)), None
            except error as exc:
                canonical[text], problem[text] = np.nan, str(exc)
        msgs = s.map(problem).astype(object)
        return s.map(canonical).astype("str"), msgs.where(msgs.notna(), None).reset_index(drop=True)

    return parse


_tiers = _canonical(lambda text: format_tiers(parse_tiers(text)), TierError)
_scopes = _canonical(lambda text: format_scopes(parse_scopes(text)), ScopeError)
_zones = _canonical(checked_zones, ZoneError)


def _text(s: pd.Series) -> tuple[pd.Series, Messages]:
    return s, _none(len(s))


def _pattern_date(
    pattern: str, fmt: str, message: str
) -> Callable[[pd.Series], tuple[pd.Series, Messages]]:
    """Text in one fixed shape that is also a real date (a month, a day), kept as typed."""

    def parse(s: pd.Series) -> tuple[pd.Series, Messages]:
        text = s.astype("str").str.strip()
        shaped = text.str.fullmatch(pattern).fillna(False).astype(bool)
        real = pd.to_datetime(text.where(shaped), format=fmt, errors="coerce").notna()
        msgs = _none(len(s))
        bad = s.notna().to_numpy() & ~(shaped & real).to_numpy()
        msgs[bad] = message
        return text.where(~bad & s.notna().to_numpy()), msgs

    return parse


def _year(s: pd.Series) -> tuple[pd.Series, Messages]:
    """A simulated year: a whole number, 1 or more."""
    values, msgs = _numbers(s)
    v = values.to_numpy(na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ((v < 1) | (np.abs(v - np.rint(v)) > 0)) & msgs.isna().to_numpy()
    msgs[bad] = E.YEAR_RANGE
    return values.where(msgs.isna()), msgs


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
    "basis": per_distinct(_choice(BASES)),
    "other_recoveries": per_distinct(_choice(OTHER_RECOVERIES)),
    "insurer_share": _range(0.0, 1.0, E.INSURER_SHARE_RANGE, low_open=True, max_places=6),
    "margin": _range(0.0, 1.0, E.MARGIN_RANGE, low_open=True),
    "rate": _range(0.0, None, E.RATE_RANGE, low_open=True),
    "year": _year,
    "day": per_distinct(_choice((*DAYS, "*"))),
    "tiers": _tiers,
    "scope": per_distinct(_choice(SCOPES)),
    "uncertain_table": per_distinct(_choice(UNCERTAIN_TABLES)),
    "distribution": per_distinct(_choice(tuple(DISTRIBUTIONS))),
    "number": _range(None, None, E.NOT_A_NUMBER),
    "zone": per_distinct(_slug(star=False)),
    "scopes": _scopes,
    "zones": _zones,
    "month": per_distinct(_pattern_date(r"\d{4}-\d{2}", "%Y-%m", E.BAD_MONTH)),
    "date": per_distinct(_pattern_date(r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d", E.BAD_DATE)),
    "claim_log_status": per_distinct(_choice(CLAIM_LOG_STATUSES)),
}

DTYPES: dict[str, Any] = {"timestamp": "datetime64[s, UTC]", "hour": "Int64", "year": "Int64"}
NUMERIC = {
    "rate",
    "impact",
    "insurer_share",
    "margin",
    "share",
    "exact_share",
    "money",
    "exact_money",
    "duration",
    "weight",
    "number",
}
