"""The terminal app: modes (Import, Stats, Well, Field), the keys of the registry, the command palette, the error
policy, and the view every screen follows (units, time window, rates or volumes: reactives the screens watch).

Only Textual and the config are imported here, so the first frame is drawn before DuckDB loads; the backend
opens the database in a worker and the screens (which import the core) are built when first shown.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.content import Content
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from wellprod_tui.core import config
from wellprod_tui.core import units as unit_systems
from wellprod_tui.core.exit_codes import EXIT_LOCKED, EXIT_OK
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.text import visible, visible_lines
from wellprod_tui.tui import keys
from wellprod_tui.tui.backend import Backend
from wellprod_tui.tui.errors import report_error, report_handler_error
from wellprod_tui.tui.key_queue import KeyQueue
from wellprod_tui.tui.keys import known_binding_ids
from wellprod_tui.tui.messages import (
    DatabaseBusyChanged,
    DatabaseFailed,
    DatabaseOpened,
    DataChanged,
    ExportEnded,
    ImportsNoticed,
    LastMonthRead,
)
from wellprod_tui.tui.palette import WellprodCommands
from wellprod_tui.tui.screens.startup import ConfirmScreen, DatabaseProblemScreen, StartupScreen
from wellprod_tui.tui.services import FollowsData, HasExportView, ShowsOneItem, ShowsSet, ViewChoice, Wellprod

if TYPE_CHECKING:
    from wellprod_tui.queries import View
    from wellprod_tui.queries.selection import Selection

log = logging.getLogger(__name__)
#: How often the app looks whether another process changed the database file.
WATCH_EVERY_S = 1.0


def _screen(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, imported when first shown (the screens import the core)."""
    return lambda: getattr(importlib.import_module(f"wellprod_tui.tui.screens.{module}"), name)()


def first_screen(empty: bool) -> None:
    """Import the first screen's module off the UI thread (the open's worker), so that it shows at once."""
    importlib.import_module(f"wellprod_tui.tui.screens.{'import_screen' if empty else 'stats'}")


def preload_screens() -> None:
    """Import the screens (and plotext) off the UI thread, so that F2-F5 switch at once."""
    from wellprod_tui.tui.screens import field, help, import_screen, stats, well  # noqa: F401


