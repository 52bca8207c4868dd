"""Output writers found by name: how an object offers ``to_excel`` and ``to_json`` while its
writer lives in a later stage.

``Results`` and ``Comparison`` (stage ``results/``), ``Simulation`` (``uncertainty/``) and
``RiskResults`` (``portfolio/``) write themselves as workbooks and JSON, but the writers sit in
``estimator/reports/``, the stage that reads those objects. Imports run one way
(ARCHITECTURE.md), so an object cannot import its writer: each writer registers itself here
under ``"<kind>.<format>"`` with :func:`writes`, and the objects look it up with
:func:`writer` when asked to write. ``estimator/reports/__init__.py`` imports every writer
module and ``estimator/__init__.py`` imports ``estimator.reports``; Python runs
``estimator/__init__.py`` before any ``estimator.*`` module, so every writer is registered
before any object can be written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

Writer = TypeVar("Writer", bound=Callable[..., Any])
_WRITERS: dict[str, Callable[..., Any]] = {}


def writes(name: str) -> Callable[[Writer], Writer]:
    """Register the decorated function as the writer ``name`` (``"results.workbook"``, ...)."""

    def register(fn: Writer) -> Writer:
        _WRITERS[name] = fn
        return fn

    return register


def writer(name: str) -> Callable[..., Any]:
    """The writer registered as ``name``."""
    try:
        return _WRITERS[name]
    except KeyError:
        known = ", ".join(registered()) or "none"
        raise LookupError(
            f"no writer registered as {name!r} (registered: {known}); "
            "writers register when estimator.reports is imported"
        ) from None


def registered() -> list[str]:
    """The names of every registered writer."""
    return sorted(_WRITERS)


class WritesWorkbook:
    """``excel_bytes`` and ``to_excel`` through the writer ``"<writer_kind>.workbook"``."""

    writer_kind: ClassVar[str]

    def excel_bytes(self) -> bytes:
        """The auditable workbook as bytes (for downloads)."""
        data: bytes = writer(f"{self.writer_kind}.workbook")(self)
        return data

    def to_excel(self, path: str | Path) -> Path:
        """Write the auditable workbook to ``path``."""
        target = Path(path)
        target.write_bytes(self.excel_bytes())
        return target


class WritesJson:
    """``json_text`` and ``to_json`` through the writer ``"<writer_kind>.json"``."""

    writer_kind: ClassVar[str]

    def json_text(self) -> str:
        """The JSON report as text."""
        text: str = writer(f"{self.writer_kind}.json")(self)
        return text

    def to_json(self, path: str | Path) -> Path:
        """Write the JSON report to ``path`` (UTF-8)."""
        target = Path(path)
        target.write_text(self.json_text(), encoding="utf-8")
        return target
