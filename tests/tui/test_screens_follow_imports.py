"""After an import commits (another process's or the app's own), every figure on screen is read again: the open
Well and Field screens show the new months and totals, not what they cached. Real processes, real files."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.helpers.app import go, notes, started_app, wait_for
from tests.helpers.cli import Cli
from wellprod_tui.core import config
from wellprod_tui.tui.app import WellprodApp, create_app
from wellprod_tui.tui.screens.decline import DeclineScreen
from wellprod_tui.tui.widgets import ProductionTable

VOLVE = DATA / "volve_monthly.csv"
WELL, FIELD = 7405, 3420717


@pytest.fixture
def revision(tmp_path: Path) -> Path:
    """Volve's file again with 1 kbd more oil in every month of well 7405 (the operator's revision)."""
    with VOLVE.open(newline="") as source:
        records = list(csv.reader(source))
    header = records[0]
    oil, well = header.index("oil_production_kbd"), header.index("well_code")
    for record in records[1:]:
        if int(record[well]) == WELL:
            record[oil] = repr(float(record[oil]) + 1.0)
    path = tmp_path / "volve-revised.csv"
    with path.open("w", newline="") as out:
        csv.writer(out).writerows(records)
    return path


def summary(app: WellprodApp, kind: str) -> str:
    return str(app.screen.query_one(f"#{kind}-summary").render())


def last_oil_rate(app: WellprodApp) -> float:
    found = re.search(r"last rates: oil ([\d,.]+) kbd", summary(app, "well"))
    assert found, summary(app, "well")
    return float(found.group(1).replace(",", ""))


def cumulative_oil(app: WellprodApp) -> float:
    found = re.search(r"cumulative: oil ([\d,.]+) kbbl", summary(app, "field"))
    assert found, summary(app, "field")
    return float(found.group(1).replace(",", ""))


async def _open_field_then_well(app: WellprodApp, pilot) -> tuple[float, float]:  # noqa: ANN001
    """Open the field, then its well 7405: (the field's cumulative oil, the well's last oil rate) shown."""
    await wait_for(pilot, lambda: app.current_mode == "stats")
    app.open_field(FIELD)
    await wait_for(pilot, lambda: "cumulative: oil" in summary(app, "field"))
    field_oil = cumulative_oil(app)
    app.open_well(WELL)
    await wait_for(pilot, lambda: "last rates: oil" in summary(app, "well"))
    return field_oil, last_oil_rate(app)


async def switch(pilot, key: str, mode: str) -> None:  # noqa: ANN001
    """Press a screen's F-key and wait until that screen is shown."""
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.current_mode == mode)


def _cli_import(cfg: config.Config, path: Path) -> None:
    home = cfg.database_path.parent.parent / "cli-home"
    done = Cli(home, cfg.database_path).run("import", str(path), "--wait", "30", timeout=120)
    assert done.returncode == 0, done.stderr


# Reloads come within 2 s on an idle machine; the waits below leave room for a loaded CI machine.
async def test_another_process_s_revision_shows_on_the_open_well_and_field_screens_within_2_s(
    volve_cfg: config.Config, revision: Path
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        field_oil, well_rate = await _open_field_then_well(app, pilot)
        await wait_for(pilot, lambda: not app.backend.holds_file, timeout=10)  # idle: the file is let go

        _cli_import(volve_cfg, revision)

        await wait_for(pilot, lambda: last_oil_rate(app) == pytest.approx(well_rate + 1.0), timeout=8)
        await switch(pilot, "f5", "field")
        await wait_for(pilot, lambda: cumulative_oil(app) > field_oil + 100, timeout=8)
        await switch(pilot, "f4", "well")  # and back on the well: the new figures, not the ones cached
        assert last_oil_rate(app) == pytest.approx(well_rate + 1.0)


async def test_an_import_from_the_import_screen_refreshes_the_well_and_field_already_open(
    volve_cfg: config.Config, revision: Path
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        field_oil, well_rate = await _open_field_then_well(app, pilot)
        await go(pilot, "f2", "import-path")
        app.screen.start_import(str(revision))
        await wait_for(pilot, lambda: any("Import done" in n for n in notes(app)), timeout=30)

        await switch(pilot, "f4", "well")
        await wait_for(pilot, lambda: last_oil_rate(app) == pytest.approx(well_rate + 1.0), timeout=8)
        history = app.screen.query_one("#well-history", ProductionTable)
        assert history.total == 25
        await switch(pilot, "f5", "field")
        await wait_for(pilot, lambda: cumulative_oil(app) > field_oil + 100, timeout=8)
        await pilot.press("slash", *str(FIELD), "enter")  # the same field searched again: as now, not as cached
        await wait_for(pilot, lambda: app.screen.query_one("#field-matches").display is False)
        await pilot.pause(0.3)
        assert cumulative_oil(app) > field_oil + 100


async def test_the_decline_view_refits_from_the_revised_records_after_another_process_s_import(
    volve_cfg: config.Config, revision: Path
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        app.open_well(WELL)
        await wait_for(pilot, lambda: "last rates: oil" in summary(app, "well"))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclineScreen) and app.screen.result is not None)
        screen = app.screen
        cum = screen.result.cum_to_date
        await wait_for(pilot, lambda: not app.backend.holds_file, timeout=10)

        _cli_import(volve_cfg, revision)

        await wait_for(pilot, lambda: screen.result.cum_to_date > cum + 100, timeout=8)
        assert f"cum     {screen.result.cum_to_date:,.1f}" in str(screen.query_one("#decline-panel").render())
