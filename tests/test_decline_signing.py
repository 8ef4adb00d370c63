"""A decline an engineer can sign: flags on the fits that need a look, spikes left out and named, months excluded,
qi/Di/b locked, defaults said, the units chosen; the CLI's text, JSON and CSV agree."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from tests.conftest import DATA
from tests.decline_wells import make_wells, write_csv
from tests.helpers.cli import run_cli
from wellprod_tui.core.units import M3_PER_BBL
from wellprod_tui.decline.curves import DAYS_PER_YEAR

SPIKE, SHORT, ABANDONED = 1000, 2000, 3000
VOLVE_WELL = 5599  # 0 in its last month, 2016-09


@pytest.fixture(scope="module")
def wells_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spike well (its second month five times the peak), a three-point well, and a well shut in for good."""
    folder = tmp_path_factory.mktemp("signing")
    one = np.ones(1)
    spike, _ = make_wells(one * 2.0, one * 0.9, one * 0.6, months=48, noise=0.03, shut_in=0, first_code=SPIKE)
    spike = spike.with_columns(pl.when(pl.col("production_period") == "2015-02")
                               .then(pl.col("oil_production_kbd") * 12).otherwise(pl.col("oil_production_kbd"))
                               .alias("oil_production_kbd"))
    short, _ = make_wells(one, one * 1.5, one * 0.3, months=5, noise=0.02, shut_in=0, first_code=SHORT)
    gone, _ = make_wells(one, one * 0.6, one * 0.5, months=40, noise=0.03, shut_in=0, first_code=ABANDONED)
    off = pl.col("production_period") >= "2017-12"
    gone = gone.with_columns(*(pl.when(off).then(0.0).otherwise(pl.col(c)).alias(c) for c in
                               ("oil_production_kbd", "gas_production_mmcfd", "liquids_production_kbd",
                                "water_production_kbd", "days_on_production")))
    db = folder / "wells.duckdb"
    assert run_cli("import", str(write_csv(pl.concat([spike, short, gone]), folder / "wells.csv")), db=db).code == 0
    return db


def decline_json(db: Path, *args: str) -> dict[str, Any]:
    result = run_cli("decline", *args, "--json", db=db)
    assert result.code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def decline_text(db: Path, *args: str) -> str:
    result = run_cli("decline", *args, db=db)
    assert result.code == 0, result.stderr
    return result.stdout


def flag_names(data: dict[str, Any]) -> set[str]:
    return {f["name"] for f in data["flags"]}


def test_a_spike_is_left_out_named_and_no_longer_starts_the_window(wells_db: Path) -> None:
    data = decline_json(wells_db, str(SPIKE))
    assert data["fit_start"] == "2015-03"  # the true peak, not the 2015-02 spike
    assert {"month": "2015-02", "reason": "spike"} not in data["left_out"]  # before the window: not in the fit
    assert "spike" in flag_names(data)
    assert 1.6 < data["qi"] < 2.4 and 0.3 < data["b"] < 0.9
    text = decline_text(wells_db, str(SPIKE))
    assert "fit 2015-03..2018-12" in text and "flag         spike: 2015-02 is a single-month spike" in text
    kept = decline_json(wells_db, str(SPIKE), "--include", "2015-02")  # a spike kept is the peak again
    assert kept["fit_start"] == "2015-02" and "spike" not in flag_names(kept) and kept["include"] == ["2015-02"]
    old = decline_json(wells_db, str(SPIKE), "--from", "2015-02")  # asked for: the spike month is left out, named
    assert {"month": "2015-02", "reason": "spike"} in old["left_out"] and old["fit_start"] == "2015-03"


def test_a_three_point_well_is_flagged(wells_db: Path) -> None:
    data = decline_json(wells_db, str(SHORT))
    assert data["points"] == 3 and "few-points" in flag_names(data)
    assert "flag         few-points: 3 points in the fit (fewer than 6)" in decline_text(wells_db, str(SHORT))


def test_an_abandoned_well_has_nothing_left_and_says_when_it_passed_the_limit(wells_db: Path) -> None:
    data = decline_json(wells_db, str(ABANDONED))
    assert data["remaining"] == 0 and data["forecast"] == [] and data["limit_passed"]
    assert data["limit_month"] == "2017-12" and data["eur"] == pytest.approx(data["cum_to_date"])
    assert "past-limit" in flag_names(data) and "qel" in data["defaults"]
    text = decline_text(wells_db, str(ABANDONED), "--units", "field-small")
    assert "limit 1 bbl/d reached in 2017-12 (before the last month)" in text
    assert "defaults: limit 1 bbl/d (config), cap 30 years (config)" in text.splitlines()[0]
    assert decline_json(wells_db, str(ABANDONED), "--qel", "0")["remaining"] > 0  # no limit: the old answer


def test_excluded_months_are_left_out_in_text_and_json(wells_db: Path) -> None:
    data = decline_json(wells_db, str(SPIKE), "--exclude", "2016-01,2016-03..2016-05")
    assert data["exclude"] == ["2016-01", "2016-03", "2016-04", "2016-05"]
    assert [m["month"] for m in data["left_out"] if m["reason"] == "excluded"] == data["exclude"]
    assert data["points"] == decline_json(wells_db, str(SPIKE))["points"] - 4
    assert "left out     2016-01,2016-03..2016-05 excluded" in decline_text(
        wells_db, str(SPIKE), "--exclude", "2016-01,2016-03..2016-05")
    bad = run_cli("decline", str(SPIKE), "--exclude", "2016-05..2016-01", db=wells_db)
    assert bad.code == 2 and "ends before it starts" in bad.stderr


