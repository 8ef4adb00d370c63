"""Regulators' and operators' own files, read through mapping profiles, give the volumes the sources give."""

from __future__ import annotations

import calendar
import csv
import json
from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from tests.helpers.cli import Result, run_cli
from wellprod_tui import queries, storage
from wellprod_tui.core import config

BBL_M3 = 0.158987294928  # m³ per barrel
FT3_M3 = 0.028316846592  # m³ per cubic foot


def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _production(con: storage.Connection) -> dict[tuple[int, str], dict]:
    names, rows = storage.rows(
        con, "SELECT *, strftime(production_period, '%Y-%m') AS month FROM production"
    )
    return {(r[names.index("well_code")], r[names.index("month")]): dict(zip(names, r, strict=True)) for r in rows}


def test_sodir_field_months_give_the_sources_volumes_converted(con: storage.Connection, rejects_dir: Path) -> None:
    path = DATA / "sodir_field_production_monthly_slice.csv"  # the Directorate's own export: BOM, CRLF
    summary = run_import(con, path, rejects_dir)
    assert summary.profile == "sodir-field-monthly"
    assert summary.detected_by == "header matches profile sodir-field-monthly"
    assert (summary.records, summary.inserted, summary.rejected) == (1717, 1717, 0)
    stored = _production(con)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        source = list(csv.DictReader(handle))
    assert len(source) == len(stored)
    for row in source:  # field by field, month by month, converted here independently
        year, month = int(row["prfYear"]), int(row["prfMonth"])
        days = _days(year, month)
        record = stored[(int(row["prfNpdidInformationCarrier"]), f"{year:04d}-{month:02d}")]
        kbbl = lambda msm3: float(msm3) * 1e6 / BBL_M3 / 1e3  # noqa: E731
        liquids = sum(kbbl(row[f"prfPrd{c}NetMillSm3"]) for c in ("Oil", "NGL", "Condensate"))
        assert record["oil_production_kbd"] * days == pytest.approx(kbbl(row["prfPrdOilNetMillSm3"]), rel=1e-12)
        assert record["liquids_production_kbd"] * days == pytest.approx(liquids, rel=1e-12, abs=1e-12)
        assert record["water_production_kbd"] * days == pytest.approx(kbbl(row["prfPrdProducedWaterInFieldMillSm3"]),
                                                                       rel=1e-12)
        mmcf = float(row["prfPrdGasNetBillSm3"]) * 1e9 / FT3_M3 / 1e6
        assert record["gas_production_mmcfd"] * days == pytest.approx(mmcf, rel=1e-12)
        assert record["field_name"] == row["prfInformationCarrier"] and record["days_on_production"] == days
    volve = queries.field_info(con, 3420717)  # a field total: a field-level row, not a well
    assert volve["wells"] == 0 and round(volve["cum_oil_kbbl"], 1) == 63_979.9


