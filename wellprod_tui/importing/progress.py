"""An import's progress as one fraction: phases with measured weights, never backwards, 100 % only once
the COMMIT has returned.

Each phase owns a slice of 0..1 sized by its share of a typical import's time (measured on 1M-record
NDJSON and CSV files: reading dominates, then the merge). Within a phase, DuckDB's per-statement progress
moves the fraction, but a later statement starting at 0 % never pulls it back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from wellprod_tui.importing.report import ImportProgress, ProgressCallback

#: Each phase's share of an import's time, in the order they run.
PHASE_WEIGHTS: dict[str, float] = {
    "prepare": 0.02,
    "read": 0.58,
    "validate": 0.10,
    "merge": 0.20,
    "summaries": 0.06,
    "committing": 0.04,
}
COMMITTED = "committed"


def _slices(weights: dict[str, float]) -> dict[str, tuple[float, float]]:
    total, start, slices = sum(weights.values()), 0.0, {}
    for phase, weight in weights.items():
        slices[phase] = (start / total, (start + weight) / total)
        start += weight
    return slices


#: The slice (lo, hi) of 0..1 each phase fills.
PHASES: dict[str, tuple[float, float]] = _slices(PHASE_WEIGHTS)
#: The most shown before the commit has returned.
BEFORE_COMMIT = 0.999


class ProgressTracker:
    """Turns (phase, share of the phase) into ImportProgress for a callback; thread-safe, monotonic."""

    def __init__(
        self, on_progress: ProgressCallback, bytes_total: int = 0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._callback = on_progress
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._fraction = 0.0
        self.phase = ""
        self.bytes_total = bytes_total
        #: Records staged so far (known once the read is done).
        self.records: int | None = None

    @property
    def fraction(self) -> float:
        """The fraction last reported."""
        return self._fraction

    def report(self, phase: str, within: float = 0.0) -> None:
        """Say the import is ``within`` (0..1) of the way through ``phase``."""
        lo, hi = PHASES[phase]
        target = lo + (hi - lo) * min(max(within, 0.0), 1.0)
        with self._lock:
            self.phase = phase
            self._fraction = min(max(self._fraction, target), BEFORE_COMMIT)
            progress = self._snapshot(phase, within if phase == "read" else None)
        self._callback(progress)

    def committed(self) -> None:
        """The COMMIT returned: 100 %."""
        with self._lock:
            self.phase = COMMITTED
            self._fraction = 1.0
            progress = self._snapshot(COMMITTED, None)
        self._callback(progress)

    def elapsed(self) -> float:
        """Seconds since the import began."""
        return self._clock() - self._started

    def _snapshot(self, phase: str, read_share: float | None) -> ImportProgress:
        bytes_done = int(self.bytes_total * read_share) if read_share is not None else None
        return ImportProgress(
            phase=phase,
            fraction=self._fraction,
            elapsed_s=self.elapsed(),
            bytes_total=self.bytes_total,
            records=self.records,
            bytes_done=bytes_done,
        )
