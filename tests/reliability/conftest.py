"""Shared fixtures for the reliability suite: isolated user dirs, the real CLI as a subprocess, generated data.

Every test runs ``wellprod`` in a fresh process on a real DuckDB file in ``tmp_path``; HOME and the XDG dirs
point into ``tmp_path`` so nothing touches the real user's files.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import Cli
from tests.helpers.holder import database_held
from wellprod_tui.importing.sample import write_sample

from .support import BASE_RECORDS, BIG_RECORDS


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The CLI with a private home and database path (not created yet)."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of generated input files shared by the whole session."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def big_ndjson(data_dir: Path) -> Path:
    """One million records as NDJSON (about 450 MB), generated once per session."""
    return write_sample(BIG_RECORDS, data_dir / "big.ndjson", "ndjson")


@pytest.fixture(scope="session")
def base_ndjson(data_dir: Path) -> Path:
    """A small file of valid records."""
    return write_sample(BASE_RECORDS, data_dir / "base.ndjson", "ndjson")


@pytest.fixture(scope="session")
def base_db(tmp_path_factory: pytest.TempPathFactory, base_ndjson: Path) -> Path:
    """A database that already holds ``base.ndjson``, made once by the CLI; copy it, never change it."""
    home = tmp_path_factory.mktemp("base-home")
    runner = Cli(home)
    result = runner.run("import", str(base_ndjson))
    assert result.code == 0, result.output
    return runner.db


@pytest.fixture
def populated(cli: Cli, base_db: Path) -> Cli:
    """The CLI whose database is a fresh copy of the base database."""
    shutil.copyfile(base_db, cli.db)
    return cli


@pytest.fixture
def holder(populated: Cli):
    """Another process holding the database open for writing, as a plain duckdb connection."""
    with database_held(populated.db, populated.env) as proc:
        yield proc


@pytest.fixture
def tiny_mount(tmp_path: Path):
    """Mount a tmpfs of the given options on a fresh folder; skip where mounting is not permitted."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0 or shutil.which("mount") is None:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)
