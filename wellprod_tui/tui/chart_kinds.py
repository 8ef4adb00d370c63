"""What a production chart shows, in the app's units: rates or monthly volumes by month, cumulative volumes by
month, or the oil rate against cumulative oil. Reads the columns of the rows a screen has already read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellprod_tui.core.months import Window
from wellprod_tui.core.units import UnitSystem
from wellprod_tui.core.vocabulary import MEASURED_PHASES

#: The chart kinds a Well or Field screen cycles through (k).
CHART_KINDS = ("history", "cumulative", "rate-vs-cumulative")
PHASES = MEASURED_PHASES


@dataclass(frozen=True)
class Chart:
    """A chart's title, axis labels, x values and series (legend with unit -> values)."""

    title: str
    ylabel: str
    x: list[Any]
    series: dict[str, list[float | None]]
    xlabel: str = "month"


def _column(columns: list[str], rows: list[tuple], name: str) -> list[Any]:
    at = columns.index(name)
    return [r[at] for r in rows]


def _cumulative_name(columns: list[str], units: UnitSystem, window: Window, phase: str) -> tuple[str, str]:
    """The cumulative column of ``phase`` (a field's in totals, a well's in volumes) and its unit."""
    for quantity in ("total", "volume"):
        name = units.name_of(window.cumulative(f"cum_{phase}"), quantity, phase)
        if name in columns:
            return name, units.label(quantity, phase)
    raise KeyError(f"no cumulative {phase} column")


def chart_of(kind: str, titles: tuple[str, str], columns: list[str], rows: list[tuple], units: UnitSystem,
             window: Window, volumes: bool) -> Chart:
    """The chart of ``kind`` over monthly rows; ``titles`` start a history's title for rates and for volumes."""
    periods = _column(columns, rows, "period")
    quantity = "volume" if volumes else "rate"
    if kind == "cumulative":
        found = {p: _cumulative_name(columns, units, window, p) for p in PHASES}
        span = "" if window.is_all else f" {window.label}"
        series = {f"{p} {unit}": _column(columns, rows, name) for p, (name, unit) in found.items()}
        return Chart(f"Cumulative{span}: oil, water {found['oil'][1]}; gas {found['gas'][1]}", "cumulative",
                     periods, series)
    if kind == "rate-vs-cumulative":
        name, unit = _cumulative_name(columns, units, window, "oil")
        y_unit = units.label(quantity, "oil")
        series = {f"oil {y_unit}": _column(columns, rows, units.name_of("oil", quantity, "oil"))}
        basis = "monthly volume" if volumes else "rate"
        return Chart(f"Oil {basis} vs cumulative oil ({y_unit} vs {unit})", y_unit,
                     _column(columns, rows, name), series, xlabel=f"cumulative oil {unit}")
    series = {f"{p} {units.label(quantity, p)}": _column(columns, rows, units.name_of(p, quantity, p)) for p in PHASES}
    labels = units.volumes_label() if volumes else units.rates_label
    return Chart(f"{titles[volumes]}: {labels}", "volume" if volumes else "rate", periods, series)
