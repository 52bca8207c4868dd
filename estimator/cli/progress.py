"""Progress on long runs: one line on stderr with the stage and a bar, after a couple of seconds.

Used by the command line and the benchmark; ``estimate(progress=...)`` reports
its stages (matching, timelines, losses, credits, insurance) and chunks of companies.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """A callable ``(stage, done, total)`` that draws ``stage [####....] done/total  12.3 s``.

    Nothing is drawn for runs shorter than ``after`` seconds, nor when the stream
    is not a terminal (unless ``force``), so logs and tests stay clean.
    """

    def __init__(
        self,
        label: str = "",
        *,
        stream: TextIO | None = None,
        after: float = 2.0,
        force: bool = False,
        width: int = 30,
    ) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.after = after
        self.enabled = force or self.stream.isatty()
        self.width = width
        self.t0 = time.perf_counter()
        self.drawn = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.t0 < self.after:
            return
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        prefix = f"{self.label}: " if self.label else ""
        line = (
            f"\r{prefix}{stage:<10} [{bar}] {done}/{total}  {time.perf_counter() - self.t0:6.1f} s"
        )
        if line != self.drawn:
            self.stream.write(line)
            self.stream.flush()
            self.drawn = line

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = ""
