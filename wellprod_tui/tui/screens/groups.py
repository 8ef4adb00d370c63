"""The Groups screen: wells grouped by an attribute (operator, formation, county, a header's column, a
vintage); Enter on a group charts its months and lists its wells; Enter on a well opens it."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from wellprod_tui import queries
from wellprod_tui.core.months import Window
from wellprod_tui.core.units import UnitSystem
from wellprod_tui.queries.groups import (
    Grouping,
    group_attributes,
    group_monthly_view,
    group_wells_view,
    grouping,
    groups_view,
)
from wellprod_tui.queries.well_sets import selection_condition
from wellprod_tui.tui import keys
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.chart_kinds import chart_of
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.services import ViewChoice, watch_view, wellprod_app
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, cancelled, with_cursor

DEFAULT_ATTRIBUTE = "operator"


class GroupsScreen(ErrorsShown, Screen):
    """Choose an attribute (a), see its groups; by month (b) puts each month in its own value's group."""

    BINDINGS = keys.bindings(keys.GROUPS)

    def __init__(self) -> None:
        super().__init__()
        self.attribute = DEFAULT_ATTRIBUTE
        self.by_month = False
        self.grouping: Grouping | None = None
        #: The group whose chart and wells are shown.
        self.group: str | None = None
        #: The saved set whose wells are grouped (None: every well).
        self.set_name: str | None = None
        self._read_under: tuple[int, ViewChoice, str, bool, str | None] | None = None

    def compose(self) -> ComposeResult:
        """Attribute choice, groups, the chosen group's chart and wells."""
        yield Header()
        yield ModeBar("groups")
        with Horizontal(id="groups-choice"):
            yield Select([(DEFAULT_ATTRIBUTE, DEFAULT_ATTRIBUTE)], value=DEFAULT_ATTRIBUTE, allow_blank=False,
                         id="groups-attribute")
            yield Static("", id="groups-note", classes="dim")
        with VerticalScroll():
            yield ProductionTable("Groups (Enter: its chart and wells)", id="groups-table")
            yield ProductionChart(id="groups-chart")
            yield ProductionTable("Wells of the group (Enter opens)", id="groups-wells")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Follow the app's view; list the attributes the database knows."""
        watch_view(self, self._view_changed)
        self._list_attributes()
        self.query_one("#groups-table", ProductionTable).focus()

    def on_screen_resume(self) -> None:
        """Read the groups when first shown and after an import or a change of the view."""
        app = wellprod_app(self)
        if self._read_under != (app.backend.data_version, app.view, self.attribute, self.by_month, self.set_name):
            self.follow_view()

    def data_changed(self) -> None:
        """An import committed: read the groups again."""
        self._list_attributes()
        self.follow_view()

    def _view_changed(self) -> None:
        if self.is_current:
            self.follow_view()

    @work(thread=True, exclusive=True, exit_on_error=False, group="groups-attributes")
    def _list_attributes(self) -> None:
        found = with_cursor(self, group_attributes)
        if not cancelled():
            self.app.call_from_thread(self._fill_attributes, found)

    def _fill_attributes(self, found: list[str]) -> None:
        choice = self.query_one("#groups-attribute", Select)
        with choice.prevent(Select.Changed):
            choice.set_options([(a, a) for a in found])
            choice.value = self.attribute if self.attribute in found else found[0]

    def on_select_changed(self, event: Select.Changed) -> None:
        """Group by the chosen attribute."""
        if isinstance(event.value, str) and event.value != self.attribute:
            self.attribute, self.group = event.value, None
            self.follow_view()
            self.query_one("#groups-table", ProductionTable).focus()

    def action_choose_attribute(self) -> None:
        """Open the attribute list."""
        choice = self.query_one("#groups-attribute", Select)
        choice.focus()
        choice.expanded = True

    def action_toggle_by_month(self) -> None:
        """Each well in its current value's group, or each month in that month's value's group."""
        self.by_month, self.group = not self.by_month, None
        self.follow_view()

    def action_toggle_log(self) -> None:
        """Linear or logarithmic chart."""
        self.query_one(ProductionChart).action_toggle_log()

    def follow_view(self) -> None:
        """Read the groups again in the app's units and window."""
        app = wellprod_app(self)
        self._read_under = (app.backend.data_version, app.view, self.attribute, self.by_month, self.set_name)
        self._load(self.attribute, self.by_month, self.set_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="groups")
    def _load(self, attribute: str, by_month: bool, set_name: str | None) -> None:
        def read(cur: Any) -> tuple[Grouping, str]:
            sql, params, label = selection_condition(cur, set_name)
            return grouping(cur, attribute, by_month, within=(sql, params) if set_name else None), label

        try:
            found, label = with_cursor(self, read)
        except (ValueError, LookupError) as exc:  # a filter error, or a set deleted meanwhile
            if not cancelled():
                self.app.call_from_thread(self._refused, str(exc))
            return
        if not cancelled():
            self.app.call_from_thread(self._show_groups, found, label)

    def show_set(self, name: str | None) -> None:
        """Group the wells of the saved set ``name`` (None: every well)."""
        self.set_name, self.group = name, None
        self.follow_view()

    def action_all_wells(self) -> None:
        """Group every well again, not a set's."""
        if self.set_name is not None:
            self.show_set(None)

    def _refused(self, text: str) -> None:
        self.by_month, self.set_name = False, None
        self.notify(text, severity="warning", timeout=8)
        self.follow_view()

    def _show_groups(self, found: Grouping, label: str) -> None:
        app = wellprod_app(self)
        self.grouping = found
        among = f"{label} (x: all wells) · " if self.set_name else ""
        self.query_one("#groups-note", Static).update(f"{among}by {found.note} · a attribute, b by month")
        table = self.query_one("#groups-table", ProductionTable)
        table.border_title = f"Groups by {found.attribute} (Enter: its chart and wells)"
        table.show_view(groups_view(found, app.units, app.window))
        if self.group is not None:
            self._show_group(self.group)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A group: its chart and wells; a well: open it."""
        table = event.data_table
        if not isinstance(table, ProductionTable):
            return
        row = table.row_dict(event.cursor_row)
        if row is None or self.grouping is None:
            return
        if table.id == "groups-table":
            self._show_group(str(row[self.grouping.attribute]))
        else:
            wellprod_app(self).open_well(int(row["well_code"]))

    def _show_group(self, value: str) -> None:
        app = wellprod_app(self)
        self.group = value
        if self.grouping is None:
            return
        wells = self.query_one("#groups-wells", ProductionTable)
        wells.border_title = f"Wells of {self.grouping.attribute} = {value} (Enter opens)"
        wells.show_view(group_wells_view(self.grouping, value, app.units, app.window))
        self._chart(self.grouping, value, app.units, app.window, app.volumes)

    @work(thread=True, exclusive=True, exit_on_error=False, group="groups-chart")
    def _chart(self, found: Grouping, value: str, units: UnitSystem, window: Window, volumes: bool) -> None:
        monthly = with_cursor(self, lambda cur: queries.read_all(cur, group_monthly_view(found, value, units, window)))
        if not cancelled():
            self.app.call_from_thread(self._draw, value, monthly, units, window, volumes)

    def _draw(self, value: str, monthly: tuple[list[str], list[tuple[Any, ...]]], units: UnitSystem,
              window: Window, volumes: bool) -> None:
        titles = (f"{value}: monthly rates", f"{value}: monthly volumes")
        chart = chart_of("history", titles, *monthly, units, window, volumes)
        self.query_one(ProductionChart).show(chart.title, chart.ylabel, chart.x, chart.series)

    def export_view(self) -> queries.View | None:
        """ctrl+e: the groups table (its whole view)."""
        if self.grouping is None:
            return None
        app = wellprod_app(self)
        return groups_view(self.grouping, app.units, app.window)
