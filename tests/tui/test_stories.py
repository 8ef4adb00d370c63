"""A person's stories at 80x24: import, cancel, open a well and a field, drill down, export, help, keys."""

from __future__ import annotations

import csv
import gc
import time
from pathlib import Path

from tests.helpers.app import go, notes, open_field, open_well, screen_text, started_app, wait_for
from tests.helpers.feeds import held_feed
from wellprod_tui import storage
from wellprod_tui.core import config
from wellprod_tui.importing.sample import write_sample
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.widgets import ProductionTable


def records_in(database: Path) -> int:
    with storage.opened(database, read_only=True) as con:
        return con.execute("SELECT count(*) FROM production").fetchone()[0]


def csv_rows(folder: Path, prefix: str) -> int:
    [path] = list(folder.glob(f"{prefix}-*.csv"))
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


async def test_importing_the_sample_into_an_empty_database_shows_the_counts(empty_cfg: config.Config) -> None:
    app = create_app(empty_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: "The database is empty" in screen_text(pilot))
        assert app.screen.query_one("#import-path").value.endswith("mocked_response.json")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "inserted 4,200" in screen_text(pilot))
        text = screen_text(pilot)
        assert "updated 0, unchanged 0, rejected 0, warnings 0" in text
        await wait_for(pilot, lambda: app.screen.query_one("#import-log", ProductionTable).total == 1)
        path = app.screen.query_one("#import-path")
        path.value = str(config.bundled_sample_path())  # as if typed: the cursor at its end
        await pilot.press("enter")
        await wait_for(pilot, lambda: "unchanged 4,200" in screen_text(pilot))
        await pilot.press(*"/no/such.csv", "enter")  # the next path typed replaces the one imported
        await wait_for(pilot, lambda: "/no/such.csv: " in screen_text(pilot))
        assert path.value == "/no/such.csv"
    assert records_in(empty_cfg.database_path) == 4200


async def test_cancelling_an_import_leaves_the_database_unchanged(sample_cfg: config.Config, tmp_path: Path) -> None:
    big = write_sample(300_000, tmp_path / "big.ndjson", "ndjson")
    before = records_in(sample_cfg.database_path)
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        app.screen.start_import(str(big))  # as Enter does, without waiting for the key's round trip
        running = app.backend.current_import
        assert running is not None and app.screen.job is running
        await wait_for(pilot, lambda: running.job is not None)  # the import has begun
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Import cancelled: the database is unchanged." in screen_text(pilot))
        assert app.screen.job is None and running.cancelled()
        assert running.job is not None and running.job.summary.status == "cancelled"  # not failed
    assert records_in(sample_cfg.database_path) == before


async def test_other_screens_stay_usable_while_importing(sample_cfg: config.Config, tmp_path: Path) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot, held_feed(tmp_path / "feed.ndjson", records=30) as feed:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        import_screen = app.screen
        running = import_screen.import_path(feed.path)  # the feed's writer stays open: it goes on importing
        await wait_for(pilot, lambda: running.job is not None)
        await open_well(pilot, 59806)
        await wait_for(pilot, lambda: "ÆSIR 1H" in screen_text(pilot))
        assert app.backend.current_import is running  # the well was shown while the import ran
        feed.finish()
        await wait_for(pilot, lambda: app.backend.current_import is None, timeout=60)
        assert "30 records" in str(import_screen.query_one("#import-result").render())


