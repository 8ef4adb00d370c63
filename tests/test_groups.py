"""Groups of wells by operator and formation equal sums computed independently from the source files
(polars over ECMC's production CSV and its well list); a set saved by filter drives ``stats`` and
``export`` to the same wells; API numbers typed as engineers type them find the wellbore."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import DATA, realdata, run_import
from tests.helpers.cli import run_cli
from wellprod_tui import queries, storage
from wellprod_tui.importing.headers import import_headers
from wellprod_tui.queries.groups import group_monthly_view, grouping, groups_view

PRODUCTION = realdata("ecmc_weld_sample.csv")  # the 20 wells where ../shared has them, else the 3 of the slice
PRODUCTION = PRODUCTION if PRODUCTION.exists() else DATA / "ecmc_weld_slice.csv"
HEADERS = realdata("ecmc_weld_well_headers_sample.csv")
HEADERS = HEADERS if HEADERS.exists() else DATA / "ecmc_weld_well_headers_slice.csv"


@pytest.fixture
def ecmc(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    assert run_import(con, PRODUCTION, rejects_dir).rejected == 0
    import_headers(con, HEADERS)
    return con


def _source() -> pl.DataFrame:
    """The production file, each row with its wellbore (API-12) and its API-10 as the header file writes it."""
    rows = pl.read_csv(PRODUCTION, infer_schema_length=0)
    return rows.with_columns(
        pl.format("05-{}-{}", pl.col("API County").str.zfill(3), pl.col("API Sequence").str.zfill(5))
        .alias("API_Label"),
        pl.format("05{}{}{}", pl.col("API County").str.zfill(3), pl.col("API Sequence").str.zfill(5),
                  pl.col("API Sidetrack").str.zfill(2)).cast(pl.Int64).alias("well_code"),
        *(pl.col(c).cast(pl.Float64).fill_null(0) / 1000 for c in ("Oil Produced", "Gas Produced", "Water Volume")),
    )


def _expected(frame: pl.DataFrame, by: str) -> dict[str, tuple[int, float, float, float]]:
    summed = frame.group_by(by).agg(
        pl.col("well_code").n_unique(), pl.col("Oil Produced").sum(), pl.col("Gas Produced").sum(),
        pl.col("Water Volume").sum())
    return {r[0]: (r[1], round(r[2], 6), round(r[3], 6), round(r[4], 6)) for r in summed.iter_rows()}


def _groups(con: storage.Connection, attribute: str, by_month: bool = False
            ) -> dict[str, tuple[int, float, float, float]]:
    columns, rows = queries.read_all(con, groups_view(grouping(con, attribute, by_month)))
    found = [dict(zip(columns, r, strict=True)) for r in rows]
    return {g[attribute]: (g["wells"], round(g["cum_oil_kbbl"], 6), round(g["cum_gas_mmcf"], 6),
                           round(g["cum_water_kbbl"], 6)) for g in found}


def test_groups_by_current_operator_equal_the_headers_operator_sums(ecmc: storage.Connection) -> None:
    headers = pl.read_csv(HEADERS, infer_schema_length=0).select("API_Label", "Operator")
    joined = _source().join(headers, on="API_Label", how="left")
    assert joined["Operator"].null_count() == 0  # every well of the file has a header
    assert _groups(ecmc, "operator") == _expected(joined, "Operator")


def test_groups_by_each_months_operator_equal_the_files_operator_sums(ecmc: storage.Connection) -> None:
    assert _groups(ecmc, "operator", by_month=True) == _expected(_source(), "Operator Name")


def test_groups_by_formation_count_each_formations_own_volumes(ecmc: storage.Connection) -> None:
    found = grouping(ecmc, "formation")
    assert found.by_month and "no header gives it" in found.note
    assert _groups(ecmc, "formation") == _expected(_source(), "Formation")


def test_a_groups_months_add_up_to_its_totals(ecmc: storage.Connection) -> None:
    found = grouping(ecmc, "formation")
    columns, rows = queries.read_all(ecmc, group_monthly_view(found, "CODELL"))
    monthly = [dict(zip(columns, r, strict=True)) for r in rows]
    codell = _source().filter(pl.col("Formation") == "CODELL")
    assert len(monthly) == codell["First of Month"].n_unique()
    assert round(sum(m["oil_kbbl"] or 0 for m in monthly), 6) == round(codell["Oil Produced"].sum(), 6)


def test_a_set_saved_by_filter_drives_stats_and_export_to_the_same_wells(
    ecmc: storage.Connection, db_path: Path, tmp_path: Path
) -> None:
    ecmc.close()
    saved = run_cli("set", "save", "big", "--where", "operator=noble* and lateral_length_ft>3900", db=db_path)
    assert saved.code == 0, saved.output
    shown = run_cli("set", "show", "big", "--json", db=db_path)
    wells = {w["well_code"] for w in json.loads(shown.stdout)["wells"]}
    assert wells and 51234156100 in wells  # 05-123-41561: Noble, 3,984 ft
    stats = json.loads(run_cli("stats", "--set", "big", "--json", db=db_path).stdout)
    assert stats["wells"] == len(wells)
    out = tmp_path / "big.csv"
    assert run_cli("export", "--set", "big", "-o", str(out), db=db_path).code == 0
    exported = pl.read_csv(out)
    assert set(exported["well_code"].unique()) == wells
    expected = _source().filter(pl.col("well_code").is_in(list(wells)))["Oil Produced"].sum()
    assert stats["oil_kbbl"] == pytest.approx(expected)


def test_the_group_command_and_its_errors(ecmc: storage.Connection, db_path: Path) -> None:
    ecmc.close()
    result = run_cli("group", "operator", "--json", db=db_path)
    assert result.code == 0, result.output
    assert json.loads(result.stdout)["groups"][0]["operator"] == "NOBLE ENERGY INC"
    monthly = run_cli("group", "formation", "--monthly", "NIOBRARA", "--from", "2024-01", db=db_path)
    assert monthly.code == 0 and "formation = NIOBRARA, monthly" in monthly.stdout
    wrong = run_cli("group", "opertor", db=db_path)
    assert wrong.code == 2 and "cannot group by 'opertor' (attributes: " in wrong.stderr
    none = run_cli("stats", "--where", "operator=nobel* and county=123", "--json", db=db_path)
    assert none.code == 0 and json.loads(none.stdout)["wells"] == 0
    assert "operator: no well has 'nobel*' (values: NOBLE ENERGY INC" in none.stderr
    bad = run_cli("stats", "--where", "lateral_length_ft>long", db=db_path)
    assert bad.code == 2 and "--where: lateral_length_ft: 'long' is not a number" in bad.stderr


@pytest.mark.parametrize("typed", ["05-123-47610-01", "051234761001", "05123476100100"])
def test_an_api_number_names_the_wellbore_in_well_and_search(
    ecmc: storage.Connection, db_path: Path, typed: str
) -> None:
    ecmc.close()
    well = run_cli("well", typed, "--json", db=db_path)
    assert well.code == 0 and json.loads(well.stdout)["well_code"] == 51234761001
    found = json.loads(run_cli("search", "0512347610", "--json", db=db_path).stdout)["wells"]
    assert [w["well_code"] for w in found] == [51234761000, 51234761001]
    exported = run_cli("export", "--well", typed, "-o", "-", db=db_path)
    assert exported.code == 0 and exported.stdout.splitlines()[1].startswith("51234761001,")
