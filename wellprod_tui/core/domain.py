"""The production record: its columns, units and derived figures, as SQL over any relation's columns.

The one definition of a month's volume, water cut and GOR: every query, summary table and export builds
its SQL from these functions, so the screens, the CLI and the files agree by construction.
"""

from __future__ import annotations

#: Text columns of a record, in the seed's order position (see RECORD_COLUMNS).
TEXT_COLUMNS = ("field_name", "well_reference", "well_name", "data_source", "source_data", "partition_0")
#: Calendar-day average rates: kbd for liquids, mmcfd for gas.
RATE_COLUMNS = (
    "oil_production_kbd",
    "gas_production_mmcfd",
    "liquids_production_kbd",
    "water_production_kbd",
)
#: Every column of a record as files carry it, in the seed's order.
RECORD_COLUMNS = (
    "field_code",
    "field_name",
    "well_code",
    "well_reference",
    "well_name",
    "production_period",
    "days_on_production",
    "oil_production_kbd",
    "gas_production_mmcfd",
    "liquids_production_kbd",
    "water_production_kbd",
    "data_source",
    "source_data",
    "partition_0",
)
#: Columns a record cannot do without: its key.
KEY_COLUMNS = ("well_code", "production_period")
MAX_CODE_DIGITS = 14
SCF_PER_BBL_PER_MMCF_PER_KB = 1000.0  # 1 mmcfd / 1 kbd = 1,000 scf/bbl

#: SQL: the number of days in the month of ``production_period``.
DAYS_IN_MONTH = "day(last_day(production_period))"

#: SQL over a production row: a producing month has days on production and some oil, gas, liquids or water.
#: A month on stream with none of them (an injector's, which reports only what it injects) is not producing.
PRODUCED_SOMETHING = " OR ".join(f"coalesce({c}, 0) > 0" for c in RATE_COLUMNS)
PRODUCING = f"(days_on_production > 0 AND ({PRODUCED_SOMETHING}))"


#: A rate's magnitude in figures is clamped here: imports reject rates far below it ([import] max_rate_kbd),
#: but a value stored before that check (1e308) would make every sum infinite.
RATE_CLAMP = 1e12


#: Decimals a computed figure keeps: far below any meter's precision, above binary float noise, so that
#: 0.95 is written 0.95 and not 0.9500000000000001 (stored values are never rounded).
COMPUTED_DECIMALS = 10


def tidy(sql: str, decimals: int = COMPUTED_DECIMALS) -> str:
    """SQL: a computed figure without float noise."""
    return f"round({sql}, {decimals})"


def volume(rate: str) -> str:
    """SQL for a month's volume of a calendar-day rate column: rate x days in the month (kbd -> kbbl)."""
    # clamped so a stored 1e308 cannot overflow a sum; NULL stays NULL (DuckDB's greatest() would skip it)
    clamped = f"CASE WHEN abs({rate}) <= {RATE_CLAMP:g} THEN {rate} ELSE sign({rate}) * {RATE_CLAMP:g} END"
    return tidy(f"({clamped}) * {DAYS_IN_MONTH}")


def water_cut(oil: str, water: str) -> str:
    """SQL for water / (oil + water) as a fraction, NULL without liquid."""
    return tidy(f"CASE WHEN ({oil}) + ({water}) > 0 THEN ({water}) / (({oil}) + ({water})) END", 12)


def gor_scf_bbl(gas: str, oil: str) -> str:
    """SQL for the gas-oil ratio in scf/bbl (1 mmcf per kbbl = 1,000 scf/bbl), NULL without oil."""
    return tidy(f"CASE WHEN ({oil}) > 0 THEN ({gas}) / ({oil}) * {SCF_PER_BBL_PER_MMCF_PER_KB} END")


def whole_number_text(value: str) -> str:
    """SQL: a number as text, without a trailing .0 when it is whole (days: 31, not 31.0)."""
    return (
        f"coalesce(CASE WHEN {value} = trunc({value}) THEN CAST(TRY_CAST({value} AS BIGINT) AS VARCHAR) END, "
        f"CAST({value} AS VARCHAR))"
    )


def difference_pct(reported: str, summed: str) -> str:
    """SQL: how far the sum of wells falls below a reported field total, in % of the reported total."""
    return f"CASE WHEN ({reported}) <> 0 THEN (({reported}) - ({summed})) / ({reported}) * 100 END"
