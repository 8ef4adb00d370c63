"""The Decline view's panel when it shows gas or water forecast from the oil fit: the ratio trend, the phase's
figures, the EUR of each phase, and the oil fit the keys reshape."""

from __future__ import annotations

from wellprod_tui.core.months import month_label
from wellprod_tui.core.vocabulary import PHASE_UNITS
from wellprod_tui.decline.ratios import RatioDecline


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def describe_ratio(ratio: RatioDecline, key_hints: str) -> str:
    """The panel: trend, the phase's cumulative, EUR, remaining and next 12 months, every phase's EUR, the oil
    fit, then ``key_hints`` (the keys as the Decline view words them)."""
    trend, oil, forecast = ratio.trend, ratio.oil, ratio.forecast
    volume = PHASE_UNITS[trend.phase][1]
    return "\n".join([
        f"[b]{trend.phase} from oil × {trend.name}[/b]",
        f"{trend.name:<7} {float(trend.at(oil.cum_to_date)):,.4f} {trend.unit}",
        f"trend   {trend.points} mo · rmse {trend.rmse_log:.3f}",
        f"[b]{trend.phase}[/b] ({volume})",
        f"cum     {_num(ratio.cum_to_date)}",
        f"EUR     {_num(ratio.eur)}",
        f"remain  {_num(forecast.remaining)}",
        f"next 12 {_num(forecast.next_12_months)}",
        "[b]EUR by phase[/b]",
        *(f"{phase:<7} {_num(eur)} {PHASE_UNITS[phase][1]}" for phase, eur in ratio.eur_by_phase.items()),
        f"[b]oil fit[/b] {oil.curve.model} b {oil.curve.b:.2f}",
        f"        {month_label(oil.fit_start)}..{month_label(oil.fit_end)}",
        *([f"saved   {oil.saved.saved_on}"] if oil.saved else []),
        key_hints,
    ])
