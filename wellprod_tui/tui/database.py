"""The app's link to the database file: opened on demand and let go when idle, waiting (and saying so)
while another process holds it, and noticing other processes' imports.

An app left open for days must never lock out a cron import or ``wellprod stats``: reads go through
connections opened on demand (``OnDemandDatabase``), the write lock is taken only for an import of the
app's own, and a change of the file on disk makes the app look for imports that others completed.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import NoActiveWorker, get_current_worker

from wellprod_tui.core import config
from wellprod_tui.core.text import plural
from wellprod_tui.tui.services import ImportEnded

if TYPE_CHECKING:
    from wellprod_tui.importing import ImportJob
    from wellprod_tui.importing.report import ProgressCallback
    from wellprod_tui.queries import View
    from wellprod_tui.storage.connection import Connection
    from wellprod_tui.storage.locking import Holder
    from wellprod_tui.storage.on_demand import OnDemandDatabase

log = logging.getLogger(__name__)
#: Seconds without a read after which the app lets the database file go.
IDLE_RELEASE_S = 1.0


class StatsRead(NamedTuple):
    """What the Stats screen shows: the figures and the total monthly rows (columns, rows)."""

    figures: dict[str, Any]
    monthly: tuple[list[str], list[tuple[Any, ...]]]


class DatabaseOpened(Message):
    """The database is ready; ``empty`` when it holds no record, else ``stats`` read on the way."""

    def __init__(self, empty: bool, stats: StatsRead | None = None) -> None:
        super().__init__()
        self.empty = empty
        self.stats = stats


class DatabaseFailed(Message):
    """The database could not be opened; the message says why and what to do."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class DatabaseBusy(Message):
    """Another process holds the database and reads wait for it: ``text`` says who (empty: free again)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ImportsNoticed(Message):
    """Imports other processes completed since the app last looked."""

    def __init__(self, imports: list[dict[str, Any]]) -> None:
        super().__init__()
        self.imports = imports


def busy_text(holder: Holder) -> str:
    """``database busy: import by process 8061 (feed.json)``."""
    if holder.doing.startswith("importing "):
        return f"database busy: import by process {holder.pid} ({holder.doing.removeprefix('importing ')})"
    return f"database busy: in use by {holder.describe()}"


class AppDatabase:
    """The database as the app uses it. ``open``, ``reading``, ``writing`` and ``new_imports`` run in worker
    threads; they tell ``listener`` (the App) by thread-safe messages when the database is busy or free."""

    def __init__(self, cfg: config.Config, listener: MessagePump) -> None:
        self.path = cfg.database_path
        self._cfg = cfg
        self._listener = listener
        self._shared: OnDemandDatabase | None = None
        self._busy = ""
        self._last_import_id = 0
        self._seen: tuple[tuple[int, int], ...] = ()

    @property
    def is_open(self) -> bool:
        """Whether the database has been opened once (reads then open it on demand)."""
        return self._shared is not None

    @property
    def holds_file(self) -> bool:
        """Whether this process holds the file right now."""
        return self._shared is not None and self._shared.is_open

    def open(self, cancelled: Callable[[], bool]) -> tuple[bool, StatsRead | None]:
        """Open the database (worker thread), waiting while another process holds it; bring an older database
        up to date when nobody else holds it. Returns whether it holds no record, and else the Stats screen's
        figures (read while the file is open, so that they are on the first frame of that screen)."""
        from wellprod_tui import queries, storage
        from wellprod_tui.storage import on_demand, schema

        self._shared = on_demand.OnDemandDatabase(self.path, self._cfg.duckdb_settings, IDLE_RELEASE_S)
        with self.reading(cancelled) as cur:
            current = schema.up_to_date(cur)
        if not current:
            self._shared.release()
            with contextlib.suppress(storage.DatabaseLocked):  # new tables of a newer wellprod, if free now
                storage.connect(self.path, settings=self._cfg.duckdb_settings).close()
        with self.reading(cancelled) as cur:
            empty = queries.record_count(cur) == 0
            self._last_import_id = queries.last_import_id(cur)
            monthly = None if empty else queries.read_all(cur, queries.total_monthly_view())
            stats = None if monthly is None else StatsRead(queries.stats(cur), monthly)
        self._seen = file_signature(self.path)
        return empty, stats

    @contextlib.contextmanager
    def reading(self, cancelled: Callable[[], bool] = lambda: False) -> Iterator[Connection]:
        """A cursor for one read (worker thread); waits while another process holds the database."""
        if self._shared is None:
            raise RuntimeError("the database is not open yet")
        try:
            opened = self._shared.reading(math.inf, self._say_busy, cancelled)
            cur = opened.__enter__()
        finally:
            self._say_free()  # got in, or stopped waiting: the header no longer says busy
        with contextlib.ExitStack() as stack:
            stack.push(opened)
            yield cur

    @contextlib.contextmanager
    def writing(self, doing: str, cancelled: Callable[[], bool]) -> Iterator[Connection]:
        """A read-write cursor for one of the app's imports, held for that import only (worker thread)."""
        if self._shared is None:
            raise RuntimeError("the database is not open yet")
        wait_s = float(self._cfg.database.lock_wait_import)
        try:
            opened = self._shared.writing(wait_s, self._say_busy, doing, cancelled)
            cur = opened.__enter__()
        finally:
            self._say_free()
        with contextlib.ExitStack() as stack:
            stack.push(opened)
            yield cur

    def changed_on_disk(self) -> bool:
        """Whether the file changed since the last look (cheap: a stat; UI thread)."""
        seen = file_signature(self.path)
        if seen == self._seen:
            return False
        self._seen = seen
        return True

    def new_imports(self, cancelled: Callable[[], bool]) -> list[dict[str, Any]]:
        """Imports completed by other processes since the last look (worker thread)."""
        from wellprod_tui import queries

        with self.reading(cancelled) as cur:
            found = queries.completed_imports_since(cur, self._last_import_id)
        if found:
            self._last_import_id = max(int(row["id"]) for row in found)
        return [row for row in found if row.get("pid") != os.getpid()]

    def close(self) -> None:
        """Let the file go (the app is quitting)."""
        if self._shared is not None:
            self._shared.close()

    def _say_busy(self, holder: Holder) -> None:
        self._busy = busy_text(holder)
        self._listener.post_message(DatabaseBusy(self._busy))

    def _say_free(self) -> None:
        if self._busy:
            self._busy = ""
            self._listener.post_message(DatabaseBusy(""))


