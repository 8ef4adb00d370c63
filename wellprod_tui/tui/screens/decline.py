"""The Decline view of a well: a semi-log chart of the history, the fit and the forecast, the curve's parameters
and results, and keys to move the fit window, pick the model, nudge b, set Dmin and the limit, switch phase and
basis. ctrl+e exports the monthly forecast."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState
from textual_plotext import PlotextPlot

from wellprod_tui import queries
from wellprod_tui.core.config import DeclineSettings
from wellprod_tui.core.months import month_label, parse_month_index
from wellprod_tui.decline import curves, render
from wellprod_tui.decline.analysis import DeclineError, Options, WellDecline, WellHistory, fit_well, read_well_history
from wellprod_tui.decline.ratios import RatioDecline
from wellprod_tui.tui import decline_keys, keys
from wellprod_tui.tui.decline_kept import KeptFits, ratio_of
from wellprod_tui.tui.ratio_panel import describe_ratio
from wellprod_tui.tui.services import wellprod_app
from wellprod_tui.tui.shown import literal
from wellprod_tui.tui.widgets import cancelled, with_cursor

#: The forecast is drawn down to the lowest rate of the history divided by this (two decades).
CHART_DECADES_BELOW = 100.0
#: What a key does to the fit's options, given the options so far and the fit shown (None: none yet).
Change = Callable[[Options, "WellDecline | None"], Options]


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def key_hints(keymap: Mapping[str, str]) -> str:
    """The panel's last lines: the keys that reshape the fit, as they are mapped now."""

    def k(binding_id: str) -> str:
        return escape(keys.hint(f"decline-{binding_id}", keymap))

    return (f"[dim]{k('model')} model  {k('lock-b')} lock  {k('b-down')}/{k('b-up')} b\n"
            f"{k('dmin')} Dmin  {k('qel')} limit  {k('phase')} phase\n{k('basis')} basis  {k('save')} save  "
            f"{k('close')} back[/dim]")


def window_hints(keymap: Mapping[str, str]) -> str:
    """``[ ] start  { } end``: the keys that move the fit's window, as they are mapped now."""

    def k(binding_id: str) -> str:
        return escape(keys.hint(f"decline-{binding_id}", keymap))

    return f"{k('start-earlier')} {k('start-later')} start  {k('end-earlier')} {k('end-later')} end"


def describe(result: WellDecline, keymap: Mapping[str, str] | None = None) -> str:
    """The panel: the curve's parameters (each decline labelled with its convention), the results, the keys."""
    rate, volume = result.options.units
    curve, forecast = result.curve, result.forecast
    locked = "locked" if result.options.b is not None else "fitted"
    dmin = "none"
    if curve.dmin_tangent is not None:
        dmin = f"{curve.dmin_tangent * 100:.1f}% tangent"
        dmin += f"\n        switch {result.switch_month}" if result.switch_month else ""
    until = result.limit_month or f"{forecast.months[-1].month if forecast.months else '-'} (cap)"
    return "\n".join([
        f"[b]{curve.model}[/b] ({result.options.model})",
        *([f"saved   {result.saved.saved_on}"] if result.saved else []),
        f"qi      {_num(curve.qi, 3)} {rate}",
        f"        at {month_label(result.fit_start)}",
        f"Di      {curve.di_nominal:.3f}/yr nominal",
        f"        {curve.di_secant * 100:.1f}% secant",
        f"        {curve.di_tangent * 100:.1f}% tangent",
        f"b       {curve.b:.2f} {locked}",
        f"Dmin    {dmin}",
        f"fit     {month_label(result.fit_start)}..{month_label(result.fit_end)}",
        f"points  {result.points} · rmse {result.rmse_log:.3f}",
        f"[b]results[/b] ({volume})",
        f"cum     {_num(result.cum_to_date)}",
        f"EUR     {_num(result.eur)}",
        f"remain  {_num(forecast.remaining)}",
        f"next 12 {_num(forecast.next_12_months)}",
        f"limit   {until}",
        f"qel     {result.options.qel:g} {rate}",
        key_hints(keymap or {}),
    ])


