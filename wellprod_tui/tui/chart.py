"""The production chart: rates over months (plotext), colours by phase, markers without colour, log scale."""

from __future__ import annotations

import math
import os
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from wellprod_tui.tui.errors import ErrorsShown, report_error

#: Line colours of the petroleum convention, and markers that still tell the lines apart without colour.
SERIES_COLOURS = {"oil": "green", "gas": "red", "water": "blue"}
PLAIN_MARKERS = {"oil": "o", "gas": "x", "water": "."}


#: Larger values (a stored 1e308 from an older version) cannot be plotted: left out, and the title says so.
PLOT_LIMIT = 1e15


def _plottable(value: float | None) -> float | None:
    """The value, or None when it is missing, not finite or beyond what a plot can scale."""
    if value is None or not math.isfinite(value) or abs(value) > PLOT_LIMIT:
        return None
    return value


class ProductionChart(ErrorsShown, PlotextPlot):
    """Oil, gas and water against months, with a title that carries the units; log scale on demand."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log_scale = False
        self._title = ""
        self._ylabel = ""
        self._periods: list[Any] = []
        self._xlabel = "month"
        self._series: dict[str, list[float | None]] = {}
        #: The last plot drawn, by (size, theme, drawing): a repaint of the screen does not build it again.
        self._drawn: tuple[tuple[Any, ...], RenderResult] | None = None
        self._drawing = 0

    def show(
        self, title: str, ylabel: str, periods: list[Any], series: dict[str, list[float | None]], xlabel: str = "month"
    ) -> None:
        """Plot ``series`` (name -> values per period, periods as YYYY-MM; or per number, with an ``xlabel``)."""
        self._title, self._ylabel, self._periods, self._series = title, ylabel, periods, series
        self._xlabel = xlabel
        self._drawing += 1
        self.refresh()

    def action_toggle_log(self) -> None:
        """Switch between a linear and a logarithmic y axis."""
        self.log_scale = not self.log_scale
        self._drawing += 1
        self.refresh()

    def render(self) -> RenderResult:
        """The plot, kept while its size, theme and data stay the same (a repaint does not build it again),
        else drawn afresh (plotext takes the log of the data it holds at each build, so data kept from the last
        build would be logged twice); a plot that plotext cannot draw says so (and is logged) instead of failing
        the app."""
        key = (self.size, self.app.theme, self.theme, self._drawing)
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        try:
            self._draw()
            drawn = super().render()
        except Exception as error:
            report_error(self.app, error, "Drawing the chart")
            return Text(f"{self._title}: the chart cannot be drawn ({type(error).__name__}: {error})")
        self._drawn = (key, drawn)
        return drawn

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form("Y-m")
        series = {name: [_plottable(v) for v in values] for name, values in self._series.items()}
        left_out = any(v is not None and _plottable(v) is None for vs in self._series.values() for v in vs)
        log_scale = self.log_scale and any(v is not None and v > 0 for vs in series.values() for v in vs)
        beyond = f" · values beyond {PLOT_LIMIT:g} left out" if left_out else ""
        if not self._periods:
            plt.title(f"{self._title}: no data")
        elif self.log_scale and not log_scale:
            plt.title(f"{self._title}: no positive rate (log scale){beyond}")
        else:
            plt.title(f"{self._title} ({'log' if log_scale else 'linear'}){beyond}")
        plt.ylabel(self._ylabel)
        plain = "NO_COLOR" in os.environ
        legend = []  # under the plot, where it hides no data (a peak sits top-left as often as anywhere)
        for name, values in series.items():
            points = [
                (p, v) for p, v in zip(self._periods, values, strict=True)
                if v is not None and p is not None and (v > 0 or not log_scale)
            ]
            if not points:
                continue
            key = name.split()[0]
            xs, ys = [p for p, _ in points], [v for _, v in points]
            if plain:
                plt.plot(xs, ys, marker=PLAIN_MARKERS.get(key, "."))
                legend.append(f"{PLAIN_MARKERS.get(key, '.')} {name}")
            else:
                plt.plot(xs, ys, color=SERIES_COLOURS.get(key, "default"), marker="braille")
                legend.append(f"{name} ({SERIES_COLOURS.get(key, 'default')})")
        plt.xlabel(self._xlabel + ("    " + " · ".join(legend) if legend else ""))
        plt.yscale("log" if log_scale else "linear")


