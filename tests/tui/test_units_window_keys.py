"""A person switches units, rates or volumes, chart kinds and the time window in the app, at 80x24."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers.app import go, notes, open_well, started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.chart import ProductionChart
from wellprod_tui.tui.widgets import ProductionTable

NOT_CONVERTED = {"well_code", "period", "days", "water_cut"}


async def test_the_units_key_changes_every_number_on_screen_and_the_headers(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await open_well(pilot, 59806)
        table = app.screen.query_one(ProductionTable)
        await wait_for(pilot, lambda: table.total == 85)
        before_columns, before = list(table.columns_read), list(table.rows_shown)
        summary = app.screen.query_one("#well-summary", Static)
        assert "kbd" in str(summary.render()) and "field · all months" in str(app.format_title("wellprod", ""))
        await pilot.press("u")
        await wait_for(pilot, lambda: "oil_bbl_d" in table.columns_read)
        text = str(summary.render())
        assert "bbl/d" in text and "Mcf/d" in text and "kbd" not in text and "MMcf" not in text
        assert "field-small" in str(app.format_title("wellprod", ""))
        assert [c for c in table.columns_read if c.endswith(("_kbd", "_kbbl", "_mmcf", "_mmcfd"))] == []
        for old, new in zip(before, table.rows_shown, strict=True):
            for name, a, b in zip(before_columns, old, new, strict=True):
                if name in NOT_CONVERTED or name.startswith("gor") or a in (None, 0):
                    continue
                assert b == a * 1000 or abs(b - a * 1000) <= 1e-9 * abs(b), name  # every figure changed
        assert "bbl/d" in str(app.screen.query_one(ProductionChart).render())
        await pilot.press("u")
        await wait_for(pilot, lambda: "oil_sm3_d" in table.columns_read)
        assert "Sm³" in str(summary.render()) and "gor_sm3_sm3" in table.columns_read
        await pilot.press("u")
        await wait_for(pilot, lambda: "oil_kbd" in table.columns_read)
    assert config.load_state()["units"] == "field"  # remembered like the theme


async def test_volumes_chart_kinds_and_a_window_follow_the_keys(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await open_well(pilot, 59806)
        table = app.screen.query_one(ProductionTable)
        chart = app.screen.query_one(ProductionChart)
        await wait_for(pilot, lambda: table.total == 85)
        await pilot.press("v")
        await wait_for(pilot, lambda: table.columns_read[3] == "oil_kbbl")
        assert "Monthly volumes" in str(chart.render())
        await pilot.press("k")
        assert "Cumulative" in str(chart.render())
        await pilot.press("k")
        assert "Oil monthly volume vs cumulative oil" in str(chart.render()) and "cumul" in str(chart.render())
        await pilot.press("t")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "window-bounds")
        await pilot.press(*"2016-01..2017-12", "enter")
        await wait_for(pilot, lambda: table.total == 24)
        assert "window_cum_oil_kbbl" in table.columns_read and "cumulative 2016-01 .. 2017-12" in table.border_title
        assert "2016-01 .. 2017-12" in str(app.format_title("wellprod", ""))
        summary = str(app.screen.query_one("#well-summary", Static).render())
        assert "cumulative 2016-01 .. 2017-12" in summary
        await pilot.press("f9")
        await wait_for(pilot, lambda: table.total == 85)
        await pilot.press("f6")  # the database's last 12 months: this well stopped before them
        await wait_for(pilot, lambda: table.total == 0)


async def test_a_month_typed_wrong_in_the_window_dialog_is_said_in_the_apps_words(sample_cfg: config.Config) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806", "enter")
        table = app.screen.query_one(ProductionTable)
        await wait_for(pilot, lambda: table.total == 85)
        await pilot.press("t")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "window-bounds")
        await pilot.press(*"2016-13..2017-12", "enter")
        said = lambda: notes(app)  # noqa: E731
        await wait_for(pilot, lambda: any("is not a month" in m for m in said()))
        assert any("the first month: '2016-13' is not a month" in m for m in said()), said()
        assert not any("--" in m for m in said())
