"""The Decline view's panel when it shows gas or water forecast from the oil fit: the ratio trend, the phase's
figures, the EUR of each phase (in the app's units), the oil fit the keys reshape, and its QC flags."""

from __future__ import annotations

from textual.markup import escape

from wellprod_tui.core import units
from wellprod_tui.core.months import month_label
from wellprod_tui.decline.ratios import RatioDecline
from wellprod_tui.decline.render import Scale


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def describe_ratio(ratio: RatioDecline, key_hints: str, system: units.UnitSystem = units.FIELD) -> str:
    """The panel: trend, the phase's cumulative, EUR, remaining and next 12 months, every phase's EUR, the oil
    fit and its flags, then ``key_hints`` (the keys as the Decline view words them). The ratio stays in the
    stored units it is fitted in."""
    trend, oil, forecast = ratio.trend, ratio.oil, ratio.forecast
    s = Scale.of(trend.phase, system)
    flags = ", ".join(f.name for f in oil.flags) or "none"
    return "\n".join([
        f"[b]{trend.phase} from oil × {trend.name}[/b]",
        f"{trend.name:<7} {float(trend.at(oil.cum_to_date)):,.4f} {trend.unit}",
        f"trend   {trend.points} mo · rmse {trend.rmse_log:.3f}",
        f"[b]{trend.phase}[/b] ({s.volume})",
        f"cum     {_num(s.v(ratio.cum_to_date))}",
        f"EUR     {_num(s.v(ratio.eur))}",
        f"remain  {_num(s.v(forecast.remaining))}",
        f"next 12 {_num(s.v(forecast.next_12_months))}",
        "[b]EUR by phase[/b]",
        *(f"{phase:<7} {_num(Scale.of(phase, system).v(eur))} {Scale.of(phase, system).volume}"
          for phase, eur in ratio.eur_by_phase.items()),
        f"[b]oil fit[/b] {oil.curve.model} b {oil.curve.b:.2f}",
        f"        {month_label(oil.fit_start)}..{month_label(oil.fit_end)}",
        *([f"saved   {oil.saved.saved_on}"] if oil.saved else []),
        f"[b]flags[/b] {escape(flags)}",
        key_hints,
    ])
