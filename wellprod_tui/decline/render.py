"""How a decline result is shown: text lines for a terminal, the JSON of ``--json``, and CSV rows of its monthly
forecast, in a unit system (field, field-small, metric). The CLI and the app render the same frozen result (a
well, a field, or given parameters); results hold stored units (kbd, MMcfd), converted here only."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from wellprod_tui.core import units
from wellprod_tui.core.months import month_label, month_list_text
from wellprod_tui.decline.analysis import Options, ParameterDecline, WellDecline
from wellprod_tui.decline.curves import Curve, Forecast, ForecastMonth
from wellprod_tui.decline.field import FieldDecline
from wellprod_tui.decline.qc import Flag

Result = WellDecline | FieldDecline | ParameterDecline


@dataclass(frozen=True)
class Scale:
    """A phase's rate and volume in a unit system: labels, and factors from the stored units."""

    rate: str
    volume: str
    rate_factor: float
    volume_factor: float
    system: str

    @classmethod
    def of(cls, phase: str, system: units.UnitSystem = units.FIELD) -> Scale:
        """The scale of ``phase`` in ``system``."""
        rate, volume = system.unit("rate", phase), system.unit("volume", phase)
        return cls(rate.label, volume.label, rate.factor, volume.factor, system.name)

    def q(self, value: float | None) -> float | None:
        """A stored rate in this unit."""
        return None if value is None else value * self.rate_factor

    def v(self, value: float | None) -> float | None:
        """A stored volume in this unit."""
        return None if value is None else value * self.volume_factor

    def json(self) -> dict[str, str]:
        """The ``units`` object of the JSON."""
        return {"system": self.system, "rate": self.rate, "volume": self.volume,
                "decline": "nominal per year; secant and tangent as annual fractions"}


def to_json(result: Result, system: units.UnitSystem = units.FIELD) -> dict[str, Any]:
    """The answer of ``wellprod decline … --json`` (declines per year, rates and volumes in ``system``'s units)."""
    s = Scale.of(result.options.phase, system)
    if isinstance(result, FieldDecline):
        return _field_json(result, s)
    options = result.options
    if isinstance(result, ParameterDecline):
        return {**_curve_json(result.curve, s), **_forecast_json(result.forecast, s), "eur": s.v(result.eur),
                "cum_to_date": 0.0, "fit_start": None, "fit_end": None, "points": None, "rmse_log": None,
                "np_infinity": s.v(result.np_infinity), "limit_month": _limit_month_number(result),
                "cap_month": str(round(options.years * 12)), "defaults": list(options.defaulted),
                "flags": _flags_json(result.flags),
                **_options_json(options, s)}
    return {
        "well_code": result.well_code,
        **_curve_json(result.curve, s),
        "qi_month": month_label(result.fit_start),
        "switch_month": result.switch_month,
        **_forecast_json(result.forecast, s),
        "limit_month": result.limit_month,
        "limit_passed": result.limit_passed is not None,
        "cap_month": result.cap_month,
        "eur": s.v(result.eur),
        "np_infinity": s.v(result.np_infinity),
        "cum_to_date": s.v(result.cum_to_date),
        "fit_start": month_label(result.fit_start),
        "fit_end": month_label(result.fit_end),
        "points": result.points,
        "rmse_log": result.rmse_log,
        "left_out": [{"month": month_label(m), "reason": r} for m, r in result.left_out],
        "defaults": list(result.defaults),
        "flags": _flags_json(result.flags),
        **_options_json(options, s),
    }


def _flags_json(flags: tuple[Flag, ...]) -> list[dict[str, str]]:
    return [{"name": f.name, "sentence": f.sentence} for f in flags]


def _limit_month_number(result: ParameterDecline) -> str | None:
    t_el = result.forecast.t_el_days
    return None if t_el is None or not result.forecast.months else result.forecast.months[-1].month


def _curve_json(curve: Curve, s: Scale) -> dict[str, Any]:
    return {"model": curve.model, "qi": s.q(curve.qi), "b": curve.b, **curve.stated(),
            "switch_days": curve.switch_days, "rate_unit": s.rate, "volume_unit": s.volume, "units": s.json()}


def _forecast_json(forecast: Forecast, s: Scale) -> dict[str, Any]:
    return {
        "t_el_days": forecast.t_el_days,
        "forecast_days": forecast.forecast_days,
        "remaining": s.v(forecast.remaining),
        "next_12_months": s.v(forecast.next_12_months),
        "forecast": _months_json(forecast.months, s),
    }


def _months_json(months: list[ForecastMonth], s: Scale) -> list[dict[str, Any]]:
    return [{"month": m, "rate": s.q(r), "volume": s.v(v), "cumulative": s.v(c)} for m, r, v, c in months]


