"""The stages of an import, in the order data flows: describe → read → find duplicates → report problems →
merge → refresh summaries → record. Each takes the one ImportContext and runs inside the job's transaction.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from wellprod_tui import storage
from wellprod_tui.core.config import user_profiles_dir
from wellprod_tui.importing import rejects, sources, tables
from wellprod_tui.importing.json_feed import ArrayFeed, PartFiles, open_feed
from wellprod_tui.importing.merge import merge_valid_rows, returned_note
from wellprod_tui.importing.progress import ProgressTracker
from wellprod_tui.importing.read_errors import refuse_unclosed_quote
from wellprod_tui.importing.report import ImportCancelled, ImportFailed, ImportSummary
from wellprod_tui.importing.validation import (
    WARNING_RULES,
    RateLimits,
    duplicates_sql,
    sum_conflicts_sql,
    sum_duplicates_sql,
    typed_select,
    warning_counts_sql,
)
from wellprod_tui.storage import schema

log = logging.getLogger(__name__)
PROGRESS_INTERVAL_S = 0.2
#: Parts a JSON document's records are streamed in (DuckDB reads them in parallel).
JSON_PARTS = 8
_CONVERSION_ERRORS = ("Failed to cast", "Could not convert", "Conversion Error", "Could not parse")
T = TypeVar("T")


class Cancellation:
    """A cancel that may come from any thread: it interrupts DuckDB and releases a reader waiting on a pipe.
    Once the commit has begun it is too late, and the import completes."""

    def __init__(self, con: storage.Connection) -> None:
        self._con = con
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._committing = False
        self.feed: ArrayFeed | PartFiles | None = None

    def cancel(self) -> None:
        """Ask the import to stop as soon as it can."""
        with self._lock:
            if self._committing:
                return
            self._event.set()
            with contextlib.suppress(storage.Error):
                self._con.interrupt()
            feed = self.feed
            if feed is not None:
                feed.abort()

    @property
    def requested(self) -> bool:
        """Whether a cancel was asked for."""
        return self._event.is_set()

    def check(self, path: Path) -> None:
        """Raise ImportCancelled if a cancel was asked for."""
        if self._event.is_set():
            raise ImportCancelled(f"{path}: import cancelled; the database is unchanged")

    def begin_commit(self, path: Path) -> None:
        """From here on a cancel is refused (raises ImportCancelled if one came first)."""
        with self._lock:
            self.check(path)
            self._committing = True


@dataclass
class ImportContext:
    """What the stages of one import share: the connection, the file, the options, and what is known."""

    con: storage.Connection
    path: Path
    rejects_dir: Path
    progress: ProgressTracker
    cancellation: Cancellation
    workdir: Path
    summary: ImportSummary
    strict: bool = False
    neutralise_formulas: bool = True
    #: Reports (rejects, warnings) kept per source file name and kind; 0 keeps every one.
    keep_reports: int = 0
    #: What rows that repeat a well and month become: see core.vocabulary.DUPLICATE_POLICIES.
    duplicates: str = "reject"
    #: A mapping profile asked for by name (else one is looked for by the CSV header), and the user's folder
    #: of profiles (default: the config directory's profiles/).
    profile: str | None = None
    profiles_dir: Path | None = None
    limits: RateLimits = field(default_factory=RateLimits)
    #: The file the stages read: ``path`` itself, or its copy when ``path`` is a pipe.
    read_path: Path | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    source: sources.Source | None = None
    #: Read every JSON number as text (the file holds true/false, which the reader takes for 1/0).
    text_only: bool = False
    #: Whether the last reading let the JSON reader type the numbers itself.
    read_fast: bool = False
    staged: int = 0
    set_aside: int = 0
    notes: list[str] = field(default_factory=list)


def watched(ctx: ImportContext, phase: str, call: Callable[[], T]) -> T:
    """Run a long statement while a monitor thread reports its progress within ``phase``."""
    ctx.cancellation.check(ctx.path)
    ctx.progress.report(phase)
    done = threading.Event()

    def monitor() -> None:
        while not done.wait(PROGRESS_INTERVAL_S):
            feed = ctx.cancellation.feed
            if feed is not None:  # streamed JSON: the bytes DuckDB has taken
                ctx.progress.report(phase, feed.bytes_sent / max(1, feed.bytes_total))
                continue
            with contextlib.suppress(storage.Error):
                percent = ctx.con.query_progress()
                if percent is not None and percent >= 0:
                    ctx.progress.report(phase, percent / 100.0)

    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    try:
        return call()
    finally:
        done.set()
        watcher.join()
        ctx.cancellation.check(ctx.path)


def describe(ctx: ImportContext) -> sources.Source:
    """Recognise the file's format and read what describes it (header, schema, where JSON records lie)."""
    ctx.progress.report("prepare")
    source = sources.detect(ctx.read_path or ctx.path)
    source.profile_name, source.profiles_dir = ctx.profile, ctx.profiles_dir or user_profiles_dir()
    ctx.progress.bytes_total = source.size_bytes
    sources.prepare(source, ctx.con, parts=JSON_PARTS)
    ctx.summary.format, ctx.summary.detected_by = source.format, source.detected_by
    if source.profile is not None:
        ctx.summary.profile = source.profile.name
    if source.ignored_columns:
        ctx.notes.append(f"ignored columns not in the record: {', '.join(source.ignored_columns)}")
    if source.missing_columns and source.profile is not None:
        ctx.notes.append(f"profile {source.profile.name} gives no {', '.join(source.missing_columns)} (left empty)")
    elif source.missing_columns:
        ctx.notes.append(f"columns missing from the file, imported empty: {', '.join(source.missing_columns)}")
    ctx.summary.notes = list(ctx.notes)
    ctx.source = source
    ctx.cancellation.check(ctx.path)
    return source


