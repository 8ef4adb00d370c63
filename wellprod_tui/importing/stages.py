"""The stages of an import, in the order data flows: describe → read → find duplicates → report problems →
merge → refresh summaries (then the job records the import). Each takes the run's fixed ground
(``ImportRun``) and the results it needs, and returns a small frozen result for the next stage; all but
describe run inside the job's transaction, over DuckDB temp tables named in ``tables``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wellprod_tui import storage
from wellprod_tui.core.config import user_profiles_dir
from wellprod_tui.importing import batch, rejects, sources, tables
from wellprod_tui.importing.json_feed import open_feed
from wellprod_tui.importing.merge import keep_month_attributes, merge_valid_rows, returned_note
from wellprod_tui.importing.read_errors import refuse_unclosed_quote
from wellprod_tui.importing.report import ImportFailed, ImportSummary
from wellprod_tui.importing.run import ImportRun, rollback, watched
from wellprod_tui.importing.validation import (
    WARNING_RULES,
    duplicates_sql,
    sum_conflicts_sql,
    sum_duplicates_sql,
    typed_select,
    warning_counts_sql,
)
from wellprod_tui.storage import schema

log = logging.getLogger(__name__)
#: Parts a JSON document's records are streamed in (DuckDB reads them in parallel).
JSON_PARTS = 8
#: DuckDB's words for a value its JSON reader could not type (pinned by tests/test_duckdb_messages.py).
CONVERSION_ERRORS = ("Failed to cast", "Could not convert", "Conversion Error", "Could not parse")


@dataclass(frozen=True)
class Described:
    """What the file is: its source (format, reader, profile, JSON parts) and what the user should know."""

    source: sources.Source
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Staged:
    """The file read and typed into STAGED: its rows, whether the JSON reader typed the numbers itself,
    and how a profile turned the file's rows into records."""

    rows: int
    read_fast: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deduplicated:
    """Rows repeating a well and month: the policy, how many rows it left out or added into another."""

    policy: str
    merged: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checked:
    """The rows counted: rejected, set aside, warned about; the report files written."""

    records: int
    rejected: int
    set_aside: int
    warnings: int
    warning_counts: Mapping[str, int]
    rejects_file: str | None = None
    warnings_file: str | None = None
    first_rejects: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Merged:
    """What the upsert did to production."""

    inserted: int
    updated: int
    unchanged: int
    notes: tuple[str, ...] = ()
    #: Whether the few changes were written in place and their wells listed in TOUCHED_WELLS (then only
    #: their summaries are rebuilt), rather than the table rebuilt.
    in_place: bool = False

    @property
    def changed(self) -> bool:
        """Whether any row was inserted or updated."""
        return bool(self.inserted or self.updated)


@dataclass(frozen=True)
class Refreshed:
    """The derived tables rebuilt (when rows changed), and fields that hold totals beside their wells."""

    notes: tuple[str, ...] = ()


def describe(run: ImportRun) -> Described:
    """Recognise the file's format and read what describes it (header, schema, where JSON records lie)."""
    run.progress.report("prepare")
    source = sources.detect(run.read_path)
    source.profile_name = run.options.profile
    source.profiles_dir = run.options.profiles_dir or user_profiles_dir()
    source.duplicates, source.duplicates_chosen = run.options.duplicates, run.options.duplicates_chosen
    run.progress.bytes_total = source.size_bytes
    sources.prepare(source, run.con, parts=JSON_PARTS)
    notes = []
    if source.profile is not None and source.profile.duplicates == source.duplicates != run.options.duplicates:
        notes.append(f"profile {source.profile.name} sets duplicates = {source.duplicates} for rows repeating "
                     "a well and month (its layout lists them so; --duplicates gives another policy)")
    if source.ignored_columns:
        notes.append(f"ignored columns not in the record: {', '.join(source.ignored_columns)}")
    if source.missing_columns and source.profile is not None:
        notes.append(f"profile {source.profile.name} gives no {', '.join(source.missing_columns)} (left empty)")
    elif source.missing_columns:
        notes.append(f"columns missing from the file, imported empty: {', '.join(source.missing_columns)}")
    run.check()
    return Described(source, tuple(notes))


