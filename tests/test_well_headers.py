"""Well headers: ECMC's well list read by its built-in profile, keyed by API-10 so that sidetracks share
their header; names come from the header; re-importing replaces (upsert); other columns stay attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from tests.helpers.cli import run_cli
from wellprod_tui import queries, storage
from wellprod_tui.importing.headers import import_headers
from wellprod_tui.queries.well_sets import select_wells

HEADERS = DATA / "ecmc_weld_well_headers_slice.csv"


@pytest.fixture
def ecmc(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    run_import(con, DATA / "ecmc_weld_slice.csv", rejects_dir)
    return con


def _codes(con: storage.Connection, where: str) -> list[int]:
    return [r[0] for r in con.execute(select_wells(con, where=where).subquery).fetchall()]


def test_ecmc_headers_name_the_wells_and_their_sidetracks_share_one(ecmc: storage.Connection) -> None:
    done = import_headers(ecmc, HEADERS)
    assert (done.profile, done.headers, done.inserted, done.wells_matched) == ("ecmc-well-headers", 3, 3, 4)
    assert ecmc.execute("SELECT header_code, operator, spud_date::VARCHAR, lateral_length_ft, status FROM "
                        "well_headers ORDER BY 1").fetchall()[0] == (512341561, "NOBLE ENERGY INC", "2015-08-23",
                                                                    3984.0, "PR")
    both = [queries.well(ecmc, code)["well_name"] for code in (51234761000, 51234761001)]
    assert both == ["LG 09-03 PAD"] * 2  # the header of API-10 05-123-47610 (listed as its sidetrack 01)
    assert queries.search_wells(ecmc, "LG 09-03")[0]["well_code"] == 51234761000
    assert _codes(ecmc, "lateral_length_ft>10000") == [51234761000, 51234761001]
    assert _codes(ecmc, "spud_date<2016-01 and status=pr") == [51234156100]
    assert _codes(ecmc, "well_name=*PAD* and Township=9N") == [51234349200]  # other columns: text attributes


def test_reimporting_headers_replaces_them(ecmc: storage.Connection, tmp_path: Path) -> None:
    import_headers(ecmc, HEADERS)
    changed = tmp_path / "headers.csv"
    changed.write_text(HEADERS.read_text().replace("NOBLE ENERGY INC", "CHEVRON"))
    done = import_headers(ecmc, changed)
    assert (done.inserted, done.updated) == (0, 3)
    assert ecmc.execute("SELECT DISTINCT operator FROM well_headers").fetchall() == [("CHEVRON",)]
    assert ecmc.execute("SELECT count(*) FROM well_header_attributes WHERE name = 'Loc_Qual'").fetchone() == (3,)


def test_a_header_file_in_wellprods_own_names(ecmc: storage.Connection, tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text("API,Operator,Formation,Lateral_Length_ft,Basin\n05-123-41561-00,ACME,CODELL,7500,DJ\n"
                   "nonsense,X,Y,1,Z\n")
    done = import_headers(ecmc, own)
    assert done.profile == "own" and done.headers == 1
    assert any("1 row(s) without a well code" in n for n in done.notes)
    assert _codes(ecmc, "formation=codell and lateral_length_ft>=7500 and basin=DJ") == [51234156100]


def test_the_command_imports_headers(ecmc: storage.Connection, db_path: Path) -> None:
    ecmc.close()
    result = run_cli("--db", str(db_path), "headers", "import", str(HEADERS))
    assert result.code == 0, result.output
    assert "3 header(s) from 3 row(s) (profile ecmc-well-headers): 3 new" in result.stdout
    assert "4 imported well(s) have one" in result.stdout


def test_a_database_from_before_well_sets_is_read_as_it_is_and_gains_the_tables_when_written(
    ecmc: storage.Connection, db_path: Path
) -> None:
    for table in ("well_headers", "well_header_attributes", "month_attributes", "well_sets", "well_set_members"):
        ecmc.execute(f"DROP TABLE {table}")
    ecmc.execute("DROP TABLE well_summary")
    ecmc.close()
    size = db_path.stat().st_size
    result = run_cli("stats", "--where", "county=123", "--json", db=db_path)
    assert result.code == 0, result.output
    assert db_path.stat().st_size == size  # a reader never writes
    assert run_cli("group", "county", db=db_path).code == 0
    assert run_cli("headers", "import", str(HEADERS), db=db_path).code == 0
    with storage.opened(db_path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM well_headers").fetchone() == (3,)
