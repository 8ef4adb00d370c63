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
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wellprod_tui.core.text import visible
from wellprod_tui.storage import connection


@dataclass(frozen=True)
class Holder:
    """The process holding the database, and what it says it is doing (when it said so)."""

    pid: int | None
    program: str = ""
    doing: str = ""
    since: str = ""

    def describe(self) -> str:
        """``process 8061 (wellprod import, importing feed.json since 12:01)``, shown visibly: the activity
        file is another process's text."""
        who = f"process {self.pid}" if self.pid else "another process"
        doing = f"{self.doing} since {self.since}" if self.doing else ""
        said = ", ".join(part for part in (self.program, doing) if part)
        return f"{who} ({visible(said)})" if said else who


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
        # a new file of a name nobody can guess (O_EXCL), renamed over the link or file that is there
        handle, tmp = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise
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


#: An activity file is a few hundred bytes; anything larger is not one of ours.
MAX_ACTIVITY_BYTES = 64 * 1024


def _read_activity(path: Path) -> dict[str, Any]:
    """What the activity file says; nothing unless it is a small regular file (never a link, FIFO or device)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return {}
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ACTIVITY_BYTES:
            return {}
        data = json.loads(os.read(handle, MAX_ACTIVITY_BYTES + 1).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    finally:
        os.close(handle)
    return data if isinstance(data, dict) else {}


WaitCallback = Callable[[Holder], None]


def connect_waiting(
    path: Path,
    read_only: bool,
    settings: dict[str, Any] | None,
    wait_s: float,
    on_wait: WaitCallback | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[connection.Connection, float]:
    """Connect, retrying while another process holds the file, for up to ``wait_s`` seconds. ``on_wait`` is
    told of each new holder. Returns the connection and the seconds waited; raises DatabaseLocked on time-out
    (or at once when ``wait_s`` is 0) and when ``cancelled()`` turns true."""
    started = time.monotonic()
    last_pid: int | None = -1
    pause = 0.05
    while True:
        try:
            con = connection.connect(path, read_only=read_only, settings=settings)
            return con, time.monotonic() - started
        except connection.DatabaseLocked as exc:
            waited = time.monotonic() - started
            if waited >= wait_s or cancelled():
                raise
            if exc.pid != last_pid and on_wait is not None:
                on_wait(holder_of(path, exc.pid))
            last_pid = exc.pid
            time.sleep(min(pause * random.uniform(0.7, 1.3), max(0.0, wait_s - waited)))
            pause = min(pause * 1.5, 0.5)


