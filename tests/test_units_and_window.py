"""Units and a time window: figures in field, field-small or metric units, and over a chosen span of months."""

from __future__ import annotations

import calendar
import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import run_import
from tests.helpers.cli import Result, run_cli
from wellprod_tui import queries, storage
from wellprod_tui.core import units
from wellprod_tui.core.months import Window, WindowError

DATA = Path(__file__).parent / "data"
VOLVE = 3420717
#: A Volve well with 2008..2016 months, and the window the tests read it over.
WELL = 5351
WINDOW = Window.parse("2010-01", "2012-12")
#: A unit's power of ten against kbbl and MMcf (Sm³ and kSm³ per month: x 1000; kSm³ and MSm³ totals: x 1).
PHASE_FACTOR = {"oil": units.M3_PER_BBL, "water": units.M3_PER_BBL, "gas": units.M3_PER_FT3}
STORED = {"oil": "kbbl", "water": "kbbl", "gas": "mmcf"}


@pytest.fixture
def volve(con: storage.Connection, rejects_dir: Path) -> storage.Connection:
    run_import(con, DATA / "volve_monthly.csv", rejects_dir)
    return con


def source_volumes(first: str, last: str) -> dict[tuple[int, str], float]:
    """Oil, gas and water volumes (rate x days in month) per (well, phase), from the CSV file with plain Python."""
    sums: dict[tuple[int, str], float] = defaultdict(float)
    with (DATA / "volve_monthly.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not first <= row["production_period"] <= last:
                continue
            year, month = map(int, row["production_period"].split("-"))
            days = calendar.monthrange(year, month)[1]
            for phase, column in (("oil", "oil_production_kbd"), ("gas", "gas_production_mmcfd"),
                                  ("water", "water_production_kbd")):
                sums[int(row["well_code"]), phase] += float(row[column] or 0) * days
    return sums


@pytest.mark.parametrize("phase", ["oil", "gas", "water"])
def test_a_wells_metric_cumulative_is_its_field_cumulative_times_the_factor(
    volve: storage.Connection, phase: str
) -> None:
    field = queries.well(volve, WELL)[f"cum_{phase}_{STORED[phase]}"]
    metric = queries.well(volve, WELL, units.METRIC)
    small = queries.well(volve, WELL, units.FIELD_SMALL)
    volume_key = {"oil": "sm3", "water": "sm3", "gas": "ksm3"}[phase]
    assert metric[f"cum_{phase}_{volume_key}"] == pytest.approx(field * PHASE_FACTOR[phase] * 1000, rel=1e-12)
    assert small[f"cum_{phase}_{'mcf' if phase == 'gas' else 'bbl'}"] == pytest.approx(field * 1000, rel=1e-12)
    if phase == "oil":
        assert field * 158.987294928 == pytest.approx(metric["cum_oil_sm3"], rel=1e-12)
    field_total = queries.field_info(volve, VOLVE)[f"cum_{phase}_{STORED[phase]}"]
    metric_total = queries.field_info(volve, VOLVE, units.METRIC)[f"cum_{phase}_{'msm3' if phase == 'gas' else 'ksm3'}"]
    assert metric_total == pytest.approx(field_total * PHASE_FACTOR[phase], rel=1e-12)


def test_gor_in_metric_is_scf_per_bbl_over_5_614583(volve: storage.Connection) -> None:
    field = queries.read_all(volve, queries.well_history_view(WELL, window=WINDOW))
    metric = queries.read_all(volve, queries.well_history_view(WELL, units=units.METRIC, window=WINDOW))
    at = field[0].index("gor_scf_bbl"), metric[0].index("gor_sm3_sm3"), field[0].index("water_cut")
    for ours, theirs in zip(field[1], metric[1], strict=True):
        assert theirs[at[1]] == pytest.approx(ours[at[0]] / 5.614583, rel=1e-6)
        assert theirs[at[2]] == ours[at[2]]  # water cut stays a fraction


def test_every_view_names_its_columns_in_the_units_chosen(volve: storage.Connection) -> None:
    views = (queries.well_history_view(WELL, units=units.METRIC), queries.field_monthly_view(VOLVE, units.METRIC),
             queries.field_wells_view(VOLVE, units=units.METRIC), queries.top_wells_view(5, units.METRIC))
    for view in views:
        columns, _ = queries.read_all(volve, view)
        assert not [c for c in columns if c.endswith(("_kbbl", "_kbd", "_mmcf", "_mmcfd", "_scf_bbl"))], view.name
        assert view.name.endswith("-metric")


def test_window_sums_equal_sums_computed_from_the_source_file(volve: storage.Connection) -> None:
    expected = source_volumes("2010-01", "2012-12")
    well = queries.well(volve, WELL, window=WINDOW)
    assert (well["first_period"], well["last_period"]) == ("2010-01", "2012-12")
    for phase in ("oil", "gas", "water"):
        assert well[f"window_cum_{phase}_{STORED[phase]}"] == pytest.approx(expected[WELL, phase], rel=1e-9)
        field_sum = sum(v for (_, p), v in expected.items() if p == phase)
        info = queries.field_info(volve, VOLVE, window=WINDOW)
        assert info[f"window_cum_{phase}_{STORED[phase]}"] == pytest.approx(field_sum, rel=1e-9)
    assert queries.stats(volve, window=WINDOW)["oil_kbbl"] == pytest.approx(
        sum(v for (_, p), v in expected.items() if p == "oil"), rel=1e-9)
    columns, wells = queries.read_all(volve, queries.field_wells_view(VOLVE, window=WINDOW))
    by_well = {w[0]: w[columns.index("window_cum_oil_kbbl")] for w in wells}
    assert by_well == pytest.approx({w: v for (w, p), v in expected.items() if p == "oil"}, rel=1e-9)


def test_a_windowed_history_counts_its_cumulative_from_the_windows_first_month(volve: storage.Connection) -> None:
    columns, rows = queries.read_all(volve, queries.well_history_view(WELL, window=WINDOW))
    history = [dict(zip(columns, r, strict=True)) for r in rows]
    assert history[0]["period"] == "2010-01" and history[-1]["period"] == "2012-12"
    assert history[0]["window_cum_oil_kbbl"] == pytest.approx(history[0]["oil_kbbl"])
    assert history[-1]["window_cum_oil_kbbl"] == pytest.approx(source_volumes("2010-01", "2012-12")[WELL, "oil"])
    _, monthly = queries.read_all(volve, queries.field_monthly_view(VOLVE, window=WINDOW))
    assert len(monthly) == 36


def test_monthly_volumes_are_the_rate_times_the_days_of_the_month(volve: storage.Connection) -> None:
    rates = queries.read_all(volve, queries.well_history_view(WELL, units=units.FIELD_SMALL))
    volumes = queries.read_all(volve, queries.well_history_view(WELL, units=units.FIELD_SMALL, volumes=True))
    assert volumes[0][3:7] == ["oil_bbl", "gas_mcf", "water_bbl", "liquids_bbl"]
    for rate, volume in zip(rates[1], volumes[1], strict=True):
        year, month = map(int, rate[1].split("-"))
        assert volume[3] == pytest.approx(rate[3] * calendar.monthrange(year, month)[1])


def test_a_month_that_is_not_yyyy_mm_or_a_window_that_ends_first_is_refused() -> None:
    with pytest.raises(WindowError, match="--from: '2021-13' is not a month"):
        Window.parse("2021-13", None)
    with pytest.raises(WindowError, match="ends"):
        Window.parse("2022-01", "2021-12")
    assert Window.last_months(12, Window.parse("2023-12", None).first).label == "2023-01 .. 2023-12"  # type: ignore[arg-type]


def test_the_command_line_gives_json_keys_with_units_and_exports_say_theirs(
    isolated_user_dirs: Path, tmp_path: Path
) -> None:
    db = tmp_path / "cli.duckdb"

    def wellprod(*args: str) -> Result:
        return run_cli(*args, db=db)

    assert wellprod("import", str(DATA / "volve_monthly.csv")).returncode == 0
    well = json.loads(wellprod("well", str(WELL), "--json", "--units", "metric", "--from", "2010-01",
                               "--to", "2012-12").stdout)
    assert well["units"] == "metric" and well["window"] == {"from": "2010-01", "to": "2012-12"}
    assert {"window_cum_oil_sm3", "window_cum_gas_ksm3", "last_oil_sm3_d", "last_gor_sm3_sm3"} <= set(well)
    assert {"oil_sm3_d", "gas_ksm3_d", "oil_sm3", "window_cum_water_sm3"} <= set(well["history"][0])
    assert len(well["history"]) == 36
    field = json.loads(wellprod("field", str(VOLVE), "--json", "--units", "field-small").stdout)
    assert {"cum_oil_bbl", "cum_gas_mcf"} <= set(field) and "cum_oil_bbl" in field["well_list"][0]
    stats = json.loads(wellprod("stats", "--json", "--units", "metric", "--from", "2016-01").stdout)
    assert {"oil_ksm3", "gas_msm3"} <= set(stats) and stats["first_period"] == "2016-01"
    exported = wellprod("export", "--well", str(WELL), "--units", "metric", "--from", "2010-01", "--to", "2012-12",
                        "-o", "-").stdout.splitlines()
    assert exported[0].split(",")[3:5] == ["oil_sm3_d", "gas_ksm3_d"] and len(exported) == 1 + 36
    assert "window_cum_oil_sm3" in exported[0]
    text = wellprod("well", str(WELL), "--units", "field-small", "--from", "2010-01").stdout
    assert text.startswith("window") and "from 2010-01\n" in text and "window_cum_oil_bbl" in text
    bad = wellprod("stats", "--from", "2010-1x")
    assert bad.returncode == 2 and "--from: '2010-1x' is not a month written YYYY-MM" in bad.stderr
