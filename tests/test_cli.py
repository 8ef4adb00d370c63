"""The wellprod command: exit codes, JSON, messages (in-process), and locks (a real second process)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.helpers.cli import Cli, Result, run_cli
from tests.helpers.holder import database_held

IMPORT_KEYS = {"file", "format", "records", "inserted", "updated", "unchanged", "rejected", "warnings",
               "rejects_file", "seconds", "status"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.duckdb"


@pytest.fixture
def wellprod(db: Path):  # noqa: ANN201
    def run(*args: str) -> Result:
        return run_cli(*args, db=db)
    return run


def test_import_without_a_path_imports_the_bundled_sample_then_stats(wellprod) -> None:  # noqa: ANN001
    done = wellprod("import", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert set(summary) >= IMPORT_KEYS
    assert (summary["format"], summary["inserted"], summary["status"]) == ("json", 4200, "completed")
    stats = json.loads(wellprod("stats", "--json").stdout)
    assert {"records", "wells", "fields", "first_period", "last_period"} <= set(stats)
    assert (stats["records"], stats["wells"]) == (4200, 43)
    again = json.loads(wellprod("import", "--json").stdout)
    assert (again["inserted"], again["unchanged"]) == (0, 4200)


def test_one_json_object_per_file_and_exit_1_when_one_fails(wellprod, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.json"
    bad.write_text('{"records": []}')
    done = wellprod("import", "--json", str(DATA / "volve_monthly.csv"), str(bad))
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["completed", "failed"]
    assert "bad.json" in done.stderr and '"data"' in done.stderr
    assert "Traceback" not in done.stderr


def test_rejected_rows_still_commit_but_strict_imports_nothing(wellprod, tmp_path: Path) -> None:  # noqa: ANN001
    text = (DATA / "volve_monthly.csv").read_text().splitlines()
    path = tmp_path / "some-bad.csv"
    path.write_text("\n".join([*text[:5], text[5].replace(",2014-", ",2014-13-"), *text[6:]]) + "\n")
    strict = wellprod("import", "--strict", str(path))
    assert strict.returncode == 1 and "--strict" in strict.stderr
    assert json.loads(wellprod("stats", "--json").stdout)["records"] == 0
    done = wellprod("import", str(path))
    assert done.returncode == 0
    assert "rejected 1" in done.stdout and "not a month" in done.stdout and "rejects.csv" in done.stdout


def test_well_field_search_and_export(wellprod, tmp_path: Path) -> None:  # noqa: ANN001
    wellprod("import")
    well = json.loads(wellprod("well", "59806", "--json").stdout)
    assert well["field_code"] == 8908 and len(well["history"]) == well["months"]
    field = json.loads(wellprod("field", "8908", "--json").stdout)
    assert field["wells"] == len(field["well_list"]) >= 5 and field["monthly"]
    text = wellprod("well", "59806").stdout
    assert "ÆSIR 1H" in text and "cum_oil_kbbl" in text
    found = wellprod("search", "ÆSIR 1")
    assert "59806" in found.stdout
    assert wellprod("search", "no-such-thing").returncode == 1
    out = wellprod("export", "--well", "59806", "-o", "-")
    assert out.returncode == 0 and out.stdout.count("\n") == well["months"] + 1
    made = wellprod("export", "--field", "8908", "--monthly", "-o", str(tmp_path))
    assert made.returncode == 0 and "field-8908-monthly-" in made.stdout
    assert wellprod("well", "1").returncode == 1


def test_usage_errors_exit_2(wellprod) -> None:  # noqa: ANN001
    assert wellprod("frobnicate").returncode == 2
    assert wellprod("well", "abc").returncode == 2
    assert wellprod("export", "--monthly").returncode == 2
    version = wellprod("--version")
    assert version.returncode == 0 and version.stdout.startswith("wellprod ")


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database read-write."""
    with database_held(db) as proc:
        yield proc


