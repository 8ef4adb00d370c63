"""The Help dialog: every key, by screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable

#: (where, key, what it does); the README's "Keys" table is this list.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Everywhere", "F1, ? (not typing)", "this help"),
    ("Everywhere", "F2 / F3 / F4 / F5", "Import / Stats / Well / Field screen (also while typing)"),
    ("Everywhere", "ctrl+e", "export the current view to CSV (whole result, in the export folder)"),
    ("Everywhere", "ctrl+p", "command palette: import, export, open a well or field, switch theme"),
    ("Everywhere", "ctrl+q, q (not typing)", "quit"),
    ("Everywhere", "Tab / shift+Tab", "next / previous widget"),
    ("Tables", "n / p", "next / previous page of a long table"),
    ("Import", "Tab", "complete the file or folder name"),
    ("Import", "Enter", "import the file (empty database: the bundled sample)"),
    ("Import", "Escape", "cancel the running import; the database stays unchanged"),
    ("Import", "ctrl+e", "export the import log"),
    ("Stats", "Enter", "open the highlighted top field or well"),
    ("Stats", "l", "log scale of the chart"),
    ("Stats", "ctrl+e", "export every record"),
    ("Well", "type, Enter", "search wells by code, name or reference; Enter opens (down: the matches)"),
    ("Well", "/", "back to the search box"),
    ("Well", "f", "open the well's field"),
    ("Well", "l", "log scale of the rate chart"),
    ("Well", "ctrl+e", "export the well's monthly history"),
    ("Field", "type, Enter", "search fields by code or name; Enter opens"),
    ("Field", "/", "back to the search box"),
    ("Field", "Enter", "open the highlighted well"),
    ("Field", "s / r", "sort the wells by the next column / reverse (or click a header)"),
    ("Field", "l", "log scale of the chart"),
    ("Field", "ctrl+e", "export the field's wells"),
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
