"""The edges, as a person meets them in the app: a FIFO typed in the Import box, the database file deleted
while the app is open, terminal escapes in names, absurd rates already stored. Nothing hangs or dies, nothing
is obeyed, every failure says why."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from tests.helpers.app import go, notes, open_field, open_well, palette_text, screen_text, started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.storage import schema
from wellprod_tui.storage.connection import DatabaseUnavailable
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.widgets import ProductionTable

HOSTILE = "\x1b]0;pwned\x07evil\x1b[2J\rhidden"


def _matches(app) -> str:  # noqa: ANN001
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_typing_a_fifo_in_the_import_box_never_blocks_the_app(sample_cfg: config.Config, tmp_path: Path) -> None:
    fifo = tmp_path / "feed.pipe"
    os.mkfifo(fifo)  # no writer will ever come: opening it for reading would wait for ever
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        await pilot.press(*str(fifo))
        await wait_for(pilot, lambda: "a pipe or device" in screen_text(pilot))
        await pilot.press("f3")  # the app still answers keys
        await wait_for(pilot, lambda: app.current_mode == "stats")


async def test_the_database_deleted_while_the_app_is_open_is_said_and_an_import_starts_anew(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app, expect_error=DatabaseUnavailable) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "4,200" in screen_text(pilot))
        await wait_for(pilot, lambda: not app.database.holds_file, timeout=10)  # idle: the app let it go
        sample_cfg.database_path.unlink()

        await wait_for(pilot, lambda: any("the database file is gone" in n for n in notes(app)))
        assert app.is_running
        await go(pilot, "f2", "import-path")
        app.screen.start_import(str(config.bundled_sample_path()))
        await wait_for(pilot, lambda: app.current_import is None and sample_cfg.database_path.exists(), timeout=60)
        await wait_for(pilot, lambda: "inserted 4,200" in screen_text(pilot))  # nothing written to a ghost file


async def test_escapes_in_names_are_shown_visibly_not_obeyed(sample_cfg: config.Config, tmp_path: Path) -> None:
    record = {"field_code": 9, "field_name": HOSTILE, "well_code": 7, "well_name": HOSTILE,
              "production_period": "2020-01", "days_on_production": 31, "oil_production_kbd": 1.0}
    feed = tmp_path / "escapes.ndjson"
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    from wellprod_tui import importing, storage

    with storage.opened(sample_cfg.database_path) as db:
        importing.ImportJob(db, feed, tmp_path / "rejects").run()
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"evil")
        await wait_for(pilot, lambda: "\\x1b]0;pwned" in _matches(app))  # the match list shows the escape
        assert "\x1b" not in _matches(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total == 1)
        shown = screen_text(pilot) + str(app.screen.sub_title) + str(app.title)
        assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
        assert "\\x1b]0;pwned\\x07evil" in shown
        await pilot.press("ctrl+p", *"evil")  # the palette's hits show the name as the screens do
        await wait_for(pilot, lambda: "Open well 7" in palette_text(app))
        assert "\x1b" not in palette_text(app) and "\\x1b]0;pwned\\x07evil" in palette_text(app)


async def test_absurd_rates_already_stored_keep_every_screen_alive(sample_cfg: config.Config) -> None:
    con = duckdb.connect(str(sample_cfg.database_path))
    con.execute("UPDATE production SET oil_production_kbd = 1e308 WHERE well_code = 59806")
    con.execute("BEGIN")
    schema.refresh_derived_tables(con)
    con.execute("COMMIT")
    con.close()
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "records" in screen_text(pilot))
        await open_well(pilot, 59806)
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("l")  # log scale over it too
        await open_field(pilot, 8908)
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total > 0)
        assert app.is_running
        assert not notes(app, "error"), notes(app)
