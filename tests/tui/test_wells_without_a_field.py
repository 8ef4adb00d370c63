"""A well with no field (ECMC's records carry no field code) says "no field" everywhere, never "None", and its
f, [ and ] keys show unavailable instead of asking to open a well that is open."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from tests.conftest import DATA, run_import
from tests.helpers.app import go, notes, screen_text, started_app, wait_for
from tests.tui.conftest import make_config
from wellprod_tui import storage
from wellprod_tui.core import config
from wellprod_tui.tui.app import WellprodApp, create_app
from wellprod_tui.tui.search_box import MatchList
from wellprod_tui.tui.widgets import ProductionTable

WELL = 51234156100  # API 05-123-41561-00


@pytest.fixture
def ecmc_cfg(tmp_path: Path) -> config.Config:
    """A config over a database holding the ECMC Weld County slice (its formations' rows summed)."""
    database = tmp_path / "db" / "ecmc.duckdb"
    with storage.opened(database) as con:
        run_import(con, DATA / "ecmc_weld_slice.csv", tmp_path / "rejects", duplicates="sum")
    return make_config(tmp_path, database)


def matches(app: WellprodApp) -> str:
    """The search's matches as listed."""
    listed = app.screen.query_one(MatchList)
    return "\n".join(str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count))


async def test_a_well_with_no_field_says_no_field_and_f_shows_unavailable(ecmc_cfg: config.Config) -> None:
    app = create_app(ecmc_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"05-123-41561")
        await wait_for(pilot, lambda: "05-123-41561-00" in matches(app))
        assert "(05-123-41561-00, no field)" in matches(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)

        text = screen_text(pilot)
        assert "None" not in text
        assert "no field" in text and "f opens it" not in text
        shown = {key.key: key for key in app.screen.query(FooterKey)}
        assert shown["f"].has_class("-disabled")
        assert not app.screen.active_bindings["f"].enabled

        await pilot.press("f", "right_square_bracket")
        await pilot.pause(0.2)
        assert app.current_mode == "well" and app.screen.code == WELL
        shown = notes(app)
        assert not any("Open a well first" in n for n in shown), shown
        assert sum("This well has no field." in n for n in shown) == 2, shown
