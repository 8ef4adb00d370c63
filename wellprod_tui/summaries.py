"""Derived tables kept beside production: one row per well and one per field and month.

They are rebuilt inside the import's transaction whenever rows change, so screens, search, top lists
and stats read a few thousand rows instead of scanning millions.
"""

from __future__ import annotations

from wellprod_tui.domain import SCF_PER_BBL_PER_MMCF_PER_KB
from wellprod_tui.store import Connection

#: A month's volume from a calendar-day rate: rate x days in the month (kbd -> kbbl, mmcfd -> mmcf).
DAYS = "day(last_day(production_period))"


def volume(rate: str) -> str:
    """SQL for a month's volume of a rate column."""
    return f"({rate} * {DAYS})"


def whole_number_text(value: str) -> str:
    """SQL: a number as text, without a trailing .0 when it is whole (days: 31, not 31.0)."""
    return (
        f"coalesce(CASE WHEN {value} = trunc({value}) THEN CAST(TRY_CAST({value} AS BIGINT) AS VARCHAR) END, "
        f"CAST({value} AS VARCHAR))"
    )


def water_cut(oil: str, water: str) -> str:
    """SQL for water / (oil + water), NULL without liquid."""
    return f"CASE WHEN ({oil}) + ({water}) > 0 THEN ({water}) / (({oil}) + ({water})) END"


def gor_scf_bbl(gas: str, oil: str) -> str:
    """SQL for the gas-oil ratio in scf/bbl (1 mmcf per kbbl = 1,000 scf/bbl), NULL without oil."""
    return f"CASE WHEN ({oil}) > 0 THEN ({gas}) / ({oil}) * {SCF_PER_BBL_PER_MMCF_PER_KB} END"


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
DERIVED_TABLES = ("well_summary", "field_wells", "field_monthly")

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


def double_count_notes(con: Connection) -> list[str]:
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


def refresh(con: Connection) -> None:
    """Rebuild the derived tables from production (inside the caller's transaction)."""
    con.execute(f"CREATE OR REPLACE TABLE field_wells AS {FIELD_WELLS_SQL}")
    con.execute(f"CREATE OR REPLACE TABLE well_summary AS {WELL_SUMMARY_SQL}")
    con.execute(f"CREATE OR REPLACE TABLE field_monthly AS {FIELD_MONTHLY_SQL}")


def complete(con: Connection) -> bool:
    """Whether the database has every derived table (one made by an older wellprod may not)."""
    (present,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND list_contains(?, table_name)",
        [list(DERIVED_TABLES)],
    ).fetchone()
    return present == len(DERIVED_TABLES)


def ensure(con: Connection) -> None:
    """Create the derived tables if a database lacks them."""
    if not complete(con):
        refresh(con)
