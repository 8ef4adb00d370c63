"""The terminal app: modes (Import, Stats, Well, Field), global keys, command palette, worker errors.

Only Textual and the config are imported here, so the first frame is drawn before DuckDB loads; the
database opens in a worker and the screens (which import the core) are built when first shown.
"""

from __future__ import annotations

import logging
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_OK
from wellprod_tui.tui.app_database import DatabaseLink
from wellprod_tui.tui.app_navigation import Navigation
from wellprod_tui.tui.app_transfers import Transfers
from wellprod_tui.tui.app_view import ViewChoices
from wellprod_tui.tui.database import AppDatabase
from wellprod_tui.tui.errors import ErrorsShown, report_error
from wellprod_tui.tui.key_queue import KeyQueue
from wellprod_tui.tui.palette import WellprodCommands
from wellprod_tui.tui.screens.startup import StartupScreen

log = logging.getLogger(__name__)


def _import_screen() -> Screen:
    from wellprod_tui.tui.screens.import_screen import ImportScreen

    return ImportScreen()


def _stats_screen() -> Screen:
    from wellprod_tui.tui.screens.stats import StatsScreen

    return StatsScreen()


def _well_screen() -> Screen:
    from wellprod_tui.tui.screens.well import WellScreen

    return WellScreen()


def _field_screen() -> Screen:
    from wellprod_tui.tui.screens.field import FieldScreen

    return FieldScreen()


class WellprodApp(ErrorsShown, DatabaseLink, Navigation, Transfers, ViewChoices):
    """wellprod in the terminal: import, stats, one well, one field."""

    TITLE = "wellprod"
    CSS_PATH = "app.tcss"
    MODES = {
        "start": StartupScreen,
        "import": _import_screen,
        "stats": _stats_screen,
        "well": _well_screen,
        "field": _field_screen,
    }
    DEFAULT_MODE = "start"
    COMMANDS = App.COMMANDS | {WellprodCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True, id="help"),
        Binding("f2", "mode('import')", "Import", show=False, priority=True, id="import"),
        Binding("f3", "mode('stats')", "Stats", show=False, priority=True, id="stats"),
        Binding("f4", "search('well')", "Well", show=False, priority=True, id="well"),
        Binding("f5", "search('field')", "Field", show=False, priority=True, id="field"),
        Binding("ctrl+e", "export", "Export", priority=True, id="export"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("q", "quit", "Quit", show=False, id="quit-letter"),
        Binding("question_mark", "help", "Help", show=False, id="help-letter"),
        Binding("u", "cycle_units", "Units", show=False, id="units"),
        Binding("v", "toggle_volumes", "Rates/volumes", show=False, id="rates-volumes"),
        Binding("f6", "last_months(12)", "Last 12 months", show=False, id="window-last-year"),
        Binding("f7", "last_months(24)", "Last 24 months", show=False, id="window-two-years"),
        Binding("f8", "last_months(60)", "Last 60 months", show=False, id="window-five-years"),
        Binding("f9", "last_months(0)", "All months", show=False, id="window-all"),
        Binding("t", "type_window", "Time window", show=False, id="window-typed"),
    ]

    def __init__(self, cfg: config.Config) -> None:
        super().__init__()
        self.cfg = cfg
        #: Every error shown to the user so far, with where it happened (a test fails on any it did not expect).
        self.errors_reported: list[tuple[str, BaseException]] = []
        self.database = AppDatabase(cfg, self)
        #: Whether the database held no record when opened (the Import screen then offers the sample).
        self.database_empty = False
        #: Bumped after each import so that screens reload what they show.
        self.data_version = 0
        self._import = None
        #: Where Escape goes back to: (mode, code shown there).
        self._back: list[tuple[str, int | None]] = []
        self._keys = KeyQueue(self)
        self._state = config.load_state()
        self.choose_units(cfg, self._state)
        theme = str(self._state.get("theme") or cfg.ui.theme)
        if theme in self.available_themes:
            self.theme = theme
        if cfg.keys:
            self.set_keymap(dict(cfg.keys))

    def on_mount(self) -> None:
        """Open the database after the first frame; remember theme changes."""
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.call_after_refresh(self._open_database)
        if self.cfg.keys:
            self.call_after_refresh(self._check_keymap)

    async def on_event(self, event: events.Event) -> None:
        """Keys pass one by one, in order, once the database is open (see key_queue)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._keys.take(event):
            return
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        """An error Textual would exit on (rendering, layout) is logged and shown once the app runs."""
        if self.is_running and self.database.is_open and not self._exit_renderables:
            report_error(self, error, "The screen")
            return
        super()._handle_exception(error)

    def _check_keymap(self) -> None:
        """Say which [keys] of the config name no binding (Textual would ignore them silently)."""
        unknown = sorted({name for name, _ in self.cfg.keys} - known_binding_ids())
        if unknown:
            self.notify(
                f"{self.cfg.source}: [keys] {', '.join(unknown)}: no such binding id (see config.example.toml)",
                title="Config",
                severity="warning",
                timeout=15,
                markup=False,
            )

    # ---- errors, state, quitting ------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failing worker is logged and shown (not one cancelled while it waited); the app stays up."""
        if event.state is WorkerState.ERROR and event.worker.is_cancelled:
            log.debug("cancelled worker %s ended: %r", event.worker.name, event.worker.error)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            report_error(self, event.worker.error, event.worker.name or "A task")

    def _save_theme(self, theme: Any) -> None:
        self._state["theme"] = theme.name
        try:
            config.save_state(self._state)
        except OSError as exc:
            log.warning("cannot save the state file: %s", exc)

    def on_unmount(self) -> None:
        """Cancel a running import (it rolls back in its thread) and close the database connection."""
        running = self.current_import
        if running is not None:
            running.cancel()  # it rolls back in its thread, which lets the file go
        else:
            self.database.close()


def known_binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets: what [keys] in the config may remap."""
    import sys

    from wellprod_tui.tui import chart, search_box, widgets
    from wellprod_tui.tui.screens import decline, field, field_decline, help, import_screen, stats, well

    ids: set[str] = set()
    modules = (
        sys.modules[__name__], widgets, chart, search_box, field, help, import_screen, stats, well, decline,
        field_decline,
    )
    for module in modules:
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", []) if isinstance(value, type) else []:
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def create_app(cfg: config.Config) -> WellprodApp:
    """The one factory of the app, for the CLI and the tests."""
    return WellprodApp(cfg)


def run_app(cfg: config.Config) -> int:
    """Run the app until it quits; returns the exit code (3 when the database cannot be opened)."""
    app = create_app(cfg)
    result = app.run()
    return int(result or app.return_code or EXIT_OK)
