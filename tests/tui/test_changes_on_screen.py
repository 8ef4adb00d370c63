"""The revision trail on screen: after an import that replaced stored values, a key lists what it changed (old
→ new, with the difference), from the Import screen's result and from the Stats screen's last-import line; the
list exports with ctrl+e like every view, Escape closes it, and F1 lists its keys."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.helpers.app import go, notes, screen_text, started_app, wait_for
from tests.helpers.cli import Cli
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app
from wellprod_tui.tui.screens.changes import ChangesScreen
from wellprod_tui.tui.screens.help import HelpScreen
from wellprod_tui.tui.widgets import ProductionTable

VOLVE = DATA / "volve_monthly.csv"
WELL = 7405


@pytest.fixture
def revision(tmp_path: Path) -> Path:
    """Volve's file again with 0.5 kbd more oil (and liquids) in each of the 25 months of well 7405."""
    with VOLVE.open(newline="") as source:
        records = list(csv.reader(source))
    header = records[0]
    revised = [header.index(c) for c in ("oil_production_kbd", "liquids_production_kbd")]
    well = header.index("well_code")
    for record in records[1:]:
        if int(record[well]) == WELL:
            for column in revised:
                record[column] = repr(float(record[column]) + 0.5)
    path = tmp_path / "volve-revised.csv"
    with path.open("w", newline="") as out:
        csv.writer(out).writerows(records)
    return path


def changes_table(app) -> ProductionTable:  # noqa: ANN001
    return app.screen.query_one("#changes-table", ProductionTable)


async def test_ctrl_r_after_an_import_lists_what_it_changed_and_ctrl_e_exports_the_list(
    volve_cfg: config.Config, revision: Path
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        assert "ctrl+r" not in app.screen.active_bindings  # nothing imported yet: nothing to list
        app.screen.start_import(str(revision))
        await wait_for(pilot, lambda: "updated 25" in screen_text(pilot), timeout=30)
        assert "ctrl+r lists what it changed" in screen_text(pilot)

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen) and changes_table(app).total > 0)
        text = screen_text(pilot)
        assert "import #2 completed" in text and "volve-revised.csv: 25 months changed" in text
        table = changes_table(app)
        assert table.total == 50  # oil and liquids, in each of 25 months
        first = table.row_dict(0)
        assert first is not None and first["well_code"] == WELL and first["column_name"] == "oil_production_kbd"
        assert float(first["new"]) == pytest.approx(float(first["old"]) + 0.5) and first["difference"] == 0.5
        assert "oil_production_kbd" in text and "difference" in [c.label.plain for c in table.columns.values()]

        await pilot.press("ctrl+e")
        exports = Path(volve_cfg.export_dir)
        await wait_for(pilot, lambda: any(exports.glob("changes-import-2*.csv")))
        [path] = list(exports.glob("changes-import-2*.csv"))
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 50 and {r["column_name"] for r in rows} == {"oil_production_kbd", "liquids_production_kbd"}

        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ChangesScreen))
        assert app.current_mode == "import"


async def test_c_on_the_stats_lists_the_last_import_s_changes_and_f1_shows_the_keys(
    volve_cfg: config.Config, revision: Path
) -> None:
    app = create_app(volve_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "last import #1" in screen_text(pilot))
        await pilot.press("c")  # import #1 only added records
        await wait_for(pilot, lambda: any("replaced no stored value" in n for n in notes(app)))
        assert not isinstance(app.screen, ChangesScreen)

        await wait_for(pilot, lambda: not app.backend.holds_file, timeout=10)  # idle: a cron import gets in
        home = volve_cfg.database_path.parent.parent / "cli-home"
        done = Cli(home, volve_cfg.database_path).run("import", str(revision), "--wait", "30", timeout=120)
        assert done.returncode == 0, done.stderr
        await wait_for(pilot, lambda: "last import #2" in screen_text(pilot), timeout=10)
        assert "(0 new, 25 updated, 0 rejected) · c lists the changes" in screen_text(pilot)

        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen) and changes_table(app).total == 50)
        assert "import #2 completed" in screen_text(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(pilot)
        assert "What the last import changed" in text and "What it changed" in text and "Changes" in text