class RunningImport:
    """One of the app's imports: its job once the database is free for writing, and a cancel that may come
    before (while waiting for another process) or during the import. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._cancelled = False
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


def worker_cancelled() -> bool:
    """Whether the worker this runs in was cancelled (False outside a worker)."""
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


def run_import_job(
    database: AppDatabase, running: RunningImport, cfg: config.Config, on_progress: ProgressCallback
) -> ImportEnded:
    """Run one of the app's imports (worker thread): the write lock for this import only, waiting while a
    cron import holds it; returns the message that says how it ended."""
    from wellprod_tui import importing, storage

    cancelled = "Import cancelled: the database is unchanged."
    try:
        with database.writing(f"importing {running.path.name}", running.cancelled) as con:
            job = importing.ImportJob.from_config(con, running.path, cfg, on_progress)
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


def export_view_to_file(database: AppDatabase, view: View, cfg: config.Config) -> tuple[str, bool]:
    """Export a whole view to CSV (worker thread); (what to tell the user, whether it worked)."""
    from wellprod_tui import export

    try:
        with database.reading(worker_cancelled) as cur:
            result = export.export_view(
                cur,
                view,
                export_dir=cfg.export_dir,
                neutralise_formulas=cfg.export.neutralise_formulas,
                overwrite=cfg.export.overwrite,
                excel_bom=cfg.export.excel_bom,
            )
    except export.ExportError as exc:
        return str(exc), False
    return f"{plural(result.rows, 'row')} written to {result.path}", True


def file_signature(path: Path) -> tuple[tuple[int, int], ...]:
    """(mtime, size) of the database and its write-ahead log: what changes when any process writes."""
    found = []
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            info = os.stat(candidate)
        except OSError:
            found.append((0, 0))
            continue
        found.append((info.st_mtime_ns, info.st_size))
    return tuple(found)
