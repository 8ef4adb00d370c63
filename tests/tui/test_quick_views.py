"""Enter on a well shows it at once: the search reads the well its exact code names while the database is open,
a code typed and entered in one burst opens without waiting for the matches, and a code that names no well
still opens the highlighted match."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from tests.helpers.app import go, notes, screen_text, started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.search_box import SearchBox
from wellprod_tui.tui.widgets import ProductionTable


def shown_well(app: object) -> int | None:
    return getattr(app.screen, "code", None)  # type: ignore[attr-defined]


async def test_a_well_found_by_its_code_opens_after_the_app_let_the_database_go_without_taking_it_again(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806")
        box = app.screen.query_one(SearchBox)
        await wait_for(pilot, lambda: box.text == "59806" and not box.searching)
        await wait_for(pilot, lambda: not app.backend.holds_file)  # idle: the app let the file go
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown_well(app) == 59806 and app.screen.query_one(ProductionTable).row_count > 0)
        assert "59806" in screen_text(pilot)
        assert not app.backend.holds_file  # shown from what the search read: a cron import is not held up


async def test_enter_before_the_matches_arrive_opens_the_code_or_else_the_first_match(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        box = app.screen.query_one(SearchBox)
        matches = box.query_one(OptionList)

        def enter_at_once(text: str) -> None:  # Enter in the same instant as the text (keys in a burst)
            box.query_one(Input).value = text
            assert box.searching
            box.submit()

        enter_at_once("59806")
        await wait_for(pilot, lambda: shown_well(app) == 59806 and not box.searching)
        assert not matches.display  # the matches that came after do not cover the well
        await go(pilot, "f4", "well-search")
        enter_at_once("5990")  # no well 5990: the first match opens, as when the matches were there
        await wait_for(pilot, lambda: shown_well(app) not in (None, 59806))
        assert "5990" in str(shown_well(app))
        assert not any("no well" in n.lower() for n in notes(app))


async def test_the_app_brings_an_older_database_up_to_date_as_it_opens(sample_cfg: config.Config) -> None:
    import duckdb

    with duckdb.connect(str(sample_cfg.database_path)) as con:  # as a database made before field_wells existed
        con.execute("DROP TABLE field_wells")
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "records" in screen_text(pilot))
        await wait_for(pilot, lambda: not app.backend.holds_file, timeout=10)  # idle: the app let it go
    app.backend.link.close()  # a late worker of the finished app must not hold it either (same process)
    with duckdb.connect(str(sample_cfg.database_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM field_wells").fetchone()[0] > 0
