"""The app's backend: the database link, the app's own imports and its exports, in one object the screens ask.

It never calls the App: what it has to say (opened, busy, imports noticed, export ended…) goes as a message to
its ``owner`` node, whose worker manager also runs its background tasks (opening, watching, exporting).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.message_pump import MessagePump

from wellprod_tui.core import config
from wellprod_tui.core.text import plural
from wellprod_tui.tui.database import DatabaseLink, StatsRead, worker_cancelled
from wellprod_tui.tui.messages import (
    DatabaseFailed,
    DatabaseOpened,
    DataChanged,
    ExportEnded,
    ImportEnded,
    ImportProgressed,
    ImportsNoticed,
    LastMonthRead,
)

if TYPE_CHECKING:
    from wellprod_tui.importing import ImportJob, ImportProgress
    from wellprod_tui.importing.report import ProgressCallback
    from wellprod_tui.queries import View
    from wellprod_tui.storage.connection import Connection

log = logging.getLogger(__name__)
#: An import's progress reaches its screen at most this often.
PROGRESS_EVERY_S = 0.25


class RunningImport:
    """One of the app's imports: its job once the database is free for writing, and a cancel that may come
    before (while waiting for another process) or during the import. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._cancelled = False
        self._ended = threading.Event()
        self.job: ImportJob | None = None

    def attach(self, job: ImportJob) -> None:
        """The import has begun with ``job``."""
        with self._lock:
            self.job = job
            if self._cancelled:
                job.cancel()

    def cancel(self) -> None:
        """Stop waiting, or cancel the import (it rolls back)."""
        with self._lock:
            self._cancelled = True
            if self.job is not None:
                self.job.cancel()

    def cancelled(self) -> bool:
        """Whether a cancel was asked for."""
        return self._cancelled

    def end(self) -> None:
        """The import is over (its worker says so, whatever happened)."""
        self._ended.set()

    @property
    def has_ended(self) -> bool:
        """Whether the import is over (done, cancelled and rolled back, or failed)."""
        return self._ended.is_set()

    async def ended(self) -> None:
        """Wait (without blocking the UI) until the import is over."""
        while not self._ended.is_set():
            await asyncio.sleep(0.05)


