"""Rejected rows and warnings of an import: gathered set-wise from the staged rows, written to CSV files."""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wellprod_tui.core.domain import RECORD_COLUMNS, whole_number_text
from wellprod_tui.core.files import atomic_target
from wellprod_tui.core.formulas import formula_safe
from wellprod_tui.core.sql_text import sql_literal
from wellprod_tui.importing.read_errors import csv_line_map
from wellprod_tui.importing.report import ImportFailed
from wellprod_tui.importing.tables import (
    CSV_ASIDE_LINES,
    CSV_REJECTS,
    CSV_ROW_LINES,
    CSV_SKIPS,
    DUPLICATES,
    PROFILE_ROWS,
    STAGED,
    valid_rows,
)
from wellprod_tui.importing.validation import WARNING_RULES
from wellprod_tui.storage.connection import Connection, one, records, scalar

FIRST_REJECTS = 20
_NULL_ROW = ", ".join(f"NULL::VARCHAR AS {c}" for c in RECORD_COLUMNS)
#: "Expected Number of Columns: 14 Found: 10" -> "expected 14, found 10"
_COUNTS = r"regexp_replace(min(error_message), '.*Columns: (\d+) Found: (\d+).*', 'expected \1, found \2')"


@dataclass(frozen=True)
class Numbering:
    """How a staged row is told to the user: its record number (counting lines the CSV reader set aside)
    and, when every record of the file sits on one line, its line. A profile's staged rows carry the file's
    row they came from (``source_row``: a filter leaves rows out, days add up into months)."""

    line_offset: int | None = None
    skips: bool = False
    source_rows: bool = False
    #: Rows staged in a transaction get row ids from a large base; staged row N is base + N (a number, so
    #: that a lookup by row is a join, not a scan of STAGED per row).
    base: int = 0
    #: Lines and records read from CSV_ROW_LINES and CSV_ASIDE_LINES (a CSV whose lines and records differ).
    mapped: bool = False

    def row(self, alias: str, rowid: str = "rowid") -> str:
        """SQL: the file's row number (its good rows counted from 1) of the STAGED row ``alias``.``rowid``."""
        if not self.source_rows:
            return f"{alias}.{rowid} - {self.base}"
        if rowid in ("rowid", "rid"):  # the alias is the STAGED row itself
            return f"{alias}.source_row"
        return f"(SELECT k.source_row FROM {STAGED} k WHERE k.rowid = {alias}.{rowid})"

    def record(self, staged_row: str) -> str:
        """SQL: the record number of a staged row number."""
        if self.mapped:
            return f"({staged_row} + {self._offset(staged_row, 'record_offset')})"
        if not self.skips:
            return staged_row
        return f"({staged_row} + (SELECT count(*) FROM {CSV_SKIPS} WHERE g < {staged_row}))"

    def line(self, staged_row: str) -> str:
        """SQL: the line of a staged row number, or NULL when lines are not known."""
        if self.mapped:
            return f"({staged_row} + {self._offset(staged_row, 'line_offset')})"
        return "NULL::BIGINT" if self.line_offset is None else f"({self.record(staged_row)} + {self.line_offset})"

    def aside_record(self, reader_line: str) -> str:
        """SQL: the record number of a line the CSV reader set aside (``reader_line`` as the reader counts)."""
        if self.mapped:
            return f"(SELECT a.record FROM {CSV_ASIDE_LINES} a WHERE a.reader_line = {reader_line})"
        return "NULL::BIGINT" if self.line_offset is None else f"{reader_line} - {self.line_offset}"

    def aside_line(self, reader_line: str) -> str:
        """SQL: the file's line of a line the CSV reader set aside."""
        if self.mapped:
            return f"(SELECT a.file_line FROM {CSV_ASIDE_LINES} a WHERE a.reader_line = {reader_line})"
        return reader_line

    @staticmethod
    def _offset(staged_row: str, column: str) -> str:
        return f"(SELECT o.{column} FROM {CSV_ROW_LINES} o WHERE o.good_row = {staged_row})"


