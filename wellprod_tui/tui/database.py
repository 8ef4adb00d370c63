"""The app's link to the database file: opened on demand and let go when idle, waiting (and saying so)
while another process holds it, and noticing other processes' imports.

An app left open for days must never lock out a cron import or ``wellprod stats``: reads go through
connections opened on demand (``OnDemandDatabase``), the write lock is taken only for an import of the
app's own, and a change of the file on disk makes the app look for imports that others completed.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.message_pump import MessagePump
from textual.worker import NoActiveWorker, get_current_worker

from wellprod_tui.core import config
from wellprod_tui.core.text import visible
from wellprod_tui.tui.messages import DatabaseBusyChanged

if TYPE_CHECKING:
    from wellprod_tui.storage.connection import Connection
    from wellprod_tui.storage.locking import Holder
    from wellprod_tui.storage.on_demand import OnDemandDatabase

#: Seconds without a read after which the app lets the database file go.
IDLE_RELEASE_S = 1.0


class StatsRead(NamedTuple):
    """What the Stats screen shows: the figures and the total monthly rows (columns, rows)."""

    figures: dict[str, Any]
    monthly: tuple[list[str], list[tuple[Any, ...]]]


def busy_text(holder: Holder) -> str:
    """``database busy: import by process 8061 (feed.json)``; what the holder said shown visibly."""
    if holder.doing.startswith("importing "):
        return f"database busy: import by process {holder.pid} ({visible(holder.doing.removeprefix('importing '))})"
    return f"database busy: in use by {holder.describe()}"


class DatabaseLink:
    """The database as the app uses it. ``open``, ``reading``, ``writing`` and ``new_imports`` run in worker
    threads; they tell ``listener`` (the App) by thread-safe messages when the database is busy or free."""

    def __init__(self, cfg: config.Config, listener: MessagePump) -> None:
        self.path = cfg.database_path
        self._cfg = cfg
        self._listener = listener
        self._shared: OnDemandDatabase | None = None
        self._busy = ""
        self._busy_lock = threading.Lock()
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
    def reading(self, cancelled: Callable[[], bool] | None = None) -> Iterator[Connection]:
        """A cursor for one read (worker thread); waits while another process holds the database (the header
        says so), or stops when ``cancelled`` (by default: whether the current worker was) says to."""
        shared = self._opened()
        try:
            with shared.reading(math.inf, self._say_busy, cancelled or worker_cancelled) as cur:
                self._say_free()  # got in: the header no longer says busy
                yield cur
        finally:
            self._say_free()  # or stopped waiting

    @contextlib.contextmanager
    def writing(self, doing: str, cancelled: Callable[[], bool]) -> Iterator[Connection]:
        """A read-write cursor for one of the app's imports, held for that import only (worker thread)."""
        shared = self._opened()
        wait_s = float(self._cfg.database.lock_wait_import)
        try:
            with shared.writing(wait_s, self._say_busy, doing, cancelled) as cur:
                self._say_free()
                yield cur
        finally:
            self._say_free()

    def _opened(self) -> OnDemandDatabase:
        if self._shared is None:
            raise RuntimeError("the database is not open yet")
        return self._shared

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
        """Several workers may wait at once: the flag changes under the lock, and each change is told once."""
        text = busy_text(holder)
        with self._busy_lock:
            changed, self._busy = text != self._busy, text
        if changed:
            self._listener.post_message(DatabaseBusyChanged(text))

    def _say_free(self) -> None:
        with self._busy_lock:
            was_busy, self._busy = bool(self._busy), ""
        if was_busy:
            self._listener.post_message(DatabaseBusyChanged(""))


def worker_cancelled() -> bool:
    """Whether the worker this runs in was cancelled (False outside a worker)."""
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


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
