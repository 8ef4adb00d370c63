"""Regulators' and operators' own files, read through mapping profiles, give the volumes the sources give."""

from __future__ import annotations

import calendar
import csv
import json
import os
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, realdata, run_import
from tests.helpers.cli import Result, run_cli
from wellprod_tui import cli, queries, storage
from wellprod_tui.core import config
from wellprod_tui.core.domain import volume

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
    assert (summary.profile, summary.inserted, summary.rejected) == ("volve-monthly", 332, 0)  # 194 inject
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


def test_ecmc_formations_are_added_up_by_default_and_the_oil_is_the_files_to_the_barrel(
    con: storage.Connection, rejects_dir: Path
) -> None:
    path = realdata("ecmc_weld_sample.csv")  # the whole file where ../shared has it, else its slice
    path = path if path.exists() else DATA / "ecmc_weld_slice.csv"
    with path.open(newline="") as source:
        rows = list(csv.DictReader(source))
    summary = run_import(con, path, rejects_dir)
    assert summary.rejected == 0 and summary.duplicates == "sum"
    assert any("profile ecmc-monthly sets duplicates = sum" in n for n in summary.notes)
    stored = con.execute(
        f"SELECT sum(CAST(round({volume('oil_production_kbd')} * 1000) AS BIGINT)) FROM production"
    ).fetchone()[0]
    assert stored == round(sum(float(r["Oil Produced"] or 0) for r in rows))  # barrels, exactly


def test_ecmc_formations_are_rejected_when_asked_naming_the_way_to_add_them(
    con: storage.Connection, rejects_dir: Path
) -> None:
    summary = run_import(con, DATA / "ecmc_weld_slice.csv", rejects_dir, duplicates="reject")
    assert summary.rejected == 377 and summary.inserted == 266
    assert summary.first_rejects[0]["reason"].startswith("duplicate of record")
    assert "--duplicates sum adds them up" in summary.first_rejects[0]["reason"]


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
    assert (water["value"], water["record"], water["line"]) == ("n/a", 2, 3)
    assert water["reason"] == "not a finite number (profile acme-lease-monthly, column Water bbl)"
    oil = reasons["oil_production_kbd"]
    assert (oil["value"], oil["line"]) == ("93,5", 4)  # a decimal comma is not a number
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


# ---- one door: the profile path keeps every rule of the native path ----------------------------------------

ECMC = DATA / "ecmc_weld_slice.csv"