def numbering(
    con: Connection, path: Path, fmt: str, rows: int, set_aside: int, lines_before_data: int = 1,
    source_rows: bool = False,
) -> Numbering:
    """Record numbers and lines for messages: for NDJSON exact lines when lines and records match one to one;
    for CSV always, from a scan of the file when a quoted value spans lines or blank lines occur. ``rows`` is
    the rows staged (a profile's: the good rows its reader read) after ``lines_before_data`` (header, a units
    row). Reads the file, so it is used only when rows are reported."""
    base = scalar(con, f"SELECT coalesce(min(rowid) - 1, 0) FROM {STAGED}")
    if source_rows:
        rows = scalar(con, f"SELECT count(*) FROM {PROFILE_ROWS}")
    if fmt not in ("csv", "ndjson"):
        return Numbering(source_rows=source_rows, base=base)
    newlines, last = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            newlines += block.count(b"\n")
            last = block[-1:]
    header = lines_before_data if fmt == "csv" else 0
    if newlines + (1 if last not in (b"\n", b"") else 0) != rows + set_aside + header:
        if fmt == "csv":
            return _mapped(con, path, header, rows, set_aside, Numbering(header, False, source_rows, base, True))
        return Numbering(source_rows=source_rows, base=base)
    if set_aside:  # the g-th set-aside line follows g good rows
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {CSV_SKIPS} AS
            SELECT line - {header} - row_number() OVER (ORDER BY line) AS g
            FROM (SELECT DISTINCT line FROM {CSV_REJECTS})"""
        )
    return Numbering(header, set_aside > 0, source_rows, base)


def _mapped(con: Connection, path: Path, header: int, rows: int, set_aside: int, numbers: Numbering) -> Numbering:
    """Numbering from a scan of the file: its breakpoints spread over every good row (lookups by equality)."""
    asides = {r[0] for r in con.execute(f"SELECT DISTINCT line FROM {CSV_REJECTS}").fetchall()} if set_aside else set()
    breaks, aside_lines = csv_line_map(path, header, asides)

    def columns(values: list[tuple[int, int, int]]) -> list[list[int]]:
        return [list(c) for c in zip(*values, strict=True)] if values else [[], [], []]

    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CSV_ASIDE_LINES} AS
        SELECT unnest(?::BIGINT[]) AS reader_line, unnest(?::BIGINT[]) AS file_line, unnest(?::BIGINT[]) AS record""",
        columns(aside_lines),
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CSV_ROW_LINES} AS
        WITH breaks AS (SELECT unnest(?::BIGINT[]) AS good_row, unnest(?::BIGINT[]) AS line_offset,
                               unnest(?::BIGINT[]) AS record_offset)
        SELECT g.range AS good_row, b.line_offset, b.record_offset
        FROM range(1, {rows + 1}) g ASOF JOIN breaks b ON g.range >= b.good_row""",
        columns(breaks),
    )
    return numbers


def _row_text(bad_field: str | None = None) -> str:
    """The staged row as text, in the record's columns; the bad field shows the value as the file had it."""
    cells = []
    for c in RECORD_COLUMNS:
        if c == "production_period":
            text = f"strftime(s.{c}, '%Y-%m')"
        elif c == "days_on_production":
            text = whole_number_text(f"s.{c}")
        else:
            text = f"CAST(s.{c} AS VARCHAR)"
        if bad_field:
            text = f"CASE WHEN {bad_field} = '{c}' THEN p[2] ELSE {text} END"
        cells.append(f"{text} AS {c}")
    return ", ".join(cells)


def rejects_sql(structural: bool, numbers: Numbering, duplicates_rejected: bool = True) -> str:
    """Every rejected row of the staged import: record, line, field, value, reason, then the row."""
    row, dup, first = numbers.row("s"), numbers.row("s", "rid"), numbers.row("d", "kept_rid")
    parts = [
        f"""SELECT {numbers.record(row)} AS record, {numbers.line(row)} AS line, p[1] AS field, p[2] AS value,
               p[3] AS reason, {_row_text("p[1]")}
        FROM (SELECT rowid, *, string_split(unnest(string_split(problems, chr(31))), chr(30)) AS p
              FROM {STAGED} WHERE problems IS NOT NULL) s""",
        f"""SELECT {numbers.record(dup)}, {numbers.line(dup)}, 'well_code, production_period',
               s.well_code || ' ' || strftime(s.production_period, '%Y-%m'),
               'duplicate of record ' || {numbers.record(first)}
               || CASE WHEN d.same THEN ' (same values)'
                  ELSE ' (other values; the first is kept; --duplicates sum adds them up)' END,
               {_row_text()}
        FROM {DUPLICATES} d JOIN (SELECT rowid AS rid, * FROM {STAGED}) s ON s.rid = d.rid""",
    ][: 2 if duplicates_rejected else 1]
    if structural:
        parts.append(
            f"""SELECT {numbers.aside_record("line")}, {numbers.aside_line("line")}, '(the whole line)',
                   any_value(csv_line),
                   CASE min(error_type)
                       WHEN 'TOO MANY COLUMNS' THEN 'too many columns: ' || {_COUNTS}
                       WHEN 'MISSING COLUMNS' THEN 'too few columns: ' || {_COUNTS}
                       WHEN 'INVALID ENCODING' THEN 'not UTF-8 text: save the file as UTF-8'
                       ELSE lower(min(error_type)) || ': ' || min(error_message) END,
                   {_NULL_ROW}
            FROM {CSV_REJECTS} GROUP BY line"""
        )
    return " UNION ALL ".join(f"({p})" for p in parts)


#: How the warnings file names a row that repeated a key under each policy that does not reject it.
_REPEATS = "'repeats the well and month of record ' || {kept} || "
_DUPLICATE_FATE = {
    "first": _REPEATS + "': left out, the first is kept (duplicates = first)'",
    "last": _REPEATS + "': left out, the last is kept (duplicates = last)'",
    "sum": _REPEATS + "': added into it (duplicates = sum)'",
}


