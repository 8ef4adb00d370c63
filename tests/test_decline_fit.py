"""Fits on wells made from known curves, with noise and shut-in months, and a backtest on real Volve wells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA, run_import
from tests.decline_wells import FIELD_CODE, make_wells, write_csv
from wellprod_tui import queries, storage
from wellprod_tui.core.months import parse_month_index
from wellprod_tui.decline import curves
from wellprod_tui.decline.analysis import DeclineError, Options, well_decline
from wellprod_tui.decline.field import field_decline
from wellprod_tui.decline.render import to_json
from wellprod_tui.decline.windows import build_fit_window

VOLVE_FIELD = 3420717


def imported(con: storage.Connection, frame, tmp_path: Path) -> storage.Connection:  # type: ignore[no-untyped-def]
    run_import(con, write_csv(frame, tmp_path / "wells.csv"), tmp_path / "rejects")
    return con


def test_a_field_of_noisy_wells_with_shut_ins_gets_each_eur_within_a_few_percent(
    con: storage.Connection, tmp_path: Path
) -> None:
    rng = np.random.default_rng(3)
    wells = 40
    qi, d_year, b = rng.uniform(0.5, 5, wells), rng.uniform(0.3, 2.0, wells), rng.uniform(0, 1.6, wells)
    frame, truth = make_wells(qi, d_year, b, noise=0.08, shut_in=0.1)
    result = field_decline(imported(con, frame, tmp_path), FIELD_CODE, Options())
    assert len(result.wells) == wells and not result.unfitted
    eur = np.array([w.eur for w in result.wells])
    error = np.abs(eur / truth.eur() - 1)
    assert np.median(error) < 0.02
    assert error.max() < 0.1  # a slow well (D 0.4/yr) leaves b loose over 8 years: 8 % here
    assert all(w.qi <= 5 * 5 * 1.5 for w in result.wells)
    assert to_json(result)["eur"] == pytest.approx(truth.eur().sum(), rel=0.02)


def test_shut_in_months_are_left_out_and_the_fit_starts_at_the_peak(con: storage.Connection, tmp_path: Path) -> None:
    frame, _ = make_wells(np.array([2.0]), np.array([0.9]), np.array([0.7]), noise=0.0, shut_in=0.2)
    result = well_decline(imported(con, frame, tmp_path), 1000, Options())
    producing = int(((frame["days_on_production"] > 0) & (frame["oil_production_kbd"] > 0)).sum())
    assert result.points == producing - 2  # the two ramp-up months come before the peak
    assert to_json(result)["fit_start"] == "2015-03"
    assert result.rmse_log < 0.01
    assert result.curve.b == pytest.approx(0.7, abs=0.02)
    assert result.curve.qi == pytest.approx(2.0, rel=0.01)
    assert not result.history_used[:2].any()


def test_auto_tells_an_exponential_well_from_a_harmonic_one(con: storage.Connection, tmp_path: Path) -> None:
    frame, _ = make_wells(np.array([3.0, 3.0]), np.array([0.8, 1.5]), np.array([0.0, 1.0]), noise=0.03, seed=11)
    con = imported(con, frame, tmp_path)
    assert well_decline(con, 1000, Options()).curve.model == "exponential"
    assert well_decline(con, 1001, Options()).curve.model == "harmonic"


def test_a_locked_b_and_dmin_give_a_modified_hyperbolic_through_the_truth(
    con: storage.Connection, tmp_path: Path
) -> None:
    frame, truth = make_wells(np.array([4.0]), np.array([3.0]), np.array([1.5]), np.array([0.25]), months=120,
                              noise=0.02)
    con = imported(con, frame, tmp_path)
    result = well_decline(con, 1000, Options(model="modified", b=1.5, dmin=0.25, dmin_type="nominal"))
    assert result.curve.model == "modified" and result.curve.b == 1.5
    assert result.curve.switch_days is not None
    assert result.eur == pytest.approx(float(truth.eur()[0]), rel=0.01)
    with pytest.raises(DeclineError, match="Dmin"):
        well_decline(con, 1000, Options(model="modified"))
    with pytest.raises(DeclineError, match="exponential model has b = 0"):
        well_decline(con, 1000, Options(model="exponential", b=0.5))


def test_producing_day_rates_undo_partial_months(con: storage.Connection, tmp_path: Path) -> None:
    frame, _ = make_wells(np.array([2.0]), np.array([1.0]), np.array([0.5]), noise=0.0, shut_in=0.0)
    half = np.arange(frame.height) % 3 == 1
    days = frame["days_on_production"].to_numpy().copy()
    rate = frame["oil_production_kbd"].to_numpy().copy()
    days[half] /= 2
    rate[half] /= 2  # half the month on production: half the calendar-day rate
    frame = frame.with_columns(days_on_production=days, oil_production_kbd=rate)
    con = imported(con, frame, tmp_path)
    calendar = well_decline(con, 1000, Options(basis="calendar"))
    producing = well_decline(con, 1000, Options(basis="producing"))
    assert producing.rmse_log < 0.01 < calendar.rmse_log
    assert producing.curve.b == pytest.approx(0.5, abs=0.02)


def test_the_fit_window_follows_from_and_to(con: storage.Connection, tmp_path: Path) -> None:
    frame, _ = make_wells(np.array([2.0]), np.array([1.0]), np.array([0.5]), noise=0.0, shut_in=0.0)
    con = imported(con, frame, tmp_path)
    options = Options(from_month=parse_month_index("2016-01"), to_month=parse_month_index("201812"))
    data = to_json(well_decline(con, 1000, options))
    assert (data["fit_start"], data["fit_end"], data["points"]) == ("2016-01", "2018-12", 36)
    assert data["forecast"][0]["month"] == "2019-01"
    assert data["eur"] == pytest.approx(data["cum_to_date"] + data["remaining"])


def test_a_rising_well_is_not_given_a_decline(con: storage.Connection, tmp_path: Path) -> None:
    frame, _ = make_wells(np.array([2.0]), np.array([0.5]), np.array([0.0]), noise=0.0, shut_in=0.0)
    rate = frame["oil_production_kbd"].to_numpy()
    frame = frame.with_columns(oil_production_kbd=rate[::-1].copy())  # the same months, rising to the end
    con = imported(con, frame, tmp_path)
    with pytest.raises(DeclineError, match="peak|decline|producing months"):
        well_decline(con, 1000, Options(from_month=parse_month_index("2015-01-01")))


def test_backtest_on_volve_forecasts_the_next_twelve_months(con: storage.Connection, tmp_path: Path) -> None:
    """Fit every Volve well to 12 months before its last, compare the next 12 months' oil with what it made."""
    run_import(con, DATA / "volve_monthly.csv", tmp_path / "rejects")
    data = queries.decline_history(con, "oil", field_code=VOLVE_FIELD)
    window = build_fit_window(data, "calendar")
    report: list[tuple[int, float, float]] = []
    for code, last in zip(window.well_codes, window.end, strict=True):
        try:
            result = well_decline(con, int(code), Options(to_month=int(last) - 12))
        except DeclineError:
            continue
        later = (data["well_code"] == code) & (data["month"] > last - 12)
        months = data["month"][later]
        days = curves.month_start_days(months + 1) - curves.month_start_days(months)
        actual = float(np.nansum(data["rate"][later] * days))
        predicted = sum(volume for _, _, volume, _ in result.forecast.months[:12])
        report.append((int(code), actual, predicted))
    print("\nVolve backtest (oil, kbbl, next 12 months): well, actual, forecast, error")
    for code, actual, predicted in report:
        print(f"  {code}  {actual:9.1f}  {predicted:9.1f}  {predicted / actual - 1:+.0%}")
    assert len(report) >= 5
    total_actual, total_predicted = sum(r[1] for r in report), sum(r[2] for r in report)
    print(f"  field {total_actual:9.1f}  {total_predicted:9.1f}  {total_predicted / total_actual - 1:+.0%}")
    assert abs(total_predicted / total_actual - 1) < 0.3
    assert all(0.4 < predicted / actual < 2.5 for _, actual, predicted in report)
