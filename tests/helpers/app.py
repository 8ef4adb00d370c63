"""The app under Textual's pilot: started so that an exception in any handler or worker fails the test, and
read the way a user reads it (the screen's text, its notifications)."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

SIZE = (80, 24)


def assert_no_errors(app: App[Any], expected: type[BaseException] | None = None) -> None:
    """Fail when the app reported an error (``app.errors_reported``), unless it is the ``expected`` kind."""
    errors: list[tuple[str, BaseException]] = list(app.errors_reported)  # type: ignore[attr-defined]
    if expected is not None:
        assert errors, f"the test expected the app to report a {expected.__name__}; it reported none"
        errors = [(where, error) for where, error in errors if not isinstance(error, expected)]
    shown = "\n".join(
        f"--- {where} failed:\n{''.join(traceback.format_exception(error))}" for where, error in errors
    )
    assert not errors, f"the app reported {len(errors)} error(s) while the test drove it:\n{shown}"


@asynccontextmanager
async def started_app(
    app: App[Any], size: tuple[int, int] = SIZE, expect_error: type[BaseException] | None = None
) -> AsyncIterator[Pilot[Any]]:
    """Run ``app`` under the pilot; on leaving, fail if a handler or worker raised (unless ``expect_error``)."""
    async with app.run_test(size=size, notifications=True) as pilot:  # toasts shown, as a user sees them
        yield pilot
    assert_no_errors(app, expect_error)


async def wait_for(pilot: Pilot[Any], ready: Callable[[], bool], timeout: float = 15.0) -> None:
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


def screen_text(pilot: Pilot[Any]) -> str:
    """Everything the current screen shows, as plain text (Static contents and table cells)."""
    parts = []
    for widget in pilot.app.screen.query(Static):
        parts.append(str(widget.render()))
    for table in pilot.app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" ".join(str(c) for c in table.get_row_at(row)))
    return "\n".join(parts)


def notes(app: App[Any], severity: str | None = None) -> list[str]:
    """The notifications on screen now (title and message), optionally only those of one severity."""
    toasts = app.screen.query("Toast")
    return [str(t.render()) for t in toasts if severity is None or t.has_class(f"-{severity}")]


async def go(pilot: Pilot[Any], key: str, focused_id: str) -> None:
    """Press a screen key and wait until that screen has focused ``focused_id``."""
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == focused_id)


async def open_well(pilot: Pilot[Any], code: int) -> None:
    """From any screen: F4, type the well's code, Enter, and wait until the Well screen shows it."""
    await go(pilot, "f4", "well-search")
    await pilot.press(*str(code), "enter")
    await wait_for(pilot, lambda: pilot.app.current_mode == "well" and getattr(pilot.app.screen, "code", None) == code)


async def open_field(pilot: Pilot[Any], code: int) -> None:
    """From any screen: F5, type the field's code, Enter, and wait until the Field screen shows it."""
    await go(pilot, "f5", "field-search")
    await pilot.press(*str(code), "enter")
    await wait_for(pilot, lambda: pilot.app.current_mode == "field" and getattr(pilot.app.screen, "code", None) == code)


def palette_text(app: App[Any]) -> str:
    """The command palette's hits as shown (empty when the palette is not open)."""
    from textual.command import CommandList  # noqa: PLC0415

    try:
        options = app.screen.query_one(CommandList)
    except NoMatches:
        return ""
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
