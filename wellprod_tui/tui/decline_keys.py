"""What each key of the Decline views does to the fit's options: plain functions of the options (and the fit
shown), so that the screens only ask and redraw."""

from __future__ import annotations

from dataclasses import replace

from wellprod_tui.core.months import WindowError, month_list_text, parse_month_list
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.core.vocabulary import BASES, FIT_MODELS, MEASURED_PHASES, PHASE_UNITS
from wellprod_tui.decline.analysis import DeclineInputError, Options, WellDecline

B_NUDGE = 0.05
#: Models that have no b of their own to lock or nudge.
FIXED_B = ("exponential", "harmonic")


def _cycle(values: tuple[str, ...], current: str) -> str:
    return values[(values.index(current) + 1) % len(values)]


def moved(options: Options, result: WellDecline, edge: str, step: int) -> Options:
    """The fit's first (``edge`` "start") or last month moved by ``step`` months; at least 3 months stay.
    Moves start from the fit shown, or from the months ``options`` ask for when moved since (keys add up)."""
    shown = result.options == options
    start = result.fit_start if shown or options.from_month is None else options.from_month
    end = result.fit_end if shown or options.to_month is None else options.to_month
    if edge == "start":
        return replace(options, from_month=min(start + step, end - 2))
    return replace(options, to_month=min(max(end + step, start + 2), int(result.history_months.max())))


def next_model(options: Options) -> tuple[Options, str | None]:
    """The next model (auto, exponential, hyperbolic, harmonic, modified), and a note when one was skipped
    (modified needs Dmin)."""
    model, note = _cycle(FIT_MODELS, options.model), None
    if model == "modified" and options.dmin is None:
        model, note = _cycle(FIT_MODELS, model), "modified needs Dmin: press x to set it"
    b = None if model in FIXED_B else options.b
    return replace(options, model=model, b=b), note


def nudged_b(options: Options, result: WellDecline | None, direction: int) -> Options:
    """b locked and moved by 0.05 in ``direction`` (within 0..2), from the locked or fitted b."""
    current = options.b if options.b is not None else (result.curve.b if result else 0.5)
    b = min(max(round(current + direction * B_NUDGE, 2), 0.0), 2.0)
    model = "hyperbolic" if options.model in FIXED_B else options.model
    return replace(options, b=b, model=model)


def toggled_b(options: Options, result: WellDecline | None) -> Options:
    """b locked at its fitted value, or free again."""
    if options.b is not None:
        return replace(options, b=None)
    if result is not None and options.model not in FIXED_B:
        return replace(options, b=round(result.curve.b, 2))
    return options


def toggled_qi(options: Options, result: WellDecline | None) -> Options:
    """qi locked at its fitted value, or free again."""
    if options.qi_fixed is not None:
        return replace(options, qi_fixed=None)
    return options if result is None else replace(options, qi_fixed=result.curve.qi)


def toggled_di(options: Options, result: WellDecline | None) -> Options:
    """Di locked at its fitted value (nominal per year), or free again."""
    if options.di_fixed is not None:
        return replace(options, di_fixed=None)
    return options if result is None else replace(options, di_fixed=result.curve.di_nominal, di_type="nominal")


def toggled_month(options: Options, result: WellDecline | None, month: int) -> Options:
    """``month`` left out of the fit, or back in: an excluded month comes back, a spike is kept, a spike kept is
    a spike again, any other month is excluded."""
    if month in options.exclude:
        return replace(options, exclude=tuple(m for m in options.exclude if m != month))
    if month in options.include:
        return replace(options, include=tuple(m for m in options.include if m != month))
    if result is not None and month in result.spikes:
        return replace(options, include=tuple(sorted((*options.include, month))))
    return replace(options, exclude=tuple(sorted((*options.exclude, month))))


def next_phase(options: Options, settings: DeclineSettings) -> Options:
    """The next phase (oil, gas, water) over its whole history, with that phase's default limit."""
    phase = _cycle(MEASURED_PHASES, options.phase)
    return replace(options, phase=phase, qel=settings.qel(phase), from_month=None, to_month=None, qi_fixed=None,
                   exclude=(), include=(), defaulted=tuple(dict.fromkeys((*options.defaulted, "qel"))))


def next_basis(options: Options) -> Options:
    """Calendar-day or producing-day rates."""
    return replace(options, basis=_cycle(BASES, options.basis))


def asked(options: Options, what: str, per_day: float = 1.0, unit: str | None = None) -> tuple[str, str]:
    """The value and the prompt of the box that asks for Dmin (``what`` "dmin"), the limit ("qel", in ``unit``,
    ``per_day`` of it to the stored unit) or the months left out ("exclude")."""
    if what == "dmin":
        value = "" if options.dmin is None else f"{options.dmin * 100:g}"
        return value, "Dmin, tangent effective %/yr (e.g. 8); empty for none; Enter"
    if what == "exclude":
        return month_list_text(options.exclude), "months left out: 2019-03,2019-05..2019-07; empty for none; Enter"
    unit = unit or PHASE_UNITS[options.phase][0]
    return f"{options.qel * per_day:g}", f"economic limit in {unit} (0 for none); Enter"


def typed(options: Options, what: str, text: str, per_day: float = 1.0) -> Options:
    """The options with a typed Dmin (``what`` "dmin": tangent %/yr, empty for none), economic limit ("qel": a
    rate per day, ``per_day`` of it to the stored unit) or months left out ("exclude"); DeclineInputError (a
    ValueError) worded for the app, saying what is wrong."""
    text = text.strip()
    if what == "exclude":
        try:
            months = parse_month_list(text, "months left out")
        except WindowError as exc:
            raise DeclineInputError("exclude", str(exc).removeprefix("months left out: ")) from None
        return replace(options, exclude=months)
    try:
        value = float(text) if text else None
    except ValueError:
        raise DeclineInputError(what, f"is not a number: {text!r}") from None
    if what == "dmin":
        if value is not None and not 0 < value < 100:
            raise DeclineInputError("dmin", f"is a tangent percentage per year between 0 and 100, not {value:g}")
        dmin = None if value is None else value / 100
        model = options.model if dmin is not None or options.model != "modified" else "auto"
        changed = replace(options, dmin=dmin, dmin_type="tangent", model=model)
    elif value is None:
        raise DeclineInputError("qel", "must be a rate of 0 or more (0 for none)")
    else:
        changed = replace(options, qel=value / per_day, defaulted=tuple(d for d in options.defaulted if d != "qel"))
    changed.check()  # the same check as the CLI's, worded with the app's names
    return changed
