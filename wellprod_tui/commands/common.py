"""What every subcommand shares: the one-line error with its exit code, waiting for the database, the units
and window asked for, JSON and value printing."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from wellprod_tui import storage
from wellprod_tui.core import config, units
from wellprod_tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_USAGE
from wellprod_tui.core.months import Window, WindowError
from wellprod_tui.core.text import cell, say, visible, visible_json
from wellprod_tui.storage import locking


class UserError(Exception):
    """An error shown as one line, with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def wait_seconds(args: argparse.Namespace, cfg: config.Config, writing: bool) -> float:
    """How long a command waits for the database: --wait, else [database] lock_wait_import / lock_wait_read."""
    given = getattr(args, "wait", None)
    if given is not None:
        if given < 0:
            raise UserError("--wait must be 0 or more seconds", EXIT_USAGE)
        return float(given)
    return float(cfg.database.lock_wait_import if writing else cfg.database.lock_wait_read)


def say_waiting(wait_s: float) -> locking.WaitCallback:
    """What tells the user, once per holder, whom the command waits for."""

    def told(holder: locking.Holder) -> None:
        say(f"wellprod: waiting for {holder.describe()}… (up to {wait_s:g} s)", err=True)

    return told


@contextmanager
def opened(cfg: config.Config, read_only: bool, wait_s: float = 0.0) -> Iterator[storage.Connection]:
    """A connection to the configured database, waiting up to ``wait_s`` for another process to let it go;
    store errors turned into UserError (exit 3 when it is still taken)."""
    con, _ = connect(cfg, read_only, wait_s)
    try:
        yield con
    except storage.Error as exc:  # a damaged file can open and fail only when a table is read
        raise UserError(str(storage.translate_error(cfg.database_path, exc))) from exc
    finally:
        with contextlib.suppress(storage.Error):
            con.close()


def connect(cfg: config.Config, read_only: bool, wait_s: float) -> tuple[storage.Connection, float]:
    """Open the configured database, waiting up to ``wait_s``; the connection and the seconds waited."""
    if read_only and not cfg.database_path.exists():
        raise UserError(
            f"{cfg.database_path}: no database there yet. Import first (wellprod import), "
            "or check --db / WELLPROD_DB / [paths] database."
        )
    try:
        return locking.connect_waiting(
            cfg.database_path, read_only, cfg.duckdb_settings, wait_s, say_waiting(wait_s) if wait_s else None
        )
    except storage.DatabaseLocked as exc:
        waited = f" (waited {wait_s:g} s)" if wait_s else ""
        raise UserError(f"{exc}{waited}", EXIT_LOCKED) from exc
    except KeyboardInterrupt as exc:
        raise UserError("interrupted while waiting for the database; nothing was changed", EXIT_INTERRUPTED) from exc
    except storage.StoreError as exc:
        raise UserError(str(exc)) from exc


def chosen_units(args: argparse.Namespace, cfg: config.Config) -> units.UnitSystem:
    """The units a command shows: --units, else [ui] units."""
    return units.system(getattr(args, "units", None) or cfg.ui.units)


def view_options(args: argparse.Namespace, cfg: config.Config) -> tuple[units.UnitSystem, Window]:
    """The units (--units, else [ui] units) and time window (--from, --to) a command shows."""
    chosen = chosen_units(args, cfg)
    try:
        window = Window.parse(getattr(args, "from_month", None), getattr(args, "to_month", None))
    except WindowError as exc:
        raise UserError(str(exc), EXIT_USAGE) from exc
    return chosen, window


def scope_json(chosen: units.UnitSystem, window: Window) -> dict[str, Any]:
    """What JSON adds when the units or window are not the default (the default output stays as it was)."""
    return ({} if chosen is units.FIELD else {"units": chosen.name}) | (
        {} if window.is_all else {"window": window.as_json()})


def print_json(data: Any) -> None:
    """Print one JSON object on a line (non-finite figures as null; the exact text, nothing a terminal obeys)."""
    print(visible_json(json.dumps(finite(data), default=str, ensure_ascii=False)))


def finite(data: Any) -> Any:
    """JSON has no Infinity or NaN: such a figure is null (a value stored before rates were bounded)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [finite(v) for v in data]
    return data


def main_thread() -> bool:
    """Whether this runs on the main thread (only it may set signal handlers)."""
    return threading.current_thread() is threading.main_thread()


def fmt(value: Any) -> str:
    """A value as one line of text: floats with separators, control characters shown visibly."""
    if isinstance(value, float):
        return f"{value:,.3f}" if math.isfinite(value) else cell(value)
    return "" if value is None else visible(str(value))
