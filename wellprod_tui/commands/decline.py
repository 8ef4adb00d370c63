"""``wellprod decline``: its arguments checked and turned into a request, and the answer (rendered by
decline.render, as the app renders it)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from wellprod_tui.core.config import DeclineSettings
from wellprod_tui.core.months import WindowError, parse_month_index
from wellprod_tui.decline.analysis import (
    DeclineError,
    DeclineInputError,
    Options,
    parameter_decline,
    well_decline,
)
from wellprod_tui.decline.batch import BatchDecline, batch_decline
from wellprod_tui.decline.curves import Curve
from wellprod_tui.decline.field import field_decline
from wellprod_tui.decline.render import Result
from wellprod_tui.queries.selection import Selection
from wellprod_tui.storage.connection import Connection

__all__ = ["FLAGS", "DeclineError", "Request", "UsageError", "answer", "request_from"]

#: The flag of each option a DeclineInputError can name: the CLI words its messages ``--dmin: must be …``.
FLAGS = {"qi": "--qi", "di": "--di", "di_type": "--di-type", "b": "--b", "dmin": "--dmin", "dmin_type": "--dmin-type",
         "qel": "--qel", "years": "--years", "from": "--from", "to": "--to", "phase": "--phase", "model": "--model",
         "basis": "--basis"}


class UsageError(ValueError):
    """Arguments that do not make a decline request; the message names the option."""


@dataclass(frozen=True)
class Request:
    """What to answer: a well, a field, or a curve from given parameters."""

    mode: str  # "well", "field", "batch" or "parameters"
    code: int | None
    options: Options
    curve: Curve | None = None
    selection: Selection | None = None


def request_from(args: argparse.Namespace, settings: DeclineSettings, selection: Selection | None = None
                 ) -> Request:
    """Check the arguments (``selection``: the wells they name, commands.selection's answer); UsageError naming
    the option that does not fit."""
    given = [args.qi is not None, args.di is not None, args.di_type is not None]
    if any(given) and (args.well is not None or selection is not None):
        raise UsageError("--qi/--di/--di-type forecast from given parameters: give no WELL or wells with them")
    if args.well is not None and selection is not None:
        raise UsageError("give a WELL code or a set of wells (--field, --all, --wells, --set, --where), not both")
    batch = selection is not None and (selection.kind != "field" or args.each)
    if args.monthly and not batch:
        raise UsageError("--monthly goes with a table of wells: --all, --wells, --set, --where, or --field CODE --each")
    if args.each and selection is None:
        raise UsageError("--each goes with --field CODE (one row per well instead of the field's sum)")
    try:
        options = Options(
            phase=args.phase,
            model=args.model,
            basis=args.basis,
            b=args.b,
            dmin=args.dmin,
            dmin_type=args.dmin_type,
            from_month=None if args.from_month is None else parse_month_index(args.from_month, "--from"),
            to_month=None if args.to_month is None else parse_month_index(args.to_month, "--to"),
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
    except DeclineInputError as exc:
        raise UsageError(exc.worded(FLAGS, ": ")) from exc
    except WindowError as exc:
        raise UsageError(str(exc)) from exc
    if batch:
        return Request("batch", None, options, selection=selection)
    if selection is not None:
        return Request("field", selection.field_code, options)
    if args.well is None:
        raise UsageError("give a WELL code, --field CODE, --all, --wells LIST, --set NAME, --where FILTER, or "
                         "--qi RATE --di VALUE --di-type TYPE")
    return Request("well", args.well, options)


def answer(con: Connection | None, request: Request) -> Result | BatchDecline:
    """The result to render; DeclineError when the well or field cannot be fitted."""
    if request.mode == "parameters":
        assert request.curve is not None
        return parameter_decline(request.curve, request.options)
    assert con is not None
    if request.mode == "batch":
        assert request.selection is not None
        return batch_decline(con, request.selection, request.options)
    assert request.code is not None
    if request.mode == "field":
        return field_decline(con, request.code, request.options)
    return well_decline(con, request.code, request.options)
