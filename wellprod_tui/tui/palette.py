"""The command palette's wellprod commands: import, export, open a well or field (by code or name), a saved
set of wells, the Groups screen, theme."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from wellprod_tui.core.text import visible
from wellprod_tui.tui.services import Wellprod, wellprod_app
from wellprod_tui.tui.shown import literal

if TYPE_CHECKING:
    from wellprod_tui.tui.backend import Backend

#: Wells and fields offered per query.
FOUND_SHOWN = 8


class WellprodCommands(Provider):
    """Import a file, export this view, open a well or a field (by code or name), switch theme."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = wellprod_app(self.screen)
        return [
            ("Import a file", "Go to the Import screen (F2)", partial(app.action_mode, "import")),
            ("Export this view", "Write the current view to CSV (ctrl+e)", app.action_export),
            ("Open a well", "Search wells by code, name or reference (F4)", partial(app.action_search, "well")),
            ("Open a field", "Search fields by code or name (F5)", partial(app.action_search, "field")),
            ("Type curve of all wells", "P10/P50/P90 per month on production, and the P50's fit",
             partial(_open_type_curve_of_all, app)),
            ("Groups of wells", "Wells grouped by operator, formation, county, … (F10)",
             partial(app.action_mode, "groups")),
            ("Switch theme", "Choose the colour theme (remembered)", app.action_change_theme),
        ]

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands matching the query, then the wells and fields whose code or name matches it."""
        app = wellprod_app(self.screen)
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        text = query.strip()
        if len(text) < 2 or not app.backend.is_open:
            return
        wells, fields, sets = await asyncio.to_thread(_find, app.backend, text)
        for rank, name in enumerate(sets):
            yield _plain_hit(1.0 - rank * 0.01, f"Open set {name}", partial(app.open_set, name),
                             "the groups of its wells (Groups screen)")
        for rank, row in enumerate(wells):
            code = int(row["well_code"])
            yield _plain_hit(
                0.9 - rank * 0.01,
                f"Open well {code} {row['well_name'] or ''}",
                partial(app.open_well, code),
                f"{row['well_reference'] or '-'} · "
                + ("no field" if row.get("field_code") is None else f"field {row['field_name'] or row['field_code']}"),
            )
        for rank, row in enumerate(fields):
            code = int(row["field_code"])
            yield _plain_hit(
                0.85 - rank * 0.01,
                f"Open field {code} {row['field_name'] or ''}",
                partial(app.open_field, code),
                f"{row['wells']:,} wells",
            )


def _open_type_curve_of_all(app: Wellprod) -> None:
    from wellprod_tui.queries.selection import Selection  # noqa: PLC0415  (DuckDB after the first frame)

    app.open_type_curve(Selection("all"))


def _plain_hit(score: float, prompt: str, callback: Callable[[], Any], help_text: str) -> Hit:
    """A hit whose texts hold names as stored: shown as text, never as markup, control characters visible."""
    shown = visible(prompt)
    return Hit(score, Content(shown), callback, text=shown, help=literal(help_text))


def _find(backend: Backend, text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Wells, fields and saved sets matching ``text`` (runs in a thread)."""
    from wellprod_tui import queries
    from wellprod_tui.queries.well_sets import saved_set_names

    with backend.reading() as cur:
        every = "sets".startswith(text.lower())  # "se", "set", "sets": all of them
        sets = [n for n in saved_set_names(cur) if every or text.lower() in n.lower()]
        return (queries.search_wells(cur, text, FOUND_SHOWN), queries.search_fields(cur, text, FOUND_SHOWN),
                sets[:FOUND_SHOWN])
