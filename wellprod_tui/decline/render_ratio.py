"""How a ratio forecast (gas or water from the oil fit through GOR or WOR) is shown, in a unit system: its JSON
and text, each with the oil fit's own answer (rendered by decline.render) after it. The ratio's trend stays in
the stored units it was fitted in (``unit``: MMcf/kbbl, kbbl/kbbl); the phase's rates and volumes, its EUR and
every phase's EUR follow the unit system."""

from __future__ import annotations

from typing import Any

from wellprod_tui.core import units
from wellprod_tui.core.months import month_label
from wellprod_tui.decline.ratios import RatioDecline
from wellprod_tui.decline.scale import Scale, forecast_json, num

__all__ = ["ratio_json", "ratio_lines"]


def _eurs(result: RatioDecline, system: units.UnitSystem) -> dict[str, float | None]:
    return {phase: Scale.of(phase, system).v(eur) for phase, eur in result.eur_by_phase.items()}


def ratio_json(result: RatioDecline, system: units.UnitSystem, oil: dict[str, Any]) -> dict[str, Any]:
    """The answer of ``--phase gas|water --from-ratio --json``; ``oil`` is the oil fit's JSON."""
    trend = result.trend
    s = Scale.of(trend.phase, system)
    return {
        "well_code": result.well_code,
        "phase": trend.phase,
        "from_ratio": trend.name,
        "rate_unit": s.rate,
        "volume_unit": s.volume,
        "units": s.json(),
        "ratio": {"name": trend.name, "unit": trend.unit, "intercept": trend.intercept,
                  "slope_per_kbbl": trend.slope, "points": trend.points, "rmse_log": trend.rmse_log,
                  "now": float(trend.at(result.oil.cum_to_date))},
        **forecast_json(result.forecast, s),
        "cum_to_date": s.v(result.cum_to_date),
        "eur": s.v(result.eur),
        "eur_by_phase": _eurs(result, system),
        "eur_by_phase_units": {phase: Scale.of(phase, system).volume for phase in result.eur_by_phase},
        "oil": oil,
    }


def ratio_lines(result: RatioDecline, system: units.UnitSystem, oil: list[str]) -> list[str]:
    """The answer as text; ``oil`` is the oil fit's text, shown below."""
    trend, fit, forecast = result.trend, result.oil, result.forecast
    s, oil_s = Scale.of(trend.phase, system), Scale.of("oil", system)
    end = f"the oil limit {oil_s.q(fit.options.qel) or 0:.4g} {oil_s.rate}"
    if fit.limit_passed is not None:
        end += f", reached in {fit.limit_passed}"
    elif forecast.t_el_days is None:
        end = "the cap"
    eurs = " · ".join(f"{phase} {num(eur, 1)} {Scale.of(phase, system).volume}" if eur is not None
                      else f"{phase} - (no ratio trend)" for phase, eur in _eurs(result, system).items())
    return [
        f"well {result.well_code}  {trend.phase} from oil × {trend.name}  (oil fit below)",
        f"{trend.name:<12} ln {trend.name} = {trend.intercept:.4f} + {trend.slope:.3e} × Np  "
        f"({trend.points} months, rmse ln {trend.rmse_log:.3f}; {trend.unit}, Np kbbl)",
        f"{trend.name + ' now':<13}{num(float(trend.at(fit.cum_to_date)), 4)} {trend.unit} at Np "
        f"{num(oil_s.v(fit.cum_to_date), 1)} {oil_s.volume}",
        f"cumulative   {num(s.v(result.cum_to_date), 1)} {s.volume} to {month_label(fit.fit_end)}",
        f"remaining    {num(s.v(forecast.remaining), 1)} {s.volume} until {end}",
        f"EUR          {num(s.v(result.eur), 1)} {s.volume}",
        f"next 12 mo   {num(s.v(forecast.next_12_months), 1)} {s.volume}",
        f"EUR by phase {eurs}",
        "",
        *oil,
    ]
