"""The Help dialog: every key, by screen, read from the binding registry with the keys [keys] maps them to."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable

from wellprod_tui.tui.keys import help_rows
from wellprod_tui.tui.services import wellprod_app

#: Keys that are not bindings of their own: typing, completion, the palette.
TYPED_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Everywhere", "ctrl+p", "commands: import, export, open a well or field by name, theme"),
    ("Everywhere", "Tab, shift+Tab", "next / previous widget"),
    ("Import", "Tab", "complete the file or folder name (several: listed)"),
    ("Import", "Enter", "import the file"),
    ("Stats", "Enter", "open the top field or well"),
    ("Search", "type, Enter", "search by code or name (accents and case folded); Enter opens"),
    ("Search", "down", "from the search box to the matches"),
    ("Field", "Enter", "open the highlighted well"),
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
        for where, key, what in [*help_rows(dict(wellprod_app(self).cfg.keys)), *TYPED_KEYS]:
            table.add_row(where, Text(key, style="bold"), what)
        yield table
