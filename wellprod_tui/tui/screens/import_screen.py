"""The Import screen: a path with completion and the detected format, progress, cancel, and the result."""

from __future__ import annotations

import time
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from wellprod_tui import importing, queries, store
from wellprod_tui.config import bundled_sample_path
from wellprod_tui.formatting import summary_lines
from wellprod_tui.importing import ImportProgress, sources
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, cancelled

PROGRESS_EVERY_S = 0.25


def complete_path(text: str) -> str | None:
    """The text completed to the first file or folder it starts (folders end in /), or None."""
    if not text:
        return None
    typed = Path(text).expanduser()
    folder, stem = (typed, "") if text.endswith("/") else (typed.parent, typed.name)
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir() if p.name.startswith(stem))
    except OSError:
        return None
    names = [n for n in names if not n.startswith(".") or stem.startswith(".")]
    if not names or names[0] == stem:
        return None
    return text + names[0][len(stem) :]


def shown_path(path: Path) -> str:
    """A path as typed by a person: relative to the current folder when inside it, else with ~."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        pass
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def describe_progress(progress: ImportProgress) -> str:
    """``reading 43% · 120 MB/s · 1.2 s elapsed · about 2 s left``."""
    parts = [f"{progress.phase} {progress.fraction * 100:.0f}%"]
    elapsed = progress.elapsed_s
    if progress.bytes_done is not None and elapsed > 0:
        parts.append(f"{progress.bytes_done / elapsed / 1e6:,.0f} MB/s")
    elif progress.records and elapsed > 0:
        parts.append(f"{progress.records:,} records · {progress.records / elapsed:,.0f} records/s")
    parts.append(f"{elapsed:.1f} s elapsed")
    if progress.fraction > 0.05:
        parts.append(f"about {elapsed * (1 - progress.fraction) / progress.fraction:.0f} s left")
    return " · ".join(parts)


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name as you type."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """The completed path, if any."""
        return complete_path(value)


class PathInput(Input):
    """An Input whose Tab completes a file or folder name."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def action_complete(self) -> None:
        """Complete the path, or move on when there is nothing to complete."""
        completed = complete_path(self.value)
        if completed:
            self.value = completed
            self.cursor_position = len(completed)
        else:
            self.screen.focus_next()


class ImportProgressed(Message):
    """Where the running import is (coalesced to a few a second)."""

    def __init__(self, progress: importing.ImportProgress) -> None:
        super().__init__()
        self.progress = progress


class ImportEnded(Message):
    """The import finished (summary), was cancelled, or failed (text)."""

    def __init__(self, summary: importing.ImportSummary | None, text: str = "", was_cancelled: bool = False) -> None:
        super().__init__()
        self.summary, self.text, self.was_cancelled = summary, text, was_cancelled


