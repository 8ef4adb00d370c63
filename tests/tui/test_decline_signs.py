"""The Decline view says what an engineer signs: flags, defaults, months left out and locks, in the app's units,
with the same figures as ``wellprod decline``."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers.app import started_app, wait_for
from tests.helpers.cli import run_cli
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.screens.decline import DeclineScreen
from wellprod_tui.tui.widgets import ProductionTable

ABANDONED = 5599  # Volve: 0 in its last month, 2016-09


def panel(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#decline-panel").render())


def cli_json(cfg: config.Config, *args: str) -> dict[str, Any]:
    result = run_cli("decline", str(ABANDONED), *args, "--json", "--wait", "0", db=cfg.database_path)
    assert result.code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


async def test_flags_defaults_exclusions_locks_and_units_show_in_the_panel_as_the_cli_gives_them(
    volve_cfg: config.Config,
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        app.open_well(ABANDONED)
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.result is not None)
        screen = app.screen
        text = panel(app)
        cli = cli_json(volve_cfg)
        assert "past-limit" in text and "limit   reached 2016-09" in text and "default limit, cap" in text
        assert [f.name for f in screen.result.flags] == [f["name"] for f in cli["flags"]]
        assert screen.result.eur == cli["eur"] and screen.result.forecast.remaining == 0

        await pilot.press("l", *"2012-01..2012-06", "enter")
        await wait_for(pilot, lambda: screen.result.options.exclude != ())
        assert "out 2012-01..2012-06 excl." in panel(app)
        cli = cli_json(volve_cfg, "--exclude", "2012-01..2012-06")
        assert screen.result.points == cli["points"] and screen.result.curve.qi == cli["qi"]

        start = screen.result.fit_start
        await pilot.press("full_stop", "space")  # the point starts at the fit's first month: left out
        await wait_for(pilot, lambda: start in screen.result.options.exclude)
        assert start not in screen.result.history_months[screen.result.history_used]
        await pilot.press("space")  # and taken back
        await wait_for(pilot, lambda: start not in screen.result.options.exclude)

        qi = screen.result.curve.qi
        await pilot.press("i")
        await wait_for(pilot, lambda: screen.result.options.qi_fixed == qi)
        assert "locked" in panel(app).splitlines()[1]
        await pilot.press("e", *"0", "enter")  # no limit: the well has a forecast again
        await wait_for(pilot, lambda: screen.result.options.qel == 0 and screen.result.forecast.remaining > 0)

        shown = screen.result
        await pilot.press("u")  # field -> field-small: the same fit, in bbl/d
        await wait_for(pilot, lambda: "bbl/d" in panel(app))
        assert screen.result is shown
        cli = cli_json(volve_cfg, "--exclude", "2012-01..2012-06", "--qi-fixed", f"{qi * 1000!r}", "--qel", "0",
                       "--units", "field-small")
        assert f"qi      {cli['qi']:,.0f} bbl/d locked" in panel(app)
        assert f"EUR     {cli['eur']:,.0f}" in panel(app)
