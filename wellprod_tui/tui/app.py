"""The terminal app: modes (Import, Stats, Well, Field), global keys, command palette, worker errors.

Only Textual and the config are imported here, so the first frame is drawn before DuckDB loads; the
database opens in a worker and the screens (which import the core) are built when first shown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wellprod_tui import config
from wellprod_tui.exit_codes import EXIT_LOCKED, EXIT_OK
from wellprod_tui.formatting import plural
from wellprod_tui.tui.errors import ErrorsShown, report_error
from wellprod_tui.tui.key_queue import KeyQueue
from wellprod_tui.tui.palette import WellprodCommands
from wellprod_tui.tui.screens.startup import ConfirmScreen, DatabaseProblemScreen, StartupScreen
from wellprod_tui.tui.services import HasExportView, ImportEnded, ImportProgressed, ShowsOneItem

if TYPE_CHECKING:
    from wellprod_tui.importing import ImportJob, ImportProgress
    from wellprod_tui.queries import View
    from wellprod_tui.store import Connection

log = logging.getLogger(__name__)
#: An import's progress reaches its screen at most this often.
PROGRESS_EVERY_S = 0.25


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


class WellprodApp(ErrorsShown, App[int]):
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
    ]

    def __init__(self, cfg: config.Config) -> None:
        super().__init__()
        self.cfg = cfg
        self._con: Connection | None = None
        #: Whether the database held no record when opened (the Import screen then offers the sample).
        self.database_empty = False
        #: Bumped after each import so that screens reload what they show.
        self.data_version = 0
        self._import: tuple[ImportJob, Worker[None]] | None = None
        #: Where Escape goes back to: (mode, code shown there).
        self._back: list[tuple[str, int | None]] = []
        self._keys = KeyQueue(self)
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

    async def on_event(self, event: events.Event) -> None:
        """Keys pass one by one, in order, once the database is open (see key_queue)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._keys.take(event):
            return
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        """An error Textual would exit on (rendering, layout) is logged and shown once the app runs."""
        if self.is_running and self._con is not None and not self._exit_renderables:
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

    # ---- database ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open_database(self) -> None:
        """Connect (read-write) in a thread: DuckDB's import and a big file's open stay off the UI."""
        from wellprod_tui import queries, store

        try:
            con = store.connect(self.cfg.database_path, settings=self.cfg.duckdb_settings)
            records = queries.record_count(con)
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
        """Show the Import screen on an empty database, else the Stats; then apply the keys typed meanwhile."""
        self._con, self.database_empty = message.con, message.empty
        log.info("opened %s", self.cfg.database_path)
        self.switch_mode("import" if message.empty else "stats")
        self.call_later(self._keys.open)

    def on_database_failed(self, message: DatabaseFailed) -> None:
        """Say why the database cannot be used; leaving exits with code 3."""
        log.error("cannot open the database: %s", message.text)
        self._keys.open()
        self.push_screen(DatabaseProblemScreen(message.text), lambda _: self.exit(EXIT_LOCKED, return_code=EXIT_LOCKED))

    @property
    def is_open(self) -> bool:
        """Whether the database is open."""
        return self._con is not None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A cursor of the database for one worker thread, closed after use (the one way screens reach it)."""
        if self._con is None:
            raise RuntimeError("the database is not open yet")
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def data_changed(self) -> None:
        """An import changed the data: screens reload when next shown."""
        self.data_version += 1
        self.database_empty = False

    # ---- screens ----------------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        """Switch to a top-level screen (once the database is open)."""
        if self._con is None:
            self.notify("The database is not open yet.", severity="warning")
            return
        while isinstance(self.screen, _modal_types()):
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

    def _open(self, mode: str, code: int) -> None:
        here = self.screen
        if self.current_mode in ("stats", "well", "field"):
            shown = here.code if isinstance(here, ShowsOneItem) else None
            if (self.current_mode, shown) != (mode, code):
                self._back = [*self._back[-49:], (self.current_mode, shown)]
        self.action_mode(mode)
        screen = self.screen
        if isinstance(screen, ShowsOneItem):
            screen.call_later(screen.show, code)  # once mounted

    def go_back(self) -> None:
        """Back to the screen (and item, with its table's cursor) the current item was opened from."""
        if not self._back:
            return
        mode, code = self._back.pop()
        self.action_mode(mode)
        screen = self.screen
        if code is not None and isinstance(screen, ShowsOneItem):
            screen.call_later(screen.show, code)

    # ---- export -----------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the current screen's whole view to CSV, in a worker."""
        screen = self.screen
        if self._con is None or not isinstance(screen, HasExportView):
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
        self._export(view)

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, view: View) -> None:
        from wellprod_tui import exporter

        try:
            with self.reading() as cur:
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
        self.call_from_thread(
            self.notify,
            f"{plural(result.rows, 'row')} written to {result.path}",
            title="Exported",
            timeout=10,
            markup=False,
        )

    # ---- import -----------------------------------------------------------------------------------

    @property
    def current_import(self) -> ImportJob | None:
        """The import running now, if any."""
        if self._import is None or self._import[1].is_finished:
            return None
        return self._import[0]

    def run_import(self, path: Path, listener: MessagePump) -> ImportJob:
        """Import ``path`` in a worker; ``listener`` gets ImportProgressed and, at the end, ImportEnded."""
        from wellprod_tui.importing import ImportJob

        if self._con is None:
            raise RuntimeError("the database is not open yet")
        last_post = [0.0]

        def progressed(progress: ImportProgress) -> None:  # called from the import's threads: post, touch nothing
            now = time.monotonic()
            if now - last_post[0] >= PROGRESS_EVERY_S:
                last_post[0] = now
                listener.post_message(ImportProgressed(progress))

        cfg = self.cfg
        job = ImportJob(
            self._con.cursor(),
            path,
            cfg.rejects_dir,
            strict=cfg.import_.strict,
            on_progress=progressed,
            neutralise_formulas=cfg.export.neutralise_formulas,
        )
        self._import = (job, self._run_import(job, listener))
        return job

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _run_import(self, job: ImportJob, listener: MessagePump) -> None:
        from wellprod_tui import importing, store

        try:
            summary = job.run()
        except importing.ImportCancelled:
            listener.post_message(ImportEnded(None, "Import cancelled: the database is unchanged.", was_cancelled=True))
        except (importing.ImportFailed, store.StoreError) as exc:
            listener.post_message(ImportEnded(None, f"Import failed, the database is unchanged:\n{exc}"))
        except Exception as exc:
            listener.post_message(ImportEnded(None, f"Import failed: {exc}"))
            raise
        else:
            listener.post_message(ImportEnded(summary))
        finally:
            job.con.close()

    # ---- errors, state, quitting ------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failing worker is logged and shown; the app stays up."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            report_error(self, event.worker.error, event.worker.name or "A task")

    def _save_theme(self, theme: Any) -> None:
        self._state["theme"] = theme.name
        try:
            config.save_state(self._state)
        except OSError as exc:
            log.warning("cannot save the state file: %s", exc)

    async def action_quit(self) -> None:
        """Quit; while an import runs, ask first, then cancel it (rolled back) and wait for the rollback."""
        if self.current_import is None:
            self.exit()
            return
        if isinstance(self.screen, ConfirmScreen):
            return
        self.push_screen(
            ConfirmScreen("An import is running. Cancel it and quit?", "Cancel import and quit", "Keep importing"),
            self._quit_confirmed,
        )

    async def _quit_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        job_and_worker = self._import
        if job_and_worker is not None and not job_and_worker[1].is_finished:
            self.notify("Cancelling the import before quitting…", timeout=5)
            job_and_worker[0].cancel()
            await job_and_worker[1].wait()
        self.exit()

    def on_unmount(self) -> None:
        """Cancel a running import (it rolls back in its thread) and close the database connection."""
        job = self.current_import
        if job is not None:
            job.cancel()
        elif self._con is not None:
            self._con.close()
        self._con = None


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
