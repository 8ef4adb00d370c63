"""The Import screen: a path with completion and the detected format, progress, cancel, and the result."""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.strip import Strip
from textual.suggester import Suggester
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from wellprod_tui import queries
from wellprod_tui.core.config import bundled_sample_path
from wellprod_tui.core.text import glyphs, plural
from wellprod_tui.importing import ImportProgress, ImportSummary, batch, sources
from wellprod_tui.importing.report import summary_lines
from wellprod_tui.tui import keys
from wellprod_tui.tui.backend import RunningImport
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.messages import ImportEnded, ImportProgressed
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import ModeBar, ProductionTable, cancelled

#: Candidates listed under the path box when Tab finds several.
SHOWN_CANDIDATES = 12


def path_candidates(text: str) -> list[str]:
    """The files and folders whose names start the last part of ``text`` (folders end in /), sorted."""
    if not text:
        return []
    typed = Path(text).expanduser()
    folder, stem = (typed, "") if text.endswith("/") else (typed.parent, typed.name)
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir() if p.name.startswith(stem))
    except OSError:
        return []
    return [n for n in names if not n.startswith(".") or stem.startswith(".")]


def complete_path(text: str) -> str | None:
    """The text completed to the first file or folder it starts (folders end in /), or None."""
    names = path_candidates(text)
    stem = "" if text.endswith("/") else Path(text).expanduser().name
    if not names or names[0] == stem:
        return None
    return text + names[0][len(stem) :]


def common_completion(text: str) -> tuple[str, list[str]]:
    """The text extended by what all candidates share, and the candidates (Tab's shell-like behaviour)."""
    names = path_candidates(text)
    stem = "" if text.endswith("/") else Path(text).expanduser().name
    if not names:
        return text, []
    shared = names[0]
    for name in names[1:]:
        while not name.startswith(shared):
            shared = shared[:-1]
    return text + shared[len(stem) :], names


def import_outcome(summary: ImportSummary) -> str:
    """``1,024 inserted · 0 updated · 89,618 unchanged · 389 rejected``: what an import did, in one line."""
    return (
        f"{summary.inserted:,} inserted · {summary.updated:,} updated · {summary.unchanged:,} unchanged · "
        f"{summary.rejected:,} rejected"
    )


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

    def render_line(self, y: int) -> Strip:
        """The line as Input draws it, but a control character in a path (a file's name, completed or
        suggested) drawn as a glyph (␛) instead of sent to the terminal."""
        strip = super().render_line(y)
        shown = [Segment(glyphs(s.text), s.style, s.control) if not s.control else s for s in strip]
        return Strip(shown).crop(0, strip.cell_length)

    def action_complete(self) -> None:
        """Complete the path as far as the candidates agree and list them; move on when nothing completes."""
        completed, names = common_completion(self.value)
        candidates = self.screen.query_one("#import-candidates", Static)
        if len(names) > 1:
            shown = "  ".join(literal(n) for n in names[:SHOWN_CANDIDATES])
            more = f"  … {len(names) - SHOWN_CANDIDATES} more" if len(names) > SHOWN_CANDIDATES else ""
            candidates.update(f"[dim]{shown}{more}[/dim]")
        else:
            candidates.update("")
        if completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
        elif not names:
            self.screen.focus_next()


