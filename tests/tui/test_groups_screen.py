"""The Groups screen (F10): ECMC wells grouped by their header's operator; Enter on a group charts it and
lists its wells, Enter on a well opens it and Escape comes back; a (attribute) regroups them by formation."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList

from tests.conftest import DATA, run_import
from tests.helpers.app import palette_text, screen_text, started_app, wait_for
from tests.tui.conftest import make_config
from wellprod_tui import storage
from wellprod_tui.core import config
from wellprod_tui.importing.headers import import_headers
from wellprod_tui.queries.well_sets import save_set
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.widgets import ProductionTable


@pytest.fixture
def ecmc_cfg(tmp_path: Path) -> config.Config:
    """A config over the ECMC slice with its well headers."""
    database = tmp_path / "db" / "ecmc.duckdb"
    with storage.opened(database) as con:
        run_import(con, DATA / "ecmc_weld_slice.csv", tmp_path / "rejects")
        import_headers(con, DATA / "ecmc_weld_well_headers_slice.csv")
        save_set(con, "pad", where="well=05-123-47610")
    return make_config(tmp_path, database)


async def test_groups_chart_a_group_list_its_wells_and_open_one(ecmc_cfg: config.Config) -> None:
    app = create_app(ecmc_cfg)
    async with started_app(app, size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("f10")
        groups = lambda: app.screen.query_one("#groups-table", ProductionTable)  # noqa: E731
        await wait_for(pilot, lambda: app.current_mode == "groups" and groups().total == 1)
        assert groups().row_dict(0)["operator"] == "NOBLE ENERGY INC"
        assert groups().row_dict(0)["wells"] == 4
        assert "by the wells' current operator" in screen_text(pilot)

        await pilot.press("enter")
        wells = lambda: app.screen.query_one("#groups-wells", ProductionTable)  # noqa: E731
        await wait_for(pilot, lambda: wells().total == 4)
        chart = app.screen.query_one(ProductionChart)
        await wait_for(pilot, lambda: "NOBLE ENERGY INC: monthly rates" in str(chart.render()))
        first = wells().row_dict(0)["well_code"]

        wells().focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "well" and getattr(app.screen, "code", None) == first)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "groups")

        await pilot.press("a")
        await pilot.press("down", "enter")  # the attribute after operator: formation
        await wait_for(pilot, lambda: "formation" in groups().columns_read and groups().total == 5)
        assert "each month's formation" in screen_text(pilot)


async def test_the_palette_opens_a_saved_set_on_the_groups_screen(ecmc_cfg: config.Config) -> None:
    app = create_app(ecmc_cfg)
    async with started_app(app, size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("ctrl+p", *"pad")
        await wait_for(pilot, lambda: "Open set pad" in palette_text(app))
        await pilot.pause(0.3)  # the hits are all in
        hits = app.screen.query_one(CommandList)
        at = next(i for i in range(hits.option_count) if "Open set pad" in str(hits.get_option_at_index(i).prompt))
        hits.highlighted = at
        await pilot.press("enter")
        groups = lambda: app.screen.query_one("#groups-table", ProductionTable)  # noqa: E731
        await wait_for(pilot, lambda: app.current_mode == "groups" and "set pad" in screen_text(pilot))
        await wait_for(pilot, lambda: groups().total == 1 and groups().row_dict(0)["wells"] == 2)
        await pilot.press("x")  # every well again
        await wait_for(pilot, lambda: "set pad" not in screen_text(pilot) and groups().row_dict(0)["wells"] == 4)
