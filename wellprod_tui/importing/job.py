"""One import: the stages run in one transaction; a cancel, an error or an interrupt rolls all of it back.

``ImportJob.from_config`` is the one way to make an import (the CLI, the app and the tests alike).
``ImportJob.run`` reports progress through a plain callback (a few times a second; 100 % only once the
COMMIT returned) and can be cancelled from another thread with ``ImportJob.cancel``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from wellprod_tui import storage
from wellprod_tui.core.config import Config
from wellprod_tui.importing import batch, failures, spool, stages
from wellprod_tui.importing.file_scan import FileScan
from wellprod_tui.importing.progress import ProgressTracker
from wellprod_tui.importing.report import (
    ImportCancelled,
    ImportProblem,
    ImportSummary,
    ProgressCallback,
)
from wellprod_tui.importing.run import Cancellation, ImportOptions, ImportRun, rollback, utc_now
from wellprod_tui.importing.sources import Source

log = logging.getLogger(__name__)
T = TypeVar("T")


class ImportJob:
    """One file, or many as one (a folder, a zip, several paths: see ``batch``), imported into one database
    connection in one transaction; made by ``from_config``."""

    def __init__(
        self, con: storage.Connection, path: Path | Sequence[Path], options: ImportOptions,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.con = con
        given = [path] if isinstance(path, str | Path) else list(path)
        self.paths = [Path(p).expanduser().absolute() for p in given]
        self.path = batch.shown_name(self.paths)
        self._batch: batch.Batch | None = None
        self.options = options
        self._cancellation = Cancellation(con)
        self._progress = ProgressTracker(on_progress or (lambda _p: None))
        self._summary = ImportSummary(file=str(self.path), format="?")
        self._read_path: Path | None = None
        self._source: Source | None = None
        self._started_at = utc_now()
        self._first_detected_by = ""
        self._database = storage.database_path(con)  # asked now: after a fatal error the connection is unusable

    @classmethod
    def from_config(
        cls,
        con: storage.Connection,
        path: Path | Sequence[Path],
        cfg: Config,
        on_progress: ProgressCallback | None = None,
        strict: bool | None = None,
        duplicates: str | None = None,
        profile: str | None = None,
    ) -> ImportJob:
        """The import as the configuration says (the CLI and the app alike); arguments given override it."""
        return cls(con, path, ImportOptions.from_config(cfg, strict, duplicates, profile), on_progress)

    @property
    def summary(self) -> ImportSummary:
        """What the import did so far; after run() fails, says why (status, message, rejects)."""
        return self._summary

    def cancel(self) -> None:
        """Stop the import as soon as possible; it will roll back and raise ImportCancelled.
        Once the commit has begun it is too late: the import completes and says so."""
        self._cancellation.cancel()

    def run(self) -> ImportSummary:
        """Import the file; return its summary or raise ImportFailed / ImportCancelled / StoreError."""
        workdir = Path(tempfile.mkdtemp(prefix="wellprod-import-"))
        scan: FileScan | None = None
        try:
            read_path = self.path
            if batch.is_batch(self.paths):
                read_path = self._read_path = self._joined(workdir)
            elif not spool.is_regular(self.path) and self.path.exists() and not self.path.is_dir():
                self._progress.report("prepare")
                read_path = spool.spool(self.path, workdir, lambda: self._cancellation.requested)
                self._read_path = read_path
            elif spool.names_a_pattern(self.path) and self.path.exists():
                read_path = self._read_path = spool.linked(self.path, workdir)
            run = ImportRun(self.con, self.path, self.options, self._progress, self._cancellation, workdir,
                            read_path, started_at=self._started_at, batch=self._batch)
            described = _timed("describe", lambda: stages.describe(run))
            self._source = described.source
            self._tell_described(described)
            source = described.source
            scan = FileScan(source.path, source.format in ("json", "ndjson"), shown_as=self.path,
                            hashing=self._batch is None)
            self._in_transaction(run, described, scan, failures.identity(source.path))
        except BaseException as exc:
            error = self._failed(exc, scan)
            if error is exc:
                raise
            raise error from exc
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        try:  # committed: nothing that happens now may call it failed
            self._progress.committed()
        except Exception:  # a progress display that went away (a closed terminal)
            log.warning("could not report the end of the import of %s", self.path, exc_info=True)
        log.info("imported %s: %s", self.path, self._summary.as_json())
        return self._summary

    def _joined(self, workdir: Path) -> Path:
        """Gather the files of a batch and join them into one path to read (the first file's description
        says how many lines head each); the summary lists them."""
        self._progress.report("prepare")
        cancelled = lambda: self._cancellation.requested  # noqa: E731
        members = batch.gather(self.paths, workdir, cancelled)
        first = ImportRun(self.con, self.path, self.options, self._progress, self._cancellation, workdir,
                          members[0].path, started_at=self._started_at)
        described = stages.describe(first)
        self._batch = batch.join(self.path, members, described.source.lines_before_data(), workdir, cancelled)
        self._first_detected_by = described.source.detected_by
        self._summary.files = [m.logged() for m in self._batch.members]
        return self._batch.read_path

    def _in_transaction(self, run: ImportRun, described: stages.Described, scan: FileScan,
                        before: tuple[int, int]) -> None:
        """Every stage, then the record of the import and COMMIT; roll back on any error (also when the file
        changed while it was read, or the database file is no longer the one opened)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            staged, checked = self._stages(run, described, scan, text_only=False)
            if staged.read_fast and scan.saw_booleans():  # rare: true/false may sit in a number field
                log.info("%s: the file holds true/false; reading its numbers again as text", self.path)
                rollback(self.con)
                self.con.execute("BEGIN TRANSACTION")
                stages.forget_reports(checked)
                self._stages(run, described, scan, text_only=True)
            sha256 = scan.sha256() if self._batch is None else self._batch.sha256()
            failures.refuse_changed_file(self.path, before, failures.identity(scan.path))
            self._cancellation.begin_commit(self.path)
            self._progress.report("committing")
            self._summary.seconds = round(self._progress.elapsed(), 3)
            size = before[0] if self._batch is None else self._batch.size_bytes
            stages.record(self.con, self._summary, self._started_at, sha256, size)
            storage.check_same_file(self.con)
            self.con.execute("COMMIT")
        except BaseException:
            rollback(self.con)
            raise

    def _stages(self, run: ImportRun, described: stages.Described, scan: FileScan,
                text_only: bool) -> tuple[stages.Staged, stages.Checked]:
        """The stages inside the transaction, each handed the results it needs; the summary told each."""
        staged = _timed("read", lambda: stages.read(run, described, text_only))
        scan.start()  # after DuckDB's read, beside the merge: the read takes both cores
        deduplicated = _timed("find_duplicates", lambda: stages.find_duplicates(run, described))
        checked = _timed("report_problems", lambda: stages.report_problems(run, described, staged, deduplicated))
        self._tell_checked(deduplicated, checked)
        stages.refuse_rejects(run, checked)
        merged = _timed("merge", lambda: stages.merge(run, described))
        refreshed = _timed("refresh_summaries", lambda: stages.refresh_summaries(run, merged))
        s = self._summary
        s.inserted, s.updated, s.unchanged = merged.inserted, merged.updated, merged.unchanged
        s.notes = [*described.notes, *staged.notes, *deduplicated.notes, *merged.notes, *refreshed.notes]
        return staged, checked

    def _tell_described(self, described: stages.Described) -> None:
        source, s = described.source, self._summary
        s.format, s.detected_by = source.format, source.detected_by
        if self._batch is not None:
            s.detected_by = f"{len(self._batch.members):,} files, the first by {self._first_detected_by}"
        if source.profile is not None:
            s.profile = source.profile.name
        s.notes = list(described.notes)

    def _tell_checked(self, deduplicated: stages.Deduplicated, checked: stages.Checked) -> None:
        s = self._summary
        s.duplicates, s.duplicates_merged = deduplicated.policy, deduplicated.merged
        s.records, s.rejected, s.warnings = checked.records, checked.rejected, checked.warnings
        s.warning_counts = dict(checked.warning_counts)
        s.rejects_file, s.warnings_file = checked.rejects_file, checked.warnings_file
        s.first_rejects = list(checked.first_rejects)

    def _failed(self, exc: BaseException, scan: FileScan | None) -> BaseException:
        """Record why the import failed (after the rollback); the error the user should see."""
        summary = self._summary
        summary.seconds = round(self._progress.elapsed(), 3)
        error = failures.user_error(
            exc, self.path, self._read_path, self._source, self.options.rejects_dir, self._database,
            self._cancellation.requested,
        )
        summary.status = "cancelled" if isinstance(error, ImportCancelled) else "failed"
        summary.message = str(error)
        log.warning("import %s: %s", summary.status, error, exc_info=not isinstance(error, ImportProblem))
        if scan is not None:
            scan.stop()
        try:
            size = self._batch.size_bytes if self._batch else self._source.size_bytes if self._source else 0
            stages.record(self.con, summary, self._started_at, None, size)
        except storage.Error:
            log.warning("could not record the failed import of %s", self.path, exc_info=True)
        return error


def _timed(stage: str, call: Callable[[], T]) -> T:
    """Run one stage and log how long it took."""
    started = time.perf_counter()
    result = call()
    log.debug("stage %s: %.3f s", stage, time.perf_counter() - started)
    return result
