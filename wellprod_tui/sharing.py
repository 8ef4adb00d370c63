"""How processes share one database file: who holds it, waiting for it, and holding it only while in use.

DuckDB lets one process hold a file read-write, or several processes read-only, never both; a process that
finds it taken is refused at once. So every wellprod process holds the file briefly and waits for it:
headless commands retry until ``--wait`` runs out, and the app opens connections on demand and lets them
go when idle. A writer leaves a small activity file beside the database saying what it is doing, so that
a waiting process can tell the user ("import by process 8061 of feed.json since 12:01").
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wellprod_tui import store


@dataclass(frozen=True)
class Holder:
    """The process holding the database, and what it says it is doing (when it said so)."""

    pid: int | None
    program: str = ""
    doing: str = ""
    since: str = ""

    def describe(self) -> str:
        """``process 8061 (wellprod import, importing feed.json since 12:01)``."""
        who = f"process {self.pid}" if self.pid else "another process"
        doing = f"{self.doing} since {self.since}" if self.doing else ""
        said = ", ".join(part for part in (self.program, doing) if part)
        return f"{who} ({said})" if said else who


def activity_path(database: Path) -> Path:
    """The activity file of a database: beside it, named after it."""
    return database.with_name(f".{database.name}.activity.json")


@contextlib.contextmanager
def announced(database: Path, program: str, doing: str) -> Iterator[None]:
    """Say, for the time of the block, that this process holds ``database`` to do ``doing``."""
    path = activity_path(database)
    text = json.dumps(
        {"pid": os.getpid(), "program": program, "doing": doing, "since": datetime.now().strftime("%H:%M")}
    )
    written = False
    with contextlib.suppress(OSError):  # a read-only folder: nobody is told, nothing else changes
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written = True
    try:
        yield
    finally:
        if written:
            with contextlib.suppress(OSError):
                if _read_activity(path).get("pid") == os.getpid():
                    path.unlink()


def holder_of(database: Path, pid: int | None) -> Holder:
    """Who holds ``database``: the PID DuckDB named, with what its activity file says when it is that PID's."""
    said = _read_activity(activity_path(database))
    if said.get("pid") == pid and pid is not None:
        return Holder(pid, str(said.get("program", "")), str(said.get("doing", "")), str(said.get("since", "")))
    return Holder(pid)


