"""Decline answers for the CLI and the app: one well, a field (the sum of its wells), or given parameters.

Reads the records through queries, fits with decline_fit, forecasts with decline; returns plain results that
print as JSON. Rates are the phase's unit per day (kbd, MMcfd), volumes that unit × days (kbbl, MMcf).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wellprod_tui import queries
from wellprod_tui.decline import curves
from wellprod_tui.decline.curves import DAYS_PER_YEAR, Curve, Forecast
from wellprod_tui.decline.fit import LOG_D_MIN, FitError, Fits, Points, fit_points
from wellprod_tui.decline.windows import Window, basis_rate, build_window, usable
from wellprod_tui.storage.connection import Connection

PHASE_UNITS = {"oil": ("kbd", "kbbl"), "gas": ("MMcfd", "MMcf"), "water": ("kbd", "kbbl")}
#: In a field forecast, a well with no production in the field's last this-many months counts as shut in.
SHUT_IN_MONTHS = 12
NO_DECLINE = "the rate does not decline over the fit window"


class DeclineError(ValueError):
    """A well or field that cannot be fitted, or options that cannot be used; the message says why."""


@dataclass(frozen=True)
class Options:
    """How to fit and forecast: phase, model, rate basis, b lock, Dmin, window, economic limit and cap."""

    phase: str = "oil"
    model: str = "auto"
    basis: str = "calendar"
    b: float | None = None
    dmin: float | None = None
    dmin_type: str = "tangent"
    from_month: int | None = None
    to_month: int | None = None
    qel: float = 0.0
    years: float = 30.0

    @property
    def dmin_per_day(self) -> float:
        """Dmin as a nominal decline per day (0: none)."""
        if self.dmin is None:
            return 0.0
        return curves.to_nominal(self.dmin, self.dmin_type, 0.0, "Dmin") / DAYS_PER_YEAR

    @property
    def cap_days(self) -> float:
        """The forecast's cap in days."""
        return self.years * DAYS_PER_YEAR

    def check(self) -> None:
        """DeclineError naming the option that cannot be used."""
        if self.phase not in PHASE_UNITS:
            raise DeclineError(f"phase must be one of {', '.join(PHASE_UNITS)}, not {self.phase!r}")
        if not np.isfinite(self.qel) or self.qel < 0:
            raise DeclineError(f"--qel must be a rate of 0 or more, not {self.qel}")
        if not np.isfinite(self.years) or self.years <= 0:
            raise DeclineError(f"--years must be more than 0, not {self.years}")
        if self.from_month is not None and self.to_month is not None and self.from_month > self.to_month:
            raise DeclineError("--from must not come after --to")
        if self.model == "modified" and self.dmin is None:
            raise DeclineError("the modified hyperbolic needs Dmin (--dmin VALUE)")
        fixed_b = {"exponential": 0.0, "harmonic": 1.0}.get(self.model)
        if self.b is not None and not 0 <= self.b <= 2:
            raise DeclineError(f"b must lie in [0, 2], not {self.b:g}")
        if self.b is not None and fixed_b is not None and self.b != fixed_b:
            raise DeclineError(f"the {self.model} model has b = {fixed_b:g}, not {self.b:g}")
        try:
            self.dmin_per_day  # noqa: B018  (validates Dmin)
        except curves.DeclineInputError as exc:
            raise DeclineError(str(exc)) from exc


def curve_json(curve: Curve, options: Options) -> dict[str, Any]:
    """The curve's parameters in every convention (declines per year)."""
    rate_unit, volume_unit = PHASE_UNITS[options.phase]
    return {"model": curve.model, "qi": curve.qi, "b": curve.b, **curve.stated(), "switch_days": curve.switch_days,
            "rate_unit": rate_unit, "volume_unit": volume_unit}


def forecast_json(result: Forecast) -> dict[str, Any]:
    """The forecast's figures and its monthly rows."""
    return {
        "t_el_days": result.t_el_days,
        "forecast_days": result.forecast_days,
        "remaining": result.remaining,
        "next_12_months": sum(row[2] for row in result.months[:12]),
        "forecast": [{"month": m, "rate": r, "volume": v, "cumulative": c} for m, r, v, c in result.months],
    }


