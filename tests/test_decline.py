"""Arps curves and the SPEE REP #6 conventions against published cases; the forecast to a limit or a cap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wellprod_tui.core.months import month_label, parse_month_index
from wellprod_tui.decline import curves
from wellprod_tui.decline.curves import DAYS_PER_YEAR, Curve

YEAR_30 = 30 * DAYS_PER_YEAR


def close(value: float, expected: float, rel: float = 1e-6) -> bool:
    return math.isclose(value, expected, rel_tol=rel)


def test_exponential_95_percent_tangent_reaches_the_limit_with_the_published_eur() -> None:
    curve = Curve.from_stated(1000, 0.95, "tangent")
    assert close(curve.d, 0.0082018680)
    t_el = curve.days_to(10)
    assert close(t_el, math.log(100) / curve.d)
    assert close(float(curve.cumulative(t_el)), 120_704.2)
    ends, labels = curves.uniform_month_ends(30)
    result = curves.forecast(curve, 0.0, 10, YEAR_30, ends, labels)
    assert result.t_el_days is not None and close(result.t_el_days, t_el)
    assert close(result.remaining, 120_704.2)
    assert close(result.months[-1][3], 120_704.2)


def test_modified_hyperbolic_switches_and_gives_the_published_30_year_eur() -> None:
    curve = Curve.from_stated(1000, 0.8, "secant", b=1.5, dmin=0.08, dmin_type="tangent")
    assert curve.model == "modified"
    assert curve.switch_days is not None and close(curve.switch_days, 2884.43, rel=2e-6)
    assert close(float(curve.rate(5000)), 32.848922)
    assert close(float(curve.cumulative(YEAR_30)), 555_127.6)
    ends, labels = curves.uniform_month_ends(30)
    result = curves.forecast(curve, 0.0, 0.0, YEAR_30, ends, labels)
    assert result.t_el_days is None and result.forecast_days == YEAR_30
    assert close(result.remaining, 555_127.6)
    without_dmin = Curve.from_stated(1000, 0.8, "secant", b=1.5)
    assert without_dmin.switch_days is None
    assert close(float(without_dmin.cumulative(YEAR_30)), 617_998.9)


def test_hyperbolic_half_b_has_the_published_ultimate_and_secant_converts_to_nominal() -> None:
    curve = Curve.from_stated(1000, 0.8, "secant", b=0.5)
    assert close(float(curve.cumulative(1e12)), 295_493.457)
    assert close(float(curves.nominal_from_secant(0.8, 1.5)), 6.786893258332634, rel=1e-12)


@pytest.mark.parametrize("b", [0.0, 1e-12, 0.3, 0.5, 1.0, 1.0 + 1e-12, 1.5, 2.0])
def test_secant_and_tangent_round_trip_through_nominal_for_any_b(b: float) -> None:
    for de in (0.05, 0.3, 0.8, 0.99):
        d = float(curves.nominal_from_secant(de, b))
        assert close(float(curves.secant_from_nominal(d, b)), de, rel=1e-10)
        if d < 30:  # beyond, 1 - exp(-D) rounds to 1
            assert close(float(curves.nominal_from_tangent(curves.tangent_from_nominal(d))), d, rel=1e-10)
        assert close(float(curves.tangent_from_nominal(d)), 1 - math.exp(-d), rel=1e-12)


def test_secant_decline_is_what_the_curve_loses_in_its_first_year() -> None:
    for b in (0.0, 0.5, 1.0, 1.7):
        curve = Curve.from_stated(500, 0.6, "secant", b=b)
        assert close(float(curve.rate(DAYS_PER_YEAR)), 500 * 0.4, rel=1e-10)


def test_harmonic_closed_forms_and_limits_on_each_side_of_b_one_agree() -> None:
    d = 1.2 / DAYS_PER_YEAR
    t = np.array([10.0, 400.0, 5000.0])
    harmonic = curves.cumulative(t, 100, d, 1.0)
    assert np.allclose(harmonic, 100 / d * np.log1p(d * t), rtol=1e-12)
    for b in (1 - 1e-7, 1 + 1e-7):
        assert np.allclose(curves.cumulative(t, 100, d, b), harmonic, rtol=1e-6)
    assert np.allclose(curves.cumulative(t, 100, d, 1e-10), 100 / d * (1 - np.exp(-d * t)), rtol=1e-8)


def test_cumulative_is_the_integral_of_the_rate_for_every_model() -> None:
    t = np.linspace(0, 20 * DAYS_PER_YEAR, 200_001)
    for b, dmin in ((0.0, 0.0), (0.6, 0.0), (1.0, 0.0), (1.4, 0.1 / DAYS_PER_YEAR), (0.9, 0.05 / DAYS_PER_YEAR)):
        q = curves.rate(t, 800, 2.0 / DAYS_PER_YEAR, b, dmin)
        integral = float(np.sum((q[1:] + q[:-1]) / 2 * np.diff(t)))
        assert close(float(curves.cumulative(t[-1], 800, 2.0 / DAYS_PER_YEAR, b, dmin)), integral, rel=1e-7)


def test_time_to_the_limit_lands_on_the_limit_rate_before_and_after_the_switch() -> None:
    curve = Curve.from_stated(1000, 0.8, "secant", b=1.5, dmin=0.08, dmin_type="tangent")
    q_star = float(curve.rate(curve.switch_days))
    for qel in (q_star * 3, q_star / 3):
        assert close(float(curve.rate(curve.days_to(qel))), qel, rel=1e-10)
    assert curve.days_to(2000) == 0.0
    assert curve.days_to(0) == math.inf


def test_a_decline_already_below_dmin_declines_at_dmin_from_the_start() -> None:
    curve = Curve.from_stated(100, 0.05, "nominal", b=1.0, dmin=0.1, dmin_type="nominal")
    assert curve.switch_days == 0.0
    assert close(float(curve.rate(DAYS_PER_YEAR)), 100 * math.exp(-0.1))


def test_stated_declines_report_each_convention() -> None:
    curve = Curve.from_stated(1000, 0.8, "secant", b=1.5, dmin=0.08, dmin_type="secant")
    stated = curve.stated()
    assert close(stated["di_nominal"], 6.786893258332634)
    assert close(stated["di_secant"], 0.8)
    assert close(stated["di_tangent"], 1 - math.exp(-6.786893258332634))
    assert close(stated["dmin_nominal"], -math.log(0.92))  # the tail is exponential: secant = tangent


@pytest.mark.parametrize(
    ("value", "kind", "b"), [(0.0, "nominal", 0), (1.0, "secant", 0.5), (1.2, "tangent", 0), (0.5, "weekly", 0)]
)
def test_impossible_declines_are_refused_with_their_name(value: float, kind: str, b: float) -> None:
    with pytest.raises(curves.DeclineInputError, match="Di"):
        Curve.from_stated(100, value, kind, b=b)


def test_calendar_month_ends_follow_the_calendar() -> None:
    ends, labels = curves.month_ends_after(parse_month_index("2024-01", "--to"), 1)
    assert labels[:3] == ["2024-02", "2024-03", "2024-04"]
    assert list(ends[:3]) == [29.0, 60.0, 90.0]  # 2024 is a leap year
    assert month_label(parse_month_index("1999-12", "--from")) == "1999-12"
