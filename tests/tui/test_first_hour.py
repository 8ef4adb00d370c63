"""A new user's first hour (issue 8): no crash, no lost key, search that folds accents, navigation, messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, OptionList
from tui_helpers import SIZE, go, palette_text, screen_text, wait_for

from tests.conftest import run_import
from wellprod_tui import storage
from wellprod_tui.core import config, logs
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.widgets import ProductionTable

DATA = Path(__file__).resolve().parents[1] / "data"


def volve_cfg(tmp_path: Path) -> config.Config:
    from conftest import make_config

    database = tmp_path / "db" / "volve.duckdb"
    database.parent.mkdir(parents=True)
    with storage.opened(database) as con:
        run_import(con, DATA / "volve_monthly.json", tmp_path / "rejects")
    return make_config(tmp_path, database)


def shown_well(app) -> int | None:
    return getattr(app.screen, "code", None) if app.current_mode == "well" else None


async def test_log_scale_on_a_well_with_no_positive_rate_says_so_and_the_app_survives(tmp_path: Path) -> None:
    cfg = volve_cfg(tmp_path)
    app = create_app(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"5693", "enter")  # 15/9-F-4: an injector, every rate zero
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("l")
        chart = app.screen.query_one("#well-chart")
        await wait_for(pilot, lambda: chart.log_scale)
        assert "no positive rate (log scale)" in str(chart.render())
        assert app.is_running
        assert not any(n.severity == "error" for n in app._notifications)


async def test_an_exception_in_a_screen_is_logged_and_shown_and_the_app_stays_up(sample_cfg: config.Config) -> None:
    logs.setup_logging(sample_cfg.log_dir)
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        screen = app.screen

        def broken() -> None:
            raise KeyError("broken handler")

        screen.action_toggle_log = broken  # the next `l` fails inside the screen's handler
        await pilot.press("l")
        await wait_for(pilot, lambda: any("broken handler" in n.message for n in app._notifications))
        assert app.is_running
        await go(pilot, "f4", "well-search")  # still answers keys
    text = (sample_cfg.log_dir / logs.LOG_FILE).read_text(encoding="utf-8")
    assert "Traceback" in text and "broken handler" in text


async def test_f4_selects_the_search_text_so_that_typing_replaces_it(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806", "enter")
        await wait_for(pilot, lambda: shown_well(app) == 59806)
        await pilot.press("f4", *"59904", "enter")
        await wait_for(pilot, lambda: shown_well(app) == 59904)


async def test_digits_typed_while_the_history_has_focus_go_to_the_search_box(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806", "enter")
        await wait_for(pilot, lambda: shown_well(app) == 59806 and app.focused.id == "well-history")
        await pilot.press(*"59904", "enter")
        await wait_for(pilot, lambda: shown_well(app) == 59904)


async def test_a_slash_typed_into_an_empty_search_box_is_not_searched_for(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press("slash", *"59806", "enter")
        await wait_for(pilot, lambda: shown_well(app) == 59806)


async def test_keys_typed_while_the_database_opens_are_applied_in_order(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", *"59806", "enter")  # at once, before "Opening the database…" is gone
        await wait_for(pilot, lambda: shown_well(app) == 59806)
        assert not any("not open yet" in n.message for n in app._notifications)


async def test_arrows_sent_in_a_burst_move_through_the_matches_in_order(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("f4", *"aesir", "down", "down", "down", "enter")
        await wait_for(pilot, lambda: shown_well(app) is not None)
        matches = app.screen.query_one(OptionList)
        third = str(matches.get_option_at_index(2).prompt).split()[0]
        assert shown_well(app) == int(third)


async def test_enter_on_a_partial_code_opens_the_one_match(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"5980", "enter")
        await wait_for(pilot, lambda: shown_well(app) == 59806)


async def test_search_folds_case_and_accents_and_says_when_nothing_matches(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        matches = app.screen.query_one(OptionList)
        await pilot.press(*"aesir")
        await wait_for(pilot, lambda: matches.option_count > 0 and "ÆSIR" in str(matches.get_option_at_index(0).prompt))
        app.screen.query_one("#well-search", Input).value = ""
        await pilot.press(*"odegaard")
        await wait_for(pilot, lambda: matches.option_count and "Ødegaard" in str(matches.get_option_at_index(0).prompt))
        app.screen.query_one("#well-search", Input).value = ""
        await pilot.press(*"zzqx", "enter")
        await wait_for(pilot, lambda: any("No well matches 'zzqx'" in n.message for n in app._notifications))


async def test_the_palette_finds_a_well_by_name_and_offers_only_real_fields(sample_cfg: config.Config) -> None:
    from textual.command import CommandPalette

    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("ctrl+p", *"59806")
        await wait_for(pilot, lambda: "Open well 59806" in screen_text(pilot) or palette_text(app) != "")
        await wait_for(pilot, lambda: "Open well 59806" in palette_text(app))
        assert "Open field 59806" not in palette_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"odegaard 2h")
        await wait_for(pilot, lambda: "Open well 59813" in palette_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown_well(app) == 59813)
        assert not isinstance(app.screen, CommandPalette)


async def test_escape_goes_back_to_the_field_with_the_cursor_where_it_was(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f5", "field-search")
        await pilot.press(*"8908", "enter")
        wells = app.screen.query_one("#field-wells", ProductionTable)
        await wait_for(pilot, lambda: wells.total == 8 and app.focused is wells)
        await pilot.press("down", "down")
        picked = wells.row_dict(2)["well_code"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown_well(app) == picked)
        await pilot.press("]")
        await wait_for(pilot, lambda: shown_well(app) == wells.row_dict(3)["well_code"])
        await pilot.press("[")
        await wait_for(pilot, lambda: shown_well(app) == picked)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "field")
        assert wells.cursor_row == 2


async def test_home_end_and_newest_first_in_the_history(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806", "enter")
        history = app.screen.query_one("#well-history", ProductionTable)
        await wait_for(pilot, lambda: history.total == 85 and app.focused is history)
        first = history.row_dict(0)["period"]
        await pilot.press("end")
        await wait_for(pilot, lambda: history.cursor_row == 84)
        await pilot.press("home")
        await wait_for(pilot, lambda: history.cursor_row == 0)
        await pilot.press("o")
        await wait_for(pilot, lambda: history.row_dict(0)["period"] > first)


async def test_the_field_wells_fill_the_screen_and_show_the_main_figures_at_80_columns(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f5", "field-search")
        await pilot.press(*"8908", "enter")
        wells = app.screen.query_one("#field-wells", ProductionTable)
        await wait_for(pilot, lambda: wells.total == 8)
        await wait_for(pilot, lambda: wells.region.height >= 11)  # all 8 wells and the header in view at 80x24
        widths = {str(key.value): column.get_render_width(wells) for key, column in wells.columns.items()}
        main = ("well_code", "well_name", "cum_oil_kbbl", "last_oil_kbd", "water_cut")
        assert list(widths)[:5] == list(main) and sum(widths[c] for c in main) <= 78
        await pilot.press("w", *"aesir 1", "enter")
        await wait_for(pilot, lambda: wells.total == 3)  # ÆSIR 19H, 13H and 1H
        assert all(wells.row_dict(i)["well_name"].startswith("ÆSIR 1") for i in range(3))


async def test_reimporting_says_what_was_unchanged_and_a_mistyped_path_is_an_error(sample_cfg: config.Config) -> None:
    from wellprod_tui.core.config import bundled_sample_path

    copy = Path(sample_cfg.paths.export_dir).parent / "again.json"
    shutil.copy(bundled_sample_path(), copy)
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        log = app.screen.query_one("#import-log", ProductionTable)
        await wait_for(pilot, lambda: log.total == 1)
        app.screen.query_one("#import-path", Input).value = str(copy) + "x"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("does not exist" in n.message for n in app._notifications))
        app.screen.query_one("#import-path", Input).value = str(copy)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(n.title == "Import done" for n in app._notifications))
        done = next(n for n in app._notifications if n.title == "Import done")
        assert "0 inserted · 0 updated · 4,200 unchanged · 0 rejected" in done.message
        await wait_for(pilot, lambda: log.total == 2)  # the mistyped path left no row


async def test_tab_lists_the_candidates_and_f2_puts_the_cursor_back_in_the_path(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    for name in ("wells-2021.csv", "wells-2022.csv"):
        (tmp_path / name).write_text("x\n")
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        path = app.screen.query_one("#import-path", Input)
        path.value = str(tmp_path / "we")
        path.cursor_position = len(path.value)
        await pilot.press("tab")
        await wait_for(pilot, lambda: path.value.endswith("wells-202"))
        text = screen_text(pilot)
        assert "wells-2021.csv" in text and "wells-2022.csv" in text
        await pilot.press("shift+tab")
        await pilot.press("f3")
        await go(pilot, "f2", "import-path")


async def test_a_field_of_reported_totals_only_says_so_and_charts_them(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    with storage.opened(sample_cfg.database_path) as con:
        run_import(con, DATA / "npd_volve_field_total.csv", tmp_path / "rejects")
    app = create_app(sample_cfg)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f5", "field-search")
        await pilot.press(*"3420717", "enter")
        await wait_for(pilot, lambda: "no well records: the field's reported totals" in screen_text(pilot))
        from wellprod_tui.tui.chart import ProductionChart

        assert app.screen.query_one(ProductionChart).display  # at 80x24 too: there is no wells table to show
        assert not app.screen.query_one("#field-wells", ProductionTable).display
        await go(pilot, "f5", "field-search")
        await pilot.press(*"8908", "enter")  # a field with wells gets its table back
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total >= 5)
        assert app.screen.query_one("#field-wells", ProductionTable).display
