"""The database's tables: production, the import log, meta, and the derived tables kept beside production.

The derived tables (one row per well, per field and well, per field and month) are rebuilt inside the
import's transaction whenever rows change, so screens, search, top lists and stats read a few thousand
rows instead of scanning millions. Owned by ``store``: nothing here opens a connection.
"""

from __future__ import annotations

import re

import duckdb

from wellprod_tui.core.api_numbers import header_key_sql
from wellprod_tui.core.domain import PRODUCING, RECORD_COLUMNS, volume

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


def revisions_ddl() -> str:
    """CREATE TABLE statement of the revision trail: every superseded production row as it was, with the
    import that replaced it and when."""
    columns = ", ".join(f"{column} {kind}" for column, kind in PRODUCTION_TYPES.items())
    trail = "replaced_by BIGINT NOT NULL, replaced_at TIMESTAMP NOT NULL"
    return f"CREATE TABLE IF NOT EXISTS revisions ({columns}, {trail})"


#: A well header: one row per header key (``core.api_numbers.header_key``: an API-10 for US wellbores, so
#: the sidetracks of one API share it; a well's own code otherwise); columns any header file may give,
#: typed. Every other column of the file is kept as text in ``well_header_attributes``.
WELL_HEADER_TYPES: dict[str, str] = {
    "header_code": "BIGINT NOT NULL",
    "well_name": "VARCHAR",
    "operator": "VARCHAR",
    "formation": "VARCHAR",
    "field": "VARCHAR",
    "county": "VARCHAR",
    "state": "VARCHAR",
    "status": "VARCHAR",
    "well_class": "VARCHAR",
    "spud_date": "DATE",
    "completion_date": "DATE",
    "first_production": "DATE",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "lateral_length_ft": "DOUBLE",
    "md_ft": "DOUBLE",
    "tvd_ft": "DOUBLE",
    "import_id": "BIGINT",
    "updated_at": "TIMESTAMP",
}

WELL_SET_TABLES = [
    f"CREATE TABLE IF NOT EXISTS well_headers ({', '.join(f'{c} {k}' for c, k in WELL_HEADER_TYPES.items())})",
    "CREATE TABLE IF NOT EXISTS well_header_attributes (header_code BIGINT NOT NULL, name VARCHAR NOT NULL, "
    "value VARCHAR)",
    # the attributes a production file gives per month (ECMC's operator and formation), with the month's
    # volumes under each value: a month reported once per formation keeps each formation's share
    """CREATE TABLE IF NOT EXISTS month_attributes (well_code BIGINT NOT NULL, production_period DATE NOT NULL,
        name VARCHAR NOT NULL, value VARCHAR, oil_kbbl DOUBLE, gas_mmcf DOUBLE, water_kbbl DOUBLE,
        liquids_kbbl DOUBLE)""",
    # a saved set: a filter (evaluated when used, so new wells that match belong) or a list of wells
    "CREATE TABLE IF NOT EXISTS well_sets (name VARCHAR NOT NULL, filter VARCHAR, wells BIGINT, "
    "saved_at TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS well_set_members (name VARCHAR NOT NULL, well_code BIGINT NOT NULL)",
]

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
    # added later: the files of a folder, zip or several paths imported as one (JSON: name, size_bytes, sha256)
    "ALTER TABLE imports ADD COLUMN IF NOT EXISTS files VARCHAR",
    # added later: the revision trail (nothing an import replaces is lost)
    revisions_ddl(),
    # added later: well headers, the attributes production files give per month, and saved well sets
    *WELL_SET_TABLES,
    # added later: pushes to and pulls from the team's Iceberg table (which imports went, which snapshots came)
    """CREATE TABLE IF NOT EXISTS lake_syncs (table_name VARCHAR, direction VARCHAR, snapshot_id BIGINT,
        import_id BIGINT, months BIGINT, synced_at TIMESTAMP)""",
    # added later: decline fits kept by a user, newest per well and phase in force; ``options`` is a JSON document
    # of named options (a new option needs no new column)
    """CREATE TABLE IF NOT EXISTS saved_fits (
        well_code BIGINT NOT NULL, phase VARCHAR NOT NULL, options VARCHAR NOT NULL, saved_by VARCHAR NOT NULL,
        saved_at TIMESTAMP NOT NULL)""",
]

