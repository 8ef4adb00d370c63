"""CSV export of any view: streamed by DuckDB's COPY into a temporary file, then renamed into place."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from wellprod_tui.files import atomic_target
from wellprod_tui.queries import View
from wellprod_tui.store import Connection, Error, is_disk_full, production_is_sorted

log = logging.getLogger(__name__)
#: First characters that make a spreadsheet run a cell as a formula (OWASP's list).
FORMULA_STARTS = "'=', '+', '-', '@', chr(9), chr(13)"


class ExportError(Exception):
    """An export that wrote nothing; the message names the path and the reason."""


@dataclass(frozen=True)
class ExportResult:
    """Where an export went and how many rows it holds."""

    path: Path | None
    rows: int


def export_file_name(view: View, when: datetime | None = None) -> str:
    """A file name that says the scope and the time: ``well-59806-20261126T101500.csv``."""
    return f"{view.name}-{(when or datetime.now()).strftime('%Y%m%dT%H%M%S')}.csv"


def formula_safe(column: str) -> str:
    """SQL: the text column with a quote before a first character that would start a formula; plain
    numbers such as -5 are left alone (a spreadsheet reads them as numbers, not formulas)."""
    return (
        f"CASE WHEN left({column}, 1) IN ({FORMULA_STARTS}) AND TRY_CAST({column} AS DOUBLE) IS NULL "
        f"THEN '''' || {column} ELSE {column} END"
    )


def neutralised_sql(view: View, sql: str | None = None) -> str:
    """The view (or its ``sql``) with text cells that start like a formula prefixed by a quote."""
    sql = sql or view.sql
    if not view.text_columns:
        return sql
    replaced = ", ".join(f"{formula_safe(c)} AS {c}" for c in view.text_columns)
    return f"SELECT * REPLACE ({replaced}) FROM ({sql})"


def export_view(
    con: Connection,
    view: View,
    target: Path | None = None,
    export_dir: Path | None = None,
    neutralise_formulas: bool = True,
    overwrite: bool = False,
) -> ExportResult:
    """Write the whole view as CSV to ``target`` (or a named file in ``export_dir``); atomic, no overwrite."""
    if target is None:
        if export_dir is None:
            raise ExportError("no export folder and no output path given")
        target = export_dir / export_file_name(view)
    target = Path(target)
    if target.is_dir():
        target = target / export_file_name(view)
    if target.exists() and not overwrite:
        raise ExportError(
            f"{target}: already exists; choose another name, or overwrite it (--force, [export] overwrite = true)"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{target.parent}: cannot write here ({exc.strerror or exc})") from exc
    try:
        with atomic_target(target) as tmp:
            written = _copy(con, view, tmp, neutralise_formulas)
    except (Error, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if is_disk_full(reason):
            reason = f"the disk is full ({reason})"
        raise ExportError(f"{target}: export failed, nothing written: {reason}") from exc
    log.info("exported %s rows of %s to %s", written, view.name, target)
    return ExportResult(target, written)


def export_to_stream(
    con: Connection, view: View, stream: BinaryIO | None = None, neutralise_formulas: bool = True
) -> int:
    """Write the view as CSV to a binary stream (stdout by default); returns the row count."""
    out = stream or sys.stdout.buffer
    with tempfile.TemporaryDirectory(prefix="wellprod-export-") as folder:
        tmp = Path(folder) / "export.csv"
        written = _copy(con, view, tmp, neutralise_formulas)
        with tmp.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    out.flush()
    return written


def _copy(con: Connection, view: View, path: Path, neutralise: bool) -> int:
    """COPY the view in one snapshot: the order flag and the rows it describes come from the same state."""
    con.execute("BEGIN TRANSACTION")
    try:
        sql = view.unordered_sql if view.unordered_sql and production_is_sorted(con) else view.sql
        sql = neutralised_sql(view, sql) if neutralise else sql
        escaped = str(path).replace("'", "''")
        row = con.execute(f"COPY ({sql}) TO '{escaped}' (HEADER, DELIMITER ',')", list(view.params)).fetchone()
    finally:
        con.execute("ROLLBACK")
    return int(row[0]) if row else 0
