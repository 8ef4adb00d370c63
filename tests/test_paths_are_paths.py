"""A path is a path: a file whose name holds ``[``, ``*`` or ``?`` is imported as itself, never as a pattern
that DuckDB's readers would expand to other files (``a[b].csv`` read ``ab.csv``; ``c*.csv`` every match)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_import
from wellprod_tui import storage
from wellprod_tui.importing.sample import write_records

FORMATS = {"csv": "csv", "json": "json", "ndjson": "ndjson", "parquet": "parquet"}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize(("named", "other"), [("a[b]", "ab"), ("c*", "cd"), ("e?", "ef")])
def test_a_name_with_pattern_characters_imports_that_file_only(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path, small_frame: pl.DataFrame, fmt: str, named: str,
    other: str,
) -> None:
    path = write_records(small_frame.head(3), tmp_path / f"{named}.{FORMATS[fmt]}", fmt)
    write_records(small_frame, tmp_path / f"{other}.{FORMATS[fmt]}", fmt)  # what the pattern would read
    summary = run_import(con, path, rejects_dir)
    assert (summary.records, summary.inserted) == (3, 3)
    assert con.execute("SELECT count(*) FROM production").fetchone() == (3,)
    logged = con.execute("SELECT file, sha256 FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    assert logged == (str(path), hashlib.sha256(path.read_bytes()).hexdigest())


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_folder_named_like_a_column_on_the_way_is_no_column(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path, small_frame: pl.DataFrame, fmt: str
) -> None:
    folder = tmp_path / "well_code=7" / "field_code=9"
    folder.mkdir(parents=True)
    path = write_records(small_frame.head(50), folder / f"records.{FORMATS[fmt]}", fmt)
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.rejected) == (50, 0)
    codes = {c for (c,) in con.execute("SELECT DISTINCT well_code FROM production").fetchall()}
    assert codes == set(small_frame.head(50)["well_code"].cast(pl.Int64).to_list())
