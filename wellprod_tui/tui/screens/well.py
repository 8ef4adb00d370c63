"""The Well screen: search, identity and figures, a rate chart and the monthly history."""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from wellprod_tui import queries
from wellprod_tui.tui.widgets import ModeBar, ProductionChart, ProductionTable, SearchBox, cancelled, with_cursor


def describe_well(info: dict[str, Any]) -> str:
    """The well's identity and figures in a few short lines."""

    def num(value: Any, decimals: int = 1) -> str:
        return "-" if value is None else f"{value:,.{decimals}f}"

    cut = "-" if info["last_water_cut"] is None else f"{info['last_water_cut'] * 100:.1f}%"
    return "\n".join(
        [
            f"[b]{info['well_code']}  {escape(info['well_name'] or '')}[/b]  ({escape(info['well_reference'] or '-')})",
            f"field {info['field_code']} {escape(info['field_name'] or '')}   [dim](f opens it)[/dim]",
            f"months {info['first_period']} .. {info['last_period']} ({info['months']} months)",
            f"cumulative: oil {num(info['cum_oil_kbbl'])} kbbl · gas {num(info['cum_gas_mmcf'])} MMcf · "
            f"water {num(info['cum_water_kbbl'])} kbbl",
            f"last rates: oil {num(info['last_oil_kbd'], 3)} kbd · gas {num(info['last_gas_mmcfd'], 3)} MMcfd · "
            f"water {num(info['last_water_kbd'], 3)} kbd",
            f"last month: water cut {cut} · GOR {num(info['last_gor_scf_bbl'], 0)} scf/bbl",
        ]
    )


class WellScreen(Screen):
    """One well: who it is, what it produced, month by month."""

    BINDINGS = [
        Binding("f", "open_field", "Its field", id="well-open-field"),
        Binding("l", "toggle_log", "Log scale", id="well-log-scale"),
        Binding("slash", "search", "Search", id="well-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.code: int | None = None
        self.info: dict[str, Any] | None = None
        self._version = 0

    def compose(self) -> ComposeResult:
        """Search, summary, chart, history."""
        yield Header()
        yield ModeBar("well")
        with VerticalScroll():
            yield SearchBox("well", "well code, name or reference; Enter opens", id="well-searchbox")
            yield Static("Type a well code, name or reference above.", id="well-summary")
            yield ProductionChart(id="well-chart")
            yield ProductionTable("Monthly history", self.app.cfg.ui.page_size, id="well-history")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start in the search box."""
        self._version = self.app.data_version
        for widget in (self.query_one(ProductionChart), self.query_one(ProductionTable)):
            widget.display = False
        self.focus_search()

    def on_screen_resume(self) -> None:
        """Reload after an import changed the data."""
        if self._version != self.app.data_version and self.code is not None:
            self._version = self.app.data_version
            self.show_well(self.code)

    def on_key(self, event: events.Key) -> None:
        """Keys typed while the screen is still mounting (nothing focused) go to the search box."""
        if self.focused is None and event.is_printable and event.character:
            self.query_one(SearchBox).type_text(event.character)
            event.stop()

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one(SearchBox).focus_input()

    def action_search(self) -> None:
        """Go back to the search box."""
        self.focus_search()

    def on_search_box_chosen(self, event: SearchBox.Chosen) -> None:
        """Open the chosen well."""
        self.show_well(event.code)

    def show_well(self, code: int) -> None:
        """Load and show one well (in a worker)."""
        self._load(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="well")
    def _load(self, code: int) -> None:
        def read(cur: Any) -> tuple[dict[str, Any], list[str], list[tuple]]:
            info = queries.well(cur, code)
            return (info, *queries.read_all(cur, queries.well_history_view(code)))

        try:
            info, columns, rows = with_cursor(self.app, read)
        except queries.NotFound as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            return
        if not cancelled():
            self.app.call_from_thread(self._fill, code, info, columns, rows)

    def _fill(self, code: int, info: dict[str, Any], columns: list[str], rows: list[tuple]) -> None:
        self.code, self.info = code, info
        self.sub_title = f"well {code} {info['well_name'] or ''}"
        self.query_one("#well-summary", Static).update(describe_well(info))
        series = {name: [r[columns.index(col)] for r in rows] for name, col in SERIES}
        periods = [r[columns.index("period")] for r in rows]
        chart = self.query_one(ProductionChart)
        chart.display = self.query_one(ProductionTable).display = True
        chart.show("Rates: oil, water kbd; gas MMcfd", "rate", periods, series)
        table = self.query_one(ProductionTable)
        table.show_view(queries.well_history_view(code))
        table.focus(scroll_visible=False)
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_toggle_log(self) -> None:
        """Linear or logarithmic rates."""
        self.query_one(ProductionChart).action_toggle_log()

    def action_open_field(self) -> None:
        """Open this well's field."""
        if self.info is None or self.info["field_code"] is None:
            self.notify("Open a well first.", severity="warning")
            return
        self.app.open_field(int(self.info["field_code"]))

    def export_view(self) -> queries.View | None:
        """The well's whole monthly history."""
        return None if self.code is None else queries.well_history_view(self.code)


SERIES = (("oil kbd", "oil_kbd"), ("gas MMcfd", "gas_mmcfd"), ("water kbd", "water_kbd"))
