"""Many files as one import: a folder, a zip or several paths give one transaction, one summary, one log entry."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DATA, import_job, run_import, table_checksum
from tests.helpers.cli import run_cli
from wellprod_tui import importing, storage
from wellprod_tui.importing.sample import write_sample

WELD = DATA / "ecmc_weld_slice.csv"


def split_per_wellbore(source: Path, folder: Path) -> list[Path]:
    """One CSV per wellbore (API county, sequence, sidetrack), each with the header: as Colorado ships them."""
    header, *rows = source.read_text().splitlines(keepends=True)
    wellbores: dict[str, list[str]] = {}
    for row in rows:
        cells = next(csv.reader(io.StringIO(row)))
        wellbores.setdefault("-".join(cells[4:7]), []).append(row)
    folder.mkdir()
    for name, lines in wellbores.items():
        (folder / f"{name}.csv").write_text(header + "".join(lines))
    return sorted(folder.iterdir())


def totals(con: storage.Connection) -> tuple[object, ...]:
    return con.execute(
        "SELECT count(*), count(DISTINCT well_code), round(sum(oil_production_kbd), 9), "
        "round(sum(gas_production_mmcfd), 9), round(sum(water_production_kbd), 9) FROM production"
    ).fetchone()


def test_a_folder_of_per_well_files_imports_like_the_one_file(tmp_path: Path, rejects_dir: Path) -> None:
    files = split_per_wellbore(WELD, tmp_path / "weld")
    assert len(files) == 4
    found = {}
    for name, source in (("one", WELD), ("folder", tmp_path / "weld")):
        db = tmp_path / f"{name}.duckdb"
        with storage.opened(db) as con:
            summary = run_import(con, source, rejects_dir)
            found[name] = (summary.records, summary.inserted, summary.duplicates_merged, totals(con))
        found[name] += (db.stat().st_size,)
    assert found["folder"] == found["one"]
    assert found["one"][0] == 643


def test_one_log_entry_names_each_file_with_its_size_and_checksum(tmp_path: Path, con: storage.Connection,
                                                                  rejects_dir: Path) -> None:
    files = split_per_wellbore(WELD, tmp_path / "weld")
    summary = run_import(con, tmp_path / "weld", rejects_dir)
    logged = con.execute("SELECT file, size_bytes, files FROM imports").fetchall()
    assert len(logged) == 1
    file, size, listed = logged[0]
    assert file == str(tmp_path / "weld") and size == sum(p.stat().st_size for p in files)
    entries = json.loads(listed)
    assert [e["name"] for e in entries] == [p.name for p in files]
    assert [e["sha256"] for e in entries] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]
    assert [e["size_bytes"] for e in entries] == [p.stat().st_size for p in files]
    assert summary.files == entries


def test_a_zip_of_the_files_imports_as_the_folder_does(tmp_path: Path, con: storage.Connection,
                                                       rejects_dir: Path) -> None:
    files = split_per_wellbore(WELD, tmp_path / "weld")
    archive = tmp_path / "weld.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in files:
            zipped.write(path, f"weld/{path.name}")
        zipped.writestr("weld/notes.md", "not data")  # left alone: not a data file
        zipped.writestr("__MACOSX/weld/._x.csv", "a resource fork")  # left alone: hidden
    summary = run_import(con, archive, rejects_dir)
    assert (summary.records, summary.inserted) == (643, 266)
    assert [f["name"] for f in summary.files] == [f"weld/{p.name}" for p in files]
    again = run_import(con, archive, rejects_dir)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 266)


def test_a_bad_row_in_the_third_file_is_named_by_its_file_and_line(tmp_path: Path, con: storage.Connection,
                                                                   rejects_dir: Path) -> None:
    files = split_per_wellbore(WELD, tmp_path / "weld")
    third = files[2]
    lines = third.read_text().splitlines(keepends=True)
    cells = lines[2].split(",")
    lines[2] = ",".join([cells[0], "many", *cells[2:]])  # its line 3: days produced not a number
    third.write_text("".join(lines))
    summary = run_import(con, tmp_path / "weld", rejects_dir)
    assert summary.rejected == 1
    (reject,) = summary.first_rejects
    assert (reject["file"], reject["line"], reject["record"]) == (third.name, 3, 2)
    with open(summary.rejects_file or "", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["file"], row["line"], row["record"]) == (third.name, "3", "2")


def test_files_of_another_layout_are_refused_naming_the_file(tmp_path: Path, con: storage.Connection,
                                                             rejects_dir: Path) -> None:
    split_per_wellbore(WELD, tmp_path / "weld")
    (tmp_path / "weld" / "zz-other.csv").write_text((DATA / "volve_monthly.csv").read_text())
    with pytest.raises(importing.ImportFailed, match="zz-other.csv: line 1: its header differs"):
        run_import(con, tmp_path / "weld", rejects_dir)
    assert con.execute("SELECT count(*) FROM production").fetchone() == (0,)


def test_cancelling_an_import_of_many_files_leaves_the_database_unchanged(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    before = table_checksum(con)
    folder = tmp_path / "parts"
    folder.mkdir()
    for part in range(4):
        write_sample(50_000, folder / f"part-{part}.ndjson", "ndjson")
    job: importing.ImportJob

    def on_progress(progress: importing.ImportProgress) -> None:
        if progress.phase == "merge":
            threading.Thread(target=job.cancel).start()

    job = import_job(con, folder, rejects_dir, on_progress)
    with pytest.raises(importing.ImportCancelled, match="database is unchanged"):
        job.run()
    assert table_checksum(con) == before
    assert con.execute("SELECT status FROM imports ORDER BY id DESC LIMIT 1").fetchone() == ("cancelled",)


def test_the_command_gives_one_grand_total_and_each_file_only_when_verbose(tmp_path: Path) -> None:
    files = split_per_wellbore(WELD, tmp_path / "weld")
    db = tmp_path / "cli.duckdb"
    done = run_cli("import", *map(str, files), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("records in") == 1 and "643 records" in done.stdout and "4 files" in done.stdout
    assert "sha256" not in done.stdout
    verbose = run_cli("-v", "import", str(tmp_path / "weld"), db=db)
    assert verbose.returncode == 0, verbose.stderr
    assert all(f"file {p.name}:" in verbose.stdout for p in files)
    listed = json.loads(run_cli("import", "--json", str(tmp_path / "weld"), db=db).stdout)
    assert [f["name"] for f in listed["files"]] == [p.name for p in files] and listed["unchanged"] == 266


def test_a_database_from_before_keeps_its_log_and_gains_the_list_of_files(tmp_path: Path, rejects_dir: Path) -> None:
    db = tmp_path / "old.duckdb"
    with storage.opened(db) as con:
        run_import(con, DATA / "volve_monthly.csv", rejects_dir)
        con.execute("ALTER TABLE imports DROP COLUMN files")  # as a database written before the column was
    split_per_wellbore(WELD, tmp_path / "weld")
    with storage.opened(db) as con:
        run_import(con, tmp_path / "weld", rejects_dir)
        logged = con.execute("SELECT file, files IS NOT NULL FROM imports ORDER BY id").fetchall()
    assert logged == [(str(DATA / "volve_monthly.csv"), False), (str(tmp_path / "weld"), True)]


def test_a_quote_left_open_in_the_second_file_names_that_file_and_line(tmp_path: Path, con: storage.Connection,
                                                                       rejects_dir: Path) -> None:
    header, *rows = (DATA / "volve_monthly.csv").read_text().splitlines(keepends=True)
    folder = tmp_path / "halves"
    folder.mkdir()
    (folder / "a.csv").write_text(header + "".join(rows[:10]))
    second = rows[10:20]
    second[1] = second[1].replace(",", ',"', 1)  # its line 3 opens a quote it never closes
    (folder / "b.csv").write_text(header + "".join(second))
    with pytest.raises(importing.ImportFailed, match=r"halves/b.csv: line 3, field .*never closed"):
        run_import(con, folder, rejects_dir)
