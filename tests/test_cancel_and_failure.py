"""A cancelled or failed import leaves the database exactly as it was."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import DATA, import_job, run_import, table_checksum
from wellprod_tui import importing, storage
from wellprod_tui.importing.sample import write_sample


@pytest.fixture(scope="module")
def big_ndjson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(200_000, tmp_path_factory.mktemp("big") / "big.ndjson", "ndjson")


@pytest.mark.parametrize("phase", ["read", "validate", "merge"])
def test_cancelling_an_import_leaves_the_database_unchanged(
    phase: str, big_ndjson: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    before = table_checksum(con)
    seen: list[str] = []
    job: importing.ImportJob

    def on_progress(progress: importing.ImportProgress) -> None:
        seen.append(progress.phase)
        if progress.phase == phase:
            threading.Thread(target=job.cancel).start()

    job = import_job(con, big_ndjson, rejects_dir, on_progress)
    with pytest.raises(importing.ImportCancelled, match="database is unchanged"):
        job.run()
    assert phase in seen
    assert table_checksum(con) == before
    status = con.execute("SELECT status FROM imports ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert status == "cancelled"


def test_a_malformed_line_fails_the_import_naming_the_file_and_line(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    run_import(con, DATA / "volve_monthly.json", rejects_dir)
    before = table_checksum(con)
    good = (DATA / "volve_monthly.json").read_text().split("[", 1)[1].split("}, {")[0] + "}"
    path = tmp_path / "broken.ndjson"
    path.write_text(good.strip() + "\n" + good.strip().replace(",", ",,", 1) + "\n" + good.strip() + "\n")
    with pytest.raises(importing.ImportFailed) as failure:
        run_import(con, path, rejects_dir)
    message = str(failure.value)
    assert str(path) in message and "line 2" in message
    assert table_checksum(con) == before


def test_a_truncated_api_response_fails_cleanly(tmp_path: Path, con: storage.Connection, rejects_dir: Path) -> None:
    text = (DATA / "volve_monthly.json").read_text()
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(importing.ImportFailed, match="truncated"):
        run_import(con, path, rejects_dir)
    assert table_checksum(con) == (0, 0)


def test_progress_only_rises_and_shows_100_only_once_committed(
    big_ndjson: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    seen: list[tuple[str, float, int]] = []

    def on_progress(progress: importing.ImportProgress) -> None:
        other = con.cursor()  # another connection: it sees only committed rows
        try:
            (visible,) = other.execute("SELECT count(*) FROM production").fetchone()
        finally:
            other.close()
        seen.append((progress.phase, progress.fraction, visible))

    import_job(con, big_ndjson, rejects_dir, on_progress).run()

    fractions = [fraction for _, fraction, _ in seen]
    assert fractions == sorted(fractions), "the progress went backwards"
    assert [phase for phase, fraction, _ in seen if fraction >= 1.0] == ["committed"]
    with big_ndjson.open("rb") as handle:
        in_file = sum(1 for line in handle if line.strip())  # counted from the file, not the generator's cut
    assert seen[-1] == ("committed", 1.0, in_file)
    assert all(visible == 0 for phase, _, visible in seen if phase != "committed")
    assert "committing" in [phase for phase, _, _ in seen]


def test_a_feed_deleted_during_its_import_fails_it_clearly(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes((DATA / "volve_monthly.json").read_bytes())
    path = tmp_path / "rotated.json"
    feed.rename(path)
    before = table_checksum(con)

    def on_progress(progress: importing.ImportProgress) -> None:
        if progress.phase == "merge" and path.exists():
            path.unlink()  # log rotation takes the feed away while it is being imported

    with pytest.raises(importing.ImportFailed, match="No such file") as failure:
        import_job(con, path, rejects_dir, on_progress).run()
    assert str(path) in str(failure.value) and "nothing imported" in str(failure.value)
    assert table_checksum(con) == before