class DeclineChart(PlotextPlot):
    """History (months used and left out), the fitted segment, and the forecast dotted to the limit; log rates."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[str, WellDecline | None, list[str], list[float], list[bool]] | None = None

    def show_result(self, title: str, result: WellDecline | None, months: list[str], rates: list[float],
                    used: list[bool]) -> None:
        """Draw the history and, when there is one, the fit and forecast."""
        self._shown = (title, result, months, rates, used)
        self.refresh()

    def show_history(self, options: Options, result: WellDecline | None, history: WellHistory | None) -> None:
        """Draw a well's ``history`` in the options' basis, with the fit when there is one."""
        months = history.months if history is not None else np.zeros(0, dtype=np.int64)
        rates = history.basis_rates(options.basis) if history is not None else np.zeros(0)
        used = result.history_used.tolist() if result is not None else [False] * len(months)
        title = f"{options.phase} {options.units[0]} (log)"
        self.show_result(title, result, [month_label(int(m)) for m in months], rates.tolist(), used)

    def render(self) -> Any:
        """Plot afresh each time: plotext's build takes the log of the data in place, so a second build of the
        same data (after a resize) would take it twice."""
        if self._shown is not None:
            self._draw(*self._shown)
        return super().render()

    def _draw(self, title: str, result: WellDecline | None, months: list[str], rates: list[float],
              used: list[bool]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.date_form("Y-m")
        plt.title(title)
        plain = "NO_COLOR" in os.environ
        kept = [(m, r, u) for m, r, u in zip(months, rates, used, strict=True) if np.isfinite(r) and r > 0]
        legend = []  # under the plot, where it hides no data (the peak sits top-left, where plotext puts its own)
        for flag, name, marker, colour in ((True, "fitted", "●", "green"), (False, "left out", "x", "gray")):
            points = [(m, r) for m, r, u in kept if u is flag]
            if points:
                plt.scatter([m for m, _ in points], [r for _, r in points], marker=marker,
                            color="default" if plain else colour)
                legend.append(f"{marker} {name}")
        if result is not None:
            window = [m for m, _, u in kept if u]
            index = [parse_month_index(m) for m in window]
            starts = curves.month_start_days(np.array(index))
            lengths = curves.month_start_days(np.array(index) + 1) - starts
            middle = starts - curves.month_start_days(result.fit_start) + lengths / 2
            plt.plot(window, result.curve.rate(middle).tolist(), marker="braille",
                     color="default" if plain else "yellow")
            legend.append("⢕ fit")
            floor = min(r for _, r, _ in kept) / CHART_DECADES_BELOW  # keep the history readable
            rows = [(m, r) for m, r, _, _ in result.forecast.months if r >= floor][::2]
            if rows:
                plt.scatter([m for m, _ in rows], [r for _, r in rows], marker="dot",
                            color="default" if plain else "orange")
                legend.append("• forecast")
        plt.xlabel("  ".join(legend))
        if kept:  # plotext cannot scale an empty plot logarithmically
            plt.yscale("log")
            low, high = min(r for _, r, _ in kept) / CHART_DECADES_BELOW, max(r for _, r, _ in kept)
            # decades inside the plotted range only: one below it is printed on the dates' row and runs into them
            decades = [10.0 ** k for k in range(int(np.ceil(np.log10(low))), int(np.floor(np.log10(high))) + 1)]
            plt.yticks(decades or [low, high], [f"{v:.3g}" for v in decades or [low, high]])
        else:
            plt.title(f"{title}: no production")


class DeclineScreen(Screen[None]):
    """A well's decline: fit, forecast and EUR, redone as the keys change the options."""

    AUTO_FOCUS = None  # the keys are the screen's; the input takes focus only while asking
    BINDINGS = keys.bindings(keys.DECLINE)

    def __init__(self, well_code: int, settings: DeclineSettings) -> None:
        super().__init__()
        self.well_code = well_code
        self.settings = settings
        self.options = Options(qel=settings.qel("oil"), years=float(settings.cap_years))
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
        panel = self.query_one("#decline-panel", Static)
        if result is None:
            panel.update(f"[b]cannot fit[/b]\n{literal(error or '', lines=True)}")
            self.notify(error or "cannot fit", severity="warning", markup=False)
        else:
            hints = key_hints(self._keymap)
            panel.update(describe(result, self._keymap) if ratio is None else describe_ratio(ratio, hints))
        self.query_one(DeclineChart).show_history(options, result, history)

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
            if self.ratio is None:
                self.query_one("#decline-panel", Static).update(describe(saved, self._keymap))
        self.notify(f"Saved the {saved.options.phase} fit of well {saved.well_code} ({saved.saved.saved_on}).")

    def action_basis(self) -> None:
        """Calendar-day or producing-day rates."""
        self._change(lambda options, _result: decline_keys.next_basis(options))

    def action_ask(self, what: str) -> None:
        """Type Dmin (tangent %/yr, empty: none) or the economic limit (rate per day)."""
        self._end_ask()
        self._asking = what
        value, placeholder = decline_keys.asked(self.options, what)
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
            decline_keys.typed(self.options, self._asking, event.value)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        asked, typed = self._asking, event.value
        self._end_ask()
        self._change(lambda options, _result: self._typed(options, asked, typed))

    def _typed(self, options: Options, asked: str, typed: str) -> Options:
        try:
            return decline_keys.typed(options, asked, typed)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return options

    def export_view(self) -> queries.View | None:
        """The monthly forecast (month, rate, volume, cumulative) for ctrl+e."""
        shown = self.result if self.ratio is None else self.ratio
        if shown is None:
            return None
        rate, volume = shown.options.units
        return queries.forecast_view(f"decline-{self.well_code}-{shown.options.phase}", rate, volume,
                                     render.forecast_rows(shown), render.parameter_columns(shown))
