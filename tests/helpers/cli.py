"""The ``wellprod`` command, run in-process (quick) or as a real process (signals, exit codes on kill, locks)."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wellprod_tui import cli

from .env import isolated_env

_SCRIPT = Path(sys.executable).with_name("wellprod")
#: The installed console script (as users run it), else the module.
WELLPROD = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "wellprod_tui"]
TIMEOUT_S = 60


@dataclass
class Result:
    """What a finished ``wellprod`` left: exit code and both streams as text."""

    code: int
    stdout: str
    stderr: str

    @property
    def returncode(self) -> int:
        """The exit code, named as subprocess names it."""
        return self.code

    @property
    def output(self) -> str:
        """stdout and stderr together, for 'no traceback anywhere' checks."""
        return self.stdout + self.stderr


def assert_no_traceback(result: Result) -> None:
    """The user never sees a Python traceback."""
    assert "Traceback" not in result.output, result.output
    assert 'File "' not in result.stderr, result.stderr


@contextmanager
def _captured() -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """sys.stdout and sys.stderr written to memory (bytes too, as ``export -o -`` writes), then put back."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    try:
        yield out, err
    finally:
        for stream in (sys.stdout, sys.stderr):
            if not stream.closed:
                stream.flush()
                stream.detach()
        sys.stdout, sys.stderr = saved


def run_cli(*args: str, db: Path | None = None) -> Result:
    """``wellprod [--db DB] ARGS`` in this process, in this process's (isolated) environment."""
    argv = [*args] if db is None else ["--db", str(db), *args]
    with _captured() as (out, err):
        code = cli.main(argv)
    return Result(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


class Cli:
    """Runs ``wellprod`` as a real process with an isolated environment and a default database."""

    def __init__(self, home: Path, db: Path | None = None) -> None:
        self.home = home
        self.db = db or home / "wellprod.duckdb"
        self.env = isolated_env(home)

    def argv(self, *args: str, db: Path | None = None) -> list[str]:
        """The full command line of ``wellprod --db DB ARGS``."""
        return [*WELLPROD, "--db", str(db or self.db), *args]

    def run(self, *args: str, db: Path | None = None, timeout: float = TIMEOUT_S, **kwargs: Any) -> Result:
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

    def start(self, *args: str, db: Path | None = None) -> subprocess.Popen[str]:
        """Start ``wellprod --db DB ARGS`` without waiting; its stdout and stderr are pipes."""
        return subprocess.Popen(
            self.argv(*args, db=db), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL,
        )

