"""``wellprod export``: a view to CSV or stdout; a signal stops it with nothing left behind."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wellprod_tui import export, queries, storage
from wellprod_tui.commands.common import UserError, main_thread, opened, view_options, wait_seconds
from wellprod_tui.commands.sets import selection, wants_selection
from wellprod_tui.core import config
from wellprod_tui.core.exit_codes import EXIT_INTERRUPTED, EXIT_OK
from wellprod_tui.core.months import Window
from wellprod_tui.core.text import plural, say, visible


def cmd_export(args: argparse.Namespace, cfg: config.Config) -> int:
    """Export a view to CSV (or stdout); ctrl+c, SIGTERM or SIGHUP stop it with nothing left behind (130)."""
    interrupted = _Interruption()
    try:
        with _signals_interrupt(interrupted):
            return _export(args, cfg, interrupted)
    except (KeyboardInterrupt, storage.InterruptException, RuntimeError) as exc:
        # DuckDB turns a KeyboardInterrupt raised while COPY runs into RuntimeError("Query interrupted")
        if not isinstance(exc, KeyboardInterrupt) and not interrupted.is_set():
            raise
        where = "standard output got part of it" if args.output == "-" else "no file written"
        raise UserError(f"export interrupted; {where}", EXIT_INTERRUPTED) from exc


class _Interruption(threading.Event):
    """A signal came; while a connection is set, it interrupts DuckDB's statement instead of raising where
    the signal lands (which could be between a temporary file's creation and its cleanup)."""

    con: storage.Connection | None = None
    #: Writing to a stream (stdout, a FIFO, a terminal) can block in the OS, where no DuckDB interrupt
    #: reaches: there the signal raises, which is safe as no temporary file of a target is in the way.
    raise_anywhere = False


@contextmanager
def _signals_interrupt(interrupted: _Interruption) -> Iterator[None]:
    """ctrl+c, SIGTERM and SIGHUP set ``interrupted``: they stop the running statement, or raise
    KeyboardInterrupt before a connection is open; the export then ends in order, temporary files gone."""

    def interrupt(_signum: int, _frame: object) -> None:
        again = interrupted.is_set()
        interrupted.set()
        if interrupted.con is None or interrupted.raise_anywhere or again:
            raise KeyboardInterrupt
        with contextlib.suppress(storage.Error):
            interrupted.con.interrupt()

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) if main_thread() else ()
    previous = {signum: signal.signal(signum, interrupt) for signum in handled}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _is_stream(output: str | None) -> bool:
    """Whether ``-o`` names a FIFO or a character device (written to in place, possibly blocking)."""
    if not output:
        return False
    try:
        mode = os.stat(output).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _export(args: argparse.Namespace, cfg: config.Config, interrupted: _Interruption) -> int:
    chosen, window = view_options(args, cfg)
    with opened(cfg, read_only=True, wait_s=wait_seconds(args, cfg, writing=False)) as con:
        interrupted.con = con
        if args.parquet is not None:
            return _export_lake(con, args, window, interrupted)
        if args.well is not None:
            code = queries.resolve_well(con, str(args.well))  # an API number as typed; NotFound says so
            view = queries.well_history_view(code, units=chosen, window=window, volumes=args.volumes)
        elif args.field is not None:
            queries.field_info(con, args.field)
            view = (queries.field_monthly_view(args.field, chosen, window) if args.monthly
                    else queries.field_wells_view(args.field, units=chosen, window=window))
        else:
            # the record format, in stored units: it imports again
            view = queries.all_records_view(window, selection(con, args) if wants_selection(args) else None)
        neutralise = cfg.export.neutralise_formulas
        interrupted.raise_anywhere = args.output == "-" or _is_stream(args.output)
        try:
            if args.output == "-":
                export.export_to_stream(con, view, neutralise_formulas=neutralise, excel_bom=cfg.export.excel_bom)
                if interrupted.is_set():
                    raise KeyboardInterrupt
                return EXIT_OK
            target = Path(args.output) if args.output else None
            result = export.export_view(
                con, view, target, cfg.export_dir, neutralise, args.force or cfg.export.overwrite, cfg.export.excel_bom
            )
            if interrupted.is_set():  # the signal came once the file was complete: the user wanted none
                if result.path is not None:
                    result.path.unlink(missing_ok=True)
                raise KeyboardInterrupt
        except export.ExportError as exc:
            if interrupted.is_set():
                raise KeyboardInterrupt from exc
            raise UserError(str(exc)) from exc
        except storage.InterruptException as exc:  # not a database error: the signal stopped the COPY
            raise KeyboardInterrupt from exc
        finally:
            interrupted.con = None
    say(f"exported {result.rows:,} rows to {result.path}")
    return EXIT_OK


def _export_lake(
    con: storage.Connection, args: argparse.Namespace, window: Window, interrupted: _Interruption
) -> int:
    """``--parquet DIR``: the records as a hive-partitioned Parquet lake, one line per year written."""

    def told(done: int, total: int) -> None:
        sys.stderr.write(f"\r{visible(args.parquet)}: {done}/{total} years")  # a progress line, on a terminal
        sys.stderr.flush()

    try:
        shown = told if sys.stderr.isatty() else None
        wells = selection(con, args).subquery if wants_selection(args) else None
        result = export.export_lake(con, Path(args.parquet), window, args.force, shown, wells)
    except export.ExportError as exc:
        raise UserError(str(exc)) from exc
    except storage.InterruptException as exc:
        raise KeyboardInterrupt from exc
    finally:
        interrupted.con = None
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
    if interrupted.is_set():
        raise KeyboardInterrupt
    say(
        f"exported {result.rows:,} rows in {plural(result.files, 'file')} ({result.bytes / 1e6:,.1f} MB) to "
        f"{visible(str(result.path))} (Parquet, hive folders year=YYYY, sorted by well and month)"
    )
    return EXIT_OK
