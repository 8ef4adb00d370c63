"""The time-window dialog: type the first and last months (either may be left open)."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from wellprod_tui.core.months import ALL, Window, WindowError, month_text


def parse_bounds(text: str) -> Window:
    """``2022-01 2023-12``, ``2022-01 .. 2023-12``, ``2022-01 ..``, ``.. 2023-12`` or ``all``/empty."""
    text = text.strip()
    if text.lower() in ("", "all"):
        return ALL
    found = re.fullmatch(r"(\S*?)\s*(?:\.\.|\s)\s*(\S*)", text) if (".." in text or " " in text) else None
    first, last = (found.group(1), found.group(2)) if found else (text, text)
    return Window.parse(first or None, last or None, names=("the first month", "the last month"))


class WindowDialog(ModalScreen[Window | None]):
    """Type the window's bounds; Enter applies, Escape leaves it as it was."""

    BINDINGS = [Binding("escape", "close", "Close", priority=True)]

    def __init__(self, current: Window) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        """A line of help and the input."""
        first = month_text(self.current.first) if self.current.first else ""
        last = month_text(self.current.last) if self.current.last else ""
        shown = f"{first} .. {last}".strip() if not self.current.is_all else ""
        with Vertical(id="window-dialog"):
            yield Static("Time window: first and last month, e.g. 2022-01 .. 2023-12, 2022-01 .., .. 2023-12 "
                         "or all (Enter applies, Escape closes)")
            yield Input(value=shown, placeholder="YYYY-MM .. YYYY-MM", id="window-bounds")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Apply the bounds typed, or say what is wrong with them."""
        event.stop()
        try:
            window = parse_bounds(event.value)
        except WindowError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.dismiss(window)

    def action_close(self) -> None:
        """Close without changing the window."""
        self.dismiss(None)