def _volve_report() -> dict[tuple[int, str], dict[str, float]]:
    """Equinor's own monthly report (a units row under the header), read here with the csv module."""
    with (DATA / "volve_monthly_production.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[1:]
    return {
        (int(r["NPDCode"]), f"{int(r['Year']):04d}-{int(r['Month']):02d}"): {
            k: float(r[k] or 0) for k in ("On Stream", "Oil", "Gas", "Water")
        }
        for r in rows if r["NPDCode"]
    }


def test_volve_days_added_up_into_months_agree_with_volves_own_monthly_report(
    con: storage.Connection, rejects_dir: Path
) -> None:
    summary = run_import(con, DATA / "volve_daily_slice.csv", rejects_dir)
    assert summary.profile == "volve-daily" and summary.rejected == 0
    assert any("rows read" in n and "kept where FLOW_KIND = production" in n for n in summary.notes)
    report = _volve_report()
    stored = _production(con)
    assert len(stored) == 31  # 25 months of 15/9-F-1 C, 6 producing months of 15/9-F-5 in 2016
    hours_differ = []
    for key, record in stored.items():
        days = _days(int(key[1][:4]), int(key[1][5:]))
        month = report[key]
        assert record["oil_production_kbd"] * days * 1e3 * BBL_M3 == pytest.approx(month["Oil"], rel=1e-9, abs=1e-6)
        assert record["gas_production_mmcfd"] * days * 1e6 * FT3_M3 == pytest.approx(month["Gas"], rel=1e-9, abs=1e-6)
        assert record["water_production_kbd"] * days * 1e3 * BBL_M3 == pytest.approx(month["Water"], rel=1e-9,
                                                                                      abs=1e-6)
        if abs(record["days_on_production"] * 24 - month["On Stream"]) > 0.01:
            hours_differ.append((key, round(record["days_on_production"] * 24, 2), month["On Stream"]))
    # Volumes agree to the last digit. Hours: both sources count 745 h in October 2014 (the clock goes back),
    # which a month of 31 days caps at 744; and 15/9-F-5's April 2016 has 100 h more in the monthly report.
    assert sorted(hours_differ) == [((5769, "2016-04"), 245.84, 345.41668), ((7405, "2014-10"), 744.0, 745.0)]


def test_volves_monthly_report_imports_through_its_profile(con: storage.Connection, rejects_dir: Path) -> None:
    summary = run_import(con, DATA / "volve_monthly_production.csv", rejects_dir)  # the units row is skipped
    assert (summary.profile, summary.inserted, summary.rejected) == ("volve-monthly", 526, 0)
    expected = sum(m["Oil"] for m in _volve_report().values()) / BBL_M3 / 1e3
    assert queries.field_info(con, 3420717)["cum_oil_kbbl"] == pytest.approx(expected, rel=1e-12)
    # a month whose on-stream hours are empty has unknown days, not a whole month on production
    days = con.execute(
        """SELECT days_on_production FROM production WHERE well_code = 5693
           AND production_period = DATE '2007-09-01'"""
    ).fetchone()
    assert days == (None,)


def test_ecmc_wellbores_by_sidetrack_and_formations_added_up(con: storage.Connection, rejects_dir: Path) -> None:
    path = DATA / "ecmc_weld_slice.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        source = list(csv.DictReader(handle))
    summary = run_import(con, path, rejects_dir, duplicates="sum")
    assert summary.profile == "ecmc-monthly" and summary.rejected == 0
    assert summary.inserted + summary.duplicates_merged == len(source) == 643
    wells = {w["well_code"]: w for w in queries.search_wells(con, "05-123-47610")}
    assert set(wells) == {51234761000, 51234761001}  # one well_code per sidetrack
    stored = _production(con)
    for key, rows in _group(source).items():
        record = stored[key]
        days = _days(int(key[1][:4]), int(key[1][5:]))
        oil = sum(float(r["Oil Produced"] or 0) for r in rows)
        gas = sum(float(r["Gas Produced"] or 0) for r in rows)
        assert (record["oil_production_kbd"] or 0) * days * 1e3 == pytest.approx(oil, abs=1e-9)
        assert (record["gas_production_mmcfd"] or 0) * days * 1e3 == pytest.approx(gas, abs=1e-9)
        assert record["days_on_production"] == max(float(r["Days Produced"]) for r in rows)
        assert record["partition_0"] == " + ".join(sorted({r["Formation"] for r in rows}))
    assert stored[(51234349200, "2019-03")]["partition_0"] == "CODELL + FORT HAYS + NIOBRARA"


def _group(rows: list[dict[str, str]]) -> dict[tuple[int, str], list[dict[str, str]]]:
    grouped: dict[tuple[int, str], list[dict[str, str]]] = {}
    for r in rows:
        code = int(f"05{int(r['API County']):03d}{int(r['API Sequence']):05d}{int(r['API Sidetrack']):02d}")
        grouped.setdefault((code, r["First of Month"][:7]), []).append(r)
    return grouped


def test_ecmc_formations_are_rejected_as_duplicates_by_default(con: storage.Connection, rejects_dir: Path) -> None:
    summary = run_import(con, DATA / "ecmc_weld_slice.csv", rejects_dir)
    assert summary.rejected == 377 and summary.inserted == 266
    assert summary.first_rejects[0]["reason"].startswith("duplicate of record")


MADE_UP = """Well API;Month;Oil m3;Gas Mcf;Water bbl;Hours;Lease
42-501-20130;202101;310.0;1500;62;744;NORTH
42-501-20130;202102;280.0;1400;n/a;672;NORTH
4250120131-01;202101;93,5;300;0;360;SOUTH
"""
PROFILE = """[profile]
name = "acme-lease-monthly"
description = "ACME's lease report"
source = "ACME Oil, monthly lease report"
values = "volumes"

[fields]
well_code = { column = "Well API", api = true }
well_reference = { column = "Well API" }
field_name = { column = "Lease" }
production_period = { column = "Month" }
days_on_production = { column = "Hours", unit = "hours" }
oil_production_kbd = { column = "Oil m3", unit = "Sm3" }
gas_production_mmcfd = { column = "Gas Mcf", unit = "Mcf" }
water_production_kbd = { column = "Water bbl", unit = "bbl" }
"""


def test_a_users_own_profile_reads_a_made_up_layout_and_rejects_name_profile_column_and_line(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    folder = config.user_profiles_dir()
    folder.mkdir(parents=True)
    (folder / "acme.toml").write_text(PROFILE)
    data = tmp_path / "acme-2021.txt"
    data.write_text(MADE_UP)
    db = tmp_path / "acme.duckdb"

    def wellprod(*args: str) -> Result:
        return run_cli(*args, db=db)

    listed = json.loads(wellprod("profiles", "--json").stdout)
    names = {p["name"]: p for p in listed["profiles"]}
    assert {"sodir-field-monthly", "ecmc-monthly", "volve-daily", "acme-lease-monthly"} <= set(names)
    assert names["acme-lease-monthly"]["columns"][:2] == ["Well API", "Lease"] and not names["acme-lease-monthly"][
        "builtin"]
    done = wellprod("import", "--json", "--profile", "acme-lease-monthly", str(data))
    summary = json.loads(done.stdout)
    assert (summary["inserted"], summary["rejected"], summary["profile"]) == (1, 2, "acme-lease-monthly")
    reasons = {r["field"]: r for r in summary["first_rejects"]}
    water = reasons["water_production_kbd"]
    assert water["value"] == "line 3: n/a" and water["line"] == 3
    assert water["reason"] == "not a finite number (profile acme-lease-monthly, column Water bbl)"
    assert reasons["oil_production_kbd"]["value"] == "line 4: 93,5"  # a decimal comma is not a number
    con = storage.connect(db, read_only=True)
    try:
        row = con.execute("SELECT well_code, days_on_production, oil_production_kbd, gas_production_mmcfd, "
                          "water_production_kbd FROM production").fetchone()
    finally:
        con.close()
    assert row[:2] == (425012013000, 31)  # API without sidetrack: 00; 744 hours = 31 days
    assert row[2] == pytest.approx(310.0 / BBL_M3 / 1e3 / 31)
    assert row[3] == pytest.approx(1.5 / 31) and row[4] == pytest.approx(0.062 / 31)


def test_a_broken_profile_names_its_file_and_key(isolated_user_dirs: Path, tmp_path: Path) -> None:
    folder = config.user_profiles_dir()
    folder.mkdir(parents=True)
    (folder / "bad.toml").write_text(PROFILE.replace('unit = "Sm3"', 'unit = "barrels"'))
    done = run_cli("profiles", db=tmp_path / "x.duckdb")
    assert done.returncode == 1
    assert f"{folder / 'bad.toml'}: fields.oil_production_kbd.unit = 'barrels' is not known" in done.stderr


def test_an_unknown_profile_lists_the_known_ones(con: storage.Connection, rejects_dir: Path) -> None:
    from wellprod_tui.importing import ImportFailed

    with pytest.raises(ImportFailed, match="no profile called 'nope' \\(known: ecmc-monthly, sodir-field-monthly"):
        run_import(con, DATA / "ecmc_weld_slice.csv", rejects_dir, profile="nope")
