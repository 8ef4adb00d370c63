"""Fixtures of the TUI tests: configs in tmp_path, a database holding the bundled sample, a pilot helper."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, run_import
from wellprod_tui import storage
from wellprod_tui.core import config
from wellprod_tui.core.config import bundled_sample_path

REPO = Path(__file__).resolve().parents[2]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no async plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = inspect.signature(pyfuncitem.obj).parameters
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


def make_config(root: Path, database: Path) -> config.Config:
    """A config whose every path is under ``root``."""
    return config.Config(
        paths=config.Paths(
            database=str(database),
            export_dir=str(root / "exports"),
            rejects_dir=str(root / "rejects"),
            log_dir=str(root / "logs"),
        )
    )


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the checkout, so the bundled sample shows as a short relative path."""
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the bundled sample, built once and copied by each test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "sample.duckdb"
    with storage.opened(path) as con:
        run_import(con, bundled_sample_path(), folder / "rejects")
    return path


@pytest.fixture
def empty_cfg(tmp_path: Path) -> config.Config:
    """A config over a database that does not exist yet."""
    return make_config(tmp_path, tmp_path / "db" / "wellprod.duckdb")


@pytest.fixture
def sample_cfg(tmp_path: Path, sample_template: Path) -> config.Config:
    """A config over a copy of the sample database."""
    database = tmp_path / "db" / "wellprod.duckdb"
    database.parent.mkdir(parents=True)
    shutil.copy(sample_template, database)
    return make_config(tmp_path, database)


@pytest.fixture
def volve_cfg(tmp_path: Path) -> config.Config:
    """A config over a database holding Volve's monthly records (import #1; tests/data/volve_monthly.csv)."""
    database = tmp_path / "db" / "volve.duckdb"
    with storage.opened(database) as con:
        run_import(con, DATA / "volve_monthly.csv", tmp_path / "rejects")
    return make_config(tmp_path, database)
