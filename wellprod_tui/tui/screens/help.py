"""The Help dialog: every key, by screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable

#: (where, key, what it does); the README's "Keys" table is this list.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Everywhere", "F1, ?", "this help (? when not typing)"),
    ("Everywhere", "F2 F3 F4 F5", "Import, Stats, Well, Field screen"),
    ("Everywhere", "ctrl+e", "export the whole current view to CSV"),
    ("Everywhere", "ctrl+p", "commands: import, export, open, theme"),
    ("Everywhere", "ctrl+q, q", "quit (q when not typing)"),
    ("Everywhere", "Tab, shift+Tab", "next / previous widget"),
    ("Tables", "n, p", "next / previous page"),
    ("Import", "Tab", "complete the file or folder name"),
    ("Import", "Enter", "import the file"),
    ("Import", "Escape", "cancel: the database stays unchanged"),
    ("Stats", "Enter", "open the top field or well"),
    ("Charts", "l", "linear / log scale (Stats, Well, Field)"),
    ("Search", "type, Enter", "search by code or name; Enter opens"),
    ("Search", "down", "from the search box to the matches"),
    ("Search", "/", "back to the search box"),
    ("Well", "f", "open the well's field"),
    ("Field", "Enter", "open the highlighted well"),
    ("Field", "s, r", "sort wells by next column, reverse"),
    ("Field", "m", "export its monthly totals (ctrl+e: wells)"),
    ("Dialogs", "Escape", "close"),
)


class HelpScreen(ModalScreen[None]):
    """Every key by screen; Escape, F1 or q closes."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", priority=True),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        """The keys in a scrollable table."""
        table: DataTable = DataTable(id="help", cursor_type="row", zebra_stripes=True)
        table.border_title = "Keys (Escape closes)"
        table.add_columns("Screen", "Key", "Does")
        for where, key, what in KEYS:
            table.add_row(where, Text(key, style="bold"), what)
        yield table
