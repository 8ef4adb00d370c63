"""A type curve: the wells of a selection lined up by month on production, their P10/P50/P90 and mean rates per
month, and an Arps fit of the P50 with its forecast and EUR, stated with the conventions of ``decline``.

With ``normalize`` (an attribute of the well headers and a value), each well's rates are scaled by the value over
its own: a 5,000 ft lateral's rates doubled for a 10,000 ft type well; wells without the attribute are left out.

Month 1 is each well's first month with production (``first``) or its peak month (``peak``); month N is the well's
Nth month with production from there on: a month without production (shut in, or no record) is left out, so a
shut-in does not pull the curve down. P10 is the high case and P90 the low one, as reserves engineers use them:
P10 is the rate that 10 % of the contributing wells reach or beat (the 90th percentile), P90 the 10th percentile;
percentiles interpolate linearly between the wells' rates (numpy's default). Rates are the phase's unit per day
(calendar-day or producing-day, ``basis``); a month's volume is its rate × 365.25/12 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wellprod_tui import queries
from wellprod_tui.decline import curves
from wellprod_tui.decline.analysis import NO_DECLINE, DeclineError, Options, no_decline
from wellprod_tui.decline.curves import DAYS_PER_MONTH, Curve, Floats, Forecast
from wellprod_tui.decline.fit import MIN_POINTS, QI_CAP_FACTOR, FitError, Points, fit_points
from wellprod_tui.decline.windows import basis_rate, usable
from wellprod_tui.queries.selection import Selection, numeric_attribute
from wellprod_tui.storage.connection import Connection

#: How month 1 is chosen for each well.
ALIGNMENTS = ("peak", "first")
#: The fit of the P50 uses the months on production where at least this many wells contribute (default).
MIN_WELLS = 3


@dataclass(frozen=True)
class TypeCurveOptions:
    """The fit's options (``decline``'s: phase, model, basis, b, Dmin, limit, cap), how wells are aligned, and
    how many wells a month needs for the fit."""

    fit: Options = field(default_factory=Options)
    align: str = "peak"
    min_wells: int = MIN_WELLS
    #: Rates scaled to this value of a header attribute: rate × value / the well's (``lateral_length_ft``, 10000).
    normalize: tuple[str, float] | None = None

    def check(self) -> None:
        """DeclineInputError / ValueError naming what cannot be used."""
        self.fit.check()
        if self.align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}, not {self.align!r}")
        if self.min_wells < 1:
            raise ValueError(f"min-wells must be 1 or more, not {self.min_wells}")
        if self.normalize is not None and not (np.isfinite(self.normalize[1]) and self.normalize[1] > 0):
            raise ValueError(f"normalize: the value must be above 0, not {self.normalize[1]:g}")


@dataclass(frozen=True)
class TypeCurveFit:
    """The P50's Arps curve (t = 0 at the P50's peak month), its window and forecast; volumes in the phase's unit."""

    curve: Curve
    #: Months on production (1-based) of the fit's first and last month.
    fit_start: int
    fit_end: int
    points: int
    rmse_log: float
    #: The P50's volume over months 1 to fit_end, and the forecast after it.
    cum_to_fit_end: float
    forecast: Forecast

    @property
    def eur(self) -> float:
        """The P50's volume to the end of the fit plus the forecast's remaining volume."""
        return self.cum_to_fit_end + self.forecast.remaining


@dataclass(frozen=True)
class TypeCurve:
    """Per month on production (index 0 = month 1): wells contributing, P10, P50, P90 and mean rates; every
    well's aligned rates (NaN where none); the P50's fit, or why there is none."""

    label: str
    options: TypeCurveOptions
    well_codes: np.ndarray
    rates: np.ndarray = field(repr=False)
    wells: np.ndarray = field(repr=False)
    p10: np.ndarray = field(repr=False)
    p50: np.ndarray = field(repr=False)
    p90: np.ndarray = field(repr=False)
    mean: np.ndarray = field(repr=False)
    #: Wells of the selection with no month of production of the phase (left out).
    without_production: list[int]
    fit: TypeCurveFit | None
    no_fit_reason: str = ""
    #: With ``normalize``: the producing wells that lack the attribute (left out).
    without_attribute: list[int] = field(default_factory=list)

    def fitted_rates(self) -> np.ndarray:
        """The fit's average rate in each month on production (NaN before its first month or with no fit)."""
        out = np.full(len(self.p50), np.nan)
        if self.fit is None:
            return out
        months = np.arange(self.fit.fit_start, len(self.p50) + 1)
        t0 = (months - self.fit.fit_start) * DAYS_PER_MONTH
        c = self.fit.curve
        out[months - 1] = (c.cumulative(t0 + DAYS_PER_MONTH) - c.cumulative(t0)) / DAYS_PER_MONTH
        return out

    def table(self) -> list[dict[str, Any]]:
        """One row per month on production: month, wells, p10, p50, p90, mean, fit."""
        fitted = self.fitted_rates()
        columns = (self.wells.tolist(), self.p10.tolist(), self.p50.tolist(), self.p90.tolist(), self.mean.tolist(),
                   [None if np.isnan(x) else x for x in fitted.tolist()])
        return [{"month": i + 1, "wells": w, "p10": p10, "p50": p50, "p90": p90, "mean": mean, "fit": fit}
                for i, (w, p10, p50, p90, mean, fit) in enumerate(zip(*columns, strict=True))]


