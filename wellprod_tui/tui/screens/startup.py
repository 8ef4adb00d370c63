"""The first screen while the database opens, and the screen saying why it cannot be opened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Static

from wellprod_tui.core.text import visible_lines


class StartupScreen(Screen):
    """Shown for the moment the database takes to open, or while another process holds it."""

    def compose(self) -> ComposeResult:
        """A header and one line."""
        yield Header()
        yield Static("Opening the database…", id="startup")
        yield Footer(compact=True, show_command_palette=False)

    def say(self, text: str) -> None:
        """Replace the line (empty: back to "Opening the database…"); plain text, shown visibly, never markup."""
        self.query_one("#startup", Static).update(Content(visible_lines(text or "Opening the database…")))


class DatabaseProblemScreen(ModalScreen[None]):
    """The database is locked or unreadable: what happened and what to do; any way out quits."""

    BINDINGS = [
        Binding("escape", "dismiss", "Quit", priority=True),
        Binding("enter", "dismiss", "Quit", show=False),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """The message and a Quit button."""
        with Vertical(id="problem"):
            yield Static("The database cannot be opened", classes="title")
            yield Static(Content(visible_lines(self.text)), id="problem-text")
            yield Button("Quit", variant="error", id="problem-quit")

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        """Quit."""
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; Enter or y says yes, Escape or n says no."""

    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "No", priority=True),
        Binding("y", "dismiss(True)", "Yes", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="confirm"):
            yield Static(self.question, classes="title")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes")
                yield Button(f"{self.no} (n)", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        """The safe answer has the focus."""
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer."""
        self.dismiss(event.button.id == "confirm-yes")
