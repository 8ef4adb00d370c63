"""The Decline view of a well: a semi-log chart of the history, the fit and the forecast, the curve's parameters,
results and flags (in the app's units), and keys to move the fit window, leave months out, pick the model, lock
qi, Di and b, set Dmin and the limit, switch phase and basis. ctrl+e exports the monthly forecast."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from wellprod_tui import queries
from wellprod_tui.core.settings import DeclineSettings
from wellprod_tui.decline import render
from wellprod_tui.decline.analysis import DeclineError, Options, WellDecline, WellHistory, fit_well, read_well_history
from wellprod_tui.decline.ratios import RatioDecline
from wellprod_tui.tui import decline_keys, keys
from wellprod_tui.tui.decline_chart import DeclineChart
from wellprod_tui.tui.decline_kept import KeptFits, ratio_of
from wellprod_tui.tui.decline_panel import describe, key_hints, window_hints
from wellprod_tui.tui.ratio_panel import describe_ratio
from wellprod_tui.tui.services import watch_view, wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import cancelled, with_cursor

#: What a key does to the fit's options, given the options so far and the fit shown (None: none yet).
Change = Callable[[Options, "WellDecline | None"], Options]


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
        #: Gas or water forecast from the oil fit (the phase key's last steps), and that forecast.
        self.ratio_phase: str | None = None
        self.ratio: RatioDecline | None = None
        self.kept = KeptFits(self, well_code)
        self._start_from_saved = True  # a phase shown anew starts from its saved fit
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
        phase = self.options.phase if self.ratio_phase is None else f"{self.ratio_phase} from oil"
        return f"Decline · well {self.well_code} · {phase} · {basis} · {window_hints(self._keymap)}"

    @work(thread=True, exclusive=True, exit_on_error=False, group="decline")
    def _fit(self, options: Options) -> None:
        history, ratio_phase = self.history, self.ratio_phase
        result, ratio, error = None, None, None
        try:
            if history is None or history.phase != options.phase:  # a new phase is the only new read
                history = with_cursor(self, lambda cur: read_well_history(cur, self.well_code, options.phase))
            if self._start_from_saved:
                options, self._start_from_saved = self.kept.start(options), False
            result = self.kept.mark(fit_well(history, options))
            ratio = None if ratio_phase is None else ratio_of(self, result, ratio_phase)
        except (DeclineError, queries.NotFound) as exc:
            error = str(exc)
        if not cancelled():
            self.app.call_from_thread(self._show, options, result, error, history, ratio)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A fit that failed (the App shows why) or was cancelled lets the keys waiting apply."""
        if event.worker.group == "decline" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._fitting = False
            if self._changes:
                self._apply_changes()

    def _show(self, options: Options, result: WellDecline | None, error: str | None,
              history: WellHistory | None, ratio: RatioDecline | None = None) -> None:
        self._fitting = False
        self.options = options  # a saved fit's, when the phase started from one
        self.result, self.error, self.history, self.ratio = result, error, history, ratio
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
            hints = key_hints(self._keymap)
            panel.update(describe(self.result, self._keymap, system) if self.ratio is None
                         else describe_ratio(self.ratio, hints, system))
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
        self._change(self._next_phase)

    def _next_phase(self, options: Options, _result: WellDecline | None) -> Options:
        changed, self.ratio_phase = decline_keys.next_phase_view(options, self.ratio_phase, self.settings)
        self._start_from_saved = changed.phase != options.phase
        return changed

    def action_save(self) -> None:
        """Keep the fit shown as the well's fit in force for its phase (with who and when)."""
        if self.result is None or self._fitting:
            self.notify("No fit to save yet.", severity="warning")
            return
        self._save(self.result)

    @work(thread=True, exclusive=True, exit_on_error=False, group="decline-save")
    def _save(self, result: WellDecline) -> None:
        saved = self.kept.save(result)
        self.app.call_from_thread(self._saved, saved)

    def _saved(self, saved: WellDecline) -> None:
        assert saved.saved is not None
        if self.result is not None and self.result.options == saved.options:
            self.result = saved
            if self.ratio is not None and self.ratio.oil.options == saved.options:  # the oil fit under gas/water
                self.ratio = replace(self.ratio, oil=saved)
            self._redraw()
        self.notify(f"Saved the {saved.options.phase} fit of well {saved.well_code} ({saved.saved.saved_on}).")

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
        shown = self.result if self.ratio is None else self.ratio
        if shown is None:
            return None
        system = wellprod_app(self).units
        phase = shown.options.phase
        return queries.forecast_view(f"decline-{self.well_code}-{phase}", system.unit("rate", phase).key,
                                     system.unit("volume", phase).key, render.forecast_rows(shown, system),
                                     render.parameter_columns(shown, system))
