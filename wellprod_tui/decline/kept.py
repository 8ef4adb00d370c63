"""Fits that are kept: a well's fit options saved as a document of named options (whatever ``Options`` holds,
so options added later need no schema change) with who and when, and read back as the fit a view starts from."""

from __future__ import annotations

import getpass
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime
from typing import Any

from wellprod_tui import queries
from wellprod_tui.decline.analysis import DeclineError, Options, WellDecline, well_decline
from wellprod_tui.storage.connection import Connection

__all__ = ["document", "keep", "kept", "kept_decline", "options_from", "user"]


def document(options: Options) -> dict[str, Any]:
    """The options by name, as JSON holds them (tuples become lists)."""
    return asdict(options)


def options_from(doc: dict[str, Any]) -> Options:
    """Options from a saved document: names this version does not know are left out, lists become tuples."""
    known = {f.name for f in fields(Options)}
    named: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in doc.items() if k in known}
    return Options(**named)


def user() -> str:
    """Who saves: the login name (``unknown`` where the system cannot say)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def keep(con: Connection, result: WellDecline) -> WellDecline:
    """Save the options of ``result`` as its well's fit in force for its phase; the result marked saved."""
    saved = queries.save_fit(con, result.well_code, result.options.phase, document(result.options), user(),
                             datetime.now(UTC).replace(tzinfo=None))
    return replace(result, saved=saved)


def kept(con: Connection, code: int, phase: str) -> tuple[Options, queries.SavedFit] | None:
    """The saved fit of the well's ``phase`` and the options it holds; None when none was saved."""
    saved = queries.saved_fit(con, code, phase)
    if saved is None:
        return None
    return replace(options_from(saved.options), phase=phase), saved


def kept_decline(con: Connection, code: int, options: Options, auto: bool = False) -> WellDecline:
    """The well's fit in force for the options' phase: its saved fit unless ``auto`` (or none was saved), else a
    fit with ``options``. DeclineError when a saved fit no longer fits the records, saying how to fit afresh."""
    found = None if auto else kept(con, code, options.phase)
    if found is None:
        return well_decline(con, code, options)
    saved_options, saved = found
    try:
        return replace(well_decline(con, code, saved_options), saved=saved)
    except DeclineError as exc:
        raise DeclineError(f"{exc} (with the fit saved {saved.saved_on}; --auto fits afresh)") from exc
