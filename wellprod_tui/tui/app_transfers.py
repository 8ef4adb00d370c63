"""What the app moves in and out of the database: CSV exports of any view, and its own imports (the write
lock held for the import's time only); quitting while one runs asks first."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message_pump import MessagePump

from wellprod_tui.tui.app_base import AppBase
from wellprod_tui.tui.database import RunningImport, export_view_to_file, run_import_job
from wellprod_tui.tui.screens.startup import ConfirmScreen
from wellprod_tui.tui.services import HasExportView, ImportProgressed

if TYPE_CHECKING:
    from wellprod_tui.importing import ImportProgress
    from wellprod_tui.queries import View

#: An import's progress reaches its screen at most this often.
PROGRESS_EVERY_S = 0.25


class Transfers(AppBase):
    """Exports, imports, and quitting safely while an import runs."""

    def action_export(self) -> None:
        """Export the current screen's whole view to CSV, in a worker."""
        screen = self.screen
        if not self.database.is_open or not isinstance(screen, HasExportView):
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
        text, ok = export_view_to_file(self.database, view, self.cfg)
        self.call_from_thread(
            self.notify,
            text,
            title="Exported" if ok else "Export failed",
            severity="information" if ok else "error",
            timeout=10,
            markup=False,
        )

    def run_import(self, path: Path, listener: MessagePump) -> RunningImport:
        """Import ``path`` in a worker; ``listener`` gets ImportProgressed and, at the end, ImportEnded."""
        if not self.database.is_open:
            raise RuntimeError("the database is not open yet")
        running = RunningImport(path)
        self._import = (running, self._run_import(running, listener))
        return running

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _run_import(self, running: RunningImport, listener: MessagePump) -> None:
        last_post = [0.0]

        def progressed(progress: ImportProgress) -> None:  # called from the import's threads: post, touch nothing
            now = time.monotonic()
            if now - last_post[0] >= PROGRESS_EVERY_S or progress.fraction >= 1.0:
                last_post[0] = now
                listener.post_message(ImportProgressed(progress))

        listener.post_message(run_import_job(self.database, running, self.cfg, progressed))

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