def _ecmc_with(tmp_path: Path, changes: dict[int, dict[str, str]], name: str = "ecmc.csv") -> Path:
    """The ECMC slice with cells of some data rows (numbered from 1) changed, written to ``tmp_path``."""
    lines = ECMC.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for row, cells in changes.items():
        values = lines[row].split(",")
        for column, text in cells.items():
            values[header.index(column)] = text
        lines[row] = ",".join(values)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_unclosed_quote_in_a_profiles_file_fails_the_whole_file_naming_its_line(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    from wellprod_tui.importing import ImportFailed

    broken = _ecmc_with(tmp_path, {11: {"Operator Name": '"NOBLE'}})
    with pytest.raises(ImportFailed) as failed:
        run_import(con, broken, rejects_dir)
    assert f"{broken}: line 12, field Operator Name: a quote opens here and is never closed" in str(failed.value)
    assert con.execute("SELECT count(*) FROM production").fetchone() == (0,)


def test_numbers_with_underscores_are_rejected_through_a_profile(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    path = _ecmc_with(tmp_path, {1: {"Oil Produced": "1_000"}, 3: {"Days Produced": "2_8"}})
    summary = run_import(con, path, rejects_dir, duplicates="reject")
    bad = {(r["field"], r["value"], r["line"]) for r in summary.first_rejects}
    assert ("oil_production_kbd", "1_000", 2) in bad and ("days_on_production", "2_8", 4) in bad
    may = con.execute("SELECT oil_production_kbd * 31 * 1e3, partition_0 FROM production "
                      "WHERE production_period = '2024-05-01' AND well_code = 51234156100").fetchone()
    assert may == (pytest.approx(222.0), "FORT HAYS")  # the CODELL row's 1_000 bbl is not taken for 1,000


def test_a_sequence_longer_than_its_template_is_padded_never_cut(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    path = _ecmc_with(tmp_path, {1: {"API Sequence": "4156177"}, 2: {"API Sequence": "4156199"}})
    run_import(con, path, rejects_dir, duplicates="sum")
    wells = dict(con.execute("SELECT DISTINCT well_code, well_reference FROM production").fetchall())
    assert wells[5123415617700] == "05-123-4156177-00" and wells[5123415619900] == "05-123-4156199-00"
    assert wells[51234156100] == "05-123-41561-00"  # the well's other rows, not merged with the two


WRONG_TYPES = [
    ('"Days Produced" }', '"Days Produced", api = "no" }',
     "fields.days_on_production.api must be true or false, not 'no'"),
    ('template = "05{API County:03}{API Sequence:05}{API Sidetrack:02}" }', "template = 5 }",
     "fields.well_code.template must be text, not 5"),
    ('unit = "bbl" }', "unit = [] }", "fields.oil_production_kbd.unit must be text, not []"),
    ('rows = "monthly"', 'rows = "monthly"\nskip_rows = "abc"',
     "profile.skip_rows must be a whole number of lines, 0 or more, not 'abc'"),
    ('rows = "monthly"', "rows = \"monthly\"\nskip_rows = -5",
     "profile.skip_rows must be a whole number of lines, 0 or more, not -5"),
    ('rows = "monthly"', "rows = \"monthly\"\nskip_rows = true",
     "profile.skip_rows must be a whole number of lines, 0 or more, not True"),
    ("detect = [", "detect = 5\nold_detect = [", "profile.detect must be a list of column names, not 5"),
    ('detect = ["First of Month"', 'detect = [1, 2, "First of Month"',
     "profile.detect must be a list of column names, not [1, 2,"),
    ('rows = "monthly"', 'rows = "monthly"\nwhere = "x"', 'profile.where must be a table of column = "text", not '
     "'x'"),
    ('rows = "monthly"', 'rows = "monthly"\nwhere = { Formation = 5 }', "profile.where.Formation must be text, not 5"),
    ('days_on_production = { column = "Days Produced" }', "days_on_production = { value = \"all\" }",
     "fields.days_on_production.value must be a number, not 'all'"),
]


@pytest.mark.parametrize(("old", "new", "message"), WRONG_TYPES, ids=[m.split(" must")[0] for _, _, m in WRONG_TYPES])
def test_a_profile_value_of_the_wrong_type_names_the_file_the_key_and_the_type(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    from wellprod_tui.importing.profiles import ProfileError, load_profile

    text = (Path(load_profile.__code__.co_filename).parent / "builtin_profiles" / "ecmc-monthly.toml").read_text()
    assert old in text
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new, 1).replace("old_detect", "# old_detect"))
    with pytest.raises(ProfileError) as refused:
        load_profile(path)
    assert str(refused.value).startswith(f"{path}: {message}")


def test_a_filter_that_keeps_no_row_says_how_many_it_looked_at(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    from wellprod_tui.importing import ImportFailed

    injection = tmp_path / "injection.csv"
    injection.write_text((DATA / "volve_daily_slice.csv").read_text().replace(",production,", ",injection,"))
    with pytest.raises(ImportFailed) as failed:
        run_import(con, injection, rejects_dir)
    assert str(failed.value) == (f"{injection}: profile volve-daily keeps rows where FLOW_KIND = production, and none "
                                 "of the file's 1,008 rows is one (nothing imported)")


@pytest.mark.parametrize(("source", "text_column", "number_column", "field"), [
    (DATA / "volve_monthly.csv", "well_name", "oil_production_kbd", "oil_production_kbd"),
    (ECMC, "Operator Name", "Oil Produced", "oil_production_kbd"),
], ids=["native", "profile"])
def test_rejects_name_the_files_line_after_blank_lines_and_quoted_newlines(
    con: storage.Connection, rejects_dir: Path, tmp_path: Path, source: Path, text_column: str, number_column: str,
    field: str,
) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()[:12]
    header = lines[0].split(",")

    def changed(row: int, column: str, text: str) -> str:
        cells = lines[row].split(",")
        cells[header.index(column)] = text
        return ",".join(cells)

    # line 1 header, 2-3 records 1-2, 4 blank, 5-6 record 3 (a quoted newline), 7 record 4, 8 record 5 (too
    # few columns), 9-10 records 6-7, 11 record 8 (not a number)
    body = [lines[1], lines[2], "", changed(3, text_column, '"NOBLE\nENERGY"'), lines[4], "a,b", lines[6],
            lines[7], changed(8, number_column, "x9")]
    path = tmp_path / "uneven.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    summary = run_import(con, path, rejects_dir)
    found = {(r["field"], r["record"], r["line"]) for r in summary.first_rejects}
    assert ("(the whole line)", 5, 8) in found
    assert (field, 8, 11) in found


def _user_profile(name: str, text: str) -> Path:
    folder = config.user_profiles_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_two_profiles_that_match_one_header_are_named_not_chosen_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builtin = (Path(cli.__file__).parent / "importing" / "builtin_profiles" / "volve-monthly.toml").read_text()
    twin = _user_profile("volve-twin.toml", builtin.replace('name = "volve-monthly"', 'name = "volve-twin"'))
    db = tmp_path / "x.duckdb"
    assert cli.main(["--db", str(db), "import", str(DATA / "volve_monthly_production.csv")]) == 1
    said = capsys.readouterr().err
    assert "matches 2 profiles: " in said and "volve-monthly" in said and str(twin) in said and "--profile" in said
    chosen = ["--db", str(db), "import", "--profile", "volve-twin", str(DATA / "volve_monthly_production.csv")]
    assert cli.main(chosen) == 0


def test_a_profile_of_constants_only_matches_no_file_by_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _user_profile("constants.toml", '[profile]\nname = "constants"\n[fields]\nwell_code = { value = "1" }\n'
                  'production_period = { value = "2020-01" }\n')
    csv_path = tmp_path / "other.csv"
    csv_path.write_text("a,b\n1,2\n")
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import", str(csv_path)]) == 1
    said = capsys.readouterr().err
    assert "the header has no column well_code, production_period" in said and "profile constants" not in said


def test_a_fifo_among_the_users_profiles_is_named_and_never_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = config.user_profiles_dir()
    folder.mkdir(parents=True)
    os.mkfifo(folder / "stuck.toml")  # nobody writes: reading it would wait forever
    started = time.monotonic()
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import", str(DATA / "ecmc_weld_slice.csv")]) == 1
    assert time.monotonic() - started < 30
    assert f"{folder / 'stuck.toml'}: not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize(("policy", "factor"), [("reject", 1), ("first", 1), ("last", 1), ("sum", 2)])
def test_a_daily_file_that_lists_its_days_twice_is_not_counted_twice(
    tmp_path: Path, policy: str, factor: int
) -> None:
    daily = (DATA / "volve_daily_slice.csv").read_text().splitlines()
    twice = tmp_path / "volve-daily-twice.csv"
    twice.write_text("\n".join([*daily, *daily[1:]]) + "\n")
    once, again = storage.connect(tmp_path / "once.duckdb"), storage.connect(tmp_path / "twice.duckdb")
    try:
        run_import(once, DATA / "volve_daily_slice.csv", tmp_path / "rejects", duplicates=policy)
        summary = run_import(again, twice, tmp_path / "rejects", duplicates=policy)
        totals = [c.execute("SELECT sum(oil_production_kbd) FROM production").fetchone()[0] for c in (once, again)]
    finally:
        once.close()
        again.close()
    assert totals[1] == pytest.approx(totals[0] * factor)
    assert any("906 row(s) repeating a well's day" in n for n in summary.notes), summary.notes


def test_a_number_too_large_once_converted_is_rejected_with_the_files_text_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _user_profile("big.toml", '[profile]\nname = "big"\ndetect = ["W", "M", "G"]\n[fields]\nwell_code = '
                  '{ column = "W" }\nproduction_period = { column = "M" }\ngas_production_mmcfd = '
                  '{ column = "G", unit = "GSm3" }\n')
    path = tmp_path / "big.csv"
    path.write_text("W,M,G\n1,2020-01,1e308\n2,2020-01,5\n")
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import", str(path)]) == 0
    said = capsys.readouterr().out
    assert "rejected record 1 (line 2): gas_production_mmcfd = '1e308'" in said and "inf" not in said


def test_header_names_that_differ_only_in_case_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.csv"
    path.write_text("well_code,production_period,Well_Code\n1,2020-01,2\n")
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import", str(path)]) == 1
    said = capsys.readouterr().err
    assert "line 1: the header names Well_Code, well_code more than once" in said and "Binder" not in said


MANY_COLUMNS = ", ".join(f'"C{i}"' for i in range(3000))


@pytest.mark.parametrize(("fields", "said"), [
    ('well_code = { template = "{A:0999999999}" }', "pads to 999,999,999 digits; at most 32"),
    (f'well_code = {{ column = "A" }}\noil_production_kbd = {{ columns = [{MANY_COLUMNS}] }}',
     "fields.oil_production_kbd.columns lists 3,000 columns; at most 100"),
])
def test_a_profile_too_large_for_any_file_names_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fields: str, said: str
) -> None:
    profile = _user_profile("huge.toml", f'[profile]\nname = "huge"\ndetect = ["A", "B"]\n[fields]\n{fields}\n'
                            'production_period = { column = "B" }\n')
    path = tmp_path / "huge.csv"
    path.write_text("A,B\n1,2020-01\n")
    assert cli.main(["--db", str(tmp_path / "x.duckdb"), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(profile) in err and said in err and "Error:" not in err