#: A field-level row: a record whose well_code is its field's code (a regulator's or operator's field
#: total), not a well. Wells lists, well counts and top wells leave them out.
FIELD_LEVEL = "coalesce(well_code = field_code, false)"

#: A well's figures over its rows (all of them, or a time window's): periods, months, volumes, and the rates
#: of the last month (NULL stays NULL: never a rate from another month).
WELL_FIGURES = f"""min(production_period) AS first_period,
       max(production_period) AS last_period,
       count(*) AS months,
       sum({volume("oil_production_kbd")}) AS oil_kbbl,
       sum({volume("gas_production_mmcfd")}) AS gas_mmcf,
       sum({volume("water_production_kbd")}) AS water_kbbl,
       sum({volume("liquids_production_kbd")}) AS liquids_kbbl,
       arg_max_null(oil_production_kbd, production_period) AS last_oil_kbd,
       arg_max_null(gas_production_mmcfd, production_period) AS last_gas_mmcfd,
       arg_max_null(water_production_kbd, production_period) AS last_water_kbd"""

#: One row per field and well: a well that moved between fields counts in each for its own months.
#: Names as last reported, then WELL_FIGURES. ``field_level`` marks the field's own totals.
FIELD_WELLS_SQL = f"""
SELECT field_code, well_code, {FIELD_LEVEL} AS field_level,
       arg_max(well_name, production_period) AS well_name,
       arg_max(well_reference, production_period) AS well_reference,
       arg_max(field_name, production_period) AS field_name,
       {WELL_FIGURES}
FROM production GROUP BY field_code, well_code ORDER BY field_code, well_code"""

#: One row per well, from the rows per field and well (thousands, not millions); its field is the one
#: it last reported under, its last rates those of that last month; its name its header's where one exists.
#: Field-level rows are not wells.
_WELL_ROWS_SQL = """
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
FROM field_wells WHERE NOT field_level GROUP BY well_code"""
WELL_SUMMARY_SQL = f"""
SELECT s.* REPLACE (coalesce(h.well_name, s.well_name) AS well_name)
FROM ({_WELL_ROWS_SQL}) s LEFT JOIN well_headers h ON h.header_code = {header_key_sql("s.well_code")}
ORDER BY s.well_code"""

_COMPARED = {"oil": "oil_production_kbd", "gas": "gas_production_mmcfd", "water": "water_production_kbd"}
_RATES = {"oil_kbd": "oil_production_kbd", "gas_mmcfd": "gas_production_mmcfd", "water_kbd": "water_production_kbd",
          "liquids_kbd": "liquids_production_kbd"}
_VOLUMES = {"oil_kbd": "oil_kbbl", "gas_mmcfd": "gas_mmcf", "water_kbd": "water_kbbl", "liquids_kbd": "liquids_kbbl"}
_UNIT = {"oil": "kbbl", "gas": "mmcf", "water": "kbbl"}

#: One row per field and month. A month that has wells takes their sum; a month with only the field-level
#: row takes that row (``basis`` says which). The field-level row's volumes (``reported_*``) and the wells'
#: sum (``wells_*``) are kept beside, NULL where absent: the allocation check engineers want.
FIELD_MONTHLY_SQL = f"""
WITH m AS (
    SELECT field_code, production_period,
           count(*) FILTER (WHERE NOT lvl) AS reporting_wells,
           count(*) FILTER (WHERE NOT lvl AND {PRODUCING}) AS producing_wells,
           {", ".join(f"sum({c}) FILTER (WHERE NOT lvl) AS w_{c}, sum({c}) FILTER (WHERE lvl) AS r_{c}"
                      for c in _RATES.values())}
    FROM (SELECT *, {FIELD_LEVEL} AS lvl FROM production) GROUP BY field_code, production_period
)
SELECT field_code, production_period, basis, {", ".join(_RATES)},
       {", ".join(f"{volume(name)} AS {_VOLUMES[name]}" for name in _RATES)},
       {", ".join(f"{volume('r_' + c)} AS reported_{k}_{_UNIT[k]}, {volume('w_' + c)} AS wells_{k}_{_UNIT[k]}"
                  for k, c in _COMPARED.items())},
       producing_wells, reporting_wells
FROM (
    SELECT *, CASE WHEN reporting_wells > 0 THEN 'wells' ELSE 'reported' END AS basis,
           {", ".join(f"CASE WHEN reporting_wells > 0 THEN w_{c} ELSE r_{c} END AS {name}"
                      for name, c in _RATES.items())}
    FROM m
)
ORDER BY field_code, production_period"""

