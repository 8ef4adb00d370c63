"""Reusable widgets: a paged production table, a production chart and a well/field search box."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from wellprod_tui import queries
from wellprod_tui.formatting import cell, column_decimals, plural, visible
from wellprod_tui.store import Connection

T = TypeVar("T")
#: Line colours of the petroleum convention, and markers that still tell the lines apart without colour.
SERIES_COLOURS = {"oil": "green", "gas": "red", "water": "blue"}
PLAIN_MARKERS = {"oil": "o", "gas": "x", "water": "."}


def with_cursor(app: Any, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on a fresh cursor of the app's connection (call from a worker thread)."""
    cur = app.cursor()
    try:
        return read(cur)
    finally:
        cur.close()


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


class ProductionTable(DataTable):
    """A table over a whole ``View``, holding one page at a time (n / p turn pages)."""

    BINDINGS = [
        Binding("n", "page(1)", "Next page", show=False, id="next-page"),
        Binding("p", "page(-1)", "Prev page", show=False, id="previous-page"),
    ]

    class Loaded(Message):
        """A page was shown."""

        def __init__(self, table: ProductionTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, title: str = "", page_size: int = 500, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.page_size = page_size
        self.view: queries.View | None = None
        self.columns_shown: list[str] = []
        self.rows_shown: list[tuple] = []
        self.first_row = 0
        self.total = 0
        self.border_title = title
        self._just_filled = False

    def show_view(self, view: queries.View, offset: int = 0) -> None:
        """Load a view from ``offset`` (in a worker)."""
        self.view = view
        self._load(view, max(0, offset))

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

    @work(thread=True, exclusive=True, exit_on_error=False, group="page")
    def _load(self, view: queries.View, offset: int) -> None:
        page = with_cursor(self.app, lambda cur: queries.read_page(cur, view, offset, self.page_size))
        if not cancelled():
            self.app.call_from_thread(self._fill, page)

    def _fill(self, page: queries.Page) -> None:
        self.clear(columns=True)
        for column in page.columns:
            self.add_column(label(column), key=column)
        self.columns_shown, self.rows_shown = page.columns, page.rows
        self.first_row, self.total = page.offset, page.total
        self._just_filled = True
        for i, row in enumerate(format_rows(page.columns, page.rows)):
            self.add_row(*row, key=str(page.offset + i))
        self.border_subtitle = self._position()
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
        return dict(zip(self.columns_shown, self.rows_shown[index], strict=True))


class ProductionChart(PlotextPlot):
    """Oil, gas and water against months, with a title that carries the units; log scale on demand."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log_scale = False
        self._title = ""
        self._ylabel = ""
        self._periods: list[str] = []
        self._series: dict[str, list[float | None]] = {}

    def show(self, title: str, ylabel: str, periods: list[str], series: dict[str, list[float | None]]) -> None:
        """Plot ``series`` (name -> values per period, periods as YYYY-MM)."""
        self._title, self._ylabel, self._periods, self._series = title, ylabel, periods, series
        self._draw()

    def action_toggle_log(self) -> None:
        """Switch between a linear and a logarithmic y axis."""
        self.log_scale = not self.log_scale
        self._draw()

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form("Y-m")
        scale = "log" if self.log_scale else "linear"
        plt.title(f"{self._title} ({scale})" if self._periods else f"{self._title}: no data")
        plt.xlabel("month")
        plt.ylabel(self._ylabel)
        plain = "NO_COLOR" in os.environ
        for name, values in self._series.items():
            points = [
                (p, v)
                for p, v in zip(self._periods, values, strict=True)
                if v is not None and (v > 0 or not self.log_scale)
            ]
            if not points:
                continue
            key = name.split()[0]
            xs, ys = [p for p, _ in points], [v for _, v in points]
            if plain:
                plt.plot(xs, ys, label=name, marker=PLAIN_MARKERS.get(key, "."))
            else:
                plt.plot(xs, ys, label=name, color=SERIES_COLOURS.get(key, "default"), marker="braille")
        plt.yscale("log" if self.log_scale else "linear")
        self.refresh()


class SearchBox(Vertical):
    """A search input with the matches listed as you type; Enter or a click chooses one."""

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

    def compose(self) -> ComposeResult:
        """The input and its match list."""
        yield Input(placeholder=self.placeholder, id=f"{self.kind}-search")
        yield OptionList(id=f"{self.kind}-matches")

    def on_mount(self) -> None:
        """No matches before anything is typed."""
        self.query_one(OptionList).display = False

    def focus_input(self) -> None:
        """Focus the input and select its text."""
        self.query_one(Input).focus()

    def type_text(self, text: str) -> None:
        """Focus the input and type ``text`` at its end."""
        box = self.query_one(Input)
        box.focus()
        box.insert_text_at_cursor(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Look the text up in a worker."""
        event.stop()
        text = event.value.strip()
        if not text:
            self._show([])
            return
        self._search(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, text: str) -> None:
        search = queries.search_wells if self.kind == "well" else queries.search_fields
        found = with_cursor(self.app, lambda cur: search(cur, text, 20))
        if not cancelled():
            self.app.call_from_thread(self._show, found)

    def _show(self, found: list[dict[str, Any]]) -> None:
        matches = self.query_one(OptionList)
        matches.clear_options()
        self._codes = [int(row[f"{self.kind}_code"]) for row in found]
        matches.add_options([Option(escape(visible(self._describe(row)))) for row in found])
        matches.display = bool(found)
        if found:
            matches.highlighted = 0

    def _describe(self, row: dict[str, Any]) -> str:
        if self.kind == "well":
            return f"{row['well_code']}  {row['well_name'] or ''}  ({row['well_reference'] or ''}, {row['field_name']})"
        return f"{row['field_code']}  {row['field_name'] or ''}  ({row['wells']} wells)"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """A typed code opens directly; otherwise the highlighted (or first) match."""
        event.stop()
        text = event.value.strip()
        if text.isdecimal():
            self._choose(int(text))
        elif self._codes:
            index = self.query_one(OptionList).highlighted or 0
            self._choose(self._codes[index])
        elif text:
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
