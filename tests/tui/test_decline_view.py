"""The Decline view of a well at 80x24: fit, forecast and EUR on screen, keys that refit, export of the forecast."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.helpers.app import notes, open_field, open_well, screen_text, started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.screens.decline import DeclineScreen
from wellprod_tui.tui.widgets import ProductionTable


def panel(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#decline-panel").render())


async def test_a_well_s_decline_is_fitted_reshaped_by_keys_and_its_forecast_exported(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_well(pilot, 59806)
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.result is not None)
        screen = app.screen
        text = panel(app)
        assert "secant" in text and "tangent" in text and "nominal" in text
        assert "EUR" in text and "kbbl" in text and "next 12" in text
        first = screen.result
        assert first.points > 12 and first.eur > first.cum_to_date

        await pilot.press("m")  # auto -> exponential
        await wait_for(pilot, lambda: screen.result is not first and screen.result.curve.model == "exponential")
        assert "exponential (exponential)" in panel(app)

        await pilot.press("plus")  # locks b a notch above the exponential's 0
        await wait_for(pilot, lambda: screen.options.b == 0.05 and screen.result.curve.b == 0.05)
        assert "locked" in panel(app)

        await pilot.press("x", "8", "enter")  # Dmin 8 %/yr tangent
        await wait_for(pilot, lambda: screen.result.curve.dmin > 0)
        assert "8.0% tangent" in panel(app)

        await pilot.press("e", *"0.5", "enter")  # the limit typed replaces the one shown (0)
        await wait_for(pilot, lambda: screen.result.options.qel == 0.5)
        assert "qel     0.5 kbd" in panel(app)

        start = screen.result.fit_start
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.result.fit_start > start)

        await pilot.press("p", "r")  # gas, producing-day rates
        await wait_for(pilot, lambda: screen.result.options.phase == "gas" and screen.result.options.basis
                       == "producing")
        assert "MMcf" in panel(app) and "producing-day" in screen_text(pilot)

        await pilot.press("ctrl+e")
        exports = Path(sample_cfg.export_dir)
        await wait_for(pilot, lambda: any(exports.glob("decline-59806-gas-*.csv")))
        [path] = list(exports.glob("decline-59806-gas-*.csv"))
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:2] == ["well_code", "phase"] and rows[1][:2] == ["59806", "gas"]  # the parameters lead
        assert rows[0][-4:] == ["month", "rate_mmcfd", "volume_mmcf", "cumulative_mmcf"]
        assert len(rows) - 1 == len(screen.result.forecast.months)

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable) is not None)
        assert not isinstance(app.screen, DeclineScreen)


async def test_a_well_that_cannot_be_fitted_says_why_and_the_view_stays_up(tmp_path: Path) -> None:
    from tests.conftest import DATA, run_import
    from tests.tui.conftest import make_config
    from wellprod_tui import storage

    database = tmp_path / "db" / "volve.duckdb"
    with storage.opened(database) as con:
        run_import(con, DATA / "volve_monthly.csv", tmp_path / "rejects")
    app = create_app(make_config(tmp_path, database))
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        app.open_well(5693)  # an injector: no oil
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.error is not None)
        assert "cannot fit" in panel(app) and "no months with production" in panel(app)
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen.options.model == "exponential")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: "Nothing to export" in " ".join(notes(app)))
        assert isinstance(app.screen, DeclineScreen)


async def test_keys_that_reshape_the_fit_refit_the_history_read_when_the_view_opened(tmp_path: Path) -> None:
    from tests.conftest import DATA, run_import
    from tests.tui.conftest import make_config
    from wellprod_tui import storage

    database = tmp_path / "db" / "volve.duckdb"
    with storage.opened(database) as con:
        run_import(con, DATA / "volve_monthly.csv", tmp_path / "rejects")
    app = create_app(make_config(tmp_path, database))
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        app.open_well(5599)
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.result is not None)
        screen = app.screen
        history = screen.history
        assert history is not None and screen.result.history is history
        for keys in (["m"], ["plus"], ["x", "8", "enter"], ["e", "0", ".", "2", "enter"], ["right_square_bracket"],
                     ["r"]):
            shown = screen.result
            await pilot.press(*keys)
            await wait_for(pilot, lambda shown=shown: screen.result is not shown)
            assert screen.result.history is history, keys  # refitted from the records already read
        assert screen.result.options.basis == "producing" and screen.result.options.qel == 0.2

        await pilot.press("p")  # gas: the one key that reads again
        await wait_for(pilot, lambda: screen.history is not history and screen.history.phase == "gas")

        await pilot.press("e", "-", "1", "enter")
        await wait_for(pilot, lambda: any("must be a rate" in n for n in notes(app)))
        said = [n for n in notes(app) if "must be a rate" in n]
        assert said[-1].startswith("the limit must be a rate of 0 or more") and "--" not in said[-1]


async def test_a_field_s_decline_sums_its_wells_forecasts_and_lists_each_well_s_eur(
    sample_cfg: config.Config,
) -> None:
    import json

    from tests.helpers.cli import run_cli
    from wellprod_tui.decline.render import to_json
    from wellprod_tui.tui.screens.field_decline import FieldDeclineScreen

    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_field(pilot, 8908)
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldDeclineScreen) and app.screen.result is not None)
        screen = app.screen
        result = to_json(screen.result)
        shown = screen_text(pilot)
        assert f"{result['fitted']} of {result['wells']} wells fitted" in shown and "EUR" in shown
        assert f"{result['eur']:,.1f} kbbl" in shown
        table = screen.query_one("#field-decline-wells")
        assert table.row_count == result["wells"]  # every well: fitted with its EUR, or with why not

        await pilot.press("p")  # gas
        await wait_for(pilot, lambda: screen.result is not None and screen.result.options.phase == "gas")
        assert "MMcf" in screen_text(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "field" and not isinstance(app.screen, FieldDeclineScreen))

    headless = run_cli("decline", "--field", "8908", "--json", "--wait", "0", db=sample_cfg.database_path)
    assert json.loads(headless.stdout)["eur"] == result["eur"]  # the same figures as the CLI's
