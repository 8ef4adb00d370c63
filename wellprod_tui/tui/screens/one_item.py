"""What the Well and Field screens share: find one item with a search box, then show its summary, a chart
of its monthly rates and a table, loaded in a worker and reloaded after an import."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from wellprod_tui import queries
from wellprod_tui.core.text import visible
from wellprod_tui.tui import keys
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.chart_kinds import CHART_KINDS, chart_of
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.search_box import SearchBox, SearchInput
from wellprod_tui.tui.services import ViewChoice, watch_view, wellprod_app
from wellprod_tui.tui.widgets import ProductionTable, cancelled, with_cursor

#: How many items read lately each screen keeps (a well's history is ~100 rows; a field's months ~600).
RECENT_ITEMS = 32
#: What an item was read under: (the data's version, the app's view: units, window, basis).
Versions = tuple[int, ViewChoice]


Item = tuple[dict[str, Any], list[str], list[tuple]]


class RecentItems:
    """The items read lately (prefetched by the search, or shown), each with the versions it was read under."""

    def __init__(self, size: int = RECENT_ITEMS) -> None:
        self._size = size
        self._items: OrderedDict[int, tuple[Versions, Item]] = OrderedDict()

    def remember(self, code: int, versions: Versions, item: Item) -> None:
        """Keep ``item`` read under ``versions``; the oldest goes when there are too many."""
        self._items[code] = (versions, item)
        self._items.move_to_end(code)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every item (an import changed the data)."""
        self._items.clear()

    def get(self, code: int, versions: Versions) -> Item | None:
        """The item as read under ``versions``; None when it was not, or under other versions."""
        kept = self._items.get(code)
        return kept[1] if kept is not None and kept[0] == versions else None


