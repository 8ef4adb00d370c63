"""The terminal app: modes (Import, Stats, Well, Field), global keys, command palette, worker errors.

Only Textual and the config are imported here, so the first frame is drawn before DuckDB loads; the
database opens in a worker and the screens (which import the core) are built when first shown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wellprod_tui import config
from wellprod_tui.formatting import plural
from wellprod_tui.tui.palette import WellprodCommands
from wellprod_tui.tui.screens.startup import DatabaseProblemScreen, StartupScreen

if TYPE_CHECKING:
    from wellprod_tui.importer import ImportJob
    from wellprod_tui.queries import View
    from wellprod_tui.store import Connection

log = logging.getLogger(__name__)
EXIT_OK, EXIT_LOCKED = 0, 3


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


class DatabaseOpened(Message):
    """The database connection is ready; ``empty`` when it holds no record."""

    def __init__(self, con: Connection, empty: bool) -> None:
        super().__init__()
        self.con, self.empty = con, empty


class DatabaseFailed(Message):
    """The database could not be opened; the message says why and what to do."""

    def __init__(self, text: str, locked: bool) -> None:
        super().__init__()
        self.text, self.locked = text, locked


class WellprodApp(App[int]):
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
        Binding("f4", "mode('well')", "Well", show=False, priority=True, id="well"),
        Binding("f5", "mode('field')", "Field", show=False, priority=True, id="field"),
        Binding("ctrl+e", "export", "Export", priority=True, id="export"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("q", "quit", "Quit", show=False, id="quit-letter"),
        Binding("question_mark", "help", "Help", show=False, id="help-letter"),
    ]

    def __init__(self, cfg: config.Config) -> None:
        super().__init__()
        self.cfg = cfg
        self.con: Connection | None = None
        self.database_empty = False
        #: Bumped after each import so that screens reload what they show.
        self.data_version = 0
        #: The running import and its worker (set by the Import screen), cancelled on quit.
        self.import_job: ImportJob | None = None
        self.import_worker: Worker[None] | None = None
        self._state = config.load_state()
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

    # ---- database ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open_database(self) -> None:
        """Connect (read-write) in a thread: DuckDB's import and a big file's open stay off the UI."""
        from wellprod_tui import store

        try:
            con = store.connect(self.cfg.database_path, settings=self.cfg.duckdb_settings)
            (records,) = con.execute("SELECT count(*) FROM production").fetchone()
        except store.DatabaseLocked as exc:
            who = f"process {exc.pid}" if exc.pid else "another process"
            self.post_message(
                DatabaseFailed(
                    f"The database {exc.path} is in use by {who} (another wellprod?).\n\n"
                    "Close that program and start wellprod again, or open another file with "
                    "wellprod --db PATH.",
                    locked=True,
                )
            )
            return
        except store.StoreError as exc:
            self.post_message(DatabaseFailed(str(exc), locked=False))
            return
        _preload_screens()
        self.post_message(DatabaseOpened(con, empty=records == 0))

    def on_database_opened(self, message: DatabaseOpened) -> None:
        """Show the Import screen on an empty database, else the Stats."""
        self.con, self.database_empty = message.con, message.empty
        log.info("opened %s", self.cfg.database_path)
        self.switch_mode("import" if message.empty else "stats")

    def on_database_failed(self, message: DatabaseFailed) -> None:
        """Say why the database cannot be used; leaving exits with code 3."""
        log.error("cannot open the database: %s", message.text)
        self.push_screen(DatabaseProblemScreen(message.text), lambda _: self.exit(EXIT_LOCKED, return_code=EXIT_LOCKED))

    def cursor(self) -> Connection:
        """A cursor of the app's connection for one worker thread (connections are not shared)."""
        if self.con is None:
            raise RuntimeError("the database is not open yet")
        return self.con.cursor()

    def data_changed(self) -> None:
        """An import changed the data: screens reload when next shown."""
        self.data_version += 1
        self.database_empty = False

    # ---- actions ----------------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        """Switch to a top-level screen (once the database is open)."""
        if self.con is None:
            self.notify("The database is not open yet.", severity="warning")
            return
        while isinstance(self.screen, _modal_types()):
            self.pop_screen()
        self.switch_mode(mode)

    def action_help(self) -> None:
        """Show every key, by screen."""
        from wellprod_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_well(self, code: int) -> None:
        """Switch to the Well screen showing one well."""
        self.action_mode("well")
        self.screen.call_later(self.screen.show_well, code)  # type: ignore[attr-defined]

    def open_field(self, code: int) -> None:
        """Switch to the Field screen showing one field."""
        self.action_mode("field")
        self.screen.call_later(self.screen.show_field, code)  # type: ignore[attr-defined]

    def focus_search(self, mode: str) -> None:
        """Switch to the Well or Field screen with its search box focused."""
        self.action_mode(mode)
        self.screen.call_later(self.screen.focus_search)  # type: ignore[attr-defined]

    def action_export(self) -> None:
        """Export the current screen's whole view to CSV, in a worker."""
        view_of: Callable[[], View | None] | None = getattr(self.screen, "export_view", None)
        if self.con is None or view_of is None:
            self.notify("Nothing to export here.", severity="warning")
            return
        view = view_of()
        if view is None:
            self.notify("Nothing to export yet: open a well or a field first.", severity="warning")
            return
        self.export(view)

    def export(self, view: View) -> None:
        """Export a whole view to CSV in a worker; a notification says where and how many rows."""
        self.notify(f"Exporting {view.name}…", timeout=2)
        self._export(view)

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, view: View) -> None:
        from wellprod_tui import exporter

        cur = self.cursor()
        try:
            result = exporter.export_view(
                cur,
                view,
                export_dir=self.cfg.export_dir,
                neutralise_formulas=self.cfg.export.neutralise_formulas,
                overwrite=self.cfg.export.overwrite,
            )
        except exporter.ExportError as exc:
            self.call_from_thread(
                self.notify, str(exc), title="Export failed", severity="error", timeout=10, markup=False
            )
            return
        finally:
            cur.close()
        self.call_from_thread(
            self.notify,
            f"{plural(result.rows, 'row')} written to {result.path}",
            title="Exported",
            timeout=10,
            markup=False,
        )

    # ---- errors and state ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failing worker is logged and shown; the app stays up."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            log.error("worker %s failed", event.worker.name, exc_info=error)
            self.notify(
                f"{type(error).__name__}: {error}", title=f"{event.worker.name} failed", severity="error", markup=False
            )

    def _save_theme(self, theme: Any) -> None:
        self._state["theme"] = theme.name
        try:
            config.save_state(self._state)
        except OSError as exc:
            log.warning("cannot save the state file: %s", exc)

    async def action_quit(self) -> None:
        """Quit; a running import is cancelled first (rolled back), never left to commit behind the user."""
        worker = self.import_worker
        if worker is not None and not worker.is_finished and self.import_job is not None:
            self.notify("Cancelling the import before quitting…", timeout=5)
            self.import_job.cancel()
            for _ in range(600):  # a rollback takes moments; give up waiting after a minute
                if worker.is_finished:
                    break
                await asyncio.sleep(0.1)
        self.exit()

    def on_unmount(self) -> None:
        """Cancel a running import, then close the database connection."""
        if self.import_job is not None and self.import_worker is not None and not self.import_worker.is_finished:
            self.import_job.cancel()
            for _ in range(600):
                if self.import_worker.is_finished:
                    break
                time.sleep(0.1)
        if self.con is not None:
            self.con.close()
            self.con = None


def _modal_types() -> tuple[type, ...]:
    from textual.screen import ModalScreen

    return (ModalScreen,)


def _preload_screens() -> None:
    """Import the screens (and plotext) off the UI thread, so that F2-F5 switch at once."""
    from wellprod_tui.tui.screens import field, help, import_screen, stats, well  # noqa: F401


def known_binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets: what [keys] in the config may remap."""
    import sys

    from wellprod_tui.tui import widgets
    from wellprod_tui.tui.screens import decline, field, help, import_screen, stats, well

    ids: set[str] = set()
    for module in (sys.modules[__name__], widgets, field, help, import_screen, stats, well, decline):
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
