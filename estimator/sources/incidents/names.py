"""Incident feed names and statuses -> the catalog's slugs and impacts, from two data files
with a source for every row (``data/names.csv``, ``data/impact_map.csv``)."""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources
from pathlib import Path


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("estimator.sources.incidents").joinpath(f"data/{name}").read_text()
    kept = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(kept))))


@cache
def service_names() -> dict[tuple[str, str], str]:
    return {(r["provider"], r["name"].strip().lower()): r["service"] for r in _rows("names.csv")}


def impact_map(path: str | Path | None = None) -> dict[tuple[str, str], float | None]:
    """(format, status) -> impact (None: no window); ``path`` replaces rows of the default."""
    rows = _rows("impact_map.csv")
    if path is not None:
        text = Path(path).read_text(encoding="utf-8-sig")
        rows += list(csv.DictReader(io.StringIO(text)))
    return {(r["format"], r["status"]): (float(r["impact"]) if r["impact"] else None) for r in rows}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-") or "unknown"


def service_slug(provider: str, name: str) -> tuple[str, bool]:
    """The catalog service of a feed's service name, and whether the file knows it."""
    known = service_names().get((provider, name.strip().lower()))
    return (known, True) if known else (slug(name), False)
