"""A person remaps keys in [keys] and finds them, as mapped, in F1 and on the Decline view, at 80x24."""

from __future__ import annotations

from dataclasses import replace

from tests.helpers.app import go, started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.widgets import ProductionTable

#: Every key of the well's Decline view, as F1 describes it.
DECLINE_KEYS = {"Back", "Start-", "Start+", "End-", "End+", "Model", "b-", "b+", "Lock b", "Dmin", "Limit", "Phase",
                "Basis", "Lock qi", "Lock Di", "Leave out", "Point-", "Point+", "Point out/in"}


def _help_rows(app) -> set[tuple[str, str, str]]:  # noqa: ANN001
    table = app.screen.query_one("#help")
    return {tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)}


async def test_f1_lists_every_decline_key_with_the_key_it_is_remapped_to_and_the_panel_says_so(
    sample_cfg: config.Config,
) -> None:
    cfg = replace(sample_cfg, keys=(("decline-model", "o"), ("field-decline-phase", "g")))
    app = create_app(cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await pilot.press("f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        rows = _help_rows(app)
        assert {does for where, _, does in rows if where == "Decline"} == DECLINE_KEYS
        assert ("Decline", "o", "Model") in rows and ("Decline", "m", "Model") not in rows
        assert {("Decline", "[", "Start-"), ("Decline", "}", "End+"), ("Decline", "+, =", "b+")} <= rows
        assert ("Field decline", "g", "Phase") in rows and ("Field decline", "r", "Basis") in rows
        await pilot.press("escape")

        await go(pilot, "f4", "well-search")
        await pilot.press(*"59806", "enter")
        await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
        await pilot.press("d")
        await wait_for(pilot, lambda: getattr(app.screen, "result", None) is not None)
        screen = app.screen
        panel = str(screen.query_one("#decline-panel").render())
        assert "o model" in panel and "m model" not in panel
        await pilot.press("o")  # the remapped key does what the panel says
        await wait_for(pilot, lambda: screen.result is not None and screen.result.curve.model == "exponential")
