"""Field-level rows (a record whose well_code is its field's code, as regulators ship field totals) beside
the wells of the same field: never a well, never counted twice, and the two totals shown side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from tests.helpers.cli import Result, run_cli
from wellprod_tui import queries, storage

VOLVE = 3420717


@pytest.fixture
def volve_both(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    """Volve's 7 wellbores (Equinor's monthly report) and Volve's field totals (Sodir) in one database."""
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    summary = run_import(con, DATA / "npd_volve_field_total.csv", rejects_dir)
    assert summary.inserted == 114
    return con


def test_a_field_total_is_not_a_well(volve_both: storage.Connection) -> None:
    stats = queries.stats(volve_both)
    assert (stats["records"], stats["wells"], stats["fields"]) == (640, 7, 1)
    _, top = queries.read_all(volve_both, queries.top_wells_view(10))
    assert VOLVE not in [row[0] for row in top] and len(top) == 7
    columns, wells = queries.read_all(volve_both, queries.field_wells_view(VOLVE))
    assert VOLVE not in [row[columns.index("well_code")] for row in wells] and len(wells) == 7
    assert queries.field_info(volve_both, VOLVE)["wells"] == 7
    assert [w["well_code"] for w in queries.search_wells(volve_both, "3420717")] == []
    with pytest.raises(queries.NotFound):
        queries.well(volve_both, VOLVE)


def test_a_field_counts_its_wells_where_it_has_them_and_its_total_where_it_has_only_that(
    volve_both: storage.Connection, con: storage.Connection
) -> None:
    info = queries.field_info(volve_both, VOLVE)
    wells_only = con.execute(
        "SELECT sum(oil_production_kbd * day(last_day(production_period))) FROM production WHERE well_code <> ?",
        [VOLVE],
    ).fetchone()[0]
    after_wells = con.execute(
        """SELECT sum(oil_production_kbd * day(last_day(production_period))) FROM production
           WHERE well_code = ? AND production_period > DATE '2016-12-01'""",
        [VOLVE],
    ).fetchone()[0]
    assert info["cum_oil_kbbl"] == pytest.approx(wells_only + after_wells)  # not twice Volve
    assert 63_000 < info["cum_oil_kbbl"] < 64_000
    assert (info["months_both"], info["months_reported_only"]) == (107, 7)  # 2017-01..07: Sodir only
    assert info["reported_oil_kbbl"] == pytest.approx(63_979.8, abs=0.05)
    assert info["wells_oil_kbbl"] == pytest.approx(63_131.2, abs=0.05)
    assert info["oil_difference_pct"] == pytest.approx(1.33, abs=0.005)
    assert queries.stats(volve_both)["oil_kbbl"] == pytest.approx(info["cum_oil_kbbl"])
    columns, months = queries.read_all(volve_both, queries.field_monthly_view(VOLVE))
    rows = [dict(zip(columns, m, strict=True)) for m in months]
    assert rows[-1]["cum_oil_kbbl"] == pytest.approx(info["cum_oil_kbbl"])
    may_2014 = next(r for r in rows if r["period"] == "2014-05")
    assert may_2014["basis"] == "wells" and may_2014["oil_kbbl"] == pytest.approx(may_2014["wells_oil_kbbl"])
    assert may_2014["reported_oil_kbbl"] > 0 and may_2014["oil_difference_pct"] is not None
    assert {r["basis"] for r in rows if r["period"] >= "2017-01"} == {"reported"}


def test_a_field_of_field_totals_only_keeps_its_figures(con: storage.Connection, rejects_dir: Path) -> None:
    run_import(con, DATA / "npd_volve_field_total.csv", rejects_dir)
    info = queries.field_info(con, VOLVE)
    assert info["wells"] == 0 and info["months_both"] == 0 and info["reported_oil_kbbl"] is None
    assert info["cum_oil_kbbl"] == pytest.approx(63_979.8, abs=0.05)
    _, top = queries.read_all(con, queries.top_fields_view(10))
    assert top[0][:3] == (VOLVE, "VOLVE", 0)


