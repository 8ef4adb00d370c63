"""The edges of an import (issue 13): where DuckDB and the OS were trusted without checks.

Each test drives the real ``wellprod`` on real files and checks what a user sees: every line accounted for or
the file refused whole, nothing lost from a pipe, months that do not follow the machine's time zone, a clear
message naming the file, line or field, and the right exit code.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.helpers.cli import Cli, assert_no_traceback
from wellprod_tui.importing import sources
from wellprod_tui.importing.sample import write_sample

from .support import db_state, phase_of, run_on_terminal

VOLVE_CSV = Path(__file__).resolve().parent.parent / "data" / "volve_monthly.csv"


def volve_lines() -> list[str]:
    """The Volve CSV's header and rows (526 records)."""
    return VOLVE_CSV.read_text(encoding="utf-8").splitlines()


def records(db: Path, where: str = "TRUE") -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            f"SELECT * EXCLUDE (created_at, updated_at) FROM production WHERE {where} ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def medium_ndjson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150,000 records (about 70 MB): an import long enough to show its reading before it ends."""
    return write_sample(150_000, tmp_path_factory.mktemp("medium") / "medium.ndjson", "ndjson")


# ---- 1. an unterminated quote -------------------------------------------------------------------


def test_an_unclosed_quote_fails_the_whole_file_naming_its_line(cli: Cli, tmp_path: Path) -> None:
    lines = volve_lines()
    cells = lines[11].split(",")
    cells[4] = '"open'
    lines[11] = ",".join(cells)
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = cli.run("import", str(broken))

    assert result.code == 1, result.output
    assert f"{broken}: line 12, field well_name: a quote opens here and is never closed" in result.stderr
    assert "Nothing imported" in result.stderr
    assert_no_traceback(result)
    assert not cli.db.exists() or db_state(cli.db)["records"] == 0


# ---- 2. time zones ------------------------------------------------------------------------------


def test_parquet_zoned_timestamps_give_utc_months_whatever_tz_says(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "zoned.parquet"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"""COPY (SELECT * FROM (VALUES (1, TIMESTAMPTZ '2021-02-01 00:00:00+00', 1.0),
                                       (1, TIMESTAMPTZ '2021-03-01 00:00:00+00', 2.0))
                 t(well_code, production_period, oil_production_kbd)) TO '{source}' (FORMAT parquet)"""
    )
    con.close()

    result = cli.run("import", str(source), env={**cli.env, "TZ": "America/Denver"})

    assert result.code == 0, result.output
    months = {(str(r[5])[:7], r[7]) for r in records(cli.db)}
    assert months == {("2021-02", 1.0), ("2021-03", 2.0)}


# ---- 3. pipes -----------------------------------------------------------------------------------


def test_a_pipe_is_imported_whole(cli: Cli, tmp_path: Path) -> None:
    source = write_sample(3_000, tmp_path / "piped.csv", "csv")
    body = source.read_bytes()
    assert len(body) > 128 * 1024  # more than detection reads

    done = subprocess.run(cli.argv("import", "/dev/stdin"), input=body, env=cli.env, capture_output=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert "3,000 records" in done.stdout.decode()
    assert db_state(cli.db)["records"] == 3_000


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_fifo_that_never_gets_data_does_not_hang_the_import(cli: Cli, tmp_path: Path, signum: int) -> None:
    fifo = tmp_path / "waiting.csv"
    os.mkfifo(fifo)
    proc = subprocess.Popen(cli.argv("import", str(fifo)), env=cli.env, stderr=subprocess.PIPE, text=True)
    writer = -1
    deadline = time.monotonic() + 30
    while writer < 0 and time.monotonic() < deadline and proc.poll() is None:
        try:  # succeeds once the import has the FIFO open for reading
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.05)
    try:
        assert writer >= 0, "the import never opened the FIFO"
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=30)
    finally:
        if writer >= 0:
            os.close(writer)
        if proc.poll() is None:
            proc.kill()

    assert proc.returncode == 130, stderr
    assert "import interrupted; the database is unchanged" in stderr
    assert "Traceback" not in stderr


def test_looking_at_a_fifo_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "typed-in-the-app.json"
    os.mkfifo(fifo)
    said: list[str] = []

    def look() -> None:
        try:
            sources.detect(fifo)
        except sources.SourceError as exc:
            said.append(str(exc))

    looker = threading.Thread(target=look, daemon=True)
    looker.start()
    looker.join(timeout=10)

    assert not looker.is_alive(), "detect() waited for a writer"
    assert said and "a pipe or device" in said[0]


# ---- 5. a file that changes while it is read ----------------------------------------------------


def test_a_file_that_grows_during_the_import_is_refused(populated: Cli, medium_ndjson: Path, tmp_path: Path) -> None:
    growing = tmp_path / "growing.ndjson"
    growing.write_bytes(medium_ndjson.read_bytes())
    before = db_state(populated.db)

    def append_once(line: str) -> bool:
        if phase_of(line) != "read":
            return False
        with growing.open("ab") as out:
            out.write(b'{"well_code": 1, "production_period": "2001-01"}\n')
        return True

    run = run_on_terminal(populated.argv("import", str(growing)), populated.env, 0, append_once)

    assert run.signalled_at is not None, run.lines[-5:]
    assert run.code == 1, run.terminal
    assert "the file changed while it was being imported" in run.terminal
    assert db_state(populated.db) == before


