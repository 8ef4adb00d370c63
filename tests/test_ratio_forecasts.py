"""Gas and water forecast from the oil forecast through their ratio to oil against cumulative oil (``--phase gas
--from-ratio``), checked against the same trend computed here from the records, and the EUR of each phase."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest

from tests.conftest import DATA
from wellprod_tui import cli
from wellprod_tui.core.units import M3_PER_BBL, M3_PER_FT3

VOLVE_WELL = 5599


@pytest.fixture
def volve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "ratios.duckdb"
    assert cli.main(["import", "--db", str(db), str(DATA / "volve_monthly.csv")]) == 0
    capsys.readouterr()
    return db


def decline(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["decline", str(VOLVE_WELL), "--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict[str, Any]:
    code, out, err = decline(capsys, db, *args, "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def records(db: Path, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Month labels, days in month, oil and ``column`` calendar-day rates of the well, read here."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            f"""SELECT strftime(production_period, '%Y-%m'), day(last_day(production_period)),
                       oil_production_kbd, {column}
                FROM production WHERE well_code = ? ORDER BY production_period""", [VOLVE_WELL]).fetchall()
    month, days, oil, other = zip(*rows, strict=True)
    as_float = lambda values: np.array([np.nan if v is None else v for v in values], dtype=float)  # noqa: E731
    return np.array(month), np.array(days, dtype=float), as_float(oil), as_float(other)


@pytest.mark.parametrize(("phase", "column"), [("gas", "gas_production_mmcfd"), ("water", "water_production_kbd")])
def test_a_phase_from_ratio_is_the_oil_forecast_times_the_fitted_ratio_at_a_chosen_month(
    capsys: pytest.CaptureFixture[str], volve: Path, phase: str, column: str
) -> None:
    # to 2016-06: the well's last month (2016-09) is below any limit, and a limit passed leaves no forecast
    data = as_json(capsys, volve, "--phase", phase, "--from-ratio", "--qel", "0.05", "--to", "2016-06")
    oil = data["oil"]
    assert oil["phase"] == "oil" and data["phase"] == phase and oil["qel"] == 0.05

    month, days, oil_rate, other_rate = records(volve, column)
    oil_volume = np.nan_to_num(oil_rate) * days
    np_mid = np.cumsum(oil_volume) - oil_volume / 2
    window = (month >= oil["fit_start"]) & (month <= oil["fit_end"]) & (oil_rate > 0) & (other_rate > 0)
    slope, intercept = np.polyfit(np_mid[window], np.log(other_rate[window] / oil_rate[window]), 1)
    assert data["ratio"]["points"] == int(window.sum())

    for k in (0, 11, len(oil["forecast"]) // 2, len(oil["forecast"]) - 1):  # months chosen along the forecast
        m = oil["forecast"][k]
        np_k = oil["cum_to_date"] + m["cumulative"] - m["volume"] / 2
        expected = m["rate"] * np.exp(intercept + slope * np_k)
        assert data["forecast"][k]["month"] == m["month"]
        assert data["forecast"][k]["rate"] == pytest.approx(expected, rel=1e-9)

    to_date = month <= oil["fit_end"]
    cum = float(np.nansum(other_rate[to_date] * days[to_date]))
    assert data["cum_to_date"] == pytest.approx(cum, rel=1e-9)
    assert data["eur"] == pytest.approx(cum + sum(m["volume"] for m in data["forecast"]), rel=1e-9)


def test_each_phase_has_its_eur_and_they_agree_across_answers(capsys: pytest.CaptureFixture[str],
                                                              volve: Path) -> None:
    gas = as_json(capsys, volve, "--phase", "gas", "--from-ratio")
    water = as_json(capsys, volve, "--phase", "water", "--from-ratio")
    oil = as_json(capsys, volve)
    assert set(gas["eur_by_phase"]) == set(water["eur_by_phase"]) == {"oil", "gas", "water"}
    assert gas["eur_by_phase"]["oil"] == pytest.approx(oil["eur"])
    assert gas["eur_by_phase"]["gas"] == pytest.approx(gas["eur"])
    assert gas["eur_by_phase"]["water"] == pytest.approx(water["eur"])
    assert water["eur_by_phase"]["gas"] == pytest.approx(gas["eur"])
    code, text, _ = decline(capsys, volve, "--phase", "gas", "--from-ratio")
    assert code == 0 and text.startswith(f"well {VOLVE_WELL}  gas from oil × GOR")
    assert f"EUR by phase oil {oil['eur']:,.1f} kbbl" in text and f"gas {gas['eur']:,.1f} MMcf" in text


def test_a_ratio_forecast_follows_the_saved_oil_fit_and_its_csv_carries_both(
    capsys: pytest.CaptureFixture[str], volve: Path
) -> None:
    saved = as_json(capsys, volve, "--b", "0.3", "--to", "2016-06", "--save")  # a fit with months to forecast
    gas = as_json(capsys, volve, "--phase", "gas", "--from-ratio")
    assert gas["oil"]["b"] == 0.3 and gas["oil"]["saved"] is not None
    assert gas["eur_by_phase"]["oil"] == pytest.approx(saved["eur"])
    code, text, _ = decline(capsys, volve, "--phase", "gas", "--from-ratio", "--csv")
    frame = pl.read_csv(io.StringIO(text))
    first = frame.row(0, named=True)
    assert (first["phase"], first["ratio"], first["b"]) == ("gas", "GOR", 0.3)
    assert first["eur_mmcf"] == pytest.approx(gas["eur"]) and first["eur_kbbl"] == pytest.approx(saved["eur"])
    assert frame["rate_mmcfd"].to_list() == pytest.approx([m["rate"] for m in gas["forecast"]])


@pytest.mark.parametrize("args", [("--phase", "oil"), ("--field", "3420717", "--phase", "gas")])
def test_from_ratio_needs_a_well_and_gas_or_water(capsys: pytest.CaptureFixture[str], volve: Path,
                                                  args: tuple[str, ...]) -> None:
    code = cli.main(["decline", "--db", str(volve), *args, "--from-ratio"])
    assert code == 2 and "--from-ratio goes with a WELL and --phase gas or water" in capsys.readouterr().err


def test_a_well_whose_gor_follows_a_known_trend_has_that_trend_found_and_forecast(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    months = np.arange(2015 * 12, 2015 * 12 + 48)
    first_days = np.array([np.datetime64(f"{m // 12}-{m % 12 + 1:02d}-01") for m in months])
    days = ((first_days + np.timedelta64(32, "D")).astype("datetime64[M]") - first_days).astype(float)
    oil = 2.0 * np.exp(-0.03 * np.arange(len(months)))  # kbd, falling 3 % a month
    np_mid = np.cumsum(oil * days) - oil * days / 2
    gor = 0.5 * np.exp(0.002 * np_mid)  # MMcf/kbbl, rising with cumulative oil
    frame = pl.DataFrame({"well_code": 9001, "production_period": [str(d)[:7] for d in first_days],
                          "days_on_production": days, "oil_production_kbd": oil, "gas_production_mmcfd": oil * gor,
                          "water_production_kbd": 0.0})
    records_csv, db = tmp_path / "gor.csv", tmp_path / "gor.duckdb"
    frame.write_csv(records_csv)
    assert cli.main(["import", "--db", str(db), str(records_csv)]) == 0
    capsys.readouterr()

    assert cli.main(["decline", "9001", "--db", str(db), "--phase", "gas", "--from-ratio", "--model",
                     "exponential", "--qel", "0.1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    trend = data["ratio"]
    assert trend["slope_per_kbbl"] == pytest.approx(0.002, rel=1e-9)
    assert np.exp(trend["intercept"]) == pytest.approx(0.5, rel=1e-9) and trend["rmse_log"] < 1e-9
    assert data["eur_by_phase"]["water"] is None  # no water: no trend, and said
    for m, g in zip(data["oil"]["forecast"], data["forecast"], strict=True):
        np_k = data["oil"]["cum_to_date"] + m["cumulative"] - m["volume"] / 2
        assert g["rate"] == pytest.approx(m["rate"] * 0.5 * np.exp(0.002 * np_k), rel=1e-9)
    assert data["forecast"][-1]["month"] == data["oil"]["limit_month"]  # gas ends where oil reaches its limit


def test_a_ratio_forecast_follows_the_units_asked_for(capsys: pytest.CaptureFixture[str], volve: Path) -> None:
    args = ("--phase", "gas", "--from-ratio", "--to", "2016-06")
    field = as_json(capsys, volve, *args)
    metric = as_json(capsys, volve, *args, "--units", "metric")
    gas, oil = 1000 * M3_PER_FT3, 1000 * M3_PER_BBL  # MMcf -> kSm³, kbbl -> Sm³
    assert metric["units"]["volume"] == "kSm³" and metric["oil"]["units"]["volume"] == "Sm³"
    assert metric["eur"] == pytest.approx(field["eur"] * gas)
    assert metric["forecast"][0]["rate"] == pytest.approx(field["forecast"][0]["rate"] * gas)
    assert metric["eur_by_phase"]["oil"] == pytest.approx(field["eur_by_phase"]["oil"] * oil)
    assert metric["eur_by_phase_units"] == {"oil": "Sm³", "water": "Sm³", "gas": "kSm³"}
    assert metric["ratio"] == field["ratio"]  # the trend is said in the units it was fitted in
    code, text, _ = decline(capsys, volve, *args, "--units", "metric", "--csv")
    row = pl.read_csv(io.StringIO(text)).row(0, named=True)
    assert code == 0 and row["eur_ksm3"] == pytest.approx(metric["eur"]) and row["qi_sm3_d"] > 0
