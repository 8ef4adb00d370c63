"""The Decline view of a well: a semi-log chart of the history, the fit and the forecast, the curve's parameters,
results and flags (in the app's units), and keys to move the fit window, leave months out, pick the model, lock
qi, Di and b, set Dmin and the limit, switch phase and basis. ctrl+e exports the monthly forecast."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping

import numpy as np
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from wellprod_tui import queries
from wellprod_tui.core import units
from wellprod_tui.core.months import month_label
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.decline import render
from wellprod_tui.decline.analysis import DeclineError, Options, WellDecline, WellHistory, fit_well, read_well_history
from wellprod_tui.tui import decline_keys, keys
from wellprod_tui.tui.decline_chart import DeclineChart
from wellprod_tui.tui.services import watch_view, wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import cancelled, with_cursor

#: What a key does to the fit's options, given the options so far and the fit shown (None: none yet).
Change = Callable[[Options, "WellDecline | None"], Options]


#: How the panel names the defaults a fit took (limit and cap from the config, Dmin for b >= 1).
DEFAULT_NAMES = {"qel": "limit", "years": "cap", "dmin": "Dmin"}


def _num(value: float | None, digits: int = 1) -> str:
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
            f"{k('exclude')} out  {k('qel')} limit  {k('basis')} basis[/dim]")


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
        f"qi      {_num(s.q(curve.qi), 3)} {s.rate}{said(options.qi_fixed is not None)}",
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
        f"cum     {_num(s.v(result.cum_to_date))} [b]{s.volume}[/b]",
        f"EUR     {_num(s.v(result.eur))}",
        f"remain  {_num(s.v(forecast.remaining))}",
        f"next 12 {_num(s.v(forecast.next_12_months))}",
        f"limit   {until}",
        f"qel     {s.q(options.qel):.3g} {s.rate}",
        f"default {', '.join(DEFAULT_NAMES[d] for d in result.defaults) or 'none'}",
        f"[b]flags[/b] {escape(flags)}",
        key_hints(keymap or {}),
    ]
    return "\n".join(lines)


class DeclineScreen(Screen[None]):
    """A well's decline: fit, forecast and EUR, redone as the keys change the options."""

    AUTO_FOCUS = None  # the keys are the screen's; the input takes focus only while asking
    BINDINGS = keys.bindings(keys.DECLINE)

    def __init__(self, well_code: int, settings: DeclineSettings) -> None:
        super().__init__()
        self.well_code = well_code
        self.settings = settings
        self.options = Options.from_settings(settings)
        self.result: WellDecline | None = None
        #: The well's records of the phase shown, read once: every key but the phase's refits from them.
        self.history: WellHistory | None = None
        self.error: str | None = None
        self._asking = ""
        #: Keys' changes waiting for the fit running to end: each counts, applied in order, then one refit.
        self._changes: deque[Change] = deque()
        self._fitting = False
        self._version = 0
        #: Month index of the highlighted point (None until a key moves it).
        self.point: int | None = None

    @property
    def _keymap(self) -> dict[str, str]:
        return dict(wellprod_app(self).cfg.keys)

    def compose(self) -> ComposeResult:
        """Title, chart beside the panel, an input for Dmin and the limit, keys."""
        yield Static(id="decline-title")
        with Horizontal(id="decline-body"):
            yield DeclineChart(id="decline-chart")
            yield Static("fitting…", id="decline-panel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Fit with the default options."""
        self._version = wellprod_app(self).backend.data_version
        watch_view(self, lambda: self._redraw())
        self.refit()

    def on_screen_resume(self) -> None:
        """Fit again when an import committed while another screen was shown."""
        if self._version != wellprod_app(self).backend.data_version:
            self.data_changed()

    def data_changed(self) -> None:
        """An import committed: read the well's records again and refit (after the fit running, if any)."""
        self._version = wellprod_app(self).backend.data_version
        self._change(self._forget_history)

    def _forget_history(self, options: Options, _result: WellDecline | None) -> Options:
        self.history = None
        return options

    def refit(self) -> None:
        """Fit and forecast again with ``self.options`` (in a worker)."""
        self.query_one("#decline-title", Static).update(self._title())
        self._fitting = True
        self._fit(self.options)

    def _change(self, change: Change) -> None:
        """Apply a key's change now, or once the fit running ends: a fit never drops a key."""
        self._changes.append(change)
        if not self._fitting:
            self._apply_changes()

    def _apply_changes(self) -> None:
        options = self.options
        while self._changes:
            options = self._changes.popleft()(options, self.result)
        self.options = options
        self.refit()

    def _title(self) -> str:
        basis = f"{self.options.basis}-day rates"
        return f"Decline · well {self.well_code} · {self.options.phase} · {basis} · {window_hints(self._keymap)}"

    @work(thread=True, exclusive=True, exit_on_error=False, group="decline")
    def _fit(self, options: Options) -> None:
        history = self.history
        result, error = None, None
        try:
            if history is None or history.phase != options.phase:  # a new phase is the only new read
                history = with_cursor(self, lambda cur: read_well_history(cur, self.well_code, options.phase))
            result = fit_well(history, options)
        except (DeclineError, queries.NotFound) as exc:
            error = str(exc)
        if not cancelled():
            self.app.call_from_thread(self._show, options, result, error, history)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A fit that failed (the App shows why) or was cancelled lets the keys waiting apply."""
        if event.worker.group == "decline" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._fitting = False
            if self._changes:
                self._apply_changes()

    def _show(self, options: Options, result: WellDecline | None, error: str | None,
              history: WellHistory | None) -> None:
        self._fitting = False
        self.result, self.error, self.history = result, error, history
        if self._changes:  # keys pressed during this fit: apply them all and fit once more
            self._apply_changes()
            return
        if result is None:
            self.notify(error or "cannot fit", severity="warning", markup=False)
        self._redraw(options)

    def _redraw(self, options: Options | None = None) -> None:
        """The panel and the chart of the fit shown, in the app's units (again when they change)."""
        system = wellprod_app(self).units
        panel = self.query_one("#decline-panel", Static)
        if self.result is None:
            panel.update(f"[b]cannot fit[/b]\n{literal(self.error or '', lines=True)}")
        else:
            panel.update(describe(self.result, self._keymap, system))
        self.query_one(DeclineChart).show_history(options or self.options, self.result, self.history, system,
                                                  self.point)

    # ---- keys --------------------------------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the well."""
        if self._asking:
            self._end_ask()
            return
        self.dismiss(None)

    def action_move(self, edge: str, step: int) -> None:
        """Move the fit's first or last month by a month."""
        self._change(lambda options, result: self._moved(options, result, edge, step))

    def _moved(self, options: Options, result: WellDecline | None, edge: str, step: int) -> Options:
        if result is None:
            self.notify("No fit to move yet.", severity="warning")
            return options
        return decline_keys.moved(options, result, edge, step)

    def action_model(self) -> None:
        """Next model: auto, exponential, hyperbolic, harmonic, modified (which needs Dmin)."""
        self._change(self._next_model)

    def _next_model(self, options: Options, _result: WellDecline | None) -> Options:
        options, note = decline_keys.next_model(options)
        if note:
            self.notify(note, timeout=3)
        return options

    def action_nudge_b(self, direction: int) -> None:
        """Lock b and move it by 0.05 (within 0..2)."""
        self._change(lambda options, result: decline_keys.nudged_b(options, result, direction))

    def action_lock_b(self) -> None:
        """Lock b at its fitted value, or free it again."""
        self._change(decline_keys.toggled_b)

    def action_point(self, step: int) -> None:
        """Move the highlighted point to the next (``step`` 1) or previous producing month of the history."""
        if self.history is None:
            return
        rates = self.history.basis_rates(self.options.basis)
        months = self.history.months[np.isfinite(rates) & (rates > 0)]
        if not months.size:
            return
        start = self.point if self.point is not None else (self.result.fit_start if self.result else int(months[-1]))
        at = int(np.searchsorted(months, start))
        moved = at + step if self.point is not None else at
        self.point = int(months[min(max(moved, 0), months.size - 1)])
        self._redraw()

    def action_toggle_point(self) -> None:
        """Leave the highlighted month out of the fit, or take it back (a spike left out is kept)."""
        point = self.point
        if point is None:
            self.notify("Highlight a month first: , and . move the point.", severity="warning")
            return
        self._change(lambda options, result: decline_keys.toggled_month(options, result, point))

    def action_lock(self, what: str) -> None:
        """Lock qi (``what`` "qi") or Di ("di") at its fitted value, or free it again."""
        self._change(decline_keys.toggled_qi if what == "qi" else decline_keys.toggled_di)

    def action_phase(self) -> None:
        """Next phase: oil, gas, water (the limit becomes that phase's default)."""
        self._change(lambda options, _result: decline_keys.next_phase(options, self.settings))

    def action_basis(self) -> None:
        """Calendar-day or producing-day rates."""
        self._change(lambda options, _result: decline_keys.next_basis(options))

    def action_ask(self, what: str) -> None:
        """Type Dmin (tangent %/yr, empty: none) or the economic limit (rate per day)."""
        self._end_ask()
        self._asking = what
        scale = render.Scale.of(self.options.phase, wellprod_app(self).units)
        value, placeholder = decline_keys.asked(self.options, what, scale.rate_factor, scale.rate)
        box = Input(value, placeholder=placeholder, id="decline-input")
        self.mount(box)
        box.focus()

    def _end_ask(self) -> None:
        self._asking = ""
        for box in self.query("#decline-input"):
            box.remove()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Apply the typed Dmin or limit."""
        event.stop()
        try:  # checked against the options now; applied to the options the keys before it leave
            decline_keys.typed(self.options, self._asking, event.value, self._per_day())
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        asked, typed = self._asking, event.value
        self._end_ask()
        self._change(lambda options, _result: self._typed(options, asked, typed))

    def _per_day(self) -> float:
        return render.Scale.of(self.options.phase, wellprod_app(self).units).rate_factor

    def _typed(self, options: Options, asked: str, typed: str) -> Options:
        try:
            return decline_keys.typed(options, asked, typed, self._per_day())
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return options

    def export_view(self) -> queries.View | None:
        """The monthly forecast (month, rate, volume, cumulative) for ctrl+e."""
        if self.result is None:
            return None
        system = wellprod_app(self).units
        phase = self.result.options.phase
        return queries.forecast_view(f"decline-{self.well_code}-{phase}", system.unit("rate", phase).key,
                                     system.unit("volume", phase).key, render.forecast_rows(self.result, system))