class TypingGoesToSearch(Screen):
    """Text typed while the screen mounts, or while a table has focus, goes to the screen's search box."""

    def on_key(self, event: events.Key) -> None:
        """Take printable keys that are none of the screen's own keys (a table's keys reach the screen before
        the bindings are looked up); Enter with nothing focused submits the search."""
        found = self.query(SearchBox)
        if not found:
            return
        box = found.first()
        if event.key == "enter" and self.focused is None:
            event.stop()
            box.submit()
            return
        if not (event.is_printable and event.character) or event.key in self.active_bindings:
            return
        if self.focused is None:
            box.query_one(SearchInput).type_text(event.character)
            event.stop()
        elif isinstance(self.focused, DataTable):
            box.query_one(SearchInput).type_text(event.character, replace=True)
            event.stop()

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected so that typing replaces it."""
        self.query_one(SearchInput).focus_all()

    def action_search(self) -> None:
        """Go back to the search box."""
        self.focus_search()


class OneItemScreen(ErrorsShown, TypingGoesToSearch):
    """A screen about one well or field; subclasses say how to read, describe and tabulate it."""

    KIND = ""
    #: The chart's title for rates and for monthly volumes (the units follow).
    CHART_TITLES = ("", "")
    BINDINGS = keys.bindings(keys.ONE_ITEM)

    def __init__(self) -> None:
        super().__init__()
        self.code: int | None = None
        self.info: dict[str, Any] | None = None
        self._version = 0
        #: Units, window and basis the item was read in.
        self._read_view: ViewChoice | None = None
        self.chart_kind = CHART_KINDS[0]
        self._monthly: tuple[list[str], list[tuple]] = ([], [])
        self._recent = RecentItems()

    def read(self, cur: Any, code: int) -> Item:
        """The item's summary and its monthly rows (raises queries.NotFound)."""
        raise NotImplementedError

    def describe(self, info: dict[str, Any]) -> Content:
        """The summary's text (markup)."""
        raise NotImplementedError

    def show_table(self, columns: list[str] | None = None, rows: list[tuple] | None = None) -> None:
        """Fill the table for ``self.code`` (from ``rows`` when the monthly rows just read are what it shows)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        """Start in the search box."""
        self._version, self._read_view = self._versions()
        watch_view(self, self._view_changed)
        for widget in (self.query_one(ProductionChart), self.query_one(ProductionTable)):
            widget.display = False
        self.query_one(SearchBox).prefetch = self.prefetch
        self.focus_search()

    def prefetch(self, cur: Any, code: int) -> None:
        """Read an item the search found by its exact code, so that Enter shows it without a read (search
        worker thread; the database is open then, and may be let go before Enter)."""
        versions = self._versions()
        try:
            read = self.read(cur, code)
        except queries.NotFound:
            return
        self.app.call_from_thread(self._recent.remember, code, versions, read)

    def on_screen_resume(self) -> None:
        """Reload after an import changed the data, or the view changed while another screen was shown."""
        version, view = self._versions()
        if self._version != version:
            self.data_changed()
        elif self._read_view != view:
            self.follow_view()

    def data_changed(self) -> None:
        """An import committed: forget the items read before it and read the one shown again."""
        self._recent.clear()
        self._version = wellprod_app(self).backend.data_version
        self.follow_view()

    def _view_changed(self) -> None:
        if self.is_current:
            self.follow_view()

    def follow_view(self) -> None:
        """Read the item again in the app's units, basis and window."""
        self._read_view = wellprod_app(self).view
        if self.code is not None:
            self._load(self.code, self._versions(), None)

    def action_chart_kind(self) -> None:
        """Rates (or volumes) by month, cumulative volumes, or the oil rate against cumulative oil."""
        self.chart_kind = CHART_KINDS[(CHART_KINDS.index(self.chart_kind) + 1) % len(CHART_KINDS)]
        if self.code is not None:
            self.draw_chart()

    def draw_chart(self) -> None:
        """The chart of the monthly rows read, of the kind chosen, in the app's units."""
        app = wellprod_app(self)
        chart = chart_of(self.chart_kind, self.CHART_TITLES, *self._monthly, app.units, app.window, app.volumes)
        self.query_one(ProductionChart).show(chart.title, chart.ylabel, chart.x, chart.series, chart.xlabel)

    def action_back(self) -> None:
        """Back to where this item was opened from (a field's well list, the Stats)."""
        wellprod_app(self).go_back()

    def action_toggle_log(self) -> None:
        """Linear or logarithmic rates."""
        self.query_one(ProductionChart).action_toggle_log()

    def on_search_box_chosen(self, event: SearchBox.Chosen) -> None:
        """Open the chosen item (a code opened before the matches arrived that is none: the highlighted match)."""
        self.show(event.code, missing=self.query_one(SearchBox).not_a_code if event.early else None)

    def show(self, code: int, missing: Callable[[int], None] | None = None) -> None:
        """Show one item: at once when shown or read lately (in the same units, basis and window), else read
        in a worker (``missing`` is called instead of a warning when there is no such item)."""
        versions = self._versions()
        if code == self.code and (self._version, self._read_view) == versions:
            self.query_one(ProductionTable).focus(scroll_visible=False)
            return
        self._read_view = versions[1]
        recent = self._recent.get(code, versions)
        if recent is not None:
            self.workers.cancel_group(self, "open")
            self._fill(code, *recent)
            return
        self._load(code, versions, missing)

    def _versions(self) -> Versions:
        app = wellprod_app(self)
        return app.backend.data_version, app.view

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _load(self, code: int, versions: Versions, missing: Callable[[int], None] | None) -> None:
        try:
            info, columns, rows = with_cursor(self, lambda cur: self.read(cur, code))
        except queries.NotFound as exc:
            if missing is not None:
                self.app.call_from_thread(missing, code)
            else:
                self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        if not cancelled():
            self.app.call_from_thread(self._loaded, code, versions, info, columns, rows)

    def _loaded(
        self, code: int, versions: Versions, info: dict[str, Any], columns: list[str], rows: list[tuple]
    ) -> None:
        self._recent.remember(code, versions, (info, columns, rows))
        if versions[0] >= self._version:  # else read before an import committed; the newer read is on its way
            self._fill(code, info, columns, rows)

    def _fill(self, code: int, info: dict[str, Any], columns: list[str], rows: list[tuple]) -> None:
        self.code, self.info = code, info
        self.sub_title = visible(f"{self.KIND} {code} {info[f'{self.KIND}_name'] or ''}")
        self.query_one(f"#{self.KIND}-summary", Static).update(self.describe(info))
        chart, table = self.query_one(ProductionChart), self.query_one(ProductionTable)
        chart.display = table.display = True
        self._monthly = (columns, rows)
        self.draw_chart()
        self.show_table(columns, rows)
        table.focus(scroll_visible=False)
        self.query_one(VerticalScroll).scroll_home(animate=False)
