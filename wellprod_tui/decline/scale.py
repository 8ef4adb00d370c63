"""What every rendering of a decline shares (decline.render, decline.render_ratio): a phase's rate and volume in
a unit system, numbers as text, and a forecast's months as JSON in those units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellprod_tui.core import units
from wellprod_tui.decline.curves import Forecast, ForecastMonth


@dataclass(frozen=True)
class Scale:
    """A phase's rate and volume in a unit system: labels, column keys, and factors from the stored units."""

    rate: str
    volume: str
    rate_factor: float
    volume_factor: float
    system: str
    rate_key: str = ""
    volume_key: str = ""

    @classmethod
    def of(cls, phase: str, system: units.UnitSystem = units.FIELD) -> Scale:
        """The scale of ``phase`` in ``system``."""
        rate, volume = system.unit("rate", phase), system.unit("volume", phase)
        return cls(rate.label, volume.label, rate.factor, volume.factor, system.name, rate.key, volume.key)

    def q(self, value: float | None) -> float | None:
        """A stored rate in this unit."""
        return None if value is None else value * self.rate_factor

    def v(self, value: float | None) -> float | None:
        """A stored volume in this unit."""
        return None if value is None else value * self.volume_factor

    def json(self) -> dict[str, str]:
        """The ``units`` object of the JSON."""
        return {"system": self.system, "rate": self.rate, "volume": self.volume,
                "decline": "nominal per year; secant and tangent as annual fractions"}


def num(value: float | None, digits: int = 3) -> str:
    """A figure with thousands separators; ``-`` for none."""
    return "-" if value is None else f"{value:,.{digits}f}"


def forecast_json(forecast: Forecast, s: Scale) -> dict[str, Any]:
    """A forecast's end, volumes and months in ``s``'s units."""
    return {
        "t_el_days": forecast.t_el_days,
        "forecast_days": forecast.forecast_days,
        "remaining": s.v(forecast.remaining),
        "next_12_months": s.v(forecast.next_12_months),
        "forecast": months_json(forecast.months, s),
    }


def months_json(months: list[ForecastMonth], s: Scale) -> list[dict[str, Any]]:
    """Forecast months (month, rate, volume, cumulative) in ``s``'s units."""
    return [{"month": m, "rate": s.q(r), "volume": s.v(v), "cumulative": s.v(c)} for m, r, v, c in months]
