"""The Type curve view of a set of wells: their rates by month on production as faint lines, P10/P50/P90 over
them, the P50's fit; the fit's figures and EUR, and the table per month. Keys switch alignment, phase and basis;
ctrl+e exports the table."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import numpy as np
from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from wellprod_tui import queries
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.core.text import cell
from wellprod_tui.decline import typecurve_render
from wellprod_tui.decline.analysis import DeclineError, Options
from wellprod_tui.decline.typecurve import ALIGNMENTS, TypeCurve, TypeCurveOptions, build_type_curve
from wellprod_tui.queries.selection import Selection
from wellprod_tui.tui import decline_keys, keys
from wellprod_tui.tui.chart import PLOT_LIMIT
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import cancelled, with_cursor

#: Faint lines drawn at most (evenly chosen among the wells): a terminal shows no more, and plotext slows down.
WELL_LINES = 60
#: Each curve's colour, and its marker without colour.
CURVES = (("P10", "p10", "orange", "+"), ("P50", "p50", "green", "o"), ("P90", "p90", "orange", "-"))


class TypeCurveChart(ErrorsShown, PlotextPlot):
    """Faint lines of the wells, P10/P50/P90 over them and the P50's fit, against month on production."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log_scale = True
        self._shown: TypeCurve | None = None

    def show_result(self, result: TypeCurve | None) -> None:
        """Draw a type curve (None: clear)."""
        self._shown = result
        self.refresh()

    def action_toggle_log(self) -> None:
        """Switch between a logarithmic and a linear y axis."""
        self.log_scale = not self.log_scale
        self.refresh()

    def render(self) -> Any:
        """Plot afresh each time (plotext logs the data it holds at each build)."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self._shown is not None:
            self._draw(self._shown)
        return super().render()

    def _draw(self, result: TypeCurve) -> None:
        plt, plain = self.plt, "NO_COLOR" in os.environ
        months = np.arange(1, len(result.p50) + 1)
        wells = result.rates
        if len(wells) > WELL_LINES:
            wells = wells[np.linspace(0, len(wells) - 1, WELL_LINES).round().astype(int)]
        for rates in wells:
            shown = np.isfinite(rates) & (rates > 0) & (rates < PLOT_LIMIT)
            if shown.sum() > 1:
                plt.plot(months[shown].tolist(), rates[shown].tolist(), marker="dot" if not plain else ".",
                         color="gray" if not plain else "default")
        legend = []
        for name, attribute, colour, marker in CURVES:
            values = getattr(result, attribute)
            shown = np.isfinite(values) & (values > 0)
            plt.plot(months[shown].tolist(), values[shown].tolist(), marker=marker if plain else "braille",
                     color="default" if plain else colour)
            legend.append(f"{marker} {name}" if plain else f"{name} ({colour})")
        fitted = result.fitted_rates()
        shown = np.isfinite(fitted) & (fitted > 0)
        if shown.any():
            plt.scatter(months[shown].tolist()[::2], fitted[shown].tolist()[::2], marker="x" if plain else "dot",
                        color="default" if plain else "cyan")
            legend.append("x P50 fit" if plain else "P50 fit (cyan, dotted)")
        drawn = f"{len(wells)} of {len(result.rates)}" if len(result.rates) > len(wells) else f"{len(wells)}"
        plt.title(f"{result.label}: {drawn} wells faint ({'log' if self.log_scale else 'linear'})")
        plt.xlabel("month on production    " + " · ".join(legend))
        plt.yscale("log" if self.log_scale else "linear")


class TypeCurveScreen(Screen[None]):
    """A set of wells' type curve, built again when the alignment, phase or basis changes."""

    BINDINGS = keys.bindings(keys.TYPE_CURVE)

    def __init__(self, selection: Selection, settings: DeclineSettings) -> None:
        super().__init__()
        self.selection = selection
        self.settings = settings
        self.options = TypeCurveOptions(Options(qel=settings.qel("oil"), years=float(settings.cap_years)))
        self.result: TypeCurve | None = None
        #: The wells' records of the phase shown, read once per phase.
        self._data: tuple[str, dict[str, Any]] | None = None
        self._version = 0

    def compose(self) -> ComposeResult:
        """Title, chart, the fit's figures, the table per month, keys."""
        yield Static(id="type-curve-title")
        yield TypeCurveChart(id="type-curve-chart")
        yield Static("lining the wells up…", id="type-curve-summary")
        yield DataTable(id="type-curve-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Build with the default options."""
        self._version = wellprod_app(self).backend.data_version
        self.rebuild()

    def on_screen_resume(self) -> None:
        """Build again when an import committed while another screen was shown."""
        if self._version != wellprod_app(self).backend.data_version:
            self.data_changed()

    def data_changed(self) -> None:
        """An import committed: read the wells' records again."""
        self._version = wellprod_app(self).backend.data_version
        self._data = None
        self.rebuild()

    def rebuild(self) -> None:
        """Build the type curve again with ``self.options`` (in a worker)."""
        o = self.options
        self.query_one("#type-curve-title", Static).update(literal(
            f"Type curve · {self.selection.label} · {o.fit.phase} ({o.fit.units[0]}) · {o.fit.basis}-day rates · "
            f"month 1 = {o.align} · limit {o.fit.qel:g} {o.fit.units[0]}"))
        self._build(o)

    @work(thread=True, exclusive=True, exit_on_error=False, group="type-curve")
    def _build(self, options: TypeCurveOptions) -> None:
        data, result, error = self._data, None, None
        try:
            if data is None or data[0] != options.fit.phase:  # a new phase is the only new read
                read = with_cursor(self, lambda cur: queries.decline_history(cur, options.fit.phase,
                                                                             selection=self.selection))
                data = (options.fit.phase, read)
            result = build_type_curve(data[1], self.selection.label, options)
        except DeclineError as exc:
            error = str(exc)
        if not cancelled():
            self.app.call_from_thread(self._show, result, error, data)

    def _show(self, result: TypeCurve | None, error: str | None, data: tuple[str, dict[str, Any]] | None) -> None:
        self.result, self._data = result, data
        summary = self.query_one("#type-curve-summary", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.query_one(TypeCurveChart).show_result(result)
        if result is None:
            summary.update(f"[b]no type curve[/b]: {literal(error or '', lines=True)}")
            return
        summary.update(literal("\n".join(typecurve_render.summary_lines(result)), lines=True))
        table.add_columns(*typecurve_render.TABLE_COLUMNS)
        for row in typecurve_render.table_rows(result):
            table.add_row(*(cell(v) for v in row))

    def action_close(self) -> None:
        """Back to where the type curve was opened from."""
        self.dismiss(None)

    def action_align(self) -> None:
        """Month 1 at each well's peak, or at its first month with production."""
        following = ALIGNMENTS[(ALIGNMENTS.index(self.options.align) + 1) % len(ALIGNMENTS)]
        self.options = replace(self.options, align=following)
        self.rebuild()

    def action_phase(self) -> None:
        """Oil, gas, water."""
        self.options = replace(self.options, fit=decline_keys.next_phase(self.options.fit, self.settings))
        self.rebuild()

    def action_basis(self) -> None:
        """Calendar-day rates (as stored) or producing-day rates."""
        self.options = replace(self.options, fit=decline_keys.next_basis(self.options.fit))
        self.rebuild()

    def action_toggle_log(self) -> None:
        """Log or linear rates."""
        self.query_one(TypeCurveChart).action_toggle_log()

    def export_view(self) -> queries.View | None:
        """The table per month on production for ctrl+e."""
        if self.result is None:
            return None
        o = self.options
        name = f"type-curve-{self.selection.label.replace(' ', '-')}-{o.fit.phase}-{o.align}"
        return queries.typecurve_view(name, o.fit.units[0], typecurve_render.table_rows(self.result))
