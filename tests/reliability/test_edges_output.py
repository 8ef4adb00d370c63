"""The edges of what wellprod writes and shows (issue 13): exports onto links, pipes and devices, interrupted
exports, round trips, escapes in data, formula cells in rejects files, huge rates, a deleted or read-only
database. Each test drives the real ``wellprod`` and checks what a user sees.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from wellprod_tui.importing.sample import write_sample
from wellprod_tui.storage import schema

from .support import Cli, assert_no_traceback, phase_of, run_on_terminal

VOLVE_CSV = Path(__file__).resolve().parent.parent / "data" / "volve_monthly.csv"


def write_json(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def record(well: int, month: str, **values: object) -> dict:
    return {"well_code": well, "production_period": month, "days_on_production": 28, **values}


# ---- 4. exports onto links, FIFOs and devices --------------------------------------------------


def test_export_through_a_symlink_replaces_the_file_it_points_to(populated: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)

    result = populated.run("export", "-o", str(link), "--force")

    assert result.code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text().startswith("field_code,")


def test_export_to_a_fifo_writes_into_it(populated: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "feed.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()

    result = populated.run("export", "-o", str(fifo))

    reader.join(timeout=30)
    assert result.code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].count(b"\n") == 2_001


@pytest.mark.skipif(os.geteuid() != 0, reason="only root could replace /dev/null")
def test_export_onto_dev_null_never_replaces_the_device(populated: Cli) -> None:
    result = populated.run("export", "-o", "/dev/null", "--force")

    assert result.code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# ---- 6. round trip ------------------------------------------------------------------------------

TRICKY_NAMES = ["-", "=1+1", "+ZONE", "@home", "'=already quoted", "''@two", "", "-5", "'plain", "\tTAB"]


def test_an_export_imports_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    rows = [record(i + 1, "2020-01", well_name=name, oil_production_kbd=1.25) for i, name in enumerate(TRICKY_NAMES)]
    assert cli.run("import", str(write_json(tmp_path / "in.json", rows))).code == 0
    exported = tmp_path / "out.csv"
    assert cli.run("export", "-o", str(exported)).code == 0

    again = cli.run("import", "--json", str(exported))
    other = tmp_path / "other.duckdb"
    fresh = cli.run("import", str(exported), db=other)

    assert again.code == 0 and fresh.code == 0, again.output + fresh.output
    summary = json.loads(again.stdout)
    assert (summary["unchanged"], summary["updated"], summary["inserted"]) == (len(rows), 0, 0)
    names = dict(
        duckdb.connect(str(other), read_only=True).execute("SELECT well_code, well_name FROM production").fetchall()
    )
    assert [names[i + 1] for i in range(len(rows))] == TRICKY_NAMES


def test_a_nul_in_a_name_is_rejected_with_its_reason(cli: Cli, tmp_path: Path) -> None:
    source = write_json(tmp_path / "nul.json", [record(1, "2020-01", well_name="a\u0000b")])

    result = cli.run("import", "--json", str(source))

    reject = json.loads(result.stdout)["first_rejects"][0]
    assert (reject["field"], reject["reason"]) == ("well_name", "holds a NUL character (no CSV reader keeps it)")


# ---- 7. the database file deleted during an import ----------------------------------------------


def test_a_database_deleted_during_an_import_is_said_not_imported(populated: Cli, tmp_path: Path) -> None:
    source = write_sample(300_000, tmp_path / "medium.ndjson", "ndjson")

    def delete_once(line: str) -> bool:
        if phase_of(line) != "read":
            return False
        populated.db.unlink()
        return True

    run = run_on_terminal(populated.argv("import", str(source)), populated.env, 0, delete_once)

    assert run.signalled_at is not None, run.lines[-5:]
    assert run.code == 1, run.terminal
    assert "the database file was deleted or replaced while wellprod had it open" in run.terminal
    assert "gone" in run.terminal
    assert not populated.db.exists()


# ---- 8. terminal escapes in data: test_hostile_text.py ----------------------------------------


# ---- 9. formula cells in the rejects file -------------------------------------------------------


def test_every_cell_of_the_rejects_file_is_formula_safe(cli: Cli, tmp_path: Path) -> None:
    lines = VOLVE_CSV.read_text().splitlines()
    cells = lines[1].split(",")
    cells[2], cells[4], cells[5] = "=HYPERLINK(x)", "@SUM(1)", "+cmd|calc"
    source = tmp_path / "formulas.csv"
    source.write_text("\n".join([lines[0], ",".join(cells)]) + "\n")

    result = cli.run("import", "--json", str(source))

    rejects = Path(json.loads(result.stdout)["rejects_file"])
    with rejects.open(newline="") as handle:
        values = [value for row in csv.reader(handle) for value in row]
    assert "'=HYPERLINK(x)" in values and "'@SUM(1)" in values and "'+cmd|calc" in values
    assert not [v for v in values if v[:1] in ("=", "+", "@") or (v[:1] == "-" and not v[1:2].isdigit())]


# ---- 10. huge rates -----------------------------------------------------------------------------


def test_a_rate_beyond_any_well_is_rejected_with_its_bound(cli: Cli, tmp_path: Path) -> None:
    source = write_json(tmp_path / "huge.json", [record(1, "2020-01", oil_production_kbd=1e308)])

    result = cli.run("import", "--json", str(source))

    reject = json.loads(result.stdout)["first_rejects"][0]
    assert reject["field"] == "oil_production_kbd"
    assert "beyond 10,000 kbd" in reject["reason"] and "max_rate_kbd" in reject["reason"]


def test_huge_rates_already_stored_keep_every_command_alive(populated: Cli) -> None:
    con = duckdb.connect(str(populated.db))
    well, field = con.execute("SELECT well_code, field_code FROM production LIMIT 1").fetchone()
    con.execute("UPDATE production SET oil_production_kbd = 1e308 WHERE well_code = ?", [well])
    con.execute("BEGIN")
    schema.refresh_derived_tables(con)
    con.execute("COMMIT")
    con.close()

    results = [populated.run(*args) for args in (["stats"], ["well", str(well)], ["field", str(field)])]
    as_json = populated.run("stats", "--json")

    for result in [*results, as_json]:
        assert result.code == 0, result.output
        assert_no_traceback(result)
    assert json.loads(as_json.stdout)["records"] == 2_000  # strict JSON: no Infinity


# ---- 11. interrupted exports --------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 600,000 records: an export of it takes long enough to interrupt."""
    home = tmp_path_factory.mktemp("big-export")
    runner = Cli(home)
    source = write_sample(600_000, home / "big.ndjson", "ndjson")
    assert runner.run("import", str(source), timeout=300).code == 0
    source.unlink()
    return runner.db


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("wellprod-export-")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
@pytest.mark.parametrize("to_stdout", [False, True], ids=["file", "stdout"])
def test_an_interrupted_export_leaves_nothing_and_exits_130(
    cli: Cli, big_db: Path, tmp_path: Path, signum: int, to_stdout: bool
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    watched = Path(cli.env["TMPDIR"]) if to_stdout else out
    target = "-" if to_stdout else str(out / "all.csv")
    proc = subprocess.Popen(
        [*cli.argv("export", "-o", target, db=big_db)],
        env=cli.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not _temp_files(watched) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until the export's temporary file exists
    assert proc.poll() is None, "the export ended before it could be interrupted"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)

    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == [
        "wellprod: export interrupted; " + ("standard output got part of it" if to_stdout else "no file written")
    ]
    assert _temp_files(watched) == [] and list(out.iterdir()) == []


# ---- 14. read commands never write --------------------------------------------------------------


def test_an_older_database_on_a_read_only_mount_is_read(populated: Cli, tiny_mount) -> None:
    con = duckdb.connect(str(populated.db))
    for name in schema.DERIVED_TABLES:  # as a version before the summary tables made it
        con.execute(f"DROP TABLE IF EXISTS {name}")
    con.close()
    mount = tiny_mount("size=64m")
    db = mount / "old.duckdb"
    db.write_bytes(populated.db.read_bytes())
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remounted.stderr.decode().strip()}")

    procs = [
        subprocess.Popen(
            populated.argv("stats", "--json", db=db),
            env=populated.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    doctor = populated.run("doctor", "--json", db=db)

    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    assert all(json.loads(out)["records"] == 2_000 for out, _ in outputs)
    assert json.loads(doctor.stdout)["status"] == "healthy", doctor.output


def test_an_export_into_a_fifo_nobody_reads_still_stops_on_a_signal(populated: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "nobody-reads"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        populated.argv("export", "-o", str(fifo), "--force"), env=populated.env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1.0)  # it is now blocked opening the FIFO, which no reader will ever open: nothing to await
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)

    assert proc.returncode == 130, stderr
    assert "export interrupted" in stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the FIFO, never replaced
