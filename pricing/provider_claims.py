"""A provider's own claim rules (window, channel, subject, contents), for a contract whose
credit terms are not a catalog template (custom tiers): the claim still goes to the provider,
which takes it by its own rules whatever tiers the contract has.

They are the rules more than half of the provider's catalog templates share in their latest
version (the provider's general terms: all 24 AWS and 16 Azure templates and 11 of the 12
Google ones share one set); a provider without such a majority, or without a template, has
none (its claim deadline stays unknown, as for custom terms before).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import NamedTuple

from pricing.catalog import Catalog, load_catalog


class ProviderClaims(NamedTuple):
    provider: str
    claim_rule: str
    claim_days: int | None
    claim_channel: str
    claim_subject: str
    claim_contents: tuple[str, ...]
    claim_per_service: bool
    source: str
    """Which templates the rules are taken from, and the source of one of them."""


def provider_claims(catalog: Catalog) -> dict[str, ProviderClaims]:
    """Each provider of the catalog -> its claim rules."""
    latest = [catalog.versions(t)[-1] for t in catalog.ids]
    out: dict[str, ProviderClaims] = {}
    for provider in sorted({v.provider for v in latest}):
        mine = [v for v in latest if v.provider == provider]
        rules = Counter(
            (
                v.claim_rule,
                v.claim_days,
                v.claim_channel,
                v.claim_subject,
                v.claim_contents,
                v.claim_per_service,
            )
            for v in mine
        )
        (rule, days, channel, subject, contents, per_service), n = rules.most_common(1)[0]
        if 2 * n <= len(mine):
            continue  # no rules shared by most of its templates: none assumed
        example = next(
            v
            for v in mine
            if (v.claim_rule, v.claim_days, v.claim_channel) == (rule, days, channel)
        )
        out[provider] = ProviderClaims(
            provider,
            rule,
            days,
            channel,
            subject,
            contents,
            per_service,
            f"the claim rules of {n} of the {len(mine)} {provider} templates of the catalog "
            f"(e.g. {example.template_id}: {example.source})",
        )
    return out


@cache
def bundled_provider_claims() -> dict[str, ProviderClaims]:
    return provider_claims(load_catalog())
