"""The provider, region and service names a contract may use beyond the SLA catalog's and the
outages' own (``pricing/data/names.toml``, with the providers' published region lists): what
a "did you mean" is drawn from. Nothing here changes an input."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Names:
    provider_aliases: dict[str, str]
    regions: dict[str, frozenset[str]]
    """Each provider's published region codes (providers without a list are absent)."""
    zone_prefix: dict[str, dict[str, str]]
    """provider -> zone id prefix (``use1``) -> region (``us-east-1``)."""
    service_aliases: dict[str, dict[str, str]]


@cache
def load_names() -> Names:
    text = resources.files("pricing").joinpath("data/names.toml").read_text("utf-8")
    doc = tomllib.loads(text)
    providers = {k: v for k, v in doc.items() if k != "providers"}
    return Names(
        provider_aliases=dict(doc["providers"]["aliases"]),
        regions={p: frozenset(v["regions"]) for p, v in providers.items() if "regions" in v},
        zone_prefix={p: dict(v.get("zone_prefix", {})) for p, v in providers.items()},
        service_aliases={p: dict(v.get("service_aliases", {})) for p, v in providers.items()},
    )