def test_the_command_line_shows_reported_beside_the_sum_of_wells(
    isolated_user_dirs: Path, tmp_path: Path, rejects_dir: Path
) -> None:
    db = tmp_path / "cli.duckdb"

    def wellprod(*args: str) -> Result:
        return run_cli(*args, db=db)

    assert wellprod("import", str(DATA / "volve_monthly.csv"), str(DATA / "npd_volve_field_total.csv")).returncode == 0
    field = json.loads(wellprod("field", str(VOLVE), "--json").stdout)
    assert field["wells"] == 7 and len(field["well_list"]) == 7
    assert round(field["reported_oil_kbbl"], 1) == 63_979.8 and round(field["oil_difference_pct"], 1) == 1.3
    text = wellprod("field", str(VOLVE)).stdout
    assert "oil reported 63,979.8 · sum of wells 63,131.2 kbbl · difference 1.3 % (107 months with both)" in text
    stats = json.loads(wellprod("stats", "--json").stdout)
    assert stats["wells"] == 7 and stats["fields_with_both"] == 1
    assert stats["field_allocation"][0]["field_code"] == VOLVE
    doctor = wellprod("doctor")
    assert doctor.returncode == 0
    assert "field 3420717 VOLVE: oil reported vs sum of wells +1.3 % over 107 month(s)" in doctor.stdout
    exported = wellprod("export", "--field", str(VOLVE), "--monthly", "-o", "-").stdout.splitlines()
    header = exported[0].split(",")
    assert {"basis", "reported_oil_kbbl", "wells_oil_kbbl", "oil_difference_pct"} <= set(header)
    assert len(exported) == 1 + 119  # 2007-09 .. 2017-07


def test_a_field_s_decline_sums_its_wells_not_its_reported_total_beside_them(
    volve_both: storage.Connection, con: storage.Connection, rejects_dir: Path
) -> None:
    from wellprod_tui.decline.analysis import Options
    from wellprod_tui.decline.field import field_decline
    from wellprod_tui.decline.render import to_json

    both = to_json(field_decline(volve_both, VOLVE, Options()))
    codes = [w["well_code"] for w in both["well_list"]] + [w["well_code"] for w in both["unfitted"]]
    assert VOLVE not in codes and len(codes) == both["wells"] == 6  # 7 wellbores, one of them only injects
    assert both["cum_to_date"] == pytest.approx(63_131.2, abs=0.05)  # the wells' sum, not 127,000-odd
    assert not both["reported_only"]

    con.execute("DELETE FROM production WHERE well_code <> ?", [VOLVE])  # the field's reported totals alone
    alone = to_json(field_decline(con, VOLVE, Options()))
    assert alone["reported_only"] and (alone["wells"], alone["fitted"]) == (0, 0)
    assert alone["cum_to_date"] == pytest.approx(63_979.8, abs=0.05)


def test_the_note_on_totals_beside_wells_names_only_fields_the_import_touched(
    volve_both: storage.Connection, rejects_dir: Path, tmp_path: Path
) -> None:
    from wellprod_tui.core import config

    other = run_import(volve_both, config.bundled_sample_path(), rejects_dir)  # wells of other fields
    assert other.inserted == 4200
    assert not any(n.startswith(f"field {VOLVE}") for n in other.notes)
    header = (DATA / "volve_monthly.csv").read_text(encoding="utf-8").splitlines()[0]
    volve = tmp_path / "volve-total.csv"
    volve.write_text(f"{header}\n{VOLVE},VOLVE,{VOLVE},FIELD,VOLVE,2014-05,31,40,30,40,5,NPD,x,2014\n",
                     encoding="utf-8")
    touched = run_import(volve_both, volve, rejects_dir)
    assert any(n.startswith(f"field {VOLVE} VOLVE: field-level rows beside 7 well(s)") for n in touched.notes)
