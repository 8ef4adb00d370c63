"""The Decline view's panel for a fitted phase: the curve's parameters (each decline with its convention, locks
and defaults said), the results in the app's units, the months left out, whether the fit is the saved one, the
flags, and the keys as they are mapped now."""

from __future__ import annotations

from collections.abc import Mapping

from textual.markup import escape

from wellprod_tui.core import units
from wellprod_tui.core.months import month_label
from wellprod_tui.decline import render
from wellprod_tui.decline.analysis import WellDecline
from wellprod_tui.tui import keys

__all__ = ["DEFAULT_NAMES", "describe", "key_hints", "panel_number", "window_hints"]

#: How the panel names the defaults a fit took (limit and cap from the config, Dmin for b >= 1).
DEFAULT_NAMES = {"qel": "limit", "years": "cap", "dmin": "Dmin"}


def panel_number(value: float | None, digits: int = 1) -> str:
    """The figure with ``digits`` decimals, fewer when it is large (the panel is narrow)."""
    if value is None:
        return "-"
    return f"{value:,.{digits if abs(value) < 100 else min(digits, 1) if abs(value) < 10_000 else 0}f}"


def key_hints(keymap: Mapping[str, str]) -> str:
    """The panel's last lines: the keys that reshape the fit, as they are mapped now."""

    def k(binding_id: str) -> str:
        return escape(keys.hint(f"decline-{binding_id}", keymap))

    return (f"[dim]{k('model')} model  {k('b-down')}/{k('b-up')} b  {k('dmin')} Dmin\n"
            f"{k('lock-b')}/{k('lock-qi')}/{k('lock-di')} lock b/qi/Di  {k('phase')} phase\n"
            f"{k('exclude')} out  {k('qel')} limit  {k('basis')} basis\n{k('save')} save the fit[/dim]")


def window_hints(keymap: Mapping[str, str]) -> str:
    """``[ ] start  { } end``: the keys that move the fit's window, as they are mapped now."""

    def k(binding_id: str) -> str:
        return escape(keys.hint(f"decline-{binding_id}", keymap))

    return f"{k('start-earlier')} {k('start-later')} start  {k('end-earlier')} {k('end-later')} end"


def describe(result: WellDecline, keymap: Mapping[str, str] | None = None,
             system: units.UnitSystem = units.FIELD) -> str:
    """The panel: the curve's parameters (each decline labelled with its convention, locks and defaults said),
    the results in ``system``'s units, the months left out, the flags, the keys."""
    s = render.Scale.of(result.options.phase, system)
    options, curve, forecast = result.options, result.curve, result.forecast

    def said(locked: bool) -> str:
        return " locked" if locked else ""

    dmin = "none"
    if curve.dmin_tangent is not None:
        dmin = f"{curve.dmin_tangent * 100:.1f}% tangent"
        dmin += f"\n        switch {result.switch_month}" if result.switch_month else ""
    if result.limit_passed is not None:
        until = f"reached {result.limit_passed}"
    else:
        until = result.limit_month or f"{result.cap_month} (cap)"
    flags = ", ".join(f.name for f in result.flags) or "none"
    lines = [
        f"[b]{curve.model}[/b] ({options.model})",
        *([f"saved   {result.saved.saved_on}"] if result.saved else []),
        f"qi      {panel_number(s.q(curve.qi), 3)} {s.rate}{said(options.qi_fixed is not None)}",
        f"Di      {curve.di_nominal:.3f}/yr nominal{said(options.di_fixed is not None)}",
        f"        {curve.di_secant * 100:.1f}% secant",
        f"        {curve.di_tangent * 100:.1f}% tangent",
        f"b       {curve.b:.2f} {'locked' if options.b is not None else 'fitted'}",
        f"Dmin    {dmin}",
        f"fit     {month_label(result.fit_start)}..{month_label(result.fit_end)}",
        f"points  {result.points} · rmse {result.rmse_log:.3f}",
    ]
    if result.left_out:
        lines.append(f"out {escape(render.left_out_text(result.left_out).replace('excluded', 'excl.'))}")
    lines += [
        f"cum     {panel_number(s.v(result.cum_to_date))} [b]{s.volume}[/b]",
        f"EUR     {panel_number(s.v(result.eur))}",
        f"remain  {panel_number(s.v(forecast.remaining))}",
        f"next 12 {panel_number(s.v(forecast.next_12_months))}",
        f"limit   {until}",
        f"qel     {s.q(options.qel):.3g} {s.rate}",
        f"default {', '.join(DEFAULT_NAMES[d] for d in result.defaults) or 'none'}",
        f"[b]flags[/b] {escape(flags)}",
        key_hints(keymap or {}),
    ]
    return "\n".join(lines)