class ImportScreen(ErrorsShown, Screen):
    """Import a file; the other screens stay usable while it runs."""

    BINDINGS = keys.bindings(keys.IMPORT)

    def __init__(self) -> None:
        super().__init__()
        self.job: RunningImport | None = None
        #: Whether the last import shown replaced stored values (ctrl+r lists them).
        self.changed_rows = False

    def compose(self) -> ComposeResult:
        """Hint, path, format, progress, result, past imports."""
        yield Header()
        yield ModeBar("import")
        with VerticalScroll():
            yield Static("Type a file or folder (Tab completes), then Enter to import.", id="import-hint")
            yield PathInput(
                placeholder="path of a JSON, NDJSON, CSV or Parquet file", id="import-path", suggester=PathSuggester()
            )
            yield Static("", id="import-candidates")
            yield Static("", id="import-format")
            with Vertical(id="import-running"):
                yield ProgressBar(total=100, show_eta=False, id="import-progress")
                yield Static("", id="import-rate")
            yield Static("", id="import-result")
            yield ProductionTable("Past imports", wellprod_app(self).cfg.ui.page_size, id="import-log")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """On an empty database, offer the bundled sample."""
        self.query_one("#import-running").display = False
        path_input = self.query_one(PathInput)
        if wellprod_app(self).backend.empty:
            path_input.value = shown_path(bundled_sample_path())
            self.query_one("#import-hint", Static).update(
                "[b]The database is empty.[/b] Enter imports the bundled sample below, or type another file "
                "(Tab completes)."
            )
        path_input.focus()
        self.query_one(ProductionTable).show_view(queries.imports_view())

    def on_screen_resume(self) -> None:
        """F2 puts the cursor back in the path box."""
        if self.is_mounted:
            self.query_one(PathInput).focus()

    def data_changed(self) -> None:
        """An import committed (maybe another process's): list it with the past imports."""
        self.query_one(ProductionTable).reload()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Show the format of the file typed so far."""
        self._detect(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="detect")
    def _detect(self, text: str) -> None:
        if not text:
            found = ""
        elif Path(text).expanduser().is_dir():
            files = batch.data_files(Path(text).expanduser())
            found = (f"a folder of {plural(len(files), 'data file')}: Enter imports them as one"
                     if files else "a folder with no data file: type or Tab-complete a file in it")
        elif batch.is_batch([Path(text).expanduser()]):
            found = "a zip: Enter imports its data files as one"
        else:
            try:
                source = sources.detect(Path(text).expanduser())
                found = (
                    f"format [b]{source.format}[/b] (detected by {literal(source.detected_by)}), "
                    f"{source.size_bytes / 1e6:,.1f} MB"
                )
            except sources.SourceError as exc:
                found = f"[dim]{literal(str(exc))}[/dim]"
        if not cancelled():
            self.app.call_from_thread(self._show_format, found)

    def _show_format(self, text: str) -> None:
        self.query_one("#import-format", Static).update(text)

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
        problem = ""
        if not path.exists():
            problem = "does not exist"
        elif path.is_dir() and not batch.data_files(path):  # a folder's data files import as one
            problem = "is a folder with no data file (CSV, NDJSON, JSON, Parquet): type or Tab-complete a file"
        if problem:
            self.notify(f"{text} {problem}.", title="Nothing imported", severity="error", markup=False)
            return
        self.import_path(path)

    def import_path(self, path: Path) -> RunningImport:
        """Import ``path`` as it is (the box's checks done or not needed: a pipe is read once, whole) in this
        screen's worker; the running import."""
        self.job = wellprod_app(self).backend.begin_import(path)
        self.changed_rows = False
        self._import(self.job)
        self.refresh_bindings()
        self.query_one("#import-running").display = True
        self.query_one("#import-progress", ProgressBar).update(progress=0)
        self.query_one("#import-rate", Static).update("starting…")
        self.query_one("#import-result", Static).update(
            f"Importing {literal(path.name)}… Escape cancels; F3-F5 stay usable."
        )
        return self.job

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, running: RunningImport) -> None:
        """Run the import (the backend waits for the write lock); ImportProgressed and ImportEnded come here."""
        self.post_message(wellprod_app(self).backend.run_import(running, self))

    def on_import_progressed(self, message: ImportProgressed) -> None:
        """Move the bar and say how fast it goes."""
        if self.job is None:
            return
        self.query_one("#import-progress", ProgressBar).update(progress=message.progress.fraction * 100)
        self.query_one("#import-rate", Static).update(describe_progress(message.progress))

    def on_import_ended(self, message: ImportEnded) -> None:
        """Show what the import did, and the import log."""
        self.job = None
        self.refresh_bindings()
        self.query_one("#import-running").display = False
        result = self.query_one("#import-result", Static)
        hint = self.query_one("#import-hint", Static)
        if message.summary is None:
            result.update(literal(message.text, lines=True))
            hint.update("Type a file or folder (Tab completes), then Enter to import.")
            if message.was_cancelled:
                self.notify(message.text, title="Import cancelled", markup=False)
            else:
                self.notify(message.text, title="Import failed", severity="error", markup=False)
        else:
            summary = message.summary
            self.changed_rows = summary.updated > 0
            self.refresh_bindings()
            changes_key = keys.hint("import-changes", dict(wellprod_app(self).cfg.keys))
            offer = [f"{changes_key} lists what it changed (old → new)"] if self.changed_rows else []
            result.update(literal("\n".join([*summary_lines(summary), *offer]), lines=True))
            hint.update("Imported. F3 stats, F4 a well, F5 a field; or type another file.")
            self.query_one(PathInput).action_select_all()  # what is typed next replaces the path imported
            self.notify(
                f"{import_outcome(summary)} ({plural(summary.records, 'record')} read)",
                title="Import done",
                markup=False,
            )
        self.query_one(ProductionTable).reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape (cancel) is offered only while an import runs, ctrl+r once an import replaced stored values."""
        if action == "cancel":
            return self.job is not None
        if action == "changes":
            return self.changed_rows and self.job is None
        return True

    def action_changes(self) -> None:
        """List what the import just done changed: old → new, one row per value."""
        from wellprod_tui.tui.screens.changes import ChangesScreen

        self.app.push_screen(ChangesScreen())

    def action_cancel(self) -> None:
        """Cancel the running import (the database stays as it was)."""
        if self.job is None:
            return
        self.job.cancel()
        self.query_one("#import-rate", Static).update("cancelling…")

    def export_view(self) -> queries.View:
        """The import log."""
        return queries.imports_view()