def parameter_decline(curve: Curve, options: Options) -> dict[str, Any]:
    """A forecast from given parameters, t = 0 at qi; months are 365.25/12 days, numbered from 1."""
    ends, labels = curves.uniform_month_ends(options.years)
    result = curves.forecast(curve, 0.0, options.qel, options.cap_days, ends, labels)
    return {
        **curve_json(curve, options),
        **forecast_json(result),
        "eur": result.remaining,
        "cum_to_date": 0.0,
        "fit_start": None,
        "fit_end": None,
        "points": None,
        "rmse_log": None,
        "basis": options.basis,
        "phase": options.phase,
        "qel": options.qel,
        "years": options.years,
    }


@dataclass(frozen=True)
class WellDecline:
    """One well's fit and forecast, with the history it came from (for the chart)."""

    well_code: int
    options: Options
    curve: Curve
    forecast: Forecast
    fit_start: int
    fit_end: int
    points: int
    rmse_log: float
    cum_to_date: float
    #: Month indices, basis rates (NaN where none) and whether the fit used each month.
    history_months: np.ndarray = field(repr=False)
    history_rates: np.ndarray = field(repr=False)
    history_used: np.ndarray = field(repr=False)

    @property
    def eur(self) -> float:
        """Cumulative to the end of the fit plus the forecast's remaining volume."""
        return self.cum_to_date + self.forecast.remaining

    def as_json(self) -> dict[str, Any]:
        """The answer of ``wellprod decline WELL --json``."""
        switch = self.curve.switch_days
        return {
            "well_code": self.well_code,
            **curve_json(self.curve, self.options),
            "qi_month": curves.month_label(self.fit_start),
            "switch_month": None if switch is None else month_after(self.fit_start, switch),
            **forecast_json(self.forecast),
            "limit_month": None if self.forecast.t_el_days is None
            else month_after(self.fit_end + 1, self.forecast.t_el_days),
            "eur": self.eur,
            "cum_to_date": self.cum_to_date,
            "fit_start": curves.month_label(self.fit_start),
            "fit_end": curves.month_label(self.fit_end),
            "points": self.points,
            "rmse_log": self.rmse_log,
            "basis": self.options.basis,
            "phase": self.options.phase,
            "qel": self.options.qel,
            "years": self.options.years,
        }


def month_after(month: int, days: float) -> str:
    """YYYY-MM of the day ``days`` after the start of ``month``."""
    day = int(curves.month_start_days(month)) + int(np.floor(days))
    moment = np.datetime64(day, "D").astype("datetime64[M]").astype(int) + 1970 * 12
    return curves.month_label(int(moment))


def fit_rows(window: Window, options: Options, rows: np.ndarray) -> Fits:
    """Fit the wells at ``rows`` of a window; DeclineError for options that cannot make a fit."""
    p = window.points
    try:
        return fit_points(Points(p.t[rows], p.log_q[rows], p.weight[rows]), window.log_qi_cap[rows],
                          options.model, options.b, options.dmin_per_day)
    except FitError as exc:
        raise DeclineError(str(exc)) from exc


def no_decline(fits: Fits) -> np.ndarray:
    """Wells whose fitted decline sits on its lower bound: the rate does not fall."""
    return np.log(fits.d) <= LOG_D_MIN + 1e-9


def well_decline(con: Connection, code: int, options: Options) -> WellDecline:
    """Fit one well and forecast it from the end of its fit window; DeclineError if it cannot be fitted."""
    options.check()
    queries.well(con, code)  # NotFound when there is no such well
    data = queries.decline_history(con, options.phase, well_code=code)
    window = build_window(data, options.basis, options.from_month, options.to_month)
    if not window.well_codes.size:
        raise DeclineError(f"well {code}: no records")
    if window.reason[0]:
        raise DeclineError(f"well {code}: cannot fit {options.phase}: {window.reason[0]}")
    fits = fit_rows(window, options, np.array([0]))
    if no_decline(fits)[0]:
        raise DeclineError(f"well {code}: cannot fit {options.phase}: {NO_DECLINE}")
    curve = Curve(float(fits.qi[0]), float(fits.d[0]), float(fits.b[0]), float(fits.dmin[0]))
    start, end = int(window.start[0]), int(window.end[0])
    ends, labels = curves.month_ends_after(end, options.years)
    result = curves.forecast(curve, float(window.forecast_start_days[0]), options.qel, options.cap_days, ends,
                              labels)
    months = np.asarray(data["month"])
    rates = basis_rate(np.asarray(data["rate"], float), np.asarray(data["days"], float), months, options.basis)
    used = usable(rates, np.asarray(data["days"], float)) & (months >= start) & (months <= end)
    return WellDecline(code, options, curve, result, start, end, int(fits.points[0]), float(fits.rmse_log[0]),
                       float(window.cum_to_date[0]), months, rates, used)
