"""The import box takes a folder of per-well files and imports them as one."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import go, screen_text, started_app, wait_for
from tests.test_import_many_files import WELD, split_per_wellbore
from wellprod_tui.core import config
from wellprod_tui.tui.app import create_app


async def test_a_folder_of_per_well_files_typed_in_the_import_box_imports_as_one(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    split_per_wellbore(WELD, tmp_path / "weld")
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        await pilot.press(*str(tmp_path / "weld"))
        await wait_for(pilot, lambda: "a folder of 4 data files: Enter imports them as one" in screen_text(pilot))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "4 files, the first by header matches profile ecmc-monthly" in screen_text(pilot),
                       timeout=60)
        assert "643 records" in screen_text(pilot) and "inserted 266" in screen_text(pilot)
