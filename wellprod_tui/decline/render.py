"""How a decline result is shown: text lines for a terminal, the JSON of ``--json``, and CSV rows of its monthly
forecast. The CLI and the app render the same frozen result (a well, a field, or given parameters)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from wellprod_tui.core.months import month_label
from wellprod_tui.core.text import plural
from wellprod_tui.core.vocabulary import PHASE_UNITS
from wellprod_tui.decline.analysis import Options, ParameterDecline, WellDecline
from wellprod_tui.decline.curves import Curve, Forecast, ForecastMonth
from wellprod_tui.decline.field import FieldDecline
from wellprod_tui.decline.ratios import RatioDecline

Result = WellDecline | FieldDecline | ParameterDecline | RatioDecline


def to_json(result: Result) -> dict[str, Any]:
    """The answer of ``wellprod decline … --json`` (declines per year, rates and volumes in the phase's units)."""
    if isinstance(result, FieldDecline):
        return _field_json(result)
    if isinstance(result, RatioDecline):
        return _ratio_json(result)
    options = result.options
    if isinstance(result, ParameterDecline):
        return {**_curve_json(result.curve, options), **_forecast_json(result.forecast), "eur": result.eur,
                "cum_to_date": 0.0, "fit_start": None, "fit_end": None, "points": None, "rmse_log": None,
                **_options_json(options)}
    return {
        "well_code": result.well_code,
        **_curve_json(result.curve, options),
        "qi_month": month_label(result.fit_start),
        "switch_month": result.switch_month,
        **_forecast_json(result.forecast),
        "limit_month": result.limit_month,
        "eur": result.eur,
        "cum_to_date": result.cum_to_date,
        "fit_start": month_label(result.fit_start),
        "fit_end": month_label(result.fit_end),
        "points": result.points,
        "rmse_log": result.rmse_log,
        **_options_json(options),
        "saved": None if result.saved is None else result.saved.as_json(),
    }


def _curve_json(curve: Curve, options: Options) -> dict[str, Any]:
    rate_unit, volume_unit = options.units
    return {"model": curve.model, "qi": curve.qi, "b": curve.b, **curve.stated(), "switch_days": curve.switch_days,
            "rate_unit": rate_unit, "volume_unit": volume_unit}


def _forecast_json(forecast: Forecast) -> dict[str, Any]:
    return {
        "t_el_days": forecast.t_el_days,
        "forecast_days": forecast.forecast_days,
        "remaining": forecast.remaining,
        "next_12_months": forecast.next_12_months,
        "forecast": _months_json(forecast.months),
    }


def _months_json(months: list[ForecastMonth]) -> list[dict[str, Any]]:
    return [{"month": m, "rate": r, "volume": v, "cumulative": c} for m, r, v, c in months]


def _options_json(options: Options) -> dict[str, Any]:
    return {"basis": options.basis, "phase": options.phase, "qel": options.qel, "years": options.years}


def _field_json(result: FieldDecline) -> dict[str, Any]:
    options = result.options
    rate_unit, volume_unit = options.units
    wells = [{**asdict(w), "fit_start": month_label(w.fit_start), "fit_end": month_label(w.fit_end)}
             for w in result.wells]
    return {
        "field_code": result.field_code,
        "phase": options.phase,
        "basis": options.basis,
        "model": options.model,
        "rate_unit": rate_unit,
        "volume_unit": volume_unit,
        "qel": options.qel,
        "years": options.years,
        "wells": 0 if result.reported_only else len(result.wells) + len(result.unfitted),
        "fitted": 0 if result.reported_only else len(result.wells),
        "reported_only": result.reported_only,
        "wells_saved": sum(w.saved_on is not None for w in result.wells),
        "forecast_start": month_label(result.last_month + 1),
        "cum_to_date": result.cum_to_date,
        "remaining": result.remaining,
        "eur": result.eur,
        "next_12_months": result.next_12_months,
        "forecast": _months_json(result.forecast_months),
        "well_list": wells,
        "unfitted": [asdict(w) for w in result.unfitted],
    }


def forecast_rows(result: Result) -> list[ForecastMonth]:
    """The monthly forecast: month, rate, volume, cumulative from the forecast's start."""
    return result.forecast_months if isinstance(result, FieldDecline) else result.forecast.months


def csv_rows(result: Result) -> list[list[Any]]:
    """The monthly forecast as CSV rows, headed by column names that carry the units. The parameters lead each
    row as columns of their own (a block above the header would need skipping by every CSV reader; these
    columns open in a spreadsheet and in ``polars.read_csv`` as they are, and files of many wells stack)."""
    rate, volume = (unit.lower() for unit in result.options.units)
    parameters = parameter_columns(result)
    header: list[Any] = [*parameters, "month", f"rate_{rate}", f"volume_{volume}", f"cumulative_{volume}"]
    leading = list(parameters.values())
    return [header, *([*leading, *row] for row in forecast_rows(result))]


def parameter_columns(result: Result) -> dict[str, Any]:
    """The figures a forecast CSV starts each row with: what was fitted, the curve, the limit, EUR, whether kept."""
    options = result.options
    rate, volume = (unit.lower() for unit in options.units)
    if isinstance(result, RatioDecline):
        trend = result.trend
        oil_columns = {**parameter_columns(result.oil), "phase": trend.phase}  # the phase forecast, in place
        return {**oil_columns, "ratio": trend.name,
                "ratio_intercept": trend.intercept, "ratio_slope_per_kbbl": trend.slope,
                f"eur_{volume}": result.eur}
    if isinstance(result, FieldDecline):
        return {"field_code": result.field_code, "phase": options.phase, "basis": options.basis,
                "model": options.model, "wells_fitted": len(result.wells),
                "wells_saved": sum(w.saved_on is not None for w in result.wells), f"qel_{rate}": options.qel,
                f"eur_{volume}": result.eur}
    curve = result.curve
    head: dict[str, Any] = {"phase": options.phase}
    if isinstance(result, WellDecline):
        head = {"well_code": result.well_code, **head, "basis": options.basis,
                "fit_start": month_label(result.fit_start), "fit_end": month_label(result.fit_end)}
    saved = result.saved if isinstance(result, WellDecline) else None
    return {**head, "model": curve.model, f"qi_{rate}": curve.qi, "di_nominal_per_year": curve.di_nominal,
            "b": curve.b, "dmin_nominal_per_year": curve.dmin_nominal, f"qel_{rate}": options.qel,
            f"eur_{volume}": result.eur, "saved_on": saved.saved_on if saved else None,
            "saved_by": saved.saved_by if saved else None}


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %/yr"


def text_lines(result: Result) -> list[str]:
    """The answer as text for a terminal."""
    if isinstance(result, RatioDecline):
        return _ratio_lines(result)
    options = result.options
    rate, volume = options.units
    limit = f"{options.qel:g} {rate}" if options.qel else "none"
    if isinstance(result, FieldDecline):
        lines = [
            f"field {result.field_code}  {options.phase}  {options.basis}-day rates  model {options.model}",
            f"wells        {len(result.wells)} fitted of {len(result.wells) + len(result.unfitted)}"
            if not result.reported_only else "wells        none: the field's reported totals are fitted as one series",
            f"cumulative   {_num(result.cum_to_date, 1)} {volume}",
            f"remaining    {_num(result.remaining, 1)} {volume} from {month_label(result.last_month + 1)} "
            f"(limit {limit}, cap {options.years:g} years)",
            f"EUR          {_num(result.eur, 1)} {volume}",
            f"next 12 mo   {_num(result.next_12_months, 1)} {volume}",
        ]
        saved = [w.well_code for w in result.wells if w.saved_on is not None]
        if saved:
            lines.insert(2, f"saved fits   {plural(len(saved), 'well')} fitted as saved: "
                            f"{', '.join(map(str, saved[:8]))}{' …' if len(saved) > 8 else ''} (--auto: none)")
        return lines + [f"not fitted   {w.well_code}: {w.reason}" for w in result.unfitted]
    well = result if isinstance(result, WellDecline) else None
    curve, forecast = result.curve, result.forecast
    if well is None:
        head = f"given parameters  {options.phase}  t = 0 at qi"
    else:
        head = (f"well {well.well_code}  {options.phase}  {options.basis}-day rates  fit "
                f"{month_label(well.fit_start)}..{month_label(well.fit_end)} "
                f"({well.points} months, rmse ln q {well.rmse_log:.3f})")
    dmin = "none"
    if curve.dmin_nominal is not None:
        dmin = f"{_pct(curve.dmin_tangent)} tangent ({curve.dmin_nominal:.4f} /yr nominal)"
        if curve.switch_days is not None:
            dmin += f", switch at day {curve.switch_days:,.0f}"
            dmin += f" ({well.switch_month})" if well is not None and well.switch_month else ""
    end = "cap" if forecast.t_el_days is None else "limit"
    when = (well.limit_month if well is not None else None) or f"day {forecast.forecast_days:,.0f}"
    qi_month = f" ({month_label(well.fit_start)})" if well is not None else ""
    lines = [
        head,
        f"model        {curve.model}",
        f"qi           {_num(curve.qi)} {rate}{qi_month}",
        f"Di           {curve.di_nominal:.4f} /yr nominal · {_pct(curve.di_secant)} secant · "
        f"{_pct(curve.di_tangent)} tangent",
        f"b            {curve.b:.3f}",
        f"Dmin         {dmin}",
    ]
    if well is not None and well.saved is not None:
        lines.insert(1, f"saved        {well.saved.saved_on} by {well.saved.saved_by} (--auto fits afresh)")
    if well is not None:
        lines.append(f"cumulative   {_num(well.cum_to_date, 1)} {volume} to {month_label(well.fit_end)}")
    return lines + [
        f"remaining    {_num(forecast.remaining, 1)} {volume} until the {end} ({when}; limit {limit}, "
        f"cap {options.years:g} years)",
        f"EUR          {_num(result.eur, 1)} {volume}",
        f"next 12 mo   {_num(forecast.next_12_months, 1)} {volume}",
    ]


def _ratio_json(result: RatioDecline) -> dict[str, Any]:
    trend = result.trend
    rate_unit, volume_unit = result.options.units
    return {
        "well_code": result.well_code,
        "phase": trend.phase,
        "from_ratio": trend.name,
        "rate_unit": rate_unit,
        "volume_unit": volume_unit,
        "ratio": {"name": trend.name, "unit": trend.unit, "intercept": trend.intercept,
                  "slope_per_kbbl": trend.slope, "points": trend.points, "rmse_log": trend.rmse_log,
                  "now": float(trend.at(result.oil.cum_to_date))},
        **_forecast_json(result.forecast),
        "cum_to_date": result.cum_to_date,
        "eur": result.eur,
        "eur_by_phase": result.eur_by_phase,
        "oil": to_json(result.oil),
    }


def _ratio_lines(result: RatioDecline) -> list[str]:
    trend, oil, forecast = result.trend, result.oil, result.forecast
    _, volume = result.options.units
    oil_rate, oil_volume = oil.options.units
    end = f"the oil limit {oil.options.qel:g} {oil_rate}" if forecast.t_el_days is not None else "the cap"
    eurs = " · ".join(f"{phase} {_num(eur, 1)} {PHASE_UNITS[phase][1]}" if eur is not None
                      else f"{phase} - (no ratio trend)" for phase, eur in result.eur_by_phase.items())
    lines = text_lines(oil)
    return [
        f"well {result.well_code}  {trend.phase} from oil × {trend.name}  (oil fit below)",
        f"{trend.name:<12} ln {trend.name} = {trend.intercept:.4f} + {trend.slope:.3e} × Np  "
        f"({trend.points} months, rmse ln {trend.rmse_log:.3f}; {trend.unit})",
        f"{trend.name + ' now':<13}{_num(float(trend.at(oil.cum_to_date)), 4)} {trend.unit} at Np "
        f"{_num(oil.cum_to_date, 1)} {oil_volume}",
        f"cumulative   {_num(result.cum_to_date, 1)} {volume} to {month_label(oil.fit_end)}",
        f"remaining    {_num(forecast.remaining, 1)} {volume} until {end}",
        f"EUR          {_num(result.eur, 1)} {volume}",
        f"next 12 mo   {_num(forecast.next_12_months, 1)} {volume}",
        f"EUR by phase {eurs}",
        "",
        *lines,
    ]
