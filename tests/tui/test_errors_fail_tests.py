"""An exception in any handler or worker fails the test that caused it: the app shows it to a user as a
notification, and started_app turns it into a failure unless the test says it expects that error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.app import started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app

TESTS = Path(__file__).resolve().parents[1]


async def test_a_handler_that_raises_fails_the_test_that_pressed_its_key(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)

    def broken() -> None:
        raise RuntimeError("a handler raised")

    with pytest.raises(AssertionError, match="(?s)the app reported 1 error.*RuntimeError: a handler raised"):
        async with started_app(app) as pilot:
            await wait_for(pilot, lambda: app.current_mode == "stats")
            app.screen.action_toggle_log = broken  # type: ignore[method-assign]
            await pilot.press("l")
            await wait_for(pilot, lambda: len(app.errors_reported) == 1)
            assert app.is_running  # the user carries on: only the test fails


async def test_a_worker_that_raises_fails_the_test_unless_it_expects_that_error(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        async with started_app(app, expect_error=KeyError) as pilot:
            await wait_for(pilot, lambda: app.current_mode == "stats")
            app.run_worker(lambda: 1 / 0, thread=True, exit_on_error=False, name="broken")
            await wait_for(pilot, lambda: len(app.errors_reported) == 1)


def test_every_pilot_test_starts_the_app_through_started_app() -> None:
    direct = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.parts[len(TESTS.parts)] not in ("helpers", "benchmarks") and path != Path(__file__).resolve()
        and re.search(r"\.run_test\(", path.read_text(encoding="utf-8"))
    ]
    assert direct == [], "start the app with tests.helpers.app.started_app, which fails on reported errors"
