"""The import use case: read a file with DuckDB, validate set-wise, merge in one transaction.

``ImportJob.run`` reports progress through a plain callback (a few times a second) and can be cancelled
from another thread with ``ImportJob.cancel``; a cancel, an error or an interrupt rolls everything back.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wellprod_tui import rejects, sources, store, summaries
from wellprod_tui.domain import KEY_COLUMNS, RECORD_COLUMNS
from wellprod_tui.file_scan import FileScan
from wellprod_tui.import_report import (
    PHASES,
    ImportCancelled,
    ImportFailed,
    ImportProblem,
    ImportProgress,
    ImportSummary,
    ProgressCallback,
)
from wellprod_tui.json_feed import ArrayFeed
from wellprod_tui.merge import merge_valid_rows
from wellprod_tui.read_errors import explain_read_error
from wellprod_tui.rejects import CSV_REJECTS_TABLE, CSV_SCANS_TABLE
from wellprod_tui.validation import DUPLICATES_SQL, WARNING_RULES, typed_select, warning_counts_sql

log = logging.getLogger(__name__)
PROGRESS_INTERVAL_S = 0.2
#: Parts a JSON document's records are streamed in (DuckDB reads them in parallel).
JSON_PARTS = 8
_CONVERSION_ERRORS = ("Failed to cast", "Could not convert", "Conversion Error", "Could not parse")


def _is_conversion_error(exc: BaseException) -> bool:
    return any(text in str(exc) for text in _CONVERSION_ERRORS)


class ImportJob:
    """One file imported into one database connection."""

    def __init__(
        self,
        con: store.Connection,
        path: Path,
        rejects_dir: Path,
        strict: bool = False,
        on_progress: ProgressCallback | None = None,
        neutralise_formulas: bool = True,
    ) -> None:
        self.con = con
        self.neutralise_formulas = neutralise_formulas
        self.path = Path(path).expanduser().absolute()
        #: What the import did so far; after run() fails, says why (status, message, rejects).
        self.summary = ImportSummary(file=str(self.path), format="?")
        self.rejects_dir = Path(rejects_dir)
        self.strict = strict
        self.on_progress = on_progress or (lambda _p: None)
        self._cancelled = threading.Event()
        self._commit_lock = threading.Lock()
        self._read_fast = False
        self._scan: FileScan
        self._text_only = False
        self._notes: list[str] = []
        self._committing = False
        self._started = time.monotonic()
        self._size = 0
        self._records: int | None = None
        self._phase = ""
        self._feed: ArrayFeed | None = None
        self._database = store.database_path(con)  # asked now: after a fatal error the connection is unusable

    def cancel(self) -> None:
        """Stop the import as soon as possible; it will roll back and raise ImportCancelled.
        Once the commit has begun it is too late: the import completes and says so."""
        with self._commit_lock:
            if self._committing:
                return
            self._cancelled.set()
            with contextlib.suppress(store.Error):
                self.con.interrupt()
            feed = self._feed
            if feed is not None:  # a reader waiting on a pipe is not reached by interrupt()
                feed.abort()

    def run(self) -> ImportSummary:
        """Import the file; return its summary or raise ImportFailed / ImportCancelled / StoreError."""
        started_at = datetime.now(UTC).replace(tzinfo=None)
        summary = self.summary = ImportSummary(file=str(self.path), format="?")
        workdir = Path(tempfile.mkdtemp(prefix="wellprod-import-"))
        scan: FileScan | None = None
        source: sources.Source | None = None
        try:
            source = self._prepare(summary)
            scan = self._scan = FileScan(self.path, look_for_booleans=source.format in ("json", "ndjson"))
            self.con.execute("BEGIN TRANSACTION")
            try:
                self._import(source, summary, started_at, workdir)
                if self._read_fast and scan.saw_booleans():  # rare: true/false may sit in a number field
                    log.info("%s: the file holds true/false; reading its numbers again as text", self.path)
                    self._rollback()
                    self.con.execute("BEGIN TRANSACTION")
                    self._forget_reports(summary)
                    self._text_only = True
                    self._import(source, summary, started_at, workdir)
                sha256 = scan.sha256()
                with self._commit_lock:
                    self._check_cancel()
                    self._committing = True
                summary.seconds = round(time.monotonic() - self._started, 3)
                _record_import(self.con, summary, started_at, sha256, self._size)
                self.con.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            self._report("merge", 1.0)
            log.info("imported %s: %s", self.path, summary.as_json())
            return summary
        except BaseException as exc:
            summary.seconds = round(time.monotonic() - self._started, 3)
            error = self._translate(exc, source)
            summary.status = "cancelled" if isinstance(error, ImportCancelled) else "failed"
            summary.message = str(error)
            log.warning("import %s: %s", summary.status, error, exc_info=not isinstance(error, ImportProblem))
            if scan is not None:
                scan.stop()
            self._record_failure(summary, started_at, None)
            if error is exc:
                raise
            raise error from exc
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _forget_reports(self, summary: ImportSummary) -> None:
        """Remove the rejects and warnings files of a reading that is being redone."""
        for name in (summary.rejects_file, summary.warnings_file):
            if name:
                Path(name).unlink(missing_ok=True)
        summary.rejects_file = summary.warnings_file = None
        summary.first_rejects = []

    def _rollback(self) -> None:
        """Roll back, even if an interrupt meant for the last statement is still pending."""
        for _ in range(3):
            try:
                self.con.execute("ROLLBACK")
                return
            except store.InterruptException:
                continue
            except store.Error:  # no transaction left, or a connection DuckDB has invalidated
                return

    def _prepare(self, summary: ImportSummary) -> sources.Source:
        self._report("prepare", 0.0)
        source = sources.detect(self.path)
        self._size = source.size_bytes
        summary.format, summary.detected_by = source.format, source.detected_by
        sources.prepare(source, parts=JSON_PARTS)
        if source.format == "parquet":
            described = self.con.execute(f"DESCRIBE SELECT * FROM {source.reader_sql()}").fetchall()
            source.column_types = {r[0]: r[1] for r in described}
            names = list(source.column_types)
            missing = [c for c in KEY_COLUMNS if c not in names]
            if missing:
                raise ImportFailed(f"{self.path}: the Parquet file has no column {', '.join(missing)}")
            source.columns = tuple(names)
            source.ignored_columns = tuple(n for n in names if n not in RECORD_COLUMNS)
            source.missing_columns = tuple(c for c in RECORD_COLUMNS if c not in names)
        if source.ignored_columns:
            summary.notes.append(f"ignored columns not in the record: {', '.join(source.ignored_columns)}")
        if source.missing_columns:
            summary.notes.append(f"columns missing from the file, imported empty: {', '.join(source.missing_columns)}")
        self._notes = list(summary.notes)
        self._check_cancel()
        return source

    def _import(self, source: sources.Source, summary: ImportSummary, now: datetime, workdir: Path) -> None:
        self._stage(source, workdir)
        self._scan.start()  # after DuckDB's read, beside the merge: the read takes both cores
        staged = self.con.execute("SELECT count(*) FROM staged").fetchone()[0]
        self._records = staged
        self._execute("validate", f"CREATE OR REPLACE TEMP TABLE duplicates AS {DUPLICATES_SQL}")
        self._report_problems(source, summary, staged)
        self._check_cancel()
        self._report("merge", 0.0)
        merged = self._execute_call("merge", lambda: merge_valid_rows(self.con, "valid", now))
        if merged["inserted"] or merged["updated"]:
            self._execute_call("merge", lambda: summaries.refresh(self.con))
            summary.notes = [*self._notes, *summaries.double_count_notes(self.con)]
        summary.inserted, summary.updated, summary.unchanged = (
            merged["inserted"],
            merged["updated"],
            merged["unchanged"],
        )
        self.con.execute("DROP VIEW valid")
        for table in ("staged", "duplicates"):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")

    def _report_problems(self, source: sources.Source, summary: ImportSummary, staged: int) -> None:
        """Count rejects and warnings, write their files, and refuse an empty file (or any reject, strict)."""
        structural = source.format == "csv"
        summary.rejected, set_aside = rejects.count_rejected(self.con, structural)
        summary.records = staged + set_aside
        if summary.records == 0:
            raise ImportFailed(f"{self.path}: no records in the file (nothing imported)")
        valid = "(SELECT * FROM staged s WHERE problems IS NULL AND s.rowid NOT IN (SELECT rid FROM duplicates))"
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW valid AS {valid}")
        counts = self.con.execute(warning_counts_sql("valid")).fetchone()
        summary.warning_counts = {code: n for (code, _, _), n in zip(WARNING_RULES, counts, strict=False) if n}
        summary.warnings = counts[-1]
        if not summary.rejected and not summary.warnings:
            return
        numbers = rejects.numbering(self.con, self.path, source.format, staged, set_aside)
        if summary.rejected:
            sql = rejects.rejects_sql(structural, numbers)
            path = rejects.write_report(
                self.con,
                self.rejects_dir,
                self.path,
                "rejects",
                sql,
                "coalesce(record, line), field",
                self.neutralise_formulas,
            )
            summary.rejects_file = str(path)
            summary.first_rejects = rejects.first_rejects(self.con, structural, numbers, rejects.FIRST_REJECTS)
        if summary.warnings:
            path = rejects.write_report(
                self.con,
                self.rejects_dir,
                self.path,
                "warnings",
                rejects.warnings_sql(numbers),
                "record, warning",
                self.neutralise_formulas,
            )
            summary.warnings_file = str(path)
        if self.strict and summary.rejected:
            raise ImportFailed(
                f"{self.path}: {summary.rejected} rejected row(s) and --strict: nothing imported; "
                f"reasons in {summary.rejects_file}"
            )

    def _stage(self, source: sources.Source, workdir: Path) -> None:
        """Read and type the file into ``staged``. JSON numbers are typed by the reader first (fast); the
        file is read again with every column as text if a value does not convert, so that each bad value
        gets its own reject. (The reader takes true/false as 1/0: run() redoes a fast import whose file
        holds them.) A JSON document whose parts do not parse is read again in one part (a list of objects
        inside a record fools the record splitter)."""
        fast = source.format in ("json", "ndjson") and not self._text_only
        for attempt in range(4):
            for table in (CSV_REJECTS_TABLE, CSV_SCANS_TABLE):
                self.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
            try:
                self._read_into_staged(source, workdir / f"attempt-{attempt}", fast)
                self._read_fast = fast
                return
            except store.Error as exc:
                if self._cancelled.is_set():
                    raise
                if fast and _is_conversion_error(exc):
                    fast = False
                elif source.format == "json" and len(source.spans) > 1:
                    source.spans = [(source.spans[0][0], source.spans[-1][1])]
                else:
                    raise
                log.info("%s: %s; reading it again", self.path, str(exc).splitlines()[0])
            self._rollback()
            self.con.execute("BEGIN TRANSACTION")
        raise ImportFailed(f"{self.path}: could not be read after {attempt + 1} attempts (see the log)")

    def _read_into_staged(self, source: sources.Source, workdir: Path, fast: bool) -> None:
        def statement(reader: str) -> str:
            return f"CREATE OR REPLACE TEMP TABLE staged AS {typed_select(reader, source.source_types(fast))}"

        if source.format != "json":
            self._execute("read", statement(source.reader_sql(fast)))
            return
        if not source.spans:
            raise ImportFailed(f"{self.path}: no records in the file (nothing imported)")
        self._feed = ArrayFeed(source.path, source.spans, workdir)
        try:
            with self._feed as pipes:
                self._execute("read", statement(source.reader_sql(fast, pipes)))
        finally:
            self._feed = None

    def _execute(self, phase: str, sql: str) -> None:
        self._execute_call(phase, lambda: self.con.execute(sql))

    def _execute_call(self, phase: str, call: Callable[[], Any]) -> Any:
        """Run a long statement while a monitor thread reports DuckDB's query progress."""
        self._check_cancel()
        if phase != self._phase:  # a phase shorter than one interval still shows up
            self._report(phase, 0.0)
        done = threading.Event()

        def monitor() -> None:
            while not done.wait(PROGRESS_INTERVAL_S):
                feed = self._feed
                if feed is not None:  # streamed JSON: the bytes DuckDB has taken
                    self._report(phase, feed.bytes_sent / max(1, feed.bytes_total))
                    continue
                try:
                    percent = self.con.query_progress()
                except store.Error:
                    continue
                if percent is not None and percent >= 0:
                    self._report(phase, min(percent, 100.0) / 100.0)

        watcher = threading.Thread(target=monitor, daemon=True)
        watcher.start()
        try:
            return call()
        finally:
            done.set()
            watcher.join()
            self._check_cancel()

    def _report(self, phase: str, within: float) -> None:
        lo, hi = PHASES[phase]
        self._phase = phase
        self.on_progress(
            ImportProgress(
                phase=phase,
                fraction=lo + (hi - lo) * within,
                elapsed_s=time.monotonic() - self._started,
                bytes_total=self._size,
                records=self._records,
            )
        )

    def _check_cancel(self) -> None:
        if self._cancelled.is_set():
            raise ImportCancelled(f"{self.path}: import cancelled; the database is unchanged")

    def _translate(self, exc: BaseException, source: sources.Source | None) -> BaseException:
        if self._cancelled.is_set() or isinstance(exc, store.InterruptException | KeyboardInterrupt):
            return ImportCancelled(f"{self.path}: import cancelled; the database is unchanged")
        if isinstance(exc, sources.SourceError):
            return ImportFailed(str(exc))
        if isinstance(exc, store.Error):
            explained = explain_read_error(self.path, exc, source)
            if explained:
                return ImportFailed(explained)
            return store.translate_error(self._database, exc)
        return exc

    def _record_failure(self, summary: ImportSummary, started_at: datetime, sha: str | None) -> None:
        try:
            _record_import(self.con, summary, started_at, sha, self._size)
        except store.Error:
            log.warning("could not record the failed import of %s", self.path, exc_info=True)


def _record_import(
    con: store.Connection, summary: ImportSummary, started_at: datetime, sha: str | None, size: int
) -> None:
    con.execute(
        """INSERT INTO imports SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
        FROM imports""",
        [summary.file, size, sha, summary.format, started_at, datetime.now(UTC).replace(tzinfo=None),
         summary.records, summary.inserted, summary.updated, summary.unchanged, summary.rejected,
         summary.warnings, summary.rejects_file, summary.status, summary.message],
    )


def import_file(
    con: store.Connection,
    path: Path,
    rejects_dir: Path,
    strict: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import one file into the database; see ImportJob."""
    return ImportJob(con, path, rejects_dir, strict=strict, on_progress=on_progress).run()
