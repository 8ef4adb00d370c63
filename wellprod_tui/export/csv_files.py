"""CSV files of any view: streamed by DuckDB's COPY into a temporary file, then renamed into place."""

from __future__ import annotations

import logging
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from wellprod_tui.core.domain import whole_number_text
from wellprod_tui.core.files import atomic_target
from wellprod_tui.core.formulas import formula_safe
from wellprod_tui.core.sql_text import sql_literal
from wellprod_tui.queries import View
from wellprod_tui.storage.connection import Connection, Error, InterruptException, is_disk_full, production_is_sorted

log = logging.getLogger(__name__)


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


def file_sql(view: View, sql: str, neutralise: bool) -> str:
    """The view's ``sql`` as its rows are written to a file: whole numbers of its ``whole_columns`` without
    a trailing .0, and (``neutralise``) text cells that start like a formula prefixed by a quote."""
    replaced = [f"{whole_number_text(c)} AS {c}" for c in view.whole_columns]
    replaced += [f"{formula_safe(c)} AS {c}" for c in view.text_columns] if neutralise else []
    return f"SELECT * REPLACE ({', '.join(replaced)}) FROM ({sql})" if replaced else sql


def export_view(
    con: Connection,
    view: View,
    target: Path | None = None,
    export_dir: Path | None = None,
    neutralise_formulas: bool = True,
    overwrite: bool = False,
    excel_bom: bool = False,
) -> ExportResult:
    """Write the whole view as CSV to ``target`` (or a named file in ``export_dir``); atomic, no overwrite;
    ``excel_bom`` starts the file with a UTF-8 byte-order mark (Excel then reads it as UTF-8)."""
    if target is None:
        if export_dir is None:
            raise ExportError("no export folder and no output path given")
        target = export_dir / export_file_name(view)
    target = Path(target)
    if target.is_dir():
        target = target / export_file_name(view)
    if target.is_symlink():  # the file it points to is the one replaced, the link stays
        try:
            target = target.resolve(strict=False)
        except (RuntimeError, OSError) as exc:  # a loop of links: Python says RuntimeError or OSError(ELOOP)
            raise ExportError(f"{target}: a loop of symbolic links, not a file; nothing written") from exc
    kind = _existing_kind(target)
    if kind == "stream":  # a FIFO or a character device (/dev/null, a terminal): written to, never replaced
        return _export_to_device(con, view, target, neutralise_formulas, excel_bom)
    if kind is not None and kind != "file":
        raise ExportError(f"{target}: is a {kind}, not a file; nothing written")
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
            written = _copy_with_bom(con, view, tmp, neutralise_formulas) if excel_bom else _copy(
                con, view, tmp, neutralise_formulas
            )
    except InterruptException:
        raise
    except (Error, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if is_disk_full(reason):
            reason = f"the disk is full ({reason})"
        raise ExportError(f"{target}: export failed, nothing written: {reason}") from exc
    log.info("exported %s rows of %s to %s", written, view.name, target)
    return ExportResult(target, written)


def _existing_kind(target: Path) -> str | None:
    """None when nothing is there; "file", "stream" (FIFO, character device), or what else it is."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream"
    return "block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode) else "special file"


def _export_to_device(con: Connection, view: View, target: Path, neutralise: bool, bom: bool) -> ExportResult:
    try:
        with target.open("wb") as out:
            written = export_to_stream(con, view, out, neutralise, bom)
    except InterruptException:
        raise
    except (Error, OSError) as exc:
        raise ExportError(f"{target}: export failed: {str(exc).splitlines()[0] if str(exc) else exc}") from exc
    log.info("exported %s rows of %s to %s", written, view.name, target)
    return ExportResult(target, written)


def export_to_stream(
    con: Connection,
    view: View,
    stream: BinaryIO | None = None,
    neutralise_formulas: bool = True,
    excel_bom: bool = False,
) -> int:
    """Write the view as CSV to a binary stream (stdout by default); returns the row count."""
    out = stream or sys.stdout.buffer
    with tempfile.TemporaryDirectory(prefix="wellprod-export-") as folder:
        tmp = Path(folder) / "export.csv"
        written = _copy(con, view, tmp, neutralise_formulas)
        if excel_bom:
            out.write(UTF8_BOM)
        with tmp.open("rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    out.flush()
    return written


UTF8_BOM = b"\xef\xbb\xbf"


def _copy_with_bom(con: Connection, view: View, path: Path, neutralise: bool) -> int:
    """COPY the view to ``path`` behind a UTF-8 byte-order mark (DuckDB writes none): one more pass over
    the file, only when asked for."""
    body = path.with_name(path.name + ".body")
    try:
        written = _copy(con, view, body, neutralise)
        with path.open("wb") as out, body.open("rb") as src:
            out.write(UTF8_BOM)
            shutil.copyfileobj(src, out, 1 << 20)
    finally:
        body.unlink(missing_ok=True)
    return written


def _copy(con: Connection, view: View, path: Path, neutralise: bool) -> int:
    """COPY the view in one snapshot: the order flag and the rows it describes come from the same state."""
    con.execute("BEGIN TRANSACTION")
    try:
        sql = view.unordered_sql if view.unordered_sql and production_is_sorted(con) else view.sql
        sql = file_sql(view, sql, neutralise)
        copy = f"COPY ({sql}) TO {sql_literal(str(path))} (HEADER, DELIMITER ',')"
        row = con.execute(copy, list(view.params)).fetchone()
    finally:
        _rollback(con)
    return int(row[0]) if row else 0


def _rollback(con: Connection) -> None:
    """Roll back, even if an interrupt meant for the COPY is still pending."""
    for _ in range(3):
        try:
            con.execute("ROLLBACK")
            return
        except InterruptException:
            continue
