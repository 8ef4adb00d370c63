"""Arps decline curves (Arps 1945; Robertson 1988): rates, cumulatives, conventions, economic limit, forecasts.

Time is in days from the curve's start (t = 0 at qi); declines are nominal per day inside, per year at the edges
(SPEE REP #6, 365.25 days a year). Every curve function broadcasts over numpy arrays, so one call evaluates a
whole field's wells. No UI, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wellprod_tui.core.months import month_label
from wellprod_tui.core.vocabulary import DECLINE_TYPES

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
#: |b - 1| below this is harmonic, b below this is exponential (closed forms change there).
B_EPSILON = 1e-9

Floats = NDArray[np.float64]


#: What each option is called where no flag names it (the app's messages: ``Dmin must be …``).
OPTION_LABELS = {
    "qi": "qi", "di": "Di", "di_type": "Di type", "b": "b", "dmin": "Dmin", "dmin_type": "Dmin type",
    "qel": "the limit", "years": "the cap", "from": "the fit's first month", "to": "the fit's last month",
    "phase": "phase", "model": "model", "basis": "rate basis", "qi_fixed": "the locked qi",
    "di_fixed": "the locked Di", "di_fixed_type": "the locked Di's type", "exclude": "the months left out",
}


class DeclineError(ValueError):
    """A well or field that cannot be fitted, or options that cannot be used; the message says why."""


class DeclineInputError(DeclineError):
    """An option that cannot be used: ``option`` (a key of OPTION_LABELS), what is wrong with it, and the option
    it clashes with if any; each shell words it with its own names (``Dmin must be …``, ``--dmin: must be …``)."""

    def __init__(self, option: str, problem: str, other: str | None = None) -> None:
        self.option, self.problem, self.other = option, problem, other
        super().__init__(self.worded(OPTION_LABELS))

    def worded(self, names: Mapping[str, str], separator: str = " ") -> str:
        """The message with ``names`` for the options' names."""
        clash = "" if self.other is None else f" {names.get(self.other, self.other)}"
        return f"{names.get(self.option, self.option)}{separator}{self.problem}{clash}"


# ---- conventions (SPEE REP #6): nominal D, tangent effective, secant effective, all per year ----------------


def tangent_from_nominal(d_per_year: ArrayLike) -> Floats:
    """Tangent effective decline De = 1 - exp(-D), whatever b is."""
    return -np.expm1(-np.asarray(d_per_year, dtype=float))


def nominal_from_tangent(de: ArrayLike) -> Floats:
    """Nominal decline from a tangent effective one: D = -ln(1 - De)."""
    return -np.log1p(-np.asarray(de, dtype=float))


def secant_from_nominal(d_per_year: ArrayLike, b: ArrayLike) -> Floats:
    """Secant effective decline De = 1 - q(1 yr)/qi of a curve with nominal D and exponent b."""
    d, b = np.asarray(d_per_year, dtype=float), np.asarray(b, dtype=float)
    b_safe = np.where(b > B_EPSILON, b, 1.0)
    return np.where(b > B_EPSILON, 1.0 - np.exp(-np.log1p(b_safe * d) / b_safe), -np.expm1(-d))


def nominal_from_secant(de: ArrayLike, b: ArrayLike) -> Floats:
    """Nominal decline from a secant effective one: D = ((1 - De)^(-b) - 1)/b; -ln(1 - De) at b = 0."""
    de, b = np.asarray(de, dtype=float), np.asarray(b, dtype=float)
    b_safe = np.where(b > B_EPSILON, b, 1.0)
    log_kept = np.log1p(-de)
    return np.where(b > B_EPSILON, np.expm1(-b_safe * log_kept) / b_safe, -log_kept)


def to_nominal(value: float, kind: str, b: float, option: str = "di") -> float:
    """A decline stated as ``kind`` (nominal per year, or a secant/tangent annual fraction) as nominal per year;
    DeclineInputError naming ``option`` (``di`` or ``dmin``) if it cannot be one."""
    if kind not in DECLINE_TYPES:
        raise DeclineInputError(f"{option}_type", f"must be one of {', '.join(DECLINE_TYPES)}, not {kind!r}")
    if not np.isfinite(value) or value <= 0:
        raise DeclineInputError(option, f"must be a positive number, not {value}")
    if kind == "nominal":
        return float(value)
    if value >= 1:
        raise DeclineInputError(option, f"as a {kind} effective decline is a fraction below 1 (0.8 = 80 %/yr), "
                                f"not {value}")
    return float(nominal_from_tangent(value) if kind == "tangent" else nominal_from_secant(value, b))


