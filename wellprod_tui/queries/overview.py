"""The database as a whole: record counts, stats, the import log, total monthly rates, top lists, every record."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from wellprod_tui.core.domain import (
    RECORD_COLUMNS,
    whole_number_text,
)
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.core.units import FIELD, UnitSystem
from wellprod_tui.core.vocabulary import MEASURED_PHASES
from wellprod_tui.queries.views import RATE_COLUMNS, VOLUME_COLUMNS, View, scope
from wellprod_tui.queries.well_sets import WellSelection
from wellprod_tui.storage.connection import Connection, database_path, records, scalar
from wellprod_tui.storage.schema import WELL_FIGURES


def record_count(con: Connection) -> int:
    """How many records the database holds."""
    return int(scalar(con, "SELECT count(*) FROM production"))


#: Stored volume columns of the derived tables, by phase.
def stats(con: Connection, units: UnitSystem = FIELD, window: Window = ALL) -> dict[str, Any]:
    """Records, wells, fields, periods, total volumes, database path and size, last import. Volumes count a
    field's wells, and its field-level rows only in months without wells (never both); ``fields_with_both``
    counts the fields that hold both (``allocation_view`` lists them). In a window, volumes, periods and
    fields are the window's, wells those reporting across it; records and imports stay the database's."""
    records_n = scalar(con, "SELECT count(*) FROM production")
    volumes = ", ".join(units.column(f"sum({c})", p, "total", p) for p, c in VOLUME_COLUMNS.items())
    if window.is_all:
        sql = f"""SELECT (SELECT count(*) FROM well_summary) AS wells, count(field_code) AS fields,
                  min(first_period) AS first_period, max(last_period) AS last_period, {volumes},
                  count(*) FILTER (WHERE months_both > 0) AS fields_with_both
           FROM field_summary"""
    else:
        sql = f"""SELECT (SELECT count(*) FROM well_summary WHERE {window.overlaps()}) AS wells,
                  count(DISTINCT field_code) AS fields,
                  min(production_period) AS first_period, max(production_period) AS last_period, {volumes},
                  (SELECT count(*) FROM field_summary WHERE months_both > 0) AS fields_with_both
           FROM field_monthly WHERE {window.where()}"""
    row = records(con, sql)[0]
    path = database_path(con)
    last = records(
        con,
        """SELECT id, file, format, status, finished_at, records, inserted, updated, unchanged, rejected,
                  warnings FROM imports ORDER BY id DESC LIMIT 1""",
    )
    completed = scalar(con, "SELECT count(*) FROM imports WHERE status = 'completed'")
    return {
        "records": records_n,
        **row,
        "first_period": _month(row["first_period"]),
        "last_period": _month(row["last_period"]),
        "database": str(path),
        "database_bytes": _file_size(path),
        "imports": completed,
        "last_import": last[0] if last else None,
    }


def _month(value: date | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m")


def _file_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    wal = path.with_name(path.name + ".wal")
    return size + (wal.stat().st_size if wal.exists() else 0)


def last_month(con: Connection) -> date | None:
    """The database's last month (first day), None when it holds no record."""
    value = scalar(con, "SELECT max(last_period) FROM field_summary")
    return value if isinstance(value, date) else None


def last_import_id(con: Connection) -> int:
    """The id of the newest row of the import log (0 when empty)."""
    return int(scalar(con, "SELECT coalesce(max(id), 0) FROM imports"))


def completed_imports_since(con: Connection, after_id: int) -> list[dict[str, Any]]:
    """Completed imports logged after ``after_id``, oldest first, with the process that ran each (when known)."""
    return records(
        con,
        "SELECT * FROM imports WHERE id > ? AND status = 'completed' ORDER BY id",
        [after_id],
    )


def imports_view() -> View:
    """The import log, newest first."""
    return View(
        "imports",
        """SELECT id, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, status, format, file, records,
                  inserted, updated, unchanged, rejected, warnings, round(epoch(finished_at - started_at), 2)
                  AS seconds, rejects_file, message
           FROM imports ORDER BY id DESC""",
        text_columns=("file", "rejects_file", "message"),
    )


