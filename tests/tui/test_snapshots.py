"""Each screen at 80x24 as an SVG snapshot; temp paths and times are replaced by fixed text first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers.app import SIZE, assert_no_errors, open_field, open_well, screen_text, wait_for
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.widgets import ProductionTable


@pytest.fixture
def snap(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """snap_compare that also fails when the app reported an error while the snapshot was taken."""

    def compare(app: App[Any], **kwargs: Any) -> bool:
        matches = snap_compare(app, **kwargs)
        assert_no_errors(app)
        return matches

    return compare


async def _stats_loaded(pilot: Pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#top-wells", ProductionTable).total == 10)
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#top-fields", ProductionTable).total > 0)
    pilot.app.screen.query_one("#stats-database", Static).update("database DB-PATH (size)")
    pilot.app.screen.query_one("#stats-last-import", Static).update("last import #1 completed WHEN: FILE")


def test_stats_screen(snap, sample_cfg: config.Config) -> None:
    assert snap(create_app(sample_cfg), terminal_size=SIZE, run_before=_stats_loaded)


def test_import_screen_on_an_empty_database(snap, empty_cfg: config.Config) -> None:
    async def ready(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: "detected by" in screen_text(pilot))
        await wait_for(pilot, lambda: pilot.app.screen.query_one(ProductionTable).columns_shown != [])

    assert snap(create_app(empty_cfg), terminal_size=SIZE, run_before=ready)


def test_well_screen(snap, sample_cfg: config.Config) -> None:
    async def ready(pilot: Pilot) -> None:
        await _stats_loaded(pilot)
        await open_well(pilot, 59806)
        await wait_for(pilot, lambda: pilot.app.screen.query_one(ProductionTable).total == 85)

    assert snap(create_app(sample_cfg), terminal_size=SIZE, run_before=ready)


def test_field_screen(snap, sample_cfg: config.Config) -> None:
    async def ready(pilot: Pilot) -> None:
        await _stats_loaded(pilot)
        await open_field(pilot, 8908)
        await wait_for(pilot, lambda: pilot.app.screen.query_one(ProductionTable).total > 0)

    assert snap(create_app(sample_cfg), terminal_size=SIZE, run_before=ready)


def test_help_screen(snap, sample_cfg: config.Config) -> None:
    async def ready(pilot: Pilot) -> None:
        await _stats_loaded(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen")

    assert snap(create_app(sample_cfg), terminal_size=SIZE, run_before=ready)


def _well_in(units: str, cfg: config.Config):
    async def ready(pilot: Pilot) -> None:
        await _stats_loaded(pilot)
        await open_well(pilot, 59806)
        await wait_for(pilot, lambda: pilot.app.screen.query_one(ProductionTable).total == 85)

    return create_app(replace(cfg, ui=config.UiSettings(units=units))), ready


def test_well_screen_in_field_small_units(snap, sample_cfg: config.Config) -> None:
    app, ready = _well_in("field-small", sample_cfg)
    assert snap(app, terminal_size=SIZE, run_before=ready)


def test_well_screen_in_metric_units(snap, sample_cfg: config.Config) -> None:
    app, ready = _well_in("metric", sample_cfg)
    assert snap(app, terminal_size=SIZE, run_before=ready)


def test_field_screen_in_metric_units_over_a_typed_window(snap, sample_cfg: config.Config) -> None:
    async def ready(pilot: Pilot) -> None:
        await _stats_loaded(pilot)
        await open_field(pilot, 8908)
        await wait_for(pilot, lambda: pilot.app.screen.query_one(ProductionTable).total > 0)
        await pilot.press("t")
        await wait_for(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "window-bounds")
        await pilot.press(*"2016-01..2017-12", "enter")
        await wait_for(pilot, lambda: "window_cum_oil_sm3" in pilot.app.screen.query_one(ProductionTable).columns_shown)
        pilot.app.clear_notifications()

    app = create_app(replace(sample_cfg, ui=config.UiSettings(units="metric")))
    assert snap(app, terminal_size=SIZE, run_before=ready)
