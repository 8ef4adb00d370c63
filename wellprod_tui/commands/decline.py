"""``wellprod decline``: its arguments checked and turned into a request, the answer, and its text form."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from wellprod_tui.core.config import DeclineSettings
from wellprod_tui.decline.analysis import DeclineError, Options, parameter_decline, well_decline
from wellprod_tui.decline.curves import Curve, DeclineInputError, parse_month
from wellprod_tui.decline.field import field_decline
from wellprod_tui.storage.connection import Connection

__all__ = ["DeclineError", "Request", "UsageError", "answer", "request_from", "summary_lines"]


class UsageError(ValueError):
    """Arguments that do not make a decline request; the message names the option."""


@dataclass(frozen=True)
class Request:
    """What to answer: a well, a field, or a curve from given parameters."""

    mode: str  # "well", "field" or "parameters"
    code: int | None
    options: Options
    curve: Curve | None = None


def request_from(args: argparse.Namespace, settings: DeclineSettings) -> Request:
    """Check the arguments; UsageError naming the option that does not fit."""
    given = [args.qi is not None, args.di is not None, args.di_type is not None]
    if any(given) and (args.well is not None or args.field is not None):
        raise UsageError("--qi/--di/--di-type forecast from given parameters: give no WELL or --field with them")
    if args.well is not None and args.field is not None:
        raise UsageError("give a WELL code or --field CODE, not both")
    try:
        options = Options(
            phase=args.phase,
            model=args.model,
            basis=args.basis,
            b=args.b,
            dmin=args.dmin,
            dmin_type=args.dmin_type,
            from_month=None if args.from_month is None else parse_month(args.from_month, "--from"),
            to_month=None if args.to_month is None else parse_month(args.to_month, "--to"),
            qel=settings.qel(args.phase) if args.qel is None else args.qel,
            years=float(settings.cap_years) if args.years is None else args.years,
        )
        options.check()
        if any(given):
            if not all(given):
                raise UsageError("a forecast from given parameters needs --qi, --di and --di-type")
            b = args.b if args.b is not None else (1.0 if args.model == "harmonic" else 0.0)
            curve = Curve.from_stated(args.qi, args.di, args.di_type, b, args.dmin, args.dmin_type)
            return Request("parameters", None, options, curve)
    except (DeclineError, DeclineInputError) as exc:
        raise UsageError(str(exc)) from exc
    if args.field is not None:
        return Request("field", args.field, options)
    if args.well is None:
        raise UsageError("give a WELL code, --field CODE, or --qi RATE --di VALUE --di-type TYPE")
    return Request("well", args.well, options)


def answer(con: Connection | None, request: Request) -> dict[str, Any]:
    """The JSON-ready answer; DeclineError when the well or field cannot be fitted."""
    if request.mode == "parameters":
        assert request.curve is not None
        return parameter_decline(request.curve, request.options)
    assert con is not None and request.code is not None
    if request.mode == "field":
        return field_decline(con, request.code, request.options).as_json()
    return well_decline(con, request.code, request.options).as_json()


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %/yr"


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The answer as text for a terminal."""
    rate, volume = data["rate_unit"], data["volume_unit"]
    limit = f"{data['qel']:g} {rate}" if data["qel"] else "none"
    if "field_code" in data:
        lines = [
            f"field {data['field_code']}  {data['phase']}  {data['basis']}-day rates  model {data['model']}",
            f"wells        {data['fitted']} fitted of {data['wells']}" if not data["reported_only"] else
            "wells        none: the field's reported totals are fitted as one series",
            f"cumulative   {_num(data['cum_to_date'], 1)} {volume}",
            f"remaining    {_num(data['remaining'], 1)} {volume} from {data['forecast_start']} "
            f"(limit {limit}, cap {data['years']:g} years)",
            f"EUR          {_num(data['eur'], 1)} {volume}",
            f"next 12 mo   {_num(data['next_12_months'], 1)} {volume}",
        ]
        lines += [f"not fitted   {w['well_code']}: {w['reason']}" for w in data["unfitted"]]
        return lines
    head = f"well {data['well_code']}  " if "well_code" in data else "given parameters  "
    if data.get("fit_start"):
        head += (f"{data['phase']}  {data['basis']}-day rates  fit {data['fit_start']}..{data['fit_end']} "
                 f"({data['points']} months, rmse ln q {data['rmse_log']:.3f})")
    else:
        head += f"{data['phase']}  t = 0 at qi"
    dmin = "none"
    if data["dmin_nominal"] is not None:
        dmin = f"{_pct(data['dmin_tangent'])} tangent ({data['dmin_nominal']:.4f} /yr nominal)"
        if data["switch_days"] is not None:
            dmin += f", switch at day {data['switch_days']:,.0f}"
            dmin += f" ({data['switch_month']})" if data.get("switch_month") else ""
    end = "cap" if data["t_el_days"] is None else "limit"
    when = data.get("limit_month") or f"day {data['forecast_days']:,.0f}"
    lines = [
        head,
        f"model        {data['model']}",
        f"qi           {_num(data['qi'])} {rate}" + (f" ({data['qi_month']})" if data.get("qi_month") else ""),
        f"Di           {data['di_nominal']:.4f} /yr nominal · {_pct(data['di_secant'])} secant · "
        f"{_pct(data['di_tangent'])} tangent",
        f"b            {data['b']:.3f}",
        f"Dmin         {dmin}",
    ]
    if data.get("fit_end"):
        lines.append(f"cumulative   {_num(data['cum_to_date'], 1)} {volume} to {data['fit_end']}")
    lines += [
        f"remaining    {_num(data['remaining'], 1)} {volume} until the {end} ({when}; limit {limit}, "
        f"cap {data['years']:g} years)",
        f"EUR          {_num(data['eur'], 1)} {volume}",
        f"next 12 mo   {_num(data['next_12_months'], 1)} {volume}",
    ]
    return lines
