"""How the app shows figures: the units (cycled with u, remembered in the state file like the theme), rates or
monthly volumes (v), and the time window (last 12 / 24 / 60 months, all, or typed bounds); shown in the header."""

from __future__ import annotations

import logging
from typing import Any

from textual import work
from textual.content import Content

from wellprod_tui.core import config, units
from wellprod_tui.core.months import ALL, Window
from wellprod_tui.tui.app_base import AppBase
from wellprod_tui.tui.services import FollowsView, wellprod_app

log = logging.getLogger(__name__)


class ViewChoices(AppBase):
    """The units, rates or volumes, and the time window every screen follows."""

    units: units.UnitSystem = units.FIELD
    window: Window = ALL
    #: Monthly volumes (rate x days in month) instead of calendar-day rates in histories and charts.
    volumes: bool = False
    #: Bumped when any of them changes: screens read again when next shown.
    view_version: int = 0
    #: The app's state file's contents (theme, units), set by the App.
    _state: dict[str, Any]

    def choose_units(self, cfg: config.Config, state: dict) -> None:
        """The units of the state file (a choice made in the app), else of the config."""
        try:
            self.units = units.system(str(state.get("units") or cfg.ui.units))
        except ValueError:
            self.units = units.system(cfg.ui.units)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The title with the units and the window: ``wellprod · metric · 2022-01 .. 2023-12``."""
        return super().format_title(f"{title} · {self.units.name} · {self.window.label}", sub_title)

    def action_cycle_units(self) -> None:
        """Field, field-small, metric units (remembered)."""
        self.units = units.following(self.units)
        self._state["units"] = self.units.name
        try:
            config.save_state(self._state)
        except OSError as exc:
            log.warning("cannot save the state file: %s", exc)
        self.notify(f"Units: {self.units.name} ({self.units.rates_label})", timeout=3)
        self.view_changed()

    def action_toggle_volumes(self) -> None:
        """Calendar-day rates or monthly volumes."""
        self.volumes = not self.volumes
        self.view_changed()

    def action_last_months(self, months: int) -> None:
        """The last ``months`` months of the database (0: all months)."""
        if months <= 0:
            self.set_window(ALL)
        elif self.database.is_open:
            self._last_months(months)

    @work(thread=True, exclusive=True, exit_on_error=False, group="window")
    def _last_months(self, months: int) -> None:
        from wellprod_tui import queries

        with wellprod_app(self).reading() as cur:
            latest = queries.last_month(cur)
        if latest is None:
            self.call_from_thread(self.notify, "No months yet: import a file first.", severity="warning")
        else:
            self.call_from_thread(self.set_window, Window.last_months(months, latest))

    def action_type_window(self) -> None:
        """Type the window's bounds."""
        from wellprod_tui.tui.screens.window_dialog import WindowDialog

        self.push_screen(WindowDialog(self.window), self._typed)

    def _typed(self, window: Window | None) -> None:
        if window is not None:
            self.set_window(window)

    def set_window(self, window: Window) -> None:
        """Show the months of ``window`` everywhere."""
        self.window = window
        self.view_changed()

    def view_changed(self) -> None:
        """Units, rates or volumes, or the window changed: the header says so, the screen reads again."""
        self.view_version += 1
        self.mutate_reactive(AppBase.title)  # the header asks format_title again
        if isinstance(self.screen, FollowsView):
            self.screen.follow_view()
