"""The Well screen: search, identity and figures, a rate chart and the monthly history."""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from wellprod_tui import queries
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.text import visible
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.core.vocabulary import MEASURED_PHASES
from wellprod_tui.tui import keys
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.screens.one_item import OneItemScreen
from wellprod_tui.tui.search_box import SearchBox
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, with_cursor


def describe_well(info: dict[str, Any], units: UnitSystem = FIELD, window: Window = ALL) -> Content:
    """The well's identity and figures in a few short lines (in ``units``; over ``window``'s months)."""

    def num(value: Any, decimals: int = 1) -> str:
        return "-" if value is None else f"{value:,.{decimals}f}"

    def figures(base: str, quantity: str, decimals: int) -> str:
        return " · ".join(
            f"{p} {num(info[units.name_of(base.format(p), quantity, p)], decimals)} {units.label(quantity, p)}"
            for p in MEASURED_PHASES
        )

    cut = "-" if info["last_water_cut"] is None else f"{info['last_water_cut'] * 100:.1f}%"
    cumulative = "cumulative" if window.is_all else f"cumulative {window.label}"
    rate_decimals = 3 if units is FIELD else 1
    has_field = info["field_code"] is not None
    template = "\n".join(
        [
            f"[b]{info['well_code']}  $name[/b]  ($reference)",
            f"field {info['field_code']} $field   [dim](f opens it)[/dim]" if has_field else "no field",
            f"months {info['first_period'] or '-'} .. {info['last_period'] or '-'} ({info['months']} months)",
            f"{cumulative}: {figures(window.cumulative('cum_{}'), 'volume', 1)}",
            f"last rates: {figures('last_{}', 'rate', rate_decimals)}",
            f"last month: water cut {cut} · GOR {num(info[units.name_of('last_gor', 'gor', 'oil')], 0)} "
            f"{units.label('gor')}",
        ]
    )
    # names go in as values, never as markup: a name holding "[/b]" or an escape stays text
    return Content.from_markup(
        template,
        name=visible(info["well_name"] or ""),
        reference=visible(info["well_reference"] or "-"),
        field=visible(info["field_name"] or ""),
    )


class WellScreen(OneItemScreen):
    """One well: who it is, what it produced, month by month."""

    KIND = "well"
    CHART_TITLES = ("Rates", "Monthly volumes")
    BINDINGS = keys.bindings(keys.WELL)

    def __init__(self) -> None:
        super().__init__()
        self.newest_first = False

    def compose(self) -> ComposeResult:
        """Search, summary, chart, history."""
        yield Header()
        yield ModeBar("well")
        with VerticalScroll():
            yield SearchBox("well", "well code, name or reference; Enter opens", id="well-searchbox")
            yield Static("Type a well code, name or reference above.", id="well-summary")
            yield ProductionChart(id="well-chart")
            yield ProductionTable(
                "Monthly history", wellprod_app(self).cfg.ui.page_size, hidden=("well_code",), id="well-history"
            )
        yield Footer(compact=True, show_command_palette=False)

    def read(self, cur: Any, code: int) -> tuple[dict[str, Any], list[str], list[tuple]]:
        """The well's figures and monthly history."""
        return (queries.well(cur, code, *self._view()), *queries.read_all(cur, self.history_view(code, False)))

    def _view(self) -> tuple[UnitSystem, Window]:
        app = wellprod_app(self)
        return app.units, app.window

    def history_view(self, code: int, newest_first: bool) -> queries.View:
        """The well's history in the app's units, basis and window."""
        units, window = self._view()
        return queries.well_history_view(code, newest_first, units, window, wellprod_app(self).volumes)

    def describe(self, info: dict[str, Any]) -> Content:
        """The well's identity and figures."""
        return describe_well(info, *self._view())

    def show_table(self, columns: list[str] | None = None, rows: list[tuple] | None = None) -> None:
        """The whole monthly history, a page at a time (the rows just read when given: not read twice)."""
        if self.code is not None:
            table = self.query_one(ProductionTable)
            window = wellprod_app(self).window
            span = "" if not window.starts_late else f", cumulative {window.label}"
            table.border_title = (
                f"Monthly history, {'newest' if self.newest_first else 'oldest'} first (o flips){span}"
            )
            view = self.history_view(self.code, self.newest_first)
            if columns is not None and rows is not None and not self.newest_first:
                table.show_rows(view, columns, rows)
            else:
                table.show_view(view)

    def action_flip_order(self) -> None:
        """Newest month first, or oldest first."""
        self.newest_first = not self.newest_first
        self.show_table()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A well with no field has no field to open nor neighbours in it: f, [ and ] show unavailable."""
        if action in ("open_field", "step") and self.info is not None and self.info["field_code"] is None:
            return None
        return True

    def _fill(self, code: int, info: dict[str, Any], columns: list[str], rows: list[tuple]) -> None:
        super()._fill(code, info, columns, rows)
        self.refresh_bindings()  # f, [ and ] follow whether this well has a field

    def on_key(self, event: events.Key) -> None:
        """f, [ or ] on a well with no field says why nothing happens (the footer dims them, not without colour)."""
        found = self.active_bindings.get(event.key)
        if found is not None and found.node is self and not found.enabled:
            event.stop()
            self.notify("This well has no field.", severity="warning", timeout=3)

    def action_step(self, step: int) -> None:
        """Open the previous (-1) or next (1) well of this well's field, by cumulative oil."""
        if self.info is None or self.code is None:
            self.notify("Open a well first.", severity="warning")
            return
        if self.info["field_code"] is None:
            self.notify("This well has no field.", severity="warning")
            return
        self._step(int(self.info["field_code"]), self.code, step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step")
    def _step(self, field_code: int, code: int, step: int) -> None:
        codes = with_cursor(self, lambda cur: queries.field_well_codes(cur, field_code))
        index = codes.index(code) + step if code in codes else 0
        if 0 <= index < len(codes):
            self.app.call_from_thread(self.show, codes[index])
        else:
            where = "first" if index < 0 else "last"
            self.app.call_from_thread(self.notify, f"This is the {where} well of field {field_code}.")

    def action_open_field(self) -> None:
        """Open this well's field."""
        if self.info is None:
            self.notify("Open a well first.", severity="warning")
            return
        if self.info["field_code"] is None:
            self.notify("This well has no field.", severity="warning")
            return
        wellprod_app(self).open_field(int(self.info["field_code"]))

    def action_decline(self) -> None:
        """Open the Decline view of this well."""
        if self.code is None:
            self.notify("Open a well first.", severity="warning")
            return
        from wellprod_tui.tui.screens.decline import DeclineScreen  # noqa: PLC0415  (numpy on demand)

        self.app.push_screen(DeclineScreen(self.code, wellprod_app(self).cfg.decline))

    def export_view(self) -> queries.View | None:
        """The well's whole monthly history."""
        return None if self.code is None else self.history_view(self.code, self.newest_first)
