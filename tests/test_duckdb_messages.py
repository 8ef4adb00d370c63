"""DuckDB's own words that wellprod recognises, each produced here with real DuckDB: a DuckDB upgrade that
rewords one fails a test instead of silently changing what users see. (A full disk, ENOSPC, is produced on a
tmpfs by tests/reliability/test_edges.py: test_a_full_rejects_folder_is_named_not_the_database.)"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from wellprod_tui import storage
from wellprod_tui.importing import ImportFailed, read_errors, sources, stages


def _error_of(con: storage.Connection, sql: str) -> str:
    with pytest.raises(storage.Error) as raised:
        con.execute(sql).fetchall()
    return str(raised.value)


def _source(con: storage.Connection, path: Path) -> sources.Source:
    return sources.prepare(sources.detect(path), con, parts=stages.JSON_PARTS)


# ---- reading a file: stages.CONVERSION_ERRORS and read_errors' patterns -------------------------------------


def test_a_word_in_a_json_number_field_is_known_as_a_conversion_so_the_file_is_read_again_as_text(
    tmp_path: Path, con: storage.Connection
) -> None:
    path = tmp_path / "feed.ndjson"
    path.write_text(json.dumps({"well_code": "A", "production_period": "2020-01", "oil_production_kbd": "abc"}))
    text = _error_of(con, f"SELECT * FROM {_source(con, path).reader_sql(fast=True)}")
    assert "Failed to cast" in text and any(words in text for words in stages.CONVERSION_ERRORS)


@pytest.mark.parametrize(
    ("words", "sql"),
    [
        ("Could not convert", "SELECT CAST('abc' AS DOUBLE)"),
        ("Conversion Error", "SELECT CAST('abc' AS DOUBLE)"),
        ("Could not parse", "SELECT strptime('x', '%Y')"),
    ],
)
def test_duckdbs_other_conversion_words_are_still_its_words(con: storage.Connection, words: str, sql: str) -> None:
    assert words in stages.CONVERSION_ERRORS
    assert words in _error_of(con, sql)


def test_a_malformed_ndjson_line_is_located_by_duckdbs_file_byte_and_line(
    tmp_path: Path, con: storage.Connection
) -> None:
    path = tmp_path / "feed.ndjson"
    path.write_text('{"well_code": "A"}\n\n{"well_code": "B",,}\n')
    text = _error_of(con, f"SELECT * FROM {_source(con, path).reader_sql()}")
    assert "JSON" in text and "Invalid Input" in text
    assert read_errors._IN_FILE.search(text).group(1) == str(path)  # type: ignore[union-attr]
    assert read_errors._BYTE_LINE.search(text.splitlines()[0])  # DuckDB's "at byte N in line N"
    assert read_errors.explain_read_error(path, storage.Error(text), _source(con, path)).startswith(
        f"{path} (line 3, record 2, character"
    )


def test_a_malformed_record_in_a_json_api_response_is_named_by_its_place_in_the_data_array(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    record = {"well_code": "A", "production_period": "2020-01", "oil_production_kbd": 1.5}
    records = [json.dumps({**record, "well_code": f"W{i}"}) for i in range(4000)]
    records[2999] = records[2999].replace(', "oil', ',, "oil')
    path = tmp_path / "response.json"
    path.write_text('{"count": 4000, "data": [\n' + ",\n".join(records) + "\n]}")
    part = tmp_path / "part-005.json"  # the name of a streamed part
    part.write_text("[" + records[2999] + "]")
    text = _error_of(con, f"SELECT * FROM read_json('{part}', format='array')")
    named = read_errors._IN_FILE.search(text)
    assert named and read_errors._PART.search(named.group(1)) and read_errors._BYTE_RECORD.search(text)
    told = r"response\.json \(record 3000 of the data array, character \d+\): Malformed JSON: unexpected"
    with pytest.raises(ImportFailed, match=told):
        run_import(con, path, rejects_dir)


def test_a_broken_parquet_file_is_told_as_a_problem_of_the_file_not_of_the_database(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    path = tmp_path / "feed.parquet"
    path.write_bytes(b"PAR1" + b"not parquet " * 8)
    with pytest.raises(ImportFailed, match=r"feed\.parquet: No magic bytes found at end of file 'feed\.parquet'"):
        run_import(con, path, rejects_dir)


def test_a_csv_that_is_not_utf8_is_told_by_duckdbs_csv_words(tmp_path: Path, con: storage.Connection) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"well_code,well_name\n1,caf\xe9\n")
    text = _error_of(con, f"SELECT * FROM read_csv('{path}', header=true, auto_detect=false, "
                          "columns={'a': 'VARCHAR', 'b': 'VARCHAR'}, encoding='utf-8')")
    assert "CSV" in text and "Invalid Input" in text
    assert read_errors.explain_read_error(path, storage.Error(text), None) is not None


# ---- opening the database: storage.translate_error ----------------------------------------------------------


def _database(tmp_path: Path) -> bytes:
    path = tmp_path / "good.duckdb"
    storage.connect(path).close()
    return path.read_bytes()


def _opened(path: Path) -> str:
    """The message wellprod shows for opening ``path``, and DuckDB's words under it."""
    with pytest.raises(storage.StoreError) as raised:
        storage.connect(path).close()
    return f"{raised.value} || {raised.value.__cause__}"