def test_a_database_held_by_another_process_exits_3_naming_it(
    holder: subprocess.Popen[str], db: Path, isolated_user_dirs: Path
) -> None:
    wellprod = Cli(isolated_user_dirs, db).run  # a real process: the lock is between processes
    for args in (("stats",), ("import",), ("well", "59806")):
        started = time.monotonic()
        done = wellprod(*args, "--wait", "0", timeout=30)
        assert done.returncode == 3, (args, done.stderr)
        assert f"process {holder.pid}" in done.stderr and "--db" in done.stderr
        assert "waiting" not in done.stderr
        assert time.monotonic() - started < 20
    doctor = wellprod("doctor", "--wait", "0")
    assert doctor.returncode == 3 and f"PID {holder.pid}" in doctor.stdout


def test_doctor_config_and_logs(wellprod, isolated_user_dirs: Path) -> None:  # noqa: ANN001
    wellprod("import")
    doctor = wellprod("doctor", "--json")
    assert doctor.returncode == 0 and json.loads(doctor.stdout)["status"] == "healthy"
    shown = wellprod("config").stdout
    assert "[paths]" in shown and "log file:" in shown
    assert wellprod("config", "--init").returncode == 0
    again = wellprod("config", "--init")
    assert again.returncode == 1 and "--force" in again.stderr
    log = next((isolated_user_dirs / "state").rglob("wellprod.log"))
    assert "imported" in log.read_text()


def test_a_corrupt_database_is_reported_and_left_alone(wellprod, db: Path) -> None:  # noqa: ANN001
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    done = wellprod("stats")
    assert done.returncode == 1 and "--db" in done.stderr and "Traceback" not in done.stderr
    assert db.read_bytes() == before


def test_every_row_rejected_exits_1_and_strict_json_still_says_why(wellprod, tmp_path: Path) -> None:  # noqa: ANN001
    lines = (DATA / "volve_monthly.csv").read_text().splitlines()
    bad = [lines[0]] + [line.replace(",2014-", ",2014-13-", 1) for line in lines[1:4]]
    one, two = tmp_path / "a" / "prod.csv", tmp_path / "b" / "prod.csv"
    for path in (one, two):
        path.parent.mkdir()
        path.write_text("\n".join(bad) + "\n")
    done = [wellprod("import", "--json", str(path)) for path in (one, two)]  # two paths at once are one import
    assert [d.returncode for d in done] == [1, 1]
    first, second = (json.loads(d.stdout) for d in done)
    assert first["rejected"] == second["rejected"] == 3 and first["inserted"] == 0
    assert first["rejects_file"] != second["rejects_file"]  # same name, same second: two files
    assert all(Path(s["rejects_file"]).read_text().count("\n") == 4 for s in (first, second))
    strict = json.loads(wellprod("import", "--json", "--strict", str(one)).stdout)
    assert (strict["status"], strict["rejected"]) == ("failed", 3) and strict["rejects_file"]


def test_a_read_command_on_a_missing_database_says_so_and_creates_nothing(
    wellprod, db: Path  # noqa: ANN001
) -> None:
    done = wellprod("stats")
    assert done.returncode == 1 and "no database there yet" in done.stderr
    assert not db.exists()