class Backend:
    """The database as the screens use it, the app's imports and exports; see the module's docstring."""

    def __init__(self, cfg: config.Config, owner: DOMNode) -> None:
        self.cfg = cfg
        self._owner = owner
        self.link = DatabaseLink(cfg, owner)
        #: Whether the database held no record when opened (the Import screen then offers the sample).
        self.empty = False
        #: Bumped after each import (the app's or another process's) so that screens reload what they show.
        self.data_version = 0
        self._first_stats: StatsRead | None = None
        self._version_lock = threading.Lock()  # imports end in worker threads, other processes' on the UI
        self._import: RunningImport | None = None

    # ---- the database -----------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether the database is open (reads open it on demand and let it go when idle)."""
        return self.link.is_open

    @property
    def holds_file(self) -> bool:
        """Whether this process holds the file right now."""
        return self.link.holds_file

    def open(self, warm_up: Callable[[bool], None] = lambda empty: None) -> None:
        """Open the database in a worker, then call ``warm_up(empty)`` there (to import the first screen off the
        UI); DatabaseOpened or DatabaseFailed tells the owner how it went."""
        self._owner.run_worker(lambda: self._open(warm_up), thread=True, exclusive=True, exit_on_error=False,
                               group="open", name="Opening the database")

    def _open(self, warm_up: Callable[[bool], None]) -> None:
        """While another process holds the database, the owner hears DatabaseBusyChanged and this waits."""
        from wellprod_tui import storage

        try:
            empty, figures = self.link.open(worker_cancelled)
        except storage.StoreError as exc:
            if not worker_cancelled():
                self._owner.post_message(DatabaseFailed(str(exc)))
            return
        self.empty, self._first_stats = empty, figures
        warm_up(empty)
        self._owner.post_message(DatabaseOpened(empty))

    def take_first_stats(self) -> StatsRead | None:
        """The Stats screen's figures read as the database opened, once (None after an import)."""
        first, self._first_stats = self._first_stats, None
        return first if self.data_version == 0 else None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A cursor of the database for one worker thread, opened on demand (the one way screens reach it);
        while another process holds the database, it waits (the header says so) or the worker is cancelled."""
        with self.link.reading() as cur:
            yield cur

    def look_for_imports(self) -> None:
        """When the file changed on disk, look for imports other processes completed (ImportsNoticed)."""
        if self.current_import is None and self.link.changed_on_disk():
            self._owner.run_worker(self._read_new_imports, thread=True, exclusive=True, exit_on_error=False,
                                   group="watch", name="Looking for new imports")

    def _read_new_imports(self) -> None:
        found = self.link.new_imports(worker_cancelled)
        if found:
            self._owner.post_message(ImportsNoticed(found))

    def data_changed(self) -> None:
        """An import changed the data (any thread): DataChanged tells the owner, and screens not shown reload
        when next shown (they compare ``data_version``)."""
        with self._version_lock:
            self.data_version += 1
            self.empty = False
        self._owner.post_message(DataChanged())

    def ask_last_month(self, months: int) -> None:
        """Read the database's last month in a worker; LastMonthRead brings it for a window of ``months``."""
        self._owner.run_worker(lambda: self._last_month(months), thread=True, exclusive=True, exit_on_error=False,
                               group="window", name="Reading the last month")

    def _last_month(self, months: int) -> None:
        from wellprod_tui import queries

        with self.reading() as cur:
            latest = queries.last_month(cur)
        self._owner.post_message(LastMonthRead(months, latest))

    def shut(self) -> None:
        """The app is quitting: cancel a running import (it rolls back in its thread, which lets the file go),
        else let the file go now."""
        running = self.current_import
        if running is not None:
            running.cancel()
        else:
            self.link.close()

    # ---- imports and exports ----------------------------------------------------------------------

    @property
    def current_import(self) -> RunningImport | None:
        """The import running (or waiting for the database) now, if any."""
        return None if self._import is None or self._import.has_ended else self._import

    def begin_import(self, path: Path) -> RunningImport:
        """Register an import of ``path`` (UI thread); run it with ``run_import`` in the caller's worker."""
        if not self.is_open:
            raise RuntimeError("the database is not open yet")
        self._import = RunningImport(path)
        return self._import

    def run_import(self, running: RunningImport, listener: MessagePump) -> ImportEnded:
        """Run one of the app's imports (worker thread): the write lock for this import only, waiting while a
        cron import holds it; ``listener`` hears ImportProgressed; returns the message that says how it ended."""
        last_post = [0.0]

        def progressed(progress: ImportProgress) -> None:  # called from the import's threads: post, touch nothing
            now = time.monotonic()
            if now - last_post[0] >= PROGRESS_EVERY_S or progress.fraction >= 1.0:
                last_post[0] = now
                listener.post_message(ImportProgressed(progress))

        try:
            ended = self._import_file(running, progressed)
            if ended.summary is not None:
                self.data_changed()
            return ended
        finally:
            running.end()

    def _import_file(self, running: RunningImport, on_progress: ProgressCallback) -> ImportEnded:
        from wellprod_tui import importing, storage

        cancelled = "Import cancelled: the database is unchanged."
        try:
            with self.link.writing(f"importing {running.path.name}", running.cancelled) as con:
                job = importing.ImportJob.from_config(con, running.path, self.cfg, on_progress)
                running.attach(job)
                summary = job.run()
        except importing.ImportCancelled:
            return ImportEnded(None, cancelled, was_cancelled=True)
        except storage.DatabaseLocked as exc:
            if running.cancelled():
                return ImportEnded(None, cancelled, was_cancelled=True)
            return ImportEnded(None, f"Import not started: {exc}")
        except (importing.ImportFailed, storage.StoreError) as exc:
            return ImportEnded(None, f"Import failed, the database is unchanged:\n{exc}")
        except Exception as exc:  # unexpected: logged with its traceback; the screen must still hear the end
            log.exception("import of %s failed", running.path)
            return ImportEnded(None, f"Import failed: {type(exc).__name__}: {exc} (details in the log)")
        return ImportEnded(summary)

    def export(self, view: View) -> None:
        """Export a whole view to CSV in a worker; ExportEnded says where and how many rows, or why not."""
        self._owner.run_worker(lambda: self._export(view), thread=True, exit_on_error=False, group="export",
                               name="Exporting")

    def _export(self, view: View) -> None:
        from wellprod_tui import export

        try:
            with self.reading() as cur:
                result = export.export_view(
                    cur,
                    view,
                    export_dir=self.cfg.export_dir,
                    neutralise_formulas=self.cfg.export.neutralise_formulas,
                    overwrite=self.cfg.export.overwrite,
                    excel_bom=self.cfg.export.excel_bom,
                )
        except export.ExportError as exc:
            self._owner.post_message(ExportEnded(str(exc), ok=False))
            return
        self._owner.post_message(ExportEnded(f"{plural(result.rows, 'row')} written to {result.path}", ok=True))
