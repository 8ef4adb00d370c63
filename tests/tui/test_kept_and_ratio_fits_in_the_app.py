"""The Decline view keeps a fit (s) that outlives the app and the CLI reads, and its phase key goes on to gas and
water forecast from the oil fit through their ratio trend."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.app import notes, started_app, wait_for
from tests.helpers.cli import run_cli
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.screens.decline import DeclineScreen
from wellprod_tui.tui.widgets import ProductionTable

WELL = 5599


def panel(app: Any) -> str:
    return str(app.screen.query_one("#decline-panel").render())


async def open_decline(pilot: Any, app: Any) -> DeclineScreen:
    await wait_for(pilot, lambda: app.current_mode == "stats")
    app.open_well(WELL)
    await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
    await pilot.press("d")
    await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.result is not None)
    screen: DeclineScreen = app.screen
    return screen


async def test_a_fit_saved_in_the_app_is_the_one_shown_after_reopening_and_the_cli_reads_it(
    volve_cfg: config.Config,
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        screen = await open_decline(pilot, app)
        assert screen.result is not None and screen.result.saved is None and "saved" not in panel(app)
        await pilot.press("plus", "plus")  # b locked, two notches up
        await wait_for(pilot, lambda: screen.result is not None and screen.result.options.b is not None
                       and screen.result.options == screen.options)
        locked = screen.options.b
        await pilot.press("s")
        await wait_for(pilot, lambda: any("Saved the oil fit of well 5599" in n for n in notes(app)))
        await wait_for(pilot, lambda: screen.result is not None and screen.result.saved is not None)
        assert "saved   " in panel(app)

    again = create_app(volve_cfg)
    async with started_app(again) as pilot:
        screen = await open_decline(pilot, again)
        assert screen.result is not None and screen.result.saved is not None
        assert screen.options.b == locked and "saved   " in panel(again)
        await pilot.press("minus")  # a change: no longer the saved fit
        await wait_for(pilot, lambda: screen.result is not None and screen.result.options.b != locked)
        assert screen.result.saved is None and "saved   " not in panel(again)

    data = json.loads(run_cli("decline", str(WELL), "--json", db=volve_cfg.database_path).stdout)
    assert data["b"] == locked and data["saved"] is not None


async def test_the_phase_key_goes_on_to_gas_and_water_from_the_oil_fit(
    volve_cfg: config.Config, tmp_path: Path
) -> None:
    # a saved oil fit to 2016-06 (the well's last month, 2016-09, is past any limit): the app opens on it
    assert run_cli("decline", str(WELL), "--to", "2016-06", "--save", db=volve_cfg.database_path).code == 0
    cli_gas = json.loads(run_cli("decline", str(WELL), "--phase", "gas", "--from-ratio", "--json",
                                 db=volve_cfg.database_path).stdout)
    assert cli_gas["forecast"] and cli_gas["oil"]["fit_end"] == "2016-06"
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        screen = await open_decline(pilot, app)
        oil_eur = screen.result.eur if screen.result else 0.0
        await pilot.press("p", "p", "p")  # gas, water, then gas from oil × GOR
        await wait_for(pilot, lambda: screen.ratio is not None and screen.ratio.trend.phase == "gas")
        text = panel(app)
        assert "gas from oil × GOR" in text and "EUR by phase" in text and f"{oil_eur:,.1f} kbbl" in text
        assert screen.options.phase == "oil" and screen.ratio.oil.eur == pytest.approx(oil_eur)
        assert screen.ratio.eur == pytest.approx(cli_gas["eur"]) and screen.ratio.oil.saved is not None

        await pilot.press("ctrl+e")
        exports = Path(volve_cfg.export_dir)
        await wait_for(pilot, lambda: any(exports.glob(f"decline-{WELL}-gas-*.csv")))
        [path] = list(exports.glob(f"decline-{WELL}-gas-*.csv"))
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0]["ratio"] == "GOR" and float(rows[0]["eur_mmcf"]) == pytest.approx(cli_gas["eur"])
        assert len(rows) == len(cli_gas["forecast"]) and rows[0]["flags"] == ";".join(
            f["name"] for f in cli_gas["oil"]["flags"])

        await pilot.press("p")  # water from oil × WOR: the oil fit stays
        await wait_for(pilot, lambda: screen.ratio is not None and screen.ratio.trend.phase == "water")
        assert "water from oil × WOR" in panel(app)
        await pilot.press("p")  # back to oil, fitted
        await wait_for(pilot, lambda: screen.ratio is None and screen.result is not None and not screen._fitting)
        assert "gas from oil" not in panel(app) and screen.options.phase == "oil"


async def test_an_older_database_without_saved_fits_gains_the_table_when_the_app_opens_it(
    volve_cfg: config.Config,
) -> None:
    import duckdb

    with duckdb.connect(str(volve_cfg.database_path)) as con:  # as a wellprod before saved fits left it
        con.execute("DROP TABLE saved_fits")
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        screen = await open_decline(pilot, app)
        await pilot.press("s")
        await wait_for(pilot, lambda: screen.result is not None and screen.result.saved is not None)
    with duckdb.connect(str(volve_cfg.database_path), read_only=True) as con:
        assert con.execute("SELECT count(*), any_value(well_code) FROM saved_fits").fetchone() == (1, WELL)


async def test_a_field_s_decline_view_fits_a_well_as_saved_and_says_so_in_its_table(
    volve_cfg: config.Config,
) -> None:
    from wellprod_tui.tui.screens.field_decline import FieldDeclineScreen

    saved = json.loads(run_cli("decline", str(WELL), "--b", "0.3", "--save", "--json",
                               db=volve_cfg.database_path).stdout)
    headless = json.loads(run_cli("decline", "--field", "3420717", "--json", db=volve_cfg.database_path).stdout)
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        app.open_field(3420717)
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldDeclineScreen) and app.screen.result is not None)
        result = app.screen.result
        assert result.eur == pytest.approx(headless["eur"])
        [well] = [w for w in result.wells if w.well_code == WELL]
        assert well.b == 0.3 and well.saved_on == saved["saved"]["saved_at"][:10]
        table = app.screen.query_one("#field-decline-wells")
        headings = [str(column.label) for column in table.columns.values()]
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        [row] = [r for r in rows if r[0] == str(WELL)]
        assert row[headings.index("saved")] == well.saved_on