def test_a_database_missing_a_summary_table_is_completed_on_first_read(wellprod, db: Path) -> None:  # noqa: ANN001
    wellprod("import")
    import duckdb

    with duckdb.connect(str(db)) as con:  # as a database made before field_wells existed
        con.execute("DROP TABLE field_wells")
    done = wellprod("field", "8908", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["wells"] >= 5


def test_search_says_when_it_shows_only_part_of_the_matches(wellprod, tmp_path: Path) -> None:  # noqa: ANN001
    rows = [f"7,ALPHA FIELD,{900 + i},,ALPHA-{i},2021-03,31,1.0,0.1,1.0,0.2,,," for i in range(60)]
    header = "field_code,field_name,well_code,well_reference,well_name,production_period,days_on_production,"
    header += "oil_production_kbd,gas_production_mmcfd,liquids_production_kbd,water_production_kbd,"
    header += "data_source,source_data,partition_0"
    wells = tmp_path / "sixty.csv"
    wells.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert wellprod("import", str(wells)).returncode == 0

    some = wellprod("search", "alpha")
    found = json.loads(wellprod("search", "alpha", "--json").stdout)

    assert "Wells (showing 50 of 60)" in some.stdout
    assert (len(found["wells"]), found["wells_total"]) == (50, 60)
    assert "showing" not in wellprod("search", "ALPHA-5").stdout  # ALPHA-5, ALPHA-50..59: all 11 shown


def test_a_well_s_exported_days_are_whole_numbers_where_whole_and_keep_their_fraction(
    wellprod, tmp_path: Path  # noqa: ANN001
) -> None:
    header = ("field_code,field_name,well_code,well_reference,well_name,production_period,days_on_production,"
              "oil_production_kbd,gas_production_mmcfd,liquids_production_kbd,water_production_kbd,"
              "data_source,source_data,partition_0")
    rows = ["1,F,7,R,W,2020-01,31,1,1,1,0,s,s,p", "1,F,7,R,W,2020-02,14.5,1,1,1,0,s,s,p"]
    source = tmp_path / "days.csv"
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert wellprod("import", str(source)).returncode == 0
    out = wellprod("export", "--well", "7", "-o", "-")
    days = [line.split(",")[2] for line in out.stdout.splitlines()[1:]]
    assert days == ["31", "14.5"]
    assert [m["days"] for m in json.loads(wellprod("well", "7", "--json").stdout)["history"]] == [31, 14.5]


def test_every_command_s_help_reads_as_written(wellprod) -> None:  # noqa: ANN001
    commands = ["import", "export", "stats", "well", "field", "search", "decline", "doctor", "profiles", "sample",
                "config"]
    for command in commands:
        shown = wellprod(command, "--help")
        assert shown.returncode == 0, command
        assert "%%" not in shown.stdout and "%(" not in shown.stdout, command
    assert "(0.8 = 80 %/yr)" in " ".join(wellprod("decline", "--help").stdout.split())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("command", [("doctor",), ("stats",)])
def test_a_signal_while_waiting_for_the_database_stops_with_one_line(
    isolated_user_dirs: Path, db: Path, holder, command: tuple[str, ...], signum: int  # noqa: ANN001
) -> None:
    waiting = Cli(isolated_user_dirs, db).start(*command, "--wait", "60")
    assert waiting.stderr is not None and "waiting for" in waiting.stderr.readline()
    waiting.send_signal(signum)
    out, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 130, (out, err)
    assert "Traceback" not in err and ("stopped by" in err or "interrupted" in err)
    assert "nothing was changed" in err
    assert err.count("\n") <= 1


@pytest.mark.parametrize("command", [("well", "42"), ("export", "-o", "-"), ("changes", "--well", "42")])
def test_a_reader_that_leaves_early_ends_the_command_quietly(
    isolated_user_dirs: Path, db: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    header = ("field_code,field_name,well_code,well_reference,well_name,production_period,days_on_production,"
              "oil_production_kbd,gas_production_mmcfd,liquids_production_kbd,water_production_kbd")
    months = [f"1,F,42,R,W,{1900 + i // 12}-{i % 12 + 1:02d},28,1.5,2.5,1.6,0.5" for i in range(1200)]
    long = tmp_path / "long.csv"
    long.write_text("\n".join([header, *months]) + "\n")
    assert run_cli("import", str(long), db=db).code == 0
    revised = tmp_path / "revised.csv"
    revised.write_text("\n".join([header, *(m.replace(",1.5,", ",1.75,") for m in months)]) + "\n")
    assert run_cli("import", str(revised), db=db).code == 0
    cli = Cli(isolated_user_dirs, db)
    command_process = cli.start(*command)
    assert command_process.stdout is not None and command_process.stdout.readline()  # `| head -1`
    command_process.stdout.close()
    _, err = command_process.communicate(timeout=60)
    assert command_process.returncode == 0, err
    assert err == ""
