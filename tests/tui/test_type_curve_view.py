"""The Type curve view at 80x24: a field's wells lined up by month on production, P-curves, the P50's fit and EUR
as the CLI gives them; keys that rebuild it; ctrl+e exports its table; the palette opens it for every well."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.helpers.app import open_field, screen_text, started_app, wait_for
from tests.helpers.cli import run_cli
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.screens.typecurve import TypeCurveScreen
from wellprod_tui.tui.widgets import ProductionTable

VOLVE_FIELD = 3420717


async def test_a_field_s_type_curve_shows_the_p_curves_and_fit_the_cli_gives_and_exports_its_table(
    volve_cfg: config.Config,
) -> None:
    headless = json.loads(run_cli("typecurve", "--field", str(VOLVE_FIELD), "--json", "--wait", "0",
                                  db=volve_cfg.database_path).stdout)
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await open_field(pilot, VOLVE_FIELD)
        await wait_for(pilot, lambda: app.screen.query_one("#field-wells", ProductionTable).total > 0)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, TypeCurveScreen) and app.screen.result is not None)
        screen = app.screen
        shown = screen_text(pilot)
        assert "P10 is the high case" in shown and f"EUR {headless['fit']['eur']:,.1f} kbbl" in shown
        assert screen.query_one("#type-curve-table").row_count == len(headless["months"])

        await pilot.press("ctrl+e")
        exports = Path(volve_cfg.export_dir)
        await wait_for(pilot, lambda: any(exports.glob("type-curve-field-*.csv")))
        [path] = list(exports.glob("type-curve-field-*.csv"))
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [float(r["p50_kbd"]) for r in rows] == [m["p50"] for m in headless["months"]]

        await pilot.press("a")  # month 1 at each well's first production
        await wait_for(pilot, lambda: screen.result is not None and screen.result.options.align == "first")
        first = json.loads(run_cli("typecurve", "--field", str(VOLVE_FIELD), "--align", "first", "--json",
                                   "--wait", "0", db=volve_cfg.database_path).stdout)
        assert screen.result.p50.tolist() == [m["p50"] for m in first["months"]]
        await pilot.press("p")  # gas
        await wait_for(pilot, lambda: screen.result is not None and screen.result.options.fit.phase == "gas")
        assert "MMcfd" in screen_text(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current_mode == "field" and not isinstance(app.screen, TypeCurveScreen))


async def test_the_palette_opens_the_type_curve_of_every_well(volve_cfg: config.Config) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("ctrl+p")
        await pilot.press(*"type curve")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TypeCurveScreen) and app.screen.result is not None)
        assert "all wells" in screen_text(pilot)
