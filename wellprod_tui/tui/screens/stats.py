"""The Stats screen: the database's figures, top fields and wells, and total monthly production."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from wellprod_tui import queries
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.screens.one_item import SERIES
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, cancelled, with_cursor


def describe_stats(data: dict[str, Any]) -> str:
    """Records, wells, fields, periods and total volumes."""

    def num(key: str) -> str:
        return f"{data[key] or 0:,.1f}"

    return "\n".join(
        [
            f"[b]{data['records']:,}[/b] records · [b]{data['wells']:,}[/b] wells · [b]{data['fields']:,}[/b] fields"
            f" · months {data['first_period'] or '-'} .. {data['last_period'] or '-'}",
            f"total oil {num('oil_kbbl')} kbbl · gas {num('gas_mmcf')} MMcf · water {num('water_kbbl')} kbbl",
        ]
    )


def describe_database(data: dict[str, Any]) -> str:
    """The database file and its size."""
    return f"database {escape(data['database'])} ({data['database_bytes'] / 1e6:.1f} MB)"


def describe_last_import(data: dict[str, Any]) -> str:
    """The last import, if any."""
    last = data["last_import"]
    if not last:
        return "no import yet: F2 imports a file"
    when = last["finished_at"].strftime("%Y-%m-%d %H:%M") if last["finished_at"] else "-"
    return (
        f"last import #{last['id']} {last['status']} {when} {escape(last['file'])} "
        f"({last['inserted']:,} new, {last['updated']:,} updated, {last['rejected']:,} rejected)"
    )


class StatsScreen(ErrorsShown, Screen):
    """The whole database at a glance; Enter on a top field or well opens it."""

    BINDINGS = [Binding("l", "toggle_log", "Log scale", id="stats-log-scale")]

    def __init__(self) -> None:
        super().__init__()
        self._version = -1

    def compose(self) -> ComposeResult:
        """Figures, chart, top lists."""
        yield Header()
        yield ModeBar("stats")
        with VerticalScroll():
            yield Static("Reading the figures…", id="stats-figures")
            yield Static("", id="stats-database", classes="dim")
            yield Static("", id="stats-last-import", classes="dim")
            yield ProductionChart(id="stats-chart")
            yield ProductionTable("Top 10 fields by cumulative oil (Enter opens)", id="top-fields")
            yield ProductionTable("Top 10 wells by cumulative oil (Enter opens)", id="top-wells")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Show the figures read as the database opened (no import since), on this screen's first frame."""
        app = wellprod_app(self)
        first, app.first_stats = app.first_stats, None
        if first is not None and app.data_version == 0:
            self._version = 0
            self._fill(first.figures, first.monthly)

    def on_screen_resume(self) -> None:
        """Read the figures when first shown and after each import."""
        version = wellprod_app(self).data_version
        if self._version != version:
            self._version = version
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def _load(self) -> None:
        def read(cur: Any) -> tuple[dict[str, Any], tuple[list[str], list[tuple]]]:
            return queries.stats(cur), queries.read_all(cur, queries.total_monthly_view())

        data, monthly = with_cursor(self, read)
        if not cancelled():
            self.app.call_from_thread(self._fill, data, monthly)

    def _fill(self, data: dict[str, Any], monthly: tuple[list[str], list[tuple]]) -> None:
        self.query_one("#stats-figures", Static).update(describe_stats(data))
        self.query_one("#stats-database", Static).update(describe_database(data))
        self.query_one("#stats-last-import", Static).update(describe_last_import(data))
        columns, rows = monthly
        series = {name: [r[columns.index(col)] for r in rows] for name, col in SERIES}
        chart = self.query_one(ProductionChart)
        chart.show("Total monthly rates: oil, water kbd; gas MMcfd", "rate", [r[0] for r in rows], series)
        self.call_after_refresh(self._show_top_lists)  # after the figures are painted

    def _show_top_lists(self) -> None:
        self.query_one("#top-fields", ProductionTable).show_view(queries.top_fields_view(10))
        self.query_one("#top-wells", ProductionTable).show_view(queries.top_wells_view(10))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open the chosen field or well."""
        table = event.data_table
        if not isinstance(table, ProductionTable):
            return
        row = table.row_dict(event.cursor_row)
        if row is None:
            return
        if table.id == "top-fields":
            wellprod_app(self).open_field(int(row["field_code"]))
        else:
            wellprod_app(self).open_well(int(row["well_code"]))

    def action_toggle_log(self) -> None:
        """Linear or logarithmic totals."""
        self.query_one(ProductionChart).action_toggle_log()

    def export_view(self) -> queries.View:
        """On Stats, the whole database."""
        return queries.all_records_view()
