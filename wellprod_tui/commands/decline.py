"""``wellprod decline``: its arguments checked and turned into a request, and the answer (rendered by
decline.render, as the app renders it)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

from wellprod_tui.core import units
from wellprod_tui.core.months import WindowError, parse_month_index, parse_month_list
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.decline import kept
from wellprod_tui.decline.analysis import (
    DeclineError,
    DeclineInputError,
    Options,
    parameter_decline,
    well_decline,
)
from wellprod_tui.decline.batch import BatchDecline
from wellprod_tui.decline.curves import Curve
from wellprod_tui.decline.ratios import RATIO_NAMES, ratio_decline
from wellprod_tui.decline.render import Result
from wellprod_tui.queries.selection import Selection
from wellprod_tui.storage.connection import Connection

__all__ = ["FLAGS", "DeclineError", "Request", "UsageError", "answer", "request_from"]

#: The flag of each option a DeclineInputError can name: the CLI words its messages ``--dmin: must be …``.
FLAGS = {"qi": "--qi", "di": "--di", "di_type": "--di-type", "b": "--b", "dmin": "--dmin", "dmin_type": "--dmin-type",
         "qel": "--qel", "years": "--years", "from": "--from", "to": "--to", "phase": "--phase", "model": "--model",
         "basis": "--basis", "qi_fixed": "--qi-fixed", "di_fixed": "--di-fixed", "di_fixed_type": "--di-type",
         "exclude": "--exclude", "save": "--save", "auto": "--auto"}
#: Options that shape a fit of records: a forecast from given parameters (--qi) has none to shape.
WELL_ONLY = (("from_month", "--from"), ("to_month", "--to"), ("basis", "--basis"), ("exclude", "--exclude"),
             ("include", "--include"), ("qi_fixed", "--qi-fixed"), ("di_fixed", "--di-fixed"), ("field", "--field"),
             ("well", "WELL"))


class UsageError(ValueError):
    """Arguments that do not make a decline request; the message names the option."""


@dataclass(frozen=True)
class Request:
    """What to answer: a well, a field, or a curve from given parameters."""

    mode: str  # "well", "field", "batch" or "parameters"
    code: int | None
    options: Options
    curve: Curve | None = None
    #: Keep the fit as the well's fit in force (``--save``); start from the saved fit (no fit option given, no
    #: ``--auto``).
    save: bool = False
    use_saved: bool = False
    #: Forecast this phase (gas, water) from the oil fit through its ratio trend (``--from-ratio``).
    ratio_phase: str | None = None
    selection: Selection | None = None


def request_from(args: argparse.Namespace, settings: DeclineSettings,
                 system: units.UnitSystem = units.FIELD, selection: Selection | None = None) -> Request:
    """Check the arguments (``selection``: the wells they name, commands.selection's answer); UsageError naming
    the option that does not fit. Rates typed (--qi, --qi-fixed, --qel) are in ``system``'s units."""
    given = [args.qi is not None, args.di is not None]
    if any(given):
        well_only = [flag for name, flag in WELL_ONLY if getattr(args, name, None) is not None]
        if well_only:
            raise UsageError(f"--qi/--di forecast from given parameters: {', '.join(well_only)} shape a fit of a "
                             "well's records and cannot be used with them")
    if any(given) and selection is not None:
        raise UsageError("--qi/--di forecast from given parameters: give no wells with them")
    if args.well is not None and selection is not None:
        raise UsageError("give a WELL code or a set of wells (--field, --all, --wells, --set, --where), not both")
    batch = selection is not None and (selection.kind != "field" or args.each)
    if args.monthly and not batch:
        raise UsageError("--monthly goes with a table of wells: --all, --wells, --set, --where, or --field CODE --each")
    if args.each and selection is None:
        raise UsageError("--each goes with --field CODE (one row per well instead of the field's sum)")
    from_ratio = getattr(args, "from_ratio", False)
    if from_ratio and (args.phase not in RATIO_NAMES or args.well is None):
        raise UsageError("--from-ratio goes with a WELL and --phase gas or water (forecast from the oil fit)")
    save, auto = getattr(args, "save", False), getattr(args, "auto", False)
    if save and args.well is None:
        raise UsageError("--save goes with a WELL: a saved fit is one well's")
    if auto and args.well is None and selection is None:
        raise UsageError("--auto goes with a WELL or --field CODE: given parameters have no saved fit")
    if args.di_type is not None and args.qi is None and args.di is None and args.di_fixed is None:
        raise UsageError("--di-type says how --di (with --qi) or --di-fixed is stated: give one of them")
    if args.di_fixed is not None and args.di_type is None:
        raise UsageError("--di-fixed needs --di-type (nominal, secant or tangent)")
    if selection is not None and (args.qi_fixed is not None or args.di_fixed is not None):
        raise UsageError("--qi-fixed and --di-fixed lock one well's fit: give a WELL, not a set of wells")
    fitted = "oil" if from_ratio else args.phase  # a ratio forecast fits oil, its limit the oil's
    per_day = system.unit("rate", fitted).factor
    try:
        options = replace(
            Options.from_settings(settings, fitted),
            model=args.model,
            basis=args.basis or "calendar",
            b=args.b,
            dmin=args.dmin,
            dmin_type=args.dmin_type,
            from_month=None if args.from_month is None else parse_month_index(args.from_month, "--from"),
            to_month=None if args.to_month is None else parse_month_index(args.to_month, "--to"),
            qi_fixed=None if args.qi_fixed is None else args.qi_fixed / per_day,
            di_fixed=args.di_fixed,
            di_type=args.di_type or "nominal",
            exclude=parse_month_list(args.exclude or "", "--exclude"),
            include=parse_month_list(args.include or "", "--include"),
        )
        if args.qel is not None:
            options = replace(options, qel=args.qel / per_day, defaulted=tuple(d for d in options.defaulted
                                                                                if d != "qel"))
        if args.years is not None:
            options = replace(options, years=args.years, defaulted=tuple(d for d in options.defaulted
                                                                         if d != "years"))
        options.check()
        if any(given):
            if not all(given) or args.di_type is None:
                raise UsageError("a forecast from given parameters needs --qi, --di and --di-type")
            b = args.b if args.b is not None else (1.0 if args.model == "harmonic" else 0.0)
            curve = Curve.from_stated(args.qi / per_day, args.di, args.di_type, b, args.dmin, args.dmin_type)
            return Request("parameters", None, options, curve)
    except DeclineInputError as exc:
        raise UsageError(exc.worded(FLAGS, ": ")) from exc
    except WindowError as exc:
        raise UsageError(str(exc)) from exc
    if batch:
        return Request("batch", None, options, use_saved=not auto, selection=selection)
    if selection is not None:  # a field's sum: each well with a saved fit keeps it, whatever the field's options
        return Request("field", selection.field_code, options, use_saved=not auto)
    if args.well is None:
        raise UsageError("give a WELL code, --field CODE, --all, --wells LIST, --set NAME, --where FILTER, or "
                         "--qi RATE --di VALUE --di-type TYPE")
    defaults = Options.from_settings(settings, options.phase)  # a first look: the saved fit, when there is one
    return Request("well", args.well, options, save=save, use_saved=not (save or auto) and options == defaults,
                   ratio_phase=args.phase if from_ratio else None)


def answer(con: Connection | None, request: Request) -> Result | BatchDecline:
    """The result to render; DeclineError when the well or field cannot be fitted."""
    if request.mode == "parameters":
        assert request.curve is not None
        return parameter_decline(request.curve, request.options)
    assert con is not None
    if request.mode == "batch":
        assert request.selection is not None
        return kept.kept_batch_decline(con, request.selection, request.options, auto=not request.use_saved)
    assert request.code is not None
    if request.mode == "field":
        return kept.kept_field_decline(con, request.code, request.options, auto=not request.use_saved)
    if request.save:
        fitted = kept.keep(con, well_decline(con, request.code, request.options))
    else:
        fitted = kept.kept_decline(con, request.code, request.options, auto=not request.use_saved)
    return fitted if request.ratio_phase is None else ratio_decline(con, fitted, request.ratio_phase)