def _options_json(options: Options, s: Scale) -> dict[str, Any]:
    return {"basis": options.basis, "phase": options.phase, "qel": s.q(options.qel), "years": options.years,
            "locks": {"qi": s.q(options.qi_fixed), "di": options.di_fixed,
                      "di_type": None if options.di_fixed is None else options.di_type, "b": options.b},
            "exclude": [month_label(m) for m in options.exclude],
            "include": [month_label(m) for m in options.include]}


def _field_json(result: FieldDecline, s: Scale) -> dict[str, Any]:
    options = result.options
    wells = [{**asdict(w), "qi": s.q(w.qi), "cum_to_date": s.v(w.cum_to_date), "remaining": s.v(w.remaining),
              "eur": s.v(w.eur), "fit_start": month_label(w.fit_start), "fit_end": month_label(w.fit_end)}
             for w in result.wells]
    return {
        "field_code": result.field_code,
        "phase": options.phase,
        "basis": options.basis,
        "model": options.model,
        "rate_unit": s.rate,
        "volume_unit": s.volume,
        "units": s.json(),
        "qel": s.q(options.qel),
        "years": options.years,
        "wells": 0 if result.reported_only else len(result.wells) + len(result.unfitted),
        "fitted": 0 if result.reported_only else len(result.wells),
        "reported_only": result.reported_only,
        "defaults": list(result.defaults),
        "forecast_start": month_label(result.last_month + 1),
        "cum_to_date": s.v(result.cum_to_date),
        "remaining": s.v(result.remaining),
        "eur": s.v(result.eur),
        "next_12_months": s.v(result.next_12_months),
        "forecast": _months_json(result.forecast_months, s),
        "well_list": wells,
        "unfitted": [{**asdict(w), "cum_to_date": s.v(w.cum_to_date)} for w in result.unfitted],
    }


def forecast_rows(result: Result, system: units.UnitSystem = units.FIELD) -> list[ForecastMonth]:
    """The monthly forecast in ``system``'s units: month, rate, volume, cumulative from the forecast's start."""
    s = Scale.of(result.options.phase, system)
    rows = result.forecast_months if isinstance(result, FieldDecline) else result.forecast.months
    return [ForecastMonth(m, r * s.rate_factor, v * s.volume_factor, c * s.volume_factor) for m, r, v, c in rows]


def csv_rows(result: Result, system: units.UnitSystem = units.FIELD) -> list[list[Any]]:
    """The monthly forecast as CSV rows, headed by column names that carry the units, then a ``flags`` column
    (each flag's name on the first row, ``;``-separated) when the fit raised any."""
    phase = result.options.phase
    rate, volume = system.unit("rate", phase).key, system.unit("volume", phase).key
    header: list[Any] = ["month", f"rate_{rate}", f"volume_{volume}", f"cumulative_{volume}"]
    flags = () if isinstance(result, FieldDecline) else result.flags
    rows = [list(row) for row in forecast_rows(result, system)]
    if flags:
        header.append("flags")
        names = ";".join(f.name for f in flags)
        rows = [[*row, names if i == 0 else ""] for i, row in enumerate(rows)] or [["", "", "", "", names]]
    return [header, *rows]


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %/yr"


def defaults_text(options: Options, said: tuple[str, ...], s: Scale) -> str:
    """Which defaults applied, worded: ``limit 1 bbl/d (config), cap 30 years (config), Dmin 10 %/yr …``."""
    words = {"qel": f"limit {_rate(options.qel, s)} (config)", "years": f"cap {options.years:g} years (config)",
             "dmin": f"Dmin {options.default_dmin * 100:g} %/yr tangent (b >= 1, none set)"}
    return ", ".join(words[name] for name in said if name in words) or "none"


def _rate(value: float, s: Scale) -> str:
    return f"{value * s.rate_factor:.4g} {s.rate}" if value else "none"


def locks_text(options: Options, s: Scale) -> str:
    """The locked parameters, worded; empty when none is locked."""
    parts = []
    if options.qi_fixed is not None:
        parts.append(f"qi {_rate(options.qi_fixed, s)}")
    if options.di_fixed is not None:
        parts.append(f"Di {options.di_fixed:g} {options.di_type}")
    if options.b is not None:
        parts.append(f"b {options.b:g}")
    return ", ".join(parts)


def left_out_text(left_out: tuple[tuple[int, str], ...]) -> str:
    """``2019-03 spike; 2019-05..2019-07 excluded``; empty when none."""
    reasons = sorted({r for _, r in left_out})
    return "; ".join(f"{month_list_text(tuple(m for m, r in left_out if r == reason))} {reason}"
                     for reason in reasons)


