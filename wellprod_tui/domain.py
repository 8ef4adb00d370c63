"""The production record: its columns, units and derived figures. Standard library only."""

from __future__ import annotations

import calendar
from datetime import date

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


def days_in_month(period: date) -> int:
    """Number of calendar days in the month of ``period``."""
    return calendar.monthrange(period.year, period.month)[1]


def water_cut(oil: float | None, water: float | None) -> float | None:
    """Water cut as a fraction: water / (oil + water); None when there is no liquid."""
    if oil is None or water is None or oil + water <= 0:
        return None
    return water / (oil + water)


def gas_oil_ratio_scf_bbl(gas_mmcf: float | None, oil_kbbl: float | None) -> float | None:
    """Gas-oil ratio in scf/bbl from gas (mmcf or mmcfd) and oil (kbbl or kbd); None without oil."""
    if gas_mmcf is None or oil_kbbl is None or oil_kbbl <= 0:
        return None
    return gas_mmcf / oil_kbbl * SCF_PER_BBL_PER_MMCF_PER_KB