def warnings_sql(numbers: Numbering, duplicates: str = "reject") -> str:
    """Every warning of the rows the import keeps: record, line, warning, then the row; and, unless
    duplicates are rejected, each row left out or added into another under the duplicates policy."""
    row = numbers.row("s")
    parts = [
        f"""(SELECT {numbers.record(row)} AS record, {numbers.line(row)} AS line, '{text}' AS warning, {_row_text()}
            FROM {STAGED} s WHERE {valid_rows('s')} AND ({condition}))"""
        for _, text, condition in WARNING_RULES
    ]
    if duplicates in _DUPLICATE_FATE:
        dup, kept = numbers.row("s", "rid"), numbers.record(numbers.row("d", "kept_rid"))
        parts.append(
            f"""(SELECT {numbers.record(dup)}, {numbers.line(dup)}, {_DUPLICATE_FATE[duplicates].format(kept=kept)},
                   {_row_text()}
            FROM {DUPLICATES} d JOIN (SELECT rowid AS rid, * FROM {STAGED}) s ON s.rid = d.rid)"""
        )
    return " UNION ALL ".join(parts)


def count_rejected(con: Connection, structural: bool, duplicates_rejected: bool = True) -> tuple[int, int]:
    """(rejected rows, of which set aside by the CSV reader)."""
    bad, dups = one(
        con,
        f"SELECT (SELECT count(*) FROM {STAGED} WHERE problems IS NOT NULL), "
        f"(SELECT count(*) FROM {DUPLICATES})"
    )
    lines = 0
    if not duplicates_rejected:
        dups = 0
    if structural:
        lines = scalar(con, f"SELECT count(DISTINCT line) FROM {CSV_REJECTS}")
    return bad + dups + lines, lines


def write_report(
    con: Connection, folder: Path, source: Path, kind: str, sql: str, order: str, neutralise: bool, keep: int = 0
) -> Path:
    """Write rows of ``sql`` to ``folder/<source>-<time>-<kind>.csv`` atomically; text cells formula-safe.
    With ``keep`` > 0, only the newest ``keep`` reports of this kind for files of this name are kept (a nightly
    re-import does not pile them up)."""
    target = _claim_name(folder, f"{source.stem}-{datetime.now().strftime('%Y%m%dT%H%M%S')}", kind)
    if neutralise:  # every cell: the copy of a rejected row holds the file's text as it was
        text_columns = ("field", "value", "reason") if kind == "rejects" else ("warning",)
        safe = ", ".join(formula_safe(c) + f" AS {c}" for c in (*text_columns, *RECORD_COLUMNS))
        sql = f"SELECT * REPLACE ({safe}) FROM ({sql})"
    try:
        with atomic_target(target) as tmp:
            target_sql = sql_literal(str(tmp))
            con.execute(f"COPY (SELECT * FROM ({sql}) ORDER BY {order}) TO {target_sql} (HEADER, DELIMITER ',')")
    except BaseException:
        target.unlink(missing_ok=True)  # the name claimed for it
        raise
    prune_reports(folder, source, kind, keep)
    return target


def prune_reports(folder: Path, source: Path, kind: str, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` reports of ``kind`` for files named like ``source`` (0 keeps every
    one); returns the removed."""
    if keep <= 0:
        return []
    stamp = "[0-9]" * 8 + "T" + "[0-9]" * 6  # the report's time, as _claim_name writes it
    pattern = f"{glob.escape(source.stem)}-{stamp}*-{kind}.csv"
    found = sorted(folder.glob(pattern), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    removed = []
    for old in found[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
            removed.append(old)
    return removed


def _claim_name(folder: Path, stem: str, kind: str) -> Path:
    """Create an empty ``stem[-N]-kind.csv`` that no other import has (two imports in one second)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            target = folder / (f"{stem}-{kind}.csv" if n == 1 else f"{stem}-{n}-{kind}.csv")
            with contextlib.suppress(FileExistsError):
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                return target
    except OSError as exc:
        raise ImportFailed(
            f"{folder}: cannot write the {kind} file here ({exc.strerror or exc}); "
            "set [paths] rejects_dir to a writable folder. Nothing was imported."
        ) from exc
    raise ImportFailed(f"{folder}: too many {kind} files named {stem}-*; nothing was imported")


def first_rejects(
    con: Connection, structural: bool, numbers: Numbering, limit: int, duplicates_rejected: bool = True,
    per_file: Callable[[str, str], str] | None = None, by_file: str = "",
) -> list[dict[str, Any]]:
    """The first rejected rows with their reasons, for the summary; ``per_file`` (with ``by_file``, its
    order) names the file of each, for many files imported as one."""
    sql = rejects_sql(structural, numbers, duplicates_rejected)
    named = "file, " if per_file else ""
    return records(
        con,
        f"SELECT {named}record, line, field, value, reason FROM ({per_file(sql, 'reason') if per_file else sql}) "
        f"ORDER BY {by_file}coalesce(record, line), field LIMIT ?",
        [limit],
    )
