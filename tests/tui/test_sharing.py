"""The app shares its database with cron imports and read commands: it never locks them out, waits for them
(saying who holds the database), and shows their imports without a restart. Real processes, real files."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.app import go, notes, screen_text, started_app, wait_for
from tests.helpers.cli import Cli
from tests.helpers.feeds import held_feed
from tests.helpers.holder import database_held
from wellprod_tui.core import config
from wellprod_tui.importing.sample import write_sample
from wellprod_tui.tui.app import create_app


@pytest.fixture(scope="module")
def other_wells(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records of wells the bundled sample does not have (codes moved up by 10^9), as NDJSON."""
    import duckdb

    folder = tmp_path_factory.mktemp("other")
    plain = write_sample(3_000, folder / "plain.ndjson", "ndjson")
    path = folder / "feed.ndjson"
    duckdb.execute(
        f"""COPY (SELECT * REPLACE (CAST(well_code AS BIGINT) + 1000000000 AS well_code)
            FROM read_json('{plain}', format='newline_delimited')) TO '{path}' (FORMAT json)"""
    )
    return path


@pytest.fixture
def holder(sample_cfg: config.Config) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database for writing, until its stdin is closed."""
    with database_held(sample_cfg.database_path) as proc:
        yield proc


def _cli(cfg: config.Config, *args: str) -> subprocess.Popen[str]:
    return Cli(cfg.database_path.parent.parent / "cli-home", cfg.database_path).start(*args)


async def test_started_while_another_process_holds_the_database_it_waits_then_opens(
    sample_cfg: config.Config, holder: subprocess.Popen[str]
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: "busy" in screen_text(pilot))
        assert f"process {holder.pid}" in screen_text(pilot)
        assert f"database busy: in use by process {holder.pid}" in app.title
        assert holder.stdin is not None
        holder.stdin.close()  # the other process lets go: the app gets in by itself
        await wait_for(pilot, lambda: app.current_mode == "stats" and "4,200" in screen_text(pilot), timeout=20)
        assert "busy" not in app.title


async def test_an_idle_app_lets_a_cron_import_in_and_shows_its_records(
    sample_cfg: config.Config, other_wells: Path
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot:
        await wait_for(pilot, lambda: app.current_mode == "stats" and "4,200" in screen_text(pilot))
        await wait_for(pilot, lambda: not app.backend.holds_file, timeout=10)  # idle: the file is let go

        stats = _cli(sample_cfg, "stats", "--wait", "0")
        assert stats.wait(timeout=60) == 0, stats.stderr.read() if stats.stderr else ""
        cron = _cli(sample_cfg, "import", str(other_wells), "--wait", "0")
        assert cron.wait(timeout=120) == 0, cron.stderr.read() if cron.stderr else ""

        await wait_for(pilot, lambda: "7,200" in screen_text(pilot), timeout=10)
        shown = notes(app)
        assert any(f"3,000 new, 0 updated records imported by process {cron.pid} from feed.ndjson" in n
                   for n in shown), shown


async def test_a_cron_import_during_an_app_import_waits_for_it_then_succeeds(
    sample_cfg: config.Config, tmp_path: Path
) -> None:
    app = create_app(sample_cfg)
    async with started_app(app) as pilot, held_feed(tmp_path / "feed.ndjson") as feed:
        await wait_for(pilot, lambda: app.current_mode == "stats")
        await go(pilot, "f2", "import-path")
        running = app.screen.import_path(feed.path)  # in progress until the feed's writer closes
        await wait_for(pilot, lambda: running.job is not None)
        cron = _cli(sample_cfg, "import", str(config.bundled_sample_path()), "--json", "--wait", "120")
        assert cron.stderr is not None
        waiting = cron.stderr.readline()  # the cron import says it waits, while the app's import still runs
        assert app.backend.current_import is running
        feed.finish()
        out, err = cron.communicate(timeout=180)
        err = waiting + err
        await wait_for(pilot, lambda: app.backend.current_import is None, timeout=60)

    assert cron.returncode == 0, err
    assert f"waiting for process {os.getpid()} (wellprod app, importing feed.ndjson since" in err
    assert '"status": "completed"' in out and '"unchanged": 4200' in out
