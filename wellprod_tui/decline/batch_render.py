"""How a batch decline is shown: a table (text, and the app's), the JSON of ``--json``, a CSV of parameters (one
row per well, ARIES-like) and the CSV of every well's monthly forecast."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from wellprod_tui.decline.batch import BatchDecline, BatchRow

#: The text table's columns (rates and volumes in the phase's units, declines per year).
TABLE_COLUMNS = ("well", "model", "qi", "Di nom", "Di sec %", "Di tan %", "b", "Dmin nom", "fit", "pts", "rmse",
                 "cumulative", "EUR", "remaining", "limit", "QC flags", "why not fitted")


def summary(result: BatchDecline) -> str:
    """One line over the table: the selection, the phase and options, how many wells were fitted."""
    options = result.options
    rate, volume = options.units
    limit = f"{options.qel:g} {rate}" if options.qel else "none"
    return (f"{result.label}  {options.phase}  {options.basis}-day rates  model {options.model}  "
            f"{result.fitted_count} fitted of {len(result.rows)}  (qi {rate}, volumes {volume}, limit {limit}, "
            f"cap {options.years:g} years)")


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def table_rows(result: BatchDecline) -> list[tuple[Any, ...]]:
    """The rows of TABLE_COLUMNS."""
    return [(str(r.well_code), r.model, r.qi, r.di_nominal, _pct(r.di_secant), _pct(r.di_tangent), r.b,
             r.dmin_nominal, f"{r.fit_start}..{r.fit_end}" if r.fit_start else None, r.points, r.rmse_log,
             r.cum_to_date, r.eur, r.remaining, r.limit_month, ", ".join(r.flags) or None, r.reason or None)
            for r in result.rows]


def to_json(result: BatchDecline, monthly: bool = False) -> dict[str, Any]:
    """The answer of ``wellprod decline --all … --json``; with ``monthly`` every fitted well's forecast."""
    options = result.options
    rate_unit, volume_unit = options.units
    answer: dict[str, Any] = {
        "selection": result.label, "phase": options.phase, "basis": options.basis, "model": options.model,
        "rate_unit": rate_unit, "volume_unit": volume_unit, "qel": options.qel, "years": options.years,
        "wells": len(result.rows), "fitted": result.fitted_count,
        "well_list": [asdict(r) for r in result.rows],
    }
    if monthly:
        answer["forecast"] = result.monthly().to_dicts()
    return answer


def csv_header(result: BatchDecline) -> list[str]:
    """The parameter CSV's header: units in the names, declines per year (secant, tangent as fractions)."""
    rate, volume = (unit.lower() for unit in result.options.units)
    return ["well_code", "phase", "model", f"qi_{rate}", "di_nominal_per_year", "di_secant", "di_tangent", "b",
            "dmin_nominal_per_year", "fit_start", "fit_end", "points", "rmse_log", f"cum_to_date_{volume}",
            f"remaining_{volume}", f"eur_{volume}", "limit_month", f"qel_{rate}", "basis", "qc_flags",
            "why_not_fitted"]


def csv_row(row: BatchRow, result: BatchDecline) -> list[Any]:
    """One well's parameters as a CSV row (empty cells where it has no fit)."""
    o = result.options
    return [row.well_code, row.phase, row.model, row.qi, row.di_nominal, row.di_secant, row.di_tangent, row.b,
            row.dmin_nominal, row.fit_start, row.fit_end, row.points, row.rmse_log, row.cum_to_date, row.remaining,
            row.eur, row.limit_month, o.qel, o.basis, " ".join(row.flags), row.reason]


def csv_rows(result: BatchDecline) -> list[list[Any]]:
    """The parameter export: a header, then one row per well."""
    return [csv_header(result), *(csv_row(r, result) for r in result.rows)]


def monthly_csv_header(result: BatchDecline) -> list[str]:
    """The monthly forecasts' header (units in the names)."""
    rate, volume = (unit.lower() for unit in result.options.units)
    return ["well_code", "month", f"rate_{rate}", f"volume_{volume}", f"cumulative_{volume}"]
