"""Decline answers for the CLI and the app: one well's history read once, fitted and forecast as often as the
options change; or a forecast from given parameters.

Reads the records through queries, fits with decline.fit, forecasts with decline.curves; returns frozen results
that decline.render shows as text, JSON or CSV. Rates are the phase's unit per day (kbd, MMcfd), volumes that
unit × days (kbbl, MMcf).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from wellprod_tui import queries
from wellprod_tui.core.config import MAX_FORECAST_YEARS
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.core.vocabulary import BASES, FIT_MODELS, PHASE_UNITS
from wellprod_tui.decline import curves, limits, qc
from wellprod_tui.decline.curves import DAYS_PER_YEAR, Curve, DeclineError, DeclineInputError, Forecast
from wellprod_tui.decline.fit import LOG_D_MIN, FitError, Fits, Locks, Points, fit_points
from wellprod_tui.decline.limits import month_after
from wellprod_tui.decline.windows import FitWindow, WindowRule, basis_rate, build_fit_window, usable
from wellprod_tui.storage.connection import Connection

__all__ = ["DeclineError", "DeclineInputError", "Options", "ParameterDecline", "WellDecline", "WellHistory",
           "fit_well", "parameter_decline", "read_well_history", "well_decline"]

#: In a field forecast, a well with no production in the field's last this-many months counts as shut in.
SHUT_IN_MONTHS = 12
NO_DECLINE = "the rate does not decline over the fit window"


@dataclass(frozen=True)
class Options:
    """How to fit and forecast: phase, model, rate basis, locks (qi, Di, b), Dmin, window (months, exclusions,
    the peak's and spikes' rule), economic limit and cap, the default Dmin for b >= 1 and the QC thresholds."""

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
    qi_fixed: float | None = None
    di_fixed: float | None = None
    di_type: str = "nominal"
    exclude: tuple[int, ...] = ()
    #: Months kept in the fit even when they are spikes.
    include: tuple[int, ...] = ()
    min_peak_days: float = 0.0
    spike_factor: float = 0.0
    #: Dmin (tangent annual fraction) the forecast takes when the fitted b is 1 or more and no Dmin is set; 0: none.
    default_dmin: float = 0.0
    #: Which of qel and years came from the configuration (the header says so).
    defaulted: tuple[str, ...] = ()
    qc: qc.Thresholds = field(default_factory=qc.Thresholds)

    @classmethod
    def from_settings(cls, settings: DeclineSettings, phase: str = "oil") -> Options:
        """The options of a first look at ``phase``: limit, cap, window rule, default Dmin and QC from [decline]."""
        return cls(phase=phase, qel=settings.qel(phase), years=float(settings.cap_years),
                   min_peak_days=settings.min_peak_days, spike_factor=settings.spike_factor,
                   default_dmin=settings.default_dmin_tangent, defaulted=("qel", "years"),
                   qc=qc.Thresholds(settings.qc_min_points, settings.qc_max_rmse_log))

    @property
    def rule(self) -> WindowRule:
        """How the fit window is found."""
        return WindowRule(self.min_peak_days, self.spike_factor, self.exclude, self.include)

    @property
    def fixed_b(self) -> float | None:
        """b when it is not fitted: locked, or the model's own."""
        return self.b if self.b is not None else {"exponential": 0.0, "harmonic": 1.0}.get(self.model)

    def locks(self, wells: int) -> Locks | None:
        """qi and Di held for the fit (None: neither); DeclineInputError when Di cannot be read."""
        if self.qi_fixed is None and self.di_fixed is None:
            return None
        log_qi = np.nan if self.qi_fixed is None else np.log(self.qi_fixed)
        log_d = np.nan
        if self.di_fixed is not None:
            b = self.fixed_b
            if self.di_type == "secant" and b is None:
                raise DeclineInputError("di_fixed_type", "secant depends on b: lock b too, or state Di nominal "
                                        "or tangent")
            log_d = np.log(curves.to_nominal(self.di_fixed, self.di_type, b or 0.0, "di_fixed") / DAYS_PER_YEAR)
        return Locks(np.full(wells, log_qi), np.full(wells, log_d))

    @property
    def dmin_per_day(self) -> float:
        """Dmin as a nominal decline per day (0: none)."""
        if self.dmin is None:
            return 0.0
        return curves.to_nominal(self.dmin, self.dmin_type, 0.0, "dmin") / DAYS_PER_YEAR

    @property
    def cap_days(self) -> float:
        """The forecast's cap in days."""
        return self.years * DAYS_PER_YEAR

    @property
    def units(self) -> tuple[str, str]:
        """The phase's rate and volume units."""
        return PHASE_UNITS[self.phase]

    def check(self) -> None:
        """DeclineInputError naming the option that cannot be used (each shell words its name)."""
        for option, value, allowed in (("phase", self.phase, tuple(PHASE_UNITS)), ("model", self.model, FIT_MODELS),
                                       ("basis", self.basis, BASES)):
            if value not in allowed:
                raise DeclineInputError(option, f"must be one of {', '.join(allowed)}, not {value!r}")
        if not np.isfinite(self.qel) or self.qel < 0:
            raise DeclineInputError("qel", f"must be a rate of 0 or more, not {self.qel}")
        if not np.isfinite(self.years) or not 0 < self.years <= MAX_FORECAST_YEARS:
            raise DeclineInputError("years", f"must be more than 0 and at most {MAX_FORECAST_YEARS}, not {self.years}")
        if self.from_month is not None and self.to_month is not None and self.from_month > self.to_month:
            raise DeclineInputError("from", "must not come after", other="to")
        if self.model == "modified" and self.dmin is None:
            raise DeclineInputError("dmin", "must be set for the modified hyperbolic")
        fixed_b = {"exponential": 0.0, "harmonic": 1.0}.get(self.model)
        if self.b is not None and not 0 <= self.b <= 2:
            raise DeclineInputError("b", f"must lie in [0, 2], not {self.b:g}")
        if self.b is not None and fixed_b is not None and self.b != fixed_b:
            raise DeclineInputError("b", f"cannot be {self.b:g}: the {self.model} model has b = {fixed_b:g}")
        self.dmin_per_day  # noqa: B018  (DeclineInputError naming Dmin when it cannot be one)
        if self.qi_fixed is not None and (not np.isfinite(self.qi_fixed) or self.qi_fixed <= 0):
            raise DeclineInputError("qi_fixed", f"must be a positive rate, not {self.qi_fixed:g}")
        self.locks(1)