def until_text(well: WellDecline, s: Scale) -> str:
    """Where the forecast ends: the limit's month, reached or ahead, or the cap's month."""
    limit = _rate(well.options.qel, s)
    if well.limit_passed is not None:
        when = "the last month" if well.limit_passed == month_label(well.fit_end) else "before the last month"
        return f"limit {limit} reached in {well.limit_passed} ({when})"
    cap = f"cap {well.options.years:g} years to {well.cap_month}"
    if well.limit_month:
        return f"until the limit {limit} in {well.limit_month}; {cap}"
    return f"until the {cap}; limit {limit}"


def text_lines(result: Result, system: units.UnitSystem = units.FIELD) -> list[str]:
    """The answer as text for a terminal."""
    options = result.options
    s = Scale.of(options.phase, system)
    rate, volume = s.rate, s.volume
    limit = _rate(options.qel, s)
    if isinstance(result, FieldDecline):
        cap_months = round(options.years * 12)
        lines = [
            f"field {result.field_code}  {options.phase}  {options.basis}-day rates  model {options.model}  "
            f"defaults: {defaults_text(options, result.defaults, s)}",
            f"wells        {len(result.wells)} fitted of {len(result.wells) + len(result.unfitted)}"
            if not result.reported_only else "wells        none: the field's reported totals are fitted as one series",
            f"cumulative   {_num(s.v(result.cum_to_date), 1)} {volume}",
            f"remaining    {_num(s.v(result.remaining), 1)} {volume} from {month_label(result.last_month + 1)} "
            f"(limit {limit}, cap {options.years:g} years to {month_label(result.last_month + cap_months)})",
            f"EUR          {_num(s.v(result.eur), 1)} {volume}",
            f"next 12 mo   {_num(s.v(result.next_12_months), 1)} {volume}",
        ]
        return lines + [f"not fitted   {w.well_code}: {w.reason}" for w in result.unfitted]
    well = result if isinstance(result, WellDecline) else None
    curve, forecast = result.curve, result.forecast
    if well is None:
        head = (f"given parameters  {options.phase}  t = 0 at qi  "
                f"defaults: {defaults_text(options, options.defaulted, s)}")
    else:
        head = (f"well {well.well_code}  {options.phase}  {options.basis}-day rates  fit "
                f"{month_label(well.fit_start)}..{month_label(well.fit_end)} "
                f"({well.points} months, rmse ln q {well.rmse_log:.3f})  "
                f"defaults: {defaults_text(options, well.defaults, s)}")
    dmin = "none"
    if curve.dmin_nominal is not None:
        dmin = f"{_pct(curve.dmin_tangent)} tangent ({curve.dmin_nominal:.4f} /yr nominal)"
        if curve.switch_days is not None:
            dmin += f", switch at day {curve.switch_days:,.0f}"
            dmin += f" ({well.switch_month})" if well is not None and well.switch_month else ""
    qi_month = f" ({month_label(well.fit_start)})" if well is not None else ""
    lines = [
        head,
        f"model        {curve.model}",
        f"qi           {_num(s.q(curve.qi))} {rate}{qi_month}",
        f"Di           {curve.di_nominal:.4f} /yr nominal · {_pct(curve.di_secant)} secant · "
        f"{_pct(curve.di_tangent)} tangent",
        f"b            {curve.b:.3f}",
        f"Dmin         {dmin}",
    ]
    if well is not None and locks_text(options, s):
        lines.append(f"locked       {locks_text(options, s)}")
    if well is not None:
        if well.left_out:
            lines.append(f"left out     {left_out_text(well.left_out)}")
        if options.include:
            lines.append(f"kept in      {month_list_text(options.include)} (kept even if spikes)")
        lines.append(f"cumulative   {_num(s.v(well.cum_to_date), 1)} {volume} to {month_label(well.fit_end)}")
        lines.append(f"remaining    {_num(s.v(forecast.remaining), 1)} {volume} {until_text(well, s)}")
    elif isinstance(result, ParameterDecline):
        cap = f"cap {options.years:g} years (month {round(options.years * 12)})"
        end = (f"until the limit {limit} in month {_limit_month_number(result)}; {cap}"
               if forecast.t_el_days is not None else f"until the {cap}; limit {limit}")
        lines.append(f"remaining    {_num(s.v(forecast.remaining), 1)} {volume} {end}")
    ultimate = result.np_infinity
    lines += [
        f"EUR          {_num(s.v(result.eur), 1)} {volume}",
        f"next 12 mo   {_num(s.v(forecast.next_12_months), 1)} {volume}",
        f"Np(inf)      {_num(s.v(ultimate), 1)} {volume} (no limit, no cap)" if ultimate is not None
        else "Np(inf)      infinite (b >= 1 with no Dmin)",
    ]
    return lines + ([f"flag         {f.name}: {f.sentence}" for f in result.flags] or ["flags        none"])
