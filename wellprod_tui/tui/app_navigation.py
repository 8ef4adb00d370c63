"""Moving between the app's screens: modes, the search boxes, opening a well or field, going back."""

from __future__ import annotations

from textual.screen import ModalScreen

from wellprod_tui.tui.app_base import AppBase
from wellprod_tui.tui.services import ShowsOneItem


class Navigation(AppBase):
    """The screens and the way back."""

    def action_mode(self, mode: str) -> None:
        """Switch to a top-level screen (once the database is open)."""
        if not self.database.is_open:
            self.notify("The database is not open yet.", severity="warning")
            return
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        self.switch_mode(mode)

    def action_search(self, mode: str) -> None:
        """Switch to the Well or Field screen with its search box focused, its text selected."""
        self.action_mode(mode)
        screen = self.screen
        if isinstance(screen, ShowsOneItem):
            screen.call_later(screen.focus_search)  # once mounted

    def action_help(self) -> None:
        """Show every key, by screen."""
        from wellprod_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_well(self, code: int) -> None:
        """Switch to the Well screen showing one well."""
        self._open("well", code)

    def open_field(self, code: int) -> None:
        """Switch to the Field screen showing one field."""
        self._open("field", code)

    def _open(self, mode: str, code: int) -> None:
        here = self.screen
        if self.current_mode in ("stats", "well", "field"):
            shown = here.code if isinstance(here, ShowsOneItem) else None
            if (self.current_mode, shown) != (mode, code):
                self._back = [*self._back[-49:], (self.current_mode, shown)]
        self.action_mode(mode)
        screen = self.screen
        if isinstance(screen, ShowsOneItem):
            screen.call_later(screen.show, code)  # once mounted

    def go_back(self) -> None:
        """Back to the screen (and item, with its table's cursor) the current item was opened from."""
        if not self._back:
            return
        mode, code = self._back.pop()
        self.action_mode(mode)
        screen = self.screen
        if code is not None and isinstance(screen, ShowsOneItem):
            screen.call_later(screen.show, code)