# ---- 12. valid JSON documents -------------------------------------------------------------------


def _records_json(n: int = 4) -> list[dict]:
    return [
        {"well_code": w, "production_period": f"2020-0{m}", "days_on_production": 28, "oil_production_kbd": 1.5}
        for w in (1, 2)
        for m in range(1, n // 2 + 1)
    ]


@pytest.mark.parametrize(
    "document",
    [
        {"data": _records_json(), "errors": []},
        {"data": _records_json(), "links": [{"rel": "next", "href": "?page=2"}]},
        {"k" * 2_000_000: 1, "data": _records_json()},
    ],
    ids=["errors-after", "links-after", "2MB-key-before"],
)
def test_any_json_document_whose_data_is_the_records_imports(cli: Cli, tmp_path: Path, document: dict) -> None:
    source = tmp_path / "response.json"
    source.write_text(json.dumps(document), encoding="utf-8")

    result = cli.run("import", "--json", str(source))

    assert result.code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["records"], summary["inserted"], summary["rejected"]) == (4, 4, 0)


# ---- 13. clear errors instead of unexpected ones ------------------------------------------------


def test_a_deeply_nested_value_is_no_unexpected_error(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "deep.json"
    nested = "[" * 100_000 + "]" * 100_000
    source.write_text(f'[{{"well_code": 1, "production_period": "2020-01", "extra": {nested}}}]', encoding="utf-8")

    result = cli.run("import", str(source))

    assert "unexpected error" not in result.stderr, result.stderr
    assert_no_traceback(result)
    assert result.code in (0, 1)


def test_carriage_return_line_ends_are_named(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "old-mac.csv"
    source.write_bytes("\r".join(volve_lines()[:20]).encode() + b"\r")

    result = cli.run("import", str(source))

    assert result.code == 1
    assert f"{source}: lines end with a carriage return only" in result.stderr
    assert_no_traceback(result)


def test_a_huge_thread_count_in_the_config_is_refused_with_its_line(cli: Cli, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[import]\nthreads = 100000\n", encoding="utf-8")

    result = cli.run("--config", str(cfg), "import", str(VOLVE_CSV), timeout=30)

    assert result.code == 1
    assert f"{cfg}, line 2: 'import.threads' must be at most 1024, not 100000" in result.stderr


def test_a_full_rejects_folder_is_named_not_the_database(populated: Cli, tmp_path: Path, tiny_mount) -> None:
    full = tiny_mount("size=64k")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[paths]\nrejects_dir = "{full}"\n', encoding="utf-8")
    lines = volve_lines()
    bad = tmp_path / "many-bad.csv"
    bad.write_text("\n".join([lines[0]] + [line.replace(",2014-", ",1014-") for line in lines[1:]] * 4) + "\n")
    before = db_state(populated.db)

    result = populated.run("--config", str(cfg), "import", str(bad))

    assert result.code == 1, result.output
    assert f"{full}: the rejects folder is full" in result.stderr
    assert str(populated.db) not in result.stderr
    assert db_state(populated.db) == before
    assert_no_traceback(result)


def test_a_full_temporary_folder_is_named(cli: Cli, tiny_mount) -> None:
    full = tiny_mount("size=64k")
    body = ("\n".join(volve_lines()) + "\n").encode()

    done = subprocess.run(
        cli.argv("import", "/dev/stdin"),
        input=body,
        env={**cli.env, "TMPDIR": str(full)},
        capture_output=True,
        timeout=60,
    )

    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert f"{full}: the temporary folder is full" in stderr
    assert "Traceback" not in stderr


# ---- 15. small things ---------------------------------------------------------------------------


def test_numbers_with_underscores_are_rejected(cli: Cli, tmp_path: Path) -> None:
    lines = volve_lines()
    source = tmp_path / "underscore.csv"
    source.write_text("\n".join([lines[0], lines[1].replace(",9,", ",1_0,")]) + "\n", encoding="utf-8")

    result = cli.run("import", "--json", str(source))

    summary = json.loads(result.stdout)
    assert (summary["inserted"], summary["rejected"]) == (0, 1)
    assert summary["first_rejects"][0]["field"] == "days_on_production"
    assert summary["first_rejects"][0]["value"] == "1_0"


def test_minus_zero_is_the_same_code_as_text_or_number(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "zero.ndjson"
    source.write_text(
        '{"well_code": -0, "production_period": "2020-01"}\n{"well_code": "-0", "production_period": "2020-02"}\n'
    )

    result = cli.run("import", "--json", str(source))

    assert json.loads(result.stdout)["inserted"] == 2, result.output
    assert {r[2] for r in records(cli.db)} == {0}


def test_utf16_is_called_utf16(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_text("\n".join(volve_lines()[:5]) + "\n", encoding="utf-16")

    result = cli.run("import", str(source))

    assert result.code == 1
    assert f"{source}: UTF-16 text; save it as UTF-8" in result.stderr


def test_a_repeated_header_column_refuses_the_file(cli: Cli, tmp_path: Path) -> None:
    lines = volve_lines()
    source = tmp_path / "twice.csv"
    source.write_text("\n".join([lines[0].replace("well_name", "well_code")] + lines[1:5]) + "\n")

    result = cli.run("import", str(source))

    assert result.code == 1
    assert f"{source}: line 1: the header names well_code more than once" in result.stderr
