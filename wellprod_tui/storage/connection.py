"""The DuckDB store: connections, locking and errors. With ``schema`` (its tables), the only modules that
import duckdb."""

from __future__ import annotations

import math
import os
import re
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb

from wellprod_tui.storage import schema

Error = duckdb.Error
InterruptException = duckdb.InterruptException
Connection = duckdb.DuckDBPyConnection


class StoreError(Exception):
    """A database problem the user can act on."""


class DatabaseLocked(StoreError):
    """Another process holds the database file."""

    def __init__(self, path: Path, pid: int | None, detail: str) -> None:
        self.path, self.pid, self.detail = path, pid, detail
        who = f"process {pid}" if pid else "another process"
        super().__init__(
            f"{path}: the database is in use by {who} (another wellprod?). "
            "Close it, or use another file with --db PATH."
        )


class DatabaseCorrupt(StoreError):
    """The file is not a readable DuckDB database."""


class DatabaseUnavailable(StoreError):
    """The database cannot be opened or written for another reason (disk, permissions)."""


_PID = re.compile(r"PID (\d+)")
#: The file (device, inode) each open connection was opened on.
_OPENED: weakref.WeakKeyDictionary[Connection, tuple[int, int]] = weakref.WeakKeyDictionary()
#: The same by path, for cursors (a cursor is another connection object on the same file).
_OPENED_PATHS: dict[str, tuple[int, int]] = {}


def translate_error(path: Path, exc: BaseException) -> StoreError:
    """A clear StoreError for a DuckDB error met while opening or writing ``path``."""
    text = str(exc)
    if "Conflicting lock" in text or "Could not set lock" in text:
        match = _PID.search(text)
        return DatabaseLocked(path, int(match.group(1)) if match else None, text)
    lowered = text.lower()
    if (
        "not a valid duckdb database" in lowered
        or "corrupt" in lowered
        or "checksum" in lowered
        or "could not read enough bytes" in lowered
        or ("database file" in lowered and "version" in lowered)
    ):
        return DatabaseCorrupt(
            f"{path}: not a readable wellprod database ({text.splitlines()[0]}). "
            "It is left as it is; use another file with --db PATH."
        )
    if is_disk_full(text):
        return DatabaseUnavailable(f"{path}: the disk is full; nothing was changed ({text.splitlines()[0]})")
    return DatabaseUnavailable(f"{path}: {text.splitlines()[0] if text else type(exc).__name__}")


def is_disk_full(message: str) -> bool:
    """Whether an error message (DuckDB's or the OS's) says the disk or the file size limit is full."""
    lowered = message.lower()
    return any(word in lowered for word in ("no space left", "disk full", "file size limit", "file too large"))


def connect(path: Path, read_only: bool = False, settings: dict[str, Any] | None = None) -> Connection:
    """Open the database, creating it with its schema when missing; raise StoreError clearly."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseUnavailable(f"{path}: is a directory, not a database file")
    if path.exists() and not path.is_file():
        raise DatabaseUnavailable(
            f"{path}: is a device, pipe or socket, not a database file. Use a file path with --db PATH."
        )
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(f"{path.parent}: cannot create the folder ({exc.strerror})") from exc
        read_only = False
    elif path.stat().st_size == 0:
        raise DatabaseCorrupt(f"{path}: the file is empty, not a wellprod database. Use another file with --db PATH.")
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=dict(settings or {}))
        # months of zoned timestamps are UTC months, whatever TZ the machine has
        con.execute("SET TimeZone = 'UTC'; SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    except duckdb.Error as exc:
        raise translate_error(path, exc) from exc
    with suppress(OSError):
        info = path.stat()
        _OPENED[con] = _OPENED_PATHS[str(path)] = (info.st_dev, info.st_ino)
    if not read_only:
        try:
            schema.ensure_schema(con)
        except duckdb.Error as exc:
            con.close()
            raise translate_error(path, exc) from exc
    elif not has_table(con, "production"):
        con.close()
        raise DatabaseCorrupt(f"{path}: a DuckDB file but not a wellprod database (no production table)")
    else:
        schema.stand_in_tables(con)
        if not schema.derived_tables_complete(con):  # an older database: derive in memory, never write
            for name, sql in schema.DERIVED_TABLES.items():
                con.execute(f"CREATE TEMP TABLE {name} AS {sql}")
    return con


def check_same_file(con: Connection) -> None:
    """Raise DatabaseUnavailable if the connection's file was deleted or replaced since it was opened
    (writes would go to a file no path names any more, and be lost at exit)."""
    path = database_path(con)
    opened_on = _OPENED.get(con) or _OPENED_PATHS.get(str(path))
    if opened_on is None:
        return
    try:
        info = os.stat(path)
        now: tuple[int, int] | None = (info.st_dev, info.st_ino)
    except OSError:
        now = None
    if now != opened_on:
        raise DatabaseUnavailable(
            f"{path}: the database file was deleted or replaced while wellprod had it open; nothing more is "
            "saved to it, and what the deleted file held is gone with it. Restart wellprod to open or create "
            "the database again."
        )


def has_table(con: Connection, name: str) -> bool:
    """Whether the main schema has a table called ``name``."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


@contextmanager
def opened(path: Path, read_only: bool = False) -> Iterator[Connection]:
    """A connection for the duration of a with-block."""
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def one(con: Connection, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...]:
    """The one row of a query that always returns one (an aggregate)."""
    row = con.execute(sql, params or []).fetchone()
    if row is None:
        raise DatabaseUnavailable(f"no row from: {sql.split(chr(10))[0][:80]}")
    return row


def scalar(con: Connection, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The first value of a query's one row (a count, a sum)."""
    return one(con, sql, params)[0]


def rows(con: Connection, sql: str, params: Sequence[Any] | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of a query."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description or []]
    return names, [tuple(_finite(v) for v in row) for row in cursor.fetchall()]


def _finite(value: Any) -> Any:
    """None for an infinite or NaN figure (a sum over values stored before rates were bounded)."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def records(con: Connection, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """A query's rows as dicts."""
    names, data = rows(con, sql, params)
    return [dict(zip(names, row, strict=True)) for row in data]


SORTED_KEY = "production_sorted"


def production_is_sorted(con: Connection) -> bool:
    """Whether the production rows lie in (well_code, production_period) order, as the last write left them."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [SORTED_KEY]).fetchone()
    return bool(row and row[0] == "true")


def set_production_sorted(con: Connection, is_sorted: bool) -> None:
    """Record whether the production rows lie in key order (inside the caller's transaction)."""
    con.execute("DELETE FROM meta WHERE key = ?", [SORTED_KEY])
    con.execute("INSERT INTO meta VALUES (?, ?)", [SORTED_KEY, "true" if is_sorted else "false"])


def database_path(con: Connection) -> Path:
    """The file behind a connection."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else Path(":memory:")
