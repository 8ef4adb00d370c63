"""Faults a user meets: a killed or interrupted import, a second process, a full disk, a broken database or config.

Each test drives the installed ``wellprod`` as a subprocess on a real DuckDB file and checks what the user
would see afterwards: the same records, a clear one-line message, the right exit code, no traceback.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import Cli, Result, assert_no_traceback
from tests.helpers.feeds import held_feed
from wellprod_tui.storage.locking import activity_path

from .support import KILL, db_state, percent_of, phase_of, run_on_terminal

pytestmark = pytest.mark.slow

KILL_POINTS = {
    "while reading": lambda line: phase_of(line) == "read" and percent_of(line) >= 15,
    "while validating": lambda line: phase_of(line) == "validate",
    "while writing": lambda line: phase_of(line) == "merge" and 75 < percent_of(line) < 100,
}


def assert_healthy(cli: Cli, db: Path | None = None) -> None:
    """``wellprod doctor`` opens the file and finds it consistent."""
    result = cli.run("doctor", "--json", db=db)
    report = json.loads(result.stdout)
    assert (result.code, report["status"]) == (0, "healthy"), result.output


# ---- killed and interrupted imports --------------------------------------------------------------


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_killed_import_leaves_database_as_it_was(populated: Cli, big_ndjson: Path, point: str) -> None:
    before = db_state(populated.db)

    run = run_on_terminal(populated.argv("import", str(big_ndjson)), populated.env, KILL, KILL_POINTS[point])

    assert run.signalled_at is not None, f"never reached the point {point!r}; progress: {run.lines[-8:]}"
    assert run.code == -signal.SIGKILL
    assert db_state(populated.db) == before
    stats = populated.run("stats", "--json")
    assert stats.code == 0, stats.output
    assert json.loads(stats.stdout)["records"] == before["records"]
    assert_healthy(populated)


def test_import_killed_right_after_commit_keeps_all_of_it(populated: Cli, big_ndjson: Path, base_ndjson: Path) -> None:
    keys = "SELECT well_code, production_period FROM read_json(?, format='newline_delimited')"
    (expected,) = duckdb.execute(
        f"SELECT count(*) FROM ({keys} UNION {keys})", [str(big_ndjson), str(base_ndjson)]
    ).fetchone()
    before = db_state(populated.db)

    # the progress line says "100.0% committed" only once the COMMIT has returned
    run = run_on_terminal(
        populated.argv("import", str(big_ndjson)), populated.env, KILL, lambda line: phase_of(line) == "committed"
    )

    assert run.signalled_at is not None, run.lines[-8:]
    assert percent_of(run.signalled_at) == 100.0
    after = db_state(populated.db)
    assert after["records"] == expected
    assert after["completed_imports"] == before["completed_imports"] + 1
    assert_healthy(populated)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_import_rolls_back_and_says_so(populated: Cli, big_ndjson: Path, signum: int) -> None:
    before = db_state(populated.db)

    run = run_on_terminal(
        populated.argv("import", str(big_ndjson)),
        populated.env,
        signum,
        lambda line: phase_of(line) == "read" and percent_of(line) >= 10,
    )

    assert run.signalled_at is not None, run.lines[-8:]
    assert run.code == 130, run.terminal[-2000:]
    assert "import interrupted; the database is unchanged" in run.terminal
    assert "Traceback" not in run.terminal
    # the progress line was wiped before the message: nothing is left half-drawn on the terminal
    last_progress = run.terminal.rfind("% read")
    assert run.terminal.find("\r\x1b[K", last_progress) != -1
    assert run.stdout == ""
    assert db_state(populated.db) == before
    assert_healthy(populated)
    last = json.loads(populated.run("stats", "--json").stdout)["last_import"]
    assert last["status"] == "cancelled"


# ---- a second process ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("stats",), ("import", "BASE"), ("well", "59806"), ("export", "-o", "-"), ("doctor",)]
)
def test_second_process_is_told_who_holds_the_database(
    populated: Cli, holder: subprocess.Popen, base_ndjson: Path, command: tuple[str, ...]
) -> None:
    before_bytes = populated.db.read_bytes()
    args = [str(base_ndjson) if a == "BASE" else a for a in command] + ["--wait", "0"]

    result = populated.run(*args, timeout=20)

    assert result.code == 3, result.output
    assert f"{holder.pid}" in result.output
    assert "in use" in result.output
    assert_no_traceback(result)
    assert populated.db.read_bytes() == before_bytes


def test_a_read_command_during_a_long_import_waits_for_it_then_answers(populated: Cli, tmp_path: Path) -> None:
    with held_feed(tmp_path / "big.ndjson") as feed:  # the import goes on until the feed's writer closes
        importing = populated.start("import", str(feed.path))
        try:
            _wait_until(lambda: activity_path(populated.db).exists())  # it holds the database, importing
            reading = populated.start("stats", "--json", "--wait", "60")
            assert reading.stderr is not None
            waiting = reading.stderr.readline()
            assert f"waiting for process {importing.pid} (wellprod import, importing big.ndjson since" in waiting
            assert importing.poll() is None
            feed.finish()
            out, err = reading.communicate(timeout=90)
        finally:
            feed.close()
            assert importing.wait(timeout=60) == 0
    result = Result(reading.returncode, out, waiting + err)
    assert result.code == 0, result.output
    assert result.stderr.count("waiting") == 1
    assert json.loads(result.stdout)["last_import"]["status"] == "completed"
    assert_no_traceback(result)


def _wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_terminal_app_waits_naming_the_process_holding_the_database(populated: Cli, holder: subprocess.Popen) -> None:
    pytest.importorskip("textual")
    master, slave = os.openpty()
    env = {**populated.env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    proc = subprocess.Popen(
        [*populated.argv()], env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True
    )
    os.close(slave)
    screen = b""
    try:
        deadline = time.monotonic() + 20
        while str(holder.pid).encode() not in screen and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    screen += os.read(master, 65536)
                except OSError:
                    break
            if proc.poll() is not None:
                break
        assert str(holder.pid).encode() in screen, screen[-2000:]
        assert b"busy" in screen
        assert proc.poll() is None, "the app waits for the database instead of giving up"
        os.write(master, b"\x11")  # ctrl+q quits while waiting
        code = proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert code == 0


# ---- full disk, unwritable folder ----------------------------------------------------------------


def limit_file_size(max_bytes: int):
    """A preexec_fn that caps how large the child may make any file (RLIMIT_FSIZE)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