def read(ctx: ImportContext) -> None:
    """Read and type the file into STAGED. JSON numbers are typed by the reader first (fast); the file is
    read again with every column as text if a value does not convert, so that each bad value gets its own
    reject. A JSON document whose parts do not parse is read again in one part (a list of objects inside a
    record fools the record splitter). Each new reading starts from a fresh transaction."""
    source = _source(ctx)
    fast = source.format in ("json", "ndjson") and not ctx.text_only
    for attempt in range(4):
        for table in tables.ALL:
            ctx.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        try:
            _read_once(ctx, source, ctx.workdir / f"attempt-{attempt}", fast)
            ctx.read_fast = fast
            ctx.staged = _one(ctx.con, f"SELECT count(*) FROM {tables.STAGED}")
            ctx.progress.records = ctx.staged
            return
        except storage.Error as exc:
            if ctx.cancellation.requested:
                raise
            if fast and any(text in str(exc) for text in _CONVERSION_ERRORS):
                fast = False
            elif source.format == "json" and len(source.spans) > 1:
                source.spans = [(source.spans[0][0], source.spans[-1][1])]
            else:
                raise
            log.info("%s: %s; reading it again", ctx.path, str(exc).splitlines()[0])
        rollback(ctx.con)
        ctx.con.execute("BEGIN TRANSACTION")
    raise ImportFailed(f"{ctx.path}: could not be read after {attempt + 1} attempts (see the log)")


def _read_once(ctx: ImportContext, source: sources.Source, workdir: Path, fast: bool) -> None:
    compiled = source.compiled
    origins = compiled.origins if compiled else None

    def statement(reader: str) -> str:
        unneutralise = ctx.neutralise_formulas and source.format == "csv" and compiled is None
        typed = typed_select(reader, source.source_types(fast), origins, ctx.limits, unneutralise, compiled is not None)
        return f"CREATE OR REPLACE TEMP TABLE {tables.STAGED} AS {typed}"

    if compiled is not None:
        watched(ctx, "read", lambda: ctx.con.execute(compiled.load_sql))
        refuse_unclosed_quote(ctx.con, ctx.path)
        watched(ctx, "read", lambda: ctx.con.execute(statement(source.reader_sql(fast))))
        _note_profile_rows(ctx, source)
        return
    if source.format != "json":
        watched(ctx, "read", lambda: ctx.con.execute(statement(source.reader_sql(fast))))
        if source.format == "csv":
            refuse_unclosed_quote(ctx.con, ctx.path)
        return
    if not source.spans:
        raise ImportFailed(f"{ctx.path}: no records in the file (nothing imported)")
    feed = open_feed(source.path, source.spans, workdir)
    ctx.cancellation.feed = feed
    try:
        with feed as parts:
            watched(ctx, "read", lambda: ctx.con.execute(statement(source.reader_sql(fast, parts))))
    finally:
        ctx.cancellation.feed = None


