"""Re-imports change nothing; revised files update only what changed; created_at stays, updated_at moves."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.conftest import run_import, table_checksum
from wellprod_tui import storage
from wellprod_tui.importing.sample import write_records


def test_reimporting_the_same_file_changes_nothing(
    con: storage.Connection, sample_files: dict[str, Path], rejects_dir: Path
) -> None:
    run_import(con, sample_files["json"], rejects_dir)
    before = table_checksum(con)
    summary = run_import(con, sample_files["csv"], rejects_dir)
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 2000)
    assert table_checksum(con) == before


@pytest.mark.parametrize("share", [0.01, 0.5], ids=["in-place", "rebuilt"])
def test_a_revised_file_updates_only_the_changed_rows(
    share: float, con: storage.Connection, small_frame: pl.DataFrame, tmp_path: Path, rejects_dir: Path
) -> None:
    first = write_records(small_frame, tmp_path / "v1.parquet", "parquet")
    run_import(con, first, rejects_dir)
    created = dict(con.execute("SELECT well_code || production_period, created_at FROM production").fetchall())
    n_changed = int(small_frame.height * share)
    revised = small_frame.with_row_index().with_columns(
        oil_production_kbd=pl.when(pl.col("index") < n_changed)
        .then(pl.col("oil_production_kbd") + 1)
        .otherwise(pl.col("oil_production_kbd"))
    ).drop("index")
    one_per_well = small_frame.unique("well_code", keep="first", maintain_order=True)
    new_rows = one_per_well.head(5).with_columns(production_period=pl.lit("2031-01"))
    path = write_records(pl.concat([revised, new_rows]), tmp_path / "v2.csv", "csv")
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.updated, summary.unchanged) == (5, n_changed, small_frame.height - n_changed)
    changed = con.execute(
        "SELECT count(*) FROM production WHERE updated_at > created_at"
    ).fetchone()[0]
    assert changed == n_changed
    rows = con.execute("SELECT well_code || production_period, created_at FROM production").fetchall()
    kept = sum(1 for key, ts in rows if key in created and created[key] == ts)
    assert kept == small_frame.height  # every old row keeps its created_at
    assert con.execute("SELECT count(*) FROM production").fetchone()[0] == small_frame.height + 5


def test_the_table_stays_ordered_by_well_and_month(
    con: storage.Connection, small_frame: pl.DataFrame, tmp_path: Path, rejects_dir: Path
) -> None:
    run_import(con, write_records(small_frame.head(1000), tmp_path / "a.ndjson", "ndjson"), rejects_dir)
    run_import(con, write_records(small_frame.tail(1000), tmp_path / "b.ndjson", "ndjson"), rejects_dir)
    keys = con.execute("SELECT well_code, production_period FROM production").fetchall()  # physical order
    assert keys == sorted(keys)


def test_summaries_follow_every_import(
    con: storage.Connection, small_frame: pl.DataFrame, tmp_path: Path, rejects_dir: Path
) -> None:
    run_import(con, write_records(small_frame, tmp_path / "a.parquet", "parquet"), rejects_dir)
    doubled = small_frame.with_columns(oil_production_kbd=pl.col("oil_production_kbd") * 2)
    run_import(con, write_records(doubled, tmp_path / "b.parquet", "parquet"), rejects_dir)
    total = con.execute("SELECT sum(oil_kbbl) FROM well_summary").fetchone()[0]
    direct = con.execute(
        "SELECT sum(oil_production_kbd * day(last_day(production_period))) FROM production"
    ).fetchone()[0]
    assert total == pytest.approx(direct)
    months = con.execute("SELECT sum(months) FROM well_summary").fetchone()[0]
    assert months == small_frame.height


def test_small_revisions_written_in_place_keep_the_table_in_key_order(
    con: storage.Connection, small_frame: pl.DataFrame, tmp_path: Path, rejects_dir: Path
) -> None:
    run_import(con, write_records(small_frame, tmp_path / "all.parquet", "parquet"), rejects_dir)
    revised = small_frame.sample(20, seed=1).with_columns(water_production_kbd=pl.col("water_production_kbd") + 5)
    summary = run_import(con, write_records(revised, tmp_path / "few.csv", "csv"), rejects_dir)
    assert (summary.updated, summary.inserted) == (20, 0)  # 1% of the table: updated in place
    keys = con.execute("SELECT well_code, production_period FROM production").fetchall()  # physical order
    assert keys == sorted(keys)
    assert storage.production_is_sorted(con)
    assert con.execute("SELECT count(*) FROM production WHERE updated_at > created_at").fetchone()[0] == 20


def test_a_file_without_a_column_keeps_its_stored_values(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    full = tmp_path / "full.csv"
    full.write_text(
        "well_code,production_period,well_reference,well_name,oil_production_kbd,days_on_production\n"
        "7405,2014-04,15/9-F-1 C,F-1 C,1.5,30\n7405,2014-05,15/9-F-1 C,F-1 C,2.5,31\n"
    )
    run_import(con, full, rejects_dir)
    without = tmp_path / "without-reference.csv"
    without.write_text(
        "well_code,production_period,well_name,oil_production_kbd,days_on_production\n"
        "7405,2014-04,F-1 C,1.75,30\n7405,2014-05,F-1 C,2.5,31\n7405,2014-06,F-1 C,3.5,30\n"
    )
    summary = run_import(con, without, rejects_dir)
    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 1, 1)
    assert any("kept their stored values: " in n and "well_reference" in n for n in summary.notes)
    stored = con.execute(
        "SELECT strftime(production_period, '%Y-%m'), well_reference, oil_production_kbd FROM production ORDER BY 1"
    ).fetchall()
    assert stored == [("2014-04", "15/9-F-1 C", 1.75), ("2014-05", "15/9-F-1 C", 2.5), ("2014-06", None, 3.5)]


def test_a_file_of_keys_only_changes_no_stored_month(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    full = tmp_path / "full.csv"
    full.write_text("well_code,production_period,oil_production_kbd,days_on_production\n7405,2014-04,1.5,30\n")
    run_import(con, full, rejects_dir)
    before = table_checksum(con)
    keys = tmp_path / "keys.csv"
    keys.write_text("well_code,production_period\n7405,2014-04\n")
    summary = run_import(con, keys, rejects_dir)
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 1)
    assert table_checksum(con) == before


def test_a_few_changed_wells_leave_every_summary_as_a_full_rebuild_would(
    tmp_path: Path, con: storage.Connection, rejects_dir: Path
) -> None:
    from tests.conftest import DATA
    from wellprod_tui.importing.sample import write_sample
    from wellprod_tui.storage import schema

    run_import(con, write_sample(10_000, tmp_path / "wells.parquet", "parquet"), rejects_dir)  # 104 wells
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    run_import(con, DATA / "npd_volve_field_total.csv", rejects_dir)
    header, *rows = (DATA / "volve_monthly.csv").read_text().splitlines()
    moved = [r.replace("3420717,VOLVE", "77,ELSEWHERE", 1) for r in rows if ",7405," in r]  # the well moves field
    revised = moved[0].replace(",2014-04,", ",1990-01,", 1)  # and gains a month
    path = tmp_path / "revised.csv"
    path.write_text("\n".join([header, *moved, revised]) + "\n")
    summary = run_import(con, path, rejects_dir)
    assert (summary.inserted, summary.updated) == (1, 25)
    kept = {name: con.execute(f"SELECT * FROM {name}").fetchall() for name in schema.DERIVED_TABLES}
    schema.refresh_derived_tables(con)
    for name in schema.DERIVED_TABLES:
        rebuilt = con.execute(f"SELECT * FROM {name}").fetchall()
        assert sorted(kept[name], key=repr) == sorted(rebuilt, key=repr), name
    assert con.execute("SELECT wells FROM field_summary WHERE field_code = 77").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM field_wells").fetchone()[0] * schema.TOUCHED_SHARE > 3  # rows rebuilt
