"""``estimate()``: turn validated inputs into arrays, call the pricing modules, assemble Results.

No rule is computed here: each step calls the pricing module that owns it
(matching, timelines, losses, credits, insurance). Companies are processed in
chunks so memory stays bounded on large portfolios.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from estimator import errors as E
from estimator.errors import InputError, ValidationIssue
from estimator.inputs import Inputs
from estimator.results import (
    CREDIT_COLUMNS,
    CREDIT_STEP_COLUMNS,
    LOSS_COLUMNS,
    RECOVERY_COLUMNS,
    RECOVERY_STEP_COLUMNS,
    SUMMARY_COLUMNS,
    TERMS_COLUMNS,
    TIER_COLUMNS,
    Results,
)
from estimator.terms import measure_terms, resolve
from pricing import insurance as ins
from pricing.catalog import SlaVersion, load_catalog
from pricing.claims import claim_rule
from pricing.credits import CreditTerms, MeasureTerms, credit_amounts, monthly_measure
from pricing.intervals import expand, unique, unique_inverse
from pricing.losses import CompanyRates, event_losses, hourly_revenue, loss_over
from pricing.matching import match_windows
from pricing.money import currencies, from_minor, round_half_up_float
from pricing.profiles import BUILTIN_PROFILES, RevenueClock, custom_profiles
from pricing.tiers import format_tiers
from pricing.timeline import PPM, Hits, company_timeline, dependency_rule

Progress = Callable[[str, int, int], None]
CHUNK_HITS = 1_500_000
"""Hits (window x contract) per chunk of companies priced at once."""


def estimate(
    inputs: Inputs,
    *,
    dependency_rule: str = "max",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    progress: Progress | None = None,
) -> Results:
    """Price every company's loss, the SLA credits both ways and insurance recoveries.

    Parameters
    ----------
    inputs
        Validated inputs (:func:`estimator.load_inputs` or ``Inputs.from_frames``).
    dependency_rule
        How a company's contracts combine into its lost share: ``"max"``
        (default) or ``"independent"`` (DESIGN §4.2).
    as_of
        End of ongoing outages (blank end), with a UTC offset; default now.
    progress
        Optional callback ``(stage, done, total)`` for long runs.
    """
    run = _Run(inputs, dependency_rule, _as_of(as_of), progress)
    return run.results()


def _as_of(value: str | dt.datetime | pd.Timestamp | None) -> pd.Timestamp:
    if value is None:
        return pd.Timestamp.now(tz="UTC").floor("s")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = None
    if ts is None or pd.isna(ts) or ts.tzinfo is None:
        raise InputError(
            [
                ValidationIssue(
                    "options",
                    None,
                    "as_of",
                    str(value),
                    E.NO_OFFSET if ts is not None and not pd.isna(ts) else E.NOT_A_TIME,
                )
            ]
        )
    return ts.tz_convert("UTC").floor("s")


def _seconds(ts: pd.Series) -> npt.NDArray[np.int64]:
    return np.asarray(ts.dt.as_unit("s").astype("int64"), dtype=np.int64)


@dataclass
class _Chunk:
    losses: pd.DataFrame
    own: pd.DataFrame
    lost: pd.DataFrame


class _Run:
    def __init__(
        self, inputs: Inputs, rule: str, as_of: pd.Timestamp, progress: Progress | None
    ) -> None:
        dependency_rule(rule)  # unknown rule -> ValueError naming the valid ones
        self.inputs = inputs
        self.rule = rule
        self.as_of = as_of
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.catalog = load_catalog()
        self.companies = inputs.companies
        self.contracts = inputs.contracts
        self.company_code = pd.Series(
            np.arange(len(self.companies), dtype=np.int64), index=self.companies["company_id"]
        )
        self.contract_company = (
            self.contracts["company_id"].map(self.company_code).to_numpy(np.int64)
        )
        self.places = self.companies["currency"].map(currencies()).to_numpy(np.int64)
        self.company_rank = _ranks(self.companies["company_id"])
        self.row_company: dict[str, npt.NDArray[np.int64]] = {}
        """Each result row's company code, in the order of the result tables."""
        self.row_provider: npt.NDArray[np.bool_] = np.zeros(0, dtype=np.bool_)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.progress:
            self.progress(name, 0, 1)
        t0 = time.perf_counter()
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0
        if self.progress:
            self.progress(name, 1, 1)

    # --- windows and hits ---------------------------------------------------------

    def windows(self) -> pd.DataFrame:
        out = self.inputs.outages
        ongoing = out["end"].isna()
        as_of_s = int(self.as_of.timestamp())
        start = _seconds(out["start"])
        too_early = ongoing.to_numpy() & (start >= as_of_s)
        if too_early.any():
            raise InputError(
                [
                    ValidationIssue(
                        "options",
                        None,
                        "as_of",
                        f"{self.as_of:%Y-%m-%dT%H:%M:%SZ}",
                        f"outage {out['outage_id'].iloc[i]} (start "
                        f"{out['start'].iloc[i]:%Y-%m-%dT%H:%M:%SZ}): "
                        + E.AS_OF_BEFORE_START.format(as_of=f"{self.as_of:%Y-%m-%dT%H:%M:%SZ}"),
                    )
                    for i in np.flatnonzero(too_early)
                ]
            )
        end = np.where(ongoing.to_numpy(), as_of_s, _seconds(out["end"].fillna(out["start"])))
        event, names = pd.factorize(out["outage_id"])
        self.event_names = np.asarray(names, dtype=object)
        self.ongoing = sorted(out.loc[ongoing, "outage_id"].unique().tolist())
        return pd.DataFrame(
            {
                "provider": out["provider"],
                "region": out["region"],
                "service": out["service"],
                "start": start,
                "end": end,
                "event": event.astype(np.int64),
                "impact_ppm": np.rint(out["impact"].to_numpy() * PPM).astype(np.int64),
            }
        )

    def hits(self, windows: pd.DataFrame, kind: str) -> pd.DataFrame:
        mask = (self.contracts["kind"] == kind).to_numpy()
        rows = np.flatnonzero(mask)
        w, c = match_windows(windows, self.contracts.iloc[rows])
        contract = rows[c]
        con = self.contracts
        fo = con["failover_minutes"].to_numpy(np.float64)[contract]
        return pd.DataFrame(
            {
                "company": self.contract_company[contract],
                "contract": contract,
                "event": windows["event"].to_numpy()[w],
                "start": windows["start"].to_numpy()[w],
                "end": windows["end"].to_numpy()[w],
                "impact_ppm": windows["impact_ppm"].to_numpy()[w],
                "share": np.nan_to_num(con["revenue_share"].to_numpy(np.float64)[contract]),
                "failover_s": np.where(np.isnan(fo), -1, np.rint(np.nan_to_num(fo) * 60)).astype(
                    np.int64
                ),
                "failover_ppm": np.rint(
                    np.nan_to_num(con["failover_share"].to_numpy(np.float64)[contract], nan=1.0)
                    * PPM
                ).astype(np.int64),
            }
        )

    # --- revenue clock --------------------------------------------------------------

    def clock(self, t_lo: int, t_hi: int) -> tuple[RevenueClock, CompanyRates]:
        custom = custom_profiles(self.inputs.revenue_profiles)
        names = [*BUILTIN_PROFILES, *custom]
        weights = np.vstack(
            [BUILTIN_PROFILES[n] if n in BUILTIN_PROFILES else custom[n] for n in names]
        )
        profile = pd.Index(names).get_indexer(pd.Index(self.companies["revenue_profile"]))
        zones, zone = np.unique(
            self.companies["timezone"].to_numpy(dtype=object), return_inverse=True
        )
        combos, combo_of = np.unique(
            zone.astype(np.int64) * len(names) + profile, return_inverse=True
        )
        clock = RevenueClock.build(
            [str(z) for z in zones], weights, combos // len(names), combos % len(names), t_lo, t_hi
        )
        co = self.companies
        rates = CompanyRates(
            revenue_per_hour=hourly_revenue(
                co["annual_revenue"].to_numpy(np.float64),
                co["revenue_per_hour"].to_numpy(np.float64),
            ),
            outage_cost_per_hour=co["outage_cost_per_hour"].to_numpy(np.float64),
            recapture_rate=co["recapture_rate"].to_numpy(np.float64),
            clock_combo=combo_of.astype(np.int64),
            minor_unit=np.asarray(self.places, dtype=np.int64),
        )
        return clock, rates

    # --- the run ----------------------------------------------------------------------

    def results(self) -> Results:
        with self.stage("matching"):
            windows = self.windows()
            hits = self.hits(windows, "provider")
            episodes = self.episodes(windows)
        t_lo = int(windows["start"].min()) if len(windows) else 0
        t_hi = int(windows["end"].max()) if len(windows) else 0
        clock, rates = self.clock(t_lo, t_hi)
        covers = self.cover_terms()
        chunks, indemnity = self.price_chunks(hits, clock, rates, episodes, covers)
        with self.stage("losses"):
            losses = self.loss_table(chunks)
            lost = pd.concat([c.lost for c in chunks], ignore_index=True)
        with self.stage("credits"):
            own = pd.concat([c.own for c in chunks], ignore_index=True)
            credits, credit_steps, terms, tiers = self.credit_table(hits, own)
        with self.stage("insurance"):
            recoveries, recovery_steps = self.recovery_table(episodes, covers, indemnity)
        summary = self.summary(losses, credits, recoveries)
        return Results(
            losses=losses,
            credits=credits,
            recoveries=recoveries,
            summary=summary,
            terms=terms,
            tiers=tiers,
            credit_steps=credit_steps,
            recovery_steps=recovery_steps,
            lost_share=lost,
            inputs=self.inputs,
            as_of=self.as_of,
            dependency_rule=self.rule,
            ongoing=self.ongoing,
            timings=self.timings,
        )

    def price_chunks(
        self,
        hits: pd.DataFrame,
        clock: RevenueClock,
        rates: CompanyRates,
        episodes: tuple[np.ndarray, ...],
        covers: ins.CoverTerms,
    ) -> tuple[list[_Chunk], npt.NDArray[np.float64]]:
        """Price companies chunk by chunk; also the loss in each insurance episode's covered time."""
        ep_cover, ep_start, ep_end = episodes
        cover_company = self.contract_company[ep_cover] if len(ep_cover) else ep_cover
        begin, end = ins.covered_interval(ep_cover, ep_start, ep_end, covers)
        order = np.argsort(hits["company"].to_numpy(), kind="stable")
        hits = hits.iloc[order].reset_index(drop=True)
        company = hits["company"].to_numpy()
        bounds = _chunk_bounds(company, CHUNK_HITS)
        chunks = []
        indemnity = np.zeros(len(ep_cover))
        for n, (a, b) in enumerate(bounds):
            part = Hits.from_frame(hits.iloc[a:b])
            with self.stage("timelines"):
                tl = company_timeline(part, rule=self.rule)
            with self.stage("losses"):
                lost = event_losses(tl, rates, clock)
                segs = tl.segments
                pos = np.flatnonzero(tl.lost_share > 0)
                lost_steps = pd.DataFrame(
                    {
                        "company": segs.group[pos],
                        "start": segs.start[pos],
                        "end": segs.end[pos],
                        "lost_share": tl.lost_share[pos],
                    }
                )
                own_pos = np.flatnonzero(tl.own_units > 0)
                own = pd.DataFrame(
                    {
                        "company": segs.group[own_pos],
                        "start": segs.start[own_pos],
                        "end": segs.end[own_pos],
                        "units": tl.own_units[own_pos],
                    }
                )
                mine = (cover_company >= company[a]) & (cover_company <= company[b - 1])
                if mine.any():
                    indemnity[mine] = loss_over(
                        tl, rates, clock, cover_company[mine], begin[mine], end[mine]
                    )
            chunks.append(_Chunk(lost, own, lost_steps))
            if self.progress:
                self.progress("companies", n + 1, len(bounds))
        if not chunks:
            chunks.append(
                _Chunk(
                    pd.DataFrame(columns=["company", "event"]),
                    pd.DataFrame(columns=["company", "start", "end", "units"]),
                    pd.DataFrame(columns=["company", "start", "end", "lost_share"]),
                )
            )
        return chunks, indemnity

    # --- tables ---------------------------------------------------------------------------

    def loss_table(self, chunks: list[_Chunk]) -> pd.DataFrame:
        raw = pd.concat([c.losses for c in chunks], ignore_index=True)
        if raw.empty:
            return pd.DataFrame({c: pd.Series(dtype="float64") for c in LOSS_COLUMNS}).astype(
                {"company_id": "str", "outage_id": "str", "currency": "str"}
            )
        company = raw["company"].to_numpy(np.int64)
        event = raw["event"].to_numpy(np.int64)
        events = pd.Series(self.event_names, dtype="str")
        key = self.company_rank[company] * len(events) + _ranks(events)[event]
        order = np.argsort(key)
        company, event = company[order], event[order]
        self.row_company["losses"] = company
        out = pd.DataFrame(
            {
                "company_id": _take(self.companies["company_id"], company),
                "outage_id": _take(events, event),
                "currency": _take(self.companies["currency"], company),
            }
        )
        for col in LOSS_COLUMNS[3:]:
            out[col] = raw[col].to_numpy(np.float64)[order]
        return out[LOSS_COLUMNS]

    def credit_table(
        self, hits: pd.DataFrame, own: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        con = self.contracts
        customers = np.flatnonzero((con["kind"] == "customer").to_numpy())
        cust = pd.DataFrame({"company": self.contract_company[customers], "contract": customers})
        own_hits = own.merge(cust, on="company", how="inner")
        sla_rows = con["kind"].isin(["provider", "customer"]).to_numpy()
        hits = hits[sla_rows[hits["contract"].to_numpy(np.int64)]] if len(hits) else hits
        if len(hits) == 0 and len(own_hits) == 0:
            return (
                _empty(CREDIT_COLUMNS),
                _empty(CREDIT_STEP_COLUMNS),
                _empty(TERMS_COLUMNS),
                _empty(TIER_COLUMNS),
            )
        terms_of_contract = measure_terms(con, self.catalog)
        ex = self.inputs.exclusions
        code_of_id = pd.Series(np.arange(len(con)), index=con["contract_id"])
        ex_contract = (
            ex["contract_id"].map(code_of_id).to_numpy(np.int64)
            if len(ex)
            else np.zeros(0, np.int64)
        )
        groups = _measurement_groups(
            con,
            terms_of_contract,
            hits["contract"].to_numpy(np.int64),
            own_hits["contract"].to_numpy(np.int64),
            ex_contract,
        )
        rep_hit = groups.is_representative[hits["contract"].to_numpy(np.int64)]
        group = np.concatenate(
            [
                groups.of_contract[hits["contract"].to_numpy(np.int64)[rep_hit]],
                groups.of_contract[own_hits["contract"].to_numpy(np.int64)],
            ]
        )
        start = np.concatenate(
            [hits["start"].to_numpy(np.int64)[rep_hit], own_hits["start"].to_numpy(np.int64)]
        )
        end = np.concatenate(
            [hits["end"].to_numpy(np.int64)[rep_hit], own_hits["end"].to_numpy(np.int64)]
        )
        units = np.concatenate(
            [
                hits["impact_ppm"].to_numpy(np.int64)[rep_hit] * PPM,
                own_hits["units"].to_numpy(np.int64),
            ]
        )
        ex_keep = groups.of_contract[ex_contract] >= 0 if len(ex_contract) else ex_contract > 0
        measured = monthly_measure(
            group,
            start,
            end,
            units,
            groups.of_contract[ex_contract[ex_keep]],
            _seconds(ex["start"])[ex_keep] if len(ex) else np.zeros(0, np.int64),
            _seconds(ex["end"])[ex_keep] if len(ex) else np.zeros(0, np.int64),
            groups.terms,
        )
        # every contract of a group takes the group's months
        measured = measured.merge(groups.members, on="group", how="inner")
        code = measured["contract"].to_numpy(np.int64)
        term_of, terms, versions = resolve(
            con[["sla", "tiers"]],
            code,
            measured["first_incident"].to_numpy(np.int64),
            measured["last_incident"].to_numpy(np.int64),
            self.catalog,
        )
        company = self.contract_company[code]
        places = self.places[company]
        currency = self.companies["currency"].to_numpy(object)[company]
        fee = con["monthly_fee"].to_numpy(np.float64)[code]
        fee_minor = np.rint(fee * np.power(10.0, places)).astype(np.int64)
        amounts = credit_amounts(
            term_of,
            measured["seconds_in_month"].to_numpy(np.int64),
            measured["measured_units"].to_numpy(np.int64),
            fee_minor,
            places,
            currency,
            terms,
        )
        credit = from_minor(amounts["credit_minor"].to_numpy(np.float64), places)  # NaN stays NaN
        deadline = self.deadlines(measured, term_of, versions)
        # every column is built in measurement order, beside the row it describes ...
        reason = _take(pd.Series(["; ".join(t.review) for t in terms], dtype="str"), term_of)
        extra = amounts["review"].to_numpy(object)
        extra_rows = np.flatnonzero(extra != "")
        if len(extra_rows):  # row-level sentences (a minimum credit in another currency)
            base = reason.iloc[extra_rows].to_numpy(object)
            joined = np.where(base != "", base + "; " + extra[extra_rows], extra[extra_rows])
            reason.iloc[extra_rows] = joined.astype(str)
        months = measured["month"].to_numpy(np.int64)
        rows = pd.DataFrame(
            {
                "contract_id": _take(con["contract_id"], code),
                "company_id": _take(con["company_id"], code),
                "kind": _take(con["kind"], code),
                "month": months,
                "minutes_in_month": measured["seconds_in_month"].to_numpy(np.int64) / 60.0,
                "downtime_minutes": measured["measured_units"].to_numpy(np.float64)
                / (PPM * PPM)
                / 60.0,
                "uptime_pct": amounts["uptime_pct"].to_numpy(np.float64),
                "credit_pct": amounts["credit_pct"].to_numpy(np.float64),
                "monthly_fee": fee,
                "credit_amount": credit,
                "currency": _take(self.companies["currency"], company),
                "claim_deadline": deadline,
                "sla_version": _take(pd.Series([t.label for t in terms], dtype="str"), term_of),
                "needs_review": (reason != "").to_numpy(dtype=bool),
                "review_reason": reason,
            }
        )
        for step in CREDIT_STEP_COLUMNS[:-1]:
            rows[step] = amounts[step].to_numpy(np.float64)
        rows["minor_unit"] = places
        # ... then put into output order once: company, contract, month
        m0 = int(months.min(initial=0))
        n_months = int(months.max(initial=0)) - m0 + 1
        key = (
            self.company_rank[company] * len(con) + _ranks(con["contract_id"])[code]
        ) * n_months + (months - m0)
        order = np.argsort(key, kind="stable")
        out = rows.take(order).reset_index(drop=True)
        out["month"] = _month_labels(out["month"].to_numpy(np.int64))
        self.row_company["credits"] = company[order]
        self.row_provider = out["kind"].to_numpy(object) == "provider"
        used = sorted(set(term_of.tolist()))
        table, tiers = self.terms_table([terms[i] for i in used], [versions[i] for i in used])
        return out[CREDIT_COLUMNS], out[CREDIT_STEP_COLUMNS], table, tiers

    def deadlines(
        self,
        measured: pd.DataFrame,
        term_of: np.ndarray,
        versions: list[SlaVersion | None],
    ) -> pd.Series:
        rule = np.array([v.claim_rule if v else "none" for v in versions], dtype=object)[term_of]
        days = np.array([v.claim_days or 0 if v else 0 for v in versions], dtype=np.int64)[term_of]
        month = measured["month"].to_numpy(np.int64).astype("datetime64[M]")
        first = (
            measured["first_incident"]
            .to_numpy(np.int64)
            .astype("datetime64[s]")
            .astype("datetime64[D]")
        )
        out = np.full(len(month), np.datetime64("NaT"), dtype="datetime64[D]")
        for name in pd.unique(rule):
            sel = rule == name
            r = claim_rule(str(name))
            for d in np.unique(days[sel]):
                part = sel & (days == d)
                out[part] = r.deadline(month[part], first[part], int(d))
        return pd.Series(out.astype("datetime64[s]"))

    def terms_table(
        self, terms: list[CreditTerms], versions: list[SlaVersion | None]
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The terms behind each sla_version label, and their tiers (one row per tier)."""
        rows: dict[str, dict[str, object]] = {}
        tier_rows = []
        for term, v in zip(terms, versions, strict=True):
            if term.label in rows:
                continue
            rule = v.claim_rule if v else "none"
            days = f" (N = {v.claim_days})" if v and v.claim_days else ""
            has_min = term.min_credit is not None
            rows[term.label] = {
                "sla_version": term.label,
                "method": term.method,
                "tiers": format_tiers(term.tiers),
                "multiplier": float(term.multiplier) if term.multiplier is not None else np.nan,
                "cap_pct": float(term.cap_pct) if term.cap_pct is not None else np.nan,
                "min_credit": float(term.min_credit) if has_min else np.nan,  # type: ignore[arg-type]
                "min_credit_currency": term.min_credit_currency or "",
                "min_credit_rule": (
                    ("greater_than" if term.min_credit_exclusive else "at_least") if has_min else ""
                ),
                "claim_rule": rule,
                "claim_how": claim_rule(rule).wording + days,
                "template_id": v.template_id if v else "custom",
                "version": v.version if v else "",
                "effective_from": v.effective_from if v else None,
                "superseded_on": v.superseded_on if v else None,
                "metric": v.metric if v else "",
                "source": v.source if v else "the contract's own tiers",
                "evidence": v.evidence if v else "",
                "verified": bool(v.verified) if v else True,
            }
            tier_rows += [
                {
                    "sla_version": term.label,
                    "below_pct": float(t.below_pct),
                    "credit_pct": float(t.credit_pct),
                }
                for t in term.tiers
            ]
        return (
            pd.DataFrame(list(rows.values()), columns=TERMS_COLUMNS),
            pd.DataFrame(tier_rows, columns=TIER_COLUMNS),
        )

    # --- insurance ------------------------------------------------------------------------

    def cover_terms(self) -> ins.CoverTerms:
        con = self.contracts
        places = self.places[self.contract_company]
        scale = np.power(10.0, places)

        def minor(col: str, missing: int) -> np.ndarray:
            v = con[col].to_numpy(np.float64)
            return np.where(np.isnan(v), missing, np.rint(np.nan_to_num(v) * scale)).astype(
                np.int64
            )

        return ins.CoverTerms(
            parametric=(con["cover"] == "parametric").to_numpy(),
            waiting_s=np.rint(
                np.nan_to_num(con["waiting_hours"].to_numpy(np.float64)) * 3600
            ).astype(np.int64),
            hourly_minor=minor("hourly_payout", 0),
            deductible_minor=minor("deductible", 0),
            limit_minor=minor("limit", -1),
            places=places.astype(np.int64),
        )

    def episodes(self, windows: pd.DataFrame) -> tuple[npt.NDArray[np.int64], ...]:
        """Each insurance cover's episodes (cover, start, end), sorted by cover then start.

        Covers with the same scope (provider, region, service) and threshold have the
        same episodes: they are computed once per distinct scope, then shared.
        """
        con = self.contracts
        covers = np.flatnonzero((con["kind"] == "insurance").to_numpy())
        thr = np.rint(
            np.nan_to_num(con["downtime_threshold"].to_numpy(np.float64), nan=1.0) * PPM
        ).astype(np.int64)
        scope = con.iloc[covers][["provider", "region", "service"]].reset_index(drop=True)
        scope["threshold"] = thr[covers]
        scope_of, scopes = pd.factorize(pd.MultiIndex.from_frame(scope))
        first = pd.Series(np.arange(len(covers))).groupby(scope_of).first().to_numpy()
        w, s = match_windows(windows, scope.iloc[first].reset_index(drop=True))
        s_start, s_end = windows["start"].to_numpy()[w], windows["end"].to_numpy()[w]
        ep_scope, ep_start, ep_end = ins.episodes(
            s,
            s_start,
            s_end,
            windows["impact_ppm"].to_numpy()[w],
            scope["threshold"].to_numpy(np.int64)[first],
        )
        # each cover takes its scope's episodes (sorted by cover, then start)
        per_scope = np.bincount(ep_scope, minlength=len(first))
        begin = np.cumsum(per_scope) - per_scope
        cover_scope = scope_of.astype(np.int64)
        count = per_scope[cover_scope]
        owner, k = expand(begin[cover_scope], count)
        del scopes
        return covers[owner].astype(np.int64), ep_start[k], ep_end[k]

    def recovery_table(
        self,
        episodes: tuple[np.ndarray, ...],
        covers: ins.CoverTerms,
        indemnity: np.ndarray,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        ep_cover, ep_start, ep_end = episodes
        if len(ep_cover) == 0:
            return _empty(RECOVERY_COLUMNS), _empty(RECOVERY_STEP_COLUMNS)
        paid = ins.payouts(ep_cover, ep_start, ep_end, covers, indemnity)
        company = self.contract_company[ep_cover]
        out = pd.DataFrame(
            {
                "contract_id": self.contracts["contract_id"].to_numpy(object)[ep_cover],
                "company_id": self.companies["company_id"].to_numpy(object)[company],
                "episode_start": pd.to_datetime(ep_start, unit="s", utc=True).as_unit("s"),
                "episode_end": pd.to_datetime(ep_end, unit="s", utc=True).as_unit("s"),
                "hours": paid["hours"],
                "covered_hours": paid["covered_hours"],
                "payout": from_minor(paid["payout_minor"].to_numpy(np.int64), self.places[company]),
                "currency": self.companies["currency"].to_numpy(object)[company],
            }
        )
        out = out.astype({"contract_id": "str", "company_id": "str", "currency": "str"})
        out["covered_loss"] = np.where(covers.parametric[ep_cover], np.nan, indemnity)
        for step in ("before_limit_minor", "running_minor", "capped_minor", "rounded_minor"):
            out[step] = paid[step].to_numpy(np.float64)
        out["minor_unit"] = self.places[company]
        out["_company"] = company
        out = out.sort_values(["company_id", "contract_id", "episode_start"], ignore_index=True)
        self.row_company["recoveries"] = out["_company"].to_numpy(np.int64)
        return out[RECOVERY_COLUMNS], out[RECOVERY_STEP_COLUMNS]

    # --- summary ----------------------------------------------------------------------------

    def summary(
        self, losses: pd.DataFrame, credits: pd.DataFrame, recoveries: pd.DataFrame
    ) -> pd.DataFrame:
        co = self.companies
        ids = co["company_id"]

        n = len(ids)

        def total(
            table: str, column: pd.Series, mask: npt.NDArray[np.bool_] | None = None
        ) -> npt.NDArray[np.float64]:
            """Per company, the sum of the rounded lines (lines not computed count as 0)."""
            codes = self.row_company.get(table, np.zeros(0, dtype=np.int64))
            values = np.nan_to_num(column.to_numpy(np.float64))
            if mask is not None:
                codes, values = codes[mask], values[mask]
            return np.bincount(codes, weights=values, minlength=n).astype(np.float64)

        loss = total("losses", losses["total_loss"])
        receivable = total("credits", credits["credit_amount"], self.row_provider)
        payable = total("credits", credits["credit_amount"], ~self.row_provider)
        recovered = total("recoveries", recoveries["payout"])
        places = self.places
        # sums of rounded lines, held as floats: re-round to remove binary noise only
        loss, receivable, payable, recovered = (
            round_half_up_float(x, places) for x in (loss, receivable, payable, recovered)
        )
        net = round_half_up_float(loss + payable - receivable - recovered, places)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(loss > 0, (receivable + recovered) / loss, np.nan)
        out = pd.DataFrame(
            {
                "company_id": ids.to_numpy(),
                "currency": co["currency"].to_numpy(),
                "total_loss": loss,
                "credits_receivable": receivable,
                "credits_payable": payable,
                "insurance_recoveries": recovered,
                "net_impact": net,
                "recovery_ratio": ratio,
            }
        )
        return out.astype({"company_id": "str", "currency": "str"})[SUMMARY_COLUMNS]


@dataclass(frozen=True)
class _Groups:
    """SLA contracts grouped by how they are measured.

    Provider contracts with the same scope (provider, region, service), metric,
    threshold and minimum downtime period, and no exclusion of their own, are hit
    by the same windows and measured alike: they share one group, measured once
    through a representative. Customer contracts and contracts with exclusions
    are groups of their own.
    """

    of_contract: npt.NDArray[np.int64]  # group of each contract (-1 = none)
    is_representative: npt.NDArray[np.bool_]
    terms: MeasureTerms  # per group
    members: pd.DataFrame  # group, contract


def _measurement_groups(
    con: pd.DataFrame,
    terms: MeasureTerms,
    hit_contract: npt.NDArray[np.int64],
    own_contract: npt.NDArray[np.int64],
    ex_contract: npt.NDArray[np.int64],
) -> _Groups:
    n = len(con)
    excluded = np.zeros(n, dtype=np.bool_)
    excluded[ex_contract] = True
    prov = unique(hit_contract)
    scope = np.zeros(len(prov), dtype=np.int64)
    for column in ("provider", "region", "service"):  # integer codes of the text columns
        codes, values = pd.factorize(con[column].take(prov))
        scope = scope * (len(values) + 1) + codes
    measure = pd.factorize(
        pd.MultiIndex.from_arrays(
            [terms.threshold_units[prov], terms.error_metric[prov], terms.min_downtime_s[prov]]
        )
    )[0]
    own = np.where(excluded[prov], prov + 1, 0)  # an excluded contract is a group of its own
    sig_of_prov = pd.factorize(
        (scope * (int(measure.max(initial=0)) + 1) + measure) * (n + 1) + own
    )[0]
    n_sig = int(sig_of_prov.max()) + 1 if len(prov) else 0
    rep = np.full(n_sig, -1, dtype=np.int64)
    rep[sig_of_prov[::-1]] = prov[::-1]  # the first contract of each signature
    cust = unique(own_contract)
    of_contract = np.full(n, -1, dtype=np.int64)
    of_contract[prov] = sig_of_prov
    of_contract[cust] = n_sig + np.arange(len(cust))
    is_rep = np.zeros(n, dtype=np.bool_)
    is_rep[rep] = True
    who = np.concatenate([rep, cust])
    group_terms = MeasureTerms(
        terms.error_metric[who], terms.threshold_units[who], terms.min_downtime_s[who]
    )
    members = pd.DataFrame(
        {
            "group": np.concatenate([sig_of_prov, of_contract[cust]]),
            "contract": np.concatenate([prov, cust]),
        }
    )
    return _Groups(of_contract, is_rep, group_terms, members)


def _month_labels(months: npt.NDArray[np.int64]) -> pd.Series:
    """Months since 1970-01 -> 'YYYY-MM' text, formatting each distinct month once."""
    distinct, which = unique_inverse(months)
    labels = pd.Series(distinct.astype("datetime64[M]").astype(str), dtype="str")
    return labels.take(which).reset_index(drop=True)


def _ranks(ids: pd.Series) -> npt.NDArray[np.int64]:
    """Each id's position in alphabetical order (to sort tables by integers, not text)."""
    order = np.argsort(ids.to_numpy(dtype=object), kind="stable")
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order), dtype=np.int64)
    return ranks


def _take(column: pd.Series, positions: npt.NDArray[np.int64]) -> pd.Series:
    """Values at positions, keeping the column's text dtype (no Python objects)."""
    return column.take(positions).reset_index(drop=True).astype("str")


def _chunk_bounds(company: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Split rows sorted by company into runs of about ``size`` rows, never splitting a company."""
    n = len(company)
    if n == 0:
        return []
    starts = np.flatnonzero(np.r_[True, company[1:] != company[:-1]])
    bounds = []
    a = 0
    while a < n:
        target = a + size
        if target >= n:
            bounds.append((a, n))
            break
        b = int(starts[np.searchsorted(starts, target)]) if target < starts[-1] else n
        b = max(b, int(starts[np.searchsorted(starts, a, side="right")]) if a < starts[-1] else n)
        bounds.append((a, b))
        a = b
    return bounds


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
