"""The import's stages alone, and the threads beside them: the JSON feeders and the file's checksum."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from tests.conftest import DATA, table_checksum
from wellprod_tui import storage
from wellprod_tui.core import config
from wellprod_tui.importing import ImportFailed, ImportOptions, json_feed, stages
from wellprod_tui.importing.file_scan import FileScan
from wellprod_tui.importing.progress import ProgressTracker
from wellprod_tui.importing.run import Cancellation, ImportRun


def _run(con: storage.Connection, path: Path, tmp_path: Path, **options: object) -> ImportRun:
    cfg = config.Config(paths=config.Paths(rejects_dir=str(tmp_path / "rejects")))
    chosen = ImportOptions.from_config(cfg, **options)  # type: ignore[arg-type]
    workdir = tmp_path / "work"
    workdir.mkdir(exist_ok=True)
    return ImportRun(con, path, chosen, ProgressTracker(lambda _p: None), Cancellation(con), workdir, path)


def test_each_stage_hands_the_next_what_it_found_and_production_waits_for_the_merge(
    tmp_path: Path, con: storage.Connection
) -> None:
    lines = (DATA / "volve_monthly.csv").read_text().splitlines()
    bad = lines[1].split(",")
    bad[6] = "thirty"  # days on production
    path = tmp_path / "volve.csv"
    path.write_text("\n".join([*lines, lines[1], ",".join(bad)]) + "\n")
    run = _run(con, path, tmp_path, duplicates="first")
    before = table_checksum(con)

    described = stages.describe(run)
    con.execute("BEGIN TRANSACTION")
    staged = stages.read(run, described)
    deduplicated = stages.find_duplicates(run, described)
    checked = stages.report_problems(run, described, staged, deduplicated)

    assert described.source.format == "csv"
    assert staged.rows == len(lines) - 1 + 2
    assert deduplicated.merged >= 1 and "duplicates = first" in deduplicated.notes[0]
    assert checked.rejected == 1 and checked.rejects_file and Path(checked.rejects_file).exists()
    assert table_checksum(con) == before, "nothing reaches production before the merge"
    merged = stages.merge(run, described)
    assert merged.inserted == len(lines) - 1 - deduplicated.merged + 1
    with pytest.raises(AttributeError):
        merged.inserted = 0  # type: ignore[misc]  # results are frozen: a later stage cannot rewrite them
    stages.refresh_summaries(run, merged)
    con.execute("ROLLBACK")
    assert table_checksum(con) == before


def test_a_strict_import_refuses_rejects_only_once_their_file_is_written(
    tmp_path: Path, con: storage.Connection
) -> None:
    lines = (DATA / "volve_monthly.csv").read_text().splitlines()
    bad = lines[1].split(",")
    bad[6] = "thirty"
    path = tmp_path / "volve.csv"
    path.write_text("\n".join([lines[0], ",".join(bad)]) + "\n")
    run = _run(con, path, tmp_path, strict=True)
    described = stages.describe(run)
    staged = stages.read(run, described)
    checked = stages.report_problems(run, described, staged, stages.find_duplicates(run, described))
    with pytest.raises(ImportFailed, match="--strict") as refused:
        stages.refuse_rejects(run, checked)
    assert str(checked.rejects_file) in str(refused.value)


def test_a_json_part_read_slowly_gets_every_byte_of_its_own_file_after_the_feed_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB may still hold a part's pipe when the feed ends: its feeder must keep reading the right file."""
    monkeypatch.setattr(json_feed, "_BLOCK", 1 << 16)  # many sendfile calls per part
    monkeypatch.setattr(json_feed, "FEEDER_JOIN_S", 0.2)
    records = [{"well_code": f"W{i:06d}", "note": "x" * 40} for i in range(20_000)]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records))
    content = path.read_bytes()
    feed = json_feed.ArrayFeed(path, [(1, len(content) - 1)], tmp_path / "parts")
    (pipe,) = feed.__enter__()
    reader = os.open(pipe, os.O_RDONLY)
    received = [os.read(reader, 100)]
    feed.__exit__(None, None, None)  # the feeder is still blocked on the full pipe
    other = tmp_path / "other.bin"
    other.write_bytes(b"\0" * len(content))
    opened = [os.open(other, os.O_RDONLY) for _ in range(4)]  # what DuckDB may open next
    try:
        while block := os.read(reader, 1 << 16):
            received.append(block)
    finally:
        os.close(reader)
        for fd in opened:
            os.close(fd)
    assert b"".join(received) == b"[" + content[1:-1] + b"]"
    feeders = [t for t in threading.enumerate() if t.name.startswith("wellprod-feed-")]
    for feeder in feeders:  # the reader saw the end of its part: the feeder is on its way out
        feeder.join(10)
    assert not [t for t in feeders if t.is_alive()]


def test_a_file_whose_checksum_cannot_be_taken_fails_the_import_instead_of_recording_none(tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    path.write_text('{"well_code": "A"}\n')
    scan = FileScan(path, look_for_booleans=True, shown_as=tmp_path / "the-pipe")
    path.unlink()  # rotated away between DuckDB's read and the scan
    scan.start()
    with pytest.raises(ImportFailed, match="the-pipe: could not be read whole to take its checksum .No such file"):
        scan.sha256()
    with pytest.raises(ImportFailed):
        scan.saw_booleans()


def test_the_checksum_of_a_file_is_its_sha256(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "feed.ndjson"
    path.write_bytes(b'{"well_code": "A", "on": true}\n' * 1000)
    scan = FileScan(path, look_for_booleans=True)
    scan.start()
    assert scan.sha256() == hashlib.sha256(path.read_bytes()).hexdigest() and scan.saw_booleans()
