"""The well and field search box: type a code or a name, pick a match; keys typed early wait for the matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from wellprod_tui import queries
from wellprod_tui.core.domain import MAX_CODE_DIGITS
from wellprod_tui.core.text import field_words, visible
from wellprod_tui.storage.connection import Connection
from wellprod_tui.tui.errors import ErrorsShown
from wellprod_tui.tui.widgets import cancelled, with_cursor


def is_code(text: str) -> bool:
    """Whether ``text`` is a code as stored: digits, at most 14 of them (a longer number names no well)."""
    return text.isdecimal() and len(text) <= MAX_CODE_DIGITS


class SearchInput(Input):
    """The search box's input: a ``/`` typed out of habit into an empty (or all selected) box is not text."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "slash" and (not self.value or self.selection == Selection(0, len(self.value))):
            event.stop()
            event.prevent_default()
            self.action_select_all()

    def focus_all(self) -> None:
        """Focus with the text selected, so that typing replaces it."""
        self.focus()
        self.action_select_all()

    def type_text(self, text: str, replace: bool = False) -> None:
        """Focus and type ``text`` at the cursor (or in place of the text)."""
        self.focus()
        if replace:
            self.value = ""
        self.insert_text_at_cursor(text)


#: Keys that act on the matches, so wait for the matches of the text typed so far.
NAVIGATION_KEYS = ("down", "up", "enter")


class MatchList(OptionList):
    """The matches of the search box, one well or field code per option."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        #: The codes of the matches listed, in order.
        self.codes: list[int] = []

    def fill(self, found: list[dict[str, Any]], hidden: bool) -> None:
        """List the rows ``found`` (the first highlighted), unless they are listed already; ``hidden`` lists
        new rows out of sight (the item typed is open already; opening it hid the list)."""
        codes = [int(row[f"{self.kind}_code"]) for row in found]
        if codes != self.codes or not (self.display or hidden):
            self.clear_options()
            self.add_options([Option(Content(visible(self._describe(row)))) for row in found])
            self.display = bool(found) and not hidden
            if found:
                self.highlighted = 0
        self.codes = codes

    def highlighted_code(self) -> int | None:
        """The code of the highlighted match (the first when none is), None when nothing matched."""
        return self.codes[self.highlighted or 0] if self.codes else None

    def step(self, key: str, from_input: bool) -> None:
        """Down or Up on the matches shown; Down from the input moves into them."""
        if not self.display:
            return
        if key == "down" and from_input and not self.has_focus:
            self.focus()
        elif key == "down":
            self.action_cursor_down()
        else:
            self.action_cursor_up()

    def _describe(self, row: dict[str, Any]) -> str:
        if self.kind == "well":
            field = field_words(row.get("field_code"), row["field_name"])
            return f"{row['well_code']}  {row['well_name'] or ''}  ({row['well_reference'] or '-'}, {field})"
        return f"{row['field_code']}  {row['field_name'] or ''}  ({row['wells']} wells)"


class LiveSearch(ErrorsShown, Vertical):
    """Looks a text up in a worker, one search at a time (a burst of keys is not a burst of queries): the
    text wanted while a search runs is looked up once it ends. Subclasses say what is wanted and show it."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        #: The text being looked up, and the text typed last.
        self._searching_for: str | None = None
        self._wanted = ""
        #: Called in the search worker with its cursor and the exact code typed, when one matches: the screen
        #: reads the item then, while the database is open, so that Enter shows it at once.
        self.prefetch: Callable[[Connection, int], None] | None = None

    def _show(self, text: str, found: list[dict[str, Any]]) -> None:
        """Show the matches of ``text``, just arrived."""
        raise NotImplementedError

    def _still_wanted(self, text: str) -> bool:
        """Whether ``text``, typed during a search, is to be looked up once it ends."""
        return True

    def _look_up(self, text: str) -> None:
        """Search ``text`` now, or after the search running (see _searched)."""
        if self._searching_for is None:
            self._searching_for = text
            self._search(text)

    @work(thread=True, exit_on_error=False, group="search")
    def _search(self, text: str) -> None:
        search = queries.search_wells if self.kind == "well" else queries.search_fields
        prefetch = self.prefetch

        def read(cur: Connection) -> list[dict[str, Any]]:
            found = search(cur, text, 20)
            if prefetch is not None and is_code(text) and found and found[0][f"{self.kind}_code"] == int(text):
                prefetch(cur, int(text))
            return found

        found = None
        try:
            found = with_cursor(self, read)
        finally:  # the next text is looked up even when this search failed
            self.app.call_from_thread(self._searched, text, None if cancelled() else found)

    def _searched(self, text: str, found: list[dict[str, Any]] | None) -> None:
        """A search ended: look up the text typed meanwhile, if any, and show these matches if still current."""
        self._searching_for = None
        if self._wanted and self._wanted != text and self._still_wanted(self._wanted):
            self._look_up(self._wanted)
        if found is not None:
            self._show(text, found)