class ImportScreen(Screen):
    """Import a file; the other screens stay usable while it runs."""

    BINDINGS = [Binding("escape", "cancel", "Cancel import", priority=True, id="import-cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.job: importing.ImportJob | None = None
        self._last_post = 0.0

    def compose(self) -> ComposeResult:
        """Hint, path, format, progress, result, past imports."""
        yield Header()
        yield ModeBar("import")
        with VerticalScroll():
            yield Static("Type a file or folder (Tab completes), then Enter to import.", id="import-hint")
            yield PathInput(
                placeholder="path of a JSON, NDJSON, CSV or Parquet file", id="import-path", suggester=PathSuggester()
            )
            yield Static("", id="import-format")
            with Vertical(id="import-running"):
                yield ProgressBar(total=100, show_eta=False, id="import-progress")
                yield Static("", id="import-rate")
            yield Static("", id="import-result")
            yield ProductionTable("Past imports", self.app.cfg.ui.page_size, id="import-log")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """On an empty database, offer the bundled sample."""
        self.query_one("#import-running").display = False
        path_input = self.query_one(PathInput)
        if self.app.database_empty:
            path_input.value = shown_path(bundled_sample_path())
            self.query_one("#import-hint", Static).update(
                "[b]The database is empty.[/b] Enter imports the bundled sample below, or type another file "
                "(Tab completes)."
            )
        path_input.focus()
        self.query_one(ProductionTable).show_view(queries.imports_view())

    def on_input_changed(self, event: Input.Changed) -> None:
        """Show the format of the file typed so far."""
        self._detect(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="detect")
    def _detect(self, text: str) -> None:
        if not text:
            found = ""
        elif Path(text).expanduser().is_dir():
            found = "a folder: type or Tab-complete a file in it"
        else:
            try:
                source = sources.detect(Path(text).expanduser())
                found = (
                    f"format [b]{source.format}[/b] (detected by {source.detected_by}), "
                    f"{source.size_bytes / 1e6:,.1f} MB"
                )
            except sources.SourceError as exc:
                found = f"[dim]{escape(str(exc))}[/dim]"
        if not cancelled():
            self.app.call_from_thread(self.query_one("#import-format", Static).update, found)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter starts the import."""
        self.start_import(event.value.strip())

    def start_import(self, text: str) -> None:
        """Import the file at ``text`` in a thread worker."""
        if self.job is not None:
            self.notify("An import is already running (Escape cancels it).", severity="warning")
            return
        if not text:
            self.notify("Type the path of a file to import.", severity="warning")
            return
        path = Path(text).expanduser()
        cfg = self.app.cfg
        self.job = importing.ImportJob(
            self.app.cursor(),
            path,
            cfg.rejects_dir,
            strict=cfg.import_.strict,
            on_progress=self._progressed,
            neutralise_formulas=cfg.export.neutralise_formulas,
        )
        self.refresh_bindings()
        self.query_one("#import-running").display = True
        self.query_one("#import-progress", ProgressBar).update(progress=0)
        self.query_one("#import-rate", Static).update("starting…")
        self.query_one("#import-result", Static).update(
            f"Importing {escape(path.name)}… Escape cancels; F3-F5 stay usable."
        )
        self.app.import_job = self.job
        self.app.import_worker = self._run(self.job)

    def _progressed(self, progress: importing.ImportProgress) -> None:
        """Called from the import's threads: post a message now and then, touch no widget."""
        now = time.monotonic()
        if now - self._last_post >= PROGRESS_EVERY_S:
            self._last_post = now
            self.post_message(ImportProgressed(progress))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _run(self, job: importing.ImportJob) -> None:
        try:
            summary = job.run()
        except importing.ImportCancelled:
            self.post_message(ImportEnded(None, "Import cancelled: the database is unchanged.", was_cancelled=True))
        except (importing.ImportFailed, store.StoreError) as exc:
            self.post_message(ImportEnded(None, f"Import failed, the database is unchanged:\n{exc}"))
        except Exception as exc:
            self.post_message(ImportEnded(None, f"Import failed: {exc}"))
            raise
        else:
            self.post_message(ImportEnded(summary))
        finally:
            job.con.close()

    def on_import_progressed(self, message: ImportProgressed) -> None:
        """Move the bar and say how fast it goes."""
        if self.job is None:
            return
        self.query_one("#import-progress", ProgressBar).update(progress=message.progress.fraction * 100)
        self.query_one("#import-rate", Static).update(describe_progress(message.progress))

    def on_import_ended(self, message: ImportEnded) -> None:
        """Show what the import did, and the import log."""
        self.job = self.app.import_job = None
        self.refresh_bindings()
        self.query_one("#import-running").display = False
        result = self.query_one("#import-result", Static)
        if message.summary is None:
            result.update(escape(message.text))
            if not message.was_cancelled:
                self.notify(message.text, title="Import failed", severity="error", markup=False)
        else:
            self.app.data_changed()
            result.update(escape("\n".join(summary_lines(message.summary))))
            self.query_one("#import-hint", Static).update(
                "Imported. F3 stats, F4 a well, F5 a field; or type another file."
            )
            self.notify(f"{message.summary.inserted:,} records inserted", title="Import done")
        self.query_one(ProductionTable).reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape (cancel) is offered only while an import runs."""
        return self.job is not None if action == "cancel" else True

    def action_cancel(self) -> None:
        """Cancel the running import (the database stays as it was)."""
        if self.job is None:
            return
        self.job.cancel()
        self.query_one("#import-rate", Static).update("cancelling…")

    def export_view(self) -> queries.View:
        """The import log."""
        return queries.imports_view()