def read(run: ImportRun, described: Described, text_only: bool = False) -> Staged:
    """Read and type the file into STAGED. JSON numbers are typed by the reader first (fast) unless
    ``text_only``; the file is read again with every column as text if a value does not convert, so that
    each bad value gets its own reject. A JSON document whose parts do not parse is read again in one part
    (a list of objects inside a record fools the record splitter). Each new reading starts from a fresh
    transaction."""
    source = described.source
    fast = source.format in ("json", "ndjson") and not text_only
    for attempt in range(4):
        for table in tables.ALL:
            run.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        try:
            notes = _read_once(run, source, run.workdir / f"attempt-{attempt}", fast)
            rows = _one(run.con, f"SELECT count(*) FROM {tables.STAGED}")
            run.progress.records = rows
            return Staged(rows, fast, notes)
        except storage.Error as exc:
            if run.cancellation.requested:
                raise
            if fast and any(text in str(exc) for text in CONVERSION_ERRORS):
                fast = False
            elif source.format == "json" and len(source.spans) > 1:
                source = dataclasses.replace(source, spans=[(source.spans[0][0], source.spans[-1][1])])
            else:
                raise
            log.info("%s: %s; reading it again", run.path, str(exc).splitlines()[0])
        rollback(run.con)
        run.con.execute("BEGIN TRANSACTION")
    raise ImportFailed(f"{run.path}: could not be read after {attempt + 1} attempts (see the log)")


def _read_once(run: ImportRun, source: sources.Source, workdir: Path, fast: bool) -> tuple[str, ...]:
    """One reading into STAGED; the notes it gives (how a profile's rows became records)."""
    con, compiled = run.con, source.compiled
    origins = compiled.origins if compiled else None

    def statement(reader: str) -> str:
        unneutralise = run.options.neutralise_formulas and source.format == "csv" and compiled is None
        typed = typed_select(
            reader, source.source_types(fast), origins, run.options.limits, unneutralise, compiled is not None
        )
        return f"CREATE OR REPLACE TEMP TABLE {tables.STAGED} AS {typed}"

    if compiled is not None:
        watched(run, "read", lambda: con.execute(compiled.load_sql))
        refuse_unclosed_quote(con, run.path, _where(run))
        watched(run, "read", lambda: con.execute(statement(source.reader_sql(fast))))
        return _profile_rows(con, source, run.path)
    if source.format != "json":
        watched(run, "read", lambda: con.execute(statement(source.reader_sql(fast))))
        if source.format == "csv":
            refuse_unclosed_quote(con, run.path, _where(run))
        return ()
    if not source.spans:
        raise ImportFailed(f"{run.path}: no records in the file (nothing imported)")
    feed = open_feed(source.path, source.spans, workdir)
    run.cancellation.feed = feed
    try:
        with feed as parts:
            watched(run, "read", lambda: con.execute(statement(source.reader_sql(fast, parts))))
    finally:
        run.cancellation.feed = None
    return ()


def _where(run: ImportRun) -> Callable[[int], str] | None:
    """How a line of many files joined is named: the file and its own line."""
    joined = run.batch
    if joined is None:
        return None

    def where(line: int) -> str:
        name, own = batch.named_line(joined, line)
        return f"{run.path / name}: line {own}"

    return where