# ---- the curve, vectorised: t in days, d and dmin nominal per day (dmin 0 = none) ------------------------


def switch_days(d: ArrayLike, b: ArrayLike, dmin: ArrayLike) -> Floats:
    """When the decline D/(1 + b·D·t) reaches Dmin: t* = (D/Dmin - 1)/(b·D); inf without Dmin, 0 if D <= Dmin."""
    d, b, dmin = (np.asarray(x, dtype=float) for x in (d, b, dmin))
    has_min = dmin > 0
    bd = np.where(b > B_EPSILON, b * d, 1.0)
    above = np.where(has_min, d / np.where(has_min, dmin, 1.0), np.inf)
    t_star = np.where(b > B_EPSILON, (above - 1.0) / bd, np.inf)  # an exponential's decline never falls
    return np.where(has_min & (d <= dmin), 0.0, np.where(has_min, t_star, np.inf))


def _hyperbolic_log_ratio(t: Floats, d: Floats, b: Floats) -> Floats:
    """ln(q/qi) of the Arps curve without Dmin."""
    b_safe = np.where(b > B_EPSILON, b, 1.0)
    return np.where(b > B_EPSILON, -np.log1p(b_safe * d * t) / b_safe, -d * t)


def _hyperbolic_cumulative(t: Floats, qi: Floats, d: Floats, b: Floats) -> Floats:
    """Np of the Arps curve without Dmin (exponential, hyperbolic, harmonic closed forms)."""
    b_safe = np.where(b > B_EPSILON, b, 1.0)
    log_growth = np.log1p(b_safe * d * t)  # ln(1 + b·D·t)
    one_minus_b = np.where(np.abs(1.0 - b) > B_EPSILON, 1.0 - b, 1.0)
    hyperbolic = -qi / (one_minus_b * d) * np.expm1(-one_minus_b / b_safe * log_growth)
    harmonic = qi / d * log_growth
    exponential = -qi / d * np.expm1(-d * t)
    return np.where(b <= B_EPSILON, exponential, np.where(np.abs(1.0 - b) <= B_EPSILON, harmonic, hyperbolic))


def log_rate_ratio(t: ArrayLike, d: ArrayLike, b: ArrayLike, dmin: ArrayLike = 0.0) -> Floats:
    """ln(q(t)/qi): hyperbolic up to the switch, exponential at Dmin after it."""
    t, d, b, dmin = (np.asarray(x, dtype=float) for x in (t, d, b, dmin))
    t_star = switch_days(d, b, dmin)
    before = np.minimum(t, t_star)
    return _hyperbolic_log_ratio(before, d, b) - dmin * np.maximum(t - t_star, 0.0)


def rate(t: ArrayLike, qi: ArrayLike, d: ArrayLike, b: ArrayLike, dmin: ArrayLike = 0.0) -> Floats:
    """Rate at t days (the unit of qi)."""
    return np.asarray(qi, dtype=float) * np.exp(log_rate_ratio(t, d, b, dmin))


def cumulative(t: ArrayLike, qi: ArrayLike, d: ArrayLike, b: ArrayLike, dmin: ArrayLike = 0.0) -> Floats:
    """Volume produced from 0 to t days (qi's unit × days)."""
    t, qi, d, b, dmin = (np.asarray(x, dtype=float) for x in (t, qi, d, b, dmin))
    t_star = switch_days(d, b, dmin)
    before = np.minimum(t, t_star)
    np_before = _hyperbolic_cumulative(before, qi, d, b)
    q_star = qi * np.exp(_hyperbolic_log_ratio(np.where(np.isfinite(t_star), t_star, 0.0), d, b))
    dmin_safe = np.where(dmin > 0, dmin, 1.0)
    tail = -q_star / dmin_safe * np.expm1(-dmin_safe * np.maximum(t - t_star, 0.0))
    return np_before + np.where(t > t_star, tail, 0.0)


