"""The database's tables: production, the import log, meta, and the derived tables kept beside production.

The derived tables (one row per well, per field and well, per field and month) are rebuilt inside the
import's transaction whenever rows change, so screens, search, top lists and stats read a few thousand
rows instead of scanning millions. Owned by ``store``: nothing here opens a connection.
"""

from __future__ import annotations

import duckdb

from wellprod_tui.domain import RECORD_COLUMNS, volume

SCHEMA_VERSION = 1
#: The production table's columns and types, in the seed's order, then the store's timestamps.
PRODUCTION_TYPES: dict[str, str] = {
    "field_code": "BIGINT",
    "field_name": "VARCHAR",
    "well_code": "BIGINT NOT NULL",
    "well_reference": "VARCHAR",
    "well_name": "VARCHAR",
    "production_period": "DATE NOT NULL",
    "days_on_production": "DOUBLE",
    "oil_production_kbd": "DOUBLE",
    "gas_production_mmcfd": "DOUBLE",
    "liquids_production_kbd": "DOUBLE",
    "water_production_kbd": "DOUBLE",
    "data_source": "VARCHAR",
    "source_data": "VARCHAR",
    "partition_0": "VARCHAR",
    "created_at": "TIMESTAMP NOT NULL",
    "updated_at": "TIMESTAMP NOT NULL",
}
assert tuple(PRODUCTION_TYPES)[: len(RECORD_COLUMNS)] == RECORD_COLUMNS


def production_ddl(name: str = "production") -> str:
    """CREATE TABLE statement of the production table (or a twin called ``name``)."""
    columns = ", ".join(f"{column} {kind}" for column, kind in PRODUCTION_TYPES.items())
    return f"CREATE TABLE IF NOT EXISTS {name} ({columns})"


_BASE_TABLES = [
    production_ddl(),
    """CREATE TABLE IF NOT EXISTS imports (
        id BIGINT, file VARCHAR, size_bytes BIGINT, sha256 VARCHAR, format VARCHAR,
        started_at TIMESTAMP, finished_at TIMESTAMP, records BIGINT, inserted BIGINT, updated BIGINT,
        unchanged BIGINT, rejected BIGINT, warnings BIGINT, rejects_file VARCHAR, status VARCHAR,
        message VARCHAR)""",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR)",
    # added later: the process that ran the import (an app tells its own imports from cron's)
    "ALTER TABLE imports ADD COLUMN IF NOT EXISTS pid BIGINT",
]

#: One row per field and well: a well that moved between fields counts in each for its own months.
#: Names as last reported, periods, cumulative volumes, and the rates of the last month (NULL stays NULL:
#: never a rate from another month).
FIELD_WELLS_SQL = f"""
SELECT field_code, well_code,
       arg_max(well_name, production_period) AS well_name,
       arg_max(well_reference, production_period) AS well_reference,
       arg_max(field_name, production_period) AS field_name,
       min(production_period) AS first_period,
       max(production_period) AS last_period,
       count(*) AS months,
       sum({volume("oil_production_kbd")}) AS oil_kbbl,
       sum({volume("gas_production_mmcfd")}) AS gas_mmcf,
       sum({volume("water_production_kbd")}) AS water_kbbl,
       sum({volume("liquids_production_kbd")}) AS liquids_kbbl,
       arg_max_null(oil_production_kbd, production_period) AS last_oil_kbd,
       arg_max_null(gas_production_mmcfd, production_period) AS last_gas_mmcfd,
       arg_max_null(water_production_kbd, production_period) AS last_water_kbd
FROM production GROUP BY field_code, well_code ORDER BY field_code, well_code"""

#: One row per well, from the rows per field and well (thousands, not millions); its field is the one
#: it last reported under, its last rates those of that last month.
WELL_SUMMARY_SQL = """
SELECT well_code,
       arg_max(well_name, last_period) AS well_name,
       arg_max(well_reference, last_period) AS well_reference,
       arg_max(field_code, last_period) AS field_code,
       arg_max(field_name, last_period) AS field_name,
       min(first_period) AS first_period,
       max(last_period) AS last_period,
       sum(months) AS months,
       sum(oil_kbbl) AS oil_kbbl,
       sum(gas_mmcf) AS gas_mmcf,
       sum(water_kbbl) AS water_kbbl,
       sum(liquids_kbbl) AS liquids_kbbl,
       arg_max_null(last_oil_kbd, last_period) AS last_oil_kbd,
       arg_max_null(last_gas_mmcfd, last_period) AS last_gas_mmcfd,
       arg_max_null(last_water_kbd, last_period) AS last_water_kbd
FROM field_wells GROUP BY well_code ORDER BY well_code"""

FIELD_MONTHLY_SQL = f"""
SELECT field_code, production_period,
       sum(oil_production_kbd) AS oil_kbd,
       sum(gas_production_mmcfd) AS gas_mmcfd,
       sum(water_production_kbd) AS water_kbd,
       sum(liquids_production_kbd) AS liquids_kbd,
       sum({volume("oil_production_kbd")}) AS oil_kbbl,
       sum({volume("gas_production_mmcfd")}) AS gas_mmcf,
       sum({volume("water_production_kbd")}) AS water_kbbl,
       sum({volume("liquids_production_kbd")}) AS liquids_kbbl,
       count(*) FILTER (WHERE days_on_production > 0) AS producing_wells,
       count(*) AS reporting_wells
FROM production GROUP BY field_code, production_period ORDER BY field_code, production_period"""
#: The derived tables, in the order they are built (well_summary reads field_wells).
DERIVED_TABLES = {"field_wells": FIELD_WELLS_SQL, "well_summary": WELL_SUMMARY_SQL, "field_monthly": FIELD_MONTHLY_SQL}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables of an empty database, and derived tables an older database lacks; idempotent."""
    for statement in _BASE_TABLES:
        con.execute(statement)
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    if not derived_tables_complete(con):
        refresh_derived_tables(con)


def refresh_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the derived tables from production (inside the caller's transaction)."""
    for name, sql in DERIVED_TABLES.items():
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")


def derived_tables_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has every derived table (one made by an older wellprod may not)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND list_contains(?, table_name)",
        [list(DERIVED_TABLES)],
    ).fetchone()
    return bool(row and row[0] == len(DERIVED_TABLES))


def double_count_notes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Fields that hold both field-total rows (a "well" whose code is the field's) and real wells' rows:
    their totals add the two, which a user importing both kinds of file should know."""
    found = con.execute(
        """SELECT field_code, arg_max(field_name, last_period), count(*) - 1 FROM field_wells
           GROUP BY field_code HAVING bool_or(well_code = field_code) AND count(*) > 1
           ORDER BY field_code LIMIT 6"""
    ).fetchall()
    return [
        f"field {code} {name or ''}: has field-total rows (well_code = field code) and {wells} other well(s); "
        "its totals add both"
        for code, name, wells in found
    ]