@dataclass(frozen=True)
class ParameterDecline:
    """A forecast from given parameters, t = 0 at qi; its months are 365.25/12 days, numbered from 1."""

    options: Options
    curve: Curve
    forecast: Forecast

    @property
    def eur(self) -> float:
        """The forecast's volume (nothing produced before t = 0)."""
        return self.forecast.remaining

    @property
    def np_infinity(self) -> float | None:
        """The curve's volume to infinite time (no limit, no cap); None when infinite."""
        return limits.ultimate(self.curve)

    @property
    def flags(self) -> tuple[qc.Flag, ...]:
        """What a stated curve can be flagged for (b > 1 with no Dmin)."""
        return qc.stated_flags(self.curve.b, self.curve.dmin)


def parameter_decline(curve: Curve, options: Options) -> ParameterDecline:
    """Forecast ``curve`` from t = 0 to the limit or the cap."""
    ends, labels = curves.uniform_month_ends(options.years)
    return ParameterDecline(options, curve, curves.forecast(curve, 0.0, options.qel, options.cap_days, ends, labels))


@dataclass(frozen=True)
class WellHistory:
    """One well's monthly records of one phase, read once: month indices, days on production and calendar-day
    rates (NaN where none). Every fit of the Decline view (model, b, Dmin, limit, window, basis) takes it."""

    well_code: int
    phase: str
    months: np.ndarray = field(repr=False)
    days: np.ndarray = field(repr=False)
    rates: np.ndarray = field(repr=False)

    def basis_rates(self, basis: str) -> np.ndarray:
        """The rates in ``basis`` (calendar-day as stored, or producing-day)."""
        return basis_rate(self.rates, self.days, self.months, basis)

    def arrays(self) -> dict[str, np.ndarray]:
        """The columns as queries.decline_history gives them (what the fit windows are built from)."""
        codes = np.full(len(self.months), self.well_code, dtype=np.int64)
        return {"well_code": codes, "month": self.months, "days": self.days, "rate": self.rates}


