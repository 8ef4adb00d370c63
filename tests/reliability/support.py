"""Helpers of the reliability suite: a pseudo-terminal runner, database state (the CLI runner is tests/helpers)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

TIMEOUT_S = 60
BIG_RECORDS = 1_000_000
BASE_RECORDS = 2_000


def db_state(path: Path) -> dict[str, object]:
    """What a user would compare: record count, a checksum of every production row, derived tables, imports."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        records, checksum = con.execute("SELECT count(*), sum(hash(p)) FROM production p").fetchone()
        wells, wells_sum = con.execute("SELECT count(*), sum(hash(w)) FROM well_summary w").fetchone()
        (monthly,) = con.execute("SELECT sum(hash(f)) FROM field_monthly f").fetchone()
        (imports,) = con.execute("SELECT count(*) FROM imports WHERE status = 'completed'").fetchone()
        tables = sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
    finally:
        con.close()
    return {
        "records": records,
        "checksum": checksum,
        "wells": wells,
        "wells_checksum": wells_sum,
        "field_monthly": monthly,
        "completed_imports": imports,
        "tables": tables,
    }


@dataclass
class PtyRun:
    """A process whose stderr is a terminal: its progress lines, final output and exit code."""

    code: int
    lines: list[str]
    terminal: str
    stdout: str
    signalled_at: str | None


def run_on_terminal(
    argv: list[str],
    env: dict[str, str],
    send: int | None = None,
    when: Callable[[str], bool] = lambda _line: False,
    timeout: float = TIMEOUT_S,
) -> PtyRun:
    """Run with stderr on a pseudo-terminal (so progress is shown); send ``send`` at the first line ``when`` likes."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, close_fds=True
    )
    os.close(slave)
    raw = b""
    pending = ""
    lines: list[str] = []
    signalled_at: str | None = None
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"no exit within {timeout} s; last lines: {lines[-5:]}")
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side closed
                break
            if not chunk:
                break
            raw += chunk
            pending += chunk.decode(errors="replace")
            *complete, pending = pending.replace("\r", "\n").split("\n")
            for line in complete:
                lines.append(line)
                if send is not None and signalled_at is None and when(line):
                    signalled_at = line
                    proc.send_signal(send)
        stdout = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
    if pending:
        lines.append(pending)
    return PtyRun(code, lines, raw.decode(errors="replace"), stdout, signalled_at)


def phase_of(line: str) -> str | None:
    """The import phase a progress line shows (``big.ndjson:  37.9% read ...``), or None."""
    parts = line.split("%", 1)
    if len(parts) < 2 or not parts[1].strip():
        return None
    return parts[1].split()[0]


def percent_of(line: str) -> float:
    """The percentage a progress line shows."""
    return float(line.split("%", 1)[0].rsplit(" ", 1)[-1])


KILL = signal.SIGKILL
