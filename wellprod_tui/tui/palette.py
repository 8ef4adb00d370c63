"""The command palette's wellprod commands: import, export, open a well or field, switch theme."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class WellprodCommands(Provider):
    """Import a file, export this view, open a well or a field (by code), switch theme."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        return [
            ("Import a file", "Go to the Import screen (F2)", partial(app.action_mode, "import")),
            ("Export this view", "Write the current view to CSV (ctrl+e)", app.action_export),
            ("Open a well", "Search wells by code, name or reference (F4)", partial(app.focus_search, "well")),
            ("Open a field", "Search fields by code or name (F5)", partial(app.focus_search, "field")),
            ("Switch theme", "Choose the colour theme (remembered)", app.action_change_theme),
        ]

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands matching the query; a number also offers to open that well or field."""
        app: Any = self.app
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        code = query.strip()
        if code.isdecimal() and app.con is not None:
            yield Hit(1.0, f"Open well {code}", partial(app.open_well, int(code)), help="Well screen")
            yield Hit(0.9, f"Open field {code}", partial(app.open_field, int(code)), help="Field screen")
