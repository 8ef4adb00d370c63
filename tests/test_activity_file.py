"""The activity file beside the database (who holds it, doing what) is written and read safely: a file planted
where it is written is never overwritten through a link, and only a small regular file is ever read."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from wellprod_tui.storage.locking import activity_path, announced, holder_of


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path: Path) -> None:
    database = tmp_path / "wellprod.duckdb"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    planted = activity_path(database).with_name(f"{activity_path(database).name}.{os.getpid()}.tmp")
    planted.symlink_to(victim)
    with announced(database, "wellprod import", "importing feed.json"):
        assert holder_of(database, os.getpid()).doing == "importing feed.json"
    assert victim.read_text() == "precious"


def test_an_activity_file_that_is_a_link_is_replaced_not_written_through(tmp_path: Path) -> None:
    database = tmp_path / "wellprod.duckdb"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    activity_path(database).symlink_to(victim)
    with announced(database, "wellprod import", "importing feed.json"):
        assert not activity_path(database).is_symlink()
    assert victim.read_text() == "precious"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "huge"])
def test_a_waiting_command_reads_only_a_small_regular_activity_file(tmp_path: Path, kind: str) -> None:
    database = tmp_path / "wellprod.duckdb"
    path = activity_path(database)
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes: opening it for reading would block
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")  # endless: reading it whole would fill the memory
    else:
        path.write_text('{"pid": 1, "doing": "' + "x" * 200_000 + '"}')
    answer: list[object] = []
    reader = threading.Thread(target=lambda: answer.append(holder_of(database, 1)), daemon=True)
    started = time.monotonic()
    reader.start()
    reader.join(5)
    assert answer, "reading the activity file hung"
    assert time.monotonic() - started < 5  # at once: never waits on the FIFO or reads /dev/zero whole
    assert answer[0].describe() == "process 1"  # type: ignore[attr-defined]
