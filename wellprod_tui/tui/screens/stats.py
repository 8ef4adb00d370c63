"""The Stats screen: the database's figures, top fields and wells, and total monthly production."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from wellprod_tui import queries
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.tui import keys
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.chart_kinds import chart_of
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.services import ViewChoice, watch_view, wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, cancelled, with_cursor


def describe_stats(data: dict[str, Any], units: UnitSystem = FIELD, window: Window = ALL) -> str:
    """Records, wells, fields, periods and total volumes (in ``units``; over ``window``'s months)."""

    def num(phase: str) -> str:
        return f"{data[units.name_of(phase, 'total', phase)] or 0:,.1f} {units.label('total', phase)}"

    return "\n".join(
        [
            f"[b]{data['records']:,}[/b] records · [b]{data['wells']:,}[/b] wells · [b]{data['fields']:,}[/b] fields"
            f" · months {data['first_period'] or '-'} .. {data['last_period'] or '-'}",
            f"total{'' if window.is_all else f' {window.label}'} oil {num('oil')} · gas {num('gas')} · "
            f"water {num('water')}",
        ]
    )


def describe_database(data: dict[str, Any]) -> str:
    """The database file and its size."""
    return f"database {literal(data['database'])} ({data['database_bytes'] / 1e6:.1f} MB)"


def describe_last_import(data: dict[str, Any], changes_key: str = "c") -> str:
    """The last import, if any, and the key that lists what it changed when it replaced stored values."""
    last = data["last_import"]
    if not last:
        return "no import yet: F2 imports a file"
    when = last["finished_at"].strftime("%Y-%m-%d %H:%M") if last["finished_at"] else "-"
    return (
        f"last import #{last['id']} {last['status']} {when} {literal(last['file'])} "
        f"({last['inserted']:,} new, {last['updated']:,} updated, {last['rejected']:,} rejected)"
        + (f" · {literal(changes_key)} lists the changes" if last["updated"] else "")
    )


class StatsScreen(ErrorsShown, Screen):
    """The whole database at a glance; Enter on a top field or well opens it."""

    BINDINGS = keys.bindings(keys.STATS)

    def __init__(self) -> None:
        super().__init__()
        #: What the figures shown were read under: the data's version and the view (None: not read yet).
        self._read_under: tuple[int, ViewChoice] | None = None
        #: The last import, as its line shows it (c lists what it changed).
        self.last_import: dict[str, Any] | None = None

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
        watch_view(self, self._view_changed)
        first = app.backend.take_first_stats()
        default_view = app.units is FIELD and app.window.is_all and not app.volumes  # what the open read
        if first is not None and default_view:
            self._read_under = (0, app.view)
            self._fill(first.figures, first.monthly, app.units, app.window, app.volumes)

    def on_screen_resume(self) -> None:
        """Read the figures when first shown and after each import or change of the view."""
        app = wellprod_app(self)
        if self._read_under != (app.backend.data_version, app.view):
            self.follow_view()

    def data_changed(self) -> None:
        """An import committed: read the figures again."""
        self.follow_view()

    def _view_changed(self) -> None:
        if self.is_current:
            self.follow_view()

    def follow_view(self) -> None:
        """Read the figures again in the app's units, basis and window."""
        app = wellprod_app(self)
        self._read_under = (app.backend.data_version, app.view)
        self._load(app.units, app.window, app.volumes)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def _load(self, units: UnitSystem, window: Window, volumes: bool) -> None:
        def read(cur: Any) -> tuple[dict[str, Any], tuple[list[str], list[tuple]]]:
            return queries.stats(cur, units, window), queries.read_all(cur, queries.total_monthly_view(units, window))

        data, monthly = with_cursor(self, read)
        if not cancelled():
            self.app.call_from_thread(self._fill, data, monthly, units, window, volumes)

    def _fill(self, data: dict[str, Any], monthly: tuple[list[str], list[tuple]], units: UnitSystem, window: Window,
              volumes: bool) -> None:
        self.query_one("#stats-figures", Static).update(describe_stats(data, units, window))
        self.query_one("#stats-database", Static).update(describe_database(data))
        self.last_import = data["last_import"] or None
        changes_key = keys.hint("stats-changes", dict(wellprod_app(self).cfg.keys))
        self.query_one("#stats-last-import", Static).update(describe_last_import(data, changes_key))
        chart = chart_of("history", ("Total monthly rates", "Total monthly volumes"), *monthly, units, window, volumes)
        self.query_one(ProductionChart).show(chart.title, chart.ylabel, chart.x, chart.series)
        self.call_after_refresh(self._show_top_lists, units, window)  # after the figures are painted

    def _show_top_lists(self, units: UnitSystem, window: Window) -> None:
        span = "" if window.is_all else f" {window.label}"
        for kind, view in (("fields", queries.top_fields_view(10, units, window)),
                           ("wells", queries.top_wells_view(10, units, window))):
            table = self.query_one(f"#top-{kind}", ProductionTable)
            table.border_title = f"Top 10 {kind} by cumulative oil{span} (Enter opens)"
            table.show_view(view)

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

    def action_changes(self) -> None:
        """List what the last import changed: old → new, one row per value."""
        last = self.last_import
        if last is None:
            self.notify("No import yet: F2 imports a file.", severity="warning")
        elif not last["updated"]:
            self.notify(f"Import #{last['id']} replaced no stored value.", timeout=5)
        else:
            from wellprod_tui.tui.screens.changes import ChangesScreen

            self.app.push_screen(ChangesScreen(int(last["id"])))

    def action_toggle_log(self) -> None:
        """Linear or logarithmic totals."""
        self.query_one(ProductionChart).action_toggle_log()

    def export_view(self) -> queries.View:
        """On Stats, the whole database."""
        return queries.all_records_view(wellprod_app(self).window)
