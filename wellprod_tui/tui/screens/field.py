"""The Field screen: search, identity and totals, a monthly chart and its wells (sortable)."""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from wellprod_tui import queries
from wellprod_tui.formatting import plural
from wellprod_tui.tui.widgets import ModeBar, ProductionChart, ProductionTable, SearchBox, cancelled, label, with_cursor

#: Columns the wells table can be sorted by, in the order ``s`` cycles through them.
SORT_COLUMNS = (
    "cum_oil_kbbl",
    "last_oil_kbd",
    "water_cut",
    "well_code",
    "well_name",
    "first_period",
    "last_period",
    "cum_gas_mmcf",
    "cum_water_kbbl",
    "well_reference",
)


def describe_field(info: dict[str, Any]) -> str:
    """The field's identity and totals in a few short lines."""

    def num(value: Any) -> str:
        return "-" if value is None else f"{value:,.1f}"

    return "\n".join(
        [
            f"[b]{info['field_code']}  {escape(info['field_name'] or '')}[/b]   {plural(info['wells'], 'well')}",
            f"months {info['first_period']} .. {info['last_period']}",
            f"cumulative: oil {num(info['cum_oil_kbbl'])} kbbl · gas {num(info['cum_gas_mmcf'])} MMcf · "
            f"water {num(info['cum_water_kbbl'])} kbbl",
        ]
    )


class FieldScreen(Screen):
    """One field: its totals, month by month, and its wells."""

    BINDINGS = [
        Binding("s", "sort", "Sort", id="field-sort"),
        Binding("r", "reverse", "Reverse", id="field-reverse"),
        Binding("l", "toggle_log", "Log scale", id="field-log-scale"),
        Binding("m", "export_monthly", "Export monthly", id="field-export-monthly"),
        Binding("slash", "search", "Search", id="field-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.code: int | None = None
        self.order_by = "cum_oil_kbbl"
        self.descending = True
        self._version = 0

    def compose(self) -> ComposeResult:
        """Search, summary, wells (what Enter, s and r act on, so in view at 80x24), chart."""
        yield Header()
        yield ModeBar("field")
        with VerticalScroll():
            yield SearchBox("field", "field code or name; Enter opens", id="field-searchbox")
            yield Static("Type a field code or name above.", id="field-summary")
            yield ProductionTable("Wells", self.app.cfg.ui.page_size, id="field-wells")
            yield ProductionChart(id="field-chart")
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
            self.show_field(self.code)

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
        """Open the chosen field."""
        self.show_field(event.code)

    def show_field(self, code: int) -> None:
        """Load and show one field (in a worker)."""
        self._load(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="field")
    def _load(self, code: int) -> None:
        def read(cur: Any) -> tuple[dict[str, Any], list[str], list[tuple]]:
            info = queries.field_info(cur, code)
            return (info, *queries.read_all(cur, queries.field_monthly_view(code)))

        try:
            info, columns, rows = with_cursor(self.app, read)
        except queries.NotFound as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning")
            return
        if not cancelled():
            self.app.call_from_thread(self._fill, code, info, columns, rows)

    def _fill(self, code: int, info: dict[str, Any], columns: list[str], rows: list[tuple]) -> None:
        self.code = code
        self.sub_title = f"field {code} {info['field_name'] or ''}"
        self.query_one("#field-summary", Static).update(describe_field(info))
        series = {name: [r[columns.index(col)] for r in rows] for name, col in SERIES}
        periods = [r[columns.index("period")] for r in rows]
        for widget in (self.query_one(ProductionChart), self.query_one(ProductionTable)):
            widget.display = True
        self.query_one(ProductionChart).show("Monthly totals: oil, water kbd; gas MMcfd", "rate", periods, series)
        self._show_wells()
        self.query_one(ProductionTable).focus(scroll_visible=False)
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def _show_wells(self) -> None:
        if self.code is None:
            return
        table = self.query_one(ProductionTable)
        table.border_title = f"Wells by {label(self.order_by)} {'↓' if self.descending else '↑'} (s sort, r reverse)"
        table.show_view(queries.field_wells_view(self.code, self.order_by, self.descending))

    def sort_by(self, column: str) -> None:
        """Sort the wells by ``column``; the same column again reverses the order."""
        if column == self.order_by:
            self.descending = not self.descending
        else:
            self.order_by, self.descending = column, column not in ("well_code", "well_name", "well_reference")
        self._show_wells()

    def action_sort(self) -> None:
        """Sort by the next column."""
        self.sort_by(SORT_COLUMNS[(SORT_COLUMNS.index(self.order_by) + 1) % len(SORT_COLUMNS)])

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.sort_by(self.order_by)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column header sorts by it."""
        column = str(event.column_key.value)
        if column in SORT_COLUMNS:
            self.sort_by(column)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a well opens it."""
        row = self.query_one(ProductionTable).row_dict(event.cursor_row)
        if row is not None:
            self.app.open_well(int(row["well_code"]))

    def action_toggle_log(self) -> None:
        """Linear or logarithmic totals."""
        self.query_one(ProductionChart).action_toggle_log()

    def action_export_monthly(self) -> None:
        """Export the field's monthly totals (the chart's numbers) to CSV."""
        if self.code is None:
            self.notify("Open a field first.", severity="warning")
            return
        self.app.export(queries.field_monthly_view(self.code))

    def export_view(self) -> queries.View | None:
        """The field's wells, in the order shown."""
        return None if self.code is None else queries.field_wells_view(self.code, self.order_by, self.descending)


SERIES = (("oil kbd", "oil_kbd"), ("gas MMcfd", "gas_mmcfd"), ("water kbd", "water_kbd"))
