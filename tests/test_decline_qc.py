"""Each QC flag is raised by what it names, and only then; each says so in a sentence."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wellprod_tui.decline import qc

CLEAN = qc.Seen(qi=1.0, qi_cap=5.0, qi_locked=False, b=0.6, b_searched=True, dmin=0.0, points=24, rmse_log=0.1,
                spike_start=-1, limit_passed=None, first_forecast_rate=0.5, last_fitted_rate=0.52)


DEFAULT = qc.Thresholds()


def names(seen: qc.Seen, thresholds: qc.Thresholds = DEFAULT) -> list[str]:
    return [f.name for f in qc.flags(seen, thresholds)]


def test_a_clean_fit_raises_no_flag() -> None:
    assert names(CLEAN) == []


@pytest.mark.parametrize(("change", "flag", "said"), [
    ({"qi": 5.0}, "qi-at-cap", "qi sits at its cap"),
    ({"b": 2.0, "dmin": 1e-4}, "b-on-bound", "b = 2.00 sits on a bound"),
    ({"b": 0.0}, "b-on-bound", "b = 0.00 sits on a bound"),
    ({"b": 1.4}, "b-over-1-no-dmin", "the EUR grows with the cap"),
    ({"points": 3}, "few-points", "3 points in the fit (fewer than 6)"),
    ({"rmse_log": 0.7}, "high-rmse", "rmse of ln q 0.70 is above 0.5"),
    ({"spike_start": 2019 * 12 + 2}, "spike", "2019-03 is a single-month spike"),
    ({"limit_passed": "2016-09"}, "past-limit", "below the economic limit from 2016-09 on"),
    ({"first_forecast_rate": 1.0}, "rises", "the forecast starts 1.9 times above the last fitted month"),
])
def test_each_flag_names_what_it_saw(change: dict[str, object], flag: str, said: str) -> None:
    [raised] = qc.flags(replace(CLEAN, **change), qc.Thresholds())  # type: ignore[arg-type]
    assert raised.name == flag and said in raised.sentence and raised.name in qc.NAMES


def test_locked_or_fixed_parameters_are_not_flagged_for_their_bounds() -> None:
    assert names(replace(CLEAN, qi=5.0, qi_locked=True)) == []
    assert names(replace(CLEAN, b=0.0, b_searched=False)) == []
    assert names(replace(CLEAN, b=1.4, dmin=1e-4)) == []


def test_thresholds_come_from_the_options() -> None:
    assert names(replace(CLEAN, points=8), qc.Thresholds(min_points=10)) == ["few-points"]
    assert names(replace(CLEAN, rmse_log=0.3), qc.Thresholds(max_rmse_log=0.2)) == ["high-rmse"]
