"""Every key counts in the Decline view: keys pressed while a fit runs are applied in order once it ends."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.helpers.app import go, started_app, wait_for
from wellprod_tui.core import config
from wellprod_tui.core.months import month_label
from wellprod_tui.decline.analysis import Options, WellDecline, WellHistory, fit_well
from wellprod_tui.tui.app import WellprodApp, create_app
from wellprod_tui.tui.screens import decline
from wellprod_tui.tui.screens.decline import DeclineScreen
from wellprod_tui.tui.widgets import ProductionTable


@pytest.fixture(autouse=True)
def slow_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each fit takes 100 ms more, as a long history does on a busy machine: keys come while it runs."""

    def slow_fit(history: WellHistory, options: Options) -> WellDecline:
        time.sleep(0.1)
        return fit_well(history, options)

    monkeypatch.setattr(decline, "fit_well", slow_fit)


async def _open_decline(app: WellprodApp, pilot) -> DeclineScreen:  # noqa: ANN001
    await wait_for(pilot, lambda: app.current_mode == "stats")
    await go(pilot, "f4", "well-search")
    await pilot.press(*"59806", "enter")
    await wait_for(pilot, lambda: app.screen.query_one("#well-history", ProductionTable).total > 0)
    await pilot.press("d")
    await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.result is not None)
    assert isinstance(app.screen, DeclineScreen)
    return app.screen


async def _burst(pilot, *keys: str) -> None:  # noqa: ANN001
    """Keys 30 ms apart, as a person drumming on them."""
    for key in keys:
        pilot.app.post_message(_key(key))
        await asyncio.sleep(0.03)


def _key(key: str):  # noqa: ANN202
    from textual import events

    return events.Key(key, {"right_square_bracket": "]", "left_square_bracket": "[", "right_curly_bracket": "}",
                            "left_curly_bracket": "{"}.get(key, key if len(key) == 1 else None))


async def _settled(pilot, screen: DeclineScreen) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: screen.result is not None
                   and screen.result.options == screen.options)


async def test_six_right_brackets_30_ms_apart_move_the_fit_s_start_by_six_months(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        screen = await _open_decline(app, pilot)
        start = screen.result.fit_start
        await _burst(pilot, *["right_square_bracket"] * 6)
        await _settled(pilot, screen)
        assert screen.result.fit_start == start + 6
        panel = str(app.screen.query_one("#decline-panel").render())
        assert f"fit     {month_label(start + 6)}.." in panel


async def test_a_mixed_burst_of_window_model_and_b_keys_applies_every_one_in_order(
    sample_cfg: config.Config,
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        screen = await _open_decline(app, pilot)
        start, end = screen.result.fit_start, screen.result.fit_end
        await _burst(pilot, "right_square_bracket", "left_curly_bracket", "right_square_bracket", "m",
                     "left_curly_bracket", "left_square_bracket", "right_square_bracket", "plus", "plus")
        await _settled(pilot, screen)
        result = screen.result
        assert (result.fit_start, result.fit_end) == (start + 2, end - 2)
        assert result.options.model == "hyperbolic"  # auto -> exponential, then b+ locks b on a hyperbolic
        assert result.options.b == 0.10
