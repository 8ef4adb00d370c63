"""Decline fits a user kept: the fit's options as a JSON document of named options, with who saved it and when.
The newest row of a well and phase is the fit in force; older rows stay as the record of what was signed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wellprod_tui.storage.connection import Connection, has_table


@dataclass(frozen=True)
class SavedFit:
    """A kept fit of one well and phase: its options by name, who saved it and when (UTC)."""

    well_code: int
    phase: str
    options: dict[str, Any]
    saved_by: str
    saved_at: datetime

    @property
    def saved_on(self) -> str:
        """The day it was saved, YYYY-MM-DD."""
        return self.saved_at.strftime("%Y-%m-%d")

    def as_json(self) -> dict[str, Any]:
        """Who and when, with the options kept."""
        return {"saved_by": self.saved_by, "saved_at": self.saved_at.isoformat(timespec="seconds"),
                "options": self.options}


def save_fit(con: Connection, well_code: int, phase: str, options: dict[str, Any], user: str,
             when: datetime) -> SavedFit:
    """Keep ``options`` as the fit in force of the well's ``phase`` (the database must be open for writing)."""
    text = json.dumps(options, sort_keys=True)
    con.execute("INSERT INTO saved_fits VALUES (?, ?, ?, ?, ?)", [int(well_code), phase, text, user, when])
    return SavedFit(int(well_code), phase, json.loads(text), user, when)


def saved_fit(con: Connection, well_code: int, phase: str) -> SavedFit | None:
    """The fit in force of the well's ``phase``; None when none was saved (or the database predates saving)."""
    if not has_table(con, "saved_fits"):  # an older file opened read-only: nothing saved in it yet
        return None
    row = con.execute(
        """SELECT options, saved_by, saved_at FROM saved_fits WHERE well_code = ? AND phase = ?
           ORDER BY saved_at DESC, rowid DESC LIMIT 1""",
        [int(well_code), phase],
    ).fetchone()
    if row is None:
        return None
    return SavedFit(int(well_code), phase, json.loads(row[0]), str(row[1]), row[2])
