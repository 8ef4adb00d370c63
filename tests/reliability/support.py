"""Helpers of the reliability suite: the real CLI as a subprocess, a pseudo-terminal runner, database state."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

_SCRIPT = Path(sys.executable).with_name("wellprod")
#: The installed console script (as users run it), else the module.
WELLPROD = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "wellprod_tui"]
TIMEOUT_S = 60
BIG_RECORDS = 1_000_000
BASE_RECORDS = 2_000


@dataclass
class Result:
    """What a finished ``wellprod`` process left: exit code and both streams as text."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """stdout and stderr together, for 'no traceback anywhere' checks."""
        return self.stdout + self.stderr


class Cli:
    """Runs ``wellprod`` with an isolated environment and a default database."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.db = home / "wellprod.duckdb"
        self.env = isolated_env(home)

    def argv(self, *args: str, db: Path | None = None) -> list[str]:
        """The full command line of ``wellprod --db DB ARGS``."""
        return [*WELLPROD, "--db", str(db or self.db), *args]

    def run(self, *args: str, db: Path | None = None, timeout: float = TIMEOUT_S, **kwargs) -> Result:
        """Run to completion (never longer than ``timeout``) and return its Result."""
        done = subprocess.run(
            self.argv(*args, db=db),
            env=kwargs.pop("env", self.env),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            **kwargs,
        )
        return Result(done.returncode, done.stdout, done.stderr)


def isolated_env(home: Path) -> dict[str, str]:
    """os.environ with HOME, XDG dirs and wellprod's own variables pointing into ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WELLPROD_")}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DOCUMENTS_DIR"):
        env[name] = str(home / name.lower())
    env["HOME"] = str(home)
    env["TMPDIR"] = str(home / "tmp")
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.pop("COLUMNS", None)
    return env


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


def assert_no_traceback(result: Result) -> None:
    """The user never sees a Python traceback."""
    assert "Traceback" not in result.output, result.output
    assert 'File "' not in result.stderr, result.stderr


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