def _profile_rows(con: storage.Connection, source: sources.Source, path: Path) -> tuple[str, ...]:
    """How the profile turned the file's rows into records (filtered, added up into months), if it did."""
    profile, compiled = source.profile, source.compiled
    if profile is None or compiled is None or not (profile.where or profile.rows == "daily" or profile.injection):
        return ()
    read_rows, kept, repeated, injecting = _one(con, compiled.count_sql)
    parts = []
    if profile.where:
        condition = " and ".join(f"{c} = {v}" for c, v in profile.where)
        if read_rows and not kept:
            raise ImportFailed(f"{path}: profile {profile.name} keeps rows where {condition}, and none of the "
                               f"file's {read_rows:,} rows is one (nothing imported)")
        parts.append(f"{kept:,} kept where {condition}")
    if profile.rows == "daily":
        staged = _one(con, f"SELECT count(*) FROM {tables.STAGED}")
        parts.append(f"days added up into {staged:,} well-months")
        if repeated:
            fate = "added in (duplicates = sum)" if source.duplicates == "sum" else (
                f"left out (duplicates = {source.duplicates} keeps one row a day; --duplicates sum adds them)")
            parts.append(f"{repeated:,} row(s) repeating a well's day {fate}")
    if injecting:
        parts.append(f"{injecting:,} injection row(s) set aside (injector: injection without production)")
    return (f"profile {profile.name}: {read_rows:,} rows read; " + "; ".join(parts),)


def find_duplicates(run: ImportRun, described: Described) -> Deduplicated:
    """Find rows that repeat another row's key and are not kept as they are (the policy says which row is
    kept); under ``sum`` the kept row takes the sum of its key's rows."""
    con, policy = run.con, described.source.duplicates
    if policy == "sum":  # rows that cannot make one record are rejected before any is kept
        watched(run, "validate", lambda: con.execute(sum_conflicts_sql(run.options.limits)))
    sql = f"CREATE OR REPLACE TEMP TABLE {tables.DUPLICATES} AS {duplicates_sql(policy)}"
    watched(run, "validate", lambda: con.execute(sql))
    if policy == "reject":
        return Deduplicated(policy)
    merged = _one(con, f"SELECT count(*) FROM {tables.DUPLICATES}")
    if not merged:
        return Deduplicated(policy)
    if policy == "sum":
        watched(run, "validate", lambda: con.execute(sum_duplicates_sql()))
    kept = _one(con, f"SELECT count(DISTINCT kept_rid) FROM {tables.DUPLICATES}")
    fate = "added into" if policy == "sum" else f"left out ({policy} kept) beside"
    note = (
        f"{merged} row(s) repeating a well and month {fate} {kept} row(s) "
        f"(duplicates = {policy}); the warnings file names them"
    )
    return Deduplicated(policy, merged, (note,))


def report_problems(run: ImportRun, described: Described, staged: Staged, deduplicated: Deduplicated) -> Checked:
    """Count rejects and warnings and write their files; refuse a file with no records."""
    source, con, options = described.source, run.con, run.options
    structural = source.format == "csv"
    rejecting = source.duplicates == "reject"
    rejected, set_aside = rejects.count_rejected(con, structural, rejecting)
    records = staged.rows + set_aside
    if records == 0:
        raise ImportFailed(f"{run.path}: no records in the file (nothing imported)")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {tables.VALID} AS {tables.VALID_SELECT}")
    counts = _one(con, warning_counts_sql(tables.VALID))
    warning_counts = {code: n for (code, _, _), n in zip(WARNING_RULES, counts, strict=False) if n}
    checked = Checked(records, rejected, set_aside, counts[-1], warning_counts)
    if not (checked.rejected or checked.warnings or deduplicated.merged):
        return checked
    numbers = rejects.numbering(
        con, source.path, source.format, staged.rows, set_aside, source.lines_before_data(),
        source.compiled is not None,
    )
    per_file: Callable[[str, str], str] | None = None
    by_file = ""
    if run.batch is not None and run.batch.first_data_line:  # name each row's file and its line in it
        per_file, by_file = batch.per_file_sql(run.batch, con, numbers.mapped), "file, "

    def write(kind: str, sql: str, order: str) -> str:
        named = per_file(sql, 'reason' if kind == 'rejects' else 'warning') if per_file else sql
        path = rejects.write_report(
            con, options.rejects_dir, run.path, kind, named, by_file + order, options.neutralise_formulas,
            options.keep_reports,
        )
        return str(path)

    if checked.rejected:
        sql = rejects.rejects_sql(structural, numbers, rejecting)
        first = rejects.first_rejects(con, structural, numbers, rejects.FIRST_REJECTS, rejecting, per_file, by_file)
        checked = dataclasses.replace(
            checked, rejects_file=write("rejects", sql, "coalesce(record, line), field"), first_rejects=tuple(first)
        )
    if checked.warnings or deduplicated.merged:
        sql = rejects.warnings_sql(numbers, source.duplicates)
        checked = dataclasses.replace(checked, warnings_file=write("warnings", sql, "record, warning"))
    return checked


