"""``wellprod lake push`` and ``pull``: two field servers share one Iceberg table (a sqlite catalog here, as a
team's Postgres one would be); each pushes the months its imports changed and pulls what the other pushed.
Needs the lake extra, which README's test command installs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_import
from wellprod_tui import cli, storage
from wellprod_tui.core.config import bundled_sample_path

RECORD_FINGERPRINT = "SELECT count(*), sum(hash(well_code, production_period, field_code, field_name, " \
    "well_reference, well_name, days_on_production, oil_production_kbd, gas_production_mmcfd, " \
    "liquids_production_kbd, water_production_kbd, data_source, source_data, partition_0)) FROM production"


@pytest.fixture
def lake_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[lake]\ncatalog_uri = "sqlite:///{tmp_path}/catalog.sqlite"\n'
                      f'warehouse = "{(tmp_path / "warehouse").as_uri()}"\ntable = "team.production"\n')
    return config


def lake(config: Path, db: Path, action: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert cli.main(["--config", str(config), "--db", str(db), "lake", action, "--json"]) == 0
    answer: dict[str, object] = json.loads(capsys.readouterr().out)
    return answer


def fingerprint(db: Path) -> tuple[object, ...]:
    with storage.opened(db, read_only=True) as con:
        return con.execute(RECORD_FINGERPRINT).fetchone() or ()


def change_three_months(db: Path, tmp_path: Path, rejects_dir: Path) -> None:
    """Import a file that doubles the oil of every well in three months."""
    changed = tmp_path / "corrections.parquet"
    with storage.opened(db) as con:
        con.execute(f"""COPY (SELECT * REPLACE (oil_production_kbd * 2 AS oil_production_kbd)
            FROM production WHERE production_period IN ('2024-01-01', '2024-02-01', '2019-06-01')
              AND oil_production_kbd > 0) TO '{changed}'""")
        summary = run_import(con, changed, rejects_dir)
    assert summary.updated > 0


def test_a_push_then_a_pull_into_an_empty_file_gives_the_same_table(
    tmp_path: Path, lake_config: Path, rejects_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    with storage.opened(first) as con:
        run_import(con, bundled_sample_path(), rejects_dir)
    pushed = lake(lake_config, first, "push", capsys)
    assert pushed["rows"] == 4200 and pushed["imports"] == 1
    pulled = lake(lake_config, second, "pull", capsys)
    assert pulled["snapshot_id"] == pushed["snapshot_id"] and pulled["months"] == pushed["months"]
    assert fingerprint(second) == fingerprint(first)
    data_files = sorted((tmp_path / "warehouse").rglob("*.parquet"))
    assert {p.parent.name for p in data_files} >= {"production_year=2012", "production_year=2025"}
    reader = duckdb.connect()
    for part in data_files:  # sorted by well and month inside each file, as the table's sort order says
        keys = reader.execute(f"SELECT well_code, production_period FROM '{part}'").fetchall()
        assert keys == sorted(keys)
    assert lake(lake_config, first, "push", capsys)["snapshot_id"] is None  # nothing new
    assert lake(lake_config, second, "push", capsys)["snapshot_id"] is None  # what it pulled is the table's
    assert lake(lake_config, second, "pull", capsys)["import"] is None


def test_a_push_replaces_only_the_months_an_import_changed_and_the_other_file_pulls_just_those(
    tmp_path: Path, lake_config: Path, rejects_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    with storage.opened(first) as con:
        run_import(con, bundled_sample_path(), rejects_dir)
    lake(lake_config, first, "push", capsys)
    lake(lake_config, second, "pull", capsys)
    change_three_months(first, tmp_path, rejects_dir)
    pushed = lake(lake_config, first, "push", capsys)
    assert pushed["months"] == 3 and pushed["imports"] == 1
    assert pushed["rows"] == fingerprint_rows_of_months(first, 3)
    pulled = lake(lake_config, second, "pull", capsys)
    assert pulled["months"] == 3
    imported = pulled["import"]
    assert isinstance(imported, dict) and imported["updated"] > 0 and imported["inserted"] == 0
    assert fingerprint(second) == fingerprint(first)
    # the table holds each month once: the replaced files are no longer part of it
    from pyiceberg.catalog import load_catalog

    catalog = load_catalog("wellprod", type="sql", uri=f"sqlite:///{tmp_path}/catalog.sqlite",
                           warehouse=(tmp_path / "warehouse").as_uri())
    table = catalog.load_table("team.production").scan().to_arrow()
    reader = duckdb.connect()
    reader.register("lake_rows", table)
    in_table = reader.execute(RECORD_FINGERPRINT.replace("FROM production", "FROM lake_rows")).fetchone()
    assert in_table == fingerprint(first)


def fingerprint_rows_of_months(db: Path, months: int) -> int:
    with storage.opened(db, read_only=True) as con:
        found = con.execute("""SELECT count(*) FROM production WHERE production_period IN
            ('2024-01-01', '2024-02-01', '2019-06-01')""").fetchone()
    assert found is not None and months == 3
    return int(found[0])


def test_a_database_from_before_the_lake_log_pushes_after_it_is_opened(
    tmp_path: Path, lake_config: Path, rejects_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.duckdb"
    with storage.opened(old) as con:
        run_import(con, bundled_sample_path(), rejects_dir)
        con.execute("DROP TABLE lake_syncs")
    assert lake(lake_config, old, "push", capsys)["rows"] == 4200
    with storage.opened(old, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM lake_syncs WHERE direction = 'push'").fetchone() == (1,)


def test_without_the_extra_or_with_a_bad_table_name_lake_says_what_to_do(
    tmp_path: Path, rejects_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.duckdb"
    with storage.opened(db) as con:
        run_import(con, bundled_sample_path(), rejects_dir)
    config = tmp_path / "config.toml"
    config.write_text('[lake]\ntable = "production"\n')
    assert cli.main(["--config", str(config), "--db", str(db), "lake", "push"]) == 1
    assert "'production' is not namespace.name" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "pyiceberg.catalog", None)  # as on an installation without the extra
    assert cli.main(["--db", str(db), "lake", "pull"]) == 1
    assert "pip install 'wellprod[lake]'" in capsys.readouterr().err