def test_a_file_that_is_not_a_database_is_called_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_bytes(b"not a database" * 400)
    said = _opened(path)
    assert "not a readable wellprod database" in said and "not a valid DuckDB database" in said


def test_a_database_with_a_damaged_header_is_called_unreadable(tmp_path: Path) -> None:
    header = bytearray(_database(tmp_path))
    header[20:24] = b"\xff\xff\xff\xff"
    path = tmp_path / "damaged.duckdb"
    path.write_bytes(header)
    said = _opened(path)
    assert "not a readable wellprod database" in said and "Corrupt" in said and "checksum" in said


def test_a_truncated_database_is_called_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "cut.duckdb"
    path.write_bytes(_database(tmp_path)[:5000])
    said = _opened(path)
    assert "not a readable wellprod database" in said and "Could not read enough bytes" in said


def test_a_database_from_a_newer_duckdb_is_called_unreadable(tmp_path: Path) -> None:
    data = bytearray(_database(tmp_path))
    old_word, = struct.unpack_from("<Q", data, 16)
    data[12:20] = (5000).to_bytes(8, "little")  # the storage version, then DuckDB's header checksum again
    stored, = struct.unpack_from("<Q", data, 0)
    for offset in (8, 16):
        before = old_word if offset == 16 else struct.unpack_from("<Q", _database(tmp_path), 8)[0]
        after, = struct.unpack_from("<Q", data, offset)
        stored ^= (before * 0xBF58476D1CE4E5B9 ^ after * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    struct.pack_into("<Q", data, 0, stored)
    path = tmp_path / "newer.duckdb"
    path.write_bytes(data)
    said = _opened(path)
    assert "not a readable wellprod database" in said and "database file" in said and "version" in said


def test_a_database_held_by_another_process_names_its_pid(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    storage.connect(path).close()
    code = f"import duckdb, sys, time\nc = duckdb.connect({str(path)!r})\nprint('held', flush=True)\ntime.sleep(30)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(storage.DatabaseLocked) as raised:
            storage.connect(path)
        assert raised.value.pid == holder.pid
        assert "Conflicting lock" in raised.value.detail and "Could not set lock" in raised.value.detail
    finally:
        holder.kill()
        holder.wait()


# ---- a file that cannot grow: storage.is_disk_full and failures' quoted path ------------------------------------

_LIMITED = """
import resource, signal, sys
from pathlib import Path
from tests.conftest import run_import
from wellprod_tui import storage
from wellprod_tui.importing import ImportFailed
con = storage.connect(Path(sys.argv[1]))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
try:
    {action}
except (ImportFailed, storage.StoreError) as exc:
    print(exc)
except storage.Error as exc:
    print(storage.translate_error(Path(sys.argv[1]), exc))
"""


def _limited(tmp_path: Path, action: str, *args: str) -> str:
    """Run ``action`` in a process that may write no file beyond 1 MB; what it printed."""
    script = _LIMITED.format(action=action)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "db.duckdb"), *args],
                          capture_output=True, text=True, cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_database_that_cannot_grow_says_the_disk_is_full(tmp_path: Path) -> None:
    said = _limited(tmp_path, "con.execute('CREATE TABLE t AS SELECT range x, random() y FROM range(3000000)'); "
                              "con.execute('CHECKPOINT')")
    assert storage.is_disk_full(said) and "the disk is full" in said


def test_a_rejects_file_that_cannot_grow_names_the_rejects_folder_and_the_file(tmp_path: Path) -> None:
    lines = (DATA / "volve_monthly.csv").read_text().splitlines()
    bad = lines[1].split(",")
    bad[7] = "lots"  # oil
    feed = tmp_path / "feed.csv"
    feed.write_text("\n".join([lines[0], *[",".join([*bad[:2], f"W{i}", *bad[3:]]) for i in range(20_000)]]) + "\n")
    rejects = tmp_path / "rejects"
    said = _limited(tmp_path, "run_import(con, Path(sys.argv[2]), Path(sys.argv[3]))", str(feed), str(rejects))
    assert f"{rejects}: the rejects folder is full (writing " in said
    assert "\\)" not in said, "the file is named without the backslash of DuckDB's escaped quote"
