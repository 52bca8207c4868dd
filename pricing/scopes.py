"""Outage scopes: what part of a provider's service an outage window took down.

* ``region``: the region or service as a whole (the default);
* ``zone``: one availability zone or data centre;
* ``control_plane``: management APIs and consoles; running resources unaffected.

An SLA counts only the scopes its own definition covers (the catalog states them
per template; a contract may override them). Scopes are held as bit masks, so
deciding which window counts for which contract is one vectorised AND.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

SCOPES: tuple[str, ...] = ("region", "zone", "control_plane")
DEFAULT_SCOPE = "region"
BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(SCOPES)}
ALL = sum(BIT.values())
"""The mask of every scope (losses, custom SLAs and insurance covers count them all)."""

UNKNOWN_SCOPE = "unknown scope '{value}': expected {choices}"
EMPTY_SCOPES = "name at least one scope: {choices}"


class ScopeError(ValueError):
    """A scope list that cannot be read."""


def parse_scopes(text: str) -> tuple[str, ...]:
    """``"zone, region"`` -> ``("region", "zone")``: names separated by commas or '+', in the
    canonical order of :data:`SCOPES`; an unknown or missing name raises :class:`ScopeError`."""
    names = [part.strip() for part in text.replace("+", ",").split(",") if part.strip()]
    if not names:
        raise ScopeError(EMPTY_SCOPES.format(choices=", ".join(SCOPES)))
    for name in names:
        if name not in BIT:
            raise ScopeError(UNKNOWN_SCOPE.format(value=name, choices=", ".join(SCOPES)))
    return tuple(s for s in SCOPES if s in names)


def format_scopes(scopes: tuple[str, ...] | list[str]) -> str:
    """The canonical text of a scope list (``"region, zone"``)."""
    return ", ".join(s for s in SCOPES if s in scopes)


def mask_of(scopes: tuple[str, ...] | list[str]) -> int:
    """The bit mask of a scope list."""
    return sum(BIT[s] for s in set(scopes))


def scope_bits(names: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Each window's scope name -> its bit (a blank name is the default, ``region``)."""
    values = np.asarray(names, dtype=object)
    out = np.full(len(values), BIT[DEFAULT_SCOPE], dtype=np.int64)
    for name, bit in BIT.items():
        out[values == name] = bit
    return out


def counted(window_bits: npt.ArrayLike, contract_masks: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where a window's scope is one its contract's SLA counts (row by row)."""
    both = np.asarray(window_bits, np.int64) & np.asarray(contract_masks, np.int64)
    return np.asarray(both != 0, dtype=np.bool_)
