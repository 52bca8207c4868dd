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

from estimator.columns import LOSS_COLUMNS, RECOVERY_COLUMNS, RECOVERY_STEP_COLUMNS, SUMMARY_COLUMNS
from estimator.credit_table import CreditContext, credit_tables
from estimator.inputs import Inputs
from estimator.results import Results
from estimator.terms import scope_masks as _scope_masks
from estimator.valuation import LEFT_OUT, ONGOING, as_of_time, outage_ids, priced_windows, seconds
from pricing import insurance as ins
from pricing.catalog import load_catalog
from pricing.intervals import expand, unique_inverse
from pricing.losses import CompanyRates, event_losses, hourly_revenue, loss_over
from pricing.matching import match_windows
from pricing.money import currencies, from_minor, round_half_up_float
from pricing.profiles import BUILTIN_PROFILES, RevenueClock, custom_profiles
from pricing.scopes import ALL as ALL_SCOPES
from pricing.scopes import counted, scope_bits
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
        The valuation time, with a UTC offset (default: now): nothing after it is
        counted. Windows are cut at it, ongoing ones (blank end) run to it, windows
        that start at or after it are left out; claim statuses are read on its date.
    progress
        Optional callback ``(stage, done, total)`` for long runs.
    """
    run = _Run(inputs, dependency_rule, as_of_time(as_of), progress)
    return run.results()


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
        """The windows priced at ``as_of`` (cut, run to it, or left out), as integer arrays."""
        self.priced = priced_windows(self.inputs.outages, self.as_of)
        keep = (self.priced["status"] != LEFT_OUT).to_numpy()
        out = self.inputs.outages
        event, names = pd.factorize(out["outage_id"])
        self.event_names = np.asarray(names, dtype=object)
        return pd.DataFrame(
            {
                "provider": out["provider"].to_numpy()[keep],
                "region": out["region"].to_numpy()[keep],
                "service": out["service"].to_numpy()[keep],
                "start": seconds(out["start"])[keep],
                "end": seconds(self.priced["priced_end"][keep]),
                "event": event.astype(np.int64)[keep],
                "impact_ppm": np.rint(out["impact"].to_numpy() * PPM).astype(np.int64)[keep],
                "scope_bit": scope_bits(out["scope"].to_numpy(object))[keep],
                "window": np.flatnonzero(keep),
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
                "scope_bit": windows["scope_bit"].to_numpy()[w],
                "window": windows["window"].to_numpy()[w],
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
            credits, credit_steps, terms, tiers, credit_company = credit_tables(
                self.credit_context(), hits, own
            )
            self.row_company["credits"] = credit_company
            self.row_provider = (credits["kind"] == "provider").to_numpy(dtype=bool)
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
            windows=self.priced,
            ongoing=outage_ids(self.priced, ONGOING),
            timings=self.timings,
        )

    def credit_context(self) -> CreditContext:
        return CreditContext(
            contracts=self.contracts,
            companies=self.companies,
            exclusions=self.inputs.exclusions,
            windows=self.priced,
            catalog=self.catalog,
            contract_company=self.contract_company,
            places=np.asarray(self.places, dtype=np.int64),
            company_rank=self.company_rank,
            contract_rank=_ranks(self.contracts["contract_id"]),
            as_of=self.as_of,
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

        Covers with the same reach (provider, region, service), threshold and outage
        scopes have the same episodes: they are computed once per distinct reach, then
        shared. A cover counts every outage scope unless its ``scopes`` says otherwise.
        """
        con = self.contracts
        covers = np.flatnonzero((con["kind"] == "insurance").to_numpy())
        thr = np.rint(
            np.nan_to_num(con["downtime_threshold"].to_numpy(np.float64), nan=1.0) * PPM
        ).astype(np.int64)
        reach = con.iloc[covers][["provider", "region", "service"]].reset_index(drop=True)
        reach["threshold"] = thr[covers]
        own = _scope_masks(con["scopes"].iloc[covers])
        reach["scopes"] = np.where(own > 0, own, ALL_SCOPES)
        reach_of, _ = pd.factorize(pd.MultiIndex.from_frame(reach))
        first = pd.Series(np.arange(len(covers))).groupby(reach_of).first().to_numpy()
        w, s = match_windows(windows, reach.iloc[first].reset_index(drop=True))
        keep = counted(
            windows["scope_bit"].to_numpy()[w], reach["scopes"].to_numpy(np.int64)[first][s]
        )
        w, s = w[keep], s[keep]
        ep_reach, ep_start, ep_end = ins.episodes(
            s,
            windows["start"].to_numpy()[w],
            windows["end"].to_numpy()[w],
            windows["impact_ppm"].to_numpy()[w],
            reach["threshold"].to_numpy(np.int64)[first],
        )
        # each cover takes its reach's episodes (sorted by cover, then start)
        per_reach = np.bincount(ep_reach, minlength=len(first))
        begin = np.cumsum(per_reach) - per_reach
        cover_reach = reach_of.astype(np.int64)
        owner, k = expand(begin[cover_reach], per_reach[cover_reach])
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