#: A field's figures over its months ``m`` of field_monthly (all of them, or a time window's).
FIELD_TOTALS = f"""min(m.production_period) AS first_period, max(m.production_period) AS last_period,
       count(*) AS months,
       sum(m.oil_kbbl) AS oil_kbbl, sum(m.gas_mmcf) AS gas_mmcf, sum(m.water_kbbl) AS water_kbbl,
       sum(m.liquids_kbbl) AS liquids_kbbl,
       count(*) FILTER (WHERE m.basis = 'reported') AS months_reported_only,
       count(*) FILTER (WHERE m.reporting_wells > 0 AND m.reported_oil_kbbl IS NOT NULL) AS months_both,
       {", ".join(f"sum(m.reported_{k}_{u}) FILTER (WHERE m.reporting_wells > 0) AS reported_{k}_{u}, "
                  f"sum(m.wells_{k}_{u}) FILTER (WHERE m.reported_{k}_{u} IS NOT NULL) AS wells_{k}_{u}"
                  for k, u in _UNIT.items())}"""

#: One row per field (and one for wells without a field): name, wells, periods, cumulative volumes by the
#: rule of field_monthly, and over the months that have both a field-level row and wells, the reported
#: volumes and the wells' sum.
FIELD_SUMMARY_SQL = f"""
SELECT m.field_code, w.field_name, coalesce(w.wells, 0) AS wells,
       {FIELD_TOTALS}
FROM field_monthly m LEFT JOIN (
    SELECT field_code, arg_max(field_name, last_period) AS field_name,
           count(*) FILTER (WHERE NOT field_level) AS wells
    FROM field_wells GROUP BY field_code
) w ON w.field_code IS NOT DISTINCT FROM m.field_code
GROUP BY m.field_code, w.field_name, w.wells ORDER BY m.field_code"""

#: The derived tables, in the order they are built (well_summary reads field_wells; field_summary both).
DERIVED_TABLES = {
    "field_wells": FIELD_WELLS_SQL,
    "well_summary": WELL_SUMMARY_SQL,
    "field_monthly": FIELD_MONTHLY_SQL,
    "field_summary": FIELD_SUMMARY_SQL,
}
#: A column each derived table has only since field-level rows were told apart (older ones are rebuilt).
_NEWEST_COLUMN = ("field_wells", "field_level")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables of an empty database, and derived tables an older database lacks; idempotent."""
    for statement in _BASE_TABLES:
        con.execute(statement)
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    if not derived_tables_complete(con):
        refresh_derived_tables(con)


def stand_in_tables(con: duckdb.DuckDBPyConnection) -> None:
    """On a read-only connection to a database older than the well-set tables: empty temporary ones in
    their place, so that every question can be asked (the file is never written)."""
    here = "database_name = current_database() AND schema_name = 'main'"
    tables = {r[0] for r in con.execute(f"SELECT table_name FROM duckdb_tables() WHERE {here}").fetchall()}
    for statement in WELL_SET_TABLES:
        name = statement.split("EXISTS ", 1)[1].split(" ", 1)[0]
        if name not in tables:
            con.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))


def up_to_date(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``ensure_schema`` would change nothing: read-only, so a reader need not open the file for writing."""
    here = "database_name = current_database() AND schema_name = 'main'"
    tables = {r[0] for r in con.execute(f"SELECT table_name FROM duckdb_tables() WHERE {here}").fetchall()}
    columns = set(con.execute(f"SELECT table_name, column_name FROM duckdb_columns() WHERE {here}").fetchall())
    for statement in _BASE_TABLES:
        created = re.match(r"\s*CREATE TABLE IF NOT EXISTS (\w+)", statement)
        added = re.match(r"\s*ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+)", statement)
        if not ((created and created[1] in tables) or (added and (added[1], added[2]) in columns)):
            return False
    versioned = "meta" in tables and con.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone()
    return bool(versioned) and set(DERIVED_TABLES) <= tables and _NEWEST_COLUMN in columns