def aligned_rates(data: dict[str, Any], basis: str, align: str) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Every well's rates by month on production (wells × months, NaN where none), the wells' codes, and the codes
    of the wells with no month of production (left out). ``data``: queries.decline_history's arrays."""
    codes_all, month = np.asarray(data["well_code"]), np.asarray(data["month"], dtype=np.int64)
    if not len(codes_all):
        return np.zeros((0, 0)), np.zeros(0, dtype=np.int64), []
    days, q = np.asarray(data["days"], float), basis_rate(np.asarray(data["rate"], float),
                                                         np.asarray(data["days"], float), month, basis)
    new_well = np.r_[True, codes_all[1:] != codes_all[:-1]]
    heads, well = np.flatnonzero(new_well), np.cumsum(new_well) - 1
    ok = usable(q, days)
    never = np.iinfo(np.int64).max
    if align == "first":
        start = np.minimum.reduceat(np.where(ok, month, never), heads)
    else:
        peak = np.maximum.reduceat(np.where(ok, q, -np.inf), heads)
        start = np.minimum.reduceat(np.where(ok & (q == peak[well]), month, never), heads)
    after = ok & (month >= start[well])
    counted = np.cumsum(after)
    k = counted - (counted[heads] - after[heads])[well] - 1
    producing = start != never
    codes = codes_all[heads]
    rates = np.full((len(heads), int(k[after].max()) + 1 if after.any() else 0), np.nan)
    rates[well[after], k[after]] = q[after]
    return rates[producing], codes[producing], codes[~producing].tolist()


def build_type_curve(data: dict[str, Any], label: str, options: TypeCurveOptions,
                     attribute: dict[int, float] | None = None) -> TypeCurve:
    """The type curve of the wells in ``data`` (with ``normalize``: ``attribute`` holds each well's value of the
    attribute; wells without one are left out); DeclineError when no well is left."""
    options.check()
    rates, codes, without = aligned_rates(data, options.fit.basis, options.align)
    lacking: list[int] = []
    if options.normalize is not None:
        values = attribute or {}
        scale = np.array([options.normalize[1] / values[c] if c in values else np.nan for c in codes.tolist()])
        known = np.isfinite(scale)
        lacking = codes[~known].tolist()
        rates, codes = rates[known] * scale[known][:, None], codes[known]
        rates = rates[:, : int(np.isfinite(rates).any(axis=0).nonzero()[0].max()) + 1] if codes.size else rates
    if not codes.size:
        lacks = f" with {options.normalize[0]}" if options.normalize is not None else ""
        raise DeclineError(f"{label}: no well{lacks} produced {options.fit.phase}")
    wells = np.isfinite(rates).sum(axis=0)
    p10, p50, p90 = np.nanpercentile(rates, [90, 50, 10], axis=0)
    fit, reason = _fit_p50(p50, wells, options)
    return TypeCurve(label, options, codes, rates, wells, p10, p50, p90, np.nanmean(rates, axis=0), without,
                     fit, reason, lacking)


def type_curve(con: Connection, selection: Selection, options: TypeCurveOptions) -> TypeCurve:
    """Read the selection's wells in one query and build their type curve."""
    options.check()
    attribute = None if options.normalize is None else numeric_attribute(con, selection, options.normalize[0])
    return build_type_curve(queries.decline_history(con, options.fit.phase, selection=selection), selection.label,
                            options, attribute)


def _fit_p50(p50: np.ndarray, wells: np.ndarray, options: TypeCurveOptions) -> tuple[TypeCurveFit | None, str]:
    """Fit the P50 from its peak to the last month of the first run with enough wells; or why not."""
    enough = min(options.min_wells, int(wells.max()))
    short = np.flatnonzero(wells < enough)
    last = int(short[0]) - 1 if short.size else len(p50) - 1
    if last < 0:
        return None, f"no month on production has {enough} wells"
    peak = int(np.argmax(p50[: last + 1]))
    span = last - peak + 1
    if span < MIN_POINTS:
        return None, f"{span} months from the P50's peak with {enough} wells or more ({MIN_POINTS} needed)"
    q = p50[peak: last + 1]
    t: Floats = np.arange(span, dtype=np.float64) * DAYS_PER_MONTH + DAYS_PER_MONTH / 2
    points = Points(t[None, :], np.log(q)[None, :], np.ones((1, span)))
    o = options.fit
    try:
        fits = fit_points(points, np.log(np.array([q.max() * QI_CAP_FACTOR])), o.model, o.b, o.dmin_per_day)
    except FitError as exc:
        raise DeclineError(str(exc)) from exc
    if no_decline(fits)[0]:
        return None, NO_DECLINE
    curve = Curve(float(fits.qi[0]), float(fits.d[0]), float(fits.b[0]), float(fits.dmin[0]))
    life_days = o.cap_days - (last + 1) * DAYS_PER_MONTH  # the cap counts from month 1: a well's life
    count = int(np.ceil(max(life_days, 0.0) / DAYS_PER_MONTH)) + 1
    ends: Floats = np.arange(1, count + 1, dtype=np.float64) * DAYS_PER_MONTH
    labels = [str(last + 2 + i) for i in range(count)]
    forecast = curves.forecast(curve, span * DAYS_PER_MONTH, o.qel, max(life_days, 0.0), ends, labels)
    return TypeCurveFit(curve, peak + 1, last + 1, span, float(fits.rmse_log[0]),
                        float(p50[: last + 1].sum() * DAYS_PER_MONTH), forecast), ""
