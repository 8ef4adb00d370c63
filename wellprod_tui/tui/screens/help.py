"""The Help dialog: every key, by screen."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

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


def keys_table() -> Table:
    """The keys as a Rich table."""
    table = Table(expand=True, show_edge=False, pad_edge=False)
    table.add_column("Screen", no_wrap=True)
    table.add_column("Key", no_wrap=True, style="bold")
    table.add_column("Does")
    for where, key, what in KEYS:
        table.add_row(where, key, what)
    return table


class HelpScreen(ModalScreen[None]):
    """Every key by screen; Escape, F1 or q closes."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", priority=True),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        """The keys table in a scrollable box."""
        with VerticalScroll(id="help"):
            yield Static(keys_table(), id="help-keys")

    def on_mount(self) -> None:
        """Title the box."""
        self.query_one("#help").border_title = "Keys (Escape closes)"
