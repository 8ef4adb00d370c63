"""Reusable widgets: a paged production table and the bar of screens; reading from a worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rich.text import Text
from textual import work
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from wellprod_tui import queries
from wellprod_tui.core.text import cell, column_decimals, plural
from wellprod_tui.storage.connection import Connection
from wellprod_tui.tui import keys
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.services import wellprod_app

T = TypeVar("T")
#: Rows added to a table at once (more than it shows); the rest follow once the screen is painted.
FIRST_ROWS = 40


def with_cursor(node: DOMNode, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on a cursor of the app's database (call from a worker thread)."""
    with wellprod_app(node).backend.reading() as cur:
        return read(cur)


def cancelled() -> bool:
    """Whether the current worker was cancelled (a newer request replaced it)."""
    return get_current_worker().is_cancelled


def label(column: str) -> str:
    """A column name as a header: ``cum_oil_kbbl`` -> ``cum oil kbbl``."""
    return column.replace("_", " ")


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[list[Text]]:
    """Rows as right-aligned numbers (water cut as %), left-aligned text."""
    decimals = [column_decimals([r[i] for r in rows]) for i in range(len(columns))]
    out = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if columns[i] == "water_cut" and isinstance(value, float):
                cells.append(Text(f"{value * 100:.1f}%", justify="right"))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                text = cell(value, decimals[i]) if isinstance(value, float) else f"{value}"
                cells.append(Text(text, justify="right"))
            else:
                cells.append(Text(cell(value)))
        out.append(cells)
    return out


class ProductionTable(ErrorsShown, DataTable):
    """A table over a whole ``View``, holding one page at a time (n / p turn pages)."""

    BINDINGS = keys.bindings(keys.TABLES)

    class Loaded(Message):
        """A page was shown."""

        def __init__(self, table: ProductionTable) -> None:
            super().__init__()
            self.table = table

    def __init__(
        self,
        title: str = "",
        page_size: int = 500,
        hidden: tuple[str, ...] = (),
        widths: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.page_size = page_size
        #: Columns read (and exported) but not shown; widths of columns that would crowd the others out.
        self.hidden, self.widths = hidden, widths or {}
        #: A label per column (e.g. the sort mark), else the column's name.
        self.headers: dict[str, str] = {}
        self._cursor_after_load: int | None = None
        self.view: queries.View | None = None
        self.columns_shown: list[str] = []
        self.columns_read: list[str] = []
        self.rows_shown: list[tuple] = []
        self.first_row = 0
        self.total = 0
        self.border_title = title
        self._just_filled = False
        self._filling = 0

    def show_view(self, view: queries.View, offset: int = 0) -> None:
        """Load a view from ``offset`` (in a worker)."""
        self.view = view
        self._load(view, max(0, offset))

    def show_rows(self, view: queries.View, columns: list[str], rows: list[tuple]) -> None:
        """Show a view whose rows were read already (all of them): no second read."""
        if len(rows) > self.page_size:
            self.show_view(view)
            return
        self.view = view
        self._fill(queries.Page(columns, rows, 0, len(rows)))

    def reload(self) -> None:
        """Read the current page again."""
        if self.view is not None:
            self._load(self.view, self.first_row)

    def action_page(self, step: int) -> None:
        """Show the next (1) or previous (-1) page."""
        if self.view is None:
            return
        offset = self.first_row + step * self.page_size
        if 0 <= offset < self.total:
            self._load(self.view, offset)

    def action_first_row(self) -> None:
        """The whole view's first row."""
        if self.first_row > 0 and self.view is not None:
            self._cursor_after_load = 0
            self._load(self.view, 0)
        else:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        """The whole view's last row."""
        last_page = max(0, (self.total - 1) // self.page_size * self.page_size)
        if last_page != self.first_row and self.view is not None:
            self._cursor_after_load = -1
            self._load(self.view, last_page)
        else:
            self.move_cursor(row=self.row_count - 1)

    @work(thread=True, exclusive=True, exit_on_error=False, group="page")
    def _load(self, view: queries.View, offset: int) -> None:
        page = with_cursor(self, lambda cur: queries.read_page(cur, view, offset, self.page_size))
        if not cancelled():
            self.app.call_from_thread(self._fill, page)

    def _fill(self, page: queries.Page) -> None:
        self.clear(columns=True)
        shown = [i for i, column in enumerate(page.columns) if column not in self.hidden]
        for i in shown:
            column = page.columns[i]
            self.add_column(self.headers.get(column, label(column)), key=column, width=self.widths.get(column))
        self.columns_shown = [page.columns[i] for i in shown]
        self.columns_read, self.rows_shown = page.columns, page.rows
        self.first_row, self.total = page.offset, page.total
        self._just_filled = True
        self._filling += 1
        cells = format_rows(page.columns, page.rows)
        # The rows a screen shows first, now; the others after that screen is painted (each row is measured).
        first = len(cells) if self._cursor_after_load is not None else FIRST_ROWS
        self._add_rows(page.offset, shown, cells[:first])
        self.border_subtitle = self._position()
        if first < len(cells):
            self.call_after_refresh(self._add_rest, self._filling, page.offset + first, shown, cells[first:])
            return
        if self._cursor_after_load is not None:
            self.move_cursor(row=self._cursor_after_load % max(1, self.row_count))
            self._cursor_after_load = None
        self.post_message(self.Loaded(self))

    def _add_rows(self, offset: int, shown: list[int], cells: list[list[Text]]) -> None:
        for i, row in enumerate(cells):
            self.add_row(*(row[j] for j in shown), key=str(offset + i))

    def _add_rest(self, filling: int, offset: int, shown: list[int], cells: list[list[Text]]) -> None:
        if filling == self._filling:  # not replaced by a newer fill meanwhile
            self._add_rows(offset, shown, cells)
            self.post_message(self.Loaded(self))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        """Moving the cursor brings the whole table into view (it may sit below a chart)."""
        if self._just_filled:
            self._just_filled = False
        elif self.has_focus:
            self.scroll_visible(animate=False)

    def _position(self) -> str:
        if self.total <= len(self.rows_shown):
            return plural(self.total, "row")
        last = self.first_row + len(self.rows_shown)
        return f"rows {self.first_row + 1:,}-{last:,} of {self.total:,} · n/p page"

    def row_dict(self, index: int) -> dict[str, Any] | None:
        """The values of the shown row ``index`` by column name."""
        if not 0 <= index < len(self.rows_shown):
            return None
        return dict(zip(self.columns_read, self.rows_shown[index], strict=True))


SCREEN_KEYS = (("import", "F2", "Import"), ("stats", "F3", "Stats"), ("well", "F4", "Well"), ("field", "F5", "Field"))


class ModeBar(Static):
    """The four screens and their F-keys, the current one marked (keeps the footer for this screen's keys)."""

    def __init__(self, current: str) -> None:
        text = Text()
        for mode, key, label in SCREEN_KEYS:
            if text:
                text.append("  ")
            style = "reverse bold" if mode == current else ""
            text.append(f" {key} ", style="bold " + style)
            text.append(f"{label} ", style=style)
        super().__init__(text, classes="mode-bar")
