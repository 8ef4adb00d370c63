"""``wellprod lake push``: the months the file's imports changed, written into the team's Iceberg table in one
commit that replaces those months (an overwrite filter), rows sorted by well and month. The snapshot and the
imports it carried are logged in ``lake_syncs``, so the next push sends only what came after."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from wellprod_tui.export.lake import LAKE_COLUMNS
from wellprod_tui.storage import lake_table
from wellprod_tui.storage.connection import Connection
from wellprod_tui.storage.lake_table import LakeError, LakeTarget


@dataclass(frozen=True)
class PushResult:
    """What a push wrote: the snapshot (None: nothing to push), months replaced, rows written, imports carried."""

    snapshot_id: int | None
    months: int
    rows: int
    imports: int


def changed_months_sql(import_ids: list[int]) -> str:
    """The months holding a row that one of ``import_ids`` inserted or changed (its rows carry the import's
    start time as updated_at, which merge sets)."""
    ids = ", ".join(str(int(i)) for i in import_ids) or "NULL"
    return f"""SELECT DISTINCT production_period FROM production
        WHERE updated_at IN (SELECT started_at FROM imports WHERE id IN ({ids}))"""


def push(con: Connection, target: LakeTarget) -> PushResult:
    """Replace in the table every month the unpushed imports changed with the store's rows of those months."""
    table = lake_table.open_table(target)  # LakeError first when the lake extra is missing
    from pyiceberg.exceptions import CommitFailedException

    import_ids = lake_table.unpushed_import_ids(con, target.table)
    months = [m for (m,) in con.execute(f"{changed_months_sql(import_ids)} ORDER BY 1").fetchall()]
    if not months:
        return PushResult(None, 0, 0, len(import_ids))
    rows = con.sql(
        f"""SELECT {", ".join(LAKE_COLUMNS)} FROM production
            WHERE production_period IN ({changed_months_sql(import_ids)}) ORDER BY well_code, production_period"""
    ).to_arrow_table()
    assert rows is not None
    before = table.current_snapshot()
    try:
        with warnings.catch_warnings():  # a month new to the table has nothing to replace: pyiceberg says so
            warnings.filterwarnings("ignore", "Delete operation did not match any records")
            table.overwrite(rows.cast(table.schema().as_arrow()), overwrite_filter=lake_table.months_filter(months),
                            snapshot_properties={lake_table.MONTHS_PROPERTY: ",".join(m.isoformat() for m in months)})
    except CommitFailedException as exc:
        raise LakeError(f"{target.table}: someone else committed meanwhile; push again ({exc})") from exc
    made = lake_table.snapshots_since(table, None if before is None else before.snapshot_id)
    assert made, "an overwrite makes a snapshot"
    lake_table.record_sync(con, target.table, "push", made, import_ids, len(months))
    return PushResult(made[-1], len(months), rows.num_rows, len(import_ids))

