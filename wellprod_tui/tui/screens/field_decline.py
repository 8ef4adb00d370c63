"""The Decline view of a field: its forecast as the sum of its wells' fitted curves, each well's curve and EUR
in a table (the wells that cannot be fitted listed with why), and keys to switch phase and rate basis.
ctrl+e exports the field's monthly forecast."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from wellprod_tui import queries
from wellprod_tui.core.months import month_label
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.core.text import cell, plural
from wellprod_tui.decline import render
from wellprod_tui.decline.analysis import DeclineError, Options
from wellprod_tui.decline.field import FieldDecline, FieldHistory, fit_field, read_field_history
from wellprod_tui.tui import decline_keys, keys
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import cancelled, with_cursor

#: The column of the field's monthly totals that holds each phase's calendar-day rate.
HISTORY_RATES = {"oil": "oil_kbd", "gas": "gas_mmcfd", "water": "water_kbd"}
#: The wells table's columns: (heading, key of a well's figures, decimals).
WELL_COLUMNS = (
    ("well", "well_code", 0),
    ("EUR", "eur", 1),
    ("remaining", "remaining", 1),
    ("cum", "cum_to_date", 1),
    ("model", "model", 0),
    ("qi", "qi", 3),
    ("b", "b", 2),
    ("Di sec %/yr", "di_secant_pct", 1),
)


def describe(result: FieldDecline) -> str:
    """One line of the field's results, with their unit and what the sum is made of."""
    volume = result.options.units[1]
    wells = len(result.wells) + len(result.unfitted)
    fitted = ("no well records: the field's reported totals fitted" if result.reported_only
              else f"{len(result.wells)} of {plural(wells, 'well')} fitted")
    return (
        f"{fitted} · forecast from {month_label(result.last_month + 1)} · "
        f"cum {result.cum_to_date:,.1f} · remaining {result.remaining:,.1f} · EUR {result.eur:,.1f} {volume} · "
        f"next 12 months {result.next_12_months:,.1f} {volume}"
    )