async def test_opening_well_59806_shows_its_figures_chart_and_history(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_well(pilot, 59806)
        history = app.screen.query_one("#well-history", ProductionTable)
        await wait_for(pilot, lambda: history.total > 0)
        text = screen_text(pilot)
        assert "59806" in text and "cumulative: oil" in text and "water cut" in text and "GOR" in text
        assert history.columns_shown[:3] == ["period", "days", "oil_kbd"]
        assert history.total == len(history.rows_shown) == 85
        await pilot.press("l")
        assert app.screen.query_one("#well-chart").log_scale


async def test_searching_wells_lists_matches_as_you_type(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"æsir")
        matches = app.screen.query_one("#well-matches")
        await wait_for(pilot, lambda: matches.option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.code is not None)


async def test_opening_field_8908_then_drilling_into_its_top_well(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_field(pilot, 8908)
        wells = app.screen.query_one("#field-wells", ProductionTable)
        await wait_for(pilot, lambda: wells.total > 0)
        assert "8908" in screen_text(pilot)
        first = wells.row_dict(0)["well_code"]
        cum = [r[wells.columns_shown.index("cum_oil_kbbl")] for r in wells.rows_shown]
        assert cum == sorted(cum, reverse=True)
        await pilot.press("r")
        await wait_for(pilot, lambda: wells.row_dict(0)["well_code"] != first)
        await pilot.press("r")
        await wait_for(pilot, lambda: wells.row_dict(0)["well_code"] == first)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "well" and app.screen.code == first)
        await pilot.press("f")
        await wait_for(pilot, lambda: app.current_mode == "field")


async def test_stats_lists_top_fields_and_wells_and_enter_opens_one(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#top-wells", ProductionTable).total == 10)
        top = app.screen.query_one("#top-wells", ProductionTable)  # the Stats screen, composed
        assert "4,200 records" in screen_text(pilot)
        top.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "well" and app.screen.code == top.row_dict(0)["well_code"])


async def test_ctrl_e_exports_the_whole_view_of_each_screen(sample_cfg: config.Config) -> None:
    exports = sample_cfg.export_dir
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: any(exports.glob("all-records-*.csv")))
        await open_well(pilot, 59806)
        await wait_for(pilot, lambda: app.screen.code == 59806)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: any(exports.glob("well-59806-*.csv")))
        await open_field(pilot, 8908)
        await wait_for(pilot, lambda: app.screen.code == 8908)
        await pilot.press("/", "ctrl+e")  # with the search input focused
        await wait_for(pilot, lambda: any(exports.glob("field-8908-wells-*.csv")))
        await go(pilot, "f2", "import-path")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: any(exports.glob("imports-*.csv")))
        await wait_for(pilot, lambda: not app.workers)
    assert csv_rows(exports, "all-records") == 4200
    assert csv_rows(exports, "well-59806") == 85
    assert csv_rows(exports, "imports") == 1
    assert csv_rows(exports, "field-8908-wells") > 0


async def test_a_small_page_size_pages_the_table_and_export_still_writes_everything(
    sample_cfg: config.Config,
) -> None:
    from dataclasses import replace

    cfg = replace(sample_cfg, ui=config.UiSettings(page_size=20))
    app = create_app(cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_well(pilot, 59806)
        history = app.screen.query_one("#well-history", ProductionTable)
        await wait_for(pilot, lambda: history.total == 85)
        assert history.row_count == 20
        await pilot.press("n")
        await wait_for(pilot, lambda: history.first_row == 20)
        assert "rows 21-40 of 85" in str(history.border_subtitle)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: any(cfg.export_dir.glob("well-59806-*.csv")))
        await wait_for(pilot, lambda: not app.workers)
    assert csv_rows(cfg.export_dir, "well-59806") == 85


