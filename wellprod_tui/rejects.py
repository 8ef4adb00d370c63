"""Rejected rows: gathered set-wise from the staged import and written to a rejects CSV."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wellprod_tui.domain import RECORD_COLUMNS
from wellprod_tui.import_report import ImportFailed
from wellprod_tui.store import Connection, records

FIRST_REJECTS = 20
CSV_REJECTS_TABLE = "csv_rejects"
CSV_SCANS_TABLE = "csv_scans"
_TEXT_ROW = ", ".join(
    f"strftime(s.{c}, '%Y-%m') AS {c}" if c == "production_period" else f"CAST(s.{c} AS VARCHAR) AS {c}"
    for c in RECORD_COLUMNS
)
#: Rows staged in a transaction get row ids from a large base; record N is base + N - 1.
_BASE = "(SELECT min(rowid) - 1 FROM staged)"
_NULL_ROW = ", ".join(f"NULL::VARCHAR AS {c}" for c in RECORD_COLUMNS)


@dataclass(frozen=True)
class Rejected:
    """How many rows an import rejected, how many of those DuckDB's CSV reader set aside, the file, and
    the line of record N (N + line_offset) when each record of the file sits on a line of its own."""

    rows: int
    structural: int
    path: Path | None
    line_offset: int | None = None


def line_offset(path: Path, fmt: str, records: int, structural: int) -> int | None:
    """Lines before record 1 when every record is one line (NDJSON, or CSV without multi-line values);
    None when lines and records do not match one to one. Reads the file: used only when rows are rejected."""
    if fmt not in ("csv", "ndjson") or structural:
        return None
    newlines, last = 0, b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            newlines += block.count(b"\n")
            last = block[-1:]
    lines = newlines + (1 if last not in (b"\n", b"") else 0)
    header = 1 if fmt == "csv" else 0
    return header if lines == records + header else None


def rejects_sql(structural: bool, offset: int | None = None) -> str:
    """Every rejected row of the staged import: record, line, field, value, reason, then the row."""
    line = "NULL::BIGINT" if offset is None else f"s.rowid - {_BASE} + {int(offset)}"
    dup_line = "NULL::BIGINT" if offset is None else f"d.rid - {_BASE} + {int(offset)}"
    parts = [
        f"""SELECT s.rowid - {_BASE} AS record, {line} AS line, p[1] AS field, p[2] AS value, p[3] AS reason,
               {_TEXT_ROW}
        FROM (SELECT rowid, *, string_split(unnest(string_split(problems, chr(31))), chr(30)) AS p
              FROM staged WHERE problems IS NOT NULL) s""",
        f"""SELECT d.rid - {_BASE}, {dup_line}, 'well_code, production_period',
               s.well_code || ' ' || strftime(s.production_period, '%Y-%m'),
               'duplicate of record ' || (d.first_rid - {_BASE}), {_TEXT_ROW}
        FROM duplicates d JOIN (SELECT rowid AS rid, * FROM staged) s ON s.rid = d.rid""",
    ]
    if structural:
        parts.append(
            f"""SELECT NULL::BIGINT, line, coalesce(min(column_name), ''), any_value(csv_line),
                   lower(min(error_type)) || ': ' || min(error_message), {_NULL_ROW}
            FROM {CSV_REJECTS_TABLE} GROUP BY line"""
        )
    return " UNION ALL ".join(f"({p})" for p in parts)


def count_rejected(con: Connection, structural: bool) -> tuple[int, int]:
    """(rejected rows, of which set aside by the CSV reader)."""
    bad, dups = con.execute(
        "SELECT (SELECT count(*) FROM staged WHERE problems IS NOT NULL), (SELECT count(*) FROM duplicates)"
    ).fetchone()
    lines = 0
    if structural:
        lines = con.execute(f"SELECT count(DISTINCT line) FROM {CSV_REJECTS_TABLE}").fetchone()[0]
    return bad + dups + lines, lines


def write_rejects(con: Connection, rejects_dir: Path, source: Path, fmt: str, staged: int) -> Rejected:
    """Write the rejects CSV (atomically) when there are rejected rows."""
    structural = fmt == "csv"
    rows, lines = count_rejected(con, structural)
    if not rows:
        return Rejected(0, 0, None)
    offset = line_offset(source, fmt, staged, lines)
    target = _claim_name(rejects_dir, f"{source.stem}-{datetime.now().strftime('%Y%m%dT%H%M%S')}")
    tmp = target.with_name(f".{target.name}.tmp")
    escaped = str(tmp).replace("'", "''")
    try:
        con.execute(
            f"COPY (SELECT * FROM ({rejects_sql(structural, offset)}) ORDER BY coalesce(record, line), field) "
            f"TO '{escaped}' (HEADER, DELIMITER ',')"
        )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return Rejected(rows, lines, target, offset)


def _claim_name(folder: Path, stem: str) -> Path:
    """Create an empty ``stem[-N]-rejects.csv`` that no other import has (two imports in one second)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            target = folder / (f"{stem}-rejects.csv" if n == 1 else f"{stem}-{n}-rejects.csv")
            with contextlib.suppress(FileExistsError):
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                return target
    except OSError as exc:
        raise ImportFailed(
            f"{folder}: cannot write the rejects file here ({exc.strerror or exc}); "
            "set [paths] rejects_dir to a writable folder. Nothing was imported."
        ) from exc
    raise ImportFailed(f"{folder}: too many rejects files named {stem}-*; nothing was imported")


def first_rejects(con: Connection, rejected: Rejected, structural: bool, limit: int) -> list[dict[str, Any]]:
    """The first rejected rows with their reasons, for the summary."""
    if not rejected.rows:
        return []
    return records(
        con,
        f"SELECT record, line, field, value, reason FROM ({rejects_sql(structural, rejected.line_offset)}) "
        "ORDER BY coalesce(record, line), field LIMIT ?",
        [limit],
    )