def refresh_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the derived tables from production (inside the caller's transaction)."""
    for name, sql in DERIVED_TABLES.items():
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")


def _narrowed(sql: str, old: str, new: str) -> str:
    assert old in sql, old
    return sql.replace(old, new, 1)


#: Above this share of the wells touched, the derived tables are rebuilt whole (cheaper than row by well).
TOUCHED_SHARE = 0.2
_OF_WELLS = "well_code IN (SELECT well_code FROM {wells})"
_OF_FIELDS = "coalesce(field_code, -1) IN (SELECT coalesce(field_code, -1) FROM {fields})"
#: Each derived table's rows of some wells (field_wells, well_summary) or fields (field_monthly,
#: field_summary): the statements above over only those wells' or fields' rows.
_DERIVED_ROWS = {
    "field_wells": (_OF_WELLS, _narrowed(FIELD_WELLS_SQL, "FROM production GROUP BY",
                                         f"FROM production WHERE {_OF_WELLS} GROUP BY")),
    "well_summary": (_OF_WELLS, _narrowed(WELL_SUMMARY_SQL, "WHERE NOT field_level",
                                          f"WHERE NOT field_level AND {_OF_WELLS}")),
    "field_monthly": (_OF_FIELDS, _narrowed(FIELD_MONTHLY_SQL, "AS lvl FROM production)",
                                            f"AS lvl FROM production WHERE {_OF_FIELDS})")),
    "field_summary": (_OF_FIELDS, _narrowed(FIELD_SUMMARY_SQL, "FROM field_monthly m",
                                            f"FROM (SELECT * FROM field_monthly WHERE {_OF_FIELDS}) m")),
}


def refresh_derived_rows(con: duckdb.DuckDBPyConnection, wells: str) -> None:
    """Rebuild the derived tables' rows of the wells in relation ``wells`` (a ``well_code`` column) and of
    every field they were or are in (inside the caller's transaction): what an import that changed a few
    wells needs, instead of a rebuild of every table from all of production."""
    counted = con.execute(f"SELECT (SELECT count(*) FROM {wells}), (SELECT count(*) FROM field_wells)").fetchone()
    if counted is None or counted[0] > TOUCHED_SHARE * counted[1]:  # most wells (every well revised): rebuild
        refresh_derived_tables(con)
        return

    def named(sql: str) -> str:
        return sql.replace("{wells}", wells).replace("{fields}", "touched_fields")

    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE touched_fields AS
        SELECT DISTINCT field_code FROM field_wells WHERE {named(_OF_WELLS)}
        UNION SELECT DISTINCT field_code FROM production WHERE {named(_OF_WELLS)}"""
    )
    for name, (which, sql) in _DERIVED_ROWS.items():
        con.execute(f"DELETE FROM {name} WHERE {named(which)}")
        con.execute(f"INSERT INTO {name} {named(sql)}")
    con.execute("DROP TABLE touched_fields")


def derived_tables_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has every derived table (one made by an older wellprod may not)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND list_contains(?, table_name)",
        [list(DERIVED_TABLES)],
    ).fetchone()
    if not (row and row[0] == len(DERIVED_TABLES)):
        return False
    table, column = _NEWEST_COLUMN
    found = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? AND column_name = ?",
        [table, column],
    ).fetchone()
    return bool(found and found[0])


def double_count_notes(con: duckdb.DuckDBPyConnection, among: str = "") -> list[str]:
    """Fields that hold both field-level rows (a "well" whose code is the field's) and wells' rows: their
    figures use the wells' sum where both exist; the note gives the reported total beside it. ``among``: a
    relation whose field_code column limits the fields (those an import touched)."""
    limited = f" AND field_code IN (SELECT field_code FROM {among})" if among else ""
    found = con.execute(
        f"""SELECT field_code, field_name, wells, months_both, reported_oil_kbbl, wells_oil_kbbl
           FROM field_summary WHERE months_both > 0{limited} ORDER BY field_code LIMIT 6"""
    ).fetchall()
    return [
        f"field {code} {name or ''}: field-level rows beside {wells} well(s) in {months} month(s); those months "
        f"count the wells' sum (oil reported {reported or 0:,.1f} kbbl, sum of wells {summed or 0:,.1f} kbbl)"
        for code, name, wells, months, reported, summed in found
    ]
