"""The app's on-demand database: a wait for another process never blocks a cancel, and reads share the
app's own import connection."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import run_import
from wellprod_tui import storage
from wellprod_tui.core.config import bundled_sample_path
from wellprod_tui.storage import on_demand


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "shared.duckdb"
    with storage.opened(path) as con:
        run_import(con, bundled_sample_path(), tmp_path / "rejects")
    return path


def _in_thread(target) -> tuple[threading.Thread, dict[str, object]]:  # noqa: ANN001
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = target()
        except BaseException as exc:  # handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_cancelling_a_waiter_is_immediate_even_while_another_waits_to_open(database: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys; c=duckdb.connect({str(database)!r}); print('ok', flush=True); "
         "sys.stdin.read()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
    db = on_demand.OnDemandDatabase(database, idle_s=0.2)
    stop_reader, stop_import = threading.Event(), threading.Event()

    def read() -> int:
        with db.reading(float("inf"), cancelled=stop_reader.is_set) as cur:
            return int(storage.scalar(cur, "SELECT count(*) FROM production"))

    def write() -> None:
        with db.writing(60, cancelled=stop_import.is_set):
            pass

    try:
        reader, read_outcome = _in_thread(read)
        time.sleep(0.2)  # the reader is waiting for the other process
        importer, write_outcome = _in_thread(write)
        time.sleep(0.2)
        started = time.monotonic()
        stop_import.set()  # the user cancels the import that waits behind the reader
        importer.join(5)
        assert not importer.is_alive() and time.monotonic() - started < 2
        assert isinstance(write_outcome.get("error"), storage.DatabaseLocked)

        assert holder.stdin is not None
        holder.stdin.close()  # the other process lets go: the reader gets in
        reader.join(30)
        assert read_outcome.get("value") == 4200
    finally:
        stop_reader.set()
        holder.wait(timeout=30)
    time.sleep(0.5)
    assert not db.is_open  # idle: the file was let go


def test_reads_during_the_app_s_own_import_share_its_connection(database: Path) -> None:
    db = on_demand.OnDemandDatabase(database, idle_s=0.2)
    # a second, read-only connection to the file in this process would be refused by DuckDB:
    # a read that succeeds inside the import went through the import's own connection
    with db.writing(5), db.reading(5) as reader:
        assert storage.scalar(reader, "SELECT count(*) FROM production") == 4200
    with db.reading(5) as reader:  # after the import: a read-only connection again
        assert storage.scalar(reader, "SELECT count(*) FROM production") == 4200
    db.close()
    assert not db.is_open
