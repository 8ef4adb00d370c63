"""The team's Iceberg table (the ``wellprod[lake]`` extra): its catalog, its shape (the production table's 16
columns, partitioned by year of the month, sorted by well and month), and the local log of what was pushed and
pulled (``lake_syncs``). pyiceberg is imported here only, and only when a lake command runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

from wellprod_tui.storage.connection import Connection
from wellprod_tui.storage.schema import PRODUCTION_TYPES

if TYPE_CHECKING:
    from pyiceberg.catalog import Catalog
    from pyiceberg.expressions import BooleanExpression
    from pyiceberg.table import Table

#: The snapshot summary key under which a push lists the months it replaced (YYYY-MM-DD, comma-separated):
#: a pull reads them there instead of from the files pyiceberg rewrote around them.
MONTHS_PROPERTY = "wellprod.months"


class LakeError(Exception):
    """The lake cannot be used as configured (extra missing, catalog unreachable, table of another shape)."""


@dataclass(frozen=True)
class LakeTarget:
    """Where the table lives: catalog kind and URI, warehouse, and ``namespace.name``."""

    catalog_type: str
    catalog_uri: str
    warehouse: str
    table: str


def open_table(target: LakeTarget) -> Table:
    """Load the table, creating its namespace and itself on first use; LakeError saying what is missing."""
    try:
        from pyiceberg.catalog import load_catalog
        from pyiceberg.exceptions import NoSuchTableError
    except ImportError as exc:
        raise LakeError("the lake commands need the lake extra: pip install 'wellprod[lake]'") from exc
    namespace, _, name = target.table.rpartition(".")
    if not namespace or not name:
        raise LakeError(f"[lake] table: {target.table!r} is not namespace.name")
    _make_local_folders(target)
    try:
        catalog = load_catalog("wellprod", type=target.catalog_type, uri=target.catalog_uri,
                               warehouse=target.warehouse)
        try:
            return catalog.load_table(target.table)
        except NoSuchTableError:
            catalog.create_namespace_if_not_exists(namespace)
            return _create(catalog, target.table)
    except LakeError:
        raise
    except Exception as exc:  # the catalog's own errors are many (SQLAlchemy, HTTP, AWS): all say why
        raise LakeError(f"lake table {target.table} at {target.catalog_uri}: {exc}") from exc


def _make_local_folders(target: LakeTarget) -> None:
    """A sqlite catalog's folder and a local warehouse are made if missing (remote ones are the team's)."""
    if target.catalog_uri.startswith("sqlite:///"):
        Path(target.catalog_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    warehouse = urlparse(target.warehouse)
    if warehouse.scheme in ("", "file"):
        Path(warehouse.path).mkdir(parents=True, exist_ok=True)


def _create(catalog: Catalog, identifier: str) -> Table:
    """The table: the store's columns (all optional, as Parquet readers expect), year partitions, well order."""
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table.sorting import SortField, SortOrder
    from pyiceberg.transforms import IdentityTransform, YearTransform
    from pyiceberg.types import DateType, DoubleType, LongType, NestedField, StringType, TimestampType

    kinds = {"BIGINT": LongType(), "VARCHAR": StringType(), "DATE": DateType(), "DOUBLE": DoubleType(),
             "TIMESTAMP": TimestampType()}
    fields = [NestedField(field_id, column, kinds[kind.split()[0]], required=False)
              for field_id, (column, kind) in enumerate(PRODUCTION_TYPES.items(), start=1)]
    ids = {f.name: f.field_id for f in fields}
    spec = PartitionSpec(PartitionField(ids["production_period"], 1000, YearTransform(), "production_year"))
    order = SortOrder(SortField(ids["well_code"], IdentityTransform()),
                      SortField(ids["production_period"], IdentityTransform()))
    return catalog.create_table(identifier, Schema(*fields), partition_spec=spec, sort_order=order)


def now() -> datetime:
    """UTC without a zone, as the store keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


def unpushed_import_ids(con: Connection, table: str) -> list[int]:
    """Completed imports whose changes the table has not had yet (neither pushed nor pulled from it)."""
    return [int(i) for (i,) in con.execute(
        """SELECT id FROM imports WHERE status = 'completed' AND id NOT IN (
               SELECT import_id FROM lake_syncs WHERE table_name = ? AND import_id IS NOT NULL) ORDER BY id""",
        [table],
    ).fetchall()]


def pushed_snapshots(con: Connection, table: str) -> set[int]:
    """Snapshots this file's pushes made (a pull need not read them back)."""
    found = con.execute("SELECT snapshot_id FROM lake_syncs WHERE table_name = ? AND direction = 'push'", [table])
    return {int(s) for (s,) in found.fetchall()}


def last_pulled_snapshot(con: Connection, table: str) -> int | None:
    """The snapshot the last pull caught up to (None: never pulled)."""
    found = con.execute("SELECT snapshot_id FROM lake_syncs WHERE table_name = ? AND direction = 'pull' "
                        "ORDER BY synced_at DESC LIMIT 1", [table]).fetchone()
    return None if found is None else int(found[0])


def record_sync(con: Connection, table: str, direction: str, snapshots: list[int], import_ids: Sequence[int | None],
                months: int) -> None:
    """Log a push (its snapshots, the imports it carried) or a pull (the snapshot reached, its import)."""
    at = now()
    rows = [(table, direction, snapshots[-1], i, months, at) for i in import_ids]
    rows += [(table, direction, s, None, months, at) for s in snapshots[:-1]]
    con.executemany("INSERT INTO lake_syncs VALUES (?, ?, ?, ?, ?, ?)", rows)


def snapshots_since(table: Table, since: int | None) -> list[int] | None:
    """The snapshot ids after ``since`` up to the current one, oldest first; None when ``since`` is not an
    ancestor of the current snapshot (the table was rewritten or its history expired)."""
    ids: list[int] = []
    snapshot = table.current_snapshot()
    while snapshot is not None and snapshot.snapshot_id != since:
        ids.append(snapshot.snapshot_id)
        parent = snapshot.parent_snapshot_id
        snapshot = None if parent is None else table.snapshot_by_id(parent)
    if since is not None and snapshot is None:
        return None
    return ids[::-1]


def months_filter(months: Sequence[date] | None) -> BooleanExpression:
    """The rows of those months (every row when None), as an Iceberg filter."""
    from pyiceberg.expressions import AlwaysTrue, In

    if months is None:
        return AlwaysTrue()
    found: BooleanExpression = cast(Any, In)("production_period", [m.isoformat() for m in months])
    return found  # pydantic hides In's signature from mypy
