"""``wellprod export --parquet DIR``: the store as a hive-partitioned Parquet lake that other engines read.
Read back with DuckDB and polars, it holds exactly the store's rows, typed, sorted inside each file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import run_import
from tests.helpers.cli import run_cli
from wellprod_tui import cli, export, storage
from wellprod_tui.core.config import bundled_sample_path

FINGERPRINT = "SELECT count(*), sum(hash(well_code, production_period, field_code, field_name, well_reference, " \
    "well_name, days_on_production, oil_production_kbd, gas_production_mmcfd, liquids_production_kbd, " \
    "water_production_kbd, data_source, source_data, partition_0, created_at, updated_at)) FROM {}"


@pytest.fixture
def sample_db(con: storage.Connection, db_path: Path, rejects_dir: Path) -> Path:
    run_import(con, bundled_sample_path(), rejects_dir)
    con.close()
    return db_path


def test_the_lake_holds_exactly_the_store_in_hive_year_folders(sample_db: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    with storage.opened(sample_db, read_only=True) as con:
        result = export.export_lake(con, lake)
        stored = con.execute(FINGERPRINT.format("production")).fetchone()
        years = [y for (y,) in con.execute("SELECT DISTINCT year(production_period) FROM production").fetchall()]
    assert sorted(p.name for p in lake.iterdir()) == sorted(f"year={y}" for y in years)
    assert result.files == len(years)
    assert all(p.relative_to(lake).parts[0].startswith("year=") for p in lake.rglob("*.parquet"))
    assert result.rows == stored[0] == 4200
    files = f"read_parquet('{lake}/*/*.parquet', hive_partitioning = true)"
    reader = duckdb.connect()
    assert reader.execute(FINGERPRINT.format(files)).fetchone() == stored
    types = dict(reader.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {files})").fetchall())
    assert types["production_period"] == "DATE" and types["well_code"] == "BIGINT"
    assert [c for c in types if c not in export.LAKE_COLUMNS] == ["year"]
    for part in lake.rglob("*.parquet"):
        keys = reader.execute(f"SELECT well_code, production_period FROM '{part}'").fetchall()
        assert keys == sorted(keys)
    assert not list(tmp_path.glob(".lake.*"))


def test_polars_counts_and_sums_each_field_month_exactly_as_the_store(sample_db: Path, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    assert cli.main(["--db", str(sample_db), "export", "--parquet", str(lake)]) == 0
    values = ("days_on_production", "oil_production_kbd", "gas_production_mmcfd", "liquids_production_kbd",
              "water_production_kbd")
    per_month = (
        pl.scan_parquet(lake / "**/*.parquet", hive_partitioning=True)
        .group_by("field_code", "production_period")
        .agg(pl.len().alias("rows"), *[(pl.col(c) * 1e6).round().cast(pl.Int64).sum().alias(c) for c in values])
        .sort("field_code", "production_period")
        .collect()
    )
    scaled = ", ".join(f"sum(CAST(round({c} * 1e6) AS BIGINT))" for c in values)
    with storage.opened(sample_db, read_only=True) as con:
        expected = con.execute(
            f"SELECT field_code, production_period, count(*), {scaled} FROM production GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    assert per_month.rows() == expected
    reader = duckdb.connect()
    codecs = reader.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{lake}/*/*.parquet')").fetchall()
    assert codecs == [("ZSTD",)]


def test_an_existing_lake_is_replaced_only_with_force(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lake = tmp_path / "lake"
    assert cli.main(["--db", str(sample_db), "export", "--parquet", str(lake)]) == 0
    before = sorted(p.name for p in lake.iterdir())
    assert cli.main(["--db", str(sample_db), "export", "--parquet", str(lake), "--from", "2024-01"]) == 1
    assert "already exists (--force replaces it)" in capsys.readouterr().err
    assert sorted(p.name for p in lake.iterdir()) == before
    assert cli.main(["--db", str(sample_db), "export", "--parquet", str(lake), "--from", "2024-01", "--force"]) == 0
    assert min(p.name for p in lake.iterdir()) == "year=2024"
    assert sorted(p.name for p in tmp_path.iterdir() if "lake" in p.name) == ["lake"]


RECORD_FINGERPRINT = "SELECT count(*), sum(hash(well_code, production_period, field_code, field_name, " \
    "well_reference, well_name, days_on_production, oil_production_kbd, gas_production_mmcfd, " \
    "liquids_production_kbd, water_production_kbd, data_source, source_data, partition_0)) FROM production"


def test_a_lake_imports_back_as_the_same_records_in_one_import(
    sample_db: Path, tmp_path: Path, rejects_dir: Path
) -> None:
    lake = tmp_path / "lake"
    with storage.opened(sample_db, read_only=True) as con:
        export.export_lake(con, lake)
        stored = con.execute(RECORD_FINGERPRINT).fetchone()
    with storage.opened(tmp_path / "second.duckdb") as con:
        summary = run_import(con, lake, rejects_dir)
        assert (summary.format, summary.inserted, summary.rejected) == ("parquet", 4200, 0)
        assert con.execute(RECORD_FINGERPRINT).fetchone() == stored
        assert con.execute("SELECT count(*) FROM imports").fetchone() == (1,)
        assert run_import(con, lake, rejects_dir).unchanged == 4200


def test_an_iceberg_tables_folder_is_never_read_as_plain_parquet(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "table"
    with storage.opened(sample_db, read_only=True) as con:
        export.export_lake(con, table / "data")
    (table / "metadata").mkdir()
    (table / "metadata" / "00001-abc.metadata.json").write_text("{}")
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import", str(table)]) == 1
    assert "an Iceberg table's folder" in capsys.readouterr().err


def test_force_never_replaces_a_folder_that_is_not_a_lake(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thesis = tmp_path / "work" / "thesis.txt"
    thesis.parent.mkdir()
    thesis.write_text("years of it")
    for folder in (thesis.parent, sample_db.parent):
        assert cli.main(["--db", str(sample_db), "export", "--parquet", str(folder), "--force"]) == 1
        assert "not a lake wellprod wrote" in capsys.readouterr().err
    assert thesis.read_text() == "years of it" and sample_db.exists()


def test_the_lake_is_readable_by_others_as_the_umask_allows_and_an_empty_window_writes_none(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    lake = tmp_path / "lake"
    assert cli.main(["--db", str(sample_db), "export", "--parquet", str(lake)]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert lake.stat().st_mode & 0o777 == 0o777 & ~umask
    empty = tmp_path / "empty"
    assert cli.main(["--db", str(sample_db), "export", "--parquet", str(empty), "--from", "2099-01"]) == 1
    assert "no record in" in capsys.readouterr().err and not empty.exists()


def test_a_well_set_narrows_the_lake_to_its_wells(sample_db: Path, tmp_path: Path) -> None:
    """``export --parquet DIR --where field=CODE`` holds exactly that field's records, as the store has them."""
    with storage.opened(sample_db, read_only=True) as con:
        (field,) = con.execute("SELECT min(field_code) FROM production").fetchone() or (None,)
        expected = con.execute(FINGERPRINT.format(f"production WHERE field_code = {field}")).fetchone()
        others = con.execute(f"SELECT count(*) FROM production WHERE field_code <> {field}").fetchone()
    assert expected is not None and expected[0] > 0 and others is not None and others[0] > 0
    lake = tmp_path / "field-lake"
    answer = run_cli("export", "--parquet", str(lake), "--where", f"field={field}", db=sample_db)
    assert answer.code == 0, answer.stderr
    files = f"read_parquet('{lake}/*/*.parquet', hive_partitioning = true)"
    assert duckdb.connect().execute(FINGERPRINT.format(files)).fetchone() == expected
    refused = run_cli("export", "--parquet", str(tmp_path / "none"), "--where", "field=1", db=sample_db)
    assert refused.code != 0 and "no record" in refused.stderr and not (tmp_path / "none").exists()