def _read_activity(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


WaitCallback = Callable[[Holder], None]


def connect_waiting(
    path: Path,
    read_only: bool,
    settings: dict[str, Any] | None,
    wait_s: float,
    on_wait: WaitCallback | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[store.Connection, float]:
    """Connect, retrying while another process holds the file, for up to ``wait_s`` seconds. ``on_wait`` is
    told of each new holder. Returns the connection and the seconds waited; raises DatabaseLocked on time-out
    (or at once when ``wait_s`` is 0) and when ``cancelled()`` turns true."""
    started = time.monotonic()
    last_pid: int | None = -1
    pause = 0.05
    while True:
        try:
            con = store.connect(path, read_only=read_only, settings=settings)
            return con, time.monotonic() - started
        except store.DatabaseLocked as exc:
            waited = time.monotonic() - started
            if waited >= wait_s or cancelled():
                raise
            if exc.pid != last_pid and on_wait is not None:
                on_wait(holder_of(path, exc.pid))
            last_pid = exc.pid
            time.sleep(min(pause * random.uniform(0.7, 1.3), max(0.0, wait_s - waited)))
            pause = min(pause * 1.5, 0.5)


class OnDemandDatabase:
    """The app's way to the database: a connection opened when a screen needs one and closed once nobody
    has used it for ``idle_s`` seconds, so that cron imports and other commands are never locked out by an
    app left open. Read-only unless one of the app's own imports holds it read-write (reads then go through
    that connection). Thread-safe; the lock is never held while waiting for another process, so a waiting
    reader that is cancelled, or an import's cancel, takes effect at once."""

    def __init__(self, path: Path, settings: dict[str, Any] | None = None, idle_s: float = 1.0) -> None:
        self.path = path
        self._settings = settings
        self._lock = threading.Condition()
        self._con: store.Connection | None = None
        self._writable = False
        self._users = 0
        self._opening = False
        self._writer = False  # one of the app's imports holds or wants the write connection
        self._closer = _IdleCloser(idle_s, self._lock, self._close_if_idle)
        self._closed = False
        #: Bumped each time a connection is opened.
        self.opened_count = 0

    @property
    def is_open(self) -> bool:
        """Whether this process holds the file now."""
        return self._con is not None

    @contextlib.contextmanager
    def reading(
        self,
        wait_s: float = 0.0,
        on_wait: WaitCallback | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[store.Connection]:
        """A cursor for one read, on the open connection or a newly opened read-only one (waiting up to
        ``wait_s`` for another process to let the file go; raises DatabaseLocked when ``cancelled()``)."""
        cursor = self._acquire(False, wait_s, on_wait, cancelled)
        try:
            yield cursor
        finally:
            self._release(cursor)

    @contextlib.contextmanager
    def writing(
        self,
        wait_s: float,
        on_wait: WaitCallback | None = None,
        doing: str = "",
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[store.Connection]:
        """A read-write cursor for one of the app's imports, held for that import only; reads go through
        the same connection meanwhile."""
        with self._lock:
            while self._writer:  # one import at a time
                self._wait_a_moment(cancelled)
            self._writer = True
        try:
            cursor = self._acquire(True, wait_s, on_wait, cancelled)
            try:
                with announced(self.path, "wellprod app", doing):
                    yield cursor
            finally:
                self._release(cursor)
        finally:
            with self._lock:
                self._writer = False
                if self._users == 0:
                    self._close_now()  # back to read-only on demand: the write lock goes at once
                self._lock.notify_all()

    def release(self) -> None:
        """Let the file go now (the next read opens it again)."""
        with self._lock:
            self._close_now()

    def close(self) -> None:
        """Let the file go now and for good (the app is quitting: a late worker opens nothing)."""
        with self._lock:
            self._closed = True
            self._close_now()

    def _acquire(
        self, writable: bool, wait_s: float, on_wait: WaitCallback | None, cancelled: Callable[[], bool]
    ) -> store.Connection:
        """A cursor of a connection fit for the purpose, opening one (outside the lock) when there is none."""
        with self._lock:
            while True:
                self._closer.cancel()
                con = self._con
                if con is not None and (self._writable or not (writable or self._writer)):
                    self._users += 1
                    return con.cursor()
                if writable and con is not None and self._users == 0 and not self._opening:
                    self._close_now()  # a read-only connection in the way of the import's write connection
                    continue
                # readers wait while an import of the app's own opens its write connection, then share it
                if self._closed:
                    raise store.DatabaseUnavailable(f"{self.path}: closed (the app is quitting)")
                if con is None and not self._opening and (writable or not self._writer):
                    if not writable and self.opened_count:
                        _refuse_gone(self.path)
                    self._opening = True
                    break
                self._wait_a_moment(cancelled)  # another thread opens, or readers finish first
        read_only = not writable and self.path.exists()
        try:
            if cancelled():
                raise store.DatabaseLocked(self.path, None, "cancelled while waiting")
            con, _ = connect_waiting(self.path, read_only, self._settings, wait_s, on_wait, cancelled)
        except BaseException:
            with self._lock:
                self._opening = False
                self._lock.notify_all()
            raise
        with self._lock:
            self._opening = False
            self._con, self._writable = con, not read_only
            self.opened_count += 1
            self._users += 1
            self._lock.notify_all()
            return con.cursor()

    def _wait_a_moment(self, cancelled: Callable[[], bool]) -> None:
        """Wait (lock held, released while waiting) for another thread; give up when ``cancelled()``."""
        self._lock.wait(0.05)
        if cancelled():
            raise store.DatabaseLocked(self.path, None, "cancelled while waiting")

    def _release(self, cursor: store.Connection) -> None:
        with contextlib.suppress(store.Error):
            cursor.close()
        with self._lock:
            self._users -= 1
            self._lock.notify_all()
            if self._users == 0 and not self._writer:
                self._closer.start()

    def _close_if_idle(self) -> None:
        """(Lock held) Close the connection if nobody uses it."""
        if self._users == 0 and not self._writer:
            self._close_now()

    def _close_now(self) -> None:
        self._closer.cancel()
        if self._con is not None:
            with contextlib.suppress(store.Error):
                self._con.close()
            self._con = None
            self._writable = False


class _IdleCloser:
    """Calls ``close`` (with ``lock`` held) ``idle_s`` seconds after the last ``start``, unless cancelled."""

    def __init__(self, idle_s: float, lock: threading.Condition, close: Callable[[], None]) -> None:
        self._idle_s = idle_s
        self._lock = lock
        self._close = close
        self._timer: threading.Timer | None = None

    def start(self) -> None:
        """(Lock held) Count the idle time from now."""
        self.cancel()
        self._timer = threading.Timer(self._idle_s, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        """(Lock held) Not idle after all."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        with self._lock:
            if self._timer is threading.current_thread():  # not cancelled nor started again meanwhile
                self._timer = None
                self._close()


def _refuse_gone(path: Path) -> None:
    """Raise DatabaseUnavailable if the database file the app had open is no longer there."""
    if not path.exists():
        raise store.DatabaseUnavailable(
            f"{path}: the database file is gone (deleted or moved while wellprod was open); "
            "an import starts a new one there, or open another with --db PATH"
        )
