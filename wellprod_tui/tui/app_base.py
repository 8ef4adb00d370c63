"""What the app's parts share: its state, typed, on one App base the parts (database link, navigation,
transfers) build on; the App in ``app.py`` puts them together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.worker import Worker

from wellprod_tui.core import config
from wellprod_tui.tui.database import AppDatabase, RunningImport, StatsRead

if TYPE_CHECKING:
    from wellprod_tui.tui.key_queue import KeyQueue


class AppBase(App[int]):
    """The app's shared state; no behaviour beyond reading it."""

    cfg: config.Config
    database: AppDatabase
    #: Whether the database held no record when opened (the Import screen then offers the sample).
    database_empty: bool
    #: Bumped after each import so that screens reload what they show.
    data_version: int
    #: Where Escape goes back to: (mode, code shown there).
    _back: list[tuple[str, int | None]]
    _import: tuple[RunningImport, Worker[None]] | None
    _keys: KeyQueue
    #: The Stats screen's figures read as the database opened (taken by that screen when first shown).
    first_stats: StatsRead | None = None

    @property
    def current_import(self) -> RunningImport | None:
        """The import running (or waiting for the database) now, if any."""
        if self._import is None or self._import[1].is_finished:
            return None
        return self._import[0]

    def data_changed(self) -> None:
        """An import changed the data: screens reload when next shown."""
        self.data_version += 1
        self.database_empty = False