class WellprodApp(App[int]):
    """wellprod in the terminal: import, stats, one well, one field."""

    TITLE = "wellprod"
    CSS_PATH = "app.tcss"
    MODES = {
        "start": StartupScreen,
        "import": _screen("import_screen", "ImportScreen"),
        "stats": _screen("stats", "StatsScreen"),
        "well": _screen("well", "WellScreen"),
        "field": _screen("field", "FieldScreen"),
        "groups": _screen("groups", "GroupsScreen"),
    }
    DEFAULT_MODE = "start"
    COMMANDS = App.COMMANDS | {WellprodCommands}
    BINDINGS = keys.bindings(keys.EVERYWHERE)

    units: var[unit_systems.UnitSystem] = var(unit_systems.FIELD)
    window: var[Window] = var(ALL)
    #: Monthly volumes (rate x days in month) instead of calendar-day rates in histories and charts.
    volumes: var[bool] = var(False)

    def __init__(self, cfg: config.Config) -> None:
        super().__init__()
        self.cfg = cfg
        #: Every error shown to the user so far, with where it happened (a test fails on any it did not expect).
        self.errors_reported: list[tuple[str, BaseException]] = []
        self.backend = Backend(cfg, self)
        #: Where Escape goes back to: (mode, code shown there).
        self._back: list[tuple[str, int | None]] = []
        self._keys = KeyQueue(self)
        self._state = config.load_state()
        try:  # the units of the state file (a choice made in the app), else of the config
            self.set_reactive(WellprodApp.units, unit_systems.system(str(self._state.get("units") or cfg.ui.units)))
        except ValueError:
            self.set_reactive(WellprodApp.units, unit_systems.system(cfg.ui.units))
        theme = str(self._state.get("theme") or cfg.ui.theme)
        if theme in self.available_themes:
            self.theme = theme
        if cfg.keys:
            self.set_keymap(dict(cfg.keys))

    @property
    def view(self) -> ViewChoice:
        """The units, window and basis figures are shown in now."""
        return self.units, self.window, self.volumes

    def on_mount(self) -> None:
        """Open the database after the first frame; remember theme changes."""
        self.theme_changed_signal.subscribe(self, lambda theme: self._save_state("theme", theme.name))
        self.call_after_refresh(self.backend.open, first_screen)
        if self.cfg.keys:
            self.call_after_refresh(self._check_keymap)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification (the screens' too): plain text shown visibly, never markup (``markup`` is
        ignored), as its names and errors come from files and other processes."""
        super().notify(visible_lines(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Keys pass one by one, in order, once the database is open (see key_queue)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._keys.take(event):
            return
        await super().on_event(event)

    def _check_keymap(self) -> None:
        """Say which [keys] of the config name no binding (Textual would ignore them silently)."""
        unknown = sorted({name for name, _ in self.cfg.keys} - known_binding_ids())
        if unknown:
            self.notify(
                f"{self.cfg.source}: [keys] {', '.join(unknown)}: no such binding id (see config.example.toml)",
                title="Config", severity="warning", timeout=15, markup=False,
            )

    def _save_state(self, name: str, value: str) -> None:
        self._state[name] = value
        try:
            config.save_state(self._state)
        except OSError as exc:
            log.warning("cannot save the state file: %s", exc)

    # ---- the error policy -------------------------------------------------------------------------

    async def _dispatch_message(self, message: Message) -> None:
        """An exception in one of the App's handlers (a key's action, a message) is reported, not fatal."""
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            report_handler_error(self, message, error)

    def _handle_exception(self, error: Exception) -> None:
        """An error Textual would exit on (rendering, layout) is logged and shown once the app runs."""
        if self.is_running and self.backend.is_open and not self._exit_renderables:
            report_error(self, error, "The screen")
            return
        super()._handle_exception(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failing worker is logged and shown (not one cancelled while it waited); the app stays up."""
        if event.state is WorkerState.ERROR and event.worker.is_cancelled:
            log.debug("cancelled worker %s ended: %r", event.worker.name, event.worker.error)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            report_error(self, event.worker.error, event.worker.name or "A task")

    # ---- what the backend tells -------------------------------------------------------------------

    def on_database_opened(self, message: DatabaseOpened) -> None:
        """Show the Import screen on an empty database, else the Stats; then apply the keys typed meanwhile."""
        log.info("opened %s", self.cfg.database_path)
        self.switch_mode("import" if message.empty else "stats")
        self.call_after_refresh(self.run_worker, preload_screens, thread=True, exit_on_error=False, group="preload")
        self.call_later(self._keys.open)
        self.set_interval(WATCH_EVERY_S, self.backend.look_for_imports)

    def on_database_failed(self, message: DatabaseFailed) -> None:
        """Say why the database cannot be used; leaving exits with code 3."""
        log.error("cannot open the database: %s", message.text)
        self._keys.open()
        self.push_screen(DatabaseProblemScreen(message.text), lambda _: self.exit(EXIT_LOCKED, return_code=EXIT_LOCKED))

    def on_database_busy_changed(self, message: DatabaseBusyChanged) -> None:
        """Show (or clear) who holds the database, in the header; keys keep working meanwhile."""
        self.title = f"wellprod · {visible(message.text)} · waiting" if message.text else "wellprod"
        if isinstance(self.screen, StartupScreen):
            busy = message.text.removeprefix("database busy: ")
            self.screen.say(f"The database is busy: {busy}.\nWaiting for it… (ctrl+q quits)" if message.text else "")

    def on_imports_noticed(self, message: ImportsNoticed) -> None:
        """Say what another process's import brought (DataChanged follows, and the screens reload)."""
        self.backend.data_changed()
        for done in message.imports:
            who = f"process {done['pid']}" if done.get("pid") else "another process"
            self.notify(
                f"{done['inserted']:,} new, {done['updated']:,} updated records imported by {who} "
                f"from {Path(str(done['file'])).name}",
                title="Database updated", timeout=10, markup=False,
            )

    def on_data_changed(self, _message: DataChanged) -> None:
        """An import committed: the screen shown reads its figures again now (the others when next shown)."""
        for screen in self.screen_stack:
            if isinstance(screen, FollowsData):
                screen.data_changed()

    def on_export_ended(self, message: ExportEnded) -> None:
        """Say where the export went and how many rows, or why it failed."""
        self.notify(message.text, title="Exported" if message.ok else "Export failed",
                    severity="information" if message.ok else "error", timeout=10, markup=False)

    def on_last_month_read(self, message: LastMonthRead) -> None:
        """Show the last months up to the database's last one."""
        if message.latest is None:
            self.notify("No months yet: import a file first.", severity="warning")
        else:
            self.window = Window.last_months(message.months, message.latest)

    # ---- modes and the way back -------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        """Switch to a top-level screen (once the database is open)."""
        if not self.backend.is_open:
            self.notify("The database is not open yet.", severity="warning")
            return
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        self.switch_mode(mode)

    def action_search(self, mode: str) -> None:
        """Switch to the Well or Field screen with its search box focused, its text selected."""
        self.action_mode(mode)
        screen = self.screen
        if isinstance(screen, ShowsOneItem):
            screen.call_later(screen.focus_search)  # once mounted

    def action_help(self) -> None:
        """Show every key, by screen."""
        from wellprod_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_well(self, code: int) -> None:
        """Switch to the Well screen showing one well."""
        self._open("well", code)

    def open_field(self, code: int) -> None:
        """Switch to the Field screen showing one field."""
        self._open("field", code)

    def open_type_curve(self, selection: Selection) -> None:
        """Show the Type curve view of a set of wells over the current screen."""
        if not self.backend.is_open:
            self.notify("The database is not open yet.", severity="warning")
            return
        from wellprod_tui.tui.screens.typecurve import TypeCurveScreen

        self.push_screen(TypeCurveScreen(selection, self.cfg.decline))
    def open_set(self, name: str) -> None:
        """Switch to the Groups screen grouping the wells of the saved set ``name``."""
        self.action_mode("groups")
        screen = self.screen
        if isinstance(screen, ShowsSet):
            screen.call_later(screen.show_set, name)  # once mounted

    def _open(self, mode: str, code: int | None, remember: bool = True) -> None:
        here = self.screen
        if remember and self.current_mode in ("stats", "well", "field", "groups"):
            shown = here.code if isinstance(here, ShowsOneItem) else None
            if (self.current_mode, shown) != (mode, code):
                self._back = [*self._back[-49:], (self.current_mode, shown)]
        self.action_mode(mode)
        screen = self.screen
        if code is not None and isinstance(screen, ShowsOneItem):
            screen.call_later(screen.show, code)  # once mounted

    def go_back(self) -> None:
        """Back to the screen (and item, with its table's cursor) the current item was opened from."""
        if self._back:
            self._open(*self._back.pop(), remember=False)

    # ---- the view: units, rates or volumes, time window -------------------------------------------

    def format_title(self, title: str, sub_title: str) -> Content:
        """The title with the units and the window: ``wellprod · metric · 2022-01 .. 2023-12``."""
        return super().format_title(f"{title} · {self.units.name} · {self.window.label}", sub_title)

    def _watch_view(self) -> None:
        self.mutate_reactive(App.title)  # the header asks format_title again

    watch_units = watch_window = watch_volumes = _watch_view

    def action_cycle_units(self) -> None:
        """Field, field-small, metric units (remembered)."""
        self.units = unit_systems.following(self.units)
        self._save_state("units", self.units.name)
        self.notify(f"Units: {self.units.name} ({self.units.rates_label})", timeout=3)

    def action_toggle_volumes(self) -> None:
        """Calendar-day rates or monthly volumes."""
        self.volumes = not self.volumes

    def action_last_months(self, months: int) -> None:
        """The last ``months`` months of the database (0: all months)."""
        if months <= 0:
            self.window = ALL
        elif self.backend.is_open:
            self.backend.ask_last_month(months)

    def action_type_window(self) -> None:
        """Type the window's bounds."""
        from wellprod_tui.tui.screens.window_dialog import WindowDialog

        self.push_screen(WindowDialog(self.window), self._window_typed)

    def _window_typed(self, window: Window | None) -> None:
        if window is not None:
            self.window = window

    # ---- exports, quitting ------------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the current screen's whole view to CSV, in a worker."""
        screen = self.screen
        if not self.backend.is_open or not isinstance(screen, HasExportView):
            self.notify("Nothing to export here.", severity="warning")
            return
        view = screen.export_view()
        if view is None:
            self.notify("Nothing to export yet: open a well or a field first.", severity="warning")
            return
        self.export(view)

    def export(self, view: View) -> None:
        """Export a whole view to CSV in a worker; a notification says where and how many rows."""
        self.notify(f"Exporting {view.name}…", timeout=2)
        self.backend.export(view)

    async def action_quit(self) -> None:
        """Quit; while an import runs, ask first, then cancel it (rolled back) and wait for the rollback."""
        if self.backend.current_import is None:
            self.exit()
        elif not isinstance(self.screen, ConfirmScreen):
            question = ConfirmScreen("An import is running. Cancel it and quit?", "Cancel import and quit",
                                     "Keep importing")
            self.push_screen(question, self._quit_confirmed)

    async def _quit_confirmed(self, confirmed: bool | None) -> None:
        running = self.backend.current_import
        if not confirmed:
            return
        if running is not None:
            self.notify("Cancelling the import before quitting…", timeout=5)
            running.cancel()
            await running.ended()
        self.exit()

    def on_unmount(self) -> None:
        """Cancel a running import (it rolls back in its thread) and close the database connection."""
        self.backend.shut()


def create_app(cfg: config.Config) -> WellprodApp:
    """The one factory of the app, for the CLI and the tests."""
    return WellprodApp(cfg)


def run_app(cfg: config.Config) -> int:
    """Run the app until it quits; returns the exit code (3 when the database cannot be opened)."""
    app = create_app(cfg)
    result = app.run()
    return int(result or app.return_code or EXIT_OK)


def _is_wellprod(app: WellprodApp) -> Wellprod:
    """The App is what the screens take it for (checked by mypy, never called)."""
    return app
