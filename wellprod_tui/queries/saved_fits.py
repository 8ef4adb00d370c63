"""Decline fits a user kept: the fit's options as a JSON document of named options, with who saved it and when.
The newest row of a well and phase is the fit in force; older rows stay as the record of what was signed."""

from __future__ import annotations

import json
from collections.abc import Sequence
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
    return saved_fits_of(con, [well_code], phase).get(int(well_code))


def saved_fits_of(con: Connection, well_codes: Sequence[int], phase: str) -> dict[int, SavedFit]:
    """The fits in force of ``phase`` of those wells that have one, by well code."""
    if not has_table(con, "saved_fits"):  # an older file opened read-only: nothing saved in it yet
        return {}
    rows = con.execute(
        """SELECT well_code, options, saved_by, saved_at FROM saved_fits
           WHERE phase = ? AND list_contains(?::BIGINT[], well_code)
           QUALIFY row_number() OVER (PARTITION BY well_code ORDER BY saved_at DESC, rowid DESC) = 1""",
        [phase, [int(code) for code in well_codes]],
    ).fetchall()
    return {int(code): SavedFit(int(code), phase, json.loads(text), str(by), at) for code, text, by, at in rows}
