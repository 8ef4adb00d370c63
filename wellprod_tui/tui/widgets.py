"""Reusable widgets: a paged production table, a production chart and a well/field search box."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.markup import escape
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from wellprod_tui import queries
from wellprod_tui.formatting import cell, column_decimals, plural, visible
from wellprod_tui.store import Connection
from wellprod_tui.tui.errors import ErrorsShown, report_error
from wellprod_tui.tui.services import wellprod_app

T = TypeVar("T")
#: Line colours of the petroleum convention, and markers that still tell the lines apart without colour.
SERIES_COLOURS = {"oil": "green", "gas": "red", "water": "blue"}
PLAIN_MARKERS = {"oil": "o", "gas": "x", "water": "."}


def with_cursor(node: DOMNode, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on a cursor of the app's database (call from a worker thread)."""
    with wellprod_app(node).reading() as cur:
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

    BINDINGS = [
        Binding("n", "page(1)", "Next page", show=False, id="next-page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="previous-page"),
        Binding("home", "first_row", "First row", show=False, id="first-row"),
        Binding("end", "last_row", "Last row", show=False, id="last-row"),
    ]

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
        for i, row in enumerate(format_rows(page.columns, page.rows)):
            self.add_row(*(row[j] for j in shown), key=str(page.offset + i))
        self.border_subtitle = self._position()
        if self._cursor_after_load is not None:
            self.move_cursor(row=self._cursor_after_load % max(1, self.row_count))
            self._cursor_after_load = None
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


class ProductionChart(ErrorsShown, PlotextPlot):
    """Oil, gas and water against months, with a title that carries the units; log scale on demand."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log_scale = False
        self._title = ""
        self._ylabel = ""
        self._periods: list[Any] = []
        self._xlabel = "month"
        self._series: dict[str, list[float | None]] = {}

    def show(
        self, title: str, ylabel: str, periods: list[Any], series: dict[str, list[float | None]], xlabel: str = "month"
    ) -> None:
        """Plot ``series`` (name -> values per period, periods as YYYY-MM; or per number, with an ``xlabel``)."""
        self._title, self._ylabel, self._periods, self._series = title, ylabel, periods, series
        self._xlabel = xlabel
        self._draw()

    def action_toggle_log(self) -> None:
        """Switch between a linear and a logarithmic y axis."""
        self.log_scale = not self.log_scale
        self._draw()

    def render(self) -> RenderResult:
        """The plot; a plot that plotext cannot draw says so (and is logged) instead of failing the app."""
        try:
            return super().render()
        except Exception as error:
            report_error(self.app, error, "Drawing the chart")
            return Text(f"{self._title}: the chart cannot be drawn ({type(error).__name__}: {error})")

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form("Y-m")
        log_scale = self.log_scale and any(v is not None and v > 0 for vs in self._series.values() for v in vs)
        if not self._periods:
            plt.title(f"{self._title}: no data")
        elif self.log_scale and not log_scale:
            plt.title(f"{self._title}: no positive rate (log scale)")
        else:
            plt.title(f"{self._title} ({'log' if log_scale else 'linear'})")
        plt.xlabel(self._xlabel)
        plt.ylabel(self._ylabel)
        plain = "NO_COLOR" in os.environ
        for name, values in self._series.items():
            points = [
                (p, v) for p, v in zip(self._periods, values, strict=True)
                if v is not None and p is not None and (v > 0 or not log_scale)
            ]
            if not points:
                continue
            key = name.split()[0]
            xs, ys = [p for p, _ in points], [v for _, v in points]
            if plain:
                plt.plot(xs, ys, label=name, marker=PLAIN_MARKERS.get(key, "."))
            else:
                plt.plot(xs, ys, label=name, color=SERIES_COLOURS.get(key, "default"), marker="braille")
        plt.yscale("log" if log_scale else "linear")
        self.refresh()


class SearchInput(Input):
    """The search box's input: a ``/`` typed out of habit into an empty (or all selected) box is not text."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "slash" and (not self.value or self.selection == Selection(0, len(self.value))):
            event.stop()
            event.prevent_default()
            self.action_select_all()


#: Keys that act on the matches, so wait for the matches of the text typed so far.
NAVIGATION_KEYS = ("down", "up", "enter")


class SearchBox(ErrorsShown, Vertical):
    """A search input with the matches listed as you type; Enter or a click chooses one.

    Enter opens an exact code, otherwise the highlighted match. Down, Up and Enter typed before the matches
    of the current text have arrived wait for them, and then apply in order (keys come in bursts).
    """

    BINDINGS = [Binding("down", "to_matches", "Matches", show=False)]

    class Chosen(Message):
        """A well or field code was chosen."""

        def __init__(self, code: int) -> None:
            super().__init__()
            self.code = code

    def __init__(self, kind: str, placeholder: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.placeholder = placeholder
        self._codes: list[int] = []
        self._shown_for = ""
        self._waiting: list[str] = []

    def compose(self) -> ComposeResult:
        """The input and its match list."""
        yield SearchInput(placeholder=self.placeholder, id=f"{self.kind}-search")
        yield OptionList(id=f"{self.kind}-matches")

    def on_mount(self) -> None:
        """No matches before anything is typed."""
        self.query_one(OptionList).display = False

    @property
    def text(self) -> str:
        """The text typed, trimmed."""
        return self.query_one(SearchInput).value.strip()

    @property
    def searching(self) -> bool:
        """Whether the matches of the current text are still being looked up."""
        return self._shown_for != self.text

    def focus_input(self) -> None:
        """Focus the input with its text selected, so that typing replaces it."""
        box = self.query_one(SearchInput)
        box.focus()
        box.action_select_all()

    def type_text(self, text: str, replace: bool = False) -> None:
        """Focus the input and type ``text`` at its end (or in place of its text)."""
        box = self.query_one(SearchInput)
        box.focus()
        if replace:
            box.value = ""
        box.insert_text_at_cursor(text)

    def on_key(self, event: events.Key) -> None:
        """Down, Up and Enter wait for the matches of the text typed so far."""
        if event.key in NAVIGATION_KEYS and (self.searching or self._waiting):
            event.stop()
            event.prevent_default()
            self._waiting.append(event.key)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Look the text up in a worker."""
        event.stop()
        text = event.value.strip()
        if not text:
            self._show("", [])
            return
        self._search(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, text: str) -> None:
        search = queries.search_wells if self.kind == "well" else queries.search_fields
        found = with_cursor(self, lambda cur: search(cur, text, 20))
        if not cancelled():
            self.app.call_from_thread(self._show, text, found)

    def _show(self, text: str, found: list[dict[str, Any]]) -> None:
        if text != self.text:
            return  # an older search: the newer one is on its way
        matches = self.query_one(OptionList)
        codes = [int(row[f"{self.kind}_code"]) for row in found]
        if codes != self._codes or not matches.display:
            matches.clear_options()
            matches.add_options([Option(escape(visible(self._describe(row)))) for row in found])
            matches.display = bool(found)
            if found:
                matches.highlighted = 0
        self._codes, self._shown_for = codes, text
        waiting, self._waiting = self._waiting, []
        for key in waiting:
            self._apply(key)

    def _apply(self, key: str) -> None:
        """A navigation key that waited for the matches."""
        matches = self.query_one(OptionList)
        if key == "enter":
            if matches.has_focus and matches.highlighted is not None:
                self._choose(self._codes[matches.highlighted])
            else:
                self.submit()
        elif not matches.display:
            return
        elif key == "down" and not matches.has_focus and self.query_one(SearchInput).has_focus:
            matches.focus()
        elif key == "down":
            matches.action_cursor_down()
        else:
            matches.action_cursor_up()

    def _describe(self, row: dict[str, Any]) -> str:
        if self.kind == "well":
            return f"{row['well_code']}  {row['well_name'] or ''}  ({row['well_reference'] or ''}, {row['field_name']})"
        return f"{row['field_code']}  {row['field_name'] or ''}  ({row['wells']} wells)"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter opens (see submit)."""
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Open the exact code typed, else the highlighted match; say so when nothing matches."""
        text = self.text
        if not text:
            return
        if self.searching:
            self._waiting.append("enter")
            return
        if text.isdecimal() and int(text) in self._codes:
            self._choose(int(text))
        elif self._codes:
            index = self.query_one(OptionList).highlighted or 0
            self._choose(self._codes[index])
        else:
            self.notify(f"No {self.kind} matches {text!r}.", severity="warning", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen match."""
        event.stop()
        self._choose(self._codes[event.option_index])

    def action_to_matches(self) -> None:
        """Move from the input down into the matches."""
        matches = self.query_one(OptionList)
        if matches.display:
            matches.focus()

    def _choose(self, code: int) -> None:
        self.query_one(OptionList).display = False
        self.post_message(self.Chosen(code))


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