def read_well_history(con: Connection, code: int, phase: str) -> WellHistory:
    """The well's records of ``phase``; NotFound when there is no such well."""
    queries.well(con, code)
    data = queries.decline_history(con, phase, well_code=code)
    return WellHistory(code, phase, np.asarray(data["month"], dtype=np.int64), np.asarray(data["days"], float),
                       np.asarray(data["rate"], float))


@dataclass(frozen=True)
class WellDecline:
    """One well's fit and forecast, with the history it came from (for the chart)."""

    well_code: int
    options: Options
    curve: Curve
    forecast: Forecast
    #: Month indices of the fit's first and last month.
    fit_start: int
    fit_end: int
    points: int
    rmse_log: float
    cum_to_date: float
    history: WellHistory = field(repr=False)
    #: Basis rates (NaN where none) and whether the fit used each month of the history.
    history_rates: np.ndarray = field(repr=False)
    history_used: np.ndarray = field(repr=False)
    #: Months the fit left out inside its window and why: (month index, "excluded" or "spike").
    left_out: tuple[tuple[int, str], ...] = ()
    #: What the forecast took from defaults, said in the header: "qel", "years" (config), "dmin" (b >= 1).
    defaults: tuple[str, ...] = ()
    #: YYYY-MM the limit was reached in before the forecast's start (nothing remains); None otherwise.
    limit_passed: str | None = None
    flags: tuple[qc.Flag, ...] = ()
    #: Every month of the history taken for a spike (left out), in the window or before it.
    spikes: tuple[int, ...] = ()

    @property
    def history_months(self) -> np.ndarray:
        """Month indices of the history."""
        return self.history.months

    @property
    def eur(self) -> float:
        """Cumulative to the end of the fit plus the forecast's remaining volume."""
        return self.cum_to_date + self.forecast.remaining

    @property
    def switch_month(self) -> str | None:
        """YYYY-MM of the switch to exponential at Dmin; None when there is none."""
        switch = self.curve.switch_days
        return None if switch is None else month_after(self.fit_start, switch)

    @property
    def np_infinity(self) -> float | None:
        """Cumulative to date plus the curve's volume to infinite time (no limit, no cap); None when infinite."""
        rest = limits.ultimate(self.curve, self.forecast.start_days)
        return None if rest is None else self.cum_to_date + rest

    @property
    def cap_month(self) -> str:
        """YYYY-MM of the cap's last month."""
        return month_after(self.fit_end + 1, self.options.cap_days - 1e-6)

    @property
    def limit_month(self) -> str | None:
        """YYYY-MM of the month the rate reaches the economic limit; None when the cap comes first."""
        if self.limit_passed is not None:
            return self.limit_passed
        t_el = self.forecast.t_el_days
        return None if t_el is None else month_after(self.fit_end + 1, t_el)


def with_default_dmin(fits: Fits, options: Options) -> tuple[Fits, np.ndarray]:
    """The fits with the default Dmin where b is 1 or more and no Dmin was set, and which wells took it."""
    took = limits.takes_default_dmin(fits.b, options.dmin, options.default_dmin)
    dmin = limits.default_dmin_per_day(options.default_dmin) if took.any() else 0.0
    return replace(fits, dmin=np.where(took, dmin, fits.dmin), model=np.where(took, "modified", fits.model)), took