def _note_profile_rows(ctx: ImportContext, source: sources.Source) -> None:
    """Say how the profile turned the file's rows into records (filtered, added up into months)."""
    profile, compiled = source.profile, source.compiled
    if profile is None or compiled is None or not (profile.where or profile.rows == "daily"):
        return
    read_rows, kept = _one(ctx.con, compiled.count_sql)
    parts = []
    if profile.where:
        condition = " and ".join(f"{c} = {v}" for c, v in profile.where)
        if read_rows and not kept:
            raise ImportFailed(f"{ctx.path}: profile {profile.name} keeps rows where {condition}, and none of the "
                               f"file's {read_rows:,} rows is one (nothing imported)")
        parts.append(f"{kept:,} kept where {condition}")
    if profile.rows == "daily":
        staged = _one(ctx.con, f"SELECT count(*) FROM {tables.STAGED}")
        parts.append(f"days added up into {staged:,} well-months")
    ctx.notes = [n for n in ctx.notes if not n.startswith(f"profile {profile.name}:")]
    ctx.notes.append(f"profile {profile.name}: {read_rows:,} rows read; " + "; ".join(parts))
    ctx.summary.notes = list(ctx.notes)


def find_duplicates(ctx: ImportContext) -> None:
    """Find rows that repeat another row's key and are not kept as they are (the policy says which row is
    kept); under ``sum`` the kept row takes the sum of its key's rows."""
    if ctx.duplicates == "sum":  # rows that cannot make one record are rejected before any is kept
        watched(ctx, "validate", lambda: ctx.con.execute(sum_conflicts_sql(ctx.limits)))
    sql = f"CREATE OR REPLACE TEMP TABLE {tables.DUPLICATES} AS {duplicates_sql(ctx.duplicates)}"
    watched(ctx, "validate", lambda: ctx.con.execute(sql))
    ctx.summary.duplicates = ctx.duplicates
    if ctx.duplicates == "reject":
        return
    ctx.summary.duplicates_merged = _one(ctx.con, f"SELECT count(*) FROM {tables.DUPLICATES}")
    if ctx.duplicates == "sum" and ctx.summary.duplicates_merged:
        watched(ctx, "validate", lambda: ctx.con.execute(sum_duplicates_sql()))
    if ctx.summary.duplicates_merged:
        kept = _one(ctx.con, f"SELECT count(DISTINCT kept_rid) FROM {tables.DUPLICATES}")
        fate = "added into" if ctx.duplicates == "sum" else f"left out ({ctx.duplicates} kept) beside"
        ctx.notes = [n for n in ctx.notes if "(duplicates = " not in n]  # a reading done again
        ctx.notes.append(
            f"{ctx.summary.duplicates_merged} row(s) repeating a well and month {fate} {kept} row(s) "
            f"(duplicates = {ctx.duplicates}); the warnings file names them"
        )
        ctx.summary.notes = list(ctx.notes)


def report_problems(ctx: ImportContext) -> None:
    """Count rejects and warnings, write their files, and refuse an empty file (or any reject, strict)."""
    source, summary, con = _source(ctx), ctx.summary, ctx.con
    structural = source.format == "csv"
    rejecting = ctx.duplicates == "reject"
    summary.rejected, ctx.set_aside = rejects.count_rejected(con, structural, rejecting)
    summary.records = ctx.staged + ctx.set_aside
    if summary.records == 0:
        raise ImportFailed(f"{ctx.path}: no records in the file (nothing imported)")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {tables.VALID} AS {tables.VALID_SELECT}")
    counts = _one(con, warning_counts_sql(tables.VALID))
    summary.warning_counts = {code: n for (code, _, _), n in zip(WARNING_RULES, counts, strict=False) if n}
    summary.warnings = counts[-1]
    if summary.rejected or summary.warnings or summary.duplicates_merged:
        _write_reports(ctx, source, structural)
    if ctx.strict and summary.rejected:
        raise ImportFailed(
            f"{ctx.path}: {summary.rejected} rejected row(s) and --strict: nothing imported; "
            f"reasons in {summary.rejects_file}"
        )
    ctx.cancellation.check(ctx.path)


