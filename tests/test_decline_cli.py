"""``wellprod decline`` as its users call it: given parameters, a well, a field; JSON keys, exit codes, config."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from wellprod_tui import cli
from wellprod_tui.decline.curves import DAYS_PER_YEAR

KEYS = {"model", "qi", "b", "di_nominal", "di_secant", "di_tangent", "dmin_nominal", "switch_days", "t_el_days",
        "forecast_days", "eur", "cum_to_date", "remaining", "fit_start", "fit_end", "points", "rmse_log", "basis",
        "phase"}
VOLVE_FIELD, VOLVE_WELL = 3420717, 5599


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "decline.duckdb"


@pytest.fixture
def volve(db: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert cli.main(["import", "--db", str(db), str(DATA / "volve_monthly.csv")]) == 0
    capsys.readouterr()
    return db


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main(["decline", *args])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, out, err


def test_given_parameters_forecast_without_a_database(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, data, _ = run(capsys, "--db", str(db), "--qi", "1000", "--di", "0.95", "--di-type", "tangent",
                        "--qel", "10", "--json")
    assert code == 0 and not db.exists()
    assert set(data) >= KEYS
    assert data["model"] == "exponential"
    assert math.isclose(data["di_nominal"] / DAYS_PER_YEAR, 0.0082018680, rel_tol=1e-6)
    assert math.isclose(data["eur"], 120_704.2, rel_tol=1e-6)
    assert math.isclose(data["t_el_days"], math.log(100) / (data["di_nominal"] / DAYS_PER_YEAR), rel_tol=1e-9)
    assert data["forecast_days"] == data["t_el_days"]
    assert data["forecast"][0]["month"] == "1" and data["forecast"][-1]["cumulative"] == pytest.approx(data["eur"])


def test_the_modified_hyperbolic_case_as_the_issue_publishes_it(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--qi", "1000", "--di", "0.8", "--di-type", "secant", "--b", "1.5", "--qel", "0", "--years", "30"]
    code, data, _ = run(capsys, *args, "--dmin", "0.08", "--dmin-type", "tangent", "--json")
    assert code == 0
    assert data["model"] == "modified"
    assert math.isclose(data["switch_days"], 2884.43, rel_tol=2e-6)
    assert math.isclose(data["eur"], 555_127.6, rel_tol=1e-6)
    assert data["t_el_days"] is None and data["forecast_days"] == 30 * DAYS_PER_YEAR
    assert math.isclose(data["dmin_nominal"], -math.log(0.92), rel_tol=1e-12)
    _, plain, _ = run(capsys, *args, "--json")
    assert (plain["model"], plain["dmin_nominal"], plain["switch_days"]) == ("hyperbolic", None, None)
    assert math.isclose(plain["eur"], 617_998.9, rel_tol=1e-6)
    assert math.isclose(plain["di_nominal"], 6.786893258332634, rel_tol=1e-12)


def test_a_well_is_fitted_and_forecast_from_its_last_month(capsys: pytest.CaptureFixture[str], volve: Path) -> None:
    # no limit: with the default one the well (0 in its last month, 2016-09) has nothing left
    code, data, _ = run(capsys, str(VOLVE_WELL), "--db", str(volve), "--qel", "0", "--json")
    assert code == 0
    assert set(data) >= KEYS
    assert (data["phase"], data["basis"], data["fit_end"]) == ("oil", "calendar", "2016-09")
    assert data["points"] > 50 and data["rmse_log"] > 0
    assert data["eur"] == pytest.approx(data["cum_to_date"] + data["remaining"])
    assert data["forecast"][0]["month"] == "2016-10"
    assert data["forecast_days"] == 30 * DAYS_PER_YEAR and data["t_el_days"] is None
    code, text, _ = run(capsys, str(VOLVE_WELL), "--db", str(volve), "--phase", "gas", "--basis", "producing",
                        "--qel", "0")
    assert code == 0 and "EUR" in text and "MMcf" in text and "producing-day" in text


def test_an_economic_limit_ends_the_forecast_before_the_cap(capsys: pytest.CaptureFixture[str], volve: Path) -> None:
    code, data, _ = run(capsys, str(VOLVE_WELL), "--db", str(volve), "--qel", "0.5", "--to", "2016-07", "--json")
    assert code == 0
    assert data["t_el_days"] is not None and data["t_el_days"] == data["forecast_days"] < 30 * DAYS_PER_YEAR
    assert data["limit_month"] == data["forecast"][-1]["month"]


def test_a_field_sums_its_wells_and_lists_those_it_cannot_fit(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    code, data, _ = run(capsys, "--field", str(VOLVE_FIELD), "--db", str(volve), "--json")
    assert code == 0
    assert data["fitted"] + len(data["unfitted"]) == data["wells"] == 6  # 5693 only injects: not in the fits
    assert {w["well_code"] for w in data["unfitted"]} == {5769}
    assert all(w["reason"] for w in data["unfitted"])
    assert data["remaining"] == pytest.approx(sum(w["remaining"] for w in data["well_list"]))
    assert data["forecast"][-1]["cumulative"] == pytest.approx(data["remaining"])
    code, text, _ = run(capsys, "--field", str(VOLVE_FIELD), "--db", str(volve))
    assert "not fitted   5769" in text


def test_the_cap_comes_from_the_config_unless_years_is_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[decline]\ncap_years = 10\nqel_oil_kbd = 0\n", encoding="utf-8")
    base = ["--config", str(config), "--qi", "5", "--di", "0.5", "--di-type", "nominal", "--json"]
    _, data, _ = run(capsys, *base)
    assert data["forecast_days"] == 10 * DAYS_PER_YEAR
    _, data, _ = run(capsys, *base, "--years", "5")
    assert data["forecast_days"] == 5 * DAYS_PER_YEAR


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["--qi", "1000", "--di", "0.8"], 2, "--di-type"),
        (["--qi", "1000", "--di", "1.2", "--di-type", "secant"], 2, "fraction below 1"),
        (["--qi", "1000", "--di", "0.5", "--di-type", "nominal", "--b", "2.5"], 2, "--b: must lie in [0, 2]"),
        ([str(VOLVE_WELL), "--from", "2016-13"], 2, "--from: '2016-13' is not a month written YYYY-MM"),
        ([str(VOLVE_WELL), "--model", "modified"], 2, "--dmin: must be set for the modified hyperbolic"),
        ([str(VOLVE_WELL), "--model", "harmonic", "--b", "0.5"], 2, "--b: cannot be 0.5: the harmonic model has b = 1"),
        ([str(VOLVE_WELL), "--qel", "-1"], 2, "--qel: must be a rate of 0 or more"),
        ([str(VOLVE_WELL), "--dmin", "-1"], 2, "--dmin: must be a positive number"),
        ([str(VOLVE_WELL), "--from", "2016-01", "--to", "2015-12"], 2, "--from: must not come after --to"),
        (["5769"], 1, "producing months in the fit window"),
        (["424242"], 1, "no well with code 424242"),
        ([], 2, "give a WELL code"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    capsys: pytest.CaptureFixture[str], volve: Path, args: list[str], exit_code: int, message: str
) -> None:
    code, out, err = run(capsys, *args, "--db", str(volve))
    assert code == exit_code
    assert message in err and "Traceback" not in err


def test_a_fit_window_reads_each_month_form_an_import_reads(capsys: pytest.CaptureFixture[str], volve: Path) -> None:
    answers = [run(capsys, str(VOLVE_WELL), "--db", str(volve), "--from", first, "--to", last, "--json")[1]
               for first, last in (("2012-01", "2014-06"), ("2012-01-01", "2014-06-01"), ("201201", "201406"))]
    assert (answers[0]["fit_start"], answers[0]["fit_end"]) == ("2012-01", "2014-06")
    assert answers[0] == answers[1] == answers[2]


def test_a_well_s_forecast_prints_as_csv_with_the_units_in_its_header(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    _, data, _ = run(capsys, str(VOLVE_WELL), "--db", str(volve), "--phase", "gas", "--qel", "0", "--json")
    code, text, _ = run(capsys, str(VOLVE_WELL), "--db", str(volve), "--phase", "gas", "--qel", "0", "--csv")
    lines = text.splitlines()
    assert code == 0 and lines[0].startswith("month,rate_mmcfd,volume_mmcf,cumulative_mmcf")
    assert len(lines) - 1 == len(data["forecast"])
    month, _, _, cumulative = lines[-1].split(",")[:4]
    assert month == data["forecast"][-1]["month"] and float(cumulative) == pytest.approx(data["remaining"])