def fit_rows(window: FitWindow, options: Options, rows: np.ndarray) -> Fits:
    """Fit the wells at ``rows`` of a window; DeclineError for options that cannot make a fit."""
    p = window.points
    try:
        return fit_points(Points(p.t[rows], p.log_q[rows], p.weight[rows]), window.log_qi_cap[rows],
                          options.model, options.b, options.dmin_per_day, options.locks(len(rows)))
    except FitError as exc:
        raise DeclineError(str(exc)) from exc


def no_decline(fits: Fits) -> np.ndarray:
    """Wells whose fitted decline sits on its lower bound: the rate does not fall."""
    return np.log(fits.d) <= LOG_D_MIN + 1e-9


def fit_well(history: WellHistory, options: Options) -> WellDecline:
    """Fit a well's history and forecast it from the end of its fit window; DeclineError if it cannot be fitted.
    No query: the options' phase is the history's."""
    options.check()
    if options.phase != history.phase:
        raise ValueError(f"a {history.phase} history cannot be fitted as {options.phase}")
    code = history.well_code
    window = build_fit_window(history.arrays(), options.basis, options.from_month, options.to_month, options.rule)
    if not window.well_codes.size:
        raise DeclineError(f"well {code}: no records")
    if window.reason[0]:
        raise DeclineError(f"well {code}: cannot fit {options.phase}: {window.reason[0]}")
    fits = fit_rows(window, options, np.array([0]))
    if no_decline(fits)[0]:
        raise DeclineError(f"well {code}: cannot fit {options.phase}: {NO_DECLINE}")
    fits, took_dmin = with_default_dmin(fits, options)
    curve = Curve(float(fits.qi[0]), float(fits.d[0]), float(fits.b[0]), float(fits.dmin[0]))
    defaults = (*options.defaulted, *(("dmin",) if took_dmin[0] else ()))
    start, end = int(window.start[0]), int(window.end[0])
    start_days = float(window.forecast_start_days[0])
    ends, labels = curves.month_ends_after(end, options.years)
    rates = history.basis_rates(options.basis)
    passed = limits.limit_passed(history.months, rates, end, curve, start, start_days, options.qel)
    result = (curves.forecast(curve, start_days, options.qel, options.cap_days, ends, labels) if passed is None
              else Forecast(start_days, 0.0, 0.0, 0.0, []))
    used = usable(rates, history.days) & (history.months >= start) & (history.months <= end) & (window.left_out == "")
    first = start if options.from_month is None else min(start, options.from_month)  # asked-for months count
    in_window = (window.left_out != "") & (history.months >= first) & (history.months <= end)
    left_out = tuple((int(m), str(r)) for m, r in zip(history.months[in_window], window.left_out[in_window],
                                                      strict=True))
    last_used = rates[used][-1] if used.any() else None
    seen = qc.Seen(
        qi=curve.qi, qi_cap=float(np.exp(window.log_qi_cap[0])), qi_locked=options.qi_fixed is not None,
        b=curve.b, b_searched=options.fixed_b is None and curve.model in ("hyperbolic", "modified"),
        dmin=curve.dmin, points=int(fits.points[0]), rmse_log=float(fits.rmse_log[0]),
        spike_start=int(window.spike_start[0]),
        limit_passed=passed,
        first_forecast_rate=result.months[0].rate if result.months else None,
        last_fitted_rate=None if last_used is None else float(last_used))
    spikes = tuple(int(m) for m in history.months[window.left_out == "spike"])
    return WellDecline(code, options, curve, result, start, end, int(fits.points[0]), float(fits.rmse_log[0]),
                       float(window.cum_to_date[0]), history, rates, used, left_out, defaults, passed,
                       qc.flags(seen, options.qc), spikes)


def well_decline(con: Connection, code: int, options: Options) -> WellDecline:
    """Read one well's history and fit it (``fit_well``); NotFound when there is no such well."""
    options.check()
    return fit_well(read_well_history(con, code, options.phase), options)
