"""What every stage of one import shares and never changes: the connection, the file, the options, the
progress and the cancel. The stages hand their results to each other; this is only the ground they stand on.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from wellprod_tui import storage
from wellprod_tui.core.config import Config, user_profiles_dir
from wellprod_tui.importing.batch import Batch
from wellprod_tui.importing.json_feed import ArrayFeed, PartFiles
from wellprod_tui.importing.progress import ProgressTracker
from wellprod_tui.importing.report import ImportCancelled
from wellprod_tui.importing.validation import RateLimits

PROGRESS_INTERVAL_S = 0.2
T = TypeVar("T")


@dataclass(frozen=True)
class ImportOptions:
    """How a file is imported, as the configuration and the command line say."""

    rejects_dir: Path
    strict: bool = False
    neutralise_formulas: bool = True
    #: Reports (rejects, warnings) kept per source file name and kind; 0 keeps every one.
    keep_reports: int = 0
    #: What rows that repeat a well and month become: see validation.DUPLICATE_POLICIES.
    duplicates: str = "reject"
    #: Whether the policy was asked for (--duplicates) rather than taken from the config: only then does it
    #: overrule a profile's own default.
    duplicates_chosen: bool = False
    #: A mapping profile asked for by name (else one is looked for by the CSV header), and the user's
    #: folder of profiles.
    profile: str | None = None
    profiles_dir: Path | None = None
    limits: RateLimits = field(default_factory=RateLimits)

    @classmethod
    def from_config(
        cls, cfg: Config, strict: bool | None = None, duplicates: str | None = None, profile: str | None = None
    ) -> ImportOptions:
        """The options the configuration gives; the arguments given override it."""
        settings = cfg.import_
        return cls(
            rejects_dir=cfg.rejects_dir,
            strict=settings.strict if strict is None else strict,
            neutralise_formulas=cfg.export.neutralise_formulas,
            keep_reports=settings.keep_reports,
            duplicates=duplicates or settings.duplicates,
            duplicates_chosen=duplicates is not None,
            profile=profile,
            profiles_dir=user_profiles_dir(),
            limits=RateLimits(settings.max_rate_kbd, settings.max_gas_mmcfd),
        )


class Cancellation:
    """A cancel that may come from any thread: it interrupts DuckDB and releases a reader waiting on a pipe.
    Once the commit has begun it is too late, and the import completes."""

    def __init__(self, con: storage.Connection) -> None:
        self._con = con
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._committing = False
        self.feed: ArrayFeed | PartFiles | None = None

    def cancel(self) -> None:
        """Ask the import to stop as soon as it can."""
        with self._lock:
            if self._committing:
                return
            self._event.set()
            with contextlib.suppress(storage.Error):
                self._con.interrupt()
            feed = self.feed
            if feed is not None:
                feed.abort()

    @property
    def requested(self) -> bool:
        """Whether a cancel was asked for."""
        return self._event.is_set()

    def check(self, path: Path) -> None:
        """Raise ImportCancelled if a cancel was asked for."""
        if self._event.is_set():
            raise ImportCancelled(f"{path}: import cancelled; the database is unchanged")

    def begin_commit(self, path: Path) -> None:
        """From here on a cancel is refused (raises ImportCancelled if one came first)."""
        with self._lock:
            self.check(path)
            self._committing = True


def utc_now() -> datetime:
    """Now in UTC, without a zone (as the ``imports`` log keeps times)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class ImportRun:
    """One import's fixed ground: the connection, the file named and the file read (its copy, for a pipe),
    a scratch folder, the options, and the progress and cancel that any thread may touch."""

    con: storage.Connection
    path: Path
    options: ImportOptions
    progress: ProgressTracker
    cancellation: Cancellation
    workdir: Path
    #: The file the stages read: ``path`` itself, or its copy when ``path`` is a pipe.
    read_path: Path
    started_at: datetime = field(default_factory=utc_now)
    #: Many files imported as one (``read_path`` is their joined file), else None.
    batch: Batch | None = None

    def check(self) -> None:
        """Raise ImportCancelled if a cancel was asked for."""
        self.cancellation.check(self.path)


def watched(run: ImportRun, phase: str, call: Callable[[], T]) -> T:
    """Run a long statement while a monitor thread reports its progress within ``phase``."""
    run.check()
    run.progress.report(phase)
    done = threading.Event()

    def monitor() -> None:
        while not done.wait(PROGRESS_INTERVAL_S):
            feed = run.cancellation.feed
            if feed is not None:  # streamed JSON: the bytes DuckDB has taken
                run.progress.report(phase, feed.bytes_sent / max(1, feed.bytes_total))
                continue
            with contextlib.suppress(storage.Error):
                percent = run.con.query_progress()
                if percent is not None and percent >= 0:
                    run.progress.report(phase, percent / 100.0)

    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    try:
        return call()
    finally:
        done.set()
        watcher.join()
        run.check()


def rollback(con: storage.Connection) -> None:
    """Roll back, even if an interrupt meant for the last statement is still pending."""
    for _ in range(3):
        try:
            con.execute("ROLLBACK")
            return
        except storage.InterruptException:
            continue
        except storage.Error:  # no transaction left, or a connection DuckDB has invalidated
            return
