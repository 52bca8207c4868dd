"""Credit tiers: ``'99.9:10, 99:25, 95:100'`` = uptime below 99.9 % -> 10 % credit, ...

Tiers are exact decimals, held as :class:`fractions.Fraction`, and kept sorted
by bound, highest first. The credit of a month is that of the lowest bound the
uptime is below (``uptime < bound``, exact).
"""

from __future__ import annotations

import itertools
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple

BAD_TIERS = "expected 'bound:credit' pairs separated by commas, like '99.9:10, 99:25, 95:100'"
TIER_BOUND_RANGE = "a tier bound must be above 0 and at most 100 (uptime %)"
TIER_CREDIT_RANGE = "a tier credit must be above 0 and at most 100 (% of the monthly fee)"
TIER_DUPLICATE = "two tiers have the same bound {bound}"
TIER_NOT_MONOTONE = "a lower uptime bound must not give a smaller credit ({detail})"


class Tier(NamedTuple):
    below_pct: Fraction
    credit_pct: Fraction


class TierError(ValueError):
    """A tier table that cannot be read; ``str()`` is a message for the user."""


def _decimal(text: str) -> Fraction:
    if not text.strip().isascii():  # Decimal() would read other scripts' digits: refused
        raise TierError(BAD_TIERS)
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        raise TierError(BAD_TIERS) from None
    if not d.is_finite():
        raise TierError(BAD_TIERS)
    return Fraction(d)


def parse_tiers(text: str) -> tuple[Tier, ...]:
    """Parse and check a tier table; the result is sorted by bound, highest first."""
    parts = [p for p in (s.strip() for s in text.replace(";", ",").split(",")) if p]
    if not parts:
        raise TierError(BAD_TIERS)
    tiers = []
    for part in parts:
        pieces = part.split(":")
        if len(pieces) != 2 or not pieces[0].strip() or not pieces[1].strip():
            raise TierError(BAD_TIERS)
        bound = _decimal(pieces[0].rstrip().rstrip("%"))
        credit = _decimal(pieces[1].rstrip().rstrip("%"))
        if not 0 < bound <= 100:
            raise TierError(TIER_BOUND_RANGE)
        if not 0 < credit <= 100:
            raise TierError(TIER_CREDIT_RANGE)
        tiers.append(Tier(bound, credit))
    return check_tiers(tiers)


def check_tiers(tiers: list[Tier] | tuple[Tier, ...]) -> tuple[Tier, ...]:
    ordered = sorted(tiers, key=lambda t: t.below_pct, reverse=True)
    for upper, lower in itertools.pairwise(ordered):
        if upper.below_pct == lower.below_pct:
            raise TierError(TIER_DUPLICATE.format(bound=format_number(upper.below_pct)))
        if lower.credit_pct < upper.credit_pct:
            raise TierError(
                TIER_NOT_MONOTONE.format(
                    detail=f"below {format_number(lower.below_pct)} gives "
                    f"{format_number(lower.credit_pct)} but below "
                    f"{format_number(upper.below_pct)} gives {format_number(upper.credit_pct)}"
                )
            )
    return tuple(ordered)


def format_number(value: Fraction) -> str:
    """An exact decimal fraction as plain text (99.99, 10, 0.5)."""
    d = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(d.normalize(), "f")
    return text


def format_tiers(tiers: tuple[Tier, ...]) -> str:
    """The canonical text of a tier table: '99.9:10, 99:25, 95:100'."""
    return ", ".join(f"{format_number(t.below_pct)}:{format_number(t.credit_pct)}" for t in tiers)