def days_to_rate(q: ArrayLike, qi: ArrayLike, d: ArrayLike, b: ArrayLike, dmin: ArrayLike = 0.0) -> Floats:
    """When the rate falls to q (days from t = 0): 0 if qi <= q, inf if never (q <= 0)."""
    q, qi, d, b, dmin = (np.asarray(x, dtype=float) for x in (q, qi, d, b, dmin))
    with np.errstate(divide="ignore", invalid="ignore"):
        drop = np.log(qi / q)  # ln(qi/q) > 0 when the limit lies ahead
        b_safe = np.where(b > B_EPSILON, b, 1.0)
        hyperbolic = np.where(b > B_EPSILON, np.expm1(b_safe * drop) / (b_safe * d), drop / d)
        t_star = switch_days(d, b, dmin)
        drop_at_switch = -_hyperbolic_log_ratio(np.where(np.isfinite(t_star), t_star, 0.0), d, b)
        after = t_star + (drop - drop_at_switch) / np.where(dmin > 0, dmin, 1.0)
        found = np.where(np.isfinite(t_star) & (drop > drop_at_switch), after, hyperbolic)
    return np.where(q <= 0, np.inf, np.where(drop <= 0, 0.0, found))


# ---- one curve with its conventions --------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    """An Arps curve: qi at t = 0, nominal decline per day, exponent b, optional Dmin per day (0 = none)."""

    qi: float
    d: float
    b: float
    dmin: float = 0.0

    @classmethod
    def from_stated(
        cls, qi: float, di: float, di_type: str, b: float = 0.0, dmin: float | None = None, dmin_type: str = "tangent"
    ) -> Curve:
        """A curve from declines as people state them: nominal per year, or secant/tangent annual fractions.

        Dmin describes the exponential tail, where secant and tangent effective declines are the same (b = 0).
        """
        if not np.isfinite(qi) or qi <= 0:
            raise DeclineInputError("qi", f"must be a positive rate, not {qi}")
        if not 0 <= b <= 2:
            raise DeclineInputError("b", f"must lie in [0, 2], not {b}")
        d_year = to_nominal(di, di_type, b, "di")
        dmin_year = 0.0 if dmin is None else to_nominal(dmin, dmin_type, 0.0, "dmin")
        return cls(float(qi), d_year / DAYS_PER_YEAR, float(b), dmin_year / DAYS_PER_YEAR)

    @property
    def model(self) -> str:
        """exponential, harmonic, hyperbolic, or modified (hyperbolic with Dmin)."""
        if self.dmin > 0 and self.b > B_EPSILON:
            return "modified"
        if self.b <= B_EPSILON:
            return "exponential"
        return "harmonic" if abs(self.b - 1) <= B_EPSILON else "hyperbolic"

    @property
    def switch_days(self) -> float | None:
        """Days from t = 0 to the switch to exponential at Dmin; None when there is none."""
        t_star = float(switch_days(self.d, self.b, self.dmin))
        return t_star if np.isfinite(t_star) else None

    def rate(self, t: ArrayLike) -> Floats:
        """Rate at t days."""
        return rate(t, self.qi, self.d, self.b, self.dmin)

    def cumulative(self, t: ArrayLike) -> Floats:
        """Volume from 0 to t days."""
        return cumulative(t, self.qi, self.d, self.b, self.dmin)

    def days_to(self, q: float) -> float:
        """Days from t = 0 until the rate falls to q (inf if never)."""
        return float(days_to_rate(q, self.qi, self.d, self.b, self.dmin))

    @property
    def di_nominal(self) -> float:
        """Di as a nominal decline per year."""
        return self.d * DAYS_PER_YEAR

    @property
    def di_secant(self) -> float:
        """Di as a secant effective annual fraction."""
        return float(secant_from_nominal(self.di_nominal, self.b))

    @property
    def di_tangent(self) -> float:
        """Di as a tangent effective annual fraction."""
        return float(tangent_from_nominal(self.di_nominal))

    @property
    def dmin_nominal(self) -> float | None:
        """Dmin as a nominal decline per year; None when there is none."""
        return self.dmin * DAYS_PER_YEAR if self.dmin > 0 else None

    @property
    def dmin_tangent(self) -> float | None:
        """Dmin as a tangent effective annual fraction (secant is the same on the exponential tail); None if none."""
        return float(tangent_from_nominal(self.dmin * DAYS_PER_YEAR)) if self.dmin > 0 else None

    def stated(self) -> dict[str, float | None]:
        """Di as nominal per year and as secant/tangent annual fractions; Dmin nominal per year (None if none)."""
        return {"di_nominal": self.di_nominal, "di_secant": self.di_secant, "di_tangent": self.di_tangent,
                "dmin_nominal": self.dmin_nominal, "dmin_tangent": self.dmin_tangent}


