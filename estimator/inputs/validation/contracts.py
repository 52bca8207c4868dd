"""The rules of the contracts table, one function per concern: which columns each kind takes,
the SLA named, the insurance cover's columns, durations to the second, and exact money in
the company's currency."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator import errors as E
from estimator.errors import did_you_mean
from estimator.inputs.validation.collector import Checked, Collector, duplicates, fill_defaults
from estimator.inputs.validation.parsers import decimals, is_in, lookup
from estimator.inputs.validation.reach_notes import template_reach
from estimator.inputs.validation.zones import check_zones
from estimator.inputs.vocabulary import (
    COVER_COLUMNS,
    COVER_REQUIRED,
    COVERS,
    KIND_COLUMNS,
    KIND_REQUIRED,
    KINDS,
)
from pricing.catalog import load_catalog
from pricing.money import currencies
from pricing.names import load_names

MAX_EXACT_MINOR = 2**53
EXACT_MONEY = ("monthly_fee", "hourly_payout", "deductible", "limit", "occurrence_limit")
WHOLE_SECONDS = (("failover_minutes", 60), ("waiting_hours", 3600))

Present = pd.DataFrame  # True where the user gave a value


def check_contracts(
    c: Checked, companies: pd.DataFrame, out: Collector, *, charges_given: bool = False
) -> None:
    duplicates(c, "contract_id", out)
    present = c.raw.frame.reindex(columns=c.table.column_names).notna().reset_index(drop=True)
    fill_defaults(c)  # kind first, then the defaults that depend on kind, SLA and cover
    kind_columns(c, present, out, charges_given)
    sla_named(c, present, out)
    cover_columns(c, present, out)
    policy_terms(c, companies, out)
    whole_seconds(c, out)
    exact_money(c, companies, present, out)
    check_zones(c, load_names(), out)


def kind_columns(c: Checked, present: Present, out: Collector, charges_given: bool) -> None:
    """A kind's required columns are given; columns that do not apply to it are blank. A
    provider contract may leave monthly_fee blank when the scenario has a charges table and
    the contract names its service and region (no *)."""
    kind = c.typed["kind"]
    for k in KINDS:
        rows = (kind == k).to_numpy()
        for column in c.table.column_names:
            if column in ("contract_id", "company_id", "kind") or column in KIND_COLUMNS[k]:
                continue
            out.add(c.raw, rows & present[column].to_numpy(), column, E.NOT_FOR_KIND.format(kind=k))
        for column in KIND_REQUIRED[k]:
            missing = rows & ~present[column].to_numpy()
            if k == "provider" and column == "monthly_fee":
                _fee_missing(c, missing, charges_given, out)
                continue
            out.add(c.raw, missing, column, E.REQUIRED_FOR_KIND.format(kind=k), value=False)


def _fee_missing(
    c: Checked, missing: npt.NDArray[np.bool_], charges_given: bool, out: Collector
) -> None:
    if not charges_given:
        out.add(c.raw, missing, "monthly_fee", E.FEE_OR_CHARGES, value=False)
        return
    wildcard = ((c.typed["service"] == "*") | (c.typed["region"] == "*")).to_numpy(dtype=bool)
    out.add(c.raw, missing & wildcard, "monthly_fee", E.WILDCARD_NEEDS_FEE, value=False)


def sla_named(c: Checked, present: Present, out: Collector) -> None:
    """The SLA is a catalog template or ``custom``; a custom SLA has tiers."""
    sla = c.typed["sla"]
    catalog = load_catalog()
    known = is_in(sla, [*catalog.ids, "custom"])
    unknown = sla.notna().to_numpy() & ~known & is_in(c.typed["kind"], ["provider", "customer"])
    out.add(
        c.raw,
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
    missing = custom & ~present["tiers"].to_numpy()
    out.add(c.raw, missing, "tiers", E.REQUIRED_FOR_CUSTOM, value=False)
    template_fits(c, out)


def template_fits(c: Checked, out: Collector) -> None:
    """A provider contract's template is one of its provider's, for its service (a contract
    for every service, ``*``, may take any of its provider's templates)."""
    t = c.typed
    reach = template_reach(load_catalog()).set_index("template_id")
    provider = lookup(t["sla"], pd.Series(reach.index, dtype="str"), reach["provider"])
    service = lookup(t["sla"], pd.Series(reach.index, dtype="str"), reach["service"])
    mine = (t["kind"] == "provider").to_numpy(
        dtype=bool, na_value=False
    ) & provider.notna().to_numpy()
    other_provider = mine & (t["provider"] != provider).to_numpy(dtype=bool, na_value=False)
    other_service = (
        mine
        & ~other_provider
        & (t["service"] != "*").to_numpy(dtype=bool, na_value=False)
        & (t["service"] != service).to_numpy(dtype=bool, na_value=False)
    )
    bad = other_provider | other_service
    fitting = reach.reset_index()

    def message(i: int) -> str:
        p, s = str(t["provider"].iloc[i]), str(t["service"].iloc[i])
        ids = fitting.loc[(fitting["provider"] == p) & (fitting["service"] == s), "template_id"]
        hint = f"; the catalog has {', '.join(ids)}" if len(ids) else ""
        meant = load_names().service_aliases.get(p, {}).get(s.lower())
        if meant == service.iloc[i]:
            hint += f"; or did you mean service '{meant}'?"
        return (
            E.TEMPLATE_ELSEWHERE.format(
                sla=t["sla"].iloc[i], for_=f"{provider.iloc[i]} {service.iloc[i]}", here=f"{p} {s}"
            )
            + hint
        )

    out.add(c.raw, bad, "sla", [message(int(i)) for i in np.flatnonzero(bad)])


def cover_columns(c: Checked, present: Present, out: Collector) -> None:
    """An insurance cover's required columns are given; the other cover's are blank."""
    insurance = (c.typed["kind"] == "insurance").to_numpy()
    for cv in COVERS:
        rows = (c.typed["cover"] == cv).to_numpy() & insurance
        for column in COVER_REQUIRED[cv]:
            missing = rows & ~present[column].to_numpy()
            out.add(c.raw, missing, column, E.REQUIRED_FOR_COVER.format(cover=cv), value=False)
        for other, columns in COVER_COLUMNS.items():
            for column in columns if other != cv else ():
                given = rows & present[column].to_numpy()
                out.add(c.raw, given, column, E.NOT_FOR_COVER.format(cover=cv))


def policy_terms(c: Checked, companies: pd.DataFrame, out: Collector) -> None:
    """A policy period ends after it starts; the occurrence limit is within the aggregate;
    the gross-profit basis has the company's margin to apply."""
    t = c.typed

    def flag(rows: pd.Series, column: str, message: Callable[[int], str]) -> None:
        mask = rows.to_numpy(dtype=bool, na_value=False)
        out.add(c.raw, mask, column, [message(int(i)) for i in np.flatnonzero(mask)])

    flag(
        t["expiry"] <= t["inception"],
        "expiry",
        lambda i: E.EXPIRY_BEFORE_INCEPTION.format(
            inception=f"{t['inception'].iloc[i]:%Y-%m-%d %H:%M:%S}Z"
        ),
    )
    flag(
        t["occurrence_limit"] > t["limit"],
        "occurrence_limit",
        lambda i: E.OCCURRENCE_ABOVE_AGGREGATE.format(limit=f"{t['limit'].iloc[i]:,}"),
    )
    margin = lookup(t["company_id"], companies["company_id"], companies["gross_margin"])
    known = is_in(t["company_id"], companies["company_id"].dropna().tolist())
    gross = (t["basis"] == "gross_profit").to_numpy(dtype=bool, na_value=False)
    flag(
        pd.Series(gross & margin.isna().to_numpy() & known),
        "basis",
        lambda i: E.GROSS_PROFIT_NEEDS_MARGIN.format(company=t["company_id"].iloc[i]),
    )


def whole_seconds(c: Checked, out: Collector) -> None:
    """Durations are counted to the second."""
    for column, factor in WHOLE_SECONDS:
        seconds = c.typed[column].to_numpy(na_value=np.nan) * factor
        with np.errstate(invalid="ignore"):
            frac = np.abs(seconds - np.rint(seconds)) > 1e-6
        out.add(
            c.raw,
            frac & ~np.isnan(seconds),
            column,
            E.NOT_WHOLE_SECONDS.format(column=column, factor=factor),
        )


def exact_money(c: Checked, companies: pd.DataFrame, present: Present, out: Collector) -> None:
    """Contractual amounts have no more decimals than the company's currency, and fit in the
    exact integer range."""
    currency = lookup(c.typed["company_id"], companies["company_id"], companies["currency"])
    places = _places(currency)
    for column in EXACT_MONEY:
        if column not in c.raw.frame.columns:
            continue
        given = present[column].to_numpy() & ~c.bad[column].to_numpy()
        written = np.zeros(len(given), dtype=np.int64)
        text = c.raw.frame[column].reset_index(drop=True)
        written[given] = decimals(text[given]).to_numpy()  # only the cells given: fast
        over = given & (written > places)
        out.add(
            c.raw,
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
        big = c.typed[column].to_numpy(na_value=0.0) * np.power(10.0, places) >= MAX_EXACT_MINOR
        out.add(c.raw, big, column, E.TOO_LARGE_AMOUNT)


def _places(currency: pd.Series) -> npt.NDArray[np.int64]:
    """Each row's minor-unit places (2 where the currency is not known)."""
    minor = pd.Series(list(currencies().values()), dtype=np.int64)
    found = lookup(currency, pd.Series(list(currencies()), dtype="str"), minor)
    return np.asarray(found.fillna(2).astype(np.int64).to_numpy(), dtype=np.int64)
