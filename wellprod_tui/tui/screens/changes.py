"""What an import changed, on screen: the revision trail of one import (old → new, with the difference), a
table over the same View as ``wellprod changes``, so that ctrl+e exports it; Escape closes."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from wellprod_tui import queries
from wellprod_tui.core.text import plural
from wellprod_tui.queries import changes
from wellprod_tui.tui import keys
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import ProductionTable, with_cursor

#: Widths that fit the changes in 80 columns (a value's full digits are in the export).
COLUMN_WIDTHS = {"column_name": 18, "old": 9, "new": 9}


def describe_import(entry: dict[str, Any] | None, months: int) -> str:
    """``import #3 completed 2026-12-06 03:20 revised.csv: 7 months changed``."""
    if entry is None:
        return "no import has replaced a stored value yet"
    when = f"{entry['finished_at']:%Y-%m-%d %H:%M}" if entry.get("finished_at") else "-"
    return (f"import #{entry['id']} {entry['status']} {when} {literal(str(entry['file']))}: "
            f"{plural(months, 'month')} changed")


class ChangesScreen(ModalScreen[None]):
    """One import's changes, one row per changed column; ``import_id`` None: the last import that changed any."""

    BINDINGS = keys.bindings(keys.CHANGES)

    def __init__(self, import_id: int | None = None) -> None:
        super().__init__()
        self.import_id = import_id
        self.view: queries.View | None = None

    def compose(self) -> ComposeResult:
        """What the import was, its changes, the keys."""
        with Vertical(id="changes-dialog"):
            yield Static("Reading what the import changed…", id="changes-import")
            table = ProductionTable("What it changed (old → new)", wellprod_app(self).cfg.ui.page_size,
                                    hidden=("import_id", "replaced_at"), widths=COLUMN_WIDTHS, id="changes-table")
            table.headers = {"production_period": "month", "column_name": "column"}
            yield table
            yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Read which import and how many months it changed, then its changes (in workers)."""
        self._read(self.import_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes")
    def _read(self, import_id: int | None) -> None:
        def read(cur: Any) -> tuple[int | None, dict[str, Any] | None, int]:
            chosen = import_id if import_id is not None else changes.latest_changing_import(cur)
            entry = None if chosen is None else changes.import_log_entry(cur, chosen)
            if chosen is None or entry is None or not changes.has_trail(cur):
                return chosen, entry, 0
            columns, rows = queries.read_all(cur, changes.changes_view(import_id=chosen))
            return chosen, entry, len({(r[2], r[3]) for r in rows})

        chosen, entry, months = with_cursor(self, read)
        self.app.call_from_thread(self._show, chosen, entry, months)

    def _show(self, chosen: int | None, entry: dict[str, Any] | None, months: int) -> None:
        self.import_id = chosen
        self.query_one("#changes-import", Static).update(describe_import(entry, months))
        if chosen is not None and entry is not None and months:
            self.view = changes.changes_view(import_id=chosen)
            self.query_one(ProductionTable).show_view(self.view)
            self.query_one(ProductionTable).focus()

    def action_close(self) -> None:
        """Back to the screen it was opened from."""
        self.dismiss(None)

    def export_view(self) -> queries.View | None:
        """Every change of the import, for ctrl+e."""
        return self.view
