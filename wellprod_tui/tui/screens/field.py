"""The Field screen: search, identity and totals, a monthly chart and its wells (sortable)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Footer, Header, Static

from wellprod_tui import queries
from wellprod_tui.formatting import allocation_line, plural
from wellprod_tui.tui.screens.one_item import OneItemScreen
from wellprod_tui.tui.widgets import ModeBar, ProductionChart, ProductionTable, SearchBox, label

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
            *filter(None, [allocation_line(info)]),  # field-level rows beside wells (issue 12)
        ]
    )


class FieldScreen(OneItemScreen):
    """One field: its totals, month by month, and its wells."""

    KIND = "field"
    CHART_TITLE = "Monthly totals: oil, water kbd; gas MMcfd"
    BINDINGS = [
        Binding("s", "sort", "Sort", id="field-sort"),
        Binding("r", "reverse", "Reverse", id="field-reverse"),
        Binding("l", "toggle_log", "Log scale", id="field-log-scale"),
        Binding("m", "export_monthly", "Export monthly", id="field-export-monthly"),
        Binding("slash", "search", "Search", id="field-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order_by = "cum_oil_kbbl"
        self.descending = True

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

    def read(self, cur: Any, code: int) -> tuple[dict[str, Any], list[str], list[tuple]]:
        """The field's totals and monthly rows."""
        return (queries.field_info(cur, code), *queries.read_all(cur, queries.field_monthly_view(code)))

    def describe(self, info: dict[str, Any]) -> str:
        """The field's identity and totals."""
        return describe_field(info)

    def show_field(self, code: int) -> None:
        """Load and show one field (in a worker)."""
        self.show(code)

    def show_table(self) -> None:
        """The field's wells in the chosen order."""
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
        self.show_table()

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

    def action_export_monthly(self) -> None:
        """Export the field's monthly totals (the chart's numbers) to CSV."""
        if self.code is None:
            self.notify("Open a field first.", severity="warning")
            return
        self.app.export(queries.field_monthly_view(self.code))

    def export_view(self) -> queries.View | None:
        """The field's wells, in the order shown."""
        return None if self.code is None else queries.field_wells_view(self.code, self.order_by, self.descending)
