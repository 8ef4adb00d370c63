"""``wellprod lake pull``: the months others changed in the team's Iceberg table since this file's last pull,
imported through the one import path (one transaction, every validation rule) from a temporary Parquet file of
the table's current rows of those months. The table is read through pyiceberg, never its folder as plain
Parquet (replaced files would count twice)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wellprod_tui.core.config import Config
from wellprod_tui.core.domain import RECORD_COLUMNS
from wellprod_tui.importing.job import ImportJob
from wellprod_tui.importing.report import ImportSummary, ProgressCallback
from wellprod_tui.storage import lake_table
from wellprod_tui.storage.connection import Connection, scalar
from wellprod_tui.storage.lake_table import LakeTarget

if TYPE_CHECKING:
    from pyiceberg.table import Table


@dataclass(frozen=True)
class PullResult:
    """What a pull did: the snapshot reached (None: the table is empty), months read, and the import's summary
    (None when nothing new was there)."""

    snapshot_id: int | None
    months: int
    summary: ImportSummary | None


def pull(con: Connection, cfg: Config, target: LakeTarget, on_progress: ProgressCallback | None = None) -> PullResult:
    """Import the months changed by snapshots after the last pulled one (all of them on a first pull),
    leaving out the snapshots this file pushed itself."""
    table = lake_table.open_table(target)
    current = table.current_snapshot()
    if current is None:
        return PullResult(None, 0, None)
    last = lake_table.last_pulled_snapshot(con, target.table)
    if last == current.snapshot_id:
        return PullResult(last, 0, None)
    since = None if last is None else lake_table.snapshots_since(table, last)  # None: read the whole table
    months = _changed_months(table, None if since is None else set(since) - lake_table.pushed_snapshots(
        con, target.table))
    summary, read = None, 0
    if months is None or months:
        summary, read = _import_months(con, cfg, table, months, f"{target.table}-snapshot-{current.snapshot_id}",
                                       on_progress)
    import_id = None if summary is None else scalar(con, "SELECT max(id) FROM imports")
    lake_table.record_sync(con, target.table, "pull", [current.snapshot_id], [import_id], read)
    return PullResult(current.snapshot_id, read, summary)


def _changed_months(table: Table, snapshots: set[int] | None) -> list[date] | None:
    """The months those snapshots changed (None: every month, on a first pull): as a push listed them, else
    the months in the live data files the snapshot added."""
    if snapshots is None:
        return None
    months: set[date] = set()
    unlisted: set[int] = set()
    for snapshot_id in snapshots:
        snapshot = table.snapshot_by_id(snapshot_id)
        listed = None if snapshot is None or snapshot.summary is None else snapshot.summary.get(
            lake_table.MONTHS_PROPERTY)
        if listed is None:
            unlisted.add(snapshot_id)
        else:
            months.update(date.fromisoformat(m) for m in listed.split(",") if m)
    return sorted(months | _months_in_added_files(table, unlisted))


def _months_in_added_files(table: Table, snapshots: set[int]) -> set[date]:
    """The months in the data files those snapshots added that are still live (another engine's writes)."""
    if not snapshots:
        return set()
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    entries = table.inspect.entries()
    live = entries.filter(pc.and_(pc.not_equal(entries["status"], 2),
                                  pc.is_in(entries["snapshot_id"], pa.array(sorted(snapshots), pa.int64()))))
    months: set[date] = set()
    for path in pc.struct_field(live["data_file"], "file_path").to_pylist():
        with table.io.new_input(path).open() as handle:
            column = pq.read_table(handle, columns=["production_period"])["production_period"]
        months.update(m for m in pc.unique(column).to_pylist() if m is not None)
    return months


def _import_months(con: Connection, cfg: Config, table: Table, months: list[date] | None, name: str,
                   on_progress: ProgressCallback | None) -> tuple[ImportSummary, int]:
    """The table's rows of ``months`` (every row when None) as one import; its summary and the months read."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rows = table.scan(row_filter=lake_table.months_filter(months)).to_arrow()
    with tempfile.TemporaryDirectory(prefix="wellprod-pull-") as folder:
        path = Path(folder) / f"{name}.parquet"
        pq.write_table(rows.select(list(RECORD_COLUMNS)), path, compression="zstd")  # the store sets its times
        read = len(pc.unique(rows["production_period"]))
        return ImportJob.from_config(con, path, cfg, on_progress).run(), read