class FieldDeclineChart(PlotextPlot):
    """The field's history and its forecast (the sum of the wells'), dotted; log rates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, list[str], list[float], list[str], list[float]] | None = None

    def show_result(self, title: str, months: list[str], rates: list[float], ahead: list[str],
                    forecast: list[float]) -> None:
        """Draw the history and the forecast."""
        self._shown = (title, months, rates, ahead, forecast)
        self.refresh()

    def render(self) -> Any:
        """Plot afresh each time (plotext logs the data it holds at each build)."""
        if self._shown is not None:
            self._draw(*self._shown)
        return super().render()

    def _draw(self, title: str, months: list[str], rates: list[float], ahead: list[str],
              forecast: list[float]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form("Y-m")
        plain = "NO_COLOR" in os.environ
        history = [(m, r) for m, r in zip(months, rates, strict=True) if r is not None and r > 0]
        future = [(m, r) for m, r in zip(ahead, forecast, strict=True) if r > 0][::2]
        if not history and not future:  # plotext cannot scale an empty plot logarithmically
            plt.title(f"{title}: no production")
            return
        plt.title(f"{title} (log)")
        if history:
            plt.plot([m for m, _ in history], [r for _, r in history], marker="braille",
                     color="default" if plain else "green")
        if future:
            plt.scatter([m for m, _ in future], [r for _, r in future], marker="dot",
                        color="default" if plain else "orange")
        plt.xlabel("month    history (solid) · forecast from the wells' curves (dotted)")
        plt.yscale("log")


class FieldDeclineScreen(Screen[None]):
    """A field's decline: the forecast from its wells and their EUR, redone when the phase or basis changes."""

    BINDINGS = keys.bindings(keys.FIELD_DECLINE)

    def __init__(self, field_code: int, settings: DeclineSettings) -> None:
        super().__init__()
        self.field_code = field_code
        self.settings = settings
        self.options = Options.from_settings(settings)
        self.result: FieldDecline | None = None
        #: The wells' records of the phase shown and the field's monthly totals, read once per phase.
        self.history: tuple[FieldHistory, tuple[list[str], list[tuple[Any, ...]]]] | None = None
        self._version = 0

    def compose(self) -> ComposeResult:
        """Title, chart, the field's results, the wells' curves and EUR, keys."""
        yield Static(id="field-decline-title")
        yield FieldDeclineChart(id="field-decline-chart")
        yield Static("fitting every well of the field…", id="field-decline-summary")
        yield DataTable(id="field-decline-wells", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fit with the default options."""
        self._version = wellprod_app(self).backend.data_version
        self.refit()

    def on_screen_resume(self) -> None:
        """Fit again when an import committed while another screen was shown."""
        if self._version != wellprod_app(self).backend.data_version:
            self.data_changed()

    def data_changed(self) -> None:
        """An import committed: read the wells' records again and refit."""
        self._version = wellprod_app(self).backend.data_version
        self.history = None
        self.refit()

    def refit(self) -> None:
        """Fit every well again with ``self.options`` (in a worker)."""
        unit = self.options.units[0]
        self.query_one("#field-decline-title", Static).update(
            f"Decline · field {self.field_code} · {self.options.phase} ({unit}) · {self.options.basis}-day rates · "
            f"model {self.options.model} · limit {self.options.qel:g} {unit}"
        )
        self._fit(self.options)

    @work(thread=True, exclusive=True, exit_on_error=False, group="field-decline")
    def _fit(self, options: Options) -> None:
        def read(cur: Any) -> tuple[FieldHistory, tuple[list[str], list[tuple[Any, ...]]]]:
            totals = queries.read_all(cur, queries.field_monthly_view(self.field_code))
            return read_field_history(cur, self.field_code, options.phase), totals

        history, result, error = self.history, None, None
        try:
            if history is None or history[0].phase != options.phase:  # a new phase is the only new read
                history = with_cursor(self, read)
            result = fit_field(history[0], options)
        except (DeclineError, queries.NotFound) as exc:
            error = str(exc)
        if not cancelled():
            self.app.call_from_thread(self._show, options, result, error, history)

    def _show(self, options: Options, result: FieldDecline | None, error: str | None,
              history: tuple[FieldHistory, tuple[list[str], list[tuple[Any, ...]]]] | None) -> None:
        self.result, self.history = result, history
        summary = self.query_one("#field-decline-summary", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        columns, rows = history[1] if history is not None else ([], [])
        rate_column = HISTORY_RATES[options.phase]
        months = [str(r[columns.index("period")]) for r in rows]
        rates = [r[columns.index(rate_column)] for r in rows] if rate_column in columns else []
        unit = options.units[0]
        if result is None:
            summary.update(f"[b]cannot fit this field[/b]: {literal(error or '', lines=True)}")
            self.query_one(FieldDeclineChart).show_result(f"field {self.field_code} {options.phase} {unit}",
                                                          months, rates, [], [])
            return
        summary.update(describe(result))
        self.query_one(FieldDeclineChart).show_result(
            f"field {self.field_code} {options.phase} {unit}", months, rates, result.months, result.rates.tolist()
        )
        table.add_columns(*(heading for heading, _, _ in WELL_COLUMNS), "why not fitted")
        for well in sorted(result.wells, key=lambda w: -w.eur):
            figures = {**asdict(well), "di_secant_pct": well.di_secant * 100}
            table.add_row(*(cell(figures[key], decimals) for _, key, decimals in WELL_COLUMNS), "")
        for unfitted in result.unfitted:  # its cumulative to date, and why it has no curve
            figures = {"well_code": unfitted.well_code, "cum_to_date": unfitted.cum_to_date}
            table.add_row(*(cell(figures.get(key), decimals) for _, key, decimals in WELL_COLUMNS), unfitted.reason)

    def action_close(self) -> None:
        """Back to the field."""
        self.dismiss(None)

    def action_phase(self) -> None:
        """Oil, gas, water."""
        self.options = decline_keys.next_phase(self.options, self.settings)  # over the whole history, as before
        self.refit()

    def action_basis(self) -> None:
        """Calendar-day rates (as stored) or producing-day rates."""
        self.options = decline_keys.next_basis(self.options)
        self.refit()

    def export_view(self) -> queries.View | None:
        """The field's monthly forecast (month, rate, volume, cumulative) for ctrl+e."""
        if self.result is None:
            return None
        rate, volume = self.result.options.units
        return queries.forecast_view(f"decline-field-{self.field_code}-{self.options.phase}", rate, volume,
                                     render.forecast_rows(self.result))
