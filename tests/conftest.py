"""Shared fixtures: isolated user dirs, a fresh database, sample files in every format."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from wellprod_tui import importing, storage
from wellprod_tui.core import config
from wellprod_tui.importing.sample import records_frame, write_records

DATA = Path(__file__).parent / "data"
SHARED_REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every platformdirs location (and the env overrides) at a temporary home."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_DOCUMENTS_DIR", "Documents")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("WELLPROD_DB", raising=False)
    monkeypatch.delenv("WELLPROD_CONFIG", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives."""
    return tmp_path / "db" / "wellprod.duckdb"


@pytest.fixture
def con(db_path: Path) -> Iterator[storage.Connection]:
    """A read-write connection to a fresh database."""
    connection = storage.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def rejects_dir(tmp_path: Path) -> Path:
    """Where rejects files go."""
    return tmp_path / "rejects"


@pytest.fixture(scope="session")
def small_frame() -> pl.DataFrame:
    """2,000 generated records."""
    return records_frame(2_000)


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory, small_frame: pl.DataFrame) -> dict[str, Path]:
    """The same 2,000 records in every format."""
    folder = tmp_path_factory.mktemp("samples")
    ext = {"json": "json", "ndjson": "ndjson", "csv": "csv", "parquet": "parquet"}
    return {fmt: write_records(small_frame, folder / f"records.{e}", fmt) for fmt, e in ext.items()}


def import_job(
    con: storage.Connection,
    path: Path,
    rejects_dir: Path,
    on_progress: importing.ProgressCallback | None = None,
    keep_reports: int | None = None,
    **overrides: Any,
) -> importing.ImportJob:
    """An import made the one way the CLI and the app make it (``ImportJob.from_config``), from the default
    configuration with its reports in ``rejects_dir``; ``overrides`` are from_config's (strict, duplicates,
    profile)."""
    settings = config.ImportSettings() if keep_reports is None else config.ImportSettings(keep_reports=keep_reports)
    cfg = config.Config(paths=config.Paths(rejects_dir=str(rejects_dir)), import_=settings)
    return importing.ImportJob.from_config(con, path, cfg, on_progress, **overrides)


def run_import(con: storage.Connection, path: Path, rejects_dir: Path, **kwargs: Any) -> importing.ImportSummary:
    """Import a file, as the CLI and the TUI do."""
    return import_job(con, path, rejects_dir, **kwargs).run()


def table_checksum(con: storage.Connection) -> tuple[int, int]:
    """(rows, order-independent hash) of the production records, timestamps included."""
    return con.execute("SELECT count(*), coalesce(sum(hash(p)), 0) FROM production p").fetchone()


def realdata(name: str) -> Path:
    """A real-data file: the shared copy when present, else the copy in tests/data."""
    shared = SHARED_REALDATA / name
    return shared if shared.exists() else DATA / name


def wellprod_cmd() -> list[str]:
    """The CLI as a subprocess command."""
    return [sys.executable, "-m", "wellprod_tui"]


def cli_env(home: Path, db: Path) -> dict[str, str]:
    """Environment for a CLI subprocess with isolated dirs and a chosen database."""
    env = dict(os.environ)
    env.update({
        "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"), "HOME": str(home), "WELLPROD_DB": str(db),
    })
    env.pop("WELLPROD_CONFIG", None)
    return env