# ---- forecasts to the economic limit or the cap ----------------------------------------------------------


class ForecastMonth(NamedTuple):
    """One month of a forecast: its label, the average rate over the days forecast in it, its volume, and the
    cumulative volume from the forecast's start."""

    month: str
    rate: float
    volume: float
    cumulative: float


@dataclass(frozen=True)
class Forecast:
    """What a curve still gives from ``start_days``: to the economic limit or the cap, whichever comes first."""

    start_days: float
    #: Days from the start to the economic limit; None when the cap comes first (or no limit is reached).
    t_el_days: float | None
    forecast_days: float
    remaining: float
    months: list[ForecastMonth]

    @property
    def next_12_months(self) -> float:
        """Volume of the forecast's first twelve months."""
        return sum(row.volume for row in self.months[:12])


def forecast(
    curve: Curve, start_days: float, qel: float, cap_days: float, month_ends: Floats, labels: list[str]
) -> Forecast:
    """Forecast ``curve`` from ``start_days``; month_ends are day offsets from the start ending each label's month."""
    t_el = curve.days_to(qel) - start_days
    limited = bool(np.isfinite(t_el) and t_el <= cap_days)
    horizon = max(t_el, 0.0) if limited else cap_days
    ends = np.minimum(np.asarray(month_ends, dtype=float), horizon)
    keep = int(np.searchsorted(ends, horizon, side="left")) + 1  # months up to the one holding the horizon
    ends, labels = ends[:keep], labels[:keep]
    cum = curve.cumulative(start_days + ends) - curve.cumulative(start_days)
    volumes = np.diff(cum, prepend=0.0)
    spans = np.diff(ends, prepend=0.0)
    rates = np.divide(volumes, spans, out=np.zeros_like(volumes), where=spans > 0)
    rows = [ForecastMonth(label, float(r), float(v), float(c))
            for label, r, v, c in zip(labels, rates, volumes, cum, strict=True) if c > 0 or v > 0]
    remaining = float(curve.cumulative(start_days + horizon) - curve.cumulative(start_days))
    return Forecast(start_days, max(t_el, 0.0) if limited else None, horizon, remaining, rows)


def month_ends_after(month_index: int, years: float) -> tuple[Floats, list[str]]:
    """Day offsets from the end of month ``month_index`` (months since year 0) to the ends of the months after
    it, covering ``years``, with their YYYY-MM labels."""
    count = int(np.ceil(years * 12)) + 1
    months = np.arange(month_index + 1, month_index + 2 + count, dtype="int64")
    starts = month_start_days(months)
    ends = (starts[1:] - starts[0]).astype(float)
    labels = [month_label(int(m)) for m in months[:-1]]
    return ends, labels


def uniform_month_ends(years: float) -> tuple[Floats, list[str]]:
    """Month ends of 365.25/12 days from t = 0, labelled 1, 2, 3, ... (a forecast with no calendar)."""
    count = int(np.ceil(years * 12)) + 1
    ends: Floats = np.arange(1, count + 1, dtype=np.float64) * DAYS_PER_MONTH
    return ends, [str(i) for i in range(1, count + 1)]


#: numpy months count from 1970-01; month indices here count from year 0 (year * 12 + month - 1).
_EPOCH_MONTH = 1970 * 12


def month_start_days(month_index: ArrayLike) -> NDArray[np.int64]:
    """Days since 1970-01-01 of the first day of each month index (year * 12 + month - 1)."""
    months = np.asarray(month_index, dtype="int64") - _EPOCH_MONTH
    return months.astype("datetime64[M]").astype("datetime64[D]").astype("int64")
