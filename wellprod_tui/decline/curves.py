"""Arps decline curves (Arps 1945; Robertson 1988): rates, cumulatives, conventions, economic limit, forecasts.

Time is in days from the curve's start (t = 0 at qi); declines are nominal per day inside, per year at the edges
(SPEE REP #6, 365.25 days a year). Every curve function broadcasts over numpy arrays, so one call evaluates a
whole field's wells. No UI, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
DECLINE_TYPES = ("nominal", "secant", "tangent")
MODELS = ("exponential", "hyperbolic", "harmonic", "modified")
#: |b - 1| below this is harmonic, b below this is exponential (closed forms change there).
B_EPSILON = 1e-9

Floats = NDArray[np.float64]


class DeclineInputError(ValueError):
    """A decline parameter that cannot describe a curve; the message names it."""


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


def to_nominal(value: float, kind: str, b: float, name: str = "decline") -> float:
    """A decline stated as ``kind`` (nominal per year, or a secant/tangent annual fraction) as nominal per year."""
    if kind not in DECLINE_TYPES:
        raise DeclineInputError(f"{name} type must be one of {', '.join(DECLINE_TYPES)}, not {kind!r}")
    if not np.isfinite(value) or value <= 0:
        raise DeclineInputError(f"{name} must be a positive number, not {value}")
    if kind == "nominal":
        return float(value)
    if value >= 1:
        raise DeclineInputError(f"{name} as a {kind} effective decline is a fraction below 1 (0.8 = 80 %/yr), "
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
            raise DeclineInputError(f"qi must be a positive rate, not {qi}")
        if not 0 <= b <= 2:
            raise DeclineInputError(f"b must lie in [0, 2], not {b}")
        d_year = to_nominal(di, di_type, b, "Di")
        dmin_year = 0.0 if dmin is None else to_nominal(dmin, dmin_type, 0.0, "Dmin")
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

    def stated(self) -> dict[str, float | None]:
        """Di as nominal per year and as secant/tangent annual fractions; Dmin nominal per year (None if none)."""
        d_year = self.d * DAYS_PER_YEAR
        return {
            "di_nominal": d_year,
            "di_secant": float(secant_from_nominal(d_year, self.b)),
            "di_tangent": float(tangent_from_nominal(d_year)),
            "dmin_nominal": self.dmin * DAYS_PER_YEAR if self.dmin > 0 else None,
            "dmin_tangent": float(tangent_from_nominal(self.dmin * DAYS_PER_YEAR)) if self.dmin > 0 else None,
        }


# ---- forecasts to the economic limit or the cap ----------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """What a curve still gives from ``start_days``: to the economic limit or the cap, whichever comes first."""

    start_days: float
    #: Days from the start to the economic limit; None when the cap comes first (or no limit is reached).
    t_el_days: float | None
    forecast_days: float
    remaining: float
    #: Monthly rows: (month label, average rate over the days forecast in it, volume, cumulative from the start).
    months: list[tuple[str, float, float, float]]


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
    rows = [(label, float(r), float(v), float(c)) for label, r, v, c in zip(labels, rates, volumes, cum, strict=True)
            if c > 0 or v > 0]
    remaining = float(curve.cumulative(start_days + horizon) - curve.cumulative(start_days))
    return Forecast(start_days, max(t_el, 0.0) if limited else None, horizon, remaining, rows)


def month_ends_after(month_index: int, years: float) -> tuple[Floats, list[str]]:
    """Day offsets from the end of month ``month_index`` (months since year 0) to the ends of the months after
    it, covering ``years``, with their YYYY-MM labels."""
    count = int(np.ceil(years * 12)) + 1
    months = np.arange(month_index + 1, month_index + 2 + count, dtype="int64")
    starts = month_start_days(months)
    ends = (starts[1:] - starts[0]).astype(float)
    labels = [_label(int(m)) for m in months[:-1]]
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


def _label(month_index: int) -> str:
    return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"


def month_label(month_index: int) -> str:
    """YYYY-MM of a month index (year * 12 + month - 1)."""
    return _label(month_index)


def parse_month(text: str, name: str) -> int:
    """A YYYY-MM text as a month index (year * 12 + month - 1); DeclineInputError naming ``name`` if not one."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        raise DeclineInputError(f"{name} must be a month as YYYY-MM, not {text!r}")
    return int(parts[0]) * 12 + int(parts[1]) - 1
