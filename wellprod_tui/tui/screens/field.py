"""The Field screen: search, identity and totals, a monthly chart and its wells (sortable)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Static

from wellprod_tui import queries
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.text import allocation_line, plural, visible
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.core.vocabulary import MEASURED_PHASES
from wellprod_tui.tui import keys
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.screens.one_item import OneItemScreen
from wellprod_tui.tui.search_box import SearchBox
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, label

#: Sort orders that start from the smallest (names and codes); figures start from the largest.
ASCENDING_FIRST = ("well_code", "well_name", "well_reference", "first_period")
#: The chart is shown from this terminal height up (below, the wells take the room; c shows it).
CHART_FROM_ROWS = 40


def describe_field(info: dict[str, Any], units: UnitSystem = FIELD, window: Window = ALL) -> Content:
    """The field's identity and totals in a few short lines (in ``units``; over ``window``'s months)."""

    def num(value: Any) -> str:
        return "-" if value is None else f"{value:,.1f}"

    totals = " · ".join(
        f"{p} {num(info[units.name_of(window.cumulative(f'cum_{p}'), 'total', p)])} {units.label('total', p)}"
        for p in MEASURED_PHASES
    )
    template = "\n".join(
        [
            f"[b]{info['field_code']}  $name[/b]   {plural(info['wells'], 'well')}",
            f"months {info['first_period'] or '-'} .. {info['last_period'] or '-'}",
            f"{'cumulative' if window.is_all else f'cumulative {window.label}'}: {totals}",
            *filter(None, [allocation_line(info, units)]),  # field-level rows beside wells (issue 12)
            *([] if info["wells"] else ["no well records: the field's reported totals, charted below"]),
        ]
    )
    # names go in as values, never as markup: a name holding "[/b]" or an escape stays text
    return Content.from_markup(template, name=visible(info["field_name"] or ""))


class FieldWellsScreen(OneItemScreen):
    """The part of the Field screen about its wells: sorted by any column, filtered by name, active only."""

    def __init__(self) -> None:
        super().__init__()
        self.order_by = "cum_oil_kbbl"
        self.descending = True
        self.active_only = False

    def _view(self) -> tuple[UnitSystem, Window]:
        app = wellprod_app(self)
        return app.units, app.window

    def name_filter(self) -> str:
        """The text the wells are filtered by."""
        return self.query_one("#field-filter-text", Input).value.strip()

    def wells_view(self) -> queries.View | None:
        """The wells as shown: filtered and sorted."""
        if self.code is None:
            return None
        return queries.field_wells_view(
            self.code, self.order_by, self.descending, self.name_filter(), self.active_only, *self._view()
        )

    def show_table(self, columns: list[str] | None = None, rows: list[tuple] | None = None) -> None:
        """The field's wells in the chosen order and filter (the monthly rows read are the chart's)."""
        view = self.wells_view()
        if view is None:
            return
        table = self.query_one(ProductionTable)
        arrow = "↓" if self.descending else "↑"
        shown = queries.field_well_columns(*self._view())[queries.FIELD_WELL_COLUMNS.index(self.order_by)]
        table.headers = {shown: f"{label(shown)} {arrow}"}
        filters = [f"name ~ {self.name_filter()!r}"] if self.name_filter() else []
        filters += ["active last month"] if self.active_only else []
        window = wellprod_app(self).window
        filters += [] if window.is_all else [f"producing {window.label}"]
        table.border_title = "Wells" + (f" ({', '.join(filters)})" if filters else "") + " · s sort, w filter, a active"
        table.show_view(view)

    def sort_by(self, column: str) -> None:
        """Sort the wells by ``column``; the same column again reverses the order."""
        if column == self.order_by:
            self.descending = not self.descending
        else:
            self.order_by, self.descending = column, column not in ASCENDING_FIRST
        self.show_table()

    def action_sort(self, step: int) -> None:
        """Sort by the next (1) or previous (-1) column, in the order the columns are shown."""
        columns = queries.FIELD_WELL_COLUMNS
        self.sort_by(columns[(columns.index(self.order_by) + step) % len(columns)])

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.sort_by(self.order_by)

    def action_filter(self) -> None:
        """Type a name to filter the wells by."""
        if self.code is None:
            return
        box = self.query_one("#field-filter-text", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The filter applies as it is typed."""
        if event.input.id == "field-filter-text":
            event.stop()
            self.show_table()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter goes back to the wells."""
        if event.input.id == "field-filter-text":
            event.stop()
            event.input.display = bool(event.value.strip())
            self.query_one(ProductionTable).focus()

    def action_active(self) -> None:
        """Only the wells that produced in the last month, or all."""
        self.active_only = not self.active_only
        self.show_table()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column header sorts by it."""
        column = str(event.column_key.value)
        shown = queries.field_well_columns(*self._view())
        if column in shown:
            self.sort_by(queries.FIELD_WELL_COLUMNS[shown.index(column)])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a well opens it."""
        row = self.query_one(ProductionTable).row_dict(event.cursor_row)
        if row is not None:
            wellprod_app(self).open_well(int(row["well_code"]))


class FieldScreen(FieldWellsScreen):
    """One field: its totals, its wells (sortable, filterable) and, with room or on c, its monthly chart."""

    KIND = "field"
    CHART_TITLES = ("Monthly totals", "Monthly volumes")
    BINDINGS = keys.bindings(keys.FIELD)

    def __init__(self) -> None:
        super().__init__()
        self._chart_wanted: bool | None = None

    def compose(self) -> ComposeResult:
        """Search, summary, wells (what Enter, s and r act on, so in view at 80x24), filter, chart."""
        yield Header()
        yield ModeBar("field")
        with VerticalScroll():
            yield SearchBox("field", "field code or name; Enter opens", id="field-searchbox")
            yield Static("Type a field code or name above.", id="field-summary")
            yield Input(placeholder="filter the wells by name (Enter back to the table)", id="field-filter-text")
            yield ProductionTable(
                "Wells", wellprod_app(self).cfg.ui.page_size, widths={"well_name": 20}, id="field-wells"
            )
            yield ProductionChart(id="field-chart")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """The filter box shows once asked for."""
        super().on_mount()
        self.query_one("#field-filter-text", Input).display = False

    def read(self, cur: Any, code: int) -> tuple[dict[str, Any], list[str], list[tuple]]:
        """The field's totals and monthly rows."""
        units, window = self._view()
        return (queries.field_info(cur, code, units, window),
                *queries.read_all(cur, queries.field_monthly_view(code, units, window)))

    def describe(self, info: dict[str, Any]) -> Content:
        """The field's identity and totals."""
        return describe_field(info, *self._view())

    def _fill(self, code: int, info: dict[str, Any], columns: list[str], rows: list[tuple]) -> None:
        super()._fill(code, info, columns, rows)
        self.query_one(ProductionTable).display = bool(info["wells"])  # no wells: the chart takes the room
        self._show_chart()

    def on_resize(self) -> None:
        """Show the chart when the terminal has room for it and the wells."""
        if self.code is not None:
            self._show_chart()

    def _show_chart(self) -> None:
        roomy = self.size.height >= CHART_FROM_ROWS or not (self.info or {}).get("wells")
        wanted = self._chart_wanted if self._chart_wanted is not None else roomy
        self.query_one(ProductionChart).display = wanted

    def action_toggle_chart(self) -> None:
        """Show or hide the monthly chart."""
        if self.code is None:
            return
        self._chart_wanted = not self.query_one(ProductionChart).display
        self._show_chart()

    def action_export_monthly(self) -> None:
        """Export the field's monthly totals (the chart's numbers) to CSV."""
        if self.code is None:
            self.notify("Open a field first.", severity="warning")
            return
        wellprod_app(self).export(queries.field_monthly_view(self.code, *self._view()))

    def action_decline(self) -> None:
        """Open the Decline view of this field: its forecast from its wells, and their EUR."""
        if self.code is None:
            self.notify("Open a field first.", severity="warning")
            return
        from wellprod_tui.tui.screens.field_decline import FieldDeclineScreen  # noqa: PLC0415  (numpy on demand)

        self.app.push_screen(FieldDeclineScreen(self.code, wellprod_app(self).cfg.decline))

    def action_type_curve(self) -> None:
        """Open the Type curve view of this field's producing wells."""
        if self.code is None:
            self.notify("Open a field first.", severity="warning")
            return
        from wellprod_tui.queries.selection import Selection  # noqa: PLC0415

        wellprod_app(self).open_type_curve(Selection("field", field_code=self.code))

    def export_view(self) -> queries.View | None:
        """The field's wells, filtered and in the order shown."""
        return self.wells_view()