async def test_help_lists_the_keys_of_every_screen(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        text = screen_text(pilot)
        for key in ("f2", "f5", "ctrl+e", "ctrl+p", "escape", "[", "home", "s"):
            assert key in text
        for where in ("Import", "Stats", "Well", "Field"):
            assert where in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "StatsScreen"
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"


async def test_function_keys_switch_screens_while_an_input_has_focus(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press("q")
        await go(pilot, "f5", "field-search")
        await go(pilot, "f2", "import-path")
        await pilot.press("f3")
        assert app.current_mode == "stats"
        await go(pilot, "f4", "well-search")
        assert app.screen.query_one("#well-search").value == "q"


async def test_the_theme_is_remembered_in_the_state_file(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        app.theme = "nord"
        await pilot.pause()
    assert config.load_state()["theme"] == "nord"
    again = create_app(sample_cfg)
    assert again.theme == "nord"


async def test_typing_straight_after_f4_or_f5_lands_in_the_search_box(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("f5", *"8908")
        await wait_for(pilot, lambda: app.screen.query_one("#field-search").value == "8908")
        await pilot.press("f4", *"59806", "enter")
        await wait_for(pilot, lambda: app.current_mode == "well" and app.screen.code == 59806)


def test_the_app_module_loads_neither_duckdb_nor_polars_before_the_first_frame() -> None:
    import subprocess
    import sys

    code = "import sys, wellprod_tui.tui.app; print('duckdb' in sys.modules, 'polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


async def test_a_failing_export_or_worker_is_shown_and_the_app_stays_up(sample_cfg: config.Config) -> None:
    blocker = Path(sample_cfg.paths.export_dir)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the export folder should be")
    app = create_app(sample_cfg)
    async with started_app(app, expect_error=ZeroDivisionError) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: any(n.startswith("Export failed") for n in notes(app)))
        app.run_worker(lambda: 1 / 0, thread=True, exit_on_error=False, name="broken")
        await wait_for(pilot, lambda: any("ZeroDivisionError" in n for n in notes(app)))
        assert app.is_running


async def test_the_command_palette_opens_a_well_by_its_code(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("ctrl+p", *"59806")
        await wait_for(pilot, lambda: "Open well 59806" in _palette_options(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "well" and app.screen.code == 59806)


async def test_keys_remapped_in_the_config_work_and_unknown_ids_are_reported(sample_cfg: config.Config) -> None:
    from dataclasses import replace

    cfg = replace(sample_cfg, keys=(("export", "ctrl+x"), ("explode", "ctrl+b")))
    app = create_app(cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await wait_for(pilot, lambda: any("explode" in n for n in notes(app)))
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        assert "ctrl+x Export" in screen_text(pilot).replace("  ", " ")
        await pilot.press("escape")
        await pilot.press("ctrl+x")
        await wait_for(pilot, lambda: any(cfg.export_dir.glob("all-records-*.csv")))
        await wait_for(pilot, lambda: not app.workers)
    assert csv_rows(cfg.export_dir, "all-records") == 4200


def test_the_config_example_lists_every_binding_id_the_app_has() -> None:
    import re
    from pathlib import Path

    from wellprod_tui.tui.app import known_binding_ids

    text = (Path(__file__).resolve().parents[2] / "config.example.toml").read_text(encoding="utf-8")
    listed = text.split("# Ids:", 1)[1].split("The app warns", 1)[0]
    assert set(re.findall(r"[a-z][a-z-]*[a-z]", listed.replace("#", " "))) == known_binding_ids()


async def test_names_that_look_like_markup_are_shown_as_written(sample_cfg: config.Config, tmp_path: Path) -> None:
    from tests.conftest import run_import
    from wellprod_tui import storage
    from wellprod_tui.core.domain import RECORD_COLUMNS

    name = "[/x] [@click=app.quit]Q[/]"
    path = tmp_path / "odd.csv"
    path.write_text(",".join(RECORD_COLUMNS) + f'\n77,"F [b]",4242,"R[1]","{name}",2021-01,31,1,1,1,1,s,s,p\n')
    with storage.opened(sample_cfg.database_path) as con:
        run_import(con, path, tmp_path / "rejects")
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_well(pilot, 4242)
        await wait_for(pilot, lambda: getattr(app.screen, "code", None) == 4242)
        await wait_for(pilot, lambda: name in screen_text(pilot))
        text = screen_text(pilot)
        assert "R[1]" in text and "F [b]" in text
        assert app.is_running


async def test_quitting_during_an_import_cancels_it_and_leaves_the_database_unchanged(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    before = records_in(sample_cfg.database_path)
    app = create_app(sample_cfg)
    async with started_app(app) as pilot, held_feed(tmp_path / "feed.ndjson") as feed:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        running = app.screen.import_path(feed.path)  # never ends by itself: its writer stays open
        await wait_for(pilot, lambda: running.job is not None)  # the import has begun
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "Cancel it and quit?" in screen_text(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, timeout=60)
    deadline = time.monotonic() + 60  # the cancelled import rolls back in its own thread, then lets the file go
    while not running.has_ended and time.monotonic() < deadline:
        time.sleep(0.05)
    app.backend.link.close()  # as the process's end would: the app may quit before it has seen the import end
    assert running.job is not None and running.job.summary.status == "cancelled"
    assert records_once_released(sample_cfg.database_path) == before
    with storage.opened(sample_cfg.database_path, read_only=True) as con:
        assert con.execute("SELECT status FROM imports ORDER BY id DESC LIMIT 1").fetchone()[0] == "cancelled"


def records_once_released(database: Path, wait_s: float = 30.0) -> int:
    """The records of a file an app of this process has just let go: its worker threads may still be
    dropping their last cursors (a process's end would drop them at once)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return records_in(database)
        except storage.StoreError:
            if time.monotonic() > deadline:
                raise
            gc.collect()
            time.sleep(0.1)


def _palette_options(app) -> str:  # noqa: ANN001
    """What the command palette offers now ("" while it has no list yet)."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return ""
    options = found.first()
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_a_parquet_lake_typed_in_the_import_box_imports_as_one_dataset(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    from wellprod_tui import export

    lake = tmp_path / "lake"
    with storage.opened(sample_cfg.database_path, read_only=True) as con:
        export.export_lake(con, lake)
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        app.screen.start_import(str(lake))
        await wait_for(pilot, lambda: "a folder of 14 Parquet files): 4,200 records" in screen_text(pilot), timeout=60)
        assert "unchanged 4,200" in screen_text(pilot)  # the store's own records, back from the lake