def refuse_rejects(run: ImportRun, checked: Checked) -> None:
    """Under --strict, any rejected row fails the import (its reasons are in the rejects file)."""
    if run.options.strict and checked.rejected:
        raise ImportFailed(
            f"{run.path}: {checked.rejected} rejected row(s) and --strict: nothing imported; "
            f"reasons in {checked.rejects_file}"
        )
    run.check()


def forget_reports(checked: Checked) -> None:
    """Remove the rejects and warnings files of a reading that is being redone."""
    for name in (checked.rejects_file, checked.warnings_file):
        if name:
            Path(name).unlink(missing_ok=True)


def merge(run: ImportRun, described: Described) -> Merged:
    """Upsert the valid rows into production; count inserted, updated and unchanged rows."""
    not_carried = described.source.missing_columns
    counts = watched(run, "merge", lambda: merge_valid_rows(run.con, tables.VALID, run.started_at, not_carried))
    compiled = described.source.compiled
    if compiled is not None and compiled.attributes_sql:
        watched(run, "merge", lambda: keep_month_attributes(run.con, compiled.attributes_sql, tables.VALID))
    notes = []
    if counts["updated"] and not_carried:
        notes.append(f"columns the file does not carry kept their stored values: {', '.join(not_carried)}")
    said = returned_note(counts)
    if said and run.options.strict:
        raise ImportFailed(f"{run.path}: {said.replace(';', ' and --strict: nothing imported;', 1)}")
    notes += [said] if said else []
    return Merged(counts["inserted"], counts["updated"], counts["unchanged"], tuple(notes), "wells_touched" in counts)


def refresh_summaries(run: ImportRun, merged: Merged) -> Refreshed:
    """Rebuild the derived tables when rows changed (of the wells touched only, when a few were written in
    place), note fields that hold totals beside wells, and drop the import's temp tables."""
    notes: tuple[str, ...] = ()
    if merged.changed:  # a few changes written in place: only their wells' and fields' rows
        refresh = (lambda: schema.refresh_derived_rows(run.con, tables.TOUCHED_WELLS)) if merged.in_place else (
            lambda: schema.refresh_derived_tables(run.con))
        watched(run, "summaries", refresh)
        notes = tuple(schema.double_count_notes(run.con, among=tables.VALID))
    run.con.execute(f"DROP VIEW IF EXISTS {tables.VALID}")
    for table in tables.ALL:
        run.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
    return Refreshed(notes)


def record(
    con: storage.Connection, summary: ImportSummary, started_at: datetime, sha256: str | None, size_bytes: int
) -> None:
    """Add the import to the ``imports`` log (inside the transaction for a completed one)."""
    s = summary
    con.execute(
        """INSERT INTO imports (id, file, size_bytes, sha256, format, started_at, finished_at, records, inserted,
                               updated, unchanged, rejected, warnings, rejects_file, status, message, pid, files)
        SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM imports""",
        [s.file, size_bytes, sha256, s.format, started_at, datetime.now(UTC).replace(tzinfo=None),
         s.records, s.inserted, s.updated, s.unchanged, s.rejected, s.warnings, s.rejects_file, s.status, s.message,
         os.getpid(), json.dumps(s.files) if s.files else None],
    )


def _one(con: storage.Connection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"no row from {sql[:60]}")
    return row if len(row) > 1 else row[0]
