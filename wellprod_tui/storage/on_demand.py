"""The app's connection to the database: opened when a screen needs it, let go once idle, so that cron imports
and other commands are never locked out by an app left open."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from wellprod_tui.storage import connection
from wellprod_tui.storage.locking import WaitCallback, announced, connect_waiting


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
        self._con: connection.Connection | None = None
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
    ) -> Iterator[connection.Connection]:
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
    ) -> Iterator[connection.Connection]:
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
    ) -> connection.Connection:
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
                    raise connection.DatabaseUnavailable(f"{self.path}: closed (the app is quitting)")
                if con is None and not self._opening and (writable or not self._writer):
                    if not writable and self.opened_count:
                        _refuse_gone(self.path)
                    self._opening = True
                    break
                self._wait_a_moment(cancelled)  # another thread opens, or readers finish first
        read_only = not writable and self.path.exists()
        try:
            if cancelled():
                raise connection.DatabaseLocked(self.path, None, "cancelled while waiting")
            con, _ = connect_waiting(self.path, read_only, self._settings, wait_s, on_wait, cancelled)
        except BaseException:
            with self._lock:
                self._opening = False
                self._lock.notify_all()
            raise
        with self._lock:
            self._opening = False
            if self._closed:  # the app quit while this thread opened: the file is let go all the same
                self._lock.notify_all()
                con.close()
                raise connection.DatabaseUnavailable(f"{self.path}: closed (the app is quitting)")
            self._con, self._writable = con, not read_only
            self.opened_count += 1
            self._users += 1
            self._lock.notify_all()
            return con.cursor()

    def _wait_a_moment(self, cancelled: Callable[[], bool]) -> None:
        """Wait (lock held, released while waiting) for another thread; give up when ``cancelled()``."""
        self._lock.wait(0.05)
        if cancelled():
            raise connection.DatabaseLocked(self.path, None, "cancelled while waiting")

    def _release(self, cursor: connection.Connection) -> None:
        with contextlib.suppress(connection.Error):
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
            with contextlib.suppress(connection.Error):
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
        raise connection.DatabaseUnavailable(
            f"{path}: the database file is gone (deleted or moved while wellprod was open); "
            "an import starts a new one there, or open another with --db PATH"
        )