def _write_reports(ctx: ImportContext, source: sources.Source, structural: bool) -> None:
    summary = ctx.summary
    numbers = rejects.numbering(ctx.con, source.path, source.format, ctx.staged, ctx.set_aside,
                                source.lines_before_data(), source.compiled is not None)

    def write(kind: str, sql: str, order: str) -> str:
        path = rejects.write_report(
            ctx.con, ctx.rejects_dir, ctx.path, kind, sql, order, ctx.neutralise_formulas, ctx.keep_reports
        )
        return str(path)

    rejecting = ctx.duplicates == "reject"
    if summary.rejected:
        sql = rejects.rejects_sql(structural, numbers, rejecting)
        summary.rejects_file = write("rejects", sql, "coalesce(record, line), field")
        summary.first_rejects = rejects.first_rejects(ctx.con, structural, numbers, rejects.FIRST_REJECTS, rejecting)
    if summary.warnings or summary.duplicates_merged:
        summary.warnings_file = write("warnings", rejects.warnings_sql(numbers, ctx.duplicates), "record, warning")


def forget_reports(ctx: ImportContext) -> None:
    """Remove the rejects and warnings files of a reading that is being redone."""
    summary = ctx.summary
    for name in (summary.rejects_file, summary.warnings_file):
        if name:
            Path(name).unlink(missing_ok=True)
    summary.rejects_file = summary.warnings_file = None
    summary.first_rejects = []


def merge(ctx: ImportContext) -> None:
    """Upsert the valid rows into production; count inserted, updated and unchanged rows."""
    not_carried = ctx.source.missing_columns if ctx.source is not None else ()
    merged = watched(ctx, "merge", lambda: merge_valid_rows(ctx.con, tables.VALID, ctx.started_at, not_carried))
    if merged["updated"] and not_carried:
        ctx.notes.append(f"columns the file does not carry kept their stored values: {', '.join(not_carried)}")
        ctx.summary.notes = list(ctx.notes)
    ctx.summary.inserted, ctx.summary.updated, ctx.summary.unchanged = (
        merged["inserted"],
        merged["updated"],
        merged["unchanged"],
    )
    said = returned_note(merged)
    if said and ctx.strict:
        raise ImportFailed(f"{ctx.path}: {said.replace(';', ' and --strict: nothing imported;', 1)}")
    ctx.notes += [said] if said else []
    ctx.summary.notes = list(ctx.notes)


def refresh_summaries(ctx: ImportContext) -> None:
    """Rebuild the derived tables when rows changed, and note fields that hold totals beside wells."""
    if ctx.summary.inserted or ctx.summary.updated:
        watched(ctx, "summaries", lambda: schema.refresh_derived_tables(ctx.con))
        ctx.summary.notes = [*ctx.notes, *schema.double_count_notes(ctx.con, among=tables.VALID)]
    ctx.con.execute(f"DROP VIEW IF EXISTS {tables.VALID}")
    for table in tables.ALL:
        ctx.con.execute(f"DROP TABLE IF EXISTS temp.{table}")


def record(ctx: ImportContext, sha256: str | None, size_bytes: int) -> None:
    """Add the import to the ``imports`` log (inside the transaction for a completed one)."""
    s = ctx.summary
    ctx.con.execute(
        """INSERT INTO imports (id, file, size_bytes, sha256, format, started_at, finished_at, records, inserted,
                               updated, unchanged, rejected, warnings, rejects_file, status, message, pid)
        SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM imports""",
        [s.file, size_bytes, sha256, s.format, ctx.started_at, datetime.now(UTC).replace(tzinfo=None),
         s.records, s.inserted, s.updated, s.unchanged, s.rejected, s.warnings, s.rejects_file, s.status, s.message,
         os.getpid()],
    )


def rollback(con: storage.Connection) -> None:
    """Roll back, even if an interrupt meant for the last statement is still pending."""
    for _ in range(3):
        try:
            con.execute("ROLLBACK")
            return
        except storage.InterruptException:
            continue
        except storage.Error:  # no transaction left, or a connection DuckDB has invalidated
            return


def _source(ctx: ImportContext) -> sources.Source:
    if ctx.source is None:
        raise RuntimeError("describe() must run first")
    return ctx.source


def _one(con: storage.Connection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {sql[:60]}")
    return row if len(row) > 1 else row[0]
