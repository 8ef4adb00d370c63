"""What the Well and Field screens share: find one item with a search box, then show its summary, a chart
of its monthly rates and a table, loaded in a worker and reloaded after an import."""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wellprod_tui import queries
from wellprod_tui.tui.widgets import ProductionChart, ProductionTable, SearchBox, cancelled, with_cursor

#: The chart's series: (legend, column of the monthly rows).
SERIES = (("oil kbd", "oil_kbd"), ("gas MMcfd", "gas_mmcfd"), ("water kbd", "water_kbd"))


class OneItemScreen(Screen):
    """A screen about one well or field; subclasses say how to read, describe and tabulate it."""

    KIND = ""
    CHART_TITLE = ""

    def __init__(self) -> None:
        super().__init__()
        self.code: int | None = None
        self.info: dict[str, Any] | None = None
        self._version = 0

    def read(self, cur: Any, code: int) -> tuple[dict[str, Any], list[str], list[tuple]]:
        """The item's summary and its monthly rows (raises queries.NotFound)."""
        raise NotImplementedError

    def describe(self, info: dict[str, Any]) -> str:
        """The summary's text (markup)."""
        raise NotImplementedError

    def show_table(self) -> None:
        """Fill the table for ``self.code``."""
        raise NotImplementedError

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
            self.show(self.code)

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

    def action_toggle_log(self) -> None:
        """Linear or logarithmic rates."""
        self.query_one(ProductionChart).action_toggle_log()

    def on_search_box_chosen(self, event: SearchBox.Chosen) -> None:
        """Open the chosen item."""
        self.show(event.code)

    def show(self, code: int) -> None:
        """Load and show one item (in a worker)."""
        self._load(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _load(self, code: int) -> None:
        try:
            info, columns, rows = with_cursor(self.app, lambda cur: self.read(cur, code))
        except queries.NotFound as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        if not cancelled():
            self.app.call_from_thread(self._fill, code, info, columns, rows)

    def _fill(self, code: int, info: dict[str, Any], columns: list[str], rows: list[tuple]) -> None:
        self.code, self.info = code, info
        self.sub_title = f"{self.KIND} {code} {info[f'{self.KIND}_name'] or ''}"
        self.query_one(f"#{self.KIND}-summary", Static).update(self.describe(info))
        series = {name: [r[columns.index(col)] for r in rows] for name, col in SERIES}
        periods = [r[columns.index("period")] for r in rows]
        chart, table = self.query_one(ProductionChart), self.query_one(ProductionTable)
        chart.display = table.display = True
        chart.show(self.CHART_TITLE, "rate", periods, series)
        self.show_table()
        table.focus(scroll_visible=False)
        self.query_one(VerticalScroll).scroll_home(animate=False)
