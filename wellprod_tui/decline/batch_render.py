"""How a batch decline is shown: a table (text, and the app's), the JSON of ``--json``, a CSV of parameters (one
row per well, ARIES-like) and the CSV of every well's monthly forecast."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from wellprod_tui.core import units
from wellprod_tui.decline.batch import BatchDecline, BatchRow
from wellprod_tui.decline.scale import Scale

if TYPE_CHECKING:
    import polars as pl

#: The text table's columns (rates and volumes in the phase's units, declines per year).
TABLE_COLUMNS = ("well", "model", "qi", "Di nom", "Di sec %", "Di tan %", "b", "Dmin nom", "fit", "pts", "rmse",
                 "cumulative", "EUR", "remaining", "limit", "QC flags", "saved on", "why not fitted")


def scale(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> Scale:
    """The batch's phase in ``system``'s units."""
    return Scale.of(result.options.phase, system)


def scaled_rows(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> list[BatchRow]:
    """The rows with rates and volumes in ``system``'s units."""
    s = scale(result, system)
    return [replace(r, qi=s.q(r.qi), cum_to_date=s.v(r.cum_to_date) or 0.0, remaining=s.v(r.remaining),
                    eur=s.v(r.eur)) for r in result.rows]


def summary(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> str:
    """One line over the table: the selection, the phase and options, how many wells were fitted."""
    options = result.options
    s = scale(result, system)
    rate, volume = s.rate, s.volume
    limit = f"{s.q(options.qel):g} {rate}" if options.qel else "none"
    return (f"{result.label}  {options.phase}  {options.basis}-day rates  model {options.model}  "
            f"{result.fitted_count} fitted of {len(result.rows)}  (qi {rate}, volumes {volume}, limit {limit}, "
            f"cap {options.years:g} years)")


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def table_rows(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> list[tuple[Any, ...]]:
    """The rows of TABLE_COLUMNS in ``system``'s units."""
    return [(str(r.well_code), r.model, r.qi, r.di_nominal, _pct(r.di_secant), _pct(r.di_tangent), r.b,
             r.dmin_nominal, f"{r.fit_start}..{r.fit_end}" if r.fit_start else None, r.points, r.rmse_log,
             r.cum_to_date, r.eur, r.remaining, r.limit_month, ", ".join(r.flags) or None, r.saved_on, r.reason or None)
            for r in scaled_rows(result, system)]


def to_json(result: BatchDecline, monthly: bool = False, system: units.UnitSystem = units.FIELD) -> dict[str, Any]:
    """The answer of ``wellprod decline --all … --json`` in ``system``'s units; with ``monthly`` every fitted
    well's forecast."""
    options = result.options
    s = scale(result, system)
    answer: dict[str, Any] = {
        "selection": result.label, "phase": options.phase, "basis": options.basis, "model": options.model,
        "rate_unit": s.rate, "volume_unit": s.volume, "units": s.json(), "qel": s.q(options.qel),
        "years": options.years, "wells": len(result.rows), "fitted": result.fitted_count,
        "well_list": [asdict(r) for r in scaled_rows(result, system)],
    }
    if monthly:
        answer["forecast"] = monthly_frame(result, system, named=False).to_dicts()
    return answer


def csv_header(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> list[str]:
    """The parameter CSV's header: units in the names, declines per year (secant, tangent as fractions)."""
    s = scale(result, system)
    rate, volume = s.rate_key, s.volume_key
    return ["well_code", "phase", "model", f"qi_{rate}", "di_nominal_per_year", "di_secant", "di_tangent", "b",
            "dmin_nominal_per_year", "fit_start", "fit_end", "points", "rmse_log", f"cum_to_date_{volume}",
            f"remaining_{volume}", f"eur_{volume}", "limit_month", f"qel_{rate}", "basis", "qc_flags",
            "saved_on", "why_not_fitted"]


def csv_row(row: BatchRow, result: BatchDecline, system: units.UnitSystem = units.FIELD) -> list[Any]:
    """One well's parameters as a CSV row (empty cells where it has no fit); ``row`` already in ``system``'s
    units (scaled_rows)."""
    o = result.options
    return [row.well_code, row.phase, row.model, row.qi, row.di_nominal, row.di_secant, row.di_tangent, row.b,
            row.dmin_nominal, row.fit_start, row.fit_end, row.points, row.rmse_log, row.cum_to_date, row.remaining,
            row.eur, row.limit_month, scale(result, system).q(o.qel), o.basis, " ".join(row.flags), row.saved_on,
            row.reason]


def csv_rows(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> list[list[Any]]:
    """The parameter export in ``system``'s units: a header, then one row per well."""
    return [csv_header(result, system), *(csv_row(r, result, system) for r in scaled_rows(result, system))]


def monthly_csv_header(result: BatchDecline, system: units.UnitSystem = units.FIELD) -> list[str]:
    """The monthly forecasts' header (units in the names)."""
    s = scale(result, system)
    rate, volume = s.rate_key, s.volume_key
    return ["well_code", "month", f"rate_{rate}", f"volume_{volume}", f"cumulative_{volume}"]


def monthly_frame(result: BatchDecline, system: units.UnitSystem = units.FIELD, named: bool = True) -> pl.DataFrame:
    """Every fitted well's monthly forecast in ``system``'s units; ``named``: columns named with the units."""
    import polars as pl  # noqa: PLC0415

    s = scale(result, system)
    frame = result.monthly().with_columns(pl.col("rate") * s.rate_factor, pl.col("volume") * s.volume_factor,
                                          pl.col("cumulative") * s.volume_factor)
    if named:
        frame.columns = monthly_csv_header(result, system)
    return frame
