"""The Decline view's chart: a well's history (months fitted and left out), the fitted segment, and the forecast
dotted down to two decades below the history; log rates in the app's units."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from textual_plotext import PlotextPlot

from wellprod_tui.core import units
from wellprod_tui.core.months import month_label, parse_month_index
from wellprod_tui.decline import curves, render
from wellprod_tui.decline.analysis import Options, WellDecline, WellHistory

#: The forecast is drawn down to the lowest rate of the history divided by this (two decades).
CHART_DECADES_BELOW = 100.0


class DeclineChart(PlotextPlot):
    """History (months used and left out), the fitted segment, and the forecast dotted to the limit; log rates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, WellDecline | None, list[str], list[float], list[bool]] | None = None
        #: Shown rates per stored rate (the app's units).
        self.factor = 1.0
        #: YYYY-MM of the highlighted month (the one a key leaves out or takes back); None: none.
        self.point: str | None = None

    def show_result(self, title: str, result: WellDecline | None, months: list[str], rates: list[float],
                    used: list[bool]) -> None:
        """Draw the history and, when there is one, the fit and forecast."""
        self._shown = (title, result, months, rates, used)
        self.refresh()

    def show_history(self, options: Options, result: WellDecline | None, history: WellHistory | None,
                     system: units.UnitSystem = units.FIELD, point: int | None = None) -> None:
        """Draw a well's ``history`` in the options' basis and ``system``'s units, with the fit when there is one
        and the month ``point`` highlighted."""
        scale = render.Scale.of(options.phase, system)
        self.factor = scale.rate_factor
        self.point = None if point is None else month_label(point)
        months = history.months if history is not None else np.zeros(0, dtype=np.int64)
        rates = history.basis_rates(options.basis) * self.factor if history is not None else np.zeros(0)
        used = result.history_used.tolist() if result is not None else [False] * len(months)
        title = f"{options.phase} {scale.rate} (log)"
        self.show_result(title, result, [month_label(int(m)) for m in months], rates.tolist(), used)

    def render(self) -> Any:
        """Plot afresh each time: plotext's build takes the log of the data in place, so a second build of the
        same data (after a resize) would take it twice."""
        if self._shown is not None:
            self._draw(*self._shown)
        return super().render()

    def _draw(self, title: str, result: WellDecline | None, months: list[str], rates: list[float],
              used: list[bool]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form("Y-m")
        plt.title(title)
        plain = "NO_COLOR" in os.environ
        kept = [(m, r, u) for m, r, u in zip(months, rates, used, strict=True) if np.isfinite(r) and r > 0]
        legend = []  # under the plot, where it hides no data (the peak sits top-left, where plotext puts its own)
        for flag, name, marker, colour in ((True, "fitted", "●", "green"), (False, "left out", "x", "gray")):
            points = [(m, r) for m, r, u in kept if u is flag]
            if points:
                plt.scatter([m for m, _ in points], [r for _, r in points], marker=marker,
                            color="default" if plain else colour)
                legend.append(f"{marker} {name}")
        if result is not None:
            window = [m for m, _, u in kept if u]
            index = [parse_month_index(m) for m in window]
            starts = curves.month_start_days(np.array(index))
            lengths = curves.month_start_days(np.array(index) + 1) - starts
            middle = starts - curves.month_start_days(result.fit_start) + lengths / 2
            plt.plot(window, (result.curve.rate(middle) * self.factor).tolist(), marker="braille",
                     color="default" if plain else "yellow")
            legend.append("⢕ fit")
            floor = min(r for _, r, _ in kept) / CHART_DECADES_BELOW  # keep the history readable
            rows = [(m, r * self.factor) for m, r, _, _ in result.forecast.months if r * self.factor >= floor][::2]
            if rows:
                plt.scatter([m for m, _ in rows], [r for _, r in rows], marker="dot",
                            color="default" if plain else "orange")
                legend.append("• forecast")
        highlighted = [(m, r) for m, r, _ in kept if m == self.point]
        if highlighted:
            plt.scatter([m for m, _ in highlighted], [r for _, r in highlighted], marker="◆",
                        color="default" if plain else "white")
            legend.append(f"◆ {self.point}")
        plt.xlabel("  ".join(legend))
        if kept:  # plotext cannot scale an empty plot logarithmically
            plt.yscale("log")
            low, high = min(r for _, r, _ in kept) / CHART_DECADES_BELOW, max(r for _, r, _ in kept)
            # decades inside the plotted range only: one below it is printed on the dates' row and runs into them
            decades = [10.0 ** k for k in range(int(np.ceil(np.log10(low))), int(np.floor(np.log10(high))) + 1)]
            plt.yticks(decades or [low, high], [f"{v:.3g}" for v in decades or [low, high]])
        else:
            plt.title(f"{title}: no production")
