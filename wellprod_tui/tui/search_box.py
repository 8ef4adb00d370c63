"""The well and field search box: type a code or a name, pick a match; keys typed early wait for the matches."""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from wellprod_tui import queries
from wellprod_tui.formatting import visible
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.widgets import cancelled, with_cursor


class SearchInput(Input):
    """The search box's input: a ``/`` typed out of habit into an empty (or all selected) box is not text."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "slash" and (not self.value or self.selection == Selection(0, len(self.value))):
            event.stop()
            event.prevent_default()
            self.action_select_all()


#: Keys that act on the matches, so wait for the matches of the text typed so far.
NAVIGATION_KEYS = ("down", "up", "enter")


class SearchBox(ErrorsShown, Vertical):
    """A search input with the matches listed as you type; Enter or a click chooses one.

    Enter opens an exact code, otherwise the highlighted match. Down, Up and Enter typed before the matches
    of the current text have arrived wait for them, and then apply in order (keys come in bursts).
    """

    BINDINGS = [Binding("down", "to_matches", "Matches", show=False)]

    class Chosen(Message):
        """A well or field code was chosen."""

        def __init__(self, code: int) -> None:
            super().__init__()
            self.code = code

    def __init__(self, kind: str, placeholder: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.placeholder = placeholder
        self._codes: list[int] = []
        self._shown_for = ""
        self._waiting: list[str] = []

    def compose(self) -> ComposeResult:
        """The input and its match list."""
        yield SearchInput(placeholder=self.placeholder, id=f"{self.kind}-search")
        yield OptionList(id=f"{self.kind}-matches")

    def on_mount(self) -> None:
        """No matches before anything is typed."""
        self.query_one(OptionList).display = False

    @property
    def text(self) -> str:
        """The text typed, trimmed."""
        return self.query_one(SearchInput).value.strip()

    @property
    def searching(self) -> bool:
        """Whether the matches of the current text are still being looked up."""
        return self._shown_for != self.text

    def focus_input(self) -> None:
        """Focus the input with its text selected, so that typing replaces it."""
        box = self.query_one(SearchInput)
        box.focus()
        box.action_select_all()

    def type_text(self, text: str, replace: bool = False) -> None:
        """Focus the input and type ``text`` at its end (or in place of its text)."""
        box = self.query_one(SearchInput)
        box.focus()
        if replace:
            box.value = ""
        box.insert_text_at_cursor(text)

    def on_key(self, event: events.Key) -> None:
        """Down, Up and Enter wait for the matches of the text typed so far."""
        if event.key in NAVIGATION_KEYS and (self.searching or self._waiting):
            event.stop()
            event.prevent_default()
            self._waiting.append(event.key)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Look the text up in a worker."""
        event.stop()
        text = event.value.strip()
        if not text:
            self._show("", [])
            return
        self._search(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, text: str) -> None:
        search = queries.search_wells if self.kind == "well" else queries.search_fields
        found = with_cursor(self, lambda cur: search(cur, text, 20))
        if not cancelled():
            self.app.call_from_thread(self._show, text, found)

    def _show(self, text: str, found: list[dict[str, Any]]) -> None:
        if text != self.text:
            return  # an older search: the newer one is on its way
        matches = self.query_one(OptionList)
        codes = [int(row[f"{self.kind}_code"]) for row in found]
        if codes != self._codes or not matches.display:
            matches.clear_options()
            matches.add_options([Option(escape(visible(self._describe(row)))) for row in found])
            matches.display = bool(found)
            if found:
                matches.highlighted = 0
        self._codes, self._shown_for = codes, text
        waiting, self._waiting = self._waiting, []
        for key in waiting:
            self._apply(key)

    def _apply(self, key: str) -> None:
        """A navigation key that waited for the matches."""
        matches = self.query_one(OptionList)
        if key == "enter":
            if matches.has_focus and matches.highlighted is not None:
                self._choose(self._codes[matches.highlighted])
            else:
                self.submit()
        elif not matches.display:
            return
        elif key == "down" and not matches.has_focus and self.query_one(SearchInput).has_focus:
            matches.focus()
        elif key == "down":
            matches.action_cursor_down()
        else:
            matches.action_cursor_up()

    def _describe(self, row: dict[str, Any]) -> str:
        if self.kind == "well":
            return f"{row['well_code']}  {row['well_name'] or ''}  ({row['well_reference'] or ''}, {row['field_name']})"
        return f"{row['field_code']}  {row['field_name'] or ''}  ({row['wells']} wells)"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter opens (see submit)."""
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Open the exact code typed, else the highlighted match; say so when nothing matches."""
        text = self.text
        if not text:
            return
        if self.searching:
            self._waiting.append("enter")
            return
        if text.isdecimal() and int(text) in self._codes:
            self._choose(int(text))
        elif self._codes:
            index = self.query_one(OptionList).highlighted or 0
            self._choose(self._codes[index])
        else:
            self.notify(f"No {self.kind} matches {text!r}.", severity="warning", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen match."""
        event.stop()
        self._choose(self._codes[event.option_index])

    def action_to_matches(self) -> None:
        """Move from the input down into the matches."""
        matches = self.query_one(OptionList)
        if matches.display:
            matches.focus()

    def _choose(self, code: int) -> None:
        self.query_one(OptionList).display = False
        self.post_message(self.Chosen(code))