def test_locked_qi_and_di_are_kept_exactly_and_said(wells_db: Path) -> None:
    data = decline_json(wells_db, str(SPIKE), "--qi-fixed", "2.5", "--di-fixed", "0.6", "--di-type", "tangent")
    assert data["qi"] == pytest.approx(2.5, rel=1e-12) and data["di_tangent"] == pytest.approx(0.6, rel=1e-9)
    assert data["locks"] == {"qi": 2.5, "di": 0.6, "di_type": "tangent", "b": None}
    assert "qi-at-cap" not in flag_names(data)
    free = decline_json(wells_db, str(SPIKE), "--di-fixed", "1.2", "--di-type", "nominal", "--b", "0.5")
    assert free["di_nominal"] == pytest.approx(1.2, rel=1e-9) and free["b"] == 0.5
    text = decline_text(wells_db, str(SPIKE), "--qi-fixed", "2500", "--units", "field-small", "--b", "0.5")
    assert "locked       qi 2500 bbl/d, b 0.5" in text and "qi           2,500.000 bbl/d" in text
    bad = run_cli("decline", str(SPIKE), "--di-fixed", "0.5", "--di-type", "secant", db=wells_db)
    assert bad.code == 2 and "--di-type: secant depends on b" in bad.stderr


def test_a_harmonic_fit_takes_the_default_dmin_and_says_so(wells_db: Path) -> None:
    data = decline_json(wells_db, str(SPIKE), "--model", "harmonic")
    assert data["model"] == "modified" and data["dmin_tangent"] == pytest.approx(0.1)
    assert "dmin" in data["defaults"] and data["np_infinity"] is not None
    own = decline_json(wells_db, str(SPIKE), "--model", "harmonic", "--dmin", "0.05")
    assert "dmin" not in own["defaults"] and own["dmin_tangent"] == pytest.approx(0.05)
    assert "Dmin 10 %/yr tangent (b >= 1, none set)" in decline_text(wells_db, str(SPIKE), "--model", "harmonic")


def test_units_convert_every_figure_and_name_themselves(wells_db: Path) -> None:
    field = decline_json(wells_db, str(SPIKE))
    metric = decline_json(wells_db, str(SPIKE), "--units", "metric")
    assert metric["units"]["rate"] == "Sm³/d" and metric["units"]["system"] == "metric"
    assert metric["qi"] == pytest.approx(field["qi"] * 1000 * M3_PER_BBL)
    assert metric["eur"] == pytest.approx(field["eur"] * 1000 * M3_PER_BBL)
    assert metric["qel"] == pytest.approx(field["qel"] * 1000 * M3_PER_BBL)
    assert metric["forecast"][0]["rate"] == pytest.approx(field["forecast"][0]["rate"] * 1000 * M3_PER_BBL)
    csv_lines = run_cli("decline", str(SPIKE), "--units", "metric", "--csv", db=wells_db).stdout.splitlines()
    assert csv_lines[0].startswith("month,rate_sm3_d,volume_sm3,cumulative_sm3")
    assert float(csv_lines[-1].split(",")[3]) == pytest.approx(metric["remaining"])
    typed = decline_json(wells_db, str(SPIKE), "--units", "field-small", "--qel", "50")
    assert typed["qel"] == pytest.approx(50) and typed["rate_unit"] == "bbl/d"
    assert decline_json(wells_db, str(SPIKE), "--qel", "0.05")["remaining"] == pytest.approx(
        typed["remaining"] / 1000)


def test_flags_reach_the_csv(wells_db: Path) -> None:
    lines = run_cli("decline", str(SHORT), "--csv", db=wells_db).stdout.splitlines()
    assert lines[0].endswith(",flags") and "few-points" in lines[1].split(",")[-1]


def test_given_parameters_refuse_well_options_and_give_np_infinity(tmp_path: Path) -> None:
    bad = run_cli("decline", "--qi", "1", "--di", "0.5", "--di-type", "nominal", "--exclude", "2019-03",
                  "--basis", "producing", db=tmp_path / "x.duckdb")
    assert bad.code == 2 and "--basis, --exclude shape a fit of a well's records" in bad.stderr
    data = decline_json(tmp_path / "x.duckdb", "--qi", "1", "--di", "0.5", "--di-type", "nominal", "--b", "0.5")
    assert data["np_infinity"] == pytest.approx(1 / (0.5 / DAYS_PER_YEAR * 0.5), rel=1e-9)
    assert data["cap_month"] == "360"
    harmonic = decline_json(tmp_path / "x.duckdb", "--qi", "1", "--di", "0.5", "--di-type", "nominal", "--b", "1")
    assert harmonic["np_infinity"] is None
    assert "Np(inf)      infinite" in decline_text(tmp_path / "x.duckdb", "--qi", "1", "--di", "0.5",
                                                  "--di-type", "nominal", "--b", "1.2")


def test_a_volve_well_shut_in_at_the_end_has_nothing_remaining(tmp_path: Path) -> None:
    db = tmp_path / "volve.duckdb"
    assert run_cli("import", str(DATA / "volve_monthly.csv"), db=db).code == 0
    data = decline_json(db, str(VOLVE_WELL))
    assert data["remaining"] == 0 and data["limit_month"] == "2016-09" and "past-limit" in flag_names(data)
    assert "reached in 2016-09 (the last month)" in decline_text(db, str(VOLVE_WELL))
    assert math.isfinite(data["np_infinity"])
    field = decline_json(db, "--field", "3420717")
    assert {w["well_code"]: w["remaining"] for w in field["well_list"]}[VOLVE_WELL] == 0  # as the well says
    assert run_cli("decline", str(VOLVE_WELL), "--years", "101", db=db).code == 2