class SearchBox(LiveSearch):
    """A search input with the matches listed as you type; Enter or a click chooses one.

    Enter opens an exact code, otherwise the highlighted match. Down, Up and Enter typed before the matches
    of the current text have arrived wait for them, and then apply in order (keys come in bursts).
    """

    BINDINGS = [Binding("down", "to_matches", "Matches", show=False)]

    class Chosen(Message):
        """A well or field code was chosen."""

        def __init__(self, code: int, early: bool = False) -> None:
            super().__init__()
            self.code = code
            #: Opened before the matches arrived: when no item has this code, call ``not_a_code``.
            self.early = early

    def __init__(self, kind: str, placeholder: str, **kwargs: Any) -> None:
        super().__init__(kind, **kwargs)
        self.placeholder = placeholder
        self._shown_for = ""
        self._waiting: list[str] = []
        #: The code Enter opened before its matches arrived: they are not listed over the opened item.
        self._opened_early = ""

    def compose(self) -> ComposeResult:
        """The input and its match list."""
        yield SearchInput(placeholder=self.placeholder, id=f"{self.kind}-search")
        yield MatchList(self.kind, id=f"{self.kind}-matches")

    def on_mount(self) -> None:
        """No matches before anything is typed."""
        self.query_one(MatchList).display = False

    @property
    def text(self) -> str:
        """The text typed, trimmed."""
        return self.query_one(SearchInput).value.strip()

    @property
    def searching(self) -> bool:
        """Whether the matches of the current text are still being looked up."""
        return self._shown_for != self.text

    def on_key(self, event: events.Key) -> None:
        """Down, Up and Enter wait for the matches of the text typed so far."""
        if event.key == "enter" and self._open_early():
            event.stop()
            event.prevent_default()
        elif event.key in NAVIGATION_KEYS and (self.searching or self._waiting):
            event.stop()
            event.prevent_default()
            self._waiting.append(event.key)
            if self.text:
                self._look_up(self.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Look the text up in a worker."""
        event.stop()
        text = event.value.strip()
        self._wanted = text
        if text != self._opened_early:
            self._opened_early = ""
        if not text:
            self._show("", [])
        else:
            self._look_up(text)

    def _still_wanted(self, text: str) -> bool:
        """The matches of a code opened early are looked up only if it is none (see not_a_code)."""
        return text != self._opened_early

    def _show(self, text: str, found: list[dict[str, Any]]) -> None:
        if text != self.text:
            return  # an older search: the newer one is on its way
        self.query_one(MatchList).fill(found, hidden=self._opened_early == text and not self._waiting)
        self._shown_for = text
        waiting, self._waiting = self._waiting, []
        for key in waiting:
            self._apply(key)

    def _apply(self, key: str) -> None:
        """A navigation key that waited for the matches."""
        matches = self.query_one(MatchList)
        if key != "enter":
            matches.step(key, from_input=self.query_one(SearchInput).has_focus)
        elif matches.has_focus and matches.highlighted is not None:
            self._choose(matches.codes[matches.highlighted])
        else:
            self.submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter opens (see submit)."""
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Open the exact code typed, else the highlighted match; say so when nothing matches."""
        text = self.text
        if not text:
            return
        if self._open_early():
            return
        if self.searching:
            self._waiting.append("enter")
            self._look_up(text)
            return
        matches = self.query_one(MatchList)
        if is_code(text) and int(text) in matches.codes:
            self._choose(int(text))
        elif (code := matches.highlighted_code()) is not None:
            self._choose(code)
        else:
            self.notify(f"No {self.kind} matches {text!r}.", severity="warning", markup=False)

    def _open_early(self) -> bool:
        """Enter on a code typed before its matches arrived opens it at once (see not_a_code)."""
        text = self.text
        if not (self.searching and is_code(text) and not self._waiting and self._opened_early != text):
            return False
        self._opened_early = text
        self.query_one(MatchList).display = False
        self.post_message(self.Chosen(int(text), early=True))
        return True

    def not_a_code(self, code: int) -> None:
        """The code Enter opened early is none: open the highlighted match instead, once the matches are in."""
        if self._opened_early != str(code) or self.text != str(code):
            return
        if self.searching:
            self._waiting.append("enter")
            self._look_up(self.text)
        else:
            self._opened_early = ""
            self.submit()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen match."""
        event.stop()
        self._choose(self.query_one(MatchList).codes[event.option_index])

    def action_to_matches(self) -> None:
        """Move from the input down into the matches."""
        matches = self.query_one(MatchList)
        if matches.display:
            matches.focus()

    def _choose(self, code: int) -> None:
        self.query_one(MatchList).display = False
        self.post_message(self.Chosen(code))


