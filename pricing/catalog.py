"""The SLA catalog: provider SLA terms as data (``pricing/data/sla_*.toml``), validated on load.

Each template (``aws/ec2-region``) has one or more versions, each in force from
its ``effective_from`` date until the next version's. A version carries the
commitment, tiers, cap, minimum credit, claim-deadline rule, its source, the
evidence and a ``verified`` flag. Fields of a file's ``[defaults]`` table and
of a template apply to its versions unless the version sets them.

The loader refuses a catalog file that is inconsistent (unknown fields, tiers
out of order, an unknown claim rule, versions out of date order, ...), so a
typo in the data fails the test suite rather than a credit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any, Literal, NamedTuple

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pricing.claims import CLAIM_RULES
from pricing.scopes import ScopeError, parse_scopes
from pricing.tiers import Tier, TierError, parse_tiers

CATALOG_FILES = ("sla_aws.toml", "sla_azure.toml", "sla_gcp.toml", "sla_other.toml")
TEMPLATE_FIELDS = (
    "metric",
    "downtime_threshold",
    "threshold_rule",
    "min_downtime_seconds",
    "scopes",
    "introduced",
)
"""Fields that must be the same in every version of a template (they decide measurement)."""

DecimalText = Field(pattern=r"^\d+(\.\d+)?$")


class SlaVersion(BaseModel):
    """One version of one SLA template, with every field resolved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template_id: str = Field(pattern=r"^[a-z0-9-]+/[a-z0-9.-]+$")
    provider: str
    service: str
    name: str
    version: str
    effective_from: dt.date | None = None
    superseded_on: dt.date | None = None
    metric: Literal["downtime", "error_rate"]
    measurement: str
    downtime_threshold: str = DecimalText
    threshold_rule: Literal["at_or_above", "above"] = "at_or_above"
    threshold_found: bool = True
    """False where the provider's downtime threshold was not found in its text: 1 is assumed,
    every credit is flagged, and a zero credit becomes unknown (a partial outage may be
    downtime under the provider's own threshold)."""
    """``above``: a minute is down only when the impact is strictly above the threshold."""
    min_downtime_seconds: int = Field(ge=0)
    scopes: tuple[str, ...]
    """The outage scopes the SLA's own definition counts (pricing.scopes.SCOPES)."""
    zone_rule: Literal["", "all_named_zones"] = ""
    """``all_named_zones``: the SLA's unavailability is every zone of the region the contract
    runs in down at once (instances in two or more zones): the minutes when all the zones a
    contract names are hit together count as a region outage (pricing/zones.py)."""
    introduced: dt.date | None = None
    """The date the SLA first existed, where known: before it no credit is owed."""
    introduced_source: str = ""
    confirmed_until: dt.date | None = None
    """The last date on which this version is known to be in force (a later version's
    date is not known)."""
    commitment_pct: str | None = None
    credit_method: Literal["tiers", "proportional", "unknown"]
    tiers: str = ""
    proportional_multiplier: str | None = None
    cap_pct: str | None = None
    min_credit: str | None = None
    min_credit_currency: str | None = None
    min_credit_rule: Literal["greater_than", "at_least"] = "at_least"
    claim_rule: str
    claim_days: int | None = Field(default=None, ge=1)
    credit_base: str
    general_terms: str = ""
    source: str
    evidence: str
    verified: bool
    notes: str = ""
    claim_channel: str = ""
    """Where and how the provider takes claims."""
    claim_subject: str = ""
    """Words the provider requires in a claim's subject ("" if none)."""
    claim_contents: tuple[str, ...] = ()
    """What the provider requires a claim to contain."""
    min_credit_pooled: bool = False
    """The minimum credit is applied once to the total credit of all the contracts of one
    account, service and region in a month (AWS computes one credit per service and region)."""
    claim_per_service: bool = False
    """The provider takes one claim per service (Google: per product; Azure: per Service),
    not one per account and month."""

    @field_validator("scopes", mode="before")
    @classmethod
    def _scopes(cls, value: Any) -> tuple[str, ...]:
        try:
            return parse_scopes(", ".join(value) if isinstance(value, (list, tuple)) else value)
        except ScopeError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("claim_rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in CLAIM_RULES:
            raise ValueError(f"unknown claim rule {value!r}; valid: {sorted(CLAIM_RULES)}")
        return value

    @field_validator("downtime_threshold")
    @classmethod
    def _threshold(cls, value: str) -> str:
        if not 0 < Decimal(value) <= 1:
            raise ValueError("downtime_threshold must be in (0, 1]")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SlaVersion:
        if self.credit_method == "tiers":
            if not self.tiers:
                raise ValueError(
                    f"{self.template_id} {self.version}: credit_method tiers needs tiers"
                )
            try:
                parse_tiers(self.tiers)
            except TierError as exc:
                raise ValueError(f"{self.template_id} {self.version}: {exc}") from None
        elif self.tiers:
            raise ValueError(
                f"{self.template_id}: tiers given but credit_method is {self.credit_method}"
            )
        if (self.credit_method == "proportional") != (self.proportional_multiplier is not None):
            raise ValueError(
                f"{self.template_id}: proportional_multiplier goes with credit_method proportional"
            )
        if CLAIM_RULES[self.claim_rule].needs_days and self.claim_days is None:
            raise ValueError(f"{self.template_id}: claim rule {self.claim_rule} needs claim_days")
        if self.introduced is not None and (
            self.effective_from is not None and self.effective_from < self.introduced
        ):
            raise ValueError(
                f"{self.template_id} {self.version}: in force before it was introduced"
            )
        if (self.min_credit is None) != (self.min_credit_currency is None):
            raise ValueError(f"{self.template_id}: min_credit needs min_credit_currency")
        if self.commitment_pct is not None and self.credit_method == "tiers":
            top = parse_tiers(self.tiers)[0].below_pct
            if top != Fraction(Decimal(self.commitment_pct)):
                raise ValueError(
                    f"{self.template_id} {self.version}: first tier bound "
                    f"{top} differs from the commitment {self.commitment_pct}"
                )
        return self

    @property
    def label(self) -> str:
        """``aws/ec2-region@2020-07-22``: what a result row names as its terms."""
        return f"{self.template_id}@{self.version}"

    @property
    def tier_table(self) -> tuple[Tier, ...]:
        return parse_tiers(self.tiers) if self.tiers else ()


class InForce(NamedTuple):
    """The version that applies on a date, why it needs review, and whether the SLA existed."""

    version: SlaVersion
    note: str | None
    exists: bool = True


class Catalog:
    """All templates and their versions; look a version up by template id and date."""

    def __init__(self, versions: list[SlaVersion]):
        by_id: dict[str, list[SlaVersion]] = {}
        for v in versions:
            by_id.setdefault(v.template_id, []).append(v)
        self._by_id = by_id

    @property
    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def versions(self, template_id: str) -> list[SlaVersion]:
        return list(self._by_id[template_id])

    def __contains__(self, template_id: object) -> bool:
        return template_id in self._by_id

    def in_force(self, template_id: str, on: dt.date) -> InForce:
        """The version in force on a date, and why it needs review (or None).

        * before the template was ``introduced``: the earliest version, flagged as
          not in force (no credit is owed);
        * before the earliest known version: that version, with a review note;
        * after a version's ``confirmed_until`` date when the next version's date is
          not known: that next version, with a review note.
        """
        versions = self._by_id[template_id]
        first = versions[0]
        if first.introduced is not None and on < first.introduced:
            return InForce(
                first,
                f"{template_id} did not exist on {on.isoformat()}: it was introduced "
                f"on {first.introduced.isoformat()}",
                exists=False,
            )
        dated = [v for v in versions if v.effective_from is not None and v.effective_from <= on]
        if dated:
            v = dated[-1]
            later = versions[versions.index(v) + 1 :]
            unknown_next = later and later[0].effective_from is None
            if unknown_next and v.confirmed_until is not None and on > v.confirmed_until:
                return InForce(
                    later[0],
                    f"{v.label} is known to be in force until "
                    f"{v.confirmed_until.isoformat()}; the later version "
                    f"{later[0].version!r} is applied",
                )
            return InForce(v, None)
        if first.effective_from is None:
            return InForce(first, None)
        return InForce(
            first,
            f"no version of {template_id} is known to be in force on "
            f"{on.isoformat()}; the earliest known, {first.version}, is applied",
        )

    def frame(self) -> pd.DataFrame:
        """One row per template version, every field (lists as text)."""
        rows = [v.model_dump() for vs in self._by_id.values() for v in vs]
        for r in rows:
            r["scopes"] = ", ".join(r["scopes"])
            r["claim_contents"] = "; ".join(r["claim_contents"])
        frame = pd.DataFrame(rows)
        frame.insert(5, "version_label", [f"{r['template_id']}@{r['version']}" for r in rows])
        return frame.sort_values(
            ["template_id", "effective_from"], na_position="first", ignore_index=True
        )


def _resolve(file_name: str, doc: dict[str, Any]) -> list[SlaVersion]:
    defaults = dict(doc.get("defaults", {}))
    out: list[SlaVersion] = []
    seen_ids: set[str] = set()
    for template in doc.get("template", []):
        tmpl = {k: v for k, v in template.items() if k != "version"}
        tid = str(tmpl.get("id"))
        if tid in seen_ids:
            raise ValueError(f"{file_name}: template {tid} appears twice")
        seen_ids.add(tid)
        versions = template.get("version", [])
        if not versions:
            raise ValueError(f"{file_name}: template {tid} has no version")
        resolved = []
        for raw in versions:
            fields = {**defaults, **tmpl, **raw}
            fields["template_id"] = fields.pop("id")
            resolved.append(SlaVersion(**fields))
        dates = [v.effective_from for v in resolved]
        for i, d in enumerate(dates[1:], start=1):
            last_after_confirmed = i == len(dates) - 1 and resolved[i - 1].confirmed_until
            if d is None and not last_after_confirmed:
                raise ValueError(
                    f"{file_name}: {tid}: only the first version, or a last one following a "
                    "version with confirmed_until, may lack a date"
                )
        known = [d for d in dates if d is not None]
        if known != sorted(known) or len(set(known)) != len(known):
            raise ValueError(f"{file_name}: {tid}: versions must be in date order")
        for field in TEMPLATE_FIELDS:
            if len({getattr(v, field) for v in resolved}) > 1:
                raise ValueError(f"{file_name}: {tid}: {field} must be the same in every version")
        for older, newer in itertools.pairwise(resolved):
            idx = resolved.index(older)
            resolved[idx] = older.model_copy(update={"superseded_on": newer.effective_from})
        out += resolved
    return out


@cache
def load_catalog() -> Catalog:
    """The bundled catalog, validated (cached)."""
    versions: list[SlaVersion] = []
    ids: set[str] = set()
    for name in CATALOG_FILES:
        text = resources.files("pricing").joinpath(f"data/{name}").read_text("utf-8")
        found = _resolve(name, tomllib.loads(text))
        clash = ids & {v.template_id for v in found}
        if clash:
            raise ValueError(f"{name}: template ids defined twice: {sorted(clash)}")
        ids |= {v.template_id for v in found}
        versions += found
    return Catalog(versions)
