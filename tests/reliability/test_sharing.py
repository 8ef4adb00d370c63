"""One database shared by the app, cron imports and read commands: nobody fails because another is busy.

Real processes on a real DuckDB file: a command that finds the database taken waits for it (saying who
holds it), and only ``--wait 0`` or a time-out gives exit 3.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import Cli, assert_no_traceback
from wellprod_tui.storage.locking import activity_path

from .support import db_state

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def other_wells(data_dir: Path, base_ndjson: Path) -> Path:
    """200,000 records of wells that are in no other file (codes moved up by 10^9)."""
    path = data_dir / "other-wells.ndjson"
    if not path.exists():
        duckdb.execute(
            f"""COPY (SELECT * REPLACE (CAST(well_code AS BIGINT) + 1000000000 AS well_code)
                FROM read_json('{data_dir / "big.ndjson"}', format='newline_delimited') LIMIT 200000)
                TO '{path}' (FORMAT json)"""
        )
    return path


def _wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _count_keys(*files: Path) -> int:
    keys = " UNION ".join(
        f"SELECT well_code, production_period FROM read_json('{f}', format='newline_delimited')" for f in files
    )
    (count,) = duckdb.execute(f"SELECT count(*) FROM ({keys})").fetchone()
    return int(count)


def test_two_imports_started_together_both_commit_one_after_the_other(
    populated: Cli, big_ndjson: Path, other_wells: Path, base_ndjson: Path
) -> None:
    first = subprocess.Popen(
        populated.argv("import", str(other_wells), "--json"),
        env=populated.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until(lambda: activity_path(populated.db).exists())  # the first holds the database, importing
    second = subprocess.Popen(
        populated.argv("import", str(base_ndjson), "--json", "--wait", "120"),
        env=populated.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)

    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)
    assert f"waiting for process {first.pid}" in err2
    summaries = [json.loads(out1), json.loads(out2)]
    assert summaries[1]["waited_seconds"] > 0
    assert summaries[0]["status"] == summaries[1]["status"] == "completed"
    after = db_state(populated.db)
    assert after["records"] == _count_keys(other_wells, base_ndjson)


def test_wait_zero_refuses_at_once_and_a_short_wait_times_out_with_exit_3(populated: Cli, holder) -> None:  # noqa: ANN001
    started = time.monotonic()
    at_once = populated.run("stats", "--wait", "0")
    quick = time.monotonic() - started
    started = time.monotonic()
    waited = populated.run("stats", "--wait", "1.5")
    slow = time.monotonic() - started

    assert at_once.code == waited.code == 3
    assert "waiting" not in at_once.stderr and quick < 5
    assert f"waiting for process {holder.pid}" in waited.stderr and slow >= 1.5
    assert "waited 1.5 s" in waited.stderr
    assert_no_traceback(waited)


def test_a_read_command_waits_for_the_holder_to_let_go(populated: Cli, holder) -> None:  # noqa: ANN001
    reader = subprocess.Popen(
        populated.argv("stats", "--json", "--wait", "30"),
        env=populated.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stderr is not None
    waiting = reader.stderr.readline()  # the reader says whom it waits for, then keeps waiting
    assert holder.stdin is not None
    holder.stdin.close()  # the holder lets go: the reader gets in
    out, err = reader.communicate(timeout=60)

    assert reader.returncode == 0, err
    assert f"waiting for process {holder.pid}" in waiting
    assert "waiting" not in err, "one line, not one per retry"
    assert json.loads(out)["records"] == db_state(populated.db)["records"]
