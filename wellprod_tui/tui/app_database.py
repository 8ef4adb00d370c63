"""The app's side of the database: open it after the first frame, wait (and say so) while another process
holds it, read through connections opened on demand, and reload when another process imported."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work

from wellprod_tui.core.exit_codes import EXIT_LOCKED
from wellprod_tui.tui.app_base import AppBase
from wellprod_tui.tui.database import DatabaseBusy, DatabaseFailed, DatabaseOpened, ImportsNoticed, worker_cancelled
from wellprod_tui.tui.screens.startup import DatabaseProblemScreen, StartupScreen

if TYPE_CHECKING:
    from wellprod_tui.storage.connection import Connection

log = logging.getLogger(__name__)
#: How often the app looks whether another process changed the database file.
WATCH_EVERY_S = 1.0


class DatabaseLink(AppBase):
    """Opening, reading, waiting, watching."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open_database(self) -> None:
        """Open the database in a thread (DuckDB's import and a big file's open stay off the UI); while
        another process holds it, the start screen says who and the app waits (q quits)."""
        from wellprod_tui import storage

        try:
            empty, figures = self.database.open(worker_cancelled)
        except storage.StoreError as exc:
            if not worker_cancelled():
                self.post_message(DatabaseFailed(str(exc)))
            return
        importlib.import_module(f"wellprod_tui.tui.screens.{'import_screen' if empty else 'stats'}")  # off the UI
        self.post_message(DatabaseOpened(empty, figures))

    @work(thread=True, exit_on_error=False, group="preload")
    def _preload_screens(self) -> None:
        preload_screens()

    def on_database_opened(self, message: DatabaseOpened) -> None:
        """Show the Import screen on an empty database, else the Stats; then apply the keys typed meanwhile."""
        self.database_empty = message.empty
        self.first_stats = message.stats
        log.info("opened %s", self.cfg.database_path)
        self.switch_mode("import" if message.empty else "stats")
        self.call_after_refresh(self._preload_screens)  # once the first screen is painted
        self.call_later(self._keys.open)
        self.set_interval(WATCH_EVERY_S, self._watch_database)

    def on_database_failed(self, message: DatabaseFailed) -> None:
        """Say why the database cannot be used; leaving exits with code 3."""
        log.error("cannot open the database: %s", message.text)
        self._keys.open()
        self.push_screen(DatabaseProblemScreen(message.text), lambda _: self.exit(EXIT_LOCKED, return_code=EXIT_LOCKED))

    def on_database_busy(self, message: DatabaseBusy) -> None:
        """Show (or clear) who holds the database, in the header; keys keep working meanwhile."""
        self.title = f"wellprod · {message.text} · waiting" if message.text else "wellprod"
        if isinstance(self.screen, StartupScreen):
            busy = message.text.removeprefix("database busy: ")
            self.screen.say(f"The database is busy: {busy}.\nWaiting for it… (ctrl+q quits)" if message.text else "")

    @property
    def is_open(self) -> bool:
        """Whether the database is open (reads open it on demand and let it go when idle)."""
        return self.database.is_open

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A cursor of the database for one worker thread, opened on demand (the one way screens reach it);
        while another process holds the database, it waits (the header says so) or the worker is cancelled."""
        with self.database.reading(worker_cancelled) as cur:
            yield cur

    def _watch_database(self) -> None:
        """When the file changed on disk, look for imports other processes completed."""
        if self.current_import is None and self.database.changed_on_disk():
            self._read_new_imports()

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch")
    def _read_new_imports(self) -> None:
        found = self.database.new_imports(worker_cancelled)
        if found:
            self.post_message(ImportsNoticed(found))

    def on_imports_noticed(self, message: ImportsNoticed) -> None:
        """Reload the visible screen after another process's import, and say what it brought."""
        self.data_changed()
        self.screen.post_message(events.ScreenResume())
        for done in message.imports:
            who = f"process {done['pid']}" if done.get("pid") else "another process"
            self.notify(
                f"{done['inserted']:,} new, {done['updated']:,} updated records imported by {who} "
                f"from {Path(str(done['file'])).name}",
                title="Database updated",
                timeout=10,
                markup=False,
            )


def preload_screens() -> None:
    """Import the screens (and plotext) off the UI thread, so that F2-F5 switch at once."""
    from wellprod_tui.tui.screens import field, help, import_screen, stats, well  # noqa: F401