def total_monthly_view(units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """Total monthly oil, gas and water of the whole database (in a window: its months)."""
    phases = MEASURED_PHASES
    rates = ", ".join(units.column(f"sum({RATE_COLUMNS[p]})", p, "rate", p) for p in phases)
    volumes = ", ".join(units.column(f"sum({VOLUME_COLUMNS[p]})", p, "volume", p) for p in phases)
    where = "" if window.is_all else f"WHERE {window.where()} "
    return View(
        f"monthly-totals{scope(units, window)}",
        f"""SELECT strftime(production_period, '%Y-%m') AS period, {rates}, {volumes},
                  sum(producing_wells) AS producing_wells
           FROM field_monthly {where}GROUP BY production_period ORDER BY production_period""",
    )


def top_wells_view(limit: int = 10, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """Wells by cumulative oil, largest first (in a window: oil within it, read from the production rows)."""
    source = "well_summary"
    if not window.is_all:
        source = f"""(SELECT s.well_code, s.well_name, s.field_name, w.* EXCLUDE (well_code)
                      FROM (SELECT well_code, {WELL_FIGURES} FROM production
                            WHERE {window.where()} AND well_code IN (SELECT well_code FROM well_summary)
                            GROUP BY well_code) w JOIN well_summary s USING (well_code))"""
    return View(
        f"top-wells{scope(units, window)}",
        f"""SELECT well_code, well_name, field_name,
                   {units.column("oil_kbbl", window.cumulative("cum_oil"), "volume", "oil")},
                   {units.column("last_oil_kbd", "last_oil", "rate", "oil")},
                   strftime(last_period, '%Y-%m') AS last_period
            FROM {source} ORDER BY oil_kbbl DESC NULLS LAST, well_code LIMIT {int(limit)}""",
        text_columns=("well_name", "field_name"),
    )


def top_fields_view(limit: int = 10, units: UnitSystem = FIELD, window: Window = ALL) -> View:
    """Fields by cumulative oil, largest first (in a window: within it)."""
    source = "field_summary"
    if not window.is_all:
        source = f"""(SELECT s.field_code, s.field_name, s.wells, sum(m.oil_kbbl) AS oil_kbbl,
                             sum(m.gas_mmcf) AS gas_mmcf
                      FROM field_monthly m JOIN field_summary s ON s.field_code = m.field_code
                      WHERE {window.where("m.production_period")} GROUP BY ALL)"""
    return View(
        f"top-fields{scope(units, window)}",
        f"""SELECT field_code, field_name, wells,
                   {units.column("oil_kbbl", window.cumulative("cum_oil"), "total", "oil")},
                   {units.column("gas_mmcf", window.cumulative("cum_gas"), "total", "gas")}
            FROM {source} WHERE field_code IS NOT NULL
            ORDER BY oil_kbbl DESC NULLS LAST, field_code LIMIT {int(limit)}""",
        text_columns=("field_name",),
    )


def all_records_view(window: Window = ALL, selection: WellSelection | None = None) -> View:
    """Every record (in a window: of its months; with a selection: of its wells), in the seed's columns and
    order, then created_at and updated_at; in stored units always, so that the file imports again."""
    columns = []
    for name in RECORD_COLUMNS:
        if name == "production_period":
            columns.append("strftime(production_period, '%Y-%m') AS production_period")
        elif name == "days_on_production":
            columns.append(f"{whole_number_text(name)} AS {name}")
        else:
            columns.append(name)
    columns += ["created_at", "updated_at"]
    conditions = ([] if window.is_all else [window.where()]) + (
        [f"well_code IN ({selection.subquery})"] if selection else [])
    unordered = f"SELECT {', '.join(columns)} FROM production"
    if conditions:
        unordered += f" WHERE {' AND '.join(conditions)}"
    return View(
        f"{'set-records' if selection else 'all-records'}{window.slug}",
        f"{unordered} ORDER BY well_code, production_period",
        text_columns=("field_name", "well_reference", "well_name", "data_source", "source_data", "partition_0"),
        unordered_sql=unordered,
    )


