"""The Help dialog: every key, by screen, read from the live bindings (so keys remapped in [keys] show)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable

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


def binding_rows(keymap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(where, key, what) for every binding with an id, with the keys the config maps it to."""
    from wellprod_tui.tui.app import WellprodApp
    from wellprod_tui.tui.screens.field import FieldScreen
    from wellprod_tui.tui.screens.import_screen import ImportScreen
    from wellprod_tui.tui.screens.one_item import OneItemScreen
    from wellprod_tui.tui.screens.stats import StatsScreen
    from wellprod_tui.tui.screens.well import WellScreen
    from wellprod_tui.tui.widgets import ProductionTable

    places = (
        ("Everywhere", WellprodApp),
        ("Tables", ProductionTable),
        ("Import", ImportScreen),
        ("Stats", StatsScreen),
        ("Well, Field", OneItemScreen),
        ("Well", WellScreen),
        ("Field", FieldScreen),
    )
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for where, cls in places:
        for binding in vars(cls).get("BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.id or binding.id in seen:
                continue
            seen.add(binding.id)
            keys = keymap.get(binding.id, binding.key)
            rows.append((where, ", ".join(_key_name(k) for k in keys.split(",")), binding.description))
    return rows


def _key_name(key: str) -> str:
    return {"question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]"}.get(
        key.strip(), key.strip()
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
        for where, key, what in [*binding_rows(dict(wellprod_app(self).cfg.keys)), *TYPED_KEYS]:
            table.add_row(where, Text(key, style="bold"), what)
        yield table
