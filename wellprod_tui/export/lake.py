"""The production table as a Parquet lake that Spark, Trino, Athena, polars and DuckDB read natively: hive
folders ``year=YYYY/``, one zstd file per year sorted by well and month (row groups of ~100k rows), the
record's 16 columns with their types. Written beside the target and renamed into place, so a reader never
sees half a lake."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wellprod_tui.core.domain import RECORD_COLUMNS
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.sql_text import sql_literal
from wellprod_tui.export.csv_files import ExportError
from wellprod_tui.storage.connection import Connection

#: The record's columns, then the store's timestamps: what every file of the lake holds.
LAKE_COLUMNS = (*RECORD_COLUMNS, "created_at", "updated_at")
ROW_GROUP_ROWS = 100_000
#: Told after each year's file: (years written, years in all).
LakeProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class LakeResult:
    """What a lake export wrote."""

    path: Path
    files: int
    rows: int
    bytes: int


def export_lake(
    con: Connection, target: Path, window: Window = ALL, force: bool = False, progress: LakeProgress | None = None,
    wells: str | None = None,
) -> LakeResult:
    """Write the records (within ``window``; of the wells the SQL subquery ``wells`` selects, when given) as a
    hive-partitioned Parquet folder at ``target``; an existing folder is replaced only with ``force``. Nothing is
    left behind on failure or interrupt."""
    target = target.absolute()
    if target.exists() and not force:
        raise ExportError(f"{target}: already exists (--force replaces it)")
    if target.exists() and not is_lake(target):
        raise ExportError(f"{target}: not a lake wellprod wrote (only year=YYYY/ folders of .parquet files are "
                          "replaced, never a folder holding anything else); choose a new folder")
    where = window.where() if wells is None else f"{window.where()} AND well_code IN ({wells})"
    if not con.execute(f"SELECT 1 FROM production WHERE {where} LIMIT 1").fetchone():
        raise ExportError(f"{target}: no record {'in ' + window.label if not window.is_all else 'to export'}"
                          f"{' of the chosen wells' if wells is not None else ''}; "
                          "nothing written")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp's 0700 would keep Spark, Trino and other users out
    except OSError as exc:
        raise ExportError(f"{target.parent}: cannot write there ({exc.strerror})") from exc
    try:
        files, rows = _write_years(con, staging, where, progress)
        written = sum(p.stat().st_size for p in staging.rglob("*.parquet"))
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return LakeResult(target, files, rows, written)


def _write_years(con: Connection, staging: Path, where: str, progress: LakeProgress | None) -> tuple[int, int]:
    """One COPY per year of the rows ``where`` keeps, each ordered: DuckDB's parallel partitioned writer would not
    keep the order."""
    years = [y for (y,) in con.execute(
        f"SELECT DISTINCT year(production_period) FROM production WHERE {where} ORDER BY 1"
    ).fetchall()]
    columns = ", ".join(LAKE_COLUMNS)
    rows = 0
    for done, year in enumerate(years, start=1):
        folder = staging / f"year={year}"
        folder.mkdir()
        (written,) = con.execute(
            f"""COPY (SELECT {columns} FROM production
                WHERE production_period >= make_date({year}, 1, 1) AND production_period < make_date({year + 1}, 1, 1)
                  AND {where}
                ORDER BY well_code, production_period)
            TO {sql_literal(str(folder / "part-0.parquet"))}
            (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"""
        ).fetchone() or (0,)
        rows += int(written)
        if progress is not None:
            progress(done, len(years))
    return len(years), rows


def is_lake(folder: Path) -> bool:
    """Whether ``folder`` holds nothing but what a lake export writes: ``year=YYYY/`` folders of .parquet files."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    for entry in folder.iterdir():
        if not (entry.is_dir() and not entry.is_symlink() and re.fullmatch(r"year=\d{1,4}", entry.name)):
            return False
        if any(not (f.is_file() and f.suffix == ".parquet") for f in entry.iterdir()):
            return False
    return True


def _swap_in(staging: Path, target: Path) -> None:
    """Rename the finished folder into place (an old one is moved aside first and removed after)."""
    if not target.exists():
        staging.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{staging.name}")
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
