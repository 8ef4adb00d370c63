"""Helpers of the TUI tests: wait for the app, read what the screen shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

SIZE = (80, 24)


async def wait_for(pilot: Pilot, ready: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until ``ready()`` holds (workers are threads), or fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            if ready():
                return
        except NoMatches:  # a widget not mounted yet; any other error fails the test
            pass
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for the app; the screen shows:\n{screen_text(pilot)}")
        await pilot.pause(0.05)


def screen_text(pilot: Pilot) -> str:
    """Everything the current screen shows, as plain text (Static contents and table cells)."""
    parts = []
    for widget in pilot.app.screen.query(Static):
        parts.append(str(widget.render()))
    for table in pilot.app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" ".join(str(c) for c in table.get_row_at(row)))
    return "\n".join(parts)


async def go(pilot: Pilot, key: str, focused_id: str) -> None:
    """Press a screen key and wait until that screen has focused ``focused_id``."""
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == focused_id)


def palette_text(app: Any) -> str:
    """The command palette's hits as shown (empty when the palette is not open)."""
    from textual.command import CommandList  # noqa: PLC0415

    try:
        options = app.screen.query_one(CommandList)
    except NoMatches:
        return ""
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
