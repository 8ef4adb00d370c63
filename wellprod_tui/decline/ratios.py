"""Ratio forecasts: gas and water forecast from a well's oil forecast through the trend of their ratio to oil
(GOR, WOR) against cumulative oil, the way OFM and ARIES tie phases. ln(ratio) = a + c × Np is fitted over the
oil fit's months (a straight line on the semi-log ratio-against-Np plot engineers read); each month of the oil
forecast then gives the phase's rate as oil rate × ratio at that month's mid-point cumulative oil."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from wellprod_tui.core.vocabulary import PHASE_UNITS
from wellprod_tui.decline.analysis import DeclineError, Options, WellDecline, WellHistory, read_well_history
from wellprod_tui.decline.curves import Forecast, ForecastMonth
from wellprod_tui.decline.windows import days_in_month
from wellprod_tui.storage.connection import Connection

__all__ = ["RATIO_NAMES", "RatioDecline", "RatioTrend", "fit_trend", "ratio_decline", "ratio_forecast"]

#: The ratio each phase is forecast through: gas-oil ratio, water-oil ratio (water cut = WOR / (1 + WOR)).
RATIO_NAMES = {"gas": "GOR", "water": "WOR"}
MIN_RATIO_POINTS = 3


@dataclass(frozen=True)
class RatioTrend:
    """ln(ratio) = intercept + slope × cumulative oil: a phase's ratio to oil (its volume unit per oil's)."""

    phase: str
    intercept: float
    #: Per unit of cumulative oil (kbbl).
    slope: float
    points: int
    rmse_log: float
    #: Cumulative oil (kbbl) at the mid-points of the first and last month the trend was fitted to.
    cum_oil_first: float
    cum_oil_last: float

    @property
    def name(self) -> str:
        """GOR or WOR."""
        return RATIO_NAMES[self.phase]

    @property
    def unit(self) -> str:
        """The ratio's unit: the phase's volume unit per oil's (MMcf/kbbl is Mcf/bbl)."""
        return f"{PHASE_UNITS[self.phase][1]}/{PHASE_UNITS['oil'][1]}"

    def at(self, cum_oil: np.ndarray | float) -> np.ndarray:
        """The ratio at each cumulative oil (kbbl)."""
        return np.exp(self.intercept + self.slope * np.asarray(cum_oil, dtype=float))


@dataclass(frozen=True)
class RatioDecline:
    """A phase forecast from the oil forecast through its ratio trend; the options are the oil fit's, in the
    phase's units (its limit stays the oil's)."""

    well_code: int
    options: Options
    oil: WellDecline
    trend: RatioTrend
    forecast: Forecast
    #: The phase's volume produced up to the end of the oil fit's last month.
    cum_to_date: float
    #: EUR of oil and of each phase that has a ratio trend (None where none could be fitted).
    eur_by_phase: dict[str, float | None]

    @property
    def eur(self) -> float:
        """The phase's cumulative to date plus its forecast volume."""
        return self.cum_to_date + self.forecast.remaining


def _cum_oil_mid(history: WellHistory) -> tuple[np.ndarray, np.ndarray]:
    """Each month's oil volume and cumulative oil at its mid-point (months with no oil rate add nothing)."""
    volume = np.where(np.isfinite(history.rates), history.rates, 0.0) * days_in_month(history.months)
    return volume, np.cumsum(volume) - volume / 2.0


def fit_trend(oil: WellDecline, phase: WellHistory) -> RatioTrend:
    """The phase's ratio trend over the oil fit's months that have both phases; DeclineError when too few do."""
    if not np.array_equal(oil.history.months, phase.months):
        raise ValueError("the oil and the phase histories must hold the same months")
    _, cum_oil = _cum_oil_mid(oil.history)
    oil_rate, phase_rate = oil.history.rates, phase.rates
    with np.errstate(invalid="ignore"):
        used = ((phase.months >= oil.fit_start) & (phase.months <= oil.fit_end) & np.isfinite(oil_rate)
                & np.isfinite(phase_rate) & (oil_rate > 0) & (phase_rate > 0))
    count = int(used.sum())
    name = RATIO_NAMES[phase.phase]
    if count < MIN_RATIO_POINTS:
        raise DeclineError(f"well {oil.well_code}: cannot forecast {phase.phase} from {name}: {count} months "
                           f"with oil and {phase.phase} in the oil fit's window ({MIN_RATIO_POINTS} needed)")
    x, y = cum_oil[used], np.log(phase_rate[used] / oil_rate[used])
    slope, intercept = np.polyfit(x, y, 1)
    rmse = float(np.sqrt(np.mean((intercept + slope * x - y) ** 2)))
    return RatioTrend(phase.phase, float(intercept), float(slope), count, rmse, float(x[0]), float(x[-1]))


def ratio_forecast(oil: WellDecline, trend: RatioTrend, phase: WellHistory,
                   eur_by_phase: dict[str, float | None] | None = None) -> RatioDecline:
    """The phase's forecast: each oil forecast month's rate and volume times the ratio at its mid-point Np."""
    months = oil.forecast.months
    rates = np.array([m.rate for m in months], dtype=float)
    volumes = np.array([m.volume for m in months], dtype=float)
    cum_oil = oil.cum_to_date + np.array([m.cumulative for m in months], dtype=float) - volumes / 2.0
    ratio = trend.at(cum_oil)
    phase_volumes = volumes * ratio
    cumulative = np.cumsum(phase_volumes)
    rows = [ForecastMonth(m.month, float(r), float(v), float(c))
            for m, r, v, c in zip(months, rates * ratio, phase_volumes, cumulative, strict=True)]
    forecast = replace(oil.forecast, remaining=float(cumulative[-1]) if rows else 0.0, months=rows)
    to_date = (phase.months <= oil.fit_end) & np.isfinite(phase.rates)
    cum_to_date = float(np.sum(phase.rates[to_date] * days_in_month(phase.months[to_date])))
    result = RatioDecline(oil.well_code, replace(oil.options, phase=trend.phase), oil, trend, forecast, cum_to_date,
                          {})
    eurs = {"oil": oil.eur, **(eur_by_phase or {}), trend.phase: result.eur}
    return replace(result, eur_by_phase=eurs)


def ratio_decline(con: Connection, oil: WellDecline, phase: str) -> RatioDecline:
    """Forecast ``phase`` (gas or water) from the oil fit ``oil``, with the EUR of every phase a trend fits."""
    if oil.options.phase != "oil":
        raise ValueError(f"a ratio forecast starts from an oil fit, not a {oil.options.phase} one")
    if phase not in RATIO_NAMES:
        raise ValueError(f"only {', '.join(RATIO_NAMES)} are forecast from a ratio, not {phase!r}")
    eurs: dict[str, float | None] = {}
    for other in RATIO_NAMES:
        if other != phase:
            history = read_well_history(con, oil.well_code, other)
            try:
                eurs[other] = ratio_forecast(oil, fit_trend(oil, history), history).eur
            except DeclineError:
                eurs[other] = None
    history = read_well_history(con, oil.well_code, phase)
    return ratio_forecast(oil, fit_trend(oil, history), history, eurs)
