"""How a type curve is shown: heading lines and a table per month on production (text and the app), the JSON of
``--json`` and CSV rows; the P50's fit stated as ``decline`` states a curve (declines per year)."""

from __future__ import annotations

from typing import Any

from wellprod_tui.core import units
from wellprod_tui.decline.scale import Scale
from wellprod_tui.decline.typecurve import TypeCurve

#: The table's columns (rates in the phase's unit per day).
TABLE_COLUMNS = ("month", "wells", "P10 (high)", "P50", "P90 (low)", "mean", "P50 fit")
CONVENTION = ("P10 is the high case (90th percentile of the wells' rates in a month), P90 the low case "
              "(10th percentile); months on production skip months without production")


def heading_lines(result: TypeCurve, system: units.UnitSystem = units.FIELD) -> list[str]:
    """What the table is of, and the P50's fit with its EUR, in ``system``'s units."""
    o, fit = result.options, result.fit
    s = Scale.of(o.fit.phase, system)
    rate, volume = s.rate, s.volume
    left_out = f" ({len(result.without_production)} without {o.fit.phase} production left out)" \
        if result.without_production else ""
    lines = [f"type curve  {result.label}  {o.fit.phase}  {o.fit.basis}-day rates  month 1 = "
             f"{'peak' if o.align == 'peak' else 'first production'}  {len(result.well_codes)} wells{left_out}",
             CONVENTION]
    if o.normalize is not None:
        name, value = o.normalize
        lacking = f"; {len(result.without_attribute)} without {name} left out" if result.without_attribute else ""
        lines.append(f"normalised   rates x {value:,g} / the well's {name}{lacking}")
    if fit is None:
        return [*lines, f"P50 fit      none: {result.no_fit_reason}"]
    c = fit.curve
    limit = f"{s.q(o.fit.qel):g} {rate}" if o.fit.qel else "none"
    end = "cap" if fit.forecast.t_el_days is None else "limit"
    dmin = "none" if c.dmin_tangent is None else f"{c.dmin_tangent * 100:.1f} %/yr tangent"
    return [*lines,
            f"P50 fit      {c.model}  months {fit.fit_start}..{fit.fit_end} ({fit.points} months with "
            f"{min(o.min_wells, int(result.wells.max()))}+ wells, rmse ln q {fit.rmse_log:.3f})",
            f"qi           {s.q(c.qi):,.3f} {rate} (month {fit.fit_start})",
            f"Di           {c.di_nominal:.4f} /yr nominal · {c.di_secant * 100:.1f} %/yr secant · "
            f"{c.di_tangent * 100:.1f} %/yr tangent",
            f"b            {c.b:.3f}",
            f"Dmin         {dmin}",
            f"EUR          {s.v(fit.eur):,.1f} {volume}: P50 to month {fit.fit_end} {s.v(fit.cum_to_fit_end):,.1f}, "
            f"then {s.v(fit.forecast.remaining):,.1f} until the {end} (limit {limit}, cap {o.fit.years:g} years from "
            "month 1)"]


def summary_lines(result: TypeCurve) -> list[str]:
    """The fit and its EUR in two lines (the app's, under the chart)."""
    o, fit = result.options, result.fit
    rate, volume = o.fit.units
    if fit is None:
        return [f"P50 fit: none: {result.no_fit_reason}", "P10 is the high case, P90 the low case"]
    c = fit.curve
    end = "cap" if fit.forecast.t_el_days is None else "limit"
    dmin = "none" if c.dmin_tangent is None else f"{c.dmin_tangent * 100:.1f} %/yr tan"
    return [f"P50 fit {c.model} months {fit.fit_start}..{fit.fit_end} · qi {c.qi:,.3f} {rate} · Di "
            f"{c.di_secant * 100:.1f} %/yr sec ({c.di_nominal:.4f} nom, {c.di_tangent * 100:.1f} % tan) · "
            f"b {c.b:.2f} · Dmin {dmin}",
            f"EUR {fit.eur:,.1f} {volume} (P50 to month {fit.fit_end} {fit.cum_to_fit_end:,.1f} + "
            f"{fit.forecast.remaining:,.1f} to the {end}) · P10 is the high case, P90 the low case"]


def months(result: TypeCurve, system: units.UnitSystem = units.FIELD) -> list[dict[str, Any]]:
    """TypeCurve.table's rows with the rates in ``system``'s unit."""
    s = Scale.of(result.options.fit.phase, system)
    return [{**r, **{k: s.q(r[k]) for k in ("p10", "p50", "p90", "mean", "fit")}} for r in result.table()]


def table_rows(result: TypeCurve, system: units.UnitSystem = units.FIELD) -> list[tuple[Any, ...]]:
    """The rows of TABLE_COLUMNS in ``system``'s units."""
    return [(r["month"], r["wells"], r["p10"], r["p50"], r["p90"], r["mean"], r["fit"])
            for r in months(result, system)]


def to_json(result: TypeCurve, system: units.UnitSystem = units.FIELD) -> dict[str, Any]:
    """The answer of ``wellprod typecurve … --json`` (rates and volumes in ``system``'s units)."""
    o, fit = result.options, result.fit
    s = Scale.of(o.fit.phase, system)
    answer: dict[str, Any] = {
        "selection": result.label, "phase": o.fit.phase, "basis": o.fit.basis, "align": o.align,
        "model": o.fit.model, "rate_unit": s.rate, "volume_unit": s.volume, "units": s.json(), "qel": s.q(o.fit.qel),
        "years": o.fit.years, "min_wells": o.min_wells, "convention": CONVENTION,
        "wells": len(result.well_codes), "well_codes": result.well_codes.tolist(),
        "without_production": result.without_production,
        "normalize": None if o.normalize is None else {"attribute": o.normalize[0], "value": o.normalize[1]},
        "without_attribute": result.without_attribute, "fit": None, "no_fit_reason": result.no_fit_reason or None,
        "months": months(result, system),
    }
    if fit is not None:
        c = fit.curve
        answer["fit"] = {
            "model": c.model, "qi": s.q(c.qi), "b": c.b, **c.stated(), "fit_start": fit.fit_start,
            "fit_end": fit.fit_end, "points": fit.points, "rmse_log": fit.rmse_log,
            "cum_to_fit_end": s.v(fit.cum_to_fit_end), "remaining": s.v(fit.forecast.remaining), "eur": s.v(fit.eur),
            "t_el_days": fit.forecast.t_el_days,
            "forecast": [{"month": int(m), "rate": s.q(r), "volume": s.v(v), "cumulative": s.v(cum)}
                         for m, r, v, cum in fit.forecast.months],
        }
    return answer


def csv_rows(result: TypeCurve, system: units.UnitSystem = units.FIELD) -> list[list[Any]]:
    """The table as CSV rows in ``system``'s units, headed by names that carry the unit."""
    rate = Scale.of(result.options.fit.phase, system).rate_key
    header = ["month_on_production", "wells", *(f"{n}_{rate}" for n in ("p10", "p50", "p90", "mean", "p50_fit"))]
    return [header, *(list(row) for row in table_rows(result, system))]