def test_export_that_fills_the_disk_writes_nothing(populated: Cli, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    before = db_state(populated.db)

    result = populated.run("export", "-o", str(out / "all.csv"), preexec_fn=limit_file_size(100_000))

    assert result.code == 1
    assert "disk is full" in result.stderr and "nothing written" in result.stderr
    assert_no_traceback(result)
    assert list(out.iterdir()) == []
    assert db_state(populated.db) == before


def test_export_to_a_full_filesystem_writes_nothing(populated: Cli, tiny_mount) -> None:
    out = tiny_mount("size=64k")

    result = populated.run("export", "-o", str(out / "all.csv"))

    assert result.code == 1
    assert "disk is full" in result.stderr and "nothing written" in result.stderr
    assert_no_traceback(result)
    assert list(out.iterdir()) == []


def test_export_to_a_read_only_filesystem_says_so(populated: Cli, tiny_mount) -> None:
    out = tiny_mount("ro,size=64k")

    result = populated.run("export", "-o", str(out / "all.csv"))

    assert result.code == 1
    assert "Read-only file system" in result.stderr and str(out) in result.stderr
    assert_no_traceback(result)
    assert list(out.iterdir()) == []


def test_import_whose_database_cannot_grow_changes_nothing(populated: Cli, big_ndjson: Path, data_dir: Path) -> None:
    medium = data_dir / "medium.ndjson"
    if not medium.exists():
        with big_ndjson.open("rb") as src, medium.open("wb") as dst:
            for _ in range(100_000):
                dst.write(src.readline())
    before = db_state(populated.db)
    limit = populated.db.stat().st_size + 400_000

    result = populated.run("import", str(medium), preexec_fn=limit_file_size(limit))

    assert result.code == 1, result.output
    assert "disk is full" in result.stderr
    assert "nothing was changed" in result.stderr
    assert_no_traceback(result)
    assert db_state(populated.db) == before
    assert_healthy(populated)


# ---- a broken database file ----------------------------------------------------------------------


def _truncated(base: bytes) -> bytes:
    return base[: len(base) // 3]


def _header_only(base: bytes) -> bytes:
    return base[:12288]


CORRUPTIONS = {
    "empty": lambda base: b"",
    "random bytes": lambda base: os.urandom(len(base)),
    "truncated to a third": _truncated,
    "header only": _header_only,
}


@pytest.mark.parametrize("command", [("stats",), ("import", "BASE"), ("doctor",), ("well", "59806")])
@pytest.mark.parametrize("damage", list(CORRUPTIONS))
def test_broken_database_is_reported_and_never_overwritten(
    populated: Cli, base_ndjson: Path, damage: str, command: tuple[str, ...]
) -> None:
    broken = CORRUPTIONS[damage](populated.db.read_bytes())
    populated.db.write_bytes(broken)
    args = [str(base_ndjson) if a == "BASE" else a for a in command] + ["--wait", "0"]

    result = populated.run(*args)

    assert result.code == 1, result.output
    assert str(populated.db.name) in result.output
    assert "--db PATH" in result.output, "the message shows the way out"
    assert "unexpected error" not in result.output
    assert_no_traceback(result)
    assert populated.db.read_bytes() == broken
    assert not populated.db.with_name(populated.db.name + ".wal").exists()


def test_the_way_out_of_a_broken_database_works(populated: Cli, base_ndjson: Path, tmp_path: Path) -> None:
    populated.db.write_bytes(b"\x00garbage" * 1000)
    other = tmp_path / "fresh.duckdb"

    result = populated.run("import", str(base_ndjson), db=other)

    assert result.code == 0, result.output
    assert json.loads(populated.run("stats", "--json", db=other).stdout)["records"] == 2000
    assert populated.db.read_bytes() == b"\x00garbage" * 1000


# ---- a bad config file ---------------------------------------------------------------------------

BAD_CONFIGS = {
    "invalid TOML": ("[export]\nneutralise_formulas = true\noverwrite = \n", ["line 3"]),
    "unknown section": ("[colours]\nbg = 'red'\n", ["[colours]", "known:"]),
    "unknown key": ("[export]\nneutralise_formula = true\n", ["line 2", "export.neutralise_formula", "known:"]),
    "wrong type": ("[ui]\npage_size = 'many'\n", ["line 2", "ui.page_size", "an integer", "a string"]),
    "bool as string": ("[export]\noverwrite = 'yes'\n", ["line 2", "export.overwrite", "true or false"]),
    "negative number": ("[import]\nthreads = -2\n", ["line 2", "import.threads", "0 or more"]),
    "section not a table": ("paths = 3\n", ["[paths]", "table"]),
    "not UTF-8": (b"[paths]\ndatabase = '\xff\xfe'\n", ["not UTF-8"]),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_names_the_file_key_and_what_is_expected(populated: Cli, tmp_path: Path, case: str) -> None:
    text, fragments = BAD_CONFIGS[case]
    path = tmp_path / "my config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")

    result = populated.run("--config", str(path), "stats")

    assert result.code == 1, result.output
    assert str(path) in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert_no_traceback(result)


@pytest.mark.parametrize("kind", ["a directory", "missing"])
def test_unreadable_config_is_named(populated: Cli, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "config.toml"
    if kind == "a directory":
        path.mkdir()

    result = populated.run("stats", env={**populated.env, "WELLPROD_CONFIG": str(path)})

    assert result.code == 1, result.output
    assert str(path) in result.stderr
    assert ("directory" if kind == "a directory" else "not found") in result.stderr
    assert_no_traceback(result)
