"""An isolated environment: HOME, the XDG folders and TMPDIR inside a temporary folder, no WELLPROD_* variables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Each XDG variable and the folder under the temporary home it points to.
XDG_FOLDERS = {
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_STATE_HOME": "state",
    "XDG_CACHE_HOME": "cache",
    "XDG_DOCUMENTS_DIR": "Documents",
}


def isolated_env(home: Path, database: Path | None = None) -> dict[str, str]:
    """os.environ with HOME, XDG folders and TMPDIR inside ``home``, and WELLPROD_DB set to ``database`` if given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WELLPROD_")}
    env.update({name: str(home / sub) for name, sub in XDG_FOLDERS.items()})
    env["HOME"] = str(home)
    env["TMPDIR"] = str(home / "tmp")
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.pop("COLUMNS", None)
    if database is not None:
        env["WELLPROD_DB"] = str(database)
    return env


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """Point this process's HOME and XDG folders into ``home`` and drop WELLPROD_* (undone after the test)."""
    for name, sub in XDG_FOLDERS.items():
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    for name in [k for k in os.environ if k.startswith("WELLPROD_")]:
        monkeypatch.delenv(name)
    return home
